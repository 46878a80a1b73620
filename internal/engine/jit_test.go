package engine

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kpitree/kpitree/internal/formula"
)

// TestJITMatchesInterpreter compiles formulas using every instruction the
// JIT handles and checks, on special and random values, that the machine
// code gives the interpreter's results bit for bit.
func TestJITMatchesInterpreter(t *testing.T) {
	names := []string{"a", "b", "c", "d"}
	srcs := []string{
		"a + b", "a - b", "a * b", "a / b", "-a", "abs(a)", "sqrt(a)", "min(a, b)", "max(a, b)", "a",
		"a * b + c", "c + a * b", "(a + b) / c", "c / (a + b)", "c - (a - b)", "(a - b) * c + d",
		"a * b - c * d", "max(0, a - b) / c", "min(a, b, c, d) + abs(c - d)", "sqrt(a * b) + c",
		"-(a * b) / (c - d)", "a / b / c", "c / (a / b)", "c - a * b", "(a * b) * c",
		"a < b ? c : d", "a <= b ? c : d", "a > b ? c : d", "a >= b ? c : d", "a == b ? c : d", "a != b ? c : d",
		"a > 0 && b < 0 ? c : d", "a > 0 || b < 0 ? c : d", "!(a > b) ? c : d", "floor(a) + ceil(b)",
		"a > 0 ? a / b : 0", "(a < b ? 1 : 0) == (c < d ? 1 : 0) ? 1 : 2",
	}
	env := testEnv{names: append(append([]string{}, names...), make([]string, len(srcs))...)}
	for i := range srcs {
		env.names[len(names)+i] = "o" + string(rune('A'+i))
	}
	b := NewBuilder(len(env.names))
	for k, src := range srcs {
		e, err := formula.Parse("o", src, env)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		b.Formula(len(names)+k, e, func(in formula.Input) int { return in.Index })
	}
	p, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if p.jit == nil {
		t.Skip("no JIT on this platform or build")
	}
	sp := []float64{0, math.Copysign(0, -1), 1, -1, 2.5, -7, math.NaN(), math.Inf(1), math.Inf(-1), 5e-324, math.MaxFloat64, 1e-300}
	r := rand.New(rand.NewPCG(7, 8))
	jit := make([]float64, p.NumSlots())
	ref := make([]float64, p.NumSlots())
	p.Init(jit)
	p.Init(ref)
	for trial := range 20000 {
		for k := range names {
			v := r.NormFloat64() * 10
			if trial < 5000 || r.IntN(3) == 0 {
				v = sp[r.IntN(len(sp))]
			}
			jit[k], ref[k] = v, v
		}
		p.Run(jit)
		p.run(ref, p.code)
		for k := len(names); k < len(env.names); k++ {
			x, y := jit[k], ref[k]
			if math.Float64bits(x) != math.Float64bits(y) && !(math.IsNaN(x) && math.IsNaN(y)) {
				t.Fatalf("%s with a=%v b=%v c=%v d=%v: JIT %v, interpreter %v", srcs[k-len(names)], ref[0], ref[1], ref[2], ref[3], x, y)
			}
		}
	}
}

// TestJITFallsBack: a program with an instruction the JIT does not
// handle is interpreted.
func TestJITFallsBack(t *testing.T) {
	env := testEnv{names: []string{"a", "b", "o"}}
	e, _ := formula.Parse("o", "a > b ? log(a) : b", env) // log is not compiled
	b := NewBuilder(3)
	b.Formula(2, e, func(in formula.Input) int { return in.Index })
	p, _ := b.Finish()
	if p.jit != nil {
		t.Fatal("compiled a program with log")
	}
	s := make([]float64, p.NumSlots())
	p.Init(s)
	s[0], s[1] = math.E, 1
	p.Run(s)
	if s[2] != 1 {
		t.Errorf("o = %v", s[2])
	}
}

// TestJITNodesMatchInterpreter runs nodes one by one, in an arbitrary
// order and subset, through the per-node machine code and through the
// interpreter, and compares every slot.
func TestJITNodesMatchInterpreter(t *testing.T) {
	env := testEnv{names: []string{"a", "b", "c", "o1", "o2", "o3", "o4"}}
	srcs := []string{"a * b + c", "max(o1, a) - abs(b)", "sqrt(o2 * o2) / (c - o1)", "-(o3 + o1) * min(a, c)"}
	b := NewBuilder(len(env.names))
	for k, src := range srcs {
		e, err := formula.Parse("o", src, env)
		if err != nil {
			t.Fatal(err)
		}
		b.Formula(3+k, e, func(in formula.Input) int { return in.Index })
	}
	p, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if p.jit == nil {
		t.Skip("no JIT on this platform or build")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		x := make([]float64, p.NumSlots())
		y := make([]float64, p.NumSlots())
		p.Init(x)
		p.Init(y)
		for k := range x[:7] {
			v := r.NormFloat64()
			x[k], y[k] = v, v
		}
		steps := []int32{0, 1, 2, 3}
		if r.IntN(2) == 0 {
			steps = []int32{2, 3} // a cone: only the later nodes
		}
		p.RunNodes(x, steps)
		for _, k := range steps {
			p.run(y, p.code[p.spans[k]:p.spans[k+1]])
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) && !(math.IsNaN(x[i]) && math.IsNaN(y[i])) {
				t.Fatalf("slot %d: JIT %v, interpreter %v", i, x[i], y[i])
			}
		}
	}
	if p.nodeJIT == nil {
		t.Error("per-node code was not compiled")
	}
}

// TestJITRefusesFarSlots: a slot whose byte offset does not fit the
// 32-bit displacement keeps the program interpreted.
func TestJITRefusesFarSlots(t *testing.T) {
	if _, ok := jitCompile([]Instr{{Op: opAdd, Dst: 1 << 28, A: 0, B: 1}}); ok {
		t.Error("compiled an instruction writing slot 2^28")
	}
}
