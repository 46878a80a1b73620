package tree

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
)

// Differential testing: random models evaluated by the default engine,
// by expr's VM (ExprEngine) and by the reference tree walk
// (formula.Eval through (*Formula).Eval) must agree bit for bit.

// refEngine evaluates every formula with the reference semantics.
type refEngine struct{}

func (refEngine) Name() string                       { return "reference" }
func (refEngine) Compile(f *Formula) (Kernel, error) { return refKernel{f}, nil }

type refKernel struct{ f *Formula }

func (k refKernel) Eval(s []float64) float64 { return k.f.Eval(s) }

// sameFloat reports whether a and b are the same float64: equal bits, or
// both NaN (any payload).
func sameFloat(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

// Registered functions used by generated formulas.
func diffWavg(a, b float64) float64 { return 0.25*a + 0.75*b }

func diffVsum(xs ...float64) float64 {
	s := 0.5
	for i, x := range xs {
		s = s*1.5 + x*float64(i+1)
	}
	return s
}

// diffGoFunc is the Go function of generated Go-func nodes.
func diffGoFunc(in []float64) float64 {
	s := 1.0
	for i, x := range in {
		s = s*0.5 + x*float64(i+1)
	}
	return s
}

// specialValues are the inputs the generator favours.
var specialValues = []float64{
	0, math.Copysign(0, -1), 1, -1, 2, 0.5, -2.5, 3.75, 10, 100, 0.1, 1e15, -1e15,
	math.MaxFloat64, -math.MaxFloat64, 1e308, 1e-308, 5e-324, -5e-324, math.SmallestNonzeroFloat64,
	math.NaN(), math.Inf(1), math.Inf(-1),
}

// literals are the constants formulas use (as written in source).
var literals = []string{
	"0", "1", "2", "3", "10", "100", "1000", "0.5", "0.1", "2.5", "1e300", "1e-300", "1e308",
	"0.0", "1.0", "3.25", ".5", "1e3", "7", "0.001", "4.9e-324",
}

type modelGen struct {
	r     *rand.Rand
	ids   []string
	i     int             // the node whose formula is generated
	feats map[string]bool // language features used, for the coverage check
	// arith restricts formulas to what the native code compiles
	// (+ - * /, negation, min, max, abs, sqrt, floor, ceil, comparisons,
	// logic, ?:) and leaves out Go functions.
	arith bool
}

func (g *modelGen) value() float64 {
	switch g.r.IntN(4) {
	case 0, 1:
		return specialValues[g.r.IntN(len(specialValues))]
	case 2:
		return g.r.NormFloat64() * 100
	}
	return math.Ldexp(g.r.Float64()-0.5, g.r.IntN(2100)-1050)
}

func (g *modelGen) use(f string) { g.feats[f] = true }

func (g *modelGen) ref() string {
	switch g.r.IntN(6) {
	case 0:
		g.use("prev")
		return "prev(" + g.ids[g.r.IntN(len(g.ids))] + ")"
	case 1:
		g.use("prev_k")
		return fmt.Sprintf("prev(%s, %d)", g.ids[g.r.IntN(len(g.ids))], 1+g.r.IntN(4))
	}
	return g.ids[g.r.IntN(g.i)]
}

func (g *modelGen) leaf() string {
	if g.r.IntN(3) == 0 {
		g.use("literal")
		return literals[g.r.IntN(len(literals))]
	}
	return g.ref()
}

func (g *modelGen) paren(s string) string {
	if g.r.IntN(2) == 0 {
		return "(" + s + ")"
	}
	return s
}

var (
	binOpsSrc = []string{"+", "-", "*", "/", "**", "^"}
	cmpOpsSrc = []string{"<", "<=", ">", ">=", "==", "!="}
)

// num generates a numeric expression.
func (g *modelGen) num(depth int) string {
	if depth <= 0 {
		return g.leaf()
	}
	d := depth - 1
	if g.arith {
		switch g.r.IntN(10) {
		case 8:
			return "(" + g.cond(d) + " ? " + g.num(d) + " : " + g.num(d) + ")"
		case 9:
			return []string{"floor", "ceil"}[g.r.IntN(2)] + "(" + g.num(d) + ")"
		case 0, 1:
			return g.leaf()
		case 2:
			return "-(" + g.num(d) + ")"
		case 3, 4, 5:
			op := []string{"+", "-", "*", "/"}[g.r.IntN(4)]
			return g.paren(g.paren(g.num(d)) + " " + op + " " + g.paren(g.num(d)))
		case 6:
			return []string{"min", "max"}[g.r.IntN(2)] + "(" + g.args(1+g.r.IntN(3), d) + ")"
		}
		return []string{"abs", "sqrt"}[g.r.IntN(2)] + "(" + g.num(d) + ")"
	}
	switch g.r.IntN(12) {
	case 0, 1:
		return g.leaf()
	case 2:
		g.use("neg")
		x := g.num(d)
		if strings.HasPrefix(x, "-") || g.r.IntN(2) == 0 {
			return "-(" + x + ")"
		}
		return "-" + x
	case 3, 4, 5:
		op := binOpsSrc[g.r.IntN(len(binOpsSrc))]
		g.use(op)
		return g.paren(g.paren(g.num(d)) + " " + op + " " + g.paren(g.num(d)))
	case 6:
		g.use("?:")
		return "(" + g.cond(d) + " ? " + g.num(d) + " : " + g.num(d) + ")"
	case 7:
		// a*b + c and c + a*b: the shapes the default engine fuses
		g.use("muladd")
		a, b, c := g.paren(g.num(d)), g.paren(g.num(d)), g.paren(g.num(d))
		switch g.r.IntN(3) {
		case 0:
			return "(" + a + " * " + b + " + " + c + ")"
		case 1:
			return "(" + c + " + " + a + " * " + b + ")"
		}
		return "(" + a + " * " + b + " * " + c + ")"
	}
	return g.call(d)
}

func (g *modelGen) args(n, depth int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.num(depth)
	}
	return strings.Join(parts, ", ")
}

