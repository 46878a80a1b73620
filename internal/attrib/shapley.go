package attrib

import "fmt"

// MaxFactors is the largest number of factors accepted by the exact Shapley
// computations (which evaluate the function 2^n times).
const MaxFactors = 20

func checkPair(x0, x1 []float64) error {
	if len(x0) == 0 {
		return fmt.Errorf("%w: no factors", ErrInvalidInput)
	}
	if len(x0) != len(x1) {
		return fmt.Errorf("%w: x0 has %d factors, x1 has %d", ErrInvalidInput, len(x0), len(x1))
	}
	if len(x0) > MaxFactors {
		return fmt.Errorf("%w: %d factors, exact Shapley supports at most %d", ErrTooManyFactors, len(x0), MaxFactors)
	}
	if err := checkVec("x0", x0); err != nil {
		return err
	}
	return checkVec("x1", x1)
}

// Shapley returns the Shapley value of each factor for the change
// f(x1) - f(x0): phi_k = sum over coalitions S not containing k of
// |S|!(n-|S|-1)!/n! [v(S+k) - v(S)], where v(S) = f(z) with z_j = x1[j] for j
// in S and x0[j] otherwise. The contributions sum to f(x1) - f(x0) up to
// rounding. f is called 2^n times with a scratch slice it must not retain.
// A non-finite value of f is an error.
func Shapley(f func(x []float64) float64, x0, x1 []float64) ([]float64, error) {
	if f == nil {
		return nil, fmt.Errorf("%w: nil function", ErrInvalidInput)
	}
	if err := checkPair(x0, x1); err != nil {
		return nil, err
	}
	n := len(x0)
	v := make([]float64, 1<<n)
	z := make([]float64, n)
	for mask := range v {
		for j := 0; j < n; j++ {
			if mask&(1<<j) != 0 {
				z[j] = x1[j]
			} else {
				z[j] = x0[j]
			}
		}
		v[mask] = f(z)
		if !finite(v[mask]) {
			return nil, fmt.Errorf("%w: f = %g at coalition %b", ErrInvalidInput, v[mask], mask)
		}
	}
	return shapleyFromValues(n, v), nil
}

// shapleyFromValues computes Shapley values from coalition values v[mask].
func shapleyFromValues(n int, v []float64) []float64 {
	// w[s] = s!(n-s-1)!/n! = 1/(n*C(n-1,s))
	w := make([]float64, n)
	c := 1.0 // C(n-1, s)
	for s := 0; s < n; s++ {
		w[s] = 1 / (float64(n) * c)
		c = c * float64(n-1-s) / float64(s+1)
	}
	phi := make([]float64, n)
	for k := 0; k < n; k++ {
		bit := 1 << k
		acc := 0.0
		for mask := range v {
			if mask&bit != 0 {
				continue
			}
			acc += w[popcount(mask)] * (v[mask|bit] - v[mask])
		}
		phi[k] = acc
	}
	return phi
}

func popcount(x int) int {
	c := 0
	for x != 0 {
		x &= x - 1
		c++
	}
	return c
}

// Sequential returns the sequential (chain-linked) decomposition of
// f(x1) - f(x0): factors switch from x0 to x1 one at a time in the given
// order, and each is credited with the change its switch causes. order must
// be a permutation of 0..n-1; the result is indexed by factor, not position.
func Sequential(f func(x []float64) float64, x0, x1 []float64, order []int) ([]float64, error) {
	if f == nil {
		return nil, fmt.Errorf("%w: nil function", ErrInvalidInput)
	}
	if err := checkPair(x0, x1); err != nil {
		return nil, err
	}
	if err := checkOrder(order, len(x0)); err != nil {
		return nil, err
	}
	z := append([]float64(nil), x0...)
	prev := f(z)
	if !finite(prev) {
		return nil, fmt.Errorf("%w: f(x0) = %g", ErrInvalidInput, prev)
	}
	out := make([]float64, len(x0))
	for _, k := range order {
		z[k] = x1[k]
		cur := f(z)
		if !finite(cur) {
			return nil, fmt.Errorf("%w: f = %g after switching factor %d", ErrInvalidInput, cur, k)
		}
		out[k] = cur - prev
		prev = cur
	}
	return out, nil
}

