package formula

import (
	"fmt"

	"github.com/expr-lang/expr/builtin"

	"math"
	"slices"
)

// Builtin identifies a built-in function so that engines can compile it
// to a dedicated instruction. Registered (custom) functions have Builtin 0.
type Builtin uint8

// The built-in functions.
const (
	FnMin Builtin = iota + 1
	FnMax
	FnAbs
	FnSqrt
	FnPow
	FnLog
	FnLog10
	FnExp
	FnRound
	FnFloor
	FnCeil
	FnClamp
)

// Func is a function callable from formulas. Exactly one of F1, F2, F3 or
// FN is set (by arity); FN takes a variable number of arguments within
// [MinArgs, MaxArgs] (MaxArgs < 0: no upper bound).
type Func struct {
	Name             string
	Builtin          Builtin
	MinArgs, MaxArgs int
	F1               func(float64) float64
	F2               func(float64, float64) float64
	F3               func(float64, float64, float64) float64
	FN               func([]float64) float64
	Doc              string
}

// Call invokes f on args (len(args) within the arity).
func (f *Func) Call(args []float64) float64 {
	switch {
	case f.F1 != nil && len(args) == 1:
		return f.F1(args[0])
	case f.F2 != nil && len(args) == 2:
		return f.F2(args[0], args[1])
	case f.F3 != nil && len(args) == 3:
		return f.F3(args[0], args[1], args[2])
	case f.FN != nil:
		return f.FN(args)
	}
	return math.NaN()
}

// Min returns the smaller argument: NaN if either is NaN (unlike expr's
// min, whose result depends on argument order), and -0 below +0 — Go's
// built-in min.
func Min(a, b float64) float64 { return min(a, b) }

// Max returns the larger argument: NaN if either is NaN, +0 above -0 —
// Go's built-in max.
func Max(a, b float64) float64 { return max(a, b) }

// Round rounds half away from zero, like math.Round.
func Round(x float64) float64 { return math.Round(x) }

// RoundTo rounds x to d decimal places (d is truncated to an integer).
func RoundTo(x, d float64) float64 {
	if d != d {
		return math.NaN()
	}
	p := math.Pow(10, math.Trunc(d))
	return math.Round(x*p) / p
}

// Clamp limits x to [lo, hi]; NaN if any argument is NaN or lo > hi.
func Clamp(x, lo, hi float64) float64 {
	if x != x || lo != lo || hi != hi || lo > hi {
		return math.NaN()
	}
	return math.Min(math.Max(x, lo), hi)
}

func minN(a []float64) float64 {
	r := a[0]
	for _, v := range a[1:] {
		r = Min(r, v)
	}
	return r
}

func maxN(a []float64) float64 {
	r := a[0]
	for _, v := range a[1:] {
		r = Max(r, v)
	}
	return r
}

func roundN(a []float64) float64 {
	if len(a) == 1 {
		return Round(a[0])
	}
	return RoundTo(a[0], a[1])
}

