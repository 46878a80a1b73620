package attrib

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrInvalidInput reports mismatched or empty inputs or non-finite values.
	ErrInvalidInput = errors.New("attrib: invalid input")
	// ErrNonPositive reports a value that must be positive (logarithms).
	ErrNonPositive = errors.New("attrib: value must be positive")
	// ErrZeroChange reports shares requested of a zero total change.
	ErrZeroChange = errors.New("attrib: total change is zero")
	// ErrTooManyFactors reports more than MaxFactors factors for an exact Shapley computation.
	ErrTooManyFactors = errors.New("attrib: too many factors")
	// ErrTooFewObservations reports too short a series.
	ErrTooFewObservations = errors.New("attrib: too few observations")
	// ErrConstant reports a series with zero variance.
	ErrConstant = errors.New("attrib: constant series")
)

// LogMean returns the logarithmic mean L(a,b) = (a-b)/(ln a - ln b) of two
// positive numbers, with L(a,a) = a. It returns 0 if either is zero (the
// limit) and NaN for negative or non-finite arguments.
func LogMean(a, b float64) float64 {
	switch {
	case math.IsNaN(a) || math.IsNaN(b) || a < 0 || b < 0 || math.IsInf(a, 0) || math.IsInf(b, 0):
		return math.NaN()
	case a == b:
		return a
	case a == 0 || b == 0:
		return 0
	}
	return (a - b) / math.Log1p((a-b)/b)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func checkVec(name string, x []float64) error {
	for i, v := range x {
		if !finite(v) {
			return fmt.Errorf("%w: %s[%d] = %g is not finite", ErrInvalidInput, name, i, v)
		}
	}
	return nil
}

// checkMatrix validates x0 and x1 as [factor][segment] matrices of equal
// shape and returns (factors, segments).
func checkMatrix(x0, x1 [][]float64) (int, int, error) {
	if len(x0) == 0 {
		return 0, 0, fmt.Errorf("%w: no factors", ErrInvalidInput)
	}
	if len(x0) != len(x1) {
		return 0, 0, fmt.Errorf("%w: %d factors in x0 but %d in x1", ErrInvalidInput, len(x0), len(x1))
	}
	m := len(x0[0])
	if m == 0 {
		return 0, 0, fmt.Errorf("%w: no segments", ErrInvalidInput)
	}
	for k := range x0 {
		if len(x0[k]) != m || len(x1[k]) != m {
			return 0, 0, fmt.Errorf("%w: factor %d has %d/%d segments, want %d", ErrInvalidInput, k, len(x0[k]), len(x1[k]), m)
		}
		if err := checkVec(fmt.Sprintf("x0[%d]", k), x0[k]); err != nil {
			return 0, 0, err
		}
		if err := checkVec(fmt.Sprintf("x1[%d]", k), x1[k]); err != nil {
			return 0, 0, err
		}
	}
	return len(x0), m, nil
}

// segmentValues returns V_i = prod_k x[k][i] and their sum.
func segmentValues(x [][]float64, m int) ([]float64, float64) {
	v := make([]float64, m)
	total := 0.0
	for i := 0; i < m; i++ {
		p := 1.0
		for k := range x {
			p *= x[k][i]
		}
		v[i] = p
		total += p
	}
	return v, total
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}
