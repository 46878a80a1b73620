package yamlfile

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The limits every file format of the module enforces. A file beyond one
// of them is an error at the position where the limit is crossed, so that
// no input, however built, costs more than a constant times its size to
// read.
const (
	// MaxFileSize is the largest file read, in bytes (32 MiB).
	MaxFileSize = 32 << 20
	// MaxDepth is the deepest nesting of lists and mappings: the root
	// is at depth 1, a value in it at depth 2.
	MaxDepth = 64
	// MaxNodes is the most values (scalars, lists and mappings, keys
	// included) a file may hold.
	MaxNodes = 2_000_000
)

// ReadAll reads r up to one byte beyond MaxFileSize, so that Parse
// reports a file that is too large without reading all of it.
func ReadAll(r io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, MaxFileSize+1))
}

// bom is the UTF-8 byte-order mark.
var bom = []byte("\uFEFF")

// ParseOptions are the messages a format gives when parsing a file.
type ParseOptions struct {
	Empty     string // message for a file without a document, e.g. "empty model file"
	EmptyHint string // hint for it, e.g. `a model file starts with kpitree: "1"`
	OneDoc    string // hint for a file of several documents, e.g. "a model file holds one model"
}

// Parse checks d.Data and returns the root node of its only document, or
// nil after recording the first problem. It enforces MaxFileSize, valid
// UTF-8 (and, for YAML, YAML's printable characters), exactly one
// document, and then, on the tree, MaxDepth, MaxNodes and no anchors,
// aliases or explicit tags (a scalar may carry !!str). JSON (IsJSON) is
// read by an RFC 8259 parser into the same kind of node tree YAML gives:
// strings tagged !!str, numbers !!int (no fraction or exponent) or
// !!float with their text as written, true and false !!bool, null !!null,
// every node with its line and column.
func (d *Decoder) Parse(o ParseOptions) *yaml.Node {
	if len(d.Data) > MaxFileSize {
		line, col := d.Pos(MaxFileSize)
		d.Add(line, col, "", "split the file or remove unused parts", "file larger than %d bytes", MaxFileSize)
		return nil
	}
	if off := invalidUTF8(d.Data); off >= 0 {
		line, col := d.Pos(off)
		d.Add(line, col, "", "save the file as UTF-8", "invalid UTF-8 byte 0x%02x", d.Data[off])
		return nil
	}
	var root *yaml.Node
	if d.JSON {
		root = d.parseJSON()
	} else {
		root = d.parseYAML(o)
	}
	if root == nil || !d.checkTree(root) {
		return nil
	}
	return root
}

// invalidUTF8 returns the offset of the first byte of data that is not
// part of valid UTF-8, or -1.
func invalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// notYAMLPrintable returns the offset of the first character of valid
// UTF-8 data that YAML does not allow in a file, and the character, or -1.
// YAML allows tab, line feed, carriage return, U+0020..U+007E, U+0085,
// U+00A0..U+D7FF, U+E000..U+FFFD and U+10000 and above.
func notYAMLPrintable(data []byte) (int, rune) {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != 0x7f || c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			return i, rune(c)
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == 0x85, r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd && !(r == 0xfeff && i > 0), r >= 0x10000:
		default:
			return i, r
		}
		i += size
	}
	return -1, 0
}

// charName names r for messages: "NUL (U+0000)", "U+0085".
func charName(r rune) string {
	switch r {
	case 0:
		return "NUL (U+0000)"
	case 0x7f:
		return "DEL (U+007F)"
	case 0xfeff:
		return "a byte-order mark (U+FEFF)"
	}
	return fmt.Sprintf("U+%04X", r)
}

func (d *Decoder) parseYAML(o ParseOptions) *yaml.Node {
	if off, r := notYAMLPrintable(d.Data); off >= 0 {
		line, col := d.Pos(off)
		d.Add(line, col, "", "remove it, or write it as an escape (\"\\x..\") in a double-quoted string", "character %s is not allowed in YAML", charName(r))
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(d.Data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			d.Add(1, 1, "", o.EmptyHint, "%s", o.Empty)
			return nil
		}
		d.Report(d.SyntaxError(err))
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == io.EOF:
	case err != nil:
		d.Report(d.SyntaxError(err))
		return nil
	default:
		d.Errorf(&extra, "", o.OneDoc, "more than one YAML document")
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		d.Add(1, 1, "", o.EmptyHint, "%s", o.Empty)
		return nil
	}
	return doc.Content[0]
}

