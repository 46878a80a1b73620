package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// GrangerLag holds the Granger causality tests for one lag order p, with the
// definitions of statsmodels' grangercausalitytests (addconst=True).
//
// For lag p the first p observations are dropped (each lag uses its own
// sample of N-p rows, not a sample trimmed to the largest lag). The restricted
// model regresses y_t on [y_{t-1}, ..., y_{t-p}, 1]; the unrestricted model on
// [y_{t-1}, ..., y_{t-p}, x_{t-1}, ..., x_{t-p}, 1] (constant last). H0: x
// does not Granger-cause y.
type GrangerLag struct {
	Lag  int // lag order p
	NObs int // rows used, N - p

	SSRRestricted   float64 // SSR of the restricted (own lags only) model
	SSRUnrestricted float64 // SSR of the unrestricted model

	// SSR F test: ((SSR_r - SSR_u)/p) / (SSR_u/DFDenom), DFDenom = N - 3p - 1.
	F       float64
	FPValue float64
	DFNum   int
	DFDenom int

	// SSR chi-squared test: (N-p)·(SSR_r - SSR_u)/SSR_u ~ chi2(p).
	Chi2       float64
	Chi2PValue float64

	// Likelihood-ratio test: (N-p)·ln(SSR_r/SSR_u) ~ chi2(p).
	LR       float64
	LRPValue float64

	// Wald F test that the p x-lag coefficients of the unrestricted model are
	// zero (statsmodels' params_ftest); mathematically equal to F.
	WaldF              float64
	WaldPValue         float64
	ParamsRestricted   []float64 // [y lags..., const]
	ParamsUnrestricted []float64 // [y lags..., x lags..., const]

	// SumX is the sum of the x-lag coefficients of the unrestricted model with
	// its standard error and t test on DFDenom degrees of freedom. The F test
	// is blind to the sign of the effect; SumX.PGreater (PLess) tests an
	// expected positive (negative) total effect.
	SumX LinearCombination
}

