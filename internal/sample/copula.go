package sample

import (
	"fmt"
	"math"
)

// GaussianCopula draws correlated inputs: standard normals z = L e with L
// the Cholesky factor of a correlation matrix, mapped to uniforms
// u = Phi(z) and then through each marginal's quantile function.
type GaussianCopula struct {
	n int
	l []float64 // lower-triangular Cholesky factor, row-major n*n
}

// symTol is the tolerance on symmetry and on the unit diagonal.
const symTol = 1e-12

// NewGaussianCopula validates the correlation matrix corr (square,
// symmetric, unit diagonal, entries in [-1, 1]) and factors it. A matrix that
// is not positive definite (for example two perfectly correlated inputs or
// an inconsistent set of pairwise correlations) gives an error wrapping
// ErrNotPositiveDefinite that names the first failing leading minor.
func NewGaussianCopula(corr [][]float64) (*GaussianCopula, error) {
	n := len(corr)
	if n == 0 {
		return nil, fmt.Errorf("%w: empty correlation matrix", ErrInvalidParameter)
	}
	for i, row := range corr {
		if len(row) != n {
			return nil, fmt.Errorf("%w: correlation matrix row %d has %d entries, want %d", ErrInvalidParameter, i, len(row), n)
		}
		for j, v := range row {
			switch {
			case !finite(v):
				return nil, fmt.Errorf("%w: correlation [%d][%d] = %g is not finite", ErrInvalidParameter, i, j, v)
			case i == j && math.Abs(v-1) > symTol:
				return nil, fmt.Errorf("%w: correlation diagonal [%d][%d] = %g, want 1", ErrInvalidParameter, i, i, v)
			case v < -1 || v > 1:
				return nil, fmt.Errorf("%w: correlation [%d][%d] = %g outside [-1, 1]", ErrInvalidParameter, i, j, v)
			case j < i && math.Abs(v-corr[j][i]) > symTol:
				return nil, fmt.Errorf("%w: correlation matrix not symmetric: [%d][%d] = %g, [%d][%d] = %g", ErrInvalidParameter, i, j, v, j, i, corr[j][i])
			}
		}
	}
	l := make([]float64, n*n)
	for j := 0; j < n; j++ {
		s := 1.0 // corr[j][j]
		for k := 0; k < j; k++ {
			s -= l[j*n+k] * l[j*n+k]
		}
		if !(s > 1e-12) {
			return nil, fmt.Errorf("%w: leading minor of order %d is not positive (pivot %g); input %d is a linear combination of inputs 0..%d or the correlations are inconsistent",
				ErrNotPositiveDefinite, j+1, s, j, j-1)
		}
		d := math.Sqrt(s)
		l[j*n+j] = d
		for i := j + 1; i < n; i++ {
			t := corr[i][j]
			for k := 0; k < j; k++ {
				t -= l[i*n+k] * l[j*n+k]
			}
			l[i*n+j] = t / d
		}
	}
	return &GaussianCopula{n: n, l: l}, nil
}

// Dim returns the number of correlated inputs.
func (c *GaussianCopula) Dim() int { return c.n }

func (c *GaussianCopula) checkBlocks(dst [][]float64) (int, error) {
	if len(dst) != c.n {
		return 0, fmt.Errorf("%w: %d blocks for %d inputs", ErrDimension, len(dst), c.n)
	}
	m := len(dst[0])
	for j := range dst {
		if len(dst[j]) != m {
			return 0, fmt.Errorf("%w: block %d has %d draws, block 0 has %d", ErrDimension, j, len(dst[j]), m)
		}
	}
	return m, nil
}

// FillNormal fills dst[j][t] (input j, draw t) with standard normals whose
// correlation matrix is the copula's. All blocks must have the same length.
// It does not allocate.
func (c *GaussianCopula) FillNormal(dst [][]float64, rng *Rand) error {
	m, err := c.checkBlocks(dst)
	if err != nil {
		return err
	}
	n := c.n
	for t := 0; t < m; t++ {
		for j := 0; j < n; j++ {
			dst[j][t] = rng.NormFloat64()
		}
		// z = L e in place, bottom row first: row j uses e_0..e_j only.
		for j := n - 1; j >= 0; j-- {
			s := 0.0
			row := c.l[j*n : j*n+j+1]
			for k, lk := range row {
				s += lk * dst[k][t]
			}
			dst[j][t] = s
		}
	}
	return nil
}

// smallest and largest float64 strictly inside (0, 1)
const (
	uMin = 0x1p-1074
	uMax = 1 - 0x1p-53
)

// FillUniform fills dst[j][t] with correlated Uniform(0,1) draws (the
// Gaussian copula itself). Values are kept strictly inside (0, 1).
func (c *GaussianCopula) FillUniform(dst [][]float64, rng *Rand) error {
	if err := c.FillNormal(dst, rng); err != nil {
		return err
	}
	for _, b := range dst {
		for t, z := range b {
			b[t] = min(max(0.5*math.Erfc(-z/math.Sqrt2), uMin), uMax)
		}
	}
	return nil
}

// Fill fills dst[j][t] with draws of marginals[j] joined by the copula:
// marginals[j].Quantile applied to the correlated uniforms.
func (c *GaussianCopula) Fill(dst [][]float64, marginals []Dist, rng *Rand) error {
	if len(marginals) != c.n {
		return fmt.Errorf("%w: %d marginals for %d inputs", ErrDimension, len(marginals), c.n)
	}
	for j, d := range marginals {
		if d == nil {
			return fmt.Errorf("%w: marginal %d is nil", ErrInvalidParameter, j)
		}
	}
	if err := c.FillUniform(dst, rng); err != nil {
		return err
	}
	for j, b := range dst {
		q := marginals[j]
		for t, u := range b {
			b[t] = q.Quantile(u)
		}
	}
	return nil
}
