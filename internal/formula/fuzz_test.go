package formula

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// fuzzValues are input assignments under which a formula and its printed
// form must evaluate identically.
var fuzzValues = [][]float64{
	testValues,
	{0, math.Copysign(0, -1), 1, -1, 0.5, 1e308, 5e-324},
	{math.NaN(), math.Inf(1), math.Inf(-1), 0, -2.5, 1e-308, -1e308},
}

// FuzzParse: Parse never panics; it returns either an *Error of a known
// kind with a valid position, or a formula whose printed form parses
// again to the same printed form, the same inputs and bit-identical values.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"visitors * conversion_rate * avg_order_value", "prev(a) + prev(b, 12) - a", "a > b ? a : -b",
		"min(a, b, 1) + max(a) + abs(b) + sqrt(a) + pow(a, b) + log(a) + log10(a) + exp(b)",
		"round(a) + round(a, 2) + floor(b) + ceil(b) + clamp(a, b, 3)", "wavg(a, b) + vsum() + vsum(a, b, 1)",
		"a ** 2 ^ 3", "-0 * a", "0x1F + 1_000 + .5 + 5. + 1e-3", "a >= 0 && !(b < 0) || a == b ? 1 : 0",
		"a > 0 and not (b != 0) or a <= b ? 1 : 0", "if a > 0 { 1 } else { 0 }", "4.9e-324 / 1e308",
		"", "a +", "(a", "a)", "visiters", "sqr(a)", "'s'", "a.b", "a?.b", "[1]", "{a: 1}", "let x = 1; x",
		"filter([1], # > 0)", "1..3", "a ?? 1", "a % 2", "a // 2", "a /* */", "true", "nil", "a > 0",
		"a && b", "!a", "abs()", "prev(1)", "prev(a, 0)", "prev(a, 1.5)", "prev(a, 1001)", "1e999",
		"a |> abs()", "a in [1]", "$env", "#", "a[1:2]", "b'x'", "a; b", "\"\\u00e9\"", "é + 1", "a\n+\n\tb",
		strings.Repeat("-", 50) + "a", strings.Repeat("(", 100) + "a" + strings.Repeat(")", 100),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	env := testEnv()
	kinds := []error{ErrSyntax, ErrUnknownName, ErrUnknownFunction, ErrNotAllowed, ErrType, ErrArity, ErrTooLarge}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse("m", src, env)
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("Parse(%q): error %T is not an *Error: %v", src, err, err)
			}
			if !slices.Contains(kinds, fe.Kind) {
				t.Fatalf("Parse(%q): unknown kind %v", src, fe.Kind)
			}
			if fe.Line < 1 || fe.Column < 1 || fe.Offset < 0 || err.Error() == "" {
				t.Fatalf("Parse(%q): bad position %d:%d (offset %d)", src, fe.Line, fe.Column, fe.Offset)
			}
			return
		}
		if e.Root.Type() != Number {
			t.Fatalf("Parse(%q) accepted a %v formula", src, e.Root.Type())
		}
		printed := Print(e.Root, nil)
		e2, err := Parse("m", printed, env)
		if err != nil {
			t.Fatalf("Parse(%q) printed as %q, which does not parse: %v", src, printed, err)
		}
		if again := Print(e2.Root, nil); again != printed {
			t.Fatalf("printing is not a fixed point: %q -> %q -> %q", src, printed, again)
		}
		if !slices.Equal(e.Inputs, e2.Inputs) {
			t.Fatalf("inputs differ: %v vs %v for %q and %q", e.Inputs, e2.Inputs, src, printed)
		}
		for _, vals := range fuzzValues {
			ref := func(r *Ref) float64 { return vals[r.Index%len(vals)] + float64(r.Lag) }
			a, b := Eval(e.Root, ref), Eval(e2.Root, ref)
			if !same(a, b) {
				t.Fatalf("%q = %v but its printed form %q = %v", src, a, printed, b)
			}
		}
	})
}
