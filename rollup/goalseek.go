package rollup

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/kpitree/kpitree/internal/solve"
)

// SeekMethod is how GoalSeek solves for the input.
type SeekMethod uint8

const (
	// SeekAuto (the zero value) inverts the relation exactly when the
	// target is linear in the input or in its reciprocal (a sum, a product,
	// a ratio along the path) and otherwise uses Brent's method.
	SeekAuto SeekMethod = iota
	// SeekExact inverts the relation and fails if it is not linear in the
	// input or its reciprocal.
	SeekExact
	// SeekBrent always uses Brent's bracketed method (scipy's brentq step
	// for step, so its iteration counts match).
	SeekBrent
)

// String returns the name used in messages.
func (m SeekMethod) String() string {
	switch m {
	case SeekAuto:
		return "auto"
	case SeekExact:
		return "exact"
	case SeekBrent:
		return "brent"
	}
	return fmt.Sprintf("SeekMethod(%d)", m)
}

// SeekOptions configure GoalSeek. The zero value searches without bounds
// with SeekAuto and scipy's tolerances.
type SeekOptions struct {
	// Lo and Hi bound the input. Both zero means no bounds; ±Inf leaves
	// one side open. Brent's method on finite bounds starts from exactly
	// [Lo, Hi], as scipy.optimize.brentq does; without them it brackets
	// the root by stepping away from the current value.
	Lo, Hi float64
	Method SeekMethod
	// XTol, RTol and MaxIter are Brent's tolerances (zero: 2e-12, 4 eps,
	// 100).
	XTol, RTol float64
	MaxIter    int
	// Grid is the number of intervals scanned to explain a failure
	// (roots, turning points, the reachable range); zero means 200.
	Grid int
}

func (o SeekOptions) bounds() (lo, hi float64) {
	if o.Lo == 0 && o.Hi == 0 {
		return math.Inf(-1), math.Inf(1)
	}
	return o.Lo, o.Hi
}

// Seek is the result of GoalSeek.
type Seek struct {
	Target string
	Input  string
	Start  float64 // the input's value before the search
	Value  float64 // the input value found
	// Reached is the target's value with the input at Value.
	Reached float64
	// Method is SeekExact or SeekBrent: what found Value.
	Method SeekMethod
	// Iterations and Calls are Brent's iterations and function calls
	// (zero for an exact inversion).
	Iterations, Calls int
	// Evaluations counts every evaluation of the cone, detection and
	// bracketing included.
	Evaluations int
}

// UnreachableError reports that no input value within the bounds gives
// the target value. It matches ErrUnreachable.
type UnreachableError struct {
	Target string
	Value  float64 // the target value asked for
	Input  string
	Lo, Hi float64 // the input range searched
	// Min and Max are the smallest and largest target values seen over
	// the range: the values that are reachable (if the relation is
	// continuous).
	Min, Max float64
}

// Error describes the failure.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("rollup: %s cannot reach %g by changing %s within [%g, %g]: reachable values are %g to %g",
		e.Target, e.Value, e.Input, e.Lo, e.Hi, e.Min, e.Max)
}

// Is matches ErrUnreachable.
func (e *UnreachableError) Is(target error) bool { return target == ErrUnreachable }

// TurningPoint is a local maximum or minimum of the target as a function
// of the input.
type TurningPoint struct {
	Input  float64
	Target float64
	Max    bool
}

// NotMonotoneError reports that the bounds do not bracket a single
// solution because the target is not monotone in the input: it lists the
// solutions found and the turning points between them. Narrow the bounds
// to one side of a turning point to pick a solution. It matches
// ErrNotMonotone.
type NotMonotoneError struct {
	Target        string
	Value         float64
	Input         string
	Lo, Hi        float64
	Roots         []float64 // input values that reach Value, increasing
	TurningPoints []TurningPoint
}

// Error describes the failure.
func (e *NotMonotoneError) Error() string {
	s := fmt.Sprintf("rollup: %s is not monotone in %s on [%g, %g]: %s = %g at %s = %v",
		e.Target, e.Input, e.Lo, e.Hi, e.Target, e.Value, e.Input, e.Roots)
	for _, t := range e.TurningPoints {
		kind := "minimum"
		if t.Max {
			kind = "maximum"
		}
		s += fmt.Sprintf("; %s %g at %s = %g", kind, t.Target, e.Input, t.Input)
	}
	return s
}

