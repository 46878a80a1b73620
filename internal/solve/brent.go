package solve

import (
	"errors"
	"fmt"
	"math"
)

// Default tolerances, equal to scipy.optimize.brentq's defaults.
const (
	// DefaultXTol is the default absolute tolerance on the root.
	DefaultXTol = 2e-12
	// DefaultRTol is the default (and smallest allowed) relative tolerance,
	// four times the float64 machine epsilon.
	DefaultRTol = 4 * 2.220446049250313e-16
	// DefaultMaxIter is the default iteration limit.
	DefaultMaxIter = 100
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrNotBracketed reports that f(a) and f(b) do not differ in sign.
	ErrNotBracketed = errors.New("solve: f(a) and f(b) must have different signs")
	// ErrNoConvergence reports that the iteration limit was reached.
	ErrNoConvergence = errors.New("solve: did not converge")
	// ErrInvalidInput reports invalid arguments or non-finite function values.
	ErrInvalidInput = errors.New("solve: invalid input")
)

// NotBracketedError is returned when f(A) and f(B) have the same sign.
// It matches ErrNotBracketed under errors.Is.
type NotBracketedError struct {
	A, B   float64 // interval ends
	FA, FB float64 // function values at the ends
}

// Error implements error.
func (e *NotBracketedError) Error() string {
	return fmt.Sprintf("solve: f(a) and f(b) must have different signs: f(%g) = %g, f(%g) = %g", e.A, e.FA, e.B, e.FB)
}

// Is reports whether target is ErrNotBracketed.
func (e *NotBracketedError) Is(target error) bool { return target == ErrNotBracketed }

// Options sets the tolerances of [Brentq]. Zero fields take the defaults.
type Options struct {
	XTol    float64 // absolute tolerance, > 0 (default DefaultXTol)
	RTol    float64 // relative tolerance, >= DefaultRTol (default DefaultRTol)
	MaxIter int     // iteration limit, > 0 (default DefaultMaxIter)
}

func (o *Options) resolve() (xtol, rtol float64, maxiter int, err error) {
	xtol, rtol, maxiter = DefaultXTol, DefaultRTol, DefaultMaxIter
	if o == nil {
		return xtol, rtol, maxiter, nil
	}
	if o.XTol != 0 {
		xtol = o.XTol
	}
	if o.RTol != 0 {
		rtol = o.RTol
	}
	if o.MaxIter != 0 {
		maxiter = o.MaxIter
	}
	switch {
	case !(xtol > 0) || math.IsInf(xtol, 0):
		return 0, 0, 0, fmt.Errorf("%w: xtol must be positive and finite, got %g", ErrInvalidInput, xtol)
	case !(rtol >= DefaultRTol) || math.IsInf(rtol, 0):
		return 0, 0, 0, fmt.Errorf("%w: rtol too small (%g < %g)", ErrInvalidInput, rtol, DefaultRTol)
	case maxiter < 0:
		return 0, 0, 0, fmt.Errorf("%w: maxiter must be positive, got %d", ErrInvalidInput, maxiter)
	}
	return xtol, rtol, maxiter, nil
}

// Result describes the outcome of [Brentq].
type Result struct {
	Root          float64 // estimated root (last iterate if not converged)
	Iterations    int     // iterations performed
	FunctionCalls int     // evaluations of f
	Converged     bool    // whether the tolerance was met
}

// Brentq finds a root of f in [a, b] with Brent's method, following
// scipy.optimize.brentq exactly. f(a) and f(b) must differ in sign (or one
// of them be zero). opt may be nil for the defaults.
//
// When the iteration limit is reached the Result (Converged == false) is
// returned together with an error wrapping ErrNoConvergence.
func Brentq(f func(float64) float64, a, b float64, opt *Options) (Result, error) {
	xtol, rtol, maxiter, err := opt.resolve()
	if err != nil {
		return Result{}, err
	}
	if f == nil {
		return Result{}, fmt.Errorf("%w: nil function", ErrInvalidInput)
	}
	if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return Result{}, fmt.Errorf("%w: interval ends must be finite, got [%g, %g]", ErrInvalidInput, a, b)
	}
	xpre, xcur := a, b
	var xblk, fblk, spre, scur float64
	fpre := f(xpre)
	fcur := f(xcur)
	res := Result{FunctionCalls: 2}
	if !isFinite(fpre) || !isFinite(fcur) {
		return res, fmt.Errorf("%w: f(%g) = %g, f(%g) = %g are not both finite", ErrInvalidInput, a, fpre, b, fcur)
	}
	if fpre == 0 {
		res.Root, res.Converged = xpre, true
		return res, nil
	}
	if fcur == 0 {
		res.Root, res.Converged = xcur, true
		return res, nil
	}
	if math.Signbit(fpre) == math.Signbit(fcur) {
		return res, &NotBracketedError{A: a, B: b, FA: fpre, FB: fcur}
	}
	for i := 0; i < maxiter; i++ {
		res.Iterations++
		if fpre != 0 && fcur != 0 && math.Signbit(fpre) != math.Signbit(fcur) {
			xblk = xpre
			fblk = fpre
			spre = xcur - xpre
			scur = spre
		}
		if math.Abs(fblk) < math.Abs(fcur) {
			xpre, xcur, xblk = xcur, xblk, xcur
			fpre, fcur, fblk = fcur, fblk, fcur
		}
		delta := (xtol + float64(rtol*math.Abs(xcur))) / 2
		sbis := (xblk - xcur) / 2
		if fcur == 0 || math.Abs(sbis) < delta {
			res.Root, res.Converged = xcur, true
			return res, nil
		}
		if math.Abs(spre) > delta && math.Abs(fcur) < math.Abs(fpre) {
			var stry float64
			if xpre == xblk {
				// interpolate
				stry = -fcur * (xcur - xpre) / (fcur - fpre)
			} else {
				// extrapolate
				dpre := (fpre - fcur) / (xpre - xcur)
				dblk := (fblk - fcur) / (xblk - xcur)
				stry = -fcur * (float64(fblk*dblk) - float64(fpre*dpre)) / (dblk * dpre * (fblk - fpre))
			}
			if 2*math.Abs(stry) < math.Min(math.Abs(spre), float64(3*math.Abs(sbis))-delta) {
				// good short step
				spre = scur
				scur = stry
			} else {
				spre, scur = sbis, sbis
			}
		} else {
			spre, scur = sbis, sbis
		}
		xpre, fpre = xcur, fcur
		if math.Abs(scur) > delta {
			xcur += scur
		} else if sbis > 0 {
			xcur += delta
		} else {
			xcur -= delta
		}
		fcur = f(xcur)
		res.FunctionCalls++
		if !isFinite(fcur) {
			res.Root = xcur
			return res, fmt.Errorf("%w: f(%g) = %g during iteration %d", ErrInvalidInput, xcur, fcur, res.Iterations)
		}
	}
	res.Root = xcur
	return res, fmt.Errorf("%w: failed to converge after %d iterations, value is %g", ErrNoConvergence, maxiter, xcur)
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
