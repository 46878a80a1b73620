package rollup_test

import (
	"math"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

// noPanic runs f and fails the test if it panics.
func noPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", name, r)
		}
	}()
	f()
}

func TestReviewScenarioEvaluateBadRangePanics(t *testing.T) {
	c := compile(t, 0, shop...)
	d := obs{"visitors": {"2026-01": 100}, "orders": {"2026-01": 5}, "aov": {"2026-01": 10}}.data(t)
	s := rollup.NewScenario("s", nil).Scale("conversion", 10, rollup.Span{})
	cases := []struct {
		name     string
		from, to metric.Period
	}{
		{"mixed grains", per(t, "2026-01"), per(t, "2026-Q1")},
		{"zero from", metric.Period{}, per(t, "2026-01")},
		{"zero to", per(t, "2026-01"), metric.Period{}},
	}
	for _, tc := range cases {
		noPanic(t, tc.name, func() {
			if _, err := s.Evaluate(c, d, tc.from, tc.to, rollup.Options{}); err == nil {
				t.Errorf("%s: no error", tc.name)
			}
		})
	}
}

func TestReviewWindowNonFiniteNotUsable(t *testing.T) {
	c := compile(t, 0, shop...)
	// visitors missing for the whole window: Zero fills them with 0, so the
	// windowed conversion is orders/0.
	d := obs{"orders": {"2026-01": 5, "2026-02": 6}, "aov": {"2026-01": 10, "2026-02": 10}}.data(t)
	r, _ := rollup.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-02"), rollup.Options{Policy: rollup.Zero})
	w, err := r.Window(per(t, "2026-01"), per(t, "2026-02"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"conversion", "revenue"} {
		if v, ok := w.Value(id); ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Errorf("Window %s = %v reported usable", id, v)
		}
	}
}
