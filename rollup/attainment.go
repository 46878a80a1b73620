package rollup

import (
	"errors"
	"fmt"
	"math"

	"github.com/kpitree/kpitree/metric"
)

// ErrUndefined is returned when attainment cannot be computed: a ratio
// against a zero target, or a baseline equal to the target.
var ErrUndefined = errors.New("rollup: attainment undefined")

// Attainment measures actual against target t for a metric of direction
// d. 1 means the target is met exactly; above 1 it is beaten (for
// HigherIsBetter and LowerIsBetter); the value is not clamped.
//
//   - HigherIsBetter: actual/T, or (actual−B)/(T−B) with a baseline B.
//     For a negative target, 1 + (actual−T)/|T| (the same as actual/T for
//     a positive one), so that a loss smaller than targeted scores above 1.
//   - LowerIsBetter: 1 + (T−actual)/|T| (each unit under the target counts
//     as much as one over it), or (B−actual)/(B−T) with a baseline.
//   - Ceiling: 1 while actual ≤ T, then 1 − (actual−T)/|T|: a limit, where
//     staying further under earns nothing.
//   - Floor: 1 while actual ≥ T, then as HigherIsBetter.
//   - Band [T, Max]: 1 inside, as HigherIsBetter below, 1 − (actual−Max)/|Max| above.
//
// A NaN actual gives NaN.
func Attainment(d metric.Direction, t metric.Target, actual float64) (float64, error) {
	T := t.Value
	if math.IsNaN(actual) {
		return math.NaN(), nil
	}
	if t.Baseline != nil && (d == metric.HigherIsBetter || d == metric.LowerIsBetter) {
		B := *t.Baseline
		if B == T {
			return math.NaN(), fmt.Errorf("%w: baseline equals the target (%g): no progress to measure", ErrUndefined, T)
		}
		return (actual - B) / (T - B), nil
	}
	ratio := func(num, den float64) (float64, error) {
		if den == 0 {
			return math.NaN(), fmt.Errorf("%w: target is 0, so attainment as a ratio has no meaning (give a baseline)", ErrUndefined)
		}
		return num / den, nil
	}
	higher := func() (float64, error) {
		if T < 0 {
			return 1 + (actual-T)/-T, nil
		}
		return ratio(actual, T)
	}
	switch d {
	case metric.HigherIsBetter:
		return higher()
	case metric.LowerIsBetter:
		r, err := ratio(T-actual, math.Abs(T))
		return 1 + r, err
	case metric.Ceiling:
		if actual <= T {
			return 1, nil
		}
		r, err := ratio(actual-T, math.Abs(T))
		return 1 - r, err
	case metric.Floor:
		if actual >= T {
			return 1, nil
		}
		return higher()
	case metric.Band:
		switch {
		case actual < T:
			return higher()
		case actual > t.Max:
			r, err := ratio(actual-t.Max, math.Abs(t.Max))
			return 1 - r, err
		}
		return 1, nil
	}
	return math.NaN(), fmt.Errorf("%w: unknown direction %v", ErrUndefined, d)
}

// Met reports whether actual meets target t under direction d. A value
// within a relative 1e-9 of the target counts as meeting it, so that the
// round-off of an aggregation (the mean of 0.04, 0.06 and 0.05 is
// 0.05000000000000001) does not turn a met target into a missed one.
func Met(d metric.Direction, t metric.Target, actual float64) bool {
	switch d {
	case metric.LowerIsBetter, metric.Ceiling:
		return actual <= t.Value || near(actual, t.Value)
	case metric.Band:
		return (actual >= t.Value || near(actual, t.Value)) && (actual <= t.Max || near(actual, t.Max))
	}
	return actual >= t.Value || near(actual, t.Value)
}

// near reports whether a and b agree to a relative 1e-9.
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}
