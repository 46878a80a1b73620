package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestQuantileSketchErrorBound streams a million values through sketches
// of several sizes and checks every quantile read against the exact ranks
// of the sorted values: the rank of the value returned is within the
// sketch's stated RankError of the rank asked for.
func TestQuantileSketchErrorBound(t *testing.T) {
	const n = 1_000_000 // the longest stream
	rng := rand.New(rand.NewPCG(7, 11))
	streams := map[string][]float64{}
	// a million normals; smaller streams for the skewed and tied cases
	normal, skewed, sortedUp := make([]float64, n), make([]float64, n/4), make([]float64, n/4)
	for i := range n {
		normal[i] = rng.NormFloat64()
	}
	for i := range n / 4 {
		skewed[i] = math.Exp(2 * rng.NormFloat64())
		sortedUp[i] = float64(i % 1000) // many ties, in runs
	}
	streams["normal"], streams["lognormal"], streams["ties"] = normal, skewed, sortedUp
	ps := []float64{0, 0.001, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.999, 1}
	for _, name := range []string{"normal", "lognormal", "ties"} {
		xs := streams[name]
		n := len(xs)
		exact := slices.Clone(xs)
		slices.Sort(exact)
		for _, k := range []int{64, 512, 3000} {
			s := NewQuantileSketch(k)
			s.AddAll(xs)
			eps := s.RankError()
			if s.Exact() || eps <= 0 || eps > float64(SketchLevels(n, k))/float64(k) {
				t.Fatalf("%s k=%d: rank error bound %v (levels %d)", name, k, eps, SketchLevels(n, k))
			}
			held := 0
			for _, lv := range s.levels {
				held += cap(lv)
			}
			if held > k*SketchLevels(n, k) {
				t.Errorf("%s k=%d: %d values held, more than %d", name, k, held, k*SketchLevels(n, k))
			}
			worst := 0.0
			for j, q := range s.Quantiles(ps) {
				p := ps[j]
				lo := sort.SearchFloat64s(exact, q)                            // values < q
				hi := sort.Search(n, func(i int) bool { return exact[i] > q }) // values <= q
				if float64(hi) < (p-eps)*float64(n) || float64(lo) > (p+eps)*float64(n) {
					t.Errorf("%s k=%d p=%v: value %v has ranks %d..%d, outside (p ± %.4g)·n", name, k, p, q, lo, hi, eps)
				}
				d := 0.0
				if float64(hi) < p*float64(n) {
					d = p - float64(hi)/float64(n)
				} else if float64(lo) > p*float64(n) {
					d = float64(lo)/float64(n) - p
				}
				worst = max(worst, d)
			}
			t.Logf("%s k=%d: bound %.4g, worst rank error seen %.4g", name, k, eps, worst)
		}
	}
}

func TestQuantileSketchExactWhileSmall(t *testing.T) {
	s := NewQuantileSketch(100)
	xs := []float64{5, 1, math.NaN(), 4, 2, 3}
	s.AddAll(xs)
	if !s.Exact() || s.N() != 5 || s.NaN() != 1 || s.RankError() != 0 {
		t.Fatalf("exact %v n %d nan %d err %v", s.Exact(), s.N(), s.NaN(), s.RankError())
	}
	got := s.Quantiles([]float64{0, 0.1, 0.5, 0.95, 1, -1})
	want := []float64{1, 1.4, 3, 4.8, 5, math.NaN()}
	for i := range want {
		if !(got[i] == want[i] || math.IsNaN(got[i]) && math.IsNaN(want[i])) && math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("quantile %d = %v, want %v", i, got[i], want[i])
		}
	}
	if q := NewQuantileSketch(8).Quantiles([]float64{0.5}); !math.IsNaN(q[0]) {
		t.Errorf("empty sketch: %v", q)
	}
}
