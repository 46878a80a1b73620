package sample

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrInvalidParameter reports an invalid distribution or copula parameter.
	ErrInvalidParameter = errors.New("sample: invalid parameter")
	// ErrNotPositiveDefinite reports a correlation matrix that is not positive definite.
	ErrNotPositiveDefinite = errors.New("sample: correlation matrix is not positive definite")
	// ErrDimension reports blocks whose number or lengths do not match.
	ErrDimension = errors.New("sample: dimension mismatch")
)

// Dist is a univariate distribution for Monte Carlo inputs.
type Dist interface {
	// Fill overwrites dst with independent draws from rng (which must not be
	// nil). It does not allocate.
	Fill(dst []float64, rng *Rand)
	// Quantile returns the inverse CDF at p in [0, 1] (NaN outside).
	Quantile(p float64) float64
	// Mean returns the distribution's mean.
	Mean() float64
	// Variance returns the distribution's variance.
	Variance() float64
}

func finite(x ...float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func badP(p float64) bool { return !(p >= 0 && p <= 1) }

// Normal is the normal distribution N(Mu, Sigma^2).
type Normal struct{ mu, sigma float64 }

// NewNormal returns N(mu, sigma^2); sigma must be positive.
func NewNormal(mu, sigma float64) (*Normal, error) {
	if !finite(mu, sigma) || !(sigma > 0) {
		return nil, fmt.Errorf("%w: normal needs finite mu and sigma > 0, got mu=%g sigma=%g", ErrInvalidParameter, mu, sigma)
	}
	return &Normal{mu, sigma}, nil
}

// Fill implements Dist.
func (d *Normal) Fill(dst []float64, rng *Rand) {
	rng.FillNormal(dst, d.mu, d.sigma)
}

// Quantile implements Dist.
func (d *Normal) Quantile(p float64) float64 {
	if badP(p) {
		return math.NaN()
	}
	return d.mu + d.sigma*mathext.NormalQuantile(p)
}

// Mean implements Dist.
func (d *Normal) Mean() float64 { return d.mu }

// Variance implements Dist.
func (d *Normal) Variance() float64 { return d.sigma * d.sigma }

// LogNormal is the distribution of exp(X) with X ~ N(Mu, Sigma^2).
type LogNormal struct{ mu, sigma float64 }

// NewLogNormal returns the lognormal whose log has mean mu and standard
// deviation sigma > 0.
func NewLogNormal(mu, sigma float64) (*LogNormal, error) {
	if !finite(mu, sigma) || !(sigma > 0) {
		return nil, fmt.Errorf("%w: lognormal needs finite mu and sigma > 0 (of the log), got mu=%g sigma=%g", ErrInvalidParameter, mu, sigma)
	}
	return &LogNormal{mu, sigma}, nil
}

// NewLogNormalMeanSD returns the lognormal with the given mean > 0 and
// standard deviation sd > 0 of the variable itself:
// sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2.
func NewLogNormalMeanSD(mean, sd float64) (*LogNormal, error) {
	if !finite(mean, sd) || !(mean > 0) || !(sd > 0) {
		return nil, fmt.Errorf("%w: lognormal needs mean > 0 and sd > 0, got mean=%g sd=%g", ErrInvalidParameter, mean, sd)
	}
	cv := sd / mean
	s2 := math.Log1p(cv * cv)
	return NewLogNormal(math.Log(mean)-s2/2, math.Sqrt(s2))
}

// MuSigma returns the mean and standard deviation of the log.
func (d *LogNormal) MuSigma() (mu, sigma float64) { return d.mu, d.sigma }

// Fill implements Dist.
func (d *LogNormal) Fill(dst []float64, rng *Rand) {
	rng.FillNormal(dst, d.mu, d.sigma)
	for i, x := range dst {
		dst[i] = math.Exp(x)
	}
}

// Quantile implements Dist.
func (d *LogNormal) Quantile(p float64) float64 {
	if badP(p) {
		return math.NaN()
	}
	return math.Exp(d.mu + d.sigma*mathext.NormalQuantile(p))
}

// Mean implements Dist.
func (d *LogNormal) Mean() float64 { return math.Exp(d.mu + d.sigma*d.sigma/2) }

// Variance implements Dist.
func (d *LogNormal) Variance() float64 {
	s2 := d.sigma * d.sigma
	return math.Expm1(s2) * math.Exp(2*d.mu+s2)
}

// Uniform is the continuous uniform distribution on [Lo, Hi).
type Uniform struct{ lo, hi float64 }

// NewUniform returns the uniform distribution on [lo, hi); lo < hi.
func NewUniform(lo, hi float64) (*Uniform, error) {
	if !finite(lo, hi) || !(lo < hi) {
		return nil, fmt.Errorf("%w: uniform needs finite lo < hi, got lo=%g hi=%g", ErrInvalidParameter, lo, hi)
	}
	return &Uniform{lo, hi}, nil
}

// Fill implements Dist.
func (d *Uniform) Fill(dst []float64, rng *Rand) {
	w := d.hi - d.lo
	for i := range dst {
		dst[i] = d.lo + w*rng.Float64()
	}
}

// Quantile implements Dist.
func (d *Uniform) Quantile(p float64) float64 {
	if badP(p) {
		return math.NaN()
	}
	return d.lo + (d.hi-d.lo)*p
}

// Mean implements Dist.
func (d *Uniform) Mean() float64 { return (d.lo + d.hi) / 2 }

// Variance implements Dist.
func (d *Uniform) Variance() float64 { w := d.hi - d.lo; return w * w / 12 }

// Triangular is the triangular distribution on [Lo, Hi] with the given mode.
type Triangular struct{ lo, mode, hi float64 }

// NewTriangular returns the triangular distribution with lo < hi and
// lo <= mode <= hi (numpy's triangular(left, mode, right) order).
func NewTriangular(lo, mode, hi float64) (*Triangular, error) {
	if !finite(lo, mode, hi) || !(lo < hi) {
		return nil, fmt.Errorf("%w: triangular needs finite lo < hi, got lo=%g hi=%g", ErrInvalidParameter, lo, hi)
	}
	if mode < lo || mode > hi {
		return nil, fmt.Errorf("%w: triangular mode %g outside [%g, %g]", ErrInvalidParameter, mode, lo, hi)
	}
	return &Triangular{lo, mode, hi}, nil
}

// Fill implements Dist.
func (d *Triangular) Fill(dst []float64, rng *Rand) {
	for i := range dst {
		dst[i] = d.Quantile(rng.Float64())
	}
}

// Quantile implements Dist.
func (d *Triangular) Quantile(p float64) float64 {
	if badP(p) {
		return math.NaN()
	}
	a, b, c := d.lo, d.hi, d.mode
	if p*(b-a) < c-a {
		return a + math.Sqrt(p*(b-a)*(c-a))
	}
	return b - math.Sqrt((1-p)*(b-a)*(b-c))
}

// Mean implements Dist.
func (d *Triangular) Mean() float64 { return (d.lo + d.mode + d.hi) / 3 }

// Variance implements Dist.
func (d *Triangular) Variance() float64 {
	a, b, c := d.lo, d.hi, d.mode
	return (a*a + b*b + c*c - a*b - a*c - b*c) / 18
}

// Beta is the beta distribution on [0, 1] with shapes Alpha and Beta.
type Beta struct{ alpha, beta float64 }

// NewBeta returns the beta distribution with shapes alpha > 0, beta > 0.
func NewBeta(alpha, beta float64) (*Beta, error) {
	if !finite(alpha, beta) || !(alpha > 0) || !(beta > 0) {
		return nil, fmt.Errorf("%w: beta needs shapes > 0, got alpha=%g beta=%g", ErrInvalidParameter, alpha, beta)
	}
	return &Beta{alpha, beta}, nil
}

// Fill implements Dist.
func (d *Beta) Fill(dst []float64, rng *Rand) {
	for i := range dst {
		dst[i] = betaDraw(d.alpha, d.beta, rng)
	}
}

// Quantile implements Dist.
func (d *Beta) Quantile(p float64) float64 {
	switch {
	case badP(p):
		return math.NaN()
	case p == 0:
		return 0
	case p == 1:
		return 1
	}
	return mathext.InvRegIncBeta(d.alpha, d.beta, p)
}

// Mean implements Dist.
func (d *Beta) Mean() float64 { return d.alpha / (d.alpha + d.beta) }

// Variance implements Dist.
func (d *Beta) Variance() float64 {
	s := d.alpha + d.beta
	return d.alpha * d.beta / (s * s * (s + 1))
}

func betaDraw(a, b float64, rng *Rand) float64 {
	x := gammaDraw(a, rng)
	y := gammaDraw(b, rng)
	return x / (x + y)
}

// gammaDraw returns a Gamma(shape, 1) variate (Marsaglia & Tsang 2000).
func gammaDraw(shape float64, rng *Rand) float64 {
	if shape < 1 {
		// boost: G(a) = G(a+1) * U^(1/a)
		u := rng.Float64()
		for u == 0 {
			u = rng.Float64()
		}
		return gammaDraw(shape+1, rng) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		var x, v float64
		for {
			x = rng.NormFloat64()
			v = 1 + c*x
			if v > 0 {
				break
			}
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x {
			return d * v
		}
		if u > 0 && math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// DefaultPERTLambda is the usual beta-PERT shape weight on the mode.
const DefaultPERTLambda = 4.0

// PERT is the beta-PERT distribution on [Lo, Hi]: Lo + (Hi-Lo)*Beta(a, b)
// with a = 1 + lambda (mode-lo)/(hi-lo), b = 1 + lambda (hi-mode)/(hi-lo),
// whose mean is (lo + lambda*mode + hi)/(lambda + 2).
type PERT struct {
	lo, hi float64
	beta   Beta
}

// NewPERT returns the beta-PERT distribution with lambda = 4.
func NewPERT(lo, mode, hi float64) (*PERT, error) {
	return NewPERTLambda(lo, mode, hi, DefaultPERTLambda)
}

// NewPERTLambda returns the beta-PERT distribution with shape weight
// lambda > 0; lo < hi and lo <= mode <= hi.
func NewPERTLambda(lo, mode, hi, lambda float64) (*PERT, error) {
	if !finite(lo, mode, hi, lambda) || !(lo < hi) {
		return nil, fmt.Errorf("%w: PERT needs finite lo < hi, got lo=%g hi=%g", ErrInvalidParameter, lo, hi)
	}
	if mode < lo || mode > hi {
		return nil, fmt.Errorf("%w: PERT mode %g outside [%g, %g]", ErrInvalidParameter, mode, lo, hi)
	}
	if !(lambda > 0) {
		return nil, fmt.Errorf("%w: PERT lambda must be positive, got %g", ErrInvalidParameter, lambda)
	}
	w := hi - lo
	return &PERT{lo: lo, hi: hi, beta: Beta{1 + lambda*(mode-lo)/w, 1 + lambda*(hi-mode)/w}}, nil
}

// Shapes returns the beta shape parameters.
func (d *PERT) Shapes() (alpha, beta float64) { return d.beta.alpha, d.beta.beta }

// Fill implements Dist.
func (d *PERT) Fill(dst []float64, rng *Rand) {
	w := d.hi - d.lo
	for i := range dst {
		dst[i] = d.lo + w*betaDraw(d.beta.alpha, d.beta.beta, rng)
	}
}

// Quantile implements Dist.
func (d *PERT) Quantile(p float64) float64 { return d.lo + (d.hi-d.lo)*d.beta.Quantile(p) }

// Mean implements Dist.
func (d *PERT) Mean() float64 { return d.lo + (d.hi-d.lo)*d.beta.Mean() }

// Variance implements Dist.
func (d *PERT) Variance() float64 { w := d.hi - d.lo; return w * w * d.beta.Variance() }

// Empirical resamples a history with replacement (each observation equally
// likely).
type Empirical struct {
	hist   []float64 // in the caller's order
	sorted []float64
}

// NewEmpirical returns the empirical distribution of history, which is
// copied. history must be non-empty and finite.
func NewEmpirical(history []float64) (*Empirical, error) {
	if len(history) == 0 {
		return nil, fmt.Errorf("%w: empirical distribution needs a non-empty history", ErrInvalidParameter)
	}
	for i, v := range history {
		if !finite(v) {
			return nil, fmt.Errorf("%w: history[%d] = %g is not finite", ErrInvalidParameter, i, v)
		}
	}
	h := slices.Clone(history)
	s := slices.Clone(history)
	slices.Sort(s)
	return &Empirical{hist: h, sorted: s}, nil
}

// Fill implements Dist.
func (d *Empirical) Fill(dst []float64, rng *Rand) {
	n := len(d.hist)
	for i := range dst {
		dst[i] = d.hist[rng.IntN(n)]
	}
}

// Quantile implements Dist: the inverse of the empirical CDF, the smallest
// observation x with F(x) >= p (p = 0 gives the minimum).
func (d *Empirical) Quantile(p float64) float64 {
	if badP(p) {
		return math.NaN()
	}
	n := len(d.sorted)
	k := int(math.Ceil(p*float64(n))) - 1
	return d.sorted[min(max(k, 0), n-1)]
}

// Mean implements Dist.
func (d *Empirical) Mean() float64 {
	s := 0.0
	for _, v := range d.hist {
		s += v
	}
	return s / float64(len(d.hist))
}

// Variance implements Dist: the population variance of the history (the
// variance of a resampled draw).
func (d *Empirical) Variance() float64 {
	m := d.Mean()
	s := 0.0
	for _, v := range d.hist {
		s += (v - m) * (v - m)
	}
	return s / float64(len(d.hist))
}
