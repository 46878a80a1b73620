package yamlfile

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// parse returns the root node of YAML text.
func parse(t *testing.T, text string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{Line: 1, Column: 2, Msg: "m"}, "1:2: m"},
		{Error{File: "f.yaml", Line: 12, Column: 7, Path: "metrics[3]", Msg: `unknown key "unti"`, Hint: `did you mean "unit"?`},
			`f.yaml:12:7: metrics[3]: unknown key "unti" (did you mean "unit"?)`},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// wrapped is a format's error type: the same fields as Error.
type wrapped Error

func (w *wrapped) Error() string { return (*Error)(w).Error() }

func TestRunStopsAtMaxErrors(t *testing.T) {
	d := NewDecoder("f", nil, false, func(e *Error) error { return (*wrapped)(e) })
	calls := 0
	err := d.Run(func() {
		for i := range 100 {
			calls++
			d.Add(i+1, 1, "", "", "problem %d", i)
		}
	})
	if calls != MaxErrors {
		t.Errorf("%d problems recorded before stopping, want %d", calls, MaxErrors)
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) || len(joined.Unwrap()) != MaxErrors {
		t.Fatalf("error %v is not %d joined errors", err, MaxErrors)
	}
	var w *wrapped
	if !errors.As(err, &w) || w.File != "f" || w.Msg != "problem 0" {
		t.Errorf("first error %+v, want the wrapped problem 0 of file f", w)
	}
	if err := NewDecoder("", nil, false, nil).Run(func() {}); err != nil {
		t.Errorf("no problems: got %v", err)
	}
}