// Is matches ErrNotMonotone.
func (e *NotMonotoneError) Is(target error) bool { return target == ErrNotMonotone }

// GoalSeek finds the value of input that makes target equal value, with
// every other value of the session held. Each trial recomputes only the
// cone between the input and the rest of the model. The session is left
// as it was.
//
// Errors: ErrUnknownMetric; ErrNoPath when target does not depend on
// input in the same period; *UnreachableError when no value within the
// bounds reaches the target (with the reachable range); *NotMonotoneError
// when the bounds hold several solutions or none can be bracketed between
// turning points; ErrNonFinite when an evaluation gives NaN or an
// infinity; ErrInvalidArgument for bad options.
func (s *Session) GoalSeek(target string, value float64, input string, opt SeekOptions) (Seek, error) {
	ti, err := s.index(target)
	if err != nil {
		return Seek{}, err
	}
	ii, err := s.index(input)
	if err != nil {
		return Seek{}, err
	}
	lo, hi := opt.bounds()
	if !finite(value) || math.IsNaN(lo) || math.IsNaN(hi) || lo >= hi || opt.Method > SeekBrent || opt.Grid < 0 {
		return Seek{}, fmt.Errorf("%w: goal seek %s = %v by %s within [%v, %v]", ErrInvalidArgument, target, value, input, lo, hi)
	}
	vals := s.e.Values()
	x0 := vals[ii]
	res := Seek{Target: target, Input: input, Start: x0}
	if ti == ii {
		if value < lo || value > hi {
			return res, &UnreachableError{Target: target, Value: value, Input: input, Lo: lo, Hi: hi, Min: lo, Max: hi}
		}
		res.Value, res.Reached, res.Method = value, value, SeekExact
		return res, nil
	}
	k := s.coneOf(ii)
	if !k.Contains(ti) {
		return res, fmt.Errorf("%w: %s does not depend on %s", ErrNoPath, target, input)
	}
	defer s.setTrial(s.coneOf(ii), ii, x0)
	var bad error
	f := func(x float64) float64 {
		res.Evaluations++
		s.setTrial(k, ii, x)
		y := vals[ti]
		if !finite(y) && bad == nil {
			bad = fmt.Errorf("%w: %s is %v with %s = %v", ErrNonFinite, target, y, input, x)
		}
		return y - value
	}
	err = seekScalar(f, &bad, &res, value, x0, lo, hi, opt)
	return res, err
}

// seekScalar solves f(x) = 0 for GoalSeek and Plan.GoalSeek, f being the
// target's value minus value: an exact inversion where the relation is
// linear in x or 1/x (unless opt says Brent), else Brent's method on
// [lo, hi] or on a bracket found by stepping away from x0; failures are
// explained (reachable range, roots and turning points, a cancelling
// path). *bad is the first non-finite evaluation f met. It fills res's
// Value, Reached, Method, Iterations and Calls.
func seekScalar(f func(float64) float64, bad *error, res *Seek, value, x0, lo, hi float64, opt SeekOptions) error {
	if opt.Method != SeekBrent {
		x, ok := invert(f, x0, lo, hi)
		if *bad != nil {
			return *bad
		}
		if ok {
			if x < lo || x > hi {
				return seekUnreachable(f, *res, value, lo, hi, opt)
			}
			res.Value, res.Method = x, SeekExact
			res.Reached = f(x) + value
			return nil
		}
		if opt.Method == SeekExact {
			return fmt.Errorf("%w: %s is not linear in %s or its reciprocal: use SeekAuto or SeekBrent", ErrInvalidArgument, res.Target, res.Input)
		}
	}
	bo := &solve.Options{XTol: opt.XTol, RTol: opt.RTol, MaxIter: opt.MaxIter}
	a, b := lo, hi
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		var found bool
		a, b, found = bracket(f, x0, lo, hi)
		if *bad != nil {
			return *bad
		}
		if !found {
			return seekUnreachable(f, *res, value, a, b, opt)
		}
		if a == b { // the current value already reaches the target
			res.Value, res.Method, res.Reached = a, SeekBrent, f(a)+value
			return nil
		}
	}
	r, err := solve.Brentq(f, a, b, bo)
	if *bad != nil {
		return *bad
	}
	if errors.Is(err, solve.ErrNotBracketed) {
		return seekExplain(f, *res, value, a, b, opt)
	}
	if err != nil {
		return fmt.Errorf("rollup: goal seek %s = %g by %s: %w", res.Target, value, res.Input, err)
	}
	res.Value, res.Method, res.Iterations, res.Calls = r.Root, SeekBrent, r.Iterations, r.FunctionCalls
	res.Reached = f(r.Root) + value
	return nil
}

