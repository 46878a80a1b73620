package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// OLSResult holds an ordinary least squares fit y = Xb + e, with the same
// definitions as statsmodels' OLS results.
//
// When X contains a constant column (all entries equal and non-zero) the model
// is treated as having an intercept: R² uses the centered total sum of squares
// and DFModel = K-1. Otherwise R² is uncentered and DFModel = K.
type OLSResult struct {
	// Params are the estimated coefficients, in the column order of X.
	Params []float64
	// BSE are the standard errors sqrt(diag(Cov)).
	BSE []float64
	// TValues are Params/BSE.
	TValues []float64
	// PValues are two-sided Student t p-values with DFResid degrees of freedom.
	PValues []float64
	// Cov is the K×K covariance matrix of Params, Scale·(X'X)⁻¹ (row-major).
	Cov [][]float64
	// Resid are the residuals y - X·Params.
	Resid []float64

	RSquared      float64 // 1 - SSR/TSS (centered TSS when there is a constant)
	RSquaredAdj   float64 // 1 - (N-c)/DFResid·(1-R²), c = 1 with a constant, else 0
	FValue        float64 // (ESS/DFModel)/(SSR/DFResid); NaN when DFModel = 0
	FPValue       float64 // P(F(DFModel, DFResid) > FValue)
	SSR           float64 // sum of squared residuals
	CenteredTSS   float64 // sum of squared deviations of y from its mean
	UncenteredTSS float64 // sum of squares of y
	Scale         float64 // SSR/DFResid, the residual variance estimate
	LLF           float64 // Gaussian log-likelihood at the estimates
	AIC           float64 // -2·LLF + 2·K
	BIC           float64 // -2·LLF + ln(N)·K

	NObs     int  // number of observations N
	K        int  // number of columns of X, including any constant
	DFResid  int  // N - K
	DFModel  int  // K - 1 with a constant, K without
	HasConst bool // whether X contains a constant column
}

