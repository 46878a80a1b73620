package formula

import (
	"iter"
	"math"
	"slices"
	"strings"
	"testing"
)

// mapEnv is a test Env over a fixed list of metric ids.
type mapEnv struct {
	names []string
	funcs []*Func
}

func (e *mapEnv) Lookup(n string) (int, bool) {
	i := slices.Index(e.names, n)
	return i, i >= 0
}
func (e *mapEnv) Names() iter.Seq[string] { return slices.Values(e.names) }
func (e *mapEnv) Func(n string) *Func {
	for _, f := range e.funcs {
		if f.Name == n {
			return f
		}
	}
	return nil
}
func (e *mapEnv) FuncNames() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, f := range e.funcs {
			if !yield(f.Name) {
				return
			}
		}
	}
}

func testEnv() *mapEnv {
	wavg, err := NewFunc("wavg", func(a, b float64) float64 { return 0.25*a + 0.75*b })
	if err != nil {
		panic(err)
	}
	vsum, err := NewFunc("vsum", func(xs ...float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s
	})
	if err != nil {
		panic(err)
	}
	return &mapEnv{
		names: []string{"visitors", "conversion_rate", "orders", "avg_order_value", "cost", "a", "b"},
		funcs: []*Func{wavg, vsum},
	}
}

// testValues are the current-period values of testEnv's metrics; a value
// k periods back is the current value plus 1000*k.
var testValues = []float64{1000, 0.08, 80, 50, 1000, 2, -3}

func testRef(r *Ref) float64 { return testValues[r.Index] + 1000*float64(r.Lag) }

func same(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Float64bits(a) == math.Float64bits(b)
}

