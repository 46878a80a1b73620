package check_test

import (
	"testing"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// TestLagZeroWithConstantLaggedOverlap: a cause that moves only in the
// last periods has a constant overlap at the larger lags; that must not
// stop the lag-0 test, which has every pair and both series varying.
func TestLagZeroWithConstantLaggedOverlap(t *testing.T) {
	m := &tree.Model{Name: "launch", Metrics: []metric.Metric{kpi("rev", metric.KGI), kpi("camp", metric.KSF)},
		Links: []tree.Link{{From: "camp", To: "rev", Sign: tree.SignPositive, Lag: 0}}}
	c := compile(t, m)
	const n = 30
	camp, rev := make([]float64, n), make([]float64, n)
	for i := range n {
		rev[i] = 100 + float64((i*7)%5)
	}
	camp[n-2], camp[n-1] = 2, 1
	rev[n-2] += 80
	rev[n-1] += 50
	r := evaluate(t, c, map[string][]float64{"camp": camp, "rev": rev})
	reps, _, err := check.Causal(c, r, check.Options{Transform: check.Transform{Kind: check.TransformNone}})
	if err != nil {
		t.Fatal(err)
	}
	rep := reps[0]
	if rep.Verdict == check.NotEnoughData || rep.Test != "correlation" {
		t.Fatalf("verdict %v, test %q: %s", rep.Verdict, rep.Test, rep.Reason)
	}
	if rep.Verdict != check.Supported || !(rep.Pearson > 0.9) {
		t.Errorf("verdict %v, r %v, want supported with a strong positive r", rep.Verdict, rep.Pearson)
	}
}
