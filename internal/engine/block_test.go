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
	env := testEnv{names: []string{"a", "b", "c", "d", "o1", "o2", "o3", "o4", "o5"}}
	srcs := []string{
		"a * b + c / d - max(a, 0) ** 2",
		"a > b && c <= d ? sqrt(abs(a)) : clamp(b, -1, 1) + round(c, 2)",
		"o1 * o2 * a + log(abs(b) + 1) - exp(min(c, 3)) + floor(d) - ceil(a) + log10(abs(d) + 2)",
		"(a - b) / (c + d) - a / (b * c) + (d - a) * (b - c) - c / (a - d) * b + (a + b + c) / d",
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
	specials := []float64{0, math.Copysign(0, -1), 1, -1, math.NaN(), math.Inf(1), math.Inf(-1), 1e308}
	for j := 0; j < w; j++ {
		for k := 0; k < 4; k++ {
			v := rng.NormFloat64() * 3
			if rng.IntN(4) == 0 {
				v = specials[rng.IntN(len(specials))]
			}
			blk[k*w+j] = v
		}
	}
	p.RunBlock(blk, w, make([]float64, p.NumSlots()), make([]float64, w))
	s := make([]float64, p.NumSlots())
	p.Init(s)
	for j := 0; j < w; j++ {
		for k := 0; k < 4; k++ {
			s[k] = blk[k*w+j]
		}
		p.Run(s)
		for k := 4; k < 4+len(srcs); k++ {
			got, want := blk[k*w+j], s[k]
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("lane %d slot %d: block %v, scalar %v", j, k, got, want)
			}
		}
	}
}

// TestVectorKernelsMatchScalar checks every lane kernel against scalar Go
// on all pairs of special values, both operand orders, at lengths that
// exercise the vector body and the tail.
func TestVectorKernelsMatchScalar(t *testing.T) {
	sp := []float64{0, math.Copysign(0, -1), 1, -1, 2.5, -7, math.NaN(), math.Inf(1), math.Inf(-1), 5e-324, math.MaxFloat64, 1e-300}
	var a, b, c []float64
	for _, x := range sp {
		for _, y := range sp {
			a, b = append(a, x), append(b, y)
			c = append(c, y*0.5)
		}
	}
	// longer than one assembly chunk (vecChunk lanes), with a tail
	for len(a) < 2*4096+7 {
		a, b, c = append(a, a[:144]...), append(b, b[:144]...), append(c, c[:144]...)
	}
	a, b, c = a[:2*4096+7], b[:2*4096+7], c[:2*4096+7]
	same := func(x, y float64) bool {
		return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
	}
	type k2 struct {
		name string
		vec  func(d, a, b []float64)
		ref  func(x, y float64) float64
	}
	for _, k := range []k2{
		{"add", vadd, func(x, y float64) float64 { return x + y }},
		{"sub", vsub, func(x, y float64) float64 { return x - y }},
		{"mul", vmul, func(x, y float64) float64 { return x * y }},
		{"div", vdiv, func(x, y float64) float64 { return x / y }},
		{"min", vmin, formula.Min},
		{"max", vmax, formula.Max},
		{"muladd", func(d, a, b []float64) { vmulAdd(d, a, b, c[:len(d)]) }, nil},
		{"mulmul", func(d, a, b []float64) { vmulMul(d, a, b, c[:len(d)]) }, nil},
		{"sqrt", func(d, a, _ []float64) { vsqrt(d, a) }, func(x, _ float64) float64 { return math.Sqrt(x) }},
	} {
		for _, n := range []int{len(a), len(a) - 1, 3, 4, 0} {
			d := make([]float64, n)
			k.vec(d, a[:n], b[:n])
			for j := range d {
				var want float64
				switch {
				case k.name == "muladd":
					want = float64(a[j]*b[j]) + c[j]
				case k.name == "mulmul":
					want = float64(a[j]*b[j]) * c[j]
				default:
					want = k.ref(a[j], b[j])
				}
				if !same(d[j], want) {
					t.Errorf("%s(%v, %v) n=%d: got %v, want %v", k.name, a[j], b[j], n, d[j], want)
				}
			}
		}
	}
	t.Logf("AVX2 kernels in use: %v", useAVX2)
}