// invert tries an exact inversion: if g(x) = f(x)+T is linear in x (or in
// 1/x) it returns the solution of f(x) = 0, refined by one secant step and
// checked.
func invert(f func(float64) float64, x0, lo, hi float64) (float64, bool) {
	h := math.Max(math.Abs(x0), 1) * 0.25
	if math.IsNaN(x0) || math.IsInf(x0, 0) {
		return 0, false
	}
	for _, recip := range []bool{false, true} {
		u := func(x float64) float64 { return x }
		if recip {
			if x0 == 0 {
				continue
			}
			u = func(x float64) float64 { return 1 / x }
			h = math.Abs(x0) * 0.25
		}
		xs := [3]float64{x0, x0 + h, x0 - h}
		var ys [3]float64
		for j, x := range xs {
			ys[j] = f(x)
			if !finite(ys[j]) {
				return 0, false
			}
		}
		m := (ys[1] - ys[0]) / (u(xs[1]) - u(xs[0]))
		m2 := (ys[0] - ys[2]) / (u(xs[0]) - u(xs[2]))
		scale := math.Max(math.Abs(ys[0]), math.Max(math.Abs(ys[1]), math.Abs(ys[2])))
		if m == 0 || !finite(m) || math.Abs(m-m2)*math.Abs(u(xs[1])-u(xs[2])) > 1e-10*math.Max(scale, 1e-300) {
			continue
		}
		t := u(xs[0]) - ys[0]/m
		x := t
		if recip {
			x = 1 / t
		}
		if !finite(x) {
			continue
		}
		// one secant refinement against rounding in the slope
		y := f(x)
		if !finite(y) {
			continue
		}
		if y != 0 {
			t2 := u(x) - y/m
			x2 := t2
			if recip {
				x2 = 1 / t2
			}
			if y2 := f(x2); finite(y2) && math.Abs(y2) < math.Abs(y) {
				x, y = x2, y2
			}
		}
		if math.Abs(y) <= 1e-9*math.Max(scale, 1) {
			return x, true
		}
	}
	return 0, false
}

// bracket steps away from x0 on both sides, doubling the step, until f
// changes sign; it returns the bracket, or the range searched.
func bracket(f func(float64) float64, x0, lo, hi float64) (a, b float64, ok bool) {
	if !finite(x0) {
		x0 = 0
	}
	x0 = math.Min(math.Max(x0, lo), hi)
	f0 := f(x0)
	if f0 == 0 {
		return x0, x0, true
	}
	step := math.Max(math.Abs(x0), 1) * 0.1
	a, b = x0, x0
	for range 64 {
		for _, dir := range []float64{1, -1} {
			x := x0 + dir*step
			x = math.Min(math.Max(x, lo), hi)
			if x == x0 {
				continue
			}
			a, b = math.Min(a, x), math.Max(b, x)
			if fx := f(x); math.Signbit(fx) != math.Signbit(f0) || fx == 0 {
				return math.Min(x0, x), math.Max(x0, x), true
			}
		}
		if a <= lo && b >= hi {
			break
		}
		step *= 2
	}
	return a, b, false
}

