package stats

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// PearsonResult is a Pearson correlation with its tests, as scipy.stats.pearsonr.
type PearsonResult struct {
	R float64 // correlation coefficient, in [-1, 1]
	N int     // number of pairs

	PTwoSided float64 // H1: rho != 0
	PGreater  float64 // H1: rho > 0
	PLess     float64 // H1: rho < 0

	// CILow and CIHigh bound the 95% Fisher-z confidence interval for rho
	// (see FisherCI).
	CILow, CIHigh float64
}

// POneSided returns the p-value for an expected sign of the correlation:
// PGreater for sign > 0, PLess for sign < 0 and PTwoSided for sign == 0.
func (p PearsonResult) POneSided(sign int) float64 {
	return pickSided(sign, p.PTwoSided, p.PGreater, p.PLess)
}

// SpearmanResult is a Spearman rank correlation with its tests, as
// scipy.stats.spearmanr (t approximation, no exact permutation p-value).
type SpearmanResult struct {
	Rho float64 // Pearson correlation of the average ranks
	N   int     // number of pairs

	PTwoSided float64 // H1: rho != 0
	PGreater  float64 // H1: rho > 0
	PLess     float64 // H1: rho < 0
}

// POneSided returns the p-value for an expected sign of the correlation:
// PGreater for sign > 0, PLess for sign < 0 and PTwoSided for sign == 0.
func (s SpearmanResult) POneSided(sign int) float64 {
	return pickSided(sign, s.PTwoSided, s.PGreater, s.PLess)
}

func pickSided(sign int, two, greater, less float64) float64 {
	switch {
	case sign > 0:
		return greater
	case sign < 0:
		return less
	}
	return two
}

// Pearson returns the Pearson correlation of x and y with two- and one-sided
// p-values and a 95% Fisher-z confidence interval.
//
// The p-values use the exact null distribution of r for bivariate normal
// data, (r+1)/2 ~ Beta(n/2-1, n/2-1), which equals the Student t test with
// n-2 degrees of freedom and stays accurate for p far below 1e-16.
//
// It needs at least 3 pairs of finite values in which neither series is
// constant; otherwise the error wraps ErrTooFewObservations, ErrNaN,
// ErrConstantSeries or ErrLengthMismatch.
func Pearson(x, y []float64) (PearsonResult, error) {
	if err := checkPairs("Pearson", x, y); err != nil {
		return PearsonResult{}, err
	}
	r := pearsonR(x, y)
	if math.IsNaN(r) {
		return PearsonResult{}, fmt.Errorf("%w: Pearson: a series is numerically constant (zero spread after centering)", ErrConstantSeries)
	}
	n := len(x)
	res := PearsonResult{R: r, N: n}
	// P(R >= |r|) under H0 is I_{(1-|r|)/2}(a, a), a = n/2 - 1; 1-|r| is
	// exact for |r| >= 0.5.
	a := float64(n)/2 - 1
	small := mathext.RegIncBeta(a, a, (1-math.Abs(r))/2)
	res.PTwoSided = math.Min(1, 2*small)
	if r >= 0 {
		res.PGreater, res.PLess = small, 1-small
	} else {
		res.PGreater, res.PLess = 1-small, small
	}
	res.CILow, res.CIHigh = FisherCI(r, n, 0.95)
	return res, nil
}

// FisherCI returns the Fisher-z confidence interval for a Pearson correlation
// r from n pairs at the given level (e.g. 0.95):
// tanh(atanh(r) ∓ z_{(1+level)/2}/sqrt(n-3)). For n <= 3 the interval is
// [-1, 1]; for |r| = 1 it is [r, r]. Invalid arguments give NaNs.
func FisherCI(r float64, n int, level float64) (lo, hi float64) {
	if math.IsNaN(r) || r < -1 || r > 1 || !(level > 0 && level < 1) {
		return math.NaN(), math.NaN()
	}
	if math.Abs(r) == 1 {
		return r, r
	}
	if n <= 3 {
		return -1, 1
	}
	z := math.Atanh(r)
	h := NormalQuantile((1+level)/2) / math.Sqrt(float64(n-3))
	return math.Tanh(z - h), math.Tanh(z + h)
}

// Spearman returns Spearman's rank correlation of x and y (ties get their
// average rank) with two- and one-sided p-values from the t approximation
// t = rho·sqrt((n-2)/((1+rho)(1-rho))) on n-2 degrees of freedom.
//
// It needs at least 3 pairs of finite values in which neither series is
// constant; otherwise the error wraps ErrTooFewObservations, ErrNaN,
// ErrConstantSeries or ErrLengthMismatch.
func Spearman(x, y []float64) (SpearmanResult, error) {
	if err := checkPairs("Spearman", x, y); err != nil {
		return SpearmanResult{}, err
	}
	rho := pearsonR(Rank(x), Rank(y))
	n := len(x)
	df := float64(n - 2)
	res := SpearmanResult{Rho: rho, N: n}
	t := rho * math.Sqrt(math.Max(0, df/((rho+1)*(1-rho))))
	res.PTwoSided = TTwoSided(t, df)
	res.PGreater = TSurvival(t, df)
	res.PLess = TSurvival(-t, df)
	return res, nil
}

