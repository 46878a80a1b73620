package check_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

var jan2000 = mustPeriod("2000-01")

func mustPeriod(s string) metric.Period {
	p, err := metric.Parse(s)
	if err != nil {
		panic(err)
	}
	return p
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// compile compiles m or fails the test.
func compile(t testing.TB, m *tree.Model) *tree.Compiled {
	t.Helper()
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// evaluate evaluates c over the monthly periods from jan2000 on, with one
// series per input id (all the same length).
func evaluate(t testing.TB, c *tree.Compiled, series map[string][]float64) *rollup.Result {
	t.Helper()
	d := rollup.Data{}
	n := 0
	for id, xs := range series {
		n = max(n, len(xs))
		for k, v := range xs {
			if math.IsNaN(v) {
				continue
			}
			if err := d.Set(id, jan2000.Add(k), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, err := rollup.Evaluate(c, d, jan2000, jan2000.Add(n-1), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// kpi returns a fully described input KPI (owner, source, frequency,
// target) so that it triggers no metadata rule.
func kpi(id string, kind metric.Kind) metric.Metric {
	return metric.Metric{ID: id, Kind: kind, Owner: "team", Source: "warehouse", Frequency: metric.Month,
		Targets: []metric.Target{{Period: mustPeriod("2030"), Value: 1}}}
}

func closeRel(a, b, tol float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= tol*max(math.Abs(a), math.Abs(b))
}

func evidence(t *testing.T, f check.Finding, name string) float64 {
	t.Helper()
	v, ok := f.Get(name)
	if !ok {
		t.Fatalf("%s: no evidence %q in %v", f.Rule, name, f.Evidence)
	}
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	t.Fatalf("%s: evidence %q is %T, not a number", f.Rule, name, v)
	return 0
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

var nanValue = math.NaN()
