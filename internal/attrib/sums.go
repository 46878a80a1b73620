package attrib

import "fmt"

// Deltas returns c1[j] - c0[j] for each child of an additive parent; they
// sum to the parent's change.
func Deltas(c0, c1 []float64) ([]float64, error) {
	if len(c0) == 0 || len(c0) != len(c1) {
		return nil, fmt.Errorf("%w: need equal non-empty lengths, got %d and %d", ErrInvalidInput, len(c0), len(c1))
	}
	if err := checkVec("c0", c0); err != nil {
		return nil, err
	}
	if err := checkVec("c1", c1); err != nil {
		return nil, err
	}
	d := make([]float64, len(c0))
	for j := range d {
		d[j] = c1[j] - c0[j]
	}
	return d, nil
}

// Shares returns contrib[j] / total, each contribution's share of the total
// change. A zero total gives ErrZeroChange.
func Shares(contrib []float64, total float64) ([]float64, error) {
	if err := checkVec("contrib", contrib); err != nil {
		return nil, err
	}
	if !finite(total) {
		return nil, fmt.Errorf("%w: total %g is not finite", ErrInvalidInput, total)
	}
	if total == 0 {
		return nil, fmt.Errorf("%w: shares of change are undefined", ErrZeroChange)
	}
	s := make([]float64, len(contrib))
	for j, c := range contrib {
		s[j] = c / total
	}
	return s, nil
}

// GrowthContributions returns each child's contribution to the parent's
// growth in percentage points, 100 (c1[j] - c0[j]) / P0 with P0 = sum c0,
// and the parent's growth in percent, 100 (P1 - P0) / P0. The contributions
// sum to the parent growth. P0 must not be zero.
func GrowthContributions(c0, c1 []float64) (pp []float64, parentPct float64, err error) {
	d, err := Deltas(c0, c1)
	if err != nil {
		return nil, 0, err
	}
	p0, p1 := sum(c0), sum(c1)
	if p0 == 0 {
		return nil, 0, fmt.Errorf("%w: parent is zero in the base period, growth is undefined", ErrZeroChange)
	}
	pp = make([]float64, len(d))
	for j := range d {
		pp[j] = 100 * d[j] / p0
	}
	return pp, 100 * (p1 - p0) / p0, nil
}

// VarianceResult decomposes the variance of a parent's period-to-period
// changes into its children's covariances with it.
type VarianceResult struct {
	VarDeltaP float64   // sample variance (ddof 1) of the parent's changes
	Cov       []float64 // cov(dC_j, dP) per child (ddof 1); sums to VarDeltaP
	Share     []float64 // Cov[j] / VarDeltaP; sums to 1
}

// VarianceDecomposition takes children's levels as levels[t][j] (period t,
// child j; the parent is their sum) and decomposes var(dP) into
// cov(dC_j, dP). It needs at least three periods and a parent whose changes
// are not constant.
func VarianceDecomposition(levels [][]float64) (VarianceResult, error) {
	T := len(levels)
	if T < 3 {
		return VarianceResult{}, fmt.Errorf("%w: need at least 3 periods, got %d", ErrTooFewObservations, T)
	}
	m := len(levels[0])
	if m == 0 {
		return VarianceResult{}, fmt.Errorf("%w: no children", ErrInvalidInput)
	}
	for t, row := range levels {
		if len(row) != m {
			return VarianceResult{}, fmt.Errorf("%w: period %d has %d children, want %d", ErrInvalidInput, t, len(row), m)
		}
		if err := checkVec(fmt.Sprintf("levels[%d]", t), row); err != nil {
			return VarianceResult{}, err
		}
	}
	nd := T - 1
	dP := make([]float64, nd)
	dC := make([][]float64, m)
	for j := range dC {
		dC[j] = make([]float64, nd)
	}
	for t := 1; t < T; t++ {
		for j := 0; j < m; j++ {
			d := levels[t][j] - levels[t-1][j]
			dC[j][t-1] = d
		}
		dP[t-1] = sum(levels[t]) - sum(levels[t-1])
	}
	mean := func(x []float64) float64 { return sum(x) / float64(len(x)) }
	cov := func(x, y []float64) float64 {
		mx, my := mean(x), mean(y)
		s := 0.0
		for i := range x {
			s += (x[i] - mx) * (y[i] - my)
		}
		return s / float64(len(x)-1)
	}
	var r VarianceResult
	r.VarDeltaP = cov(dP, dP)
	if r.VarDeltaP == 0 {
		return VarianceResult{}, fmt.Errorf("%w: the parent's changes have zero variance", ErrConstant)
	}
	r.Cov = make([]float64, m)
	r.Share = make([]float64, m)
	for j := 0; j < m; j++ {
		r.Cov[j] = cov(dC[j], dP)
		r.Share[j] = r.Cov[j] / r.VarDeltaP
	}
	return r, nil
}
