package stats

import (
	"math"
	"slices"
)

// QuantileSketch summarises a stream of values in bounded memory so that
// quantiles can be read with a known worst-case rank error. It is the
// deterministic compactor of Manku, Rajagopalan and Lindsay (1998): level h
// holds up to K values, each standing for 2^h of the stream; a full level
// is sorted and every other value (the offset alternating between
// compactions of that level) moves up one level, the rest are dropped.
//
// A compaction at level h changes the number of values at or below any
// point by at most 2^h, so the sketch keeps the exact sum of these
// changes: RankError bounds, for every quantile read, how far the returned
// value's rank can be from the rank asked for, as a fraction of the count.
// With K values a level, n values need about log2(n/K) levels, and the
// bound is about log2(n/K)/K (0.27% for a million values and K = 3000).
// Until the first compaction the sketch holds every value and is exact.
//
// The result depends only on the order of the values added, not on
// timing: the same stream gives the same sketch. NaN values are ignored
// by Add and counted by NaN.
type QuantileSketch struct {
	k        int
	levels   [][]float64
	offset   []int
	n, nan   int
	err      float64 // Σ 2^h over compactions: the worst-case rank error
	min, max float64
}

// NewQuantileSketch returns a sketch with k values a level (k is rounded
// up to an even number of at least 8).
func NewQuantileSketch(k int) *QuantileSketch {
	k = max(k, 8)
	k += k % 2
	return &QuantileSketch{k: k, min: math.Inf(1), max: math.Inf(-1)}
}

// SketchLevels returns the number of levels a sketch of k values a level
// needs for n values: the memory it takes is at most k·SketchLevels(n, k)
// values.
func SketchLevels(n, k int) int {
	l := 1
	for c := k; c < n; c *= 2 {
		l++
	}
	return l
}

// Add adds v to the sketch (a NaN is only counted).
func (s *QuantileSketch) Add(v float64) {
	if math.IsNaN(v) {
		s.nan++
		return
	}
	s.n++
	s.min, s.max = min(s.min, v), max(s.max, v)
	if len(s.levels) == 0 {
		s.levels = append(s.levels, make([]float64, 0, s.k))
		s.offset = append(s.offset, 0)
	}
	s.levels[0] = append(s.levels[0], v)
	for h := 0; h < len(s.levels) && len(s.levels[h]) >= s.k; h++ {
		s.compact(h)
	}
}

// AddAll adds every value of vs, in order.
func (s *QuantileSketch) AddAll(vs []float64) {
	for _, v := range vs {
		s.Add(v)
	}
}

func (s *QuantileSketch) compact(h int) {
	if h+1 == len(s.levels) {
		s.levels = append(s.levels, make([]float64, 0, s.k))
		s.offset = append(s.offset, 0)
	}
	lv := s.levels[h]
	slices.Sort(lv)
	for i := s.offset[h]; i < len(lv); i += 2 {
		s.levels[h+1] = append(s.levels[h+1], lv[i])
	}
	s.offset[h] ^= 1
	s.err += math.Ldexp(1, h)
	s.levels[h] = lv[:0]
}

// N returns the number of non-NaN values added; NaN the number of NaNs.
func (s *QuantileSketch) N() int { return s.n }

// NaN returns the number of NaN values added.
func (s *QuantileSketch) NaN() int { return s.nan }

// Exact reports whether the sketch still holds every value.
func (s *QuantileSketch) Exact() bool { return s.err == 0 }

// RankError is the worst-case error of a quantile's rank as a fraction of
// N: the value Quantile(p) returns has between (p − RankError)·N and
// (p + RankError)·N + 1 of the values at or below it. It is 0 while the
// sketch is exact.
func (s *QuantileSketch) RankError() float64 {
	if s.n == 0 {
		return 0
	}
	return s.err / float64(s.n)
}

// Quantiles returns the ps-quantiles (0 <= p <= 1) of the values added:
// exactly numpy's default (type 7) while the sketch is exact, otherwise the
// smallest retained value whose weighted rank reaches p·N (the minimum
// for p = 0 and the maximum for p = 1, which are kept exactly). With no
// values, or a p outside [0, 1], the quantile is NaN.
func (s *QuantileSketch) Quantiles(ps []float64) []float64 {
	out := make([]float64, len(ps))
	if s.n == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	if s.Exact() {
		return Quantiles(slices.Clone(s.levels[0]), ps)
	}
	type wv struct {
		v float64
		w float64
	}
	var all []wv
	for h, lv := range s.levels {
		for _, v := range lv {
			all = append(all, wv{v, math.Ldexp(1, h)})
		}
	}
	slices.SortFunc(all, func(a, b wv) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	for i, p := range ps {
		switch {
		case !(p >= 0 && p <= 1):
			out[i] = math.NaN()
			continue
		case p == 0:
			out[i] = s.min
			continue
		case p == 1:
			out[i] = s.max
			continue
		}
		target := p * float64(s.n)
		cum := 0.0
		out[i] = s.max
		for _, x := range all {
			cum += x.w
			if cum >= target {
				out[i] = x.v
				break
			}
		}
	}
	return out
}
