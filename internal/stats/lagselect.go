package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// LagSelection holds VAR lag-order selection criteria for lags 0..MaxLags,
// as statsmodels' VAR.select_order(maxlags, trend="c") reports them.
type LagSelection struct {
	// MaxLags is the largest lag order considered.
	MaxLags int
	// NObs is the common number of observations every order is fitted on
	// (the first MaxLags rows are dropped for all orders).
	NObs int
	// AIC, BIC, HQIC and FPE hold the criteria; index p is lag order p.
	AIC, BIC, HQIC, FPE []float64
	// SelectedAIC, SelectedBIC, SelectedHQIC and SelectedFPE are the orders
	// minimizing each criterion (the smallest order on ties).
	SelectedAIC, SelectedBIC, SelectedHQIC, SelectedFPE int
}

// LagSelect fits a vector autoregression with a constant for each lag order
// p = 0..maxLags by least squares and reports the information criteria used to
// choose p. data holds one row per observation (oldest first) and one column
// per variable. Every order is fitted on the same sample, rows maxLags..n-1,
// so the criteria are comparable. With Σ the maximum-likelihood residual
// covariance, K variables, T = NObs and m = pK² + K free parameters:
//
//	AIC  = ln|Σ| + 2m/T
//	BIC  = ln|Σ| + m·ln(T)/T
//	HQIC = ln|Σ| + 2m·ln(ln T)/T
//	FPE  = ((T + Kp + 1)/(T - Kp - 1))^K · |Σ|
//
// A negative maxLags selects statsmodels' default round(12·(n/100)^{1/4}),
// capped at the largest estimable order (n - K - 1)/(K + 1).
//
// Errors wrap [ErrTooFewObservations] (maxLags larger than the data can
// estimate), [ErrLengthMismatch] (ragged rows), [ErrNaN], [ErrConstantSeries]
// (a variable that never changes is collinear with the constant) and
// [ErrSingular].
func LagSelect(data [][]float64, maxLags int) (LagSelection, error) {
	var out LagSelection
	n := len(data)
	if n == 0 {
		return out, fmt.Errorf("lag select: %w: no observations", ErrTooFewObservations)
	}
	k := len(data[0])
	if k == 0 {
		return out, fmt.Errorf("lag select: %w: no variables", ErrInvalidArgument)
	}
	for i, row := range data {
		if len(row) != k {
			return out, fmt.Errorf("lag select: %w: row %d has %d values, row 0 has %d", ErrLengthMismatch, i, len(row), k)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return out, fmt.Errorf("lag select: %w at row %d, column %d", ErrNaN, i, j)
			}
		}
	}
	for j := 0; j < k; j++ {
		constant := true
		for i := 1; i < n && constant; i++ {
			constant = data[i][j] == data[0][j]
		}
		if constant {
			return out, fmt.Errorf("lag select: %w: column %d", ErrConstantSeries, j)
		}
	}
	maxEstimable := (n - k - 1) / (1 + k)
	if maxLags < 0 {
		maxLags = int(math.Round(12 * math.Pow(float64(n)/100, 0.25)))
		maxLags = min(maxLags, maxEstimable)
	}
	if maxLags > maxEstimable || maxEstimable < 0 {
		return out, fmt.Errorf("lag select: %w: %d observations of %d variables support at most %d lags, asked for %d",
			ErrTooFewObservations, n, k, maxEstimable, maxLags)
	}
	nobs := n - maxLags
	out.MaxLags, out.NObs = maxLags, nobs
	T := float64(nobs)
	for p := 0; p <= maxLags; p++ {
		ld, err := lagselLogDetSigma(data, p, maxLags)
		if err != nil {
			return out, fmt.Errorf("lag select: order %d: %w", p, err)
		}
		free := float64(p*k*k + k)
		dfModel := float64(k*p + 1)
		dfResid := T - dfModel
		out.AIC = append(out.AIC, ld+(2/T)*free)
		out.BIC = append(out.BIC, ld+(math.Log(T)/T)*free)
		out.HQIC = append(out.HQIC, ld+(2*math.Log(math.Log(T))/T)*free)
		out.FPE = append(out.FPE, math.Pow((T+dfModel)/dfResid, float64(k))*math.Exp(ld))
	}
	out.SelectedAIC = lagselArgmin(out.AIC)
	out.SelectedBIC = lagselArgmin(out.BIC)
	out.SelectedHQIC = lagselArgmin(out.HQIC)
	out.SelectedFPE = lagselArgmin(out.FPE)
	return out, nil
}

// lagselLogDetSigma fits the VAR(p) with a constant on rows maxLags..n-1 and
// returns ln|SSE/T| computed from a Cholesky factor, as statsmodels does.
func lagselLogDetSigma(data [][]float64, p, maxLags int) (float64, error) {
	n, k := len(data), len(data[0])
	nobs := n - maxLags
	cols := 1 + k*p
	Z := mat.NewDense(nobs, cols, nil)
	for r := 0; r < nobs; r++ {
		t := maxLags + r
		Z.Set(r, 0, 1)
		for l := 1; l <= p; l++ {
			for j := 0; j < k; j++ {
				Z.Set(r, 1+(l-1)*k+j, data[t-l][j])
			}
		}
	}
	resid := make([][]float64, k)
	y := make([]float64, nobs)
	for j := 0; j < k; j++ {
		for r := range y {
			y[r] = data[maxLags+r][j]
		}
		ls, err := adfLeastSquares(Z, y)
		if err != nil {
			return 0, err
		}
		resid[j] = ls.resid
	}
	sigma := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			s := 0.0
			for r := 0; r < nobs; r++ {
				s += resid[a][r] * resid[b][r]
			}
			sigma.SetSym(a, b, s/float64(nobs))
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(sigma) {
		return 0, fmt.Errorf("%w: residual covariance is not positive definite", ErrSingular)
	}
	return chol.LogDet(), nil
}

func lagselArgmin(v []float64) int {
	best := 0
	for i, x := range v {
		if x < v[best] {
			best = i
		}
	}
	return best
}
