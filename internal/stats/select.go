package stats

import (
	"math"
	"slices"
)

// Quantiles returns the type-7 (numpy default) quantiles of x at each p,
// exactly as Quantile on the sorted sample would, without sorting it: the
// order statistics needed are found by multi-quickselect in O(n) expected
// time. x is reordered in place and must not contain NaN. An empty x
// gives NaNs.
func Quantiles(x []float64, ps []float64) []float64 {
	out := make([]float64, len(ps))
	n := len(x)
	if n == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	var ranks []int
	for _, p := range ps {
		if !(p >= 0 && p <= 1) {
			continue
		}
		i := int(math.Floor(float64(n-1) * p))
		ranks = append(ranks, i)
		if i+1 < n {
			ranks = append(ranks, i+1)
		}
	}
	slices.Sort(ranks)
	ranks = slices.Compact(ranks)
	multiSelect(x, 0, n, ranks)
	for k, p := range ps {
		if !(p >= 0 && p <= 1) {
			out[k] = math.NaN()
			continue
		}
		out[k] = quantileInterpolate(x, float64(n-1)*p)
	}
	return out
}

// multiSelect reorders x[lo:hi] so that x[r] holds the r-th smallest value
// for every r in ranks (sorted, within [lo, hi)), with smaller values
// before it and larger after.
func multiSelect(x []float64, lo, hi int, ranks []int) {
	for len(ranks) > 0 && hi-lo > 16 {
		// median of three as pivot, then a three-way partition so runs of
		// equal values cannot make it quadratic
		a, b, c := x[lo], x[lo+(hi-lo)/2], x[hi-1]
		pivot := max(min(a, b), min(max(a, b), c))
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := x[i]; {
			case v < pivot:
				x[lt], x[i] = x[i], x[lt]
				lt++
				i++
			case v > pivot:
				gt--
				x[gt], x[i] = x[i], x[gt]
			default:
				i++
			}
		}
		// ranks in [lo, lt) recurse left; in [lt, gt) are done; the rest go right
		k := 0
		for k < len(ranks) && ranks[k] < lt {
			k++
		}
		m := k
		for m < len(ranks) && ranks[m] < gt {
			m++
		}
		if k > 0 {
			multiSelect(x, lo, lt, ranks[:k])
		}
		lo, ranks = gt, ranks[m:]
	}
	if len(ranks) > 0 && hi-lo > 1 {
		slices.Sort(x[lo:hi])
	}
}
