package rollup_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

func addFileSeeds(f *testing.F, pattern string, docs []string) {
	files, _ := filepath.Glob(filepath.Join("testdata", "files", pattern))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, d := range docs {
		f.Add([]byte(d))
	}
}

// FuzzLoadScenarios: LoadScenarios never panics; every failure is a
// positioned *DecodeError; whatever loads saves and loads again to the
// same scenarios, in YAML and JSON.
func FuzzLoadScenarios(f *testing.F) {
	var docs []string
	for _, e := range scenarioErrors {
		docs = append(docs, e.doc)
	}
	addFileSeeds(f, "scenarios.*", docs)
	c := fileShop(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, model := range []*tree.Compiled{nil, c} {
			ss, err := rollup.LoadScenarios(bytes.NewReader(data), "fuzz.yaml", model)
			if err != nil {
				var de *rollup.DecodeError
				if !errors.As(err, &de) || de.Line < 1 || de.Column < 1 {
					t.Fatalf("error is not a positioned *DecodeError: %v", err)
				}
				continue
			}
			for _, format := range []tree.Format{tree.YAML, tree.JSON} {
				var buf bytes.Buffer
				if err := rollup.SaveScenarios(&buf, ss, format); err != nil {
					t.Fatalf("save of loaded scenarios failed: %v", err)
				}
				ss2, err := rollup.LoadScenarios(bytes.NewReader(buf.Bytes()), "resaved", model)
				if err != nil {
					t.Fatalf("re-load of saved scenarios failed: %v\n%s", err, buf.String())
				}
				byName := func(ss []*rollup.Scenario) map[string]scenarioView {
					m := map[string]scenarioView{}
					for _, v := range views(ss) {
						m[v.Name] = v
					}
					return m
				}
				if d := cmp.Diff(byName(ss), byName(ss2), cmpPeriods, cmpopts.EquateEmpty()); d != "" {
					t.Fatalf("round trip changed the scenarios (-first +second):\n%s\n%s", d, buf.String())
				}
			}
		}
	})
}

// FuzzLoadDistributions: LoadDistributions never panics; every failure is
// a positioned *DecodeError; whatever loads saves and loads again to the
// same distributions, in YAML and JSON.
func FuzzLoadDistributions(f *testing.F) {
	var docs []string
	for _, e := range distErrors {
		docs = append(docs, e.doc)
	}
	addFileSeeds(f, "distributions.*", docs)
	c := fileShop(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, model := range []*tree.Compiled{nil, c} {
			ds, err := rollup.LoadDistributions(bytes.NewReader(data), "fuzz.yaml", model)
			if err != nil {
				var de *rollup.DecodeError
				if !errors.As(err, &de) || de.Line < 1 || de.Column < 1 {
					t.Fatalf("error is not a positioned *DecodeError: %v", err)
				}
				continue
			}
			for _, format := range []tree.Format{tree.YAML, tree.JSON} {
				var buf bytes.Buffer
				if err := ds.Save(&buf, format); err != nil {
					t.Fatalf("save of loaded distributions failed: %v", err)
				}
				ds2, err := rollup.LoadDistributions(bytes.NewReader(buf.Bytes()), "resaved", model)
				if err != nil {
					t.Fatalf("re-load of saved distributions failed: %v\n%s", err, buf.String())
				}
				if d := cmp.Diff(distView(ds), distView(ds2), cmpopts.EquateNaNs()); d != "" {
					t.Fatalf("round trip changed the distributions (-first +second):\n%s", d)
				}
			}
		}
	})
}
