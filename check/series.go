package check

import (
	"fmt"
	"math"

	"github.com/kpitree/kpitree/internal/stats"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

// pair holds two aligned series over consecutive periods.
type pair struct {
	a, b     []float64
	from, to metric.Period
}

// alignPair returns the longest run of consecutive evaluated periods in
// which both metrics have usable values (the latest run on a tie).
func alignPair(r *rollup.Result, ida, idb string) pair {
	ps := r.Periods()
	bestStart, bestLen := 0, 0
	start := -1
	for k := 0; k <= len(ps); k++ {
		ok := false
		if k < len(ps) {
			_, okA := r.Value(ida, ps[k])
			_, okB := r.Value(idb, ps[k])
			ok = okA && okB
		}
		switch {
		case ok && start < 0:
			start = k
		case !ok && start >= 0:
			if k-start >= bestLen {
				bestStart, bestLen = start, k-start
			}
			start = -1
		}
	}
	var p pair
	if bestLen == 0 {
		return p
	}
	p.from, p.to = ps[bestStart], ps[bestStart+bestLen-1]
	for k := bestStart; k < bestStart+bestLen; k++ {
		va, _ := r.Value(ida, ps[k])
		vb, _ := r.Value(idb, ps[k])
		p.a = append(p.a, va)
		p.b = append(p.b, vb)
	}
	return p
}

func (p pair) periods() string {
	if len(p.a) == 0 {
		return ""
	}
	return p.from.String() + ".." + p.to.String()
}

func constant(x []float64) bool {
	for _, v := range x[1:] {
		if v != x[0] {
			return false
		}
	}
	return true
}

func allPositive(x []float64) bool {
	for _, v := range x {
		if !(v > 0) {
			return false
		}
	}
	return true
}

// apply transforms x by t (which must not be automatic).
func apply(t Transform, x []float64) ([]float64, error) {
	k := 1
	if t.Kind == TransformSeasonalDiff {
		k = t.Period
	}
	if t.Kind == TransformNone {
		return x, nil
	}
	if len(x) <= k {
		return nil, fmt.Errorf("%v needs more than %d observations, have %d", t, k, len(x))
	}
	out := make([]float64, len(x)-k)
	for i := range out {
		cur, prev := x[i+k], x[i]
		switch t.Kind {
		case TransformDiff, TransformSeasonalDiff:
			out[i] = cur - prev
		case TransformLogDiff:
			if !(cur > 0 && prev > 0) {
				return nil, fmt.Errorf("log-difference needs positive values, got %g", min(cur, prev))
			}
			out[i] = math.Log(cur) - math.Log(prev)
		case TransformPctChange:
			if prev == 0 {
				return nil, fmt.Errorf("percent change is undefined after a zero value")
			}
			out[i] = cur/prev - 1
		}
	}
	return out, nil
}

// ADFSummary is the outcome of an augmented Dickey-Fuller unit-root test
// on one series (statsmodels adfuller defaults: constant, lag by AIC).
type ADFSummary struct {
	Stat   float64
	PValue float64
	// UsedLag and NObs are the lagged differences and observations of the
	// final regression.
	UsedLag, NObs int
	// Stationary reports whether the unit root is rejected at Alpha.
	Stationary bool
	// Err says why the test could not run ("" when it ran).
	Err string
}

func adf(x []float64, alpha float64) ADFSummary {
	r, err := stats.ADF(x, stats.ADFOptions{})
	if err != nil {
		return ADFSummary{Err: err.Error(), Stat: math.NaN(), PValue: math.NaN()}
	}
	return ADFSummary{Stat: r.Stat, PValue: r.PValue, UsedLag: r.UsedLag, NObs: r.NObs, Stationary: r.PValue <= alpha}
}

// prepared is a pair made ready for the tests.
type prepared struct {
	pair
	n                   int // observations before transforming
	transform           Transform
	adfA, adfB          ADFSummary // on the levels
	adfTA, adfTB        ADFSummary // on the tested (transformed) series
	x, y                []float64  // tested series (a transformed, b transformed)
	problem             string     // why the pair cannot be tested
	constantID          int        // 1 or 2: which series is constant; 0 none
	transformedConstant bool
}

// prepare aligns and transforms a pair of metric series.
func prepare(r *rollup.Result, ida, idb string, o resolved) prepared {
	pr := prepared{pair: alignPair(r, ida, idb), transform: o.Transform}
	pr.n = len(pr.a)
	switch {
	case pr.n == 0:
		pr.problem = "no period has values for both metrics"
		return pr
	case constant(pr.a):
		pr.constantID, pr.problem = 1, fmt.Sprintf("%s is constant over %s", ida, pr.periods())
		return pr
	case constant(pr.b):
		pr.constantID, pr.problem = 2, fmt.Sprintf("%s is constant over %s", idb, pr.periods())
		return pr
	case pr.n < o.MinObservations:
		pr.problem = fmt.Sprintf("only %d periods with values for both (%s); need at least %d", pr.n, pr.periods(), o.MinObservations)
		return pr
	}
	pr.adfA, pr.adfB = adf(pr.a, o.Alpha), adf(pr.b, o.Alpha)
	if o.Transform.Kind == TransformAuto {
		pr.transform = Transform{Kind: TransformNone}
		if !pr.adfA.Stationary || !pr.adfB.Stationary {
			pr.transform = Transform{Kind: TransformDiff}
			if allPositive(pr.a) && allPositive(pr.b) {
				pr.transform = Transform{Kind: TransformLogDiff}
			}
		}
	}
	var err error
	if pr.x, err = apply(pr.transform, pr.a); err == nil {
		pr.y, err = apply(pr.transform, pr.b)
	}
	if err != nil {
		pr.problem = fmt.Sprintf("cannot apply %v: %v", pr.transform, err)
		return pr
	}
	if pr.transform.Kind == TransformNone {
		pr.adfTA, pr.adfTB = pr.adfA, pr.adfB
	} else {
		pr.adfTA, pr.adfTB = adf(pr.x, o.Alpha), adf(pr.y, o.Alpha)
	}
	switch {
	case constant(pr.x):
		pr.constantID, pr.transformedConstant = 1, true
		pr.problem = fmt.Sprintf("%s is constant after %v (a straight line): it carries no information", ida, pr.transform)
	case constant(pr.y):
		pr.constantID, pr.transformedConstant = 2, true
		pr.problem = fmt.Sprintf("%s is constant after %v (a straight line): it carries no information", idb, pr.transform)
	}
	return pr
}