// TestParseAccepted covers the accepted language: every operator,
// precedence and associativity as expr parses them, every function, prev
// and number syntaxes. Print shows the tree; the value is Eval's.
func TestParseAccepted(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		src   string
		print string
		value float64
	}{
		// arithmetic
		{"visitors * conversion_rate * avg_order_value", "((visitors * conversion_rate) * avg_order_value)", 4000},
		{"orders / visitors", "(orders / visitors)", 0.08},
		{"a + b", "(a + b)", -1},
		{"a - b", "(a - b)", 5},
		{"a ** 3", "(a ** 3.0)", 8},
		{"a ^ 3", "(a ** 3.0)", 8},
		{"-a", "(-a)", -2},
		{"+a", "a", 2},
		{"- -a", "(-(-a))", 2},
		{"-2", "(-2.0)", -2},
		{"-0", "(-0.0)", math.Copysign(0, -1)},
		{"1 + 2 * 3", "(1.0 + (2.0 * 3.0))", 7},
		{"(1 + 2) * 3", "((1.0 + 2.0) * 3.0)", 9},
		{"10 - 4 - 3", "((10.0 - 4.0) - 3.0)", 3},
		{"100 / 10 / 5", "((100.0 / 10.0) / 5.0)", 2},
		{"2 ** 3 ** 2", "(2.0 ** (3.0 ** 2.0))", 512},
		{"-2 ** 2", "(-(2.0 ** 2.0))", -4},
		{"2 ** -1", "(2.0 ** (-1.0))", 0.5},
		{"a * -b", "(a * (-b))", 6},
		{"0 / 0", "(0.0 / 0.0)", nan},
		{"1 / 0", "(1.0 / 0.0)", math.Inf(1)},
		{"-1 / 0", "((-1.0) / 0.0)", math.Inf(-1)},
		{"1e308 * 10", "(1.0e+308 * 10.0)", math.Inf(1)},
		// numbers
		{"0x10 + 1_000 + 0b11 + 0o7", "(((16.0 + 1000.0) + 3.0) + 7.0)", 1026},
		{".5 + 5. + 1e3 + 2.5e-3", "(((0.5 + 5.0) + 1000.0) + 0.0025)", 1005.5025},
		{"4.9e-324", "5.0e-324", 5e-324},
		{"1e21", "1.0e+21", 1e21},
		{"9007199254740993", "9.007199254740992e+15", 9007199254740992},
		// comparisons, logic and conditions
		{"a > b ? a : b", "((a > b) ? a : b)", 2},
		{"a < b ? 1 : 0", "((a < b) ? 1.0 : 0.0)", 0},
		{"a >= 2 && b <= -3 ? 1 : 0", "(((a >= 2.0) && (b <= (-3.0))) ? 1.0 : 0.0)", 1},
		{"a < 0 || b != -3 ? 1 : 0", "(((a < 0.0) || (b != (-3.0))) ? 1.0 : 0.0)", 0},
		{"a == 2 and not (b > 0) ? 1 : 0", "(((a == 2.0) && (!(b > 0.0))) ? 1.0 : 0.0)", 1},
		{"a > 2 or b < 0 ? 1 : 0", "(((a > 2.0) || (b < 0.0)) ? 1.0 : 0.0)", 1},
		{"!(a > 0) ? 1 : 0", "((!(a > 0.0)) ? 1.0 : 0.0)", 0},
		{"a > 0 ? b > 0 ? 1 : 2 : 3", "((a > 0.0) ? ((b > 0.0) ? 1.0 : 2.0) : 3.0)", 2},
		{"if a > 0 { a } else { b }", "((a > 0.0) ? a : b)", 2},
		{"0/0 == 0/0 ? 1 : 0", "(((0.0 / 0.0) == (0.0 / 0.0)) ? 1.0 : 0.0)", 0},
		{"a > 0 ? 1 : 0/0", "((a > 0.0) ? 1.0 : (0.0 / 0.0))", 1},
		// functions
		{"min(a)", "min(a)", 2},
		{"min(a, b)", "min(a, b)", -3},
		{"max(a, b, 7, 1)", "max(a, b, 7.0, 1.0)", 7},
		{"max(0/0, 1)", "max((0.0 / 0.0), 1.0)", nan},
		{"min(1, 0/0)", "min(1.0, (0.0 / 0.0))", nan},
		{"abs(b)", "abs(b)", 3},
		{"sqrt(16)", "sqrt(16.0)", 4},
		{"sqrt(b)", "sqrt(b)", nan},
		{"pow(a, 10)", "pow(a, 10.0)", 1024},
		{"log(1)", "log(1.0)", 0},
		{"log(0)", "log(0.0)", math.Inf(-1)},
		{"log10(1000)", "log10(1000.0)", 3},
		{"exp(0)", "exp(0.0)", 1},
		{"round(2.5)", "round(2.5)", 3},
		{"round(-2.5)", "round((-2.5))", -3},
		{"round(3.14159, 2)", "round(3.14159, 2.0)", 3.14},
		{"round(1234, -2)", "round(1234.0, (-2.0))", 1200},
		{"round(1.5, 0/0)", "round(1.5, (0.0 / 0.0))", nan},
		{"floor(-1.5)", "floor((-1.5))", -2},
		{"ceil(1.2)", "ceil(1.2)", 2},
		{"clamp(b, 0, 1)", "clamp(b, 0.0, 1.0)", 0},
		{"clamp(5, 2, 1)", "clamp(5.0, 2.0, 1.0)", nan},
		{"wavg(a, b)", "wavg(a, b)", 0.25*2 + 0.75*-3},
		{"vsum()", "vsum()", 0},
		{"vsum(a, b, 1)", "vsum(a, b, 1.0)", 0},
		// prev
		{"prev(a)", "prev(a)", 1002},
		{"prev(a, 1)", "prev(a)", 1002},
		{"prev(a, 12)", "prev(a, 12)", 12002},
		{"prev(a, 1000)", "prev(a, 1000)", 1000002},
		{"prev(a, 0x2)", "prev(a, 2)", 2002},
		{"prev(cost) + cost", "(prev(cost) + cost)", 3000},
		// layout
		{"visitors *\n  conversion_rate", "(visitors * conversion_rate)", 80},
		{"\t( ( a ) )\r\n", "a", 2},
		{strings.Repeat("(", 300) + "a" + strings.Repeat(")", 300), "a", 2},
	}
	env := testEnv()
	for _, tt := range tests {
		e, err := Parse("m", tt.src, env)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := Print(e.Root, nil); got != tt.print {
			t.Errorf("Print(Parse(%q)) = %q, want %q", tt.src, got, tt.print)
		}
		if got := Eval(e.Root, testRef); !same(got, tt.value) {
			t.Errorf("Eval(%q) = %v, want %v", tt.src, got, tt.value)
		}
		if e.Root.Type() != Number || e.Source != tt.src {
			t.Errorf("%q: type %v, source %q", tt.src, e.Root.Type(), e.Source)
		}
	}
}

func TestParseInputs(t *testing.T) {
	e, err := Parse("m", "a + prev(a) + a * b + prev(a, 2) + prev(a, 1) + max(b, cost)", testEnv())
	if err != nil {
		t.Fatal(err)
	}
	want := []Input{{5, 0, "a"}, {5, 1, "a"}, {6, 0, "b"}, {5, 2, "a"}, {4, 0, "cost"}}
	if !slices.Equal(e.Inputs, want) {
		t.Errorf("Inputs = %v, want %v", e.Inputs, want)
	}
	// Every reference is resolved and positioned (rune offsets).
	var refs []Span
	Walk(e.Root, func(n Node) bool {
		if r, ok := n.(*Ref); ok {
			refs = append(refs, r.Pos())
			if r.Index < 0 {
				t.Errorf("%s unresolved", r.Name)
			}
		}
		return true
	})
	if len(refs) != 8 || refs[0].From != 0 || refs[1].From != 4 {
		t.Errorf("ref positions = %v", refs)
	}
}

