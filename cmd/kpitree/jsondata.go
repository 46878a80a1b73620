package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// JSON data comes in three shapes, all made of row objects
// {"metric": ID, "period": P, "value": NUMBER or null}:
//
//	[row, row, ...]                           an array
//	{"rows": [row, ...], ...}                 what --format json writes
//	row\nrow\n...                             JSON lines, what --format jsonl writes
//
// In the second shape the other fields kpitree writes beside "rows"
// (command, model, grain, from, to, as_of, issues, period) are allowed and
// carry no data; any other field is an error.

// docFields are the fields of a kpitree json document other than "rows".
var docFields = []string{"command", "model", "grain", "from", "to", "as_of", "period", "issues"}

var rowFields = []string{"metric", "period", "value"}

type jsonReader struct {
	in   *ingest
	file string
	buf  []byte
	dec  *json.Decoder
	rows int
}

// at is the position of the first byte of the next token after offset off.
func (r *jsonReader) at(off int) where {
	off = max(off, 0)
	for off < len(r.buf) {
		switch r.buf[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
			continue
		}
		break
	}
	line := 1 + bytes.Count(r.buf[:min(off, len(r.buf))], []byte{'\n'})
	return where{file: r.file, buf: r.buf, off: min(off, len(r.buf)), line: line}
}

func (r *jsonReader) errAt(off int, msg, hint string) error { return r.at(off).err(msg, hint) }

// syntax turns a decoder error into a positioned one.
func (r *jsonReader) syntax(err error, off int) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return r.errAt(int(se.Offset)-1, "invalid JSON: "+se.Error(), "")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return r.errAt(len(r.buf), "the JSON ends too early", "close every [ and {")
	}
	return r.errAt(off, "invalid JSON: "+err.Error(), "")
}

func (r *jsonReader) token() (json.Token, int, error) {
	off := int(r.dec.InputOffset())
	t, err := r.dec.Token()
	if err != nil {
		return nil, off, r.syntax(err, off)
	}
	return t, off, nil
}

func (in *ingest) readJSON(file string, buf []byte) error {
	if bytes.HasPrefix(buf, utf8BOM) {
		buf = buf[len(utf8BOM):]
		if in.notef != nil {
			in.notef("%s: skipped the UTF-8 byte-order mark at the start of the file", file)
		}
	}
	if len(bytes.TrimSpace(buf)) == 0 {
		return &dataError{File: file, Msg: "empty file", Hint: `expected [{"metric": "visitors", "period": "2027-01", "value": 300000}, ...]`}
	}
	r := &jsonReader{in: in, file: file, buf: buf, dec: json.NewDecoder(bytes.NewReader(buf))}
	r.dec.UseNumber()
	t, off, err := r.token()
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('['):
		if err := r.rowArray(); err != nil {
			return err
		}
	case json.Delim('{'):
		k, koff, err := r.token()
		if err != nil {
			return err
		}
		key, _ := k.(string)
		if slices.Contains(rowFields, key) {
			// JSON lines: this is the first row.
			if err := r.rowRest(off, key, koff); err != nil {
				return err
			}
			for r.dec.More() {
				if err := r.row(); err != nil {
					return err
				}
			}
		} else if err := r.document(k, koff); err != nil {
			return err
		}
	default:
		return r.errAt(off, fmt.Sprintf("a JSON %s at the top level", jsonKind(t)), `expected an array of {"metric", "period", "value"} objects, an object with "rows", or JSON lines`)
	}
	if off := int(r.dec.InputOffset()); r.dec.More() {
		return r.errAt(off, "more JSON after the data", "give one document, or one row object per line")
	}
	if r.rows == 0 {
		return &dataError{File: file, Msg: "no rows", Hint: `expected rows such as {"metric": "visitors", "period": "2027-01", "value": 300000}`}
	}
	return nil
}

func jsonKind(t json.Token) string {
	switch t.(type) {
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	case json.Delim:
		if t == json.Delim('[') {
			return "array"
		}
		return "object"
	}
	return "value"
}

