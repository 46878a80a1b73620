package okr

import (
	"math"
	"testing"
	"time"
)

// TestTrendPerfectLine: check-ins exactly on a straight line have s = 0
// in exact arithmetic, so the probability is 1 when the line reaches the
// target and 0 when it does not; rounding noise in the fit (s ~ 1e-15)
// must not turn it into a coin toss.
func TestTrendPerfectLine(t *testing.T) {
	d0 := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		vals    [3]float64
		target  float64
		atLeast bool
		want    float64
	}{
		{[3]float64{10, 15, 20}, 25, true, 1},
		{[3]float64{0.1, 0.2, 0.3}, 0.4, true, 1},
		{[3]float64{1.1, 2.2, 3.3}, 4.4, true, 1},
		{[3]float64{1.1, 2.2, 3.3}, 4.5, true, 0},
		{[3]float64{100, 80, 60}, 40, false, 1},
		{[3]float64{0.3, 0.2, 0.1}, 0.0, false, 1},
		{[3]float64{0.3, 0.2, 0.1}, -0.1, false, 0},
	}
	for _, tt := range tests {
		pts := []Point{{d0, tt.vals[0]}, {d0.AddDate(0, 0, 7), tt.vals[1]}, {d0.AddDate(0, 0, 14), tt.vals[2]}}
		f, err := Trend(pts, d0.AddDate(0, 0, 21), tt.target, tt.atLeast)
		if err != nil {
			t.Fatal(err)
		}
		if f.Probability != tt.want {
			t.Errorf("%v target %g: probability %v (value %v, se %v), want %v", tt.vals, tt.target, f.Probability, f.Value, f.SE, tt.want)
		}
	}
}

// TestRollUpCycleOwnProgress: objectives on an alignment cycle count their
// own progress only (as documented), whatever their declaration order.
func TestRollUpCycleOwnProgress(t *testing.T) {
	mk := func(id, parent string, from, to, cur float64) Objective {
		return Objective{ID: id, Title: id, Parent: parent, KeyResults: []KeyResult{{ID: id + "_kr", From: from, To: to,
			CheckIns: []CheckIn{{Date: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), Value: cur}}}}}
	}
	cycle := mustP(t, "2026-Q3")
	for _, order := range [][2]int{{0, 1}, {1, 0}} {
		objs := []Objective{mk("a", "b", 0, 10, 2), mk("b", "a", 0, 10, 8)}
		s := &Set{Cycle: cycle, Objectives: []Objective{objs[order[0]], objs[order[1]]}}
		r, err := Evaluate(s, Options{AsOf: time.Date(2026, 8, 15, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range r.Objectives {
			if math.Abs(o.Rolled-o.Progress) > 1e-12 {
				t.Errorf("order %v: %s rolled %v, own progress %v", order, o.ID, o.Rolled, o.Progress)
			}
		}
	}
}
