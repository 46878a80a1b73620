package okr

import (
	"errors"
	"strings"
	"testing"
)

// hostileFiles are rejected with one positioned error each; they are
// fuzz seeds too.
var hostileFiles = []struct{ name, doc, want string }{
	{"empty version", "kpiokr: \"\"\n", `f:1:9: kpiokr: unsupported version "" (write kpiokr: "1")`},
	{"second document", "kpiokr: \"1\"\n---\nname: x\n", `f:2:1: more than one YAML document (an OKR file holds one OKR set)`},
	{"broken second document", "kpiokr: \"1\"\n---\nname: [\n", `f:4:1: YAML syntax error: did not find expected node content`},
	{"tag on a list", "kpiokr: \"1\"\nobjectives: !!str []\n", `f:2:13: objectives: explicit YAML tag !!str is not supported (remove the tag; only !!str on a single value is allowed)`},
	{"unknown alias", "kpiokr: \"1\"\nname: *x\n", `f:2:7: YAML alias *x refers to no anchor (YAML anchors and aliases are not supported)`},
	{"nul", "kpiokr: \"1\"\nname: a\x00\n", `f:2:8: character NUL (U+0000) is not allowed in YAML (remove it, or write it as an escape ("\x..") in a double-quoted string)`},
	{"invalid utf8", "kpiokr: \"1\"\nname: a\xfe\n", `f:2:8: invalid UTF-8 byte 0xfe (save the file as UTF-8)`},
	{"confidence just above 1", "kpiokr: \"1\"\nobjectives:\n  - {id: o, title: t, key_results: [{id: k, title: x, to: 1, check_ins: [{date: 2026-07-01, value: 1, confidence: 1.0000000000000001}]}]}\n",
		`f:3:115: objectives[0].key_results[0].check_ins[0].confidence: 1.0000000000000001 out of range 0..1`},
	{"YAML 1.1 number", "kpiokr: \"1\"\nobjectives:\n  - {id: o, title: t, weight: 1_0}\n",
		`f:3:31: objectives[0].weight: "1_0" is not a number in YAML 1.2 (write it as a decimal number (octal as 0o17, hexadecimal as 0x1F))`},
}

func TestHostileFiles(t *testing.T) {
	for _, tt := range hostileFiles {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.doc), "f")
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

// TestNumbersAsWritten checks that the OKR loader reads numbers and
// periods as the model loader does: 010 is ten in YAML and JSON alike.
func TestNumbersAsWritten(t *testing.T) {
	for _, doc := range []string{
		"kpiokr: \"1\"\ncycle: 0010\nobjectives:\n  - {id: o, title: t, weight: 010}\n",
		`{"kpiokr": "1", "cycle": "0010", "objectives": [{"id": "o", "title": "t", "weight": 10}]}`,
		"\ufeff{\"kpiokr\": \"1\", \"cycle\": 10, \"objectives\": [{\"id\": \"o\", \"title\": \"t\\/x\", \"weight\": 10.0}]}",
	} {
		s, err := Load(strings.NewReader(doc), "f")
		if err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		if s.Objectives[0].Weight != 10 || s.Cycle.String() != "0010" {
			t.Errorf("weight %v, cycle %v\n%s", s.Objectives[0].Weight, s.Cycle, doc)
		}
	}
}