// crumb is a step of the path to a node, for messages.
type crumb struct {
	up    *crumb
	key   *yaml.Node // the key in a mapping, or nil
	index int        // the index in a list
}

func (c *crumb) path() string {
	if c == nil {
		return ""
	}
	if c.key != nil {
		return Key(c.up.path(), c.key.Value)
	}
	return Index(c.up.path(), c.index)
}

// checkTree enforces MaxDepth and MaxNodes and rejects anchors, aliases
// and explicit tags, in document order, without recursion. Paths are
// built only for the problems found.
func (d *Decoder) checkTree(root *yaml.Node) bool {
	type item struct {
		n     *yaml.Node
		at    *crumb
		depth int
	}
	stack := []item{{root, nil, 1}}
	count, ok := 0, true
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := it.n
		count++
		switch {
		case count > MaxNodes:
			d.Errorf(n, it.at.path(), "split the file", "more than %d values in the file", MaxNodes)
			return false
		case it.depth > MaxDepth:
			d.Errorf(n, it.at.path(), "flatten the structure", "nested deeper than %d levels", MaxDepth)
			return false
		case n.Kind == yaml.AliasNode:
			d.Errorf(n, it.at.path(), "write the value out in full", "YAML aliases (*%s) are not supported", n.Value)
			ok = false
			continue
		case n.Anchor != "":
			d.Errorf(n, it.at.path(), "remove the anchor", "YAML anchors (&%s) are not supported", n.Anchor)
			ok = false
		case n.Style&yaml.TaggedStyle != 0 && (n.Kind != yaml.ScalarNode || n.Tag != "!!str"):
			d.Errorf(n, it.at.path(), "remove the tag; only !!str on a single value is allowed", "explicit YAML tag %s is not supported", n.Tag)
			ok = false
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := len(n.Content) - 2; i >= 0; i -= 2 {
				at := it.at
				if k := n.Content[i]; k.Kind == yaml.ScalarNode {
					at = &crumb{up: it.at, key: k}
				}
				stack = append(stack, item{n.Content[i+1], at, it.depth + 1}, item{n.Content[i], at, it.depth + 1})
			}
		case yaml.SequenceNode:
			for i := len(n.Content) - 1; i >= 0; i-- {
				stack = append(stack, item{n.Content[i], &crumb{up: it.at, index: i}, it.depth + 1})
			}
		}
	}
	return ok
}

// ---- paths, lazily ----

// Resolve returns the node at path (as built by Key and Index) under
// root, or nil. It costs O(len(path)) map lookups at each level; positions
// are kept as nodes, and paths are built only for errors.
func Resolve(root *yaml.Node, path string) *yaml.Node {
	n := root
	for path != "" && n != nil {
		switch {
		case path[0] == '.':
			path = path[1:]
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return nil
			}
			if path[1] == '"' {
				// a quoted key: find its closing quote
				key, rest, ok := unquotePrefix(path[1:])
				if !ok || !strings.HasPrefix(rest, "]") {
					return nil
				}
				n = mapValue(n, key)
				path = rest[1:]
				continue
			}
			i := 0
			for _, c := range path[1:end] {
				if c < '0' || c > '9' || i > MaxNodes {
					return nil
				}
				i = i*10 + int(c-'0')
			}
			if n.Kind != yaml.SequenceNode || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
			path = path[end+1:]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			n = mapValue(n, path[:end])
			path = path[end:]
		}
	}
	return n
}

// unquotePrefix reads the Go-quoted string at the start of s.
func unquotePrefix(s string) (string, string, bool) {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			v, err := strconv.Unquote(s[:i+1])
			return v, s[i+1:], err == nil
		}
	}
	return "", "", false
}

// mapValue returns the value of key in mapping n (the first, if the key
// repeats), or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