func TestWalkStops(t *testing.T) {
	e, err := Parse("m", "a + b * (a > 0 ? min(a, b) : -b)", testEnv())
	if err != nil {
		t.Fatal(err)
	}
	var all, upTo3 int
	Walk(e.Root, func(Node) bool { all++; return true })
	Walk(e.Root, func(Node) bool { upTo3++; return upTo3 < 3 })
	if all != 13 || upTo3 != 3 {
		t.Errorf("Walk visited %d nodes (want 13), stopped after %d (want 3)", all, upTo3)
	}
}

func TestTypesAndOps(t *testing.T) {
	if Number.String() != "number" || Bool.String() != "boolean" || Type(0).String() != "invalid" {
		t.Error("Type.String")
	}
	for op, want := range map[Op]string{OpNeg: "-", OpNot: "!", OpPow: "**", OpAnd: "&&", OpOr: "||", OpNe: "!="} {
		if op.String() != want {
			t.Errorf("%d.String() = %q, want %q", op, op.String(), want)
		}
	}
	tests := []struct {
		op   Op
		a, b float64
		want float64
	}{
		{OpAdd, 1, 2, 3}, {OpSub, 1, 2, -1}, {OpMul, 3, 2, 6}, {OpDiv, 1, 4, 0.25}, {OpPow, 2, 10, 1024},
		{OpLt, 1, 2, 1}, {OpLe, 2, 2, 1}, {OpGt, 1, 2, 0}, {OpGe, 1, 2, 0}, {OpEq, 0, math.Copysign(0, -1), 1},
		{OpNe, math.NaN(), math.NaN(), 1}, {OpLt, math.NaN(), 1, 0}, {OpAnd, 1, 0, 0}, {OpOr, 0, 1, 1}, {OpNeg, 1, 1, math.NaN()},
	}
	for _, tt := range tests {
		if got := Apply(tt.op, tt.a, tt.b); !same(got, tt.want) {
			t.Errorf("Apply(%v, %v, %v) = %v, want %v", tt.op, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestNamesAndFuncs(t *testing.T) {
	for _, s := range []string{"a", "_", "revenue_eu", "A1", "x_9"} {
		if !IsIdent(s) {
			t.Errorf("IsIdent(%q) = false", s)
		}
	}
	for _, s := range []string{"", "1a", "a-b", "a.b", "é", "a b"} {
		if IsIdent(s) {
			t.Errorf("IsIdent(%q) = true", s)
		}
	}
	for _, s := range []string{"true", "nil", "and", "not", "in", "let", "matches"} {
		if !Keyword(s) || !Reserved(s) {
			t.Errorf("%q should be a reserved keyword", s)
		}
	}
	for _, s := range []string{"min", "prev", "len", "filter", "upper"} {
		if !Reserved(s) {
			t.Errorf("Reserved(%q) = false", s)
		}
	}
	if Reserved("wavg") || Keyword("revenue") {
		t.Error("ordinary names reserved")
	}
	if !slices.IsSortedFunc(Builtins(), func(a, b *Func) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("Builtins not sorted")
	}
	bad := []struct {
		name string
		fn   any
		want string
	}{
		{"1x", math.Abs, `function name "1x" is not an identifier`},
		{"max", math.Abs, `function name "max" is reserved`},
		{"len", math.Abs, `function name "len" is reserved`},
		{"f", nil, `function "f" is nil`},
		{"f", func(int) int { return 0 }, `function "f" has type func(int) int`},
	}
	for _, tt := range bad {
		if _, err := NewFunc(tt.name, tt.fn); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("NewFunc(%q) error = %v, want prefix %q", tt.name, err, tt.want)
		}
	}
	f3, err := NewFunc("mid", func(a, b, c float64) float64 { return b })
	if err != nil || f3.MinArgs != 3 || f3.MaxArgs != 3 || f3.Call([]float64{1, 2, 3}) != 2 {
		t.Errorf("NewFunc 3 args: %v %+v", err, f3)
	}
	if got := f3.Call([]float64{1}); !math.IsNaN(got) {
		t.Errorf("call with the wrong arity = %v, want NaN", got)
	}
}

func TestFloatLiteral(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0.0"}, {math.Copysign(0, -1), "(-0.0)"}, {1, "1.0"}, {-2.5, "(-2.5)"}, {1e21, "1.0e+21"}, {1.5e-7, "1.5e-07"},
		{5e-324, "5.0e-324"}, {math.MaxFloat64, "1.7976931348623157e+308"}, {math.NaN(), "(0.0/0.0)"},
	}
	for _, tt := range tests {
		if got := FloatLiteral(tt.v); got != tt.want {
			t.Errorf("FloatLiteral(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestPrintNames(t *testing.T) {
	e, err := Parse("m", "a + prev(b, 3)", testEnv())
	if err != nil {
		t.Fatal(err)
	}
	got := Print(e.Root, func(r *Ref) string { return strings.ToUpper(r.Name) + string(rune('0'+r.Lag)) })
	if got != "(A0 + B3)" {
		t.Errorf("Print = %q", got)
	}
}
