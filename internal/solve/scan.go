package solve

import (
	"fmt"
	"math"
)

// TurningPoint is a local extreme of a function found by [Scan].
type TurningPoint struct {
	X   float64 // location of the extreme
	Y   float64 // function value at X
	Max bool    // true for a local maximum, false for a local minimum
}

// ScanResult lists what [Scan] found on [lo, hi], in increasing x.
type ScanResult struct {
	Roots         []float64      // roots: grid points where f == 0 and Brentq solutions of sign changes
	Solves        []Result       // the Brentq result for each bracketed root (exact grid zeros have Iterations == 0)
	Brackets      [][2]float64   // grid cell bracketing each root (a zero-width cell for an exact grid zero)
	TurningPoints []TurningPoint // interior local maxima and minima
	Min, Max      float64        // smallest and largest values seen (grid and turning points)
}

// Scan evaluates f at n+1 equally spaced points on [lo, hi], brackets every
// sign change and solves it with [Brentq] (opt may be nil), and reports the
// interior turning points of f on the grid, refined by golden-section search.
// Roots where f touches zero without changing sign are found only if they
// fall on a grid point; their turning point is reported regardless.
//
// n must be at least 2. Non-finite function values give an error wrapping
// ErrInvalidInput.
func Scan(f func(float64) float64, lo, hi float64, n int, opt *Options) (ScanResult, error) {
	var out ScanResult
	if f == nil {
		return out, fmt.Errorf("%w: nil function", ErrInvalidInput)
	}
	if !isFinite(lo) || !isFinite(hi) || !(lo < hi) {
		return out, fmt.Errorf("%w: need finite lo < hi, got [%g, %g]", ErrInvalidInput, lo, hi)
	}
	if n < 2 {
		return out, fmt.Errorf("%w: grid needs at least 2 intervals, got %d", ErrInvalidInput, n)
	}
	if _, _, _, err := opt.resolve(); err != nil {
		return out, err
	}
	xs := make([]float64, n+1)
	ys := make([]float64, n+1)
	h := (hi - lo) / float64(n)
	for i := range xs {
		x := lo + float64(float64(i)*h)
		if i == n {
			x = hi
		}
		y := f(x)
		if !isFinite(y) {
			return out, fmt.Errorf("%w: f(%g) = %g on the scan grid", ErrInvalidInput, x, y)
		}
		xs[i], ys[i] = x, y
	}
	out.Min, out.Max = ys[0], ys[0]
	for _, y := range ys {
		out.Min = math.Min(out.Min, y)
		out.Max = math.Max(out.Max, y)
	}
	for i := 0; i <= n; i++ {
		if ys[i] == 0 {
			out.Roots = append(out.Roots, xs[i])
			out.Solves = append(out.Solves, Result{Root: xs[i], Converged: true})
			out.Brackets = append(out.Brackets, [2]float64{xs[i], xs[i]})
			continue
		}
		if i == n || ys[i+1] == 0 || math.Signbit(ys[i]) == math.Signbit(ys[i+1]) {
			continue
		}
		r, err := Brentq(f, xs[i], xs[i+1], opt)
		if err != nil {
			return out, fmt.Errorf("solve: root in [%g, %g]: %w", xs[i], xs[i+1], err)
		}
		out.Roots = append(out.Roots, r.Root)
		out.Solves = append(out.Solves, r)
		out.Brackets = append(out.Brackets, [2]float64{xs[i], xs[i+1]})
	}
	// Turning points: the discrete slope changes sign at an interior grid
	// point (flat runs are skipped over so a plateau counts once).
	prev := 0 // sign of the last non-zero slope
	prevIdx := 0
	for i := 1; i <= n; i++ {
		d := sign(ys[i] - ys[i-1])
		if d == 0 {
			continue
		}
		if prev != 0 && d != prev {
			// extreme between grid point prevIdx-1 .. i; the best grid point is i-1
			isMax := prev > 0
			a := xs[max(prevIdx-1, 0)]
			b := xs[i]
			x, y := golden(f, a, b, isMax)
			g := ys[i-1]
			if (isMax && g > y) || (!isMax && g < y) {
				x, y = xs[i-1], g
			}
			out.TurningPoints = append(out.TurningPoints, TurningPoint{X: x, Y: y, Max: isMax})
			out.Min = math.Min(out.Min, y)
			out.Max = math.Max(out.Max, y)
		}
		prev = d
		prevIdx = i
	}
	return out, nil
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// golden locates the maximum (or minimum) of f on [a, b] by golden-section
// search, stopping when the interval is within a few ulps-squared of x.
func golden(f func(float64) float64, a, b float64, isMax bool) (float64, float64) {
	g := func(x float64) float64 {
		if isMax {
			return -f(x)
		}
		return f(x)
	}
	const invphi = 0.6180339887498949
	c := b - float64(invphi*(b-a))
	d := a + float64(invphi*(b-a))
	fc, fd := g(c), g(d)
	for k := 0; k < 200; k++ {
		if math.Abs(b-a) <= float64(1e-9*(math.Abs(a)+math.Abs(b)))+1e-300 {
			break
		}
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - float64(invphi*(b-a))
			fc = g(c)
		} else {
			a, c, fc = c, d, fd
			d = a + float64(invphi*(b-a))
			fd = g(d)
		}
	}
	x, y := c, fc
	if fd < fc {
		x, y = d, fd
	}
	if isMax {
		y = -y
	}
	return x, y
}
