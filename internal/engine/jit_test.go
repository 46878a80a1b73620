package engine

import (
	"errors"
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
	b.MinNative = 16
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
		t.Skipf("no machine code in this build: %s", NativeStats().Reason)
	}
	logFloorCeil(t)
	sp := []float64{0, math.Copysign(0, -1), 1, -1, 2.5, -7, math.NaN(), math.Inf(1), math.Inf(-1), 5e-324, math.MaxFloat64, 1e-300,
		math.Float64frombits(0x7ff8000000000123), math.Float64frombits(0xfff8000000000456), math.Float64frombits(0x7ff0000000000789)}
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
			if math.Float64bits(x) != math.Float64bits(y) { // NaN payloads included
				t.Fatalf("%s with a=%#x b=%#x c=%#x d=%#x: JIT %#x, interpreter %#x", srcs[k-len(names)],
					math.Float64bits(ref[0]), math.Float64bits(ref[1]), math.Float64bits(ref[2]), math.Float64bits(ref[3]), math.Float64bits(x), math.Float64bits(y))
			}
		}
	}
}

// TestJITNodesMatchInterpreter runs nodes one by one, in an arbitrary
// order and subset, through the per-node machine code (nodes with log or
// round go to the interpreter) and through the interpreter, and compares
// every slot bit for bit.
func TestJITNodesMatchInterpreter(t *testing.T) {
	env := testEnv{names: []string{"a", "b", "c", "o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8"}}
	srcs := []string{"a * b + c", "max(o1, a) - abs(b)", "sqrt(o2 * o2) / (c - o1)", "-(o3 + o1) * min(a, c)",
		"log(abs(o4)) + o1", "o5 * o5 - o4 / (a + b) + c * o3", "round(o6 * 100) / 100 + o2", "o7 - o6 + o5 * o4 - o3 / o2 + o1"}
	p := buildProgram(t, env, srcs, 3, false)
	if p.jit == nil {
		t.Skipf("no machine code in this build: %s", NativeStats().Reason)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		x := make([]float64, p.NumSlots())
		y := make([]float64, p.NumSlots())
		p.Init(x)
		p.Init(y)
		for k := range x[:len(env.names)] {
			v := r.NormFloat64()
			x[k], y[k] = v, v
		}
		steps := []int32{0, 1, 2, 3, 4, 5, 6, 7}
		if r.IntN(2) == 0 {
			steps = []int32{2, 3, 5, 6, 7} // a cone: only the later nodes
		}
		if err := p.RunNodes(x, steps); err != nil {
			t.Fatal(err)
		}
		for _, k := range steps {
			p.run(y, p.code[p.spans[k]:p.spans[k+1]])
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				t.Fatalf("slot %d: JIT %v, interpreter %v", i, x[i], y[i])
			}
		}
	}
	if p.nodeJIT == nil {
		t.Error("per-node code was not compiled")
	}
}

// buildProgram compiles srcs into slots first, first+1...
func buildProgram(t testing.TB, env testEnv, srcs []string, first int, noJIT bool) *Program {
	t.Helper()
	b := NewBuilder(len(env.names))
	b.NoJIT = noJIT
	b.MinNative = 16 // small test programs run native
	for k, src := range srcs {
		e, err := formula.Parse("o", src, env)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		b.Formula(first+k, e, func(in formula.Input) int { return in.Index })
	}
	p, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunNodesChecksSteps: a step that is not a node of the program is
// refused with ErrStep before any jump, by the machine code and the
// interpreter alike; the steps before it have run.
func TestRunNodesChecksSteps(t *testing.T) {
	env := testEnv{names: []string{"a", "b", "o1", "o2", "o3", "o4", "o5", "o6"}}
	srcs := []string{"a * b + a - b * a", "o1 * a - b / o1 + a * a", "o2 - o1 * b + a / b", "o3 * o3 - o2 + o1 * a",
		"o4 + o3 * b - a / o2", "o5 * o4 - o3 + b * b"}
	for _, noJIT := range []bool{false, true} {
		p := buildProgram(t, env, srcs, 2, noJIT)
		for _, bad := range []int32{-1, 6, 1 << 30, math.MinInt32} {
			s := make([]float64, p.NumSlots())
			p.Init(s)
			s[0], s[1] = 3, 4
			err := p.RunNodes(s, []int32{0, 1, bad, 2})
			if !errors.Is(err, ErrStep) {
				t.Fatalf("noJIT=%v, step %d: err = %v, want ErrStep", noJIT, bad, err)
			}
			if math.IsNaN(s[3]) || s[3] == 0 || s[4] != 0 {
				t.Errorf("noJIT=%v, step %d: nodes before the bad step should have run, not after: o1..o3 = %v", noJIT, bad, s[2:5])
			}
		}
	}
}

// TestJITMixed: one log, pow or round node no longer keeps the whole
// program interpreted; the machine code calls out to the interpreter for
// it, with identical results.
func TestJITMixed(t *testing.T) {
	env := testEnv{names: []string{"a", "b", "o1", "o2", "o3", "o4", "o5", "o6", "o7"}}
	srcs := []string{"a * b + a - b * a", "o1 * a - b / o1 + a * a", "log(abs(o2)) + a ** 2", "o3 * o3 - o2 + o1 * a",
		"round(o4, 2) * b", "o5 * o4 - o3 + b * b - a / o1", "o6 + o5 * o4 - o3 / o2 + o1"}
	nat := buildProgram(t, env, srcs, 2, false)
	ref := buildProgram(t, env, srcs, 2, true)
	if NativeStats().Available && nat.jit == nil {
		t.Fatal("a program with one log node was not compiled at all")
	}
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, nat.NumSlots())
	y := make([]float64, ref.NumSlots())
	nat.Init(x)
	ref.Init(y)
	for range 1000 {
		x[0], x[1] = r.NormFloat64()*5, r.NormFloat64()*5
		y[0], y[1] = x[0], x[1]
		nat.Run(x)
		ref.Run(y)
		for i := range env.names {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				t.Fatalf("slot %d: native %v, interpreter %v", i, x[i], y[i])
			}
		}
	}
}

// logFloorCeil says whether floor and ceil run as machine code (SSE4.1)
// or, on a CPU without it or with GODEBUG=cpu.sse41=off, interpreted.
func logFloorCeil(t *testing.T) {
	if !hasNativeFloor() {
		t.Log("SSE4.1 absent or turned off (GODEBUG=cpu.sse41=off): floor and ceil are interpreted, the rest is compared")
	}
}
