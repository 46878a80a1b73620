package stats

import (
	"fmt"
	"math"
	"slices"
)

// Method is a multiple-testing adjustment (statsmodels multipletests names in
// parentheses).
type Method int

const (
	// Bonferroni controls the family-wise error rate: p·m ("bonferroni").
	Bonferroni Method = iota
	// Holm is the Holm-Bonferroni step-down procedure, uniformly more
	// powerful than Bonferroni with the same guarantee ("holm").
	Holm
	// BenjaminiHochberg controls the false discovery rate for independent or
	// positively correlated tests ("fdr_bh").
	BenjaminiHochberg
	// BenjaminiYekutieli controls the false discovery rate under arbitrary
	// dependence ("fdr_by").
	BenjaminiYekutieli
)

var methodNames = [...]string{
	Bonferroni:         "bonferroni",
	Holm:               "holm",
	BenjaminiHochberg:  "fdr_bh",
	BenjaminiYekutieli: "fdr_by",
}

// String returns the statsmodels name of the method ("bonferroni", "holm",
// "fdr_bh", "fdr_by").
func (m Method) String() string {
	if m < 0 || int(m) >= len(methodNames) {
		return fmt.Sprintf("Method(%d)", int(m))
	}
	return methodNames[m]
}

// ParseMethod returns the Method named s, as returned by Method.String.
func ParseMethod(s string) (Method, error) {
	for m, name := range methodNames {
		if s == name {
			return Method(m), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown multiple-testing method %q (want bonferroni, holm, fdr_bh or fdr_by)", ErrInvalidArgument, s)
}

// Adjust applies a multiple-testing adjustment to the p-values p and returns
// the adjusted p-values (capped at 1) and which hypotheses are rejected at
// level alpha, both in the order of p, exactly as statsmodels'
// multipletests(p, alpha, method).
//
// p must hold values in [0, 1] and alpha must lie in (0, 1); otherwise the
// error wraps ErrNaN or ErrInvalidArgument. An empty p gives empty results.
func Adjust(p []float64, method Method, alpha float64) (adj []float64, reject []bool, err error) {
	if method < 0 || int(method) >= len(methodNames) {
		return nil, nil, fmt.Errorf("%w: Adjust: unknown method %v", ErrInvalidArgument, method)
	}
	if !(alpha > 0 && alpha < 1) {
		return nil, nil, fmt.Errorf("%w: Adjust: alpha = %g, must be in (0, 1)", ErrInvalidArgument, alpha)
	}
	for i, v := range p {
		if math.IsNaN(v) {
			return nil, nil, fmt.Errorf("%w: Adjust: p[%d] is NaN", ErrNaN, i)
		}
		if v < 0 || v > 1 {
			return nil, nil, fmt.Errorf("%w: Adjust: p[%d] = %g is not a probability", ErrInvalidArgument, i, v)
		}
	}
	m := len(p)
	adj = make([]float64, m)
	reject = make([]bool, m)
	if m == 0 {
		return adj, reject, nil
	}

	// Work on the p-values in ascending order (stable, so ties keep their
	// input order and the output is deterministic).
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	ps := make([]float64, m)
	for i, o := range order {
		ps[i] = p[o]
	}
	as := make([]float64, m)
	rs := make([]bool, m)
	mf := float64(m)

	switch method {
	case Bonferroni:
		for i, v := range ps {
			as[i] = math.Min(1, v*mf)
			rs[i] = v <= alpha/mf
		}
	case Holm:
		// Step down: reject while p_(i) <= alpha/(m-i); stop at the first
		// failure. Adjusted p_(i) = max_{j<=i} (m-j)·p_(j).
		stopped := false
		var run float64
		for i, v := range ps {
			if !stopped && v > alpha/float64(m-i) {
				stopped = true
			}
			rs[i] = !stopped
			run = math.Max(run, v*float64(m-i))
			as[i] = math.Min(1, run)
		}
	case BenjaminiHochberg, BenjaminiYekutieli:
		// ecdf factor i/m, divided by c(m) = sum_{j<=m} 1/j for BY.
		cm := 1.0
		if method == BenjaminiYekutieli {
			cm = 0
			for j := 1; j <= m; j++ {
				cm += 1 / float64(j)
			}
		}
		factor := func(i int) float64 {
			f := float64(i+1) / mf
			if method == BenjaminiYekutieli {
				f /= cm
			}
			return f
		}
		// Step up: reject every hypothesis up to the largest i with
		// p_(i) <= alpha·factor(i). Adjusted p_(i) = min_{j>=i} p_(j)/factor(j).
		last := -1
		for i, v := range ps {
			if v <= factor(i)*alpha {
				last = i
			}
		}
		run := math.Inf(1)
		for i := m - 1; i >= 0; i-- {
			run = math.Min(run, ps[i]/factor(i))
			as[i] = math.Min(1, run)
			rs[i] = i <= last
		}
	}
	for i, o := range order {
		adj[o] = as[i]
		reject[o] = rs[i]
	}
	return adj, reject, nil
}