// OLS fits y on the columns of X (given as rows: X[i] holds the regressors of
// observation i) by ordinary least squares. Include a column of ones in X for
// an intercept; its position does not matter.
//
// The fit uses a Householder QR factorization of the column-equilibrated
// design matrix, never the normal equations. OLS returns an error wrapping
// ErrLengthMismatch for ragged or mismatched input, ErrNaN for non-finite
// values, ErrTooFewObservations when N <= K, and ErrSingular when the columns
// of X are linearly dependent (numerical rank below K).
func OLS(y []float64, X [][]float64) (*OLSResult, error) {
	n := len(y)
	if len(X) != n {
		return nil, fmt.Errorf("%w: OLS: len(y) = %d but X has %d rows", ErrLengthMismatch, n, len(X))
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: OLS: no observations", ErrTooFewObservations)
	}
	k := len(X[0])
	if k == 0 {
		return nil, fmt.Errorf("%w: OLS: X has no columns", ErrInvalidArgument)
	}
	for i, row := range X {
		if len(row) != k {
			return nil, fmt.Errorf("%w: OLS: row %d of X has %d columns, row 0 has %d", ErrLengthMismatch, i, len(row), k)
		}
		for j, v := range row {
			if !finite(v) {
				return nil, fmt.Errorf("%w: OLS: X[%d][%d] = %g", ErrNaN, i, j, v)
			}
		}
		if !finite(y[i]) {
			return nil, fmt.Errorf("%w: OLS: y[%d] = %g", ErrNaN, i, y[i])
		}
	}
	if n <= k {
		return nil, fmt.Errorf("%w: OLS: %d observations for %d parameters (need more observations than parameters)", ErrTooFewObservations, n, k)
	}

	// Equilibrate: scale each column to unit Euclidean norm. Householder QR is
	// nearly invariant to column scaling, but this keeps the rank test below
	// meaningful for columns of very different magnitude (e.g. a constant
	// next to values of order 1e5).
	scale := make([]float64, k)
	for j := 0; j < k; j++ {
		var s float64
		for i := 0; i < n; i++ {
			s = math.Hypot(s, X[i][j])
		}
		if s == 0 {
			return nil, fmt.Errorf("%w: OLS: column %d of X is all zeros", ErrSingular, j)
		}
		scale[j] = s
	}
	a := mat.NewDense(n, k, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			a.Set(i, j, X[i][j]/scale[j])
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var r mat.Dense
	qr.RTo(&r)
	// Numerical rank test on the diagonal of R, as LAPACK's xGELSY/numpy's
	// rcond: |R_jj| <= max(n,k)·eps·max|R_ii| means a dependent column.
	var rmax float64
	for j := 0; j < k; j++ {
		rmax = math.Max(rmax, math.Abs(r.At(j, j)))
	}
	tol := float64(n) * 0x1p-52 * rmax
	for j := 0; j < k; j++ {
		if math.Abs(r.At(j, j)) <= tol {
			return nil, fmt.Errorf("%w: OLS: column %d of X is (numerically) a linear combination of the previous columns", ErrSingular, j)
		}
	}
	var bs mat.VecDense
	if err := qr.SolveVecTo(&bs, false, mat.NewVecDense(n, append([]float64(nil), y...))); err != nil {
		return nil, fmt.Errorf("%w: OLS: %v", ErrSingular, err)
	}

	res := &OLSResult{NObs: n, K: k, DFResid: n - k}
	res.Params = make([]float64, k)
	for j := 0; j < k; j++ {
		res.Params[j] = bs.AtVec(j) / scale[j]
	}

	// Residuals and sums of squares.
	res.Resid = make([]float64, n)
	var ybar float64
	for i := 0; i < n; i++ {
		ybar += y[i]
		var fit float64
		for j := 0; j < k; j++ {
			fit += X[i][j] * res.Params[j]
		}
		e := y[i] - fit
		res.Resid[i] = e
		res.SSR += e * e
	}
	ybar /= float64(n)
	for i := 0; i < n; i++ {
		d := y[i] - ybar
		res.CenteredTSS += d * d
		res.UncenteredTSS += y[i] * y[i]
	}

	res.HasConst = hasConstColumn(X)
	kConst := 0
	tss := res.UncenteredTSS
	if res.HasConst {
		kConst = 1
		tss = res.CenteredTSS
	}
	res.DFModel = k - kConst
	df := float64(res.DFResid)
	res.Scale = res.SSR / df

	// Cov = Scale · D⁻¹ R⁻¹ R⁻ᵀ D⁻¹ for the equilibrated factor R.
	rinv := invUpper(&r, k)
	res.Cov = make([][]float64, k)
	res.BSE = make([]float64, k)
	res.TValues = make([]float64, k)
	res.PValues = make([]float64, k)
	for i := 0; i < k; i++ {
		res.Cov[i] = make([]float64, k)
		for j := 0; j < k; j++ {
			var s float64
			for m := max(i, j); m < k; m++ {
				s += rinv[i][m] * rinv[j][m]
			}
			res.Cov[i][j] = res.Scale * s / (scale[i] * scale[j])
		}
	}
	for j := 0; j < k; j++ {
		res.BSE[j] = math.Sqrt(res.Cov[j][j])
		res.TValues[j] = res.Params[j] / res.BSE[j]
		res.PValues[j] = TTwoSided(res.TValues[j], df)
	}

	nf := float64(n)
	res.RSquared = 1 - res.SSR/tss
	res.RSquaredAdj = 1 - (nf-float64(kConst))/df*(1-res.RSquared)
	if res.DFModel > 0 {
		ess := tss - res.SSR
		res.FValue = (ess / float64(res.DFModel)) / res.Scale
		res.FPValue = FSurvival(res.FValue, float64(res.DFModel), df)
	} else {
		res.FValue, res.FPValue = math.NaN(), math.NaN()
	}
	res.LLF = -nf / 2 * (math.Log(2*math.Pi) + math.Log(res.SSR/nf) + 1)
	kf := float64(res.DFModel + kConst)
	res.AIC = -2*res.LLF + 2*kf
	res.BIC = -2*res.LLF + math.Log(nf)*kf
	return res, nil
}

// LinearCombination is the estimate of w'b for a weight vector w, with its
// standard error and t test (statsmodels' results.t_test(w)).
type LinearCombination struct {
	Estimate  float64 // w'b
	SE        float64 // sqrt(w' Cov w)
	T         float64 // Estimate/SE
	DF        int     // residual degrees of freedom of the fit
	PTwoSided float64 // P(|T| > |t|)
	PGreater  float64 // P(T > t): evidence that w'b > 0
	PLess     float64 // P(T < t): evidence that w'b < 0
}

// Combine returns the estimate, standard error and t test of the linear
// combination w'b of the coefficients, e.g. w = (0, 1, 1) for the sum of the
// second and third coefficients. len(w) must equal K.
func (r *OLSResult) Combine(w []float64) (LinearCombination, error) {
	if len(w) != r.K {
		return LinearCombination{}, fmt.Errorf("%w: Combine: %d weights for %d coefficients", ErrLengthMismatch, len(w), r.K)
	}
	var est, v float64
	for i, wi := range w {
		if !finite(wi) {
			return LinearCombination{}, fmt.Errorf("%w: Combine: w[%d] = %g", ErrNaN, i, wi)
		}
		est += wi * r.Params[i]
		for j, wj := range w {
			v += wi * r.Cov[i][j] * wj
		}
	}
	df := float64(r.DFResid)
	c := LinearCombination{Estimate: est, SE: math.Sqrt(v), DF: r.DFResid}
	c.T = c.Estimate / c.SE
	c.PTwoSided = TTwoSided(c.T, df)
	c.PGreater = TSurvival(c.T, df)
	c.PLess = TSurvival(-c.T, df)
	return c, nil
}

// invUpper returns the inverse of the k×k upper-triangular part of r by back
// substitution (the diagonal is known to be non-zero).
func invUpper(r *mat.Dense, k int) [][]float64 {
	inv := make([][]float64, k)
	for i := range inv {
		inv[i] = make([]float64, k)
	}
	for j := 0; j < k; j++ {
		// Solve R x = e_j; x is column j of the inverse.
		for i := j; i >= 0; i-- {
			var s float64
			if i == j {
				s = 1
			}
			for m := i + 1; m <= j; m++ {
				s -= r.At(i, m) * inv[m][j]
			}
			inv[i][j] = s / r.At(i, i)
		}
	}
	return inv
}

// hasConstColumn reports whether some column of X is constant and non-zero,
// which is how statsmodels detects an intercept.
func hasConstColumn(X [][]float64) bool {
	k := len(X[0])
	for j := 0; j < k; j++ {
		v := X[0][j]
		if v == 0 {
			continue
		}
		constant := true
		for i := 1; i < len(X); i++ {
			if X[i][j] != v {
				constant = false
				break
			}
		}
		if constant {
			return true
		}
	}
	return false
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
