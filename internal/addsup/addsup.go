// Package addsup checks, for the examples' tests, that a model's flows
// add up over time: every derived metric that sums over time is declared
// additive, and each additive metric's value recomputed over a run of
// periods (as Rollup, Window and Track compute it) is the sum of its
// values in those periods.
package addsup

import (
	"math"
	"testing"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

// Check fails t where r's flows do not add up and returns the number of
// windows it compared (so that a caller can assert it checked something).
// It compares every run of three consecutive periods and the whole range,
// skipping windows where a value is not usable, and runs the
// rollup.not-additive check.
func Check(t testing.TB, r *rollup.Result) int {
	t.Helper()
	c := r.Compiled()
	periods := r.Periods()
	compared := 0
	for i := range c.Len() {
		m := c.Metric(i)
		if !m.Derived() {
			continue
		}
		if !m.Additive {
			if m.AggregationOrDefault() == metric.Sum {
				t.Errorf("%s is derived and sums over time, but is not declared additive", m.ID)
			}
			continue
		}
		windows := [][2]int{{0, len(periods) - 1}}
		for a := 0; a+2 < len(periods); a++ {
			windows = append(windows, [2]int{a, a + 2})
		}
		for _, w := range windows {
			sum, ok := 0.0, true
			for _, p := range periods[w[0] : w[1]+1] {
				v, vok := r.Value(m.ID, p)
				ok = ok && vok
				sum += v
			}
			if !ok {
				continue
			}
			s, err := r.Window(periods[w[0]], periods[w[1]])
			if err != nil {
				t.Fatal(err)
			}
			got, gok := s.Value(m.ID)
			if !gok {
				t.Errorf("%s over %s..%s: no value: %s", m.ID, periods[w[0]], periods[w[1]], s.Why(m.ID))
				continue
			}
			compared++
			if math.Abs(got-sum) > 1e-9*math.Abs(sum) {
				t.Errorf("%s over %s..%s is %v, the sum of its periods %v", m.ID, periods[w[0]], periods[w[1]], got, sum)
			}
		}
	}
	fs, err := check.Additivity(c, r, check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		t.Error(f)
	}
	return compared
}
