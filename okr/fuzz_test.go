package okr

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kpitree/kpitree/metric"
)

// FuzzLoad: Load never panics; every failure is a positioned
// *DecodeError; whatever loads saves and loads again to an equal set.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("kpiokr: \"1\"\nname: x\nobjectives:\n  - id: o1\n    title: Grow\n"))
	f.Add([]byte(`{"kpiokr": "1", "objectives": [{"id": "o", "title": "t", "key_results": [{"id": "k", "title": "x", "kind": "measured", "from": 1, "to": 2}]}]}`))
	f.Add([]byte("kpiokr: 1\nobjectives: [{id: a, title: b, parent: a}]\n"))
	for _, tt := range hostileFiles {
		f.Add([]byte(tt.doc))
	}
	f.Add(chainFile(30))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) && !strings.Contains(err.Error(), "read") {
				t.Fatalf("error is not a *DecodeError: %v", err)
			}
			return
		}
		for _, format := range []Format{YAML, JSON} {
			var buf bytes.Buffer
			if err := s.Save(&buf, format); err != nil {
				return // a value the format cannot hold is reported, not lost silently
			}
			s2, err := Load(&buf, "resaved")
			if err != nil {
				t.Fatalf("re-load of saved set failed: %v\n%s", err, buf.String())
			}
			if d := cmp.Diff(s, s2, cmpopts.EquateEmpty(), cmpopts.EquateComparable(metric.Period{})); d != "" {
				t.Fatalf("round trip changed the set (-first +second):\n%s", d)
			}
		}
	})
}
