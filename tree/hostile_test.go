package tree

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
)

// hostileDocs are files each rejected with one positioned error; they
// are fuzz seeds too.
var hostileDocs = []struct{ name, doc, want string }{
	{"too deep", "kpitree: \"1\"\nmetrics: " + strings.Repeat("[", 70) + strings.Repeat("]", 70) + "\n",
		"m.yaml:2:73: metrics" + strings.Repeat("[0]", 63) + ": nested deeper than 64 levels (flatten the structure)"},
	{"too deep json", `{"kpitree": "1", "metrics": ` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + "}",
		"m.yaml:1:92: nested deeper than 64 levels (flatten the structure)"},
	{"id too long", "kpitree: \"1\"\nmetrics:\n  - id: " + strings.Repeat("a", 300) + "\n",
		`m.yaml:3:9: metrics[0].id: metric id "` + strings.Repeat("a", 37) + `..." is 300 bytes long, more than 256 (use a shorter id)`},
	{"octal 1.1 form", "kpitree: \"1\"\nmetrics:\n  - id: a\n    initial: 0b11\n",
		`m.yaml:4:14: metrics[0].initial: "0b11" is not a number in YAML 1.2 (write it as a decimal number (octal as 0o17, hexadecimal as 0x1F))`},
	{"underscore number", "kpitree: \"1\"\nmetrics:\n  - id: a\n    initial: 1_000\n",
		`m.yaml:4:14: metrics[0].initial: "1_000" is not a number in YAML 1.2 (write it as a decimal number (octal as 0o17, hexadecimal as 0x1F))`},
	{"confidence just above 1", "kpitree: \"1\"\nlinks: [{from: a, to: b, confidence: 1.0000000000000001}]\n",
		`m.yaml:2:38: links[0].confidence: confidence 1.0000000000000001 out of range 0..1`},
	{"lag not exactly integral", "kpitree: \"1\"\nlinks: [{from: a, to: b, lag: 2.0000000000000001}]\n",
		`m.yaml:2:31: links[0].lag: expected an integer, found a number (2.0000000000000001)`},
	{"tag on a list", "kpitree: \"1\"\nmetrics: !!str [a]\n",
		`m.yaml:2:10: metrics: explicit YAML tag !!str is not supported (remove the tag; only !!str on a single value is allowed)`},
	{"tag on a map", "kpitree: \"1\"\nlinks: [!!map {from: a, to: b}]\n",
		`m.yaml:2:9: links[0]: explicit YAML tag !!map is not supported (remove the tag; only !!str on a single value is allowed)`},
	{"custom tag", "kpitree: \"1\"\nname: !x y\n",
		`m.yaml:2:7: name: explicit YAML tag !x is not supported (remove the tag; only !!str on a single value is allowed)`},
	{"invalid utf8", "kpitree: \"1\"\nname: ab\xffc\n",
		`m.yaml:2:9: invalid UTF-8 byte 0xff (save the file as UTF-8)`},
	{"nul", "kpitree: \"1\"\nname: ab\x00c\n",
		`m.yaml:2:9: character NUL (U+0000) is not allowed in YAML (remove it, or write it as an escape ("\x..") in a double-quoted string)`},
	{"invalid utf8 json", "{\"kpitree\": \"1\",\n \"name\": \"a\xc3\"}",
		`m.yaml:2:12: invalid UTF-8 byte 0xc3 (save the file as UTF-8)`},
	{"json lone surrogate", "{\"kpitree\": \"1\",\n \"name\": \"a\\ud83d\"}",
		`m.yaml:2:12: JSON string holds an unpaired surrogate escape (escape a character outside the BMP as a pair, such as \ud83d\ude00)`},
	{"bom then trailing comma", "\ufeff{\"kpitree\": \"1\",}",
		`m.yaml:1:18: JSON syntax error: invalid character '}' looking for beginning of object key string`},
	{"bom then comment", "\ufeff{\"kpitree\": \"1\"} # x",
		`m.yaml:1:19: JSON syntax error: invalid character '#' after top-level value`},
	{"json after value", `{"kpitree": "1"} {}`,
		`m.yaml:1:18: JSON syntax error: invalid character '{' after top-level value`},
	{"unknown alias", "kpitree: \"1\"\nname: x\ndescription: *nope\n",
		`m.yaml:3:14: YAML alias *nope refers to no anchor (YAML anchors and aliases are not supported)`},
	{"broken second document", "kpitree: \"1\"\n---\nname: [\n",
		`m.yaml:4:1: YAML syntax error: did not find expected node content`},
	{"second document", "kpitree: \"1\"\n---\nname: x\n",
		`m.yaml:2:1: more than one YAML document (a model file holds one model)`},
}