// seekExplain scans [a, b] to tell why Brent could not bracket a root.
func seekExplain(f func(float64) float64, res Seek, value, a, b float64, opt SeekOptions) error {
	if err := cancels(f, res, value); err != nil {
		return err
	}
	n := opt.Grid
	if n == 0 {
		n = 200
	}
	sr, err := solve.Scan(f, a, b, n, nil)
	if err != nil {
		return fmt.Errorf("%w: %s over %s in [%g, %g]: %v", ErrNonFinite, res.Target, res.Input, a, b, err)
	}
	if len(sr.Roots) == 0 {
		return &UnreachableError{Target: res.Target, Value: value, Input: res.Input, Lo: a, Hi: b, Min: sr.Min + value, Max: sr.Max + value}
	}
	e := &NotMonotoneError{Target: res.Target, Value: value, Input: res.Input, Lo: a, Hi: b, Roots: slices.Clone(sr.Roots)}
	for _, t := range sr.TurningPoints {
		e.TurningPoints = append(e.TurningPoints, TurningPoint{Input: t.X, Target: t.Y + value, Max: t.Max})
	}
	return e
}

// seekUnreachable reports the reachable range over [a, b] (infinite ends are
// reported as searched).
func seekUnreachable(f func(float64) float64, res Seek, value, a, b float64, opt SeekOptions) error {
	if err := cancels(f, res, value); err != nil {
		return err
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		ya, yb := math.NaN(), math.NaN()
		if !math.IsInf(a, 0) {
			ya = f(a) + value
		}
		if !math.IsInf(b, 0) {
			yb = f(b) + value
		}
		lo, hi := math.Inf(-1), math.Inf(1)
		// a linear relation: the finite end bounds the reachable side
		if finite(ya) {
			if ya < value {
				hi = ya
			} else {
				lo = ya
			}
		}
		if finite(yb) {
			if yb < value {
				hi = yb
			} else {
				lo = yb
			}
		}
		return &UnreachableError{Target: res.Target, Value: value, Input: res.Input, Lo: a, Hi: b, Min: lo, Max: hi}
	}
	return seekExplain(f, res, value, a, b, opt)
}

// cancels returns ErrNoPath when the target does not respond to the
// input at all, though its formulas use it.
func cancels(f func(float64) float64, res Seek, value float64) error {
	if y, ok := flat(f, res.Start); ok {
		return fmt.Errorf("%w: %s stays at %g whatever %s is: its formulas use %s, but the effect cancels out (hold a metric in between fixed, with Set on a derived metric, to make it respond)",
			ErrNoPath, res.Target, y+value, res.Input, res.Input)
	}
	return nil
}

// flat reports whether f takes the same value at x0 and at points on
// both sides of it, far and near: a target that uses an input only in a
// way that cancels (x * (y / x)).
func flat(f func(float64) float64, x0 float64) (float64, bool) {
	y0 := f(x0)
	if !finite(y0) {
		return 0, false
	}
	probes := []float64{x0 * 1.5, x0 * 0.5, x0 * (1 + 1e-3), x0 * 3, x0 * 1e3, -x0}
	if x0 == 0 {
		probes = []float64{1, -1, 1e-3, 1e3}
	}
	same := 0
	for _, x := range probes {
		y := f(x)
		if !finite(y) {
			continue // a pole of another term (0/0): no evidence either way
		}
		if y != y0 && !(math.Abs(y-y0) <= 1e-12*math.Max(math.Abs(y), math.Abs(y0))) {
			return 0, false
		}
		same++
	}
	return y0, same >= 3
}

// Allocation says how GoalSeekMany shares the required change among its
// levers. Every lever moves on a log scale, in the direction that moves
// the target towards the goal (the sign of its local effect):
//
//	x_i = x_i0 · exp(sign_i · w_i · u)
//
// for one scalar u that GoalSeekMany solves for, each x_i clamped to its
// lever's bounds (a lever at a bound stays there while the others carry
// the rest of the change).
type Allocation uint8

const (
	// EqualChange (the zero value): w_i = 1, every lever changes by the
	// same relative factor.
	EqualChange Allocation = iota
	// Weighted: w_i = Lever.Weight, the levers' relative changes on a log
	// scale are proportional to their weights (a weight of 0 holds a
	// lever).
	Weighted
	// LeastChange: the smallest total change, measured as the sum of
	// squared log changes Σ ln(x_i/x_i0)²: to first order the solution
	// moves along the target's gradient in log terms, so w_i is the
	// lever's local elasticity-weighted effect |∂target/∂x_i · x_i0|. It is
	// the exact minimum when the target is linear in the logs of the levers
	// (a product of them) and a first-order one otherwise.
	LeastChange
)

