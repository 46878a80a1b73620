package rollup_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

func TestAttainment(t *testing.T) {
	nan := math.NaN()
	tgt := func(v float64) metric.Target { return metric.Target{Value: v} }
	withBase := func(v, b float64) metric.Target { return metric.Target{Value: v, Baseline: ptr(b)} }
	band := metric.Target{Value: 40, Max: 60}
	tests := []struct {
		name   string
		d      metric.Direction
		t      metric.Target
		actual float64
		want   float64
		undef  string // substring of the ErrUndefined message, "" for no error
	}{
		{"higher below", metric.HigherIsBetter, tgt(100), 80, 0.8, ""},
		{"higher above", metric.HigherIsBetter, tgt(100), 120, 1.2, ""},
		{"higher exact", metric.HigherIsBetter, tgt(100), 100, 1, ""},
		{"higher negative target: a smaller loss beats it", metric.HigherIsBetter, tgt(-100), -50, 1.5, ""},
		{"higher negative target: a bigger loss misses it", metric.HigherIsBetter, tgt(-100), -150, 0.5, ""},
		{"higher baseline", metric.HigherIsBetter, withBase(100, 50), 80, 0.6, ""},         // (80-50)/(100-50)
		{"higher baseline behind", metric.HigherIsBetter, withBase(100, 50), 40, -0.2, ""}, // not clamped
		{"higher zero target", metric.HigherIsBetter, tgt(0), 5, nan, "target is 0"},
		{"higher zero target with baseline", metric.HigherIsBetter, withBase(0, 10), 5, 0.5, ""}, // (5-10)/(0-10)
		{"higher baseline equals target", metric.HigherIsBetter, withBase(10, 10), 12, nan, "baseline equals the target"},
		{"higher NaN actual", metric.HigherIsBetter, tgt(100), nan, nan, ""},

		{"lower under", metric.LowerIsBetter, tgt(5), 4, 1.2, ""},               // 1 + (5-4)/5
		{"lower over", metric.LowerIsBetter, tgt(5), 6, 0.8, ""},                // 1 + (5-6)/5
		{"lower negative target", metric.LowerIsBetter, tgt(-10), -12, 1.2, ""}, // 1 + (-10+12)/10
		{"lower baseline", metric.LowerIsBetter, withBase(5, 10), 8, 0.4, ""},   // (10-8)/(10-5)
		{"lower zero target", metric.LowerIsBetter, tgt(0), 1, nan, "target is 0"},
		{"lower baseline equals target", metric.LowerIsBetter, withBase(5, 5), 4, nan, "baseline equals the target"},
		{"lower NaN actual", metric.LowerIsBetter, tgt(5), nan, nan, ""},

		{"ceiling under", metric.Ceiling, tgt(0.05), 0.03, 1, ""},
		{"ceiling over", metric.Ceiling, tgt(0.05), 0.06, 0.8, ""}, // 1 - 0.01/0.05
		{"ceiling ignores a baseline", metric.Ceiling, withBase(0.05, 0.05), 0.06, 0.8, ""},
		{"ceiling zero target met", metric.Ceiling, tgt(0), 0, 1, ""},
		{"ceiling zero target exceeded", metric.Ceiling, tgt(0), 1, nan, "target is 0"},
		{"ceiling NaN actual", metric.Ceiling, tgt(0.05), nan, nan, ""},

		{"floor above", metric.Floor, tgt(0.99), 1, 1, ""},
		{"floor below", metric.Floor, tgt(0.8), 0.6, 0.75, ""},
		{"floor negative target", metric.Floor, tgt(-100), -150, 0.5, ""},
		{"floor zero target broken", metric.Floor, tgt(0), -1, nan, "target is 0"},
		{"floor NaN actual", metric.Floor, tgt(0.99), nan, nan, ""},

		{"band inside", metric.Band, band, 50, 1, ""},
		{"band edges", metric.Band, band, 60, 1, ""},
		{"band below", metric.Band, band, 30, 0.75, ""}, // 30/40
		{"band above", metric.Band, band, 75, 0.75, ""}, // 1 - 15/60
		{"band zero max", metric.Band, metric.Target{Value: -1, Max: 0}, 1, nan, "target is 0"},
		{"band NaN actual", metric.Band, band, nan, nan, ""},

		{"unknown direction", metric.Direction(9), tgt(1), 1, nan, "unknown direction"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := rollup.Attainment(tc.d, tc.t, tc.actual)
			if tc.undef != "" {
				if !errors.Is(err, rollup.ErrUndefined) || !strings.Contains(err.Error(), tc.undef) {
					t.Fatalf("err = %v, want ErrUndefined with %q", err, tc.undef)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !sameFloat(got, tc.want) {
				t.Errorf("Attainment = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAttainmentErrorText(t *testing.T) {
	_, err := rollup.Attainment(metric.HigherIsBetter, metric.Target{Value: 10, Baseline: ptr(10)}, 11)
	if want := "rollup: attainment undefined: baseline equals the target (10): no progress to measure"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	_, err = rollup.Attainment(metric.HigherIsBetter, metric.Target{}, 11)
	if want := "rollup: attainment undefined: target is 0, so attainment as a ratio has no meaning (give a baseline)"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

func TestMet(t *testing.T) {
	// f keeps sums out of exact constant arithmetic.
	f := func(x float64) float64 { return x }
	band := metric.Target{Value: 40, Max: 60}
	tests := []struct {
		d      metric.Direction
		t      metric.Target
		actual float64
		want   bool
	}{
		{metric.HigherIsBetter, metric.Target{Value: 100}, 100, true},
		{metric.HigherIsBetter, metric.Target{Value: 100}, 99.9, false},
		{metric.HigherIsBetter, metric.Target{Value: 100}, math.NaN(), false},
		{metric.LowerIsBetter, metric.Target{Value: 5}, 5, true},
		{metric.LowerIsBetter, metric.Target{Value: 5}, 5.1, false},
		{metric.LowerIsBetter, metric.Target{Value: 5}, math.NaN(), false},
		{metric.Ceiling, metric.Target{Value: 0.05}, 0.01, true},
		{metric.Ceiling, metric.Target{Value: 0.05}, 0.06, false},
		{metric.Floor, metric.Target{Value: 0.99}, 0.99, true},
		{metric.Floor, metric.Target{Value: 0.99}, 0.98, false},
		{metric.Band, band, 40, true},
		{metric.Band, band, 60, true},
		{metric.Band, band, 39, false},
		{metric.Band, band, 61, false},
		{metric.Band, band, math.NaN(), false},
		// round-off of an aggregation does not miss a target
		{metric.Ceiling, metric.Target{Value: 0.05}, (f(0.04) + f(0.06) + f(0.05)) / 3, true},
		{metric.HigherIsBetter, metric.Target{Value: 0.3}, f(0.7) - f(0.4), true}, // 0.29999999999999993
		{metric.LowerIsBetter, metric.Target{Value: 0.3}, f(0.1) + f(0.2), true},
		{metric.Band, metric.Target{Value: 0.1, Max: 0.3}, f(0.1) + f(0.2), true},
		{metric.Ceiling, metric.Target{Value: 0.05}, 0.0500001, false},
		{metric.Ceiling, metric.Target{Value: 0}, 1e-300, false},
	}
	for _, tc := range tests {
		if got := rollup.Met(tc.d, tc.t, tc.actual); got != tc.want {
			t.Errorf("Met(%v, %+v, %v) = %v, want %v", tc.d, tc.t, tc.actual, got, tc.want)
		}
	}
}
