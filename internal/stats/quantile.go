package stats

import "math"

// QuantileMethod selects a sample quantile definition (Hyndman and Fan 1996).
type QuantileMethod int

const (
	// QuantileLinear is numpy's default "linear" method, Hyndman-Fan type 7:
	// interpolate at position (n-1)p of the sorted sample (0-based).
	QuantileLinear QuantileMethod = iota
	// QuantileInterpolatedInvertedCDF is numpy's "interpolated_inverted_cdf",
	// Hyndman-Fan type 4: interpolate at position np-1, clamped to the sample.
	// It equals gonum's stat.Quantile with stat.LinInterp.
	QuantileInterpolatedInvertedCDF
	// QuantileInvertedCDF is numpy's "inverted_cdf", Hyndman-Fan type 1: the
	// smallest sample value whose empirical CDF is at least p. It equals
	// gonum's stat.Quantile with stat.Empirical.
	QuantileInvertedCDF
)

// Quantile returns the p-quantile (0 <= p <= 1) of an ascending sample by
// numpy's default definition (type 7, [QuantileLinear]). It returns NaN for an
// empty sample or a p outside [0, 1]; the sample is not checked for order.
func Quantile(sorted []float64, p float64) float64 {
	return QuantileWith(sorted, p, QuantileLinear)
}

// QuantileWith returns the p-quantile of an ascending sample by method m,
// with numpy 1.24's arithmetic (so results agree with numpy.quantile to the
// last bit or two). It returns NaN for an empty sample, a p outside [0, 1]
// or an unknown method; the sample is not checked for order.
func QuantileWith(sorted []float64, p float64, m QuantileMethod) float64 {
	n := len(sorted)
	if n == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	switch m {
	case QuantileLinear:
		return quantileInterpolate(sorted, float64(n-1)*p)
	case QuantileInterpolatedInvertedCDF:
		return quantileInterpolate(sorted, float64(n)*p-1)
	case QuantileInvertedCDF:
		idx := float64(n)*p - 1
		prev := math.Floor(idx)
		i := int(prev)
		if idx-prev != 0 {
			i++
		}
		i = max(0, min(i, n-1))
		return sorted[i]
	default:
		return math.NaN()
	}
}

// quantileInterpolate interpolates the sorted sample at a 0-based virtual
// index, clamping outside [0, n-1], using numpy's lerp (which interpolates
// from the nearer end point for gamma >= 0.5).
func quantileInterpolate(sorted []float64, vi float64) float64 {
	n := len(sorted)
	if vi >= float64(n-1) {
		return sorted[n-1]
	}
	if vi < 0 {
		return sorted[0]
	}
	prev := math.Floor(vi)
	i := int(prev)
	a, b := sorted[i], sorted[i+1]
	g := vi - prev
	d := b - a
	if g >= 0.5 {
		return b - d*(1-g)
	}
	return a + d*g
}

// PercentileRanks holds the percentile (0..100) of a score within a sample by
// the four definitions of scipy.stats.percentileofscore.
type PercentileRanks struct {
	// Rank averages the weak and strict percentiles when the score is tied
	// with sample values (scipy's default "rank").
	Rank float64
	// Weak is the percentage of values <= score.
	Weak float64
	// Strict is the percentage of values < score.
	Strict float64
	// Mean is the average of Weak and Strict.
	Mean float64
}

// PercentileOfScore returns the percentile of score within data (in any
// order), computed as scipy 1.10's percentileofscore does. An empty sample or
// a NaN anywhere gives NaN in every field.
func PercentileOfScore(data []float64, score float64) PercentileRanks {
	nan := math.NaN()
	if len(data) == 0 || math.IsNaN(score) {
		return PercentileRanks{nan, nan, nan, nan}
	}
	left, right := 0, 0
	for _, v := range data {
		if math.IsNaN(v) {
			return PercentileRanks{nan, nan, nan, nan}
		}
		if v < score {
			left++
		}
		if v <= score {
			right++
		}
	}
	n := float64(len(data))
	plus1 := 0
	if left < right {
		plus1 = 1
	}
	return PercentileRanks{
		Rank:   float64(left+right+plus1) * (50.0 / n),
		Weak:   float64(right) * (100.0 / n),
		Strict: float64(left) * (100.0 / n),
		Mean:   float64(left+right) * (50.0 / n),
	}
}