var builtins = []*Func{
	{Name: "abs", Builtin: FnAbs, MinArgs: 1, MaxArgs: 1, F1: math.Abs, Doc: "abs(x): absolute value"},
	{Name: "ceil", Builtin: FnCeil, MinArgs: 1, MaxArgs: 1, F1: math.Ceil, Doc: "ceil(x): smallest integer >= x"},
	{Name: "clamp", Builtin: FnClamp, MinArgs: 3, MaxArgs: 3, F3: Clamp, Doc: "clamp(x, lo, hi): x limited to [lo, hi]"},
	{Name: "exp", Builtin: FnExp, MinArgs: 1, MaxArgs: 1, F1: math.Exp, Doc: "exp(x): e to the x"},
	{Name: "floor", Builtin: FnFloor, MinArgs: 1, MaxArgs: 1, F1: math.Floor, Doc: "floor(x): largest integer <= x"},
	{Name: "log", Builtin: FnLog, MinArgs: 1, MaxArgs: 1, F1: math.Log, Doc: "log(x): natural logarithm"},
	{Name: "log10", Builtin: FnLog10, MinArgs: 1, MaxArgs: 1, F1: math.Log10, Doc: "log10(x): decimal logarithm"},
	{Name: "max", Builtin: FnMax, MinArgs: 1, MaxArgs: -1, FN: maxN, Doc: "max(a, b, ...): largest argument (NaN if any is NaN)"},
	{Name: "min", Builtin: FnMin, MinArgs: 1, MaxArgs: -1, FN: minN, Doc: "min(a, b, ...): smallest argument (NaN if any is NaN)"},
	{Name: "pow", Builtin: FnPow, MinArgs: 2, MaxArgs: 2, F2: math.Pow, Doc: "pow(x, y): x to the y"},
	{Name: "round", Builtin: FnRound, MinArgs: 1, MaxArgs: 2, FN: roundN, Doc: "round(x) or round(x, digits): half away from zero"},
	{Name: "sqrt", Builtin: FnSqrt, MinArgs: 1, MaxArgs: 1, F1: math.Sqrt, Doc: "sqrt(x): square root"},
}

// PrevName is the time function: prev(x) is x one period earlier,
// prev(x, k) k periods earlier.
const PrevName = "prev"

// MaxLag bounds k in prev(x, k).
const MaxLag = 1000

// Builtins returns the built-in functions, sorted by name.
func Builtins() []*Func { return builtins }

func builtinByName(name string) *Func {
	i, ok := slices.BinarySearchFunc(builtins, name, func(f *Func, n string) int {
		switch {
		case f.Name < n:
			return -1
		case f.Name > n:
			return 1
		}
		return 0
	})
	if ok {
		return builtins[i]
	}
	return nil
}

// Reserved reports whether name cannot be used for a registered function:
// a built-in function of kpitree or of expr, prev, or a keyword.
func Reserved(name string) bool {
	if builtinByName(name) != nil || name == PrevName {
		return true
	}
	if _, ok := builtin.Index[name]; ok {
		return true
	}
	return Keyword(name)
}

// Keyword reports whether name is a keyword of the expression language and
// so cannot be a metric id.
func Keyword(name string) bool {
	switch name {
	case "true", "false", "nil", "and", "or", "not", "in", "let", "if", "else", "matches", "contains", "startsWith", "endsWith":
		return true
	}
	return false
}

// NewFunc validates and wraps a user function for registration. fn must be
// one of func(float64) float64, func(float64, float64) float64,
// func(float64, float64, float64) float64 or func(...float64) float64.
func NewFunc(name string, fn any) (*Func, error) {
	if !IsIdent(name) {
		return nil, fmt.Errorf("function name %q is not an identifier (letters, digits and '_', not starting with a digit)", name)
	}
	if Reserved(name) {
		return nil, fmt.Errorf("function name %q is reserved: it is a built-in function or keyword", name)
	}
	f := &Func{Name: name}
	switch fn := fn.(type) {
	case func(float64) float64:
		f.F1, f.MinArgs, f.MaxArgs = fn, 1, 1
	case func(float64, float64) float64:
		f.F2, f.MinArgs, f.MaxArgs = fn, 2, 2
	case func(float64, float64, float64) float64:
		f.F3, f.MinArgs, f.MaxArgs = fn, 3, 3
	case func(...float64) float64:
		ff := fn
		f.FN, f.MinArgs, f.MaxArgs = func(a []float64) float64 { return ff(a...) }, 0, -1
	case nil:
		return nil, fmt.Errorf("function %q is nil", name)
	default:
		return nil, fmt.Errorf("function %q has type %T; want func(float64) float64, func(float64, float64) float64, func(float64, float64, float64) float64 or func(...float64) float64", name, fn)
	}
	return f, nil
}

// IsIdent reports whether s is an identifier usable as a metric id or
// function name: [A-Za-z_][A-Za-z0-9_]*.
func IsIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
