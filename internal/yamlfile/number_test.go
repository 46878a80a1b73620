package yamlfile

import (
	"math"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestParseNumber(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
		err  error
	}{
		{"010", 10, nil}, {"0010", 10, nil}, {"-0", math.Copysign(0, -1), nil}, {"+5", 5, nil},
		{"0o10", 8, nil}, {"0x1F", 31, nil}, {"1.5e3", 1500, nil}, {".5", 0.5, nil}, {"1.", 1, nil},
		{"1_000", 0, errNotNumber}, {"0b11", 0, errNotNumber}, {"-0x1", 0, errNotNumber}, {"0o8", 0, errNotNumber},
		{".inf", 0, errNonFinite}, {"-.Inf", 0, errNonFinite}, {".nan", 0, errNonFinite},
		{"1e999", 0, errRange}, {"0x" + strings.Repeat("F", 17), 0, errRange},
	} {
		got, err := ParseNumber(tt.in)
		if err != tt.err || err == nil && (got != tt.want || math.Signbit(got) != math.Signbit(tt.want)) {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestCompareExact(t *testing.T) {
	for _, tt := range []struct {
		in   string
		b    int64
		want int
	}{
		{"1.0000000000000001", 1, 1}, {"0.99999999999999999", 1, -1}, {"1.000", 1, 0}, {"1e0", 1, 0},
		{"-0", 0, 0}, {"-1e-999999999999", 0, -1}, {"1e-400", 0, 1}, {"10e-1", 1, 0}, {"0.1e1", 1, 0},
		{"9999.00000000000000001", 9999, 1}, {"123", 45, 1}, {"-123", -45, -1}, {"0x10", 16, 0}, {"0o7", 8, -1},
	} {
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: tt.in}
		if got := Compare(n, tt.b); got != tt.want {
			t.Errorf("Compare(%s, %d) = %d, want %d", tt.in, tt.b, got, tt.want)
		}
	}
	for in, want := range map[string]bool{"2.0": true, "2.0000000000000001": false, "2e3": true, "2.5e1": true, "25e-1": false, "1e400": true} {
		if got := exactInt(&yaml.Node{Value: in}, 0); got != want {
			t.Errorf("exactInt(%s) = %v", in, got)
		}
	}
}

// FuzzParseJSON checks that the JSON reader never panics, that it fails
// only with positioned errors, and that what it reads as a JSON
// document is one for encoding/json too.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, -0, 1.5e3, "x\/\ud83d\ude00"], "b": {"c": null, "d": true}}`, "\ufeff{}", `{"a": "\ud83d"}`,
		`{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}", "{} {}", "{\"a\": \"\x7f\u0085\"}", "{\"a\": \"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewDecoder("f", data, true, nil)
		var root *yaml.Node
		err := d.Run(func() { root = d.Parse(ParseOptions{}) })
		if err != nil {
			e, ok := err.(interface{ Unwrap() []error }).Unwrap()[0].(*Error)
			if !ok || e.Line < 1 || e.Column < 1 || root != nil {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		if root == nil {
			t.Fatal("no root and no error")
		}
		if CheckJSON(data[len(data)-len(strings.TrimPrefix(string(data), "\ufeff")):]) != nil {
			t.Fatal("read invalid JSON")
		}
	})
}
