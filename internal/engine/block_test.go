package engine

import (
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/kpitree/kpitree/internal/formula"
)

type testEnv struct{ names []string }

func (e testEnv) Lookup(n string) (int, bool) {
	i := slices.Index(e.names, n)
	return i, i >= 0
}
func (e testEnv) Names() iter.Seq[string]     { return slices.Values(e.names) }
func (e testEnv) Func(string) *formula.Func   { return nil }
func (e testEnv) FuncNames() iter.Seq[string] { return func(func(string) bool) {} }

// TestRunBlockMatchesRun checks that every lane of a block run equals a
// scalar run on the same inputs, bit for bit.
func TestRunBlockMatchesRun(t *testing.T) {
	env := testEnv{names: []string{"a", "b", "c", "d", "o1", "o2", "o3", "o4"}}
	srcs := []string{
		"a * b + c / d - max(a, 0) ** 2",
		"a > b && c <= d ? sqrt(abs(a)) : clamp(b, -1, 1) + round(c, 2)",
		"o1 * o2 * a + log(abs(b) + 1) - exp(min(c, 3)) + floor(d) - ceil(a) + log10(abs(d) + 2)",
		"!(a == b) || c != d ? -o3 : min(a, b, c, d) + round(a)",
	}
	b := NewBuilder(len(env.names))
	for k, src := range srcs {
		e, err := formula.Parse("o", src, env)
		if err != nil {
			t.Fatal(err)
		}
		b.Formula(4+k, e, func(in formula.Input) int { return in.Index })
	}
	p, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	const w = 37
	blk := make([]float64, p.NumSlots()*w)
	p.InitBlock(blk, w)
	rng := rand.New(rand.NewPCG(1, 2))
	specials := []float64{0, -0.0, 1, -1, math.NaN(), math.Inf(1), math.Inf(-1), 1e308}
	for j := 0; j < w; j++ {
		for k := 0; k < 4; k++ {
			v := rng.NormFloat64() * 3
			if rng.IntN(4) == 0 {
				v = specials[rng.IntN(len(specials))]
			}
			blk[k*w+j] = v
		}
	}
	p.RunBlock(blk, w, make([]float64, p.NumSlots()))
	s := make([]float64, p.NumSlots())
	p.Init(s)
	for j := 0; j < w; j++ {
		for k := 0; k < 4; k++ {
			s[k] = blk[k*w+j]
		}
		p.Run(s)
		for k := 4; k < 8; k++ {
			got, want := blk[k*w+j], s[k]
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("lane %d slot %d: block %v, scalar %v", j, k, got, want)
			}
		}
	}
}
