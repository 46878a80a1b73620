package attrib

import (
	"fmt"
	"math"
)

// LMDIResult is the LMDI-I decomposition of V = sum_i prod_k x[k][i].
type LMDIResult struct {
	V0, V1            float64     // totals in the two periods
	SegmentV0         []float64   // V_i^0 per segment
	SegmentV1         []float64   // V_i^1 per segment
	Weights           []float64   // L(V_i^1, V_i^0) per segment
	LogMeanTotal      float64     // L(V^1, V^0)
	Additive          []float64   // dV_k per factor; sums to V1 - V0
	AdditiveBySegment [][]float64 // [k][i] contribution of factor k in segment i
	// Multiplicative holds D_k per factor, whose product is V1/V0; nil when
	// a total is zero (the ratio is undefined).
	Multiplicative []float64
}

// LMDI computes the additive and multiplicative LMDI-I decomposition of the
// change in V = sum_i prod_k x[k][i] from x0 to x1 (indexed [factor][segment]).
// Values must be non-negative; zeros are handled as described in the package
// documentation.
func LMDI(x0, x1 [][]float64) (LMDIResult, error) {
	n, m, err := checkMatrix(x0, x1)
	if err != nil {
		return LMDIResult{}, err
	}
	for k := 0; k < n; k++ {
		for i := 0; i < m; i++ {
			if x0[k][i] < 0 || x1[k][i] < 0 {
				return LMDIResult{}, fmt.Errorf("%w: LMDI needs non-negative values, factor %d segment %d is %g -> %g",
					ErrNonPositive, k, i, x0[k][i], x1[k][i])
			}
		}
	}
	var r LMDIResult
	r.SegmentV0, r.V0 = segmentValues(x0, m)
	r.SegmentV1, r.V1 = segmentValues(x1, m)
	r.LogMeanTotal = LogMean(r.V1, r.V0)
	r.Weights = make([]float64, m)
	r.Additive = make([]float64, n)
	r.AdditiveBySegment = make([][]float64, n)
	for k := range r.AdditiveBySegment {
		r.AdditiveBySegment[k] = make([]float64, m)
	}
	for i := 0; i < m; i++ {
		v0, v1 := r.SegmentV0[i], r.SegmentV1[i]
		w := LogMean(v1, v0)
		r.Weights[i] = w
		switch {
		case v0 == 0 && v1 == 0:
			// nothing to attribute
		case v0 == 0 || v1 == 0:
			// limit of the small-value strategy: the factors that are zero
			// carry the whole (dis)appearance
			zeros := 0
			for k := 0; k < n; k++ {
				if (v0 == 0 && x0[k][i] == 0) || (v1 == 0 && x1[k][i] == 0) {
					zeros++
				}
			}
			share := (v1 - v0) / float64(zeros)
			for k := 0; k < n; k++ {
				if (v0 == 0 && x0[k][i] == 0) || (v1 == 0 && x1[k][i] == 0) {
					r.AdditiveBySegment[k][i] = share
				}
			}
		default:
			for k := 0; k < n; k++ {
				r.AdditiveBySegment[k][i] = w * math.Log(x1[k][i]/x0[k][i])
			}
		}
	}
	for k := 0; k < n; k++ {
		r.Additive[k] = sum(r.AdditiveBySegment[k])
	}
	if r.V0 > 0 && r.V1 > 0 {
		r.Multiplicative = make([]float64, n)
		for k := 0; k < n; k++ {
			// D_k = exp(sum_i L(V_i^1,V_i^0)/L(V^1,V^0) ln(x1/x0)) = exp(dV_k / L(V^1,V^0))
			r.Multiplicative[k] = math.Exp(r.Additive[k] / r.LogMeanTotal)
		}
	}
	return r, nil
}
