package sample

import (
	"math"
	"slices"
	"testing"
)

// TestNormFloat64Distribution checks the ziggurat against the normal CDF
// with a Kolmogorov-Smirnov test on 400,000 draws, and the frequency of
// the tail beyond the ziggurat's base layer (sampled by a separate path)
// within four standard errors.
func TestNormFloat64Distribution(t *testing.T) {
	const n = 400000
	r := NewRand(2026)
	x := make([]float64, n)
	tail := 0
	for i := range x {
		x[i] = r.NormFloat64()
		if math.Abs(x[i]) > zigR {
			tail++
		}
	}
	slices.Sort(x)
	d := 0.0
	for i, v := range x {
		f := 0.5 * math.Erfc(-v/math.Sqrt2)
		d = max(d, math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n))
	}
	// P(D > 1.63/sqrt(n)) is about 1% for a correct sampler.
	if lim := 1.63 / math.Sqrt(n); d > lim {
		t.Errorf("KS statistic %v > %v", d, lim)
	}
	p := math.Erfc(zigR / math.Sqrt2) // P(|Z| > R)
	se := math.Sqrt(p * (1 - p) / n)
	if got := float64(tail) / n; math.Abs(got-p) > 4*se {
		t.Errorf("tail frequency %v, want %v ± %v", got, p, 4*se)
	}
}

func TestRandStreams(t *testing.T) {
	a, b, c := NewRandStream(1, 0), NewRandStream(1, 0), NewRandStream(1, 1)
	same, diff := true, false
	for range 100 {
		x, y, z := a.Uint64(), b.Uint64(), c.Uint64()
		same = same && x == y
		diff = diff || x != z
	}
	if !same || !diff {
		t.Errorf("streams: same seed and stream equal = %v, different streams differ = %v", same, diff)
	}
	if NewRand(5).Uint64() != NewRandStream(5, 0).Uint64() {
		t.Error("NewRand(seed) is not stream 0")
	}
	r := NewRand(3)
	counts := make([]int, 7)
	for range 70000 {
		counts[r.IntN(7)]++
	}
	for k, c := range counts {
		if math.Abs(float64(c)-10000) > 4*math.Sqrt(10000*6.0/7) {
			t.Errorf("IntN(7): %d drawn %d times of 70000", k, c)
		}
	}
	for range 1000 {
		if f := r.Float64(); f < 0 || f >= 1 {
			t.Fatalf("Float64 = %v", f)
		}
	}
}

func BenchmarkNormFloat64(b *testing.B) {
	r := NewRand(1)
	s := 0.0
	for range b.N {
		s += r.NormFloat64()
	}
	_ = s
}

// TestFillNormalMatchesNormFloat64: the register-resident fill gives the
// same draws as the one-at-a-time sampler.
func TestFillNormalMatchesNormFloat64(t *testing.T) {
	a, b := NewRand(9), NewRand(9)
	d := make([]float64, 100000)
	a.FillNormal(d, 3, 2)
	for i, v := range d {
		if w := 3 + 2*b.NormFloat64(); v != w {
			t.Fatalf("draw %d: fill %v, single %v", i, v, w)
		}
	}
	if a.Uint64() != b.Uint64() {
		t.Error("generators out of step after the fill")
	}
}

func BenchmarkFillNormal(b *testing.B) {
	r := NewRand(1)
	d := make([]float64, 256)
	for range b.N {
		r.FillNormal(d, 0, 1)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(d)), "ns/draw")
}