func TestPos(t *testing.T) {
	d := NewDecoder("", []byte("ab\nçd\n"), false, nil)
	tests := []struct{ off, line, col int }{{-5, 1, 1}, {0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {5, 2, 2}, {6, 2, 3}, {7, 3, 1}, {99, 3, 1}}
	for _, tt := range tests {
		if l, c := d.Pos(tt.off); l != tt.line || c != tt.col {
			t.Errorf("Pos(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	tests := []struct {
		in      string
		ok, eof bool
		off     int
		msg     string
	}{
		{in: `{"a": 1}`, ok: true},
		{in: `{"a" 1}`, off: 5, msg: "invalid character '1' after object key"},
		{in: "{\"a\": 1,\n", off: 9, eof: true, msg: "unexpected end of JSON input"},
	}
	for _, tt := range tests {
		e := CheckJSON([]byte(tt.in))
		if tt.ok {
			if e != nil {
				t.Errorf("%q: %+v", tt.in, e)
			}
			continue
		}
		if e == nil || e.Offset != tt.off || e.EOF != tt.eof || e.Msg != tt.msg {
			t.Errorf("%q: got %+v, want offset %d eof %v %q", tt.in, e, tt.off, tt.eof, tt.msg)
		}
	}
}

func TestSyntaxError(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a: 1\nb:\n\t- x\n", `3:1: YAML syntax error: found character that cannot start any token (indent with spaces: YAML does not allow tabs for indentation)`},
		{"a: [1, 2\nb: 3\n", `2:1: YAML syntax error: did not find expected ',' or ']'`},
		{"a: *x\n", `1:4: YAML alias *x refers to no anchor (YAML anchors and aliases are not supported)`},
	}
	for _, tt := range tests {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(tt.in), &n)
		if err == nil {
			t.Fatalf("%q parses", tt.in)
		}
		d := NewDecoder("", []byte(tt.in), false, nil)
		if got := d.SyntaxError(err).Error(); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
	if line, msg, ok := YAMLLine(errors.New("yaml: line 4: boom")); line != 4 || msg != "boom" || !ok {
		t.Errorf("YAMLLine = %d %q %v", line, msg, ok)
	}
}

func TestWalkPaths(t *testing.T) {
	root := parse(t, "a: {b: [x, &y {z: 1}]}\n\"c d\": *y\n")
	var got []string
	Walk(root, "", func(n *yaml.Node, path string) bool {
		if n.Kind == yaml.ScalarNode || n.Kind == yaml.AliasNode {
			got = append(got, path+"="+n.Value)
		}
		return n.Anchor == ""
	})
	want := "a=a a.b=b a.b[0]=x [\"c d\"]=c d [\"c d\"]=y"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("got %q, want %q", s, want)
	}
	if p := Key(Index(Key("", "x"), 2), "y-z"); p != `x[2]["y-z"]` {
		t.Errorf("path %s", p)
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"unit", "name", "kind"}
	tests := []struct {
		s       string
		maxDist int
		want    string
	}{
		{"unti", 2, `did you mean "unit"?`},
		{"UNIT", 2, `did you mean "unit"?`},
		{"unit", 2, ""},
		{"nxmx", 1, ""},
		{"zzzzzz", 2, ""},
		{"kin", MaxTypo("kin"), `did you mean "kind"?`},
	}
	for _, tt := range tests {
		if got := Suggest(tt.s, names, tt.maxDist); got != tt.want {
			t.Errorf("Suggest(%q, %d) = %q, want %q", tt.s, tt.maxDist, got, tt.want)
		}
	}
}

func TestReaders(t *testing.T) {
	text := "a: 1\nb: x\nb: y\nc: .nan\nd: 2.5\ne: [1]\nf: hihger\nunti: 3\ng: 1e999\n"
	tests := []struct {
		name string
		read func(d *Decoder, obj map[string]*yaml.Node)
		want string
	}{
		{"string", func(d *Decoder, o map[string]*yaml.Node) { d.Str(o["a"], "a") }, "1:4: a: expected a string, found an integer (1) (quote it to make it a string)"},
		{"nan", func(d *Decoder, o map[string]*yaml.Node) { d.Number(o["c"], "c") }, "4:4: c: expected a finite number, found .nan"},
		{"range", func(d *Decoder, o map[string]*yaml.Node) { d.Number(o["g"], "g") }, "9:4: g: number 1e999 out of range"},
		{"integer", func(d *Decoder, o map[string]*yaml.Node) { d.Integer(o["d"], "d", 0, 9) }, "5:4: d: expected an integer, found a number (2.5)"},
		{"bounds", func(d *Decoder, o map[string]*yaml.Node) { d.Integer(o["a"], "a", 2, 9) }, "1:4: a: 1 out of range 2..9"},
		{"enum", func(d *Decoder, o map[string]*yaml.Node) { d.Enum(o["b"], "b", "letter", []string{"a", "x"}) }, ""},
		{"enum typo", func(d *Decoder, o map[string]*yaml.Node) {
			d.Enum(o["f"], "f", "direction", []string{"higher", "lower"})
		}, `7:4: f: invalid direction "hihger": want higher or lower (did you mean "higher"?)`},
		{"list", func(d *Decoder, o map[string]*yaml.Node) { d.StrList(o["e"], "e") }, "6:5: e[0]: expected a string, found an integer (1) (quote it to make it a string)"},
		{"seq", func(d *Decoder, o map[string]*yaml.Node) { d.Seq(o["a"], "a") }, "1:4: a: expected a list, found an integer (1)"},
		{"require", func(d *Decoder, o map[string]*yaml.Node) { d.Require(o, o["e"], "", "z") }, `6:4: missing required key "z"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDecoder("", []byte(text), false, nil)
			var obj map[string]*yaml.Node
			err := d.Run(func() {
				obj, _ = d.Object(parse(t, text), "", []string{"a", "b", "c", "d", "e", "f", "g", "unit"})
			})
			wantObj := "3:1: duplicate key \"b\" (first at line 2)\n8:1: unknown key \"unti\" (did you mean \"unit\"?)"
			if err == nil || err.Error() != wantObj {
				t.Fatalf("Object: %v, want %s", err, wantObj)
			}
			d = NewDecoder("", []byte(text), false, nil)
			err = d.Run(func() { tt.read(d, obj) })
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNumberNodeRoundTrip(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "-0.0"}, {42, "42"}, {320000000.5, "320000000.5"},
		{1e15, "1e+15"}, {1e-7, "1e-07"}, {0.1, "0.1"}, {-2.5e300, "-2.5e+300"},
	}
	for _, tt := range tests {
		n, err := NumberNode("x", tt.v)
		if err != nil || n.Value != tt.want {
			t.Errorf("NumberNode(%g) = %v %v, want %s", tt.v, n, err, tt.want)
			continue
		}
		var back float64
		if err := n.Decode(&back); err != nil || back != tt.v || math.Signbit(back) != math.Signbit(tt.v) {
			t.Errorf("%s reads back as %v (%v)", n.Value, back, err)
		}
	}
	if _, err := NumberNode("x", math.NaN()); err == nil || !strings.Contains(err.Error(), "x: NaN is not a finite number") {
		t.Errorf("NaN: %v", err)
	}
}

func TestWriters(t *testing.T) {
	m := NewMap(false)
	m.Add("a", IntNode(1))
	m.Str("empty", "")
	m.Str("s", "<x>")
	m.Add("l", StrSeq([]string{"p", "q"}))
	m.Add("e", Seq(nil))
	m.Add("o", NewMap(true).Node)
	tests := []struct {
		style JSONStyle
		want  string
	}{
		{JSONStyle{}, "{\n  \"a\": 1,\n  \"s\": \"<x>\",\n  \"l\": [\n    \"p\",\n    \"q\"\n  ],\n  \"e\": [],\n  \"o\": {}\n}\n"},
		{JSONStyle{EscapeHTML: true, OpenEmpty: true}, "{\n  \"a\": 1,\n  \"s\": \"\\u003cx\\u003e\",\n  \"l\": [\n    \"p\",\n    \"q\"\n  ],\n  \"e\": [\n  ],\n  \"o\": {\n  }\n}\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := WriteJSON(&b, m.Node, tt.style); err != nil {
			t.Fatal(err)
		}
		if b.String() != tt.want {
			t.Errorf("%+v:\n got %s\nwant %s", tt.style, strconv.Quote(b.String()), strconv.Quote(tt.want))
		}
	}
	var b bytes.Buffer
	if err := WriteYAML(&b, m.Node); err != nil {
		t.Fatal(err)
	}
	if want := "a: 1\ns: <x>\nl: [p, q]\ne: []\no: {}\n"; b.String() != want {
		t.Errorf("YAML:\n got %q\nwant %q", b.String(), want)
	}
}