// document reads the fields of {"rows": [...], ...} after its "{"; k is
// the first key token.
func (r *jsonReader) document(k json.Token, koff int) error {
	sawRows := false
	seen := map[string]bool{}
	for {
		if k == json.Delim('}') {
			break
		}
		key, _ := k.(string)
		if seen[key] {
			return r.errAt(koff, fmt.Sprintf("duplicate field %q", key), "")
		}
		seen[key] = true
		switch {
		case key == "rows":
			t, off, err := r.token()
			if err != nil {
				return err
			}
			if t != json.Delim('[') {
				return r.errAt(off, fmt.Sprintf(`"rows" is a %s`, jsonKind(t)), "expected an array of row objects")
			}
			if err := r.rowArray(); err != nil {
				return err
			}
			sawRows = true
		case slices.Contains(docFields, key):
			var skip json.RawMessage
			if err := r.dec.Decode(&skip); err != nil {
				return r.syntax(err, koff)
			}
		default:
			return r.errAt(koff, fmt.Sprintf("unknown field %q%s", key, didYouMean(key, append([]string{"rows"}, docFields...))), `data is under "rows"`)
		}
		var err error
		k, koff, err = r.token()
		if err != nil {
			return err
		}
	}
	if !sawRows {
		return r.errAt(0, `no "rows" field`, `expected {"rows": [{"metric": ..., "period": ..., "value": ...}, ...]}`)
	}
	return nil
}

// rowArray reads row objects up to the closing "]".
func (r *jsonReader) rowArray() error {
	for r.dec.More() {
		if err := r.row(); err != nil {
			return err
		}
	}
	_, _, err := r.token() // ]
	return err
}

// row reads one row object.
func (r *jsonReader) row() error {
	t, off, err := r.token()
	if err != nil {
		return err
	}
	if t != json.Delim('{') {
		return r.errAt(off, fmt.Sprintf("a JSON %s where a row object was expected", jsonKind(t)), `a row is {"metric": ID, "period": P, "value": NUMBER}`)
	}
	k, koff, err := r.token()
	if err != nil {
		return err
	}
	if k == json.Delim('}') {
		return r.errAt(off, "an empty row object", `a row is {"metric": ID, "period": P, "value": NUMBER}`)
	}
	key, _ := k.(string)
	return r.rowRest(off, key, koff)
}

// rowRest reads a row object whose "{" was at off and whose first key has
// been read.
func (r *jsonReader) rowRest(off int, key string, koff int) error {
	var (
		vals [3]json.Token
		offs [3]int
		seen [3]bool
	)
	for {
		k := slices.Index(rowFields, key)
		if k < 0 {
			return r.errAt(koff, fmt.Sprintf("unknown field %q in a row%s", key, didYouMean(key, rowFields)), `a row is {"metric": ID, "period": P, "value": NUMBER}`)
		}
		if seen[k] {
			return r.errAt(koff, fmt.Sprintf("duplicate field %q in a row", key), "")
		}
		t, voff, err := r.token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok && (d == '[' || d == '{') {
			return r.errAt(voff, fmt.Sprintf("%q is an %s", key, jsonKind(t)), "expected a string or a number")
		}
		vals[k], offs[k], seen[k] = t, voff, true
		next, noff, err := r.token()
		if err != nil {
			return err
		}
		if next == json.Delim('}') {
			break
		}
		key, _ = next.(string)
		koff = noff
	}
	for k, name := range rowFields {
		if !seen[k] {
			return r.errAt(off, fmt.Sprintf("a row without %q", name), `a row is {"metric": ID, "period": P, "value": NUMBER}; a missing value is null`)
		}
	}
	r.rows++
	id, ok := vals[0].(string)
	if !ok {
		return r.errAt(offs[0], fmt.Sprintf(`"metric" is a %s`, jsonKind(vals[0])), "expected the metric id as a string")
	}
	i, msg, hint := r.in.metricIndex([]byte(id))
	if msg != "" {
		return r.errAt(offs[0], msg, hint)
	}
	ps, ok := vals[1].(string)
	if !ok {
		return r.errAt(offs[1], fmt.Sprintf(`"period" is a %s`, jsonKind(vals[1])), `expected the period as a string, such as "2027-01"`)
	}
	p, msg, hint := r.in.parsePeriod([]byte(ps))
	if msg != "" {
		return r.errAt(offs[1], msg, hint)
	}
	var (
		v       float64
		present bool
	)
	switch x := vals[2].(type) {
	case nil:
	case json.Number:
		v, present, msg, hint = parseValue([]byte(x))
		if msg != "" {
			return r.errAt(offs[2], msg, hint)
		}
	default:
		return r.errAt(offs[2], fmt.Sprintf(`"value" is a %s`, jsonKind(x)), "expected a number, or null for a missing value")
	}
	return r.in.add(i, p, v, present, r.at(offs[0]))
}