// String returns the name used in messages.
func (a Allocation) String() string {
	switch a {
	case EqualChange:
		return "equal"
	case Weighted:
		return "weighted"
	case LeastChange:
		return "least change"
	}
	return fmt.Sprintf("Allocation(%d)", a)
}

// Lever is one input GoalSeekMany may move.
type Lever struct {
	Input string
	// Weight is the lever's weight under Weighted (>= 0).
	Weight float64
	// Lo and Hi bound the lever (both zero: no bounds; ±Inf for one side).
	Lo, Hi float64
}

// LeverResult is one lever's solution.
type LeverResult struct {
	Input        string
	Start, Value float64
	// Change is the relative change Value/Start − 1.
	Change float64
	// AtBound reports that the lever was clamped to one of its bounds.
	AtBound bool
}

// SeekMany is the result of GoalSeekMany.
type SeekMany struct {
	Target  string
	Reached float64
	Levers  []LeverResult
	// U is the common log-scale step solved for (see Allocation).
	U                 float64
	Iterations, Calls int // Brent's iterations and function calls
	Evaluations       int
}

// GoalSeekMany moves several inputs at once so that target reaches value,
// sharing the change among them as alloc says (see Allocation). Levers
// are usually inputs; they need non-zero current values (relative changes
// cannot move a zero) and the target must depend on each. Each trial
// recomputes only the levers' cone. The session is left as it was.
// Errors are those of GoalSeek.
func (s *Session) GoalSeekMany(target string, value float64, levers []Lever, alloc Allocation) (SeekMany, error) {
	ti, err := s.index(target)
	if err != nil {
		return SeekMany{}, err
	}
	if len(levers) == 0 || !finite(value) || alloc > LeastChange {
		return SeekMany{}, fmt.Errorf("%w: goal seek %s = %v needs levers, a finite value and a known allocation", ErrInvalidArgument, target, value)
	}
	vals := s.e.Values()
	n := len(levers)
	idx := make([]int, n)
	x0 := make([]float64, n)
	lo := make([]float64, n)
	hi := make([]float64, n)
	w := make([]float64, n)
	for j, l := range levers {
		i, err := s.index(l.Input)
		if err != nil {
			return SeekMany{}, err
		}
		if slices.Contains(idx[:j], i) {
			return SeekMany{}, fmt.Errorf("%w: lever %s given twice", ErrInvalidArgument, l.Input)
		}
		if !s.coneOf(i).Contains(ti) {
			return SeekMany{}, fmt.Errorf("%w: %s does not depend on %s", ErrNoPath, target, l.Input)
		}
		idx[j], x0[j] = i, vals[i]
		if x0[j] == 0 || !finite(x0[j]) {
			return SeekMany{}, fmt.Errorf("%w: lever %s is %v: relative changes cannot move it", ErrInvalidArgument, l.Input, x0[j])
		}
		lo[j], hi[j] = SeekOptions{Lo: l.Lo, Hi: l.Hi}.bounds()
		if lo[j] >= hi[j] || math.IsNaN(lo[j]) || math.IsNaN(hi[j]) || x0[j] < lo[j] || x0[j] > hi[j] {
			return SeekMany{}, fmt.Errorf("%w: lever %s = %v outside its bounds [%v, %v]", ErrInvalidArgument, l.Input, x0[j], lo[j], hi[j])
		}
		w[j] = 1
		if alloc == Weighted {
			if l.Weight < 0 || !finite(l.Weight) {
				return SeekMany{}, fmt.Errorf("%w: lever %s has weight %v", ErrInvalidArgument, l.Input, l.Weight)
			}
			w[j] = l.Weight
		}
	}
	k := s.coneOf(idx...)
	res := SeekMany{Target: target}
	defer func() {
		for j, i := range idx {
			vals[i] = x0[j]
		}
		s.runConeOf(k)
	}()
	m := manySeek{target: target, value: value, levers: levers, x0: x0, lo: lo, hi: hi, w: w, alloc: alloc,
		eval: func(x []float64) float64 {
			for j, i := range idx {
				vals[i] = x[j]
			}
			s.runConeOf(k)
			return vals[ti]
		}}
	err = m.solve(&res)
	return res, err
}