// Rank returns the 1-based ranks of v, giving tied values the mean of the
// ranks they span (scipy.stats.rankdata with method "average"). NaNs are not
// allowed (their rank is unspecified).
func Rank(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case v[a] < v[b]:
			return -1
		case v[a] > v[b]:
			return 1
		}
		return 0
	})
	ranks := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && v[idx[j]] == v[idx[i]] {
			j++
		}
		// Positions i..j-1 (0-based) share ranks i+1..j; their mean is (i+1+j)/2.
		avg := float64(i+1+j) / 2
		for m := i; m < j; m++ {
			ranks[idx[m]] = avg
		}
		i = j
	}
	return ranks
}

// LagCorrelation describes the association between x_t and y_{t+Lag}.
// Lag > 0 means x leads y by Lag periods; Lag < 0 means y leads x.
type LagCorrelation struct {
	Lag    int
	NPairs int // overlapping pairs, N - |Lag|

	// Pearson and Spearman are computed on the overlapping pairs alone, with
	// their own means and standard deviations (like pandas
	// y.corr(x.shift(Lag))).
	Pearson  PearsonResult
	Spearman SpearmanResult

	// CCF and CCFUnadjusted are statsmodels' cross-correlation at this lag:
	// full-sample means and population standard deviations, with the sum of
	// cross-products divided by N-|Lag| (adjusted) or N (unadjusted).
	CCF           float64
	CCFUnadjusted float64
}

// LaggedCorrelation returns the correlations between x_t and y_{t+k} for
// k = -maxLag, ..., maxLag, in that order. x and y must have the same length
// N with N - maxLag >= 3, hold finite values, and every overlap of both series
// must vary; otherwise the error wraps ErrLengthMismatch,
// ErrTooFewObservations, ErrNaN, ErrConstantSeries or ErrInvalidArgument.
func LaggedCorrelation(x, y []float64, maxLag int) ([]LagCorrelation, error) {
	if maxLag < 0 {
		return nil, fmt.Errorf("%w: LaggedCorrelation: maxLag = %d, must be >= 0", ErrInvalidArgument, maxLag)
	}
	if err := checkPairs("LaggedCorrelation", x, y); err != nil {
		return nil, err
	}
	n := len(x)
	if n-maxLag < 3 {
		return nil, fmt.Errorf("%w: LaggedCorrelation: %d observations leave %d pairs at lag %d, need at least 3", ErrTooFewObservations, n, n-maxLag, maxLag)
	}
	out := make([]LagCorrelation, 0, 2*maxLag+1)
	for k := -maxLag; k <= maxLag; k++ {
		xs, ys := lagOverlap(x, y, k)
		lc := LagCorrelation{Lag: k, NPairs: len(xs)}
		var err error
		if lc.Pearson, err = Pearson(xs, ys); err != nil {
			return nil, fmt.Errorf("LaggedCorrelation: lag %d: %w", k, err)
		}
		if lc.Spearman, err = Spearman(xs, ys); err != nil {
			return nil, fmt.Errorf("LaggedCorrelation: lag %d: %w", k, err)
		}
		lc.CCF = ccf(x, y, k, true)
		lc.CCFUnadjusted = ccf(x, y, k, false)
		out = append(out, lc)
	}
	return out, nil
}

// CCF returns statsmodels' cross-correlation between x_t and y_{t+lag}:
//
//	sum over the overlap of (x_t - mean(x))(y_{t+lag} - mean(y)) / D / (sd(x)·sd(y))
//
// with full-sample means, population (ddof 0) standard deviations and
// D = N-|lag| when adjusted, N otherwise. For lag >= 0 this is
// statsmodels.tsa.stattools.ccf(y, x, adjusted)[lag]; for lag < 0 it is
// ccf(x, y, adjusted)[-lag]. |lag| must be below N.
func CCF(x, y []float64, lag int, adjusted bool) (float64, error) {
	if len(x) != len(y) {
		return 0, fmt.Errorf("%w: CCF: len(x) = %d, len(y) = %d", ErrLengthMismatch, len(x), len(y))
	}
	if err := checkFinite("CCF", "x", x); err != nil {
		return 0, err
	}
	if err := checkFinite("CCF", "y", y); err != nil {
		return 0, err
	}
	if len(x) < 2 {
		return 0, fmt.Errorf("%w: CCF: %d observations, need at least 2", ErrTooFewObservations, len(x))
	}
	if lag <= -len(x) || lag >= len(x) {
		return 0, fmt.Errorf("%w: CCF: |lag| = %d must be below N = %d", ErrInvalidArgument, absInt(lag), len(x))
	}
	if isConstant(x) {
		return 0, fmt.Errorf("%w: CCF: x does not vary", ErrConstantSeries)
	}
	if isConstant(y) {
		return 0, fmt.Errorf("%w: CCF: y does not vary", ErrConstantSeries)
	}
	return ccf(x, y, lag, adjusted), nil
}

