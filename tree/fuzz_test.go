package tree

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzLoad checks that Load never panics, that it fails only with
// *DecodeError values, and that whatever it loads is valid under the
// schema and survives Save and Load unchanged in both formats.
func FuzzLoad(f *testing.F) {
	examples, _ := filepath.Glob(filepath.Join("..", "examples", "*", "*.yaml"))
	for _, name := range append([]string{"testdata/full.yaml", "testdata/full.json"}, examples...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tt := range badDocs {
		f.Add([]byte(tt.doc))
	}
	for _, tt := range hostileDocs {
		f.Add([]byte(tt.doc))
	}
	for _, h := range hostile {
		f.Add(h.make(50))
	}
	f.Add([]byte("kpitree: \"1\"\nmetrics:\n  - id: a\n    formula: |\n      b +\n      c\n    initial: -0.0\n"))
	f.Add([]byte("{\"kpitree\": 1, \"name\": \"\\u00e9\"}"))
	sch := loadSchema(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(bytes.NewReader(data), "fuzz")
		if err != nil {
			if m != nil {
				t.Fatal("model returned with an error")
			}
			u, ok := err.(interface{ Unwrap() []error })
			if !ok {
				t.Fatalf("error %T is not joined", err)
			}
			errs := u.Unwrap()
			if len(errs) == 0 || len(errs) > maxDecodeErrors {
				t.Fatalf("%d errors", len(errs))
			}
			for _, e := range errs {
				var de *DecodeError
				if !errors.As(e, &de) || de.Line < 1 || de.Column < 1 {
					t.Fatalf("bad error %T %v", e, e)
				}
			}
			return
		}
		inst, err := instance(data)
		if err != nil {
			t.Fatalf("loaded, but not convertible for the schema: %v", err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Fatalf("loaded, but the schema rejects it: %v\n%s", err, data)
		}
		for _, f := range []Format{YAML, JSON} {
			var buf bytes.Buffer
			if err := m.Save(&buf, f); err != nil {
				t.Fatalf("Save(%v): %v", f, err)
			}
			back, err := Load(bytes.NewReader(buf.Bytes()), "saved")
			if err != nil {
				t.Fatalf("reload %v: %v\n%s", f, err, buf.Bytes())
			}
			if d := cmp.Diff(m, back, modelCmp...); d != "" {
				t.Fatalf("%v round trip (-loaded +reloaded):\n%s\n%s", f, d, buf.Bytes())
			}
		}
	})
}
