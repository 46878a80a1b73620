package tree

import (
	"sync"
	"unicode/utf8"

	"github.com/kpitree/kpitree/internal/yamlfile"
	"go.yaml.in/yaml/v3"
)

// sourceMap records where the parts of a model were declared in the file
// it was loaded from, so that later stages (Compile, the checks) can point
// at a line and column. It costs O(1) per metric: positions of other
// values are found from their path only when an error needs one, by
// parsing the file again (once).
type sourceMap struct {
	file    string
	data    []byte // the file, for positions found later
	json    bool
	metric  map[string]pos // metric id -> position of the metric's entry
	formula map[string]pos // metric id -> position of the first character of its formula

	once  sync.Once
	root  *yaml.Node
	lines []int // offsets of the starts of lines, built with root
}

// pos is a 1-based line and column.
type pos struct{ line, col int }

// tree parses the file again, the first time it is needed.
func (s *sourceMap) tree() *yaml.Node {
	s.once.Do(func() {
		d := yamlfile.NewDecoder(s.file, s.data, s.json, nil)
		_ = d.Run(func() { s.root = d.Parse(parseOptions) })
		s.lines = append(s.lines, 0)
		for i, c := range s.data {
			if c == '\n' {
				s.lines = append(s.lines, i+1)
			}
		}
	})
	return s.root
}

// position returns where the metric with the given id (formula false) or
// its formula (formula true) was declared, if m was loaded from a file.
// For a formula the column is that of its first character (after an
// opening quote; for a block scalar, the first character of its content).
func (m *Model) position(id string, formula bool) (file string, line, col int, ok bool) {
	if m == nil || m.src == nil {
		return "", 0, 0, false
	}
	tbl := m.src.metric
	if formula {
		tbl = m.src.formula
	}
	p, ok := tbl[id]
	if !ok {
		return "", 0, 0, false
	}
	return m.src.file, p.line, p.col, true
}

// formulaPosition returns where character (line, col) of the formula of
// metric id (1-based, in characters) was written in the file: it follows
// the formula's text through the file from its first character, across
// line breaks and the indentation a multi-line scalar folds away. ok is
// false if m was not loaded from a file; where the text cannot be
// followed (escapes in a quoted string), the column is counted from the
// formula's first character.
func (m *Model) formulaPosition(id, src string, line, col int) (fl, fc int, ok bool) {
	_, l0, c0, ok := m.position(id, true)
	if !ok {
		return 0, 0, false
	}
	guess := func() (int, int, bool) { // where the text cannot be followed
		if line == 1 {
			return l0, c0 + col - 1, true
		}
		return l0 + line - 1, c0 + col - 1, true
	}
	s := m.src
	s.tree()
	if l0 < 1 || l0 > len(s.lines) {
		return guess()
	}
	// off: offset of the formula's first character in the file
	off := s.lines[l0-1]
	for k := 1; k < c0 && off < len(s.data); k++ {
		_, size := utf8.DecodeRune(s.data[off:])
		off += size
	}
	// target: rune index of (line, col) in src
	target, l, c := 0, 1, 1
	for _, r := range src {
		if l == line && c == col {
			break
		}
		if r == '\n' {
			l, c = l+1, 1
		} else {
			c++
		}
		target++
	}
	fl, fc = l0, c0
	i := 0
	for _, r := range src {
		for off < len(s.data) {
			fr, size := utf8.DecodeRune(s.data[off:])
			if fr == r {
				break
			}
			if fr != ' ' && fr != '\t' && fr != '\n' && fr != '\r' {
				return guess() // an escape: cannot follow
			}
			off += size
			fl, fc = advance(fl, fc, fr)
		}
		if off >= len(s.data) {
			return guess()
		}
		if i == target {
			return fl, fc, true
		}
		_, size := utf8.DecodeRune(s.data[off:])
		off += size
		fl, fc = advance(fl, fc, r)
		i++
		if r == '\n' { // a literal block: its indentation is not content
			for k := 1; k < c0 && off < len(s.data) && s.data[off] == ' '; k++ {
				off++
				fc++
			}
		}
	}
	return fl, fc, true
}

func advance(line, col int, r rune) (int, int) {
	if r == '\n' {
		return line + 1, 1
	}
	return line, col + 1
}

// pathPosition returns where the value at path (as in "links[2].to" or
// "metrics[3].targets[0]") was written, if m was loaded from a file.
func (m *Model) pathPosition(path string) (file string, line, col int, ok bool) {
	if m == nil || m.src == nil {
		return "", 0, 0, false
	}
	root := m.src.tree()
	if root == nil {
		return "", 0, 0, false
	}
	n := yamlfile.Resolve(root, path)
	if n == nil {
		return "", 0, 0, false
	}
	return m.src.file, n.Line, n.Column, true
}

// locate sets e's file position from its Field path, when the model came
// from a file and e has no position yet.
func (m *Model) locate(e *ModelError) *ModelError {
	if e.File == "" {
		if file, line, col, ok := m.pathPosition(e.Field); ok {
			e.File, e.Line, e.Column = file, line, col
		}
	}
	return e
}