func (g *modelGen) call(d int) string {
	fns := []string{"min", "max", "abs", "sqrt", "pow", "log", "log10", "exp", "round", "round2", "floor", "ceil", "clamp", "wavg", "vsum"}
	fn := fns[g.r.IntN(len(fns))]
	switch fn {
	case "min", "max":
		n := 1 + g.r.IntN(4)
		g.use(fmt.Sprintf("%s/%d", fn, n))
		return fn + "(" + g.args(n, d) + ")"
	case "pow", "wavg":
		g.use(fn)
		return fn + "(" + g.args(2, d) + ")"
	case "round2":
		g.use(fn)
		digits := g.num(d)
		if g.r.IntN(2) == 0 {
			digits = strconv.Itoa(g.r.IntN(12) - 3)
		}
		return "round(" + g.num(d) + ", " + digits + ")"
	case "clamp":
		g.use(fn)
		return "clamp(" + g.args(3, d) + ")"
	case "vsum":
		n := g.r.IntN(4)
		g.use(fmt.Sprintf("vsum/%d", n))
		return "vsum(" + g.args(n, d) + ")"
	}
	g.use(fn)
	return fn + "(" + g.num(d) + ")"
}

// cond generates a boolean expression, always parenthesised.
func (g *modelGen) cond(depth int) string {
	d := depth - 1
	switch k := g.r.IntN(8); {
	case depth <= 0 || k < 4:
		op := cmpOpsSrc[g.r.IntN(len(cmpOpsSrc))]
		g.use(op)
		return "(" + g.paren(g.num(d)) + " " + op + " " + g.paren(g.num(d)) + ")"
	case k == 4:
		op := []string{"&&", "and"}[g.r.IntN(2)]
		g.use("&&")
		return "(" + g.cond(d) + " " + op + " " + g.cond(d) + ")"
	case k == 5:
		op := []string{"||", "or"}[g.r.IntN(2)]
		g.use("||")
		return "(" + g.cond(d) + " " + op + " " + g.cond(d) + ")"
	default:
		g.use("!")
		if g.r.IntN(4) == 0 {
			return "(not " + g.cond(d) + ")"
		}
		return "(!" + g.cond(d) + ")"
	}
}