// Granger runs the Granger causality tests of "x causes y" for every lag
// order 1..maxLag and returns one GrangerLag per order.
//
// The series must have equal length N, contain only finite values, vary, and
// be long enough that the largest model keeps a residual degree of freedom:
// N - 3·maxLag - 1 >= 1. Violations give errors wrapping ErrLengthMismatch,
// ErrNaN, ErrConstantSeries, ErrTooFewObservations or ErrInvalidArgument;
// exactly collinear lags give ErrSingular.
//
// The tests assume stationary series: run them on growth rates or
// differences, not on trending levels, or the results are spurious.
func Granger(y, x []float64, maxLag int) ([]GrangerLag, error) {
	n := len(y)
	if len(x) != n {
		return nil, fmt.Errorf("%w: Granger: len(y) = %d, len(x) = %d", ErrLengthMismatch, n, len(x))
	}
	if maxLag < 1 {
		return nil, fmt.Errorf("%w: Granger: maxLag = %d, need at least 1", ErrInvalidArgument, maxLag)
	}
	if err := checkFinite("Granger", "y", y); err != nil {
		return nil, err
	}
	if err := checkFinite("Granger", "x", x); err != nil {
		return nil, err
	}
	if need := 3*maxLag + 2; n < need {
		return nil, fmt.Errorf("%w: Granger: %d observations, need at least %d for maxLag %d (N - 3·maxLag - 1 >= 1)", ErrTooFewObservations, n, need, maxLag)
	}
	if isConstant(y) {
		return nil, fmt.Errorf("%w: Granger: y (effect) does not vary", ErrConstantSeries)
	}
	if isConstant(x) {
		return nil, fmt.Errorf("%w: Granger: x (cause) does not vary", ErrConstantSeries)
	}
	out := make([]GrangerLag, 0, maxLag)
	for p := 1; p <= maxLag; p++ {
		g, err := grangerLag(y, x, p)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func grangerLag(y, x []float64, p int) (GrangerLag, error) {
	n := len(y)
	rows := n - p
	yy := make([]float64, rows)
	xr := make([][]float64, rows)
	xu := make([][]float64, rows)
	for i := 0; i < rows; i++ {
		t := i + p
		yy[i] = y[t]
		r := make([]float64, 0, p+1)
		u := make([]float64, 0, 2*p+1)
		for j := 1; j <= p; j++ {
			r = append(r, y[t-j])
		}
		u = append(u, r...)
		for j := 1; j <= p; j++ {
			u = append(u, x[t-j])
		}
		xr[i] = append(r, 1)
		xu[i] = append(u, 1)
	}
	fr, err := OLS(yy, xr)
	if err != nil {
		return GrangerLag{}, fmt.Errorf("Granger: restricted model at lag %d: %w", p, err)
	}
	fu, err := OLS(yy, xu)
	if err != nil {
		return GrangerLag{}, fmt.Errorf("Granger: unrestricted model at lag %d: %w", p, err)
	}
	g := GrangerLag{
		Lag:                p,
		NObs:               rows,
		SSRRestricted:      fr.SSR,
		SSRUnrestricted:    fu.SSR,
		DFNum:              p,
		DFDenom:            fu.DFResid,
		ParamsRestricted:   fr.Params,
		ParamsUnrestricted: fu.Params,
	}
	pf, dfu, nf := float64(p), float64(fu.DFResid), float64(rows)
	diff := fr.SSR - fu.SSR
	g.F = diff / pf / (fu.SSR / dfu)
	g.FPValue = FSurvival(g.F, pf, dfu)
	g.Chi2 = nf * diff / fu.SSR
	g.Chi2PValue = Chi2Survival(g.Chi2, pf)
	g.LR = nf * math.Log(fr.SSR/fu.SSR)
	g.LRPValue = Chi2Survival(g.LR, pf)

	// Wald test of the x-lag block b_x: F = b_x' V_xx⁻¹ b_x / p.
	g.WaldF, err = waldF(fu, p, 2*p)
	if err != nil {
		return GrangerLag{}, fmt.Errorf("Granger: Wald test at lag %d: %w", p, err)
	}
	g.WaldPValue = FSurvival(g.WaldF, pf, dfu)

	w := make([]float64, fu.K)
	for j := p; j < 2*p; j++ {
		w[j] = 1
	}
	g.SumX, err = fu.Combine(w)
	if err != nil {
		return GrangerLag{}, err
	}
	return g, nil
}

// waldF returns the Wald F statistic b' V⁻¹ b / q for the coefficients in
// columns [lo, hi) of a fit, q = hi - lo.
func waldF(r *OLSResult, lo, hi int) (float64, error) {
	q := hi - lo
	v := mat.NewSymDense(q, nil)
	b := mat.NewVecDense(q, nil)
	for i := 0; i < q; i++ {
		b.SetVec(i, r.Params[lo+i])
		for j := i; j < q; j++ {
			v.SetSym(i, j, r.Cov[lo+i][lo+j])
		}
	}
	var ch mat.Cholesky
	if ok := ch.Factorize(v); !ok {
		return 0, fmt.Errorf("%w: covariance of the tested coefficients is not positive definite", ErrSingular)
	}
	var s mat.VecDense
	if err := ch.SolveVecTo(&s, b); err != nil {
		return 0, fmt.Errorf("%w: %v", ErrSingular, err)
	}
	return mat.Dot(b, &s) / float64(q), nil
}

// checkFinite returns an ErrNaN error naming the first non-finite value.
func checkFinite(fn, name string, v []float64) error {
	for i, e := range v {
		if !finite(e) {
			return fmt.Errorf("%w: %s: %s[%d] = %g", ErrNaN, fn, name, i, e)
		}
	}
	return nil
}

// isConstant reports whether all values of v are equal (true for len < 2).
func isConstant(v []float64) bool {
	for _, e := range v[min(1, len(v)):] {
		if e != v[0] {
			return false
		}
	}
	return true
}
