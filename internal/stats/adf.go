package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// LagMethod chooses how [ADF] picks the number of lagged differences.
type LagMethod int

const (
	// LagAIC searches 0..MaxLag lags and keeps the one with the smallest
	// Akaike information criterion (statsmodels' autolag="AIC", the default).
	LagAIC LagMethod = iota
	// LagBIC is like LagAIC with the Bayesian (Schwarz) criterion.
	LagBIC
	// LagFixed uses exactly ADFOptions.Lag lagged differences (autolag=None).
	LagFixed
)

// ADFOptions configures [ADF]. The zero value is statsmodels' default:
// constant, lag chosen by AIC up to the default maximum lag.
type ADFOptions struct {
	// Regression selects the deterministic terms; "" means RegressionConstant.
	Regression Regression
	// Method chooses the lag selection (LagAIC, LagBIC or LagFixed).
	Method LagMethod
	// Lag is the number of lagged differences when Method is LagFixed.
	Lag int
	// MaxLag bounds the lag search of LagAIC and LagBIC. Zero selects
	// statsmodels' default ceil(12·(nobs/100)^{1/4}), capped at
	// nobs/2 - ntrend - 1 (Schwert 1989).
	MaxLag int
}

// ADFResult is the outcome of an augmented Dickey-Fuller test.
type ADFResult struct {
	// Stat is the t statistic of the lagged level in the ADF regression.
	Stat float64
	// PValue is MacKinnon's (1994) approximate p-value of Stat. A small value
	// rejects the unit root (the series looks stationary).
	PValue float64
	// UsedLag is the number of lagged differences in the final regression.
	UsedLag int
	// NObs is the number of observations of the final regression.
	NObs int
	// Critical holds MacKinnon's (2010) 1%, 5% and 10% critical values for NObs.
	Critical [3]float64
	// ICBest is the information criterion of the selected lag (computed on the
	// common sample trimmed by MaxLag); NaN when Method is LagFixed.
	ICBest float64
	// MaxLag is the largest lag considered (equal to UsedLag for LagFixed).
	MaxLag int
	// Regression is the deterministic specification that was used.
	Regression Regression
}

// ADF runs the augmented Dickey-Fuller unit-root test on x exactly as
// statsmodels 0.13 adfuller does: it regresses Δx_t on x_{t-1}, the chosen
// deterministic terms and Δx_{t-1..t-p}, and reports the t statistic of x_{t-1}
// with MacKinnon's p-value and critical values. With LagAIC or LagBIC every lag
// 0..MaxLag is fitted on the same sample (the first MaxLag+1 observations are
// dropped) and the best lag is then refitted on its own, longer, sample.
//
// Errors wrap [ErrNaN] (NaN or infinite values), [ErrConstantSeries],
// [ErrTooFewObservations] (the lag does not fit nobs/2 - ntrend - 1),
// [ErrInvalidArgument] (negative lag, unknown regression or method) and
// [ErrSingular] (collinear regressors, e.g. a series with constant differences).
func ADF(x []float64, opt ADFOptions) (ADFResult, error) {
	res := ADFResult{ICBest: math.NaN()}
	reg := opt.Regression
	if reg == "" {
		reg = RegressionConstant
	}
	if _, err := mackinnonLookup(reg); err != nil {
		return res, fmt.Errorf("adf: %w", err)
	}
	res.Regression = reg
	ntrend := len(reg)
	if reg == RegressionNone {
		ntrend = 0
	}
	n := len(x)
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return res, fmt.Errorf("adf: %w at index %d", ErrNaN, i)
		}
	}
	if n < 2 {
		return res, fmt.Errorf("adf: %w: %d observations", ErrTooFewObservations, n)
	}
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo == hi {
		return res, fmt.Errorf("adf: %w: all %d values equal %g", ErrConstantSeries, n, lo)
	}
	limit := n/2 - ntrend - 1

	var maxLag int
	switch opt.Method {
	case LagFixed:
		if opt.Lag < 0 {
			return res, fmt.Errorf("adf: %w: lag %d is negative", ErrInvalidArgument, opt.Lag)
		}
		maxLag = opt.Lag
	case LagAIC, LagBIC:
		if opt.MaxLag < 0 {
			return res, fmt.Errorf("adf: %w: max lag %d is negative", ErrInvalidArgument, opt.MaxLag)
		}
		maxLag = opt.MaxLag
		if maxLag == 0 {
			maxLag = int(math.Ceil(12 * math.Pow(float64(n)/100, 0.25)))
			maxLag = min(maxLag, limit)
			if maxLag < 0 {
				return res, fmt.Errorf("adf: %w: %d observations cannot hold regression %q", ErrTooFewObservations, n, string(reg))
			}
		}
	default:
		return res, fmt.Errorf("adf: %w: unknown lag method %d", ErrInvalidArgument, int(opt.Method))
	}
	if maxLag > limit {
		return res, fmt.Errorf("adf: %w: lag %d exceeds nobs/2 - ntrend - 1 = %d for %d observations",
			ErrTooFewObservations, maxLag, limit, n)
	}
	res.MaxLag = maxLag

	usedLag := maxLag
	if opt.Method != LagFixed {
		best, bestIC := -1, math.Inf(1)
		for lag := 0; lag <= maxLag; lag++ {
			fit, err := adfRegress(x, reg, lag, maxLag)
			if err != nil {
				return res, err
			}
			nobs := float64(fit.nobs)
			k := float64(fit.k)
			ic := -2*fit.llf + 2*k
			if opt.Method == LagBIC {
				ic = -2*fit.llf + math.Log(nobs)*k
			}
			if ic < bestIC {
				best, bestIC = lag, ic
			}
		}
		if best < 0 {
			return res, fmt.Errorf("adf: %w: information criterion is not finite", ErrSingular)
		}
		usedLag, res.ICBest = best, bestIC
	}
	fit, err := adfRegress(x, reg, usedLag, usedLag)
	if err != nil {
		return res, err
	}
	res.Stat = fit.tLevel
	res.UsedLag = usedLag
	res.NObs = fit.nobs
	if res.PValue, err = MackinnonP(res.Stat, reg); err != nil {
		return res, fmt.Errorf("adf: %w", err)
	}
	if res.Critical, err = MackinnonCrit(reg, fit.nobs); err != nil {
		return res, fmt.Errorf("adf: %w", err)
	}
	return res, nil
}