func checkOrder(order []int, n int) error {
	if len(order) != n {
		return fmt.Errorf("%w: order has %d entries, want %d", ErrInvalidInput, len(order), n)
	}
	seen := make([]bool, n)
	for _, k := range order {
		if k < 0 || k >= n || seen[k] {
			return fmt.Errorf("%w: order %v is not a permutation of 0..%d", ErrInvalidInput, order, n-1)
		}
		seen[k] = true
	}
	return nil
}

// ProductResult is an exact decomposition of V = sum_i prod_k x[k][i].
type ProductResult struct {
	V0, V1    float64     // totals in the two periods
	Phi       []float64   // contribution per factor; sums to V1 - V0
	BySegment [][]float64 // [k][i] contribution of factor k in segment i; sums over i to Phi[k]
}

// segmentColumn extracts segment i's factor values.
func segmentColumn(x [][]float64, i int, dst []float64) {
	for k := range x {
		dst[k] = x[k][i]
	}
}

func product(x []float64) float64 {
	p := 1.0
	for _, v := range x {
		p *= v
	}
	return p
}

func productDecomp(x0, x1 [][]float64, seg func(a, b []float64) ([]float64, error)) (ProductResult, error) {
	n, m, err := checkMatrix(x0, x1)
	if err != nil {
		return ProductResult{}, err
	}
	if n > MaxFactors {
		return ProductResult{}, fmt.Errorf("%w: %d factors, exact Shapley supports at most %d", ErrTooManyFactors, n, MaxFactors)
	}
	var r ProductResult
	_, r.V0 = segmentValues(x0, m)
	_, r.V1 = segmentValues(x1, m)
	r.Phi = make([]float64, n)
	r.BySegment = make([][]float64, n)
	for k := range r.BySegment {
		r.BySegment[k] = make([]float64, m)
	}
	a := make([]float64, n)
	b := make([]float64, n)
	for i := 0; i < m; i++ {
		segmentColumn(x0, i, a)
		segmentColumn(x1, i, b)
		phi, err := seg(a, b)
		if err != nil {
			return ProductResult{}, fmt.Errorf("segment %d: %w", i, err)
		}
		for k := range phi {
			r.BySegment[k][i] = phi[k]
		}
	}
	for k := range r.Phi {
		r.Phi[k] = sum(r.BySegment[k])
	}
	if !finite(r.V0) || !finite(r.V1) {
		return ProductResult{}, fmt.Errorf("%w: totals overflow (%g, %g)", ErrInvalidInput, r.V0, r.V1)
	}
	return r, nil
}

// ShapleyProduct returns the Shapley decomposition of the change in
// V = sum_i prod_k x[k][i] (indexed [factor][segment]), with the factors as
// players shared across segments. By linearity the value is the sum over
// segments of each segment's product Shapley values, which are reported in
// BySegment.
func ShapleyProduct(x0, x1 [][]float64) (ProductResult, error) {
	return productDecomp(x0, x1, func(a, b []float64) ([]float64, error) {
		return Shapley(product, a, b)
	})
}

// SequentialProduct returns the sequential decomposition of the change in
// V = sum_i prod_k x[k][i] for one ordering of the factors (a permutation of
// 0..n-1), per factor and per segment.
func SequentialProduct(x0, x1 [][]float64, order []int) (ProductResult, error) {
	if len(x0) > 0 {
		if err := checkOrder(order, len(x0)); err != nil {
			return ProductResult{}, err
		}
	}
	return productDecomp(x0, x1, func(a, b []float64) ([]float64, error) {
		return Sequential(product, a, b, order)
	})
}