// WhiteNoiseBand returns the half-width z_{(1+level)/2}/sqrt(n) of the
// approximate confidence band of a sample cross- or auto-correlation of
// independent white noise series of length n (1.96/sqrt(n) at level 0.95).
func WhiteNoiseBand(n int, level float64) float64 {
	if n < 1 || !(level > 0 && level < 1) {
		return math.NaN()
	}
	return NormalQuantile((1+level)/2) / math.Sqrt(float64(n))
}

// BestLag returns the element of lags with Lag in [minLag, maxLag] that has
// the strongest overlap Pearson correlation: the largest sign·r for
// sign = +1 or -1 (an expected direction), or the largest |r| for sign = 0.
// Ties go to the smallest lag. It returns an error wrapping
// ErrInvalidArgument when no lag falls in the range or the bounds are
// reversed.
func BestLag(lags []LagCorrelation, minLag, maxLag, sign int) (LagCorrelation, error) {
	if minLag > maxLag {
		return LagCorrelation{}, fmt.Errorf("%w: BestLag: minLag %d > maxLag %d", ErrInvalidArgument, minLag, maxLag)
	}
	cand := make([]LagCorrelation, 0, len(lags))
	for _, l := range lags {
		if l.Lag >= minLag && l.Lag <= maxLag {
			cand = append(cand, l)
		}
	}
	if len(cand) == 0 {
		return LagCorrelation{}, fmt.Errorf("%w: BestLag: no lag in [%d, %d]", ErrInvalidArgument, minLag, maxLag)
	}
	slices.SortStableFunc(cand, func(a, b LagCorrelation) int { return a.Lag - b.Lag })
	score := func(l LagCorrelation) float64 {
		switch {
		case sign > 0:
			return l.Pearson.R
		case sign < 0:
			return -l.Pearson.R
		}
		return math.Abs(l.Pearson.R)
	}
	best := cand[0]
	for _, l := range cand[1:] {
		if score(l) > score(best) {
			best = l
		}
	}
	return best, nil
}

// lagOverlap returns the pairs (x_t, y_{t+k}) that both exist.
func lagOverlap(x, y []float64, k int) (xs, ys []float64) {
	n := len(x)
	if k >= 0 {
		return x[:n-k], y[k:]
	}
	return x[-k:], y[:n+k]
}

// ccf computes CCF without argument checks.
func ccf(x, y []float64, k int, adjusted bool) float64 {
	n := len(x)
	mx, my := meanOf(x), meanOf(y)
	var sxx, syy float64
	for i := 0; i < n; i++ {
		dx, dy := x[i]-mx, y[i]-my
		sxx += dx * dx
		syy += dy * dy
	}
	sdx, sdy := math.Sqrt(sxx/float64(n)), math.Sqrt(syy/float64(n))
	xs, ys := lagOverlap(x, y, k)
	var s float64
	for i := range xs {
		s += (xs[i] - mx) * (ys[i] - my)
	}
	d := float64(n)
	if adjusted {
		d = float64(n - absInt(k))
	}
	return s / d / (sdx * sdy)
}

// pearsonR is scipy's computation: the dot product of the centered series,
// each scaled to unit norm, clipped to [-1, 1]. It returns NaN when a
// centered series is all zeros.
func pearsonR(x, y []float64) float64 {
	mx, my := meanOf(x), meanOf(y)
	var nx, ny float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		nx += dx * dx
		ny += dy * dy
	}
	nx, ny = math.Sqrt(nx), math.Sqrt(ny)
	if nx == 0 || ny == 0 {
		return math.NaN()
	}
	var r float64
	for i := range x {
		r += (x[i] - mx) / nx * ((y[i] - my) / ny)
	}
	return math.Max(-1, math.Min(1, r))
}

func meanOf(v []float64) float64 {
	var s float64
	for _, e := range v {
		s += e
	}
	return s / float64(len(v))
}

// checkPairs validates paired samples for a correlation.
func checkPairs(fn string, x, y []float64) error {
	if len(x) != len(y) {
		return fmt.Errorf("%w: %s: len(x) = %d, len(y) = %d", ErrLengthMismatch, fn, len(x), len(y))
	}
	if err := checkFinite(fn, "x", x); err != nil {
		return err
	}
	if err := checkFinite(fn, "y", y); err != nil {
		return err
	}
	if len(x) < 3 {
		return fmt.Errorf("%w: %s: %d pairs, need at least 3", ErrTooFewObservations, fn, len(x))
	}
	if isConstant(x) {
		return fmt.Errorf("%w: %s: x does not vary", ErrConstantSeries, fn)
	}
	if isConstant(y) {
		return fmt.Errorf("%w: %s: y does not vary", ErrConstantSeries, fn)
	}
	return nil
}

func absInt(k int) int {
	if k < 0 {
		return -k
	}
	return k
}