// adfFit is what the ADF regressions need from a least-squares fit.
type adfFit struct {
	nobs, k int
	llf     float64 // Gaussian log-likelihood, computed as statsmodels does
	tLevel  float64 // t statistic of the lagged level
}

// adfRegress fits Δx_t on [x_{t-1}, deterministic terms, Δx_{t-1..t-lag}] for
// t on the sample that drops the first trim+1 observations of x.
func adfRegress(x []float64, reg Regression, lag, trim int) (adfFit, error) {
	n := len(x)
	nobs := n - 1 - trim
	k := 1 + lag
	switch reg {
	case RegressionConstant:
		k++
	case RegressionConstantTrend:
		k += 2
	}
	if nobs <= k {
		return adfFit{}, fmt.Errorf("adf: %w: %d observations for %d regressors", ErrTooFewObservations, nobs, k)
	}
	X := mat.NewDense(nobs, k, nil)
	y := make([]float64, nobs)
	for r := 0; r < nobs; r++ {
		t := trim + r // index into the differences Δx_t = x[t+1] - x[t]
		y[r] = x[t+1] - x[t]
		c := 0
		X.Set(r, c, x[t]) // lagged level
		c++
		for j := 1; j <= lag; j++ {
			X.Set(r, c, x[t-j+1]-x[t-j])
			c++
		}
		switch reg {
		case RegressionConstant:
			X.Set(r, c, 1)
		case RegressionConstantTrend:
			X.Set(r, c, 1)
			X.Set(r, c+1, float64(r+1))
		}
	}
	ls, err := adfLeastSquares(X, y)
	if err != nil {
		return adfFit{}, fmt.Errorf("adf: lag %d: %w", lag, err)
	}
	df := float64(nobs - k)
	sigma2 := ls.ssr / df
	se := math.Sqrt(sigma2 * ls.invDiag0)
	nobs2 := float64(nobs) / 2
	llf := -math.Log(ls.ssr) * nobs2
	llf -= (1 + math.Log(math.Pi/nobs2)) * nobs2
	return adfFit{nobs: nobs, k: k, llf: llf, tLevel: ls.beta[0] / se}, nil
}

// adfLS is a least-squares solution with the pieces the tests in this file use.
type adfLS struct {
	beta     []float64
	resid    []float64
	ssr      float64
	invDiag0 float64 // [(XᵀX)⁻¹]₀₀
}

// adfLeastSquares solves min ||y - Xb|| by Householder QR. A column whose
// diagonal entry of R is negligible relative to the column's norm makes the
// design rank deficient and gives ErrSingular.
func adfLeastSquares(X *mat.Dense, y []float64) (adfLS, error) {
	n, k := X.Dims()
	var qr mat.QR
	qr.Factorize(X)
	var R mat.Dense
	qr.RTo(&R)
	for j := 0; j < k; j++ {
		norm := mat.Norm(X.ColView(j), 2)
		if norm == 0 || math.Abs(R.At(j, j)) <= 1e-12*norm {
			return adfLS{}, fmt.Errorf("%w: column %d is (nearly) a combination of the others", ErrSingular, j)
		}
	}
	var b mat.VecDense
	if err := qr.SolveVecTo(&b, false, mat.NewVecDense(n, append([]float64(nil), y...))); err != nil {
		return adfLS{}, fmt.Errorf("%w: %v", ErrSingular, err)
	}
	beta := make([]float64, k)
	for j := range beta {
		beta[j] = b.AtVec(j)
	}
	resid := make([]float64, n)
	ssr := 0.0
	for i := 0; i < n; i++ {
		f := 0.0
		for j := 0; j < k; j++ {
			f += X.At(i, j) * beta[j]
		}
		resid[i] = y[i] - f
		ssr += resid[i] * resid[i]
	}
	// [(XᵀX)⁻¹]₀₀ = ||v||² with Rᵀv = e₀ (forward substitution).
	v := make([]float64, k)
	for i := 0; i < k; i++ {
		s := 0.0
		if i == 0 {
			s = 1
		}
		for j := 0; j < i; j++ {
			s -= R.At(j, i) * v[j]
		}
		v[i] = s / R.At(i, i)
	}
	inv := 0.0
	for _, vi := range v {
		inv += vi * vi
	}
	return adfLS{beta: beta, resid: resid, ssr: ssr, invDiag0: inv}, nil
}