func TestHostileDocs(t *testing.T) {
	for _, tt := range hostileDocs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.doc), "m.yaml")
			if err == nil {
				t.Fatal("loaded")
			}
			if !errors.Is(err, ErrDecode) {
				t.Fatalf("not ErrDecode: %v", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestReadAsWritten checks files that are valid and must read exactly as
// written, in YAML and JSON alike.
func TestReadAsWritten(t *testing.T) {
	tests := []struct {
		name, doc string
		check     func(*Model) string
	}{
		{"leading zeros are decimal", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 0010, value: 010}]\n", func(m *Model) string {
			tg := m.Metrics[0].Targets[0]
			if tg.Value != 10 || tg.Period.String() != "0010" {
				return "got " + tg.Period.String()
			}
			return ""
		}},
		{"0o is octal, 0x hexadecimal", "kpitree: \"1\"\nmetrics:\n  - id: a\n    initial: 0o10\n  - id: b\n    initial: 0x1F\n", func(m *Model) string {
			if *m.Metrics[0].Initial != 8 || *m.Metrics[1].Initial != 31 {
				return "wrong values"
			}
			return ""
		}},
		{"integer -0 keeps its sign", "kpitree: \"1\"\nmetrics:\n  - id: a\n    initial: -0\n", func(m *Model) string {
			if v := *m.Metrics[0].Initial; v != 0 || !math.Signbit(v) {
				return "lost the sign"
			}
			return ""
		}},
		{"json escapes", `{"kpitree": "1", "name": "a\/b \ud83d\ude00", "description": "x` + "\u007f\u0085\u0090" + `y"}`, func(m *Model) string {
			if m.Name != "a/b 😀" || m.Description != "x\u007f\u0085\u0090y" {
				return "got " + m.Name + " / " + m.Description
			}
			return ""
		}},
		{"json long key is an unknown key, not a syntax error", "", nil},
		{"json -0", `{"kpitree": "1", "metrics": [{"id": "a", "initial": -0}]}`, func(m *Model) string {
			if v := *m.Metrics[0].Initial; v != 0 || !math.Signbit(v) {
				return "lost the sign"
			}
			return ""
		}},
		{"json with a byte-order mark", "\ufeff{\"kpitree\": \"1\", \"name\": \"x\"}", func(m *Model) string {
			if m.Name != "x" {
				return "got " + m.Name
			}
			return ""
		}},
	}
	for _, tt := range tests {
		if tt.check == nil {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			m, err := Load(strings.NewReader(tt.doc), "m")
			if err != nil {
				t.Fatal(err)
			}
			if msg := tt.check(m); msg != "" {
				t.Error(msg)
			}
		})
	}
	long := strings.Repeat("k", 2000)
	_, err := Load(strings.NewReader(`{"kpitree": "1", "`+long+`": 1}`), "m.json")
	if err == nil || !strings.Contains(err.Error(), "1:18: unknown key") {
		t.Errorf("long JSON key: %v", err)
	}
}

// TestSaveRefuses checks that Save fails, in both formats, where Load
// could not read the output back.
func TestSaveRefuses(t *testing.T) {
	for _, f := range []Format{YAML, JSON} {
		m := &Model{Name: "bad \xff utf-8"}
		if err := m.Save(new(bytes.Buffer), f); err == nil {
			t.Errorf("%v: saved invalid UTF-8", f)
		}
	}
	p, _ := metric.Parse("9999")
	m := &Model{Metrics: []metric.Metric{{ID: "a", Targets: []metric.Target{{Period: p.Add(1), Value: 1}}}}}
	if err := m.Save(new(bytes.Buffer), YAML); err == nil {
		t.Error("saved year 10000")
	}
	if _, err := Compile(m); err == nil || !strings.Contains(err.Error(), "outside the years 1..9999") {
		t.Errorf("Compile: %v", err)
	}
	// -0 in max and confidence survives Save and Load
	negZero := math.Copysign(0, -1)
	m = &Model{Metrics: []metric.Metric{{ID: "a", Direction: metric.Band, Targets: []metric.Target{{Period: p, Value: negZero, Max: negZero}}}},
		Links: []Link{{From: "a", To: "a", Confidence: negZero}}}
	for _, f := range []Format{YAML, JSON} {
		var buf bytes.Buffer
		if err := m.Save(&buf, f); err != nil {
			t.Fatal(err)
		}
		back, err := Load(&buf, "m")
		if err != nil {
			t.Fatal(err)
		}
		if !math.Signbit(back.Metrics[0].Targets[0].Max) || !math.Signbit(back.Links[0].Confidence) {
			t.Errorf("%v: -0 lost", f)
		}
	}
}

// TestFormulaErrorColumns checks that an error on a later line of a
// multi-line formula points at the offending character in the file.
func TestFormulaErrorColumns(t *testing.T) {
	doc := "kpitree: \"1\"\nmetrics:\n  - id: a\n    formula: |\n      b +\n        nope\n  - id: b\n"
	m, err := Load(strings.NewReader(doc), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(m)
	var fe *FormulaError
	if !errors.As(err, &fe) {
		t.Fatalf("%v", err)
	}
	if fe.FileLine != 6 || fe.FileColumn != 9 {
		t.Errorf("at %d:%d, want 6:9 (%v)", fe.FileLine, fe.FileColumn, err)
	}
	doc = "kpitree: \"1\"\nmetrics:\n  - id: a\n    formula: b +\n      nope\n  - id: b\n"
	if m, err = Load(strings.NewReader(doc), "m.yaml"); err != nil {
		t.Fatal(err)
	}
	_, err = Compile(m)
	if !errors.As(err, &fe) || fe.FileLine != 5 || fe.FileColumn != 7 || fe.Line != 1 {
		t.Errorf("folded plain scalar: %v", err)
	}
}

// TestUnknownNamesBounded checks that a model of many unknown names
// reports the first errors with suggestions and stops there.
func TestUnknownNamesBounded(t *testing.T) {
	m, err := Load(bytes.NewReader(hostile[2].make(3000)), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(m)
	if err == nil {
		t.Fatal("compiled")
	}
	msg := err.Error()
	if !strings.Contains(msg, `unknown name "metrc_0" (did you mean "metric_0"?)`) || !strings.Contains(msg, "more errors") {
		t.Errorf("%.600s", msg)
	}
}