// manySeek is the problem GoalSeekMany and Plan.GoalSeekMany solve: the
// levers move as x_j = x0_j·exp(sign_j·w_j·u), clamped to [lo_j, hi_j],
// for the one u that makes eval(x) equal value (see Allocation).
type manySeek struct {
	target        string
	value         float64
	levers        []Lever
	x0, lo, hi, w []float64 // w: 1 or the levers' weights (LeastChange sets its own)
	alloc         Allocation
	// eval returns the target's value with the levers at x.
	eval func(x []float64) float64
}

// solve finds u and fills res.
func (m *manySeek) solve(res *SeekMany) error {
	n := len(m.x0)
	x0, lo, hi, w := m.x0, m.lo, m.hi, slices.Clone(m.w)
	target, value, levers := m.target, m.value, m.levers
	x := slices.Clone(x0)
	y0 := m.eval(x)
	res.Evaluations++
	if !finite(y0) {
		return fmt.Errorf("%w: %s is %v", ErrNonFinite, target, y0)
	}
	// local effects: central differences, one lever at a time
	for j := range n {
		h := 1e-4 * math.Abs(x0[j])
		x[j] = x0[j] + h
		yp := m.eval(x)
		x[j] = x0[j] - h
		ym := m.eval(x)
		x[j] = x0[j]
		res.Evaluations += 2
		g := (yp - ym) / (2 * h) * x0[j] // effect of a relative change
		if !finite(g) {
			return fmt.Errorf("%w: the effect of %s on %s is %v", ErrNonFinite, levers[j].Input, target, g)
		}
		sign := 1.0
		if g < 0 {
			sign = -1
		}
		if m.alloc == LeastChange {
			w[j] = math.Abs(g)
		}
		w[j] *= sign
	}
	if !slices.ContainsFunc(w, func(v float64) bool { return v != 0 }) {
		return &UnreachableError{Target: target, Value: value, Input: leverNames(levers), Min: y0, Max: y0}
	}
	if m.alloc == LeastChange { // normalise so u is the largest log change
		mx := 0.0
		for _, v := range w {
			mx = math.Max(mx, math.Abs(v))
		}
		for j := range w {
			w[j] /= mx
		}
	}
	at := func(u float64, j int) float64 {
		return math.Min(math.Max(x0[j]*math.Exp(w[j]*u), lo[j]), hi[j])
	}
	var bad error
	f := func(u float64) float64 {
		res.Evaluations++
		for j := range n {
			x[j] = at(u, j)
		}
		y := m.eval(x)
		if !finite(y) && bad == nil {
			bad = fmt.Errorf("%w: %s is %v at a log step of %v", ErrNonFinite, target, y, u)
		}
		return y - value
	}
	dir := 1.0
	if value < y0 {
		dir = -1
	}
	var a, b float64
	found := y0 == value
	step := 0.05
	for !found && step < 100 {
		u := dir * step
		if fu := f(u); bad != nil {
			return bad
		} else if fu == 0 || math.Signbit(fu) != math.Signbit(y0-value) {
			a, b, found = math.Min(0, u), math.Max(0, u), true
			break
		}
		step *= 2
	}
	if !found {
		ylo, yhi := y0, f(dir*step/2)+value
		if ylo > yhi {
			ylo, yhi = yhi, ylo
		}
		return &UnreachableError{Target: target, Value: value, Input: leverNames(levers), Lo: math.Inf(-1), Hi: math.Inf(1), Min: ylo, Max: yhi}
	}
	if a != b {
		r, err := solve.Brentq(f, a, b, nil)
		if bad != nil {
			return bad
		}
		if err != nil {
			return fmt.Errorf("rollup: goal seek %s = %g: %w", target, value, err)
		}
		res.U, res.Iterations, res.Calls = r.Root, r.Iterations, r.FunctionCalls
	}
	res.Reached = f(res.U) + value
	for j, l := range levers {
		v := at(res.U, j)
		res.Levers = append(res.Levers, LeverResult{Input: l.Input, Start: x0[j], Value: v, Change: v/x0[j] - 1,
			AtBound: v == lo[j] || v == hi[j]})
	}
	return nil
}

func leverNames(ls []Lever) string {
	s := ""
	for i, l := range ls {
		if i > 0 {
			s += ","
		}
		s += l.Input
	}
	return s
}