// randomModel builds a random DAG of 1..maxNodes metrics: inputs, formula
// nodes over earlier nodes (any node through prev) and Go-func nodes.
func (g *modelGen) randomModel(maxNodes int) (*Model, []Option) {
	n := 1 + g.r.IntN(maxNodes)
	g.ids = make([]string, n)
	for i := range g.ids {
		g.ids[i] = fmt.Sprintf("m%d_%c", i, 'a'+rune(g.r.IntN(26)))
	}
	m := &Model{Name: "random", Metrics: make([]metric.Metric, n)}
	opts := []Option{WithFunction("wavg", diffWavg), WithFunction("vsum", diffVsum)}
	for i := range n {
		m.Metrics[i].ID = g.ids[i]
		if i == 0 {
			continue
		}
		switch k := g.r.IntN(20); {
		case k < 6:
			// input
		case k < 7 && !g.arith:
			g.use("gofunc")
			var ins []string
			for range g.r.IntN(5) {
				ins = append(ins, g.ids[g.r.IntN(i)])
			}
			opts = append(opts, WithGoFunc(g.ids[i], ins, diffGoFunc))
		default:
			g.i = i
			m.Metrics[i].Formula = g.num(1 + g.r.IntN(4))
		}
	}
	return m, opts
}

// TestExprEngineNegativeZeroConstant: 1 * 0 * -0.0 is -0 in IEEE
// arithmetic, and in every engine.
func TestExprEngineNegativeZeroConstant(t *testing.T) {
	for _, src := range []string{"a * 0 * -0.0", "(a > 0 ? -(1e-300 ** 2) : 1) * (0 * a)", "a * 0 * (0.0 * -1)"} {
		m := &Model{Metrics: []metric.Metric{{ID: "a"}, {ID: "b", Formula: src}}}
		for _, eng := range []Engine{nil, refEngine{}, ExprEngine()} {
			var opts []Option
			name := "default"
			if eng != nil {
				opts, name = []Option{WithEngine(eng)}, eng.Name()
			}
			c, err := Compile(m, opts...)
			if err != nil {
				t.Fatal(err)
			}
			var e Evaluator
			e.Bind(c)
			e.Values()[0] = 1
			e.Run()
			if got := e.Values()[1]; got != 0 || !math.Signbit(got) {
				t.Errorf("%s engine: %s = %v, want -0", name, src, got)
			}
		}
	}
}

