package okr

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
)

// Point is one dated value.
type Point struct {
	Date  time.Time
	Value float64
}

// Forecast extrapolates a key result to its deadline from the trend of
// its check-ins.
//
// The method: ordinary least squares of value on time (in days since the
// first point), solved by QR; the value at the deadline is the fitted line
// there; its uncertainty is the prediction standard error
//
//	se = s·√(1 + 1/n + (T − t̄)²/Sxx),  s² = Σ residual² / (n − 2)
//
// and the probability of reaching the target is the Student t tail with
// n − 2 degrees of freedom, P(T_{n−2} ≥ (target − ŷ)/se) for a target to
// reach or exceed (the other tail for a target to stay under). With a
// perfect fit (s = 0, or s below 1e-12 of the largest |value|, which is
// rounding noise) the probability is 1 or 0: 1 when the line reaches the
// target to 1e-9 of that scale. Check-ins are treated as
// independent around a straight line; weekly check-ins of a cumulative
// number are autocorrelated, so read the probability as a guide.
type Forecast struct {
	// N is the number of points used.
	N int
	// Intercept is the fitted value at the first point and Slope the
	// change per day.
	Intercept, Slope float64
	// At is the deadline and Value the fitted value there.
	At    time.Time
	Value float64
	// SE is the prediction standard error at At; ResidualSD is s.
	SE, ResidualSD float64
	// Target and AtLeast describe the goal the probability is for.
	Target  float64
	AtLeast bool
	// Probability of the value at At meeting the target.
	Probability float64
}

// Trend fits the points (any order) and forecasts the value at at with
// the probability of meeting target (at least target when atLeast, at
// most otherwise). It needs three points on at least two dates: fewer is
// ErrTooFewCheckIns.
func Trend(points []Point, at time.Time, target float64, atLeast bool) (Forecast, error) {
	f := Forecast{N: len(points), At: at, Target: target, AtLeast: atLeast}
	if len(points) < 3 {
		return f, fmt.Errorf("%w: %d points, need 3", ErrTooFewCheckIns, len(points))
	}
	t0 := points[0].Date
	for _, p := range points {
		if p.Date.Before(t0) {
			t0 = p.Date
		}
	}
	days := func(t time.Time) float64 { return t.Sub(t0).Hours() / 24 }
	n := len(points)
	x := mat.NewDense(n, 2, nil)
	y := mat.NewVecDense(n, nil)
	tbar := 0.0
	for i, p := range points {
		if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
			return f, fmt.Errorf("okr: trend: value %v at %s is not finite", p.Value, p.Date.Format(time.DateOnly))
		}
		x.Set(i, 0, 1)
		x.Set(i, 1, days(p.Date))
		y.SetVec(i, p.Value)
		tbar += days(p.Date)
	}
	tbar /= float64(n)
	sxx := 0.0
	for _, p := range points {
		d := days(p.Date) - tbar
		sxx += d * d
	}
	if sxx == 0 {
		return f, fmt.Errorf("%w: all %d points are on one date", ErrTooFewCheckIns, n)
	}
	var qr mat.QR
	qr.Factorize(x)
	var beta mat.VecDense
	if err := qr.SolveVecTo(&beta, false, y); err != nil {
		return f, fmt.Errorf("okr: trend: %w", err)
	}
	f.Intercept, f.Slope = beta.AtVec(0), beta.AtVec(1)
	ssr := 0.0
	for _, p := range points {
		r := p.Value - (f.Intercept + f.Slope*days(p.Date))
		ssr += r * r
	}
	df := float64(n - 2)
	f.ResidualSD = math.Sqrt(ssr / df)
	T := days(at)
	f.Value = f.Intercept + f.Slope*T
	f.SE = f.ResidualSD * math.Sqrt(1+1/float64(n)+(T-tbar)*(T-tbar)/sxx)
	// A line through every point leaves only rounding noise in s: treat
	// s below 1e-12 of the values' scale as a perfect fit, and compare
	// the fitted value with the target to 1e-9 of that scale.
	scale := 0.0
	for _, p := range points {
		scale = max(scale, math.Abs(p.Value))
	}
	if f.ResidualSD <= 1e-12*scale {
		f.ResidualSD, f.SE = 0, 0
	}
	tol := 1e-9 * max(scale, math.Abs(target))
	meets := func(v float64) bool {
		if atLeast {
			return v >= target-tol
		}
		return v <= target+tol
	}
	if f.SE == 0 {
		f.Probability = 0
		if meets(f.Value) {
			f.Probability = 1
		}
		return f, nil
	}
	tstat := (target - f.Value) / f.SE
	if atLeast {
		f.Probability = studentSurvival(tstat, df)
	} else {
		f.Probability = studentSurvival(-tstat, df)
	}
	return f, nil
}

// studentSurvival is P(T > t) for Student's t with df degrees of freedom,
// from the regularized incomplete beta function.
func studentSurvival(t, df float64) float64 {
	tail := 0.5 * mathext.RegIncBeta(df/2, 0.5, df/(df+t*t))
	if t >= 0 {
		return tail
	}
	return 1 - tail
}
