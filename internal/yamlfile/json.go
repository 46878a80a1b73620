package yamlfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// jsonParser reads JSON (RFC 8259) with encoding/json's tokenizer into a
// yaml.Node tree. Positions are computed from byte offsets with a cursor
// that only moves forward, so that all of them together cost O(size).
type jsonParser struct {
	d     *Decoder
	dec   *json.Decoder
	base  int // offset of the decoder's input in d.Data (after a BOM)
	nodes int

	off, line, col int // the cursor: d.Data[off] is at line, col
}

// parseJSON parses d.Data as one JSON value (a leading byte-order mark
// is skipped), recording the first problem.
func (d *Decoder) parseJSON() *yaml.Node {
	base := 0
	if bytes.HasPrefix(d.Data, bom) {
		base = len(bom)
	}
	if e := CheckJSON(d.Data[base:]); e != nil {
		line, col := d.Pos(base + e.Offset)
		d.Add(line, col, "", "", "JSON syntax error: %s", e.Msg)
		return nil
	}
	p := &jsonParser{d: d, base: base, off: 0, line: 1, col: 1}
	p.dec = json.NewDecoder(bytes.NewReader(d.Data[base:]))
	p.dec.UseNumber()
	root, ok := p.value(1)
	if !ok {
		return nil
	}
	start := p.next()
	if _, err := p.dec.Token(); err != io.EOF {
		if err != nil && p.syntax(err) {
			return nil
		}
		line, col := p.pos(start)
		d.Add(line, col, "", "a file holds one JSON value", "JSON syntax error: unexpected data after the top-level value")
		return nil
	}
	return root
}

// pos returns the line and column of offset off of d.Data, moving the
// cursor forward (offsets before it are computed from the start).
func (p *jsonParser) pos(off int) (int, int) {
	if off < p.off {
		return p.d.Pos(off)
	}
	data := p.d.Data
	off = min(off, len(data))
	for p.off < off {
		c := data[p.off]
		switch {
		case c == '\n':
			p.line++
			p.col = 1
			p.off++
		case c < utf8.RuneSelf:
			p.col++
			p.off++
		default:
			_, size := utf8.DecodeRune(data[p.off:])
			p.col++
			p.off += size
		}
	}
	return p.line, p.col
}

// next returns the offset in d.Data of the next token: past the input
// read so far, white space, commas and colons.
func (p *jsonParser) next() int {
	data := p.d.Data
	i := p.base + int(p.dec.InputOffset())
	for i < len(data) && strings.IndexByte(" \t\r\n,:", data[i]) >= 0 {
		i++
	}
	return i
}

// syntax records err, a tokenizer error, at the offending byte and
// reports whether it was one. (CheckJSON has found none before the
// tokenizer runs; this is a safety net.)
func (p *jsonParser) syntax(err error) bool {
	var off int
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off = p.base + int(se.Offset) - 1 // Offset is just past the offending byte
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		off = len(p.d.Data)
	default:
		return false
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		msg = "unexpected end of JSON input"
	}
	line, col := p.d.Pos(off)
	p.d.Add(line, col, "", "", "JSON syntax error: %s", msg)
	return true
}

// value reads one value at the given depth (the root is at 1).
func (p *jsonParser) value(depth int) (*yaml.Node, bool) {
	start := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		if !p.syntax(err) {
			line, col := p.d.Pos(start)
			p.d.Add(line, col, "", "", "JSON syntax error: %v", err)
		}
		return nil, false
	}
	line, col := p.pos(start)
	p.nodes++
	if p.nodes > MaxNodes {
		p.d.Add(line, col, "", "split the file", "more than %d values in the file", MaxNodes)
		return nil, false
	}
	if depth > MaxDepth {
		p.d.Add(line, col, "", "flatten the structure", "nested deeper than %d levels", MaxDepth)
		return nil, false
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.Kind, n.Tag, n.Style = yaml.MappingNode, "!!map", yaml.FlowStyle
			for p.dec.More() {
				k, ok := p.value(depth + 1)
				if !ok {
					return nil, false
				}
				if k.Tag != "!!str" { // the tokenizer only gives strings here
					p.d.Errorf(k, "", "", "JSON syntax error: expected a string key")
					return nil, false
				}
				p.nodes-- // keys do not count as values of their own in MaxNodes
				v, ok := p.value(depth + 1)
				if !ok {
					return nil, false
				}
				n.Content = append(n.Content, k, v)
			}
		case '[':
			n.Kind, n.Tag, n.Style = yaml.SequenceNode, "!!seq", yaml.FlowStyle
			for p.dec.More() {
				v, ok := p.value(depth + 1)
				if !ok {
					return nil, false
				}
				n.Content = append(n.Content, v)
			}
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			if !p.syntax(err) {
				p.d.Add(line, col, "", "", "JSON syntax error: %v", err)
			}
			return nil, false
		}
	case string:
		raw := p.d.Data[start:min(p.base+int(p.dec.InputOffset()), len(p.d.Data))]
		if off := loneSurrogate(raw); off >= 0 {
			l, c := p.pos(start + off)
			p.d.Add(l, c, "", "escape a character outside the BMP as a pair, such as \\ud83d\\ude00", "JSON string holds an unpaired surrogate escape")
			return nil, false
		}
		n.Tag, n.Style, n.Value = "!!str", yaml.DoubleQuotedStyle, t
	case json.Number:
		n.Tag, n.Value = "!!int", string(t)
		if strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!float"
		}
	case bool:
		n.Tag, n.Value = "!!bool", "false"
		if t {
			n.Value = "true"
		}
	case nil:
		n.Tag, n.Value = "!!null", "null"
	}
	return n, true
}

// loneSurrogate returns the offset in raw, the text of a JSON string, of
// a \u escape of a surrogate that is not part of a pair, or -1.
func loneSurrogate(raw []byte) int {
	if !bytes.Contains(raw, []byte(`\u`)) {
		return -1
	}
	hex := func(i int) (rune, bool) { // the \uXXXX escape at raw[i:]
		if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
			return 0, false
		}
		var r rune
		for _, c := range raw[i+2 : i+6] {
			switch {
			case c >= '0' && c <= '9':
				r = r<<4 | rune(c-'0')
			case c >= 'a' && c <= 'f':
				r = r<<4 | rune(c-'a'+10)
			case c >= 'A' && c <= 'F':
				r = r<<4 | rune(c-'A'+10)
			default:
				return 0, false
			}
		}
		return r, true
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		r, ok := hex(i)
		if !ok {
			i++ // skip the escaped character
			continue
		}
		switch {
		case r >= 0xd800 && r <= 0xdbff:
			if lo, ok := hex(i + 6); ok && lo >= 0xdc00 && lo <= 0xdfff {
				i += 11
				continue
			}
			return i
		case r >= 0xdc00 && r <= 0xdfff:
			return i
		}
		i += 5
	}
	return -1
}