func TestDifferentialEngines(t *testing.T) {
	models := 2000
	if testing.Short() {
		models = 300
	}
	const vectors = 4
	g := &modelGen{r: rand.New(rand.NewPCG(20240611, 7)), feats: map[string]bool{}}
	// nil twice: the default engine (native code where it applies) and,
	// with WithNativeCode(false), the interpreter alone.
	engines := []Engine{refEngine{}, nil, ExprEngine(), nil}
	names := []string{"reference", "default", "expr", "interpreter"}

	evals := make([]Evaluator, len(engines))
	compiled := make([]*Compiled, len(engines))
	nodes, checked, native := 0, 0, 0
	for mi := range models {
		g.arith = mi%3 == 0 // a third of the models are all arithmetic
		m, opts := g.randomModel(60)
		for k, eng := range engines {
			o := opts
			if eng != nil {
				o = append(slices.Clone(opts), WithEngine(eng))
			}
			if names[k] == "interpreter" {
				o = append(slices.Clone(opts), WithNativeCode(false))
			}
			// small models run native too (the default keeps them interpreted)
			c, err := Compile(m, append(o, nativeThreshold(16))...)
			if err != nil {
				t.Fatalf("model %d: %s engine: %v\n%s", mi, names[k], err, dumpModel(m))
			}
			compiled[k] = c
			if names[k] == "default" && c.NativeCodeBytes() > 0 {
				native++
			}
			evals[k] = Evaluator{}
			evals[k].Bind(c)
		}
		nodes += len(m.Metrics)
		ref := compiled[0]
		order := slices.Collect(ref.Order())
		for k := range engines {
			if !slices.Equal(compiled[k].Lags(), ref.Lags()) || !slices.Equal(slices.Collect(compiled[k].Order()), order) {
				t.Fatalf("model %d: %s engine: lags or order differ from the reference", mi, names[k])
			}
		}
		fail := func(k, i int, got, want []float64, lag []float64, how string) {
			t.Fatalf("model %d (%s), node %s = %s:\n%s engine gives %v (%#x), reference %v (%#x)\nvalues %v\nlagged %v %v\n%s",
				mi, how, m.Metrics[i].ID, m.Metrics[i].Formula, names[k], got[i], math.Float64bits(got[i]),
				want[i], math.Float64bits(want[i]), namedValues(ref, want), ref.Lags(), lag, dumpModel(m))
		}
		for range vectors {
			in := make([]float64, ref.Len())
			for i := range in {
				in[i] = g.value()
			}
			lag := make([]float64, len(ref.Lags()))
			for i := range lag {
				lag[i] = g.value()
			}
			for k := range engines {
				v := evals[k].Values()
				for i := range ref.Inputs() {
					v[i] = in[i]
				}
				copy(evals[k].Lagged(), lag)
				evals[k].Run()
			}
			want := evals[0].Values()
			for k := 1; k < len(engines); k++ {
				got := evals[k].Values()
				for i := range got {
					if !sameFloat(got[i], want[i]) {
						fail(k, i, got, want, lag, "whole model")
					}
					checked++
				}
			}
			// Node by node, from the reference values of its inputs.
			for k := 1; k < len(engines); k++ {
				v := evals[k].Values()
				copy(v, want)
				for pos, i := range order {
					evals[k].RunNode(pos)
					got := v[i]
					v[i] = want[i]
					if sameFloat(got, want[i]) {
						checked++
						continue
					}
					v[i] = got
					fail(k, i, v, want, lag, "node by node")
				}
			}
		}
	}
	t.Logf("%d models (%d run as native code), %d nodes, %d values compared", models, native, nodes, checked)
	if native == 0 && useNativeCode {
		t.Error("no model ran as native code")
	}
	// The generator must exercise the whole language.
	var missing []string
	for _, f := range []string{
		"+", "-", "*", "/", "**", "^", "neg", "<", "<=", ">", ">=", "==", "!=", "&&", "||", "!", "?:", "muladd",
		"min/1", "min/2", "min/3", "min/4", "max/1", "max/2", "max/3", "max/4", "abs", "sqrt", "pow", "log",
		"log10", "exp", "round", "round2", "floor", "ceil", "clamp", "wavg", "vsum/0", "vsum/3",
		"prev", "prev_k", "gofunc", "literal",
	} {
		if !g.feats[f] {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		t.Errorf("generator never used %v", missing)
	}
}

func namedValues(c *Compiled, v []float64) string {
	var b strings.Builder
	for i := range v {
		fmt.Fprintf(&b, "%s=%v ", c.ID(i), v[i])
	}
	return b.String()
}

func dumpModel(m *Model) string {
	var b strings.Builder
	for _, mt := range m.Metrics {
		fmt.Fprintf(&b, "  %s = %s\n", mt.ID, mt.Formula)
	}
	return b.String()
}

// useNativeCode reports whether this build compiles to machine code.
var useNativeCode = ReadNativeCodeStats().Available
