package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestQuantilesMatchSorted(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 5))
	ps := []float64{0, 0.05, 0.1, 0.25, 0.5, 0.9, 0.95, 0.999, 1, 2, -1}
	for _, n := range []int{1, 2, 3, 10, 17, 100, 1001, 10000} {
		for _, dup := range []int{0, 3} {
			x := make([]float64, n)
			for i := range x {
				x[i] = r.NormFloat64()
				if dup > 0 {
					x[i] = float64(r.IntN(dup))
				}
			}
			sorted := slices.Clone(x)
			slices.Sort(sorted)
			got := Quantiles(x, ps)
			for k, p := range ps {
				want := Quantile(sorted, p)
				if got[k] != want && !(math.IsNaN(got[k]) && math.IsNaN(want)) {
					t.Errorf("n=%d dup=%d p=%v: %v, want %v", n, dup, p, got[k], want)
				}
			}
		}
	}
	if q := Quantiles(nil, []float64{0.5}); !math.IsNaN(q[0]) {
		t.Errorf("empty: %v", q)
	}
}
