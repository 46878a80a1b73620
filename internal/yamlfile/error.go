package yamlfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxErrors is the number of problems a Decoder records at most.
const MaxErrors = 20

// Error is a problem in a file, with its position. The exported error
// types of the formats have the same fields, so that *Error and theirs
// convert into each other.
type Error struct {
	File   string // file name ("" if none)
	Line   int    // 1-based line
	Column int    // 1-based column, in characters
	Path   string // where in the document, e.g. metrics[3].targets[0].value ("" for the whole file)
	Msg    string // what is wrong
	Hint   string // how to fix it, e.g. `did you mean "unit"?` ("" if none)
}

// Error returns a message such as
//
//	webshop.yaml:12:7: metrics[3]: unknown key "unti" (did you mean "unit"?)
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Column)
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteByte(')')
	}
	return b.String()
}

// errStop ends Decoder.Run once MaxErrors problems are recorded.
var errStop = errors.New("too many errors")

// Decoder holds a file being decoded and the problems found in it.
type Decoder struct {
	File string // file name for errors ("" if none)
	Data []byte // the file's content
	JSON bool   // whether Data is JSON: the readers then say "object" and "array"

	wrap  func(*Error) error
	errs  []error
	lines []int // line starts, see lineStarts
}

// NewDecoder returns a Decoder for data; wrap turns each problem into the
// error the format returns (nil keeps the *Error).
func NewDecoder(file string, data []byte, json bool, wrap func(*Error) error) *Decoder {
	if wrap == nil {
		wrap = func(e *Error) error { return e }
	}
	return &Decoder{File: file, Data: data, JSON: json, wrap: wrap}
}

// IsJSON reports whether data's first byte other than a space, tab,
// carriage return or newline (after a UTF-8 byte-order mark, if any) is
// '{'.
func IsJSON(data []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, bom), " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// Run calls f and returns the problems recorded (Err). Recording the
// MaxErrors-th problem ends f early.
func (d *Decoder) Run(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errStop { //nolint:errorlint // sentinel identity
				panic(r)
			}
			err = d.Err()
		}
	}()
	f()
	return d.Err()
}

// Err returns the problems recorded so far joined with errors.Join, or
// nil if there are none.
func (d *Decoder) Err() error { return errors.Join(d.errs...) }

// Failed reports whether a problem has been recorded.
func (d *Decoder) Failed() bool { return len(d.errs) > 0 }

// Report records e (with File set to d.File).
func (d *Decoder) Report(e *Error) {
	e.File = d.File
	d.errs = append(d.errs, d.wrap(e))
	if len(d.errs) >= MaxErrors {
		panic(errStop)
	}
}

// Add records a problem at line and col.
func (d *Decoder) Add(line, col int, path, hint, format string, args ...any) {
	d.Report(&Error{Line: line, Column: col, Path: path, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// Errorf records a problem at node n (at line 1, column 1 if n is nil).
func (d *Decoder) Errorf(n *yaml.Node, path, hint, format string, args ...any) {
	line, col := 1, 1
	if n != nil {
		line, col = n.Line, n.Column
	}
	d.Add(line, col, path, hint, format, args...)
}

// Pos converts a byte offset in d.Data (clamped to its bounds) into a
// 1-based line and a 1-based column in characters.
func (d *Decoder) Pos(off int) (line, col int) {
	off = max(0, min(off, len(d.Data)))
	before := d.Data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, utf8.RuneCount(before) + 1
}

// JSONSyntaxError is the first syntax error of a JSON document.
type JSONSyntaxError struct {
	Offset int    // byte offset of the offending byte; len(data) if the input ended early
	EOF    bool   // whether the input ended early
	Msg    string // encoding/json's message without its "json: " prefix
}

// CheckJSON returns the first syntax error of data as one JSON value, or
// nil if it has none.
func CheckJSON(data []byte) *JSONSyntaxError {
	err := json.Unmarshal(data, new(json.RawMessage))
	if err == nil {
		return nil
	}
	e := &JSONSyntaxError{Offset: len(data), EOF: strings.Contains(err.Error(), "unexpected end")}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		e.Offset = int(se.Offset)
	}
	if !e.EOF {
		e.Offset-- // SyntaxError.Offset is just past the offending byte
	}
	e.Msg = strings.TrimPrefix(err.Error(), "json: ")
	return e
}

var (
	yamlLineRE      = regexp.MustCompile(`^line ([0-9]+): (.*)$`)
	unknownAnchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// YAMLLine splits a yaml.v3 error into the line it names (as yaml.v3
// gives it; ok false and line 0 if it names none) and its message without
// the "yaml: " and "line N: " prefixes.
func YAMLLine(err error) (line int, msg string, ok bool) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		return line, m[2], true
	}
	return 0, msg, false
}

// yamlScannerErrors are the problems yaml.v3's scanner reports; it gives
// their lines 1-based, but those of its parser 0-based.
var yamlScannerErrors = []string{
	"block sequence entries are not allowed in this context",
	"could not find expected",
	"did not find expected alphabetic or numeric character",
	"did not find expected comment or line break",
	"did not find expected digit or '.' character",
	"did not find expected hexdecimal number",
	"did not find expected version number",
	"did not find expected whitespace",
	"did not find the expected '>'",
	"exceeded max depth of",
	"found a tab character",
	"found an indentation indicator equal to 0",
	"found character that cannot start any token",
	"found extremely long version number",
	"found invalid Unicode character escape code",
	"found unexpected document indicator",
	"found unexpected end of stream",
	"found unexpected non-alphabetical character",
	"found unknown directive name",
	"found unknown escape character",
	"mapping keys are not allowed in this context",
	"mapping values are not allowed in this context",
}

// SyntaxError returns the problem to report for err, a yaml.v3 parse
// error of d.Data, without recording it. yaml.v3 reports only a line (for
// some errors that of the construct the problem is in, such as an
// unclosed list); the column is that of the first tab on the line, if any
// (the usual cause, with a hint), or of its first non-blank character. An
// alias to an unknown anchor is reported at the alias.
func (d *Decoder) SyntaxError(err error) *Error {
	line, msg, ok := YAMLLine(err)
	if !ok {
		line = 1
	} else if !slices.ContainsFunc(yamlScannerErrors, func(p string) bool { return strings.HasPrefix(msg, p) }) {
		line++
	}
	if m := unknownAnchorRE.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(d.Data, []byte("*"+m[1])); i >= 0 {
			l, c := d.Pos(i)
			return &Error{Line: l, Column: c, Msg: fmt.Sprintf("YAML alias *%s refers to no anchor", m[1]), Hint: "YAML anchors and aliases are not supported"}
		}
	}
	lines := bytes.Split(d.Data, []byte("\n"))
	if line < 1 || line > len(lines) {
		line = min(max(line, 1), len(lines))
	}
	text := string(bytes.TrimRight(lines[line-1], "\r"))
	col, hint := 1, ""
	if i := strings.IndexByte(text, '\t'); i >= 0 {
		col = utf8.RuneCountInString(text[:i]) + 1
		hint = "indent with spaces: YAML does not allow tabs for indentation"
	} else if t := strings.TrimLeft(text, " "); t != "" {
		col = utf8.RuneCountInString(text[:len(text)-len(t)]) + 1
	}
	if hint == "" && strings.HasPrefix(msg, "block sequence entries are not allowed") {
		hint = `a lone "-" starts a list item; quote it as a value: sign: "-"`
	}
	return &Error{Line: line, Column: col, Msg: "YAML syntax error: " + msg, Hint: hint}
}
