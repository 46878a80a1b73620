package formula

import (
	"errors"
	"strings"
	"testing"
)

// TestParseErrors pins the exact text of every kind of formula error: the
// message, the hint and the caret snippet.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		kind error
		want string
	}{
		{"syntax/dangling operator", "visitors *", ErrSyntax,
			"formula of \"revenue\" (1:10): unexpected token EOF\n" +
				" | visitors *\n" +
				" | .........^"},
		{"syntax/unclosed paren", "(visitors", ErrSyntax,
			"formula of \"revenue\" (1:9): unexpected token EOF\n" +
				" | (visitors\n" +
				" | ........^"},
		{"syntax/extra paren", "visitors)", ErrSyntax,
			"formula of \"revenue\" (1:9): unexpected token Bracket(\")\")\n" +
				" | visitors)\n" +
				" | ........^"},
		{"syntax/two operators", "1 +* 2", ErrSyntax,
			"formula of \"revenue\" (1:4): unexpected token Operator(\"*\")\n" +
				" | 1 +* 2\n" +
				" | ...^"},
		{"syntax/juxtaposition", "visitors conversion_rate", ErrSyntax,
			"formula of \"revenue\" (1:10): unexpected token Identifier(\"conversion_rate\")\n" +
				" | visitors conversion_rate\n" +
				" | .........^"},
		{"syntax/empty", "", ErrSyntax,
			"formula of \"revenue\" (1:1): empty formula\n" +
				" | \n" +
				" | ^"},
		{"syntax/blank", "   ", ErrSyntax,
			"formula of \"revenue\" (1:1): empty formula\n" +
				" |    \n" +
				" | ^"},
		{"syntax/second line", "visitors +\n  * orders", ErrSyntax,
			"formula of \"revenue\" (2:3): unexpected token Operator(\"*\")\n" +
				" |   * orders\n" +
				" | ..^"},
		{"syntax/number out of range", "1e999", ErrSyntax,
			"formula of \"revenue\" (1:5): invalid float literal: strconv.ParseFloat: parsing \"1e999\": value out of range\n" +
				" | 1e999\n" +
				" | ....^"},
		{"syntax/integer out of range", "99999999999999999999", ErrSyntax,
			"formula of \"revenue\" (1:20): invalid integer literal: strconv.ParseInt: parsing \"99999999999999999999\": value out of range\n" +
				" | 99999999999999999999\n" +
				" | ...................^"},
		{"syntax/call a call", "abs(visitors)(1)", ErrSyntax,
			"formula of \"revenue\" (1:14): unexpected token Bracket(\"(\")\n" +
				" | abs(visitors)(1)\n" +
				" | .............^"},
		{"syntax/lone hash", "#", ErrSyntax,
			"formula of \"revenue\" (1:1): unexpected token Operator(\"#\")\n" +
				" | #\n" +
				" | ^"},
		{"syntax/arrow", "x => x", ErrSyntax,
			"formula of \"revenue\" (1:3): unexpected token Operator(\"=\")\n" +
				" | x => x\n" +
				" | ..^"},
		{"unknown name/typo", "visiters * conversion_rate", ErrUnknownName,
			"formula of \"revenue\" (1:1): unknown name \"visiters\" (did you mean \"visitors\"?)\n" +
				" | visiters * conversion_rate\n" +
				" | ^"},
		{"unknown name/case", "Visitors", ErrUnknownName,
			"formula of \"revenue\" (1:1): unknown name \"Visitors\" (did you mean \"visitors\"?)\n" +
				" | Visitors\n" +
				" | ^"},
		{"unknown name/far", "zzz + 1", ErrUnknownName,
			"formula of \"revenue\" (1:1): unknown name \"zzz\"\n" +
				" | zzz + 1\n" +
				" | ^"},
		{"unknown name/later", "visitors + ordres", ErrUnknownName,
			"formula of \"revenue\" (1:12): unknown name \"ordres\" (did you mean \"orders\"?)\n" +
				" | visitors + ordres\n" +
				" | ...........^"},
		{"unknown name/second line", "visitors +\n  cots", ErrUnknownName,
			"formula of \"revenue\" (2:3): unknown name \"cots\" (did you mean \"cost\"?)\n" +
				" |   cots\n" +
				" | ..^"},
		{"unknown name/in prev", "prev(vistors)", ErrUnknownName,
			"formula of \"revenue\" (1:6): unknown name \"vistors\" (did you mean \"visitors\"?)\n" +
				" | prev(vistors)\n" +
				" | .....^"},
		{"unknown name/function as value", "sqrt + 1", ErrUnknownName,
			"formula of \"revenue\" (1:1): unknown name \"sqrt\"\n" +
				" | sqrt + 1\n" +
				" | ^"},
		{"unknown name/prev as value", "prev", ErrUnknownName,
			"formula of \"revenue\" (1:1): unknown name \"prev\"\n" +
				" | prev\n" +
				" | ^"},
		{"unknown name/env", "$env", ErrUnknownName,
			"formula of \"revenue\" (1:1): unknown name \"$env\"\n" +
				" | $env\n" +
				" | ^"},
		{"unknown function/typo", "sqr(visitors)", ErrUnknownFunction,
			"formula of \"revenue\" (1:1): unknown function \"sqr\" (did you mean \"sqrt\"?)\n" +
				" | sqr(visitors)\n" +
				" | ^"},
		{"unknown function/maxx", "maxx(1, 2)", ErrUnknownFunction,
			"formula of \"revenue\" (1:1): unknown function \"maxx\" (did you mean \"max\"?)\n" +
				" | maxx(1, 2)\n" +
				" | ^"},
		{"unknown function/registered typo", "wavgg(1, 2)", ErrUnknownFunction,
			"formula of \"revenue\" (1:1): unknown function \"wavgg\" (did you mean \"wavg\"?)\n" +
				" | wavgg(1, 2)\n" +
				" | ^"},
		{"unknown function/prevv", "prevv(orders)", ErrUnknownFunction,
			"formula of \"revenue\" (1:1): unknown function \"prevv\" (did you mean \"prev\"?)\n" +
				" | prevv(orders)\n" +
				" | ^"},
		{"unknown function/expr builtin", "upper(1)", ErrUnknownFunction,
			"formula of \"revenue\" (1:1): unknown function \"upper\" (only math functions are allowed: abs, ceil, clamp, exp, floor, log, log10, max, min, pow, round, sqrt, prev)\n" +
				" | upper(1)\n" +
				" | ^"},
		{"unknown function/filter", "filter([1, 2], # > 1)", ErrUnknownFunction,
			"formula of \"revenue\" (1:1): unknown function \"filter\" (only math functions are allowed: abs, ceil, clamp, exp, floor, log, log10, max, min, pow, round, sqrt, prev)\n" +
				" | filter([1, 2], # > 1)\n" +
				" | ^"},
		{"unknown function/metric called", "visitors(1)", ErrUnknownFunction,
			"formula of \"revenue\" (1:1): unknown function \"visitors\"\n" +
				" | visitors(1)\n" +
				" | ^"},
		{"not allowed/string", "visitors + \"x\"", ErrNotAllowed,
			"formula of \"revenue\" (1:12): string literal \"x\" is not allowed in formulas (formulas compute numbers)\n" +
				" | visitors + \"x\"\n" +
				" | ...........^"},
		{"not allowed/single quoted string", "'abc'", ErrNotAllowed,
			"formula of \"revenue\" (1:1): string literal \"abc\" is not allowed in formulas (formulas compute numbers)\n" +
				" | 'abc'\n" +
				" | ^"},
		{"not allowed/member", "visitors.eu", ErrNotAllowed,
			"formula of \"revenue\" (1:10): member access is not allowed in formulas (metric ids are plain names: use revenue_eu, not revenue.eu)\n" +
				" | visitors.eu\n" +
				" | .........^"},
		{"not allowed/optional chaining", "visitors?.eu", ErrNotAllowed,
			"formula of \"revenue\" (1:11): member access is not allowed in formulas (metric ids are plain names: use revenue_eu, not revenue.eu)\n" +
				" | visitors?.eu\n" +
				" | ..........^"},
		{"not allowed/index", "visitors[0]", ErrNotAllowed,
			"formula of \"revenue\" (1:9): member access is not allowed in formulas (metric ids are plain names: use revenue_eu, not revenue.eu)\n" +
				" | visitors[0]\n" +
				" | ........^"},
		{"not allowed/slice", "visitors[1:2]", ErrNotAllowed,
			"formula of \"revenue\" (1:9): slicing is not allowed in formulas (formulas may use numbers, metric ids, + - * / ** ^, comparisons, && || !, ?: and math functions)\n" +
				" | visitors[1:2]\n" +
				" | ........^"},
		{"not allowed/array", "[1, 2]", ErrNotAllowed,
			"formula of \"revenue\" (1:1): an array is not allowed in formulas (formulas may use numbers, metric ids, + - * / ** ^, comparisons, && || !, ?: and math functions)\n" +
				" | [1, 2]\n" +
				" | ^"},
		{"not allowed/map", "{a: 1}", ErrNotAllowed,
			"formula of \"revenue\" (1:1): a map is not allowed in formulas (formulas may use numbers, metric ids, + - * / ** ^, comparisons, && || !, ?: and math functions)\n" +
				" | {a: 1}\n" +
				" | ^"},
		{"not allowed/let", "let x = 1; x", ErrNotAllowed,
			"formula of \"revenue\" (1:5): let is not allowed in formulas (formulas may use numbers, metric ids, + - * / ** ^, comparisons, && || !, ?: and math functions)\n" +
				" | let x = 1; x\n" +
				" | ....^"},
		{"not allowed/sequence", "visitors; orders", ErrNotAllowed,
			"formula of \"revenue\" (1:1): a sequence of expressions is not allowed in formulas (formulas may use numbers, metric ids, + - * / ** ^, comparisons, && || !, ?: and math functions)\n" +
				" | visitors; orders\n" +
				" | ^"},
		{"not allowed/range", "1..3", ErrNotAllowed,
			"formula of \"revenue\" (1:2): operator \"..\" is not allowed in formulas (ranges allocate without bound)\n" +
				" | 1..3\n" +
				" | .^"},
		{"not allowed/nil coalescing", "visitors ?? 0", ErrNotAllowed,
			"formula of \"revenue\" (1:10): operator \"??\" is not allowed in formulas (missing values are handled by the evaluation policy, not in formulas)\n" +
				" | visitors ?? 0\n" +
				" | .........^"},
		{"not allowed/modulo", "visitors % 2", ErrNotAllowed,
			"formula of \"revenue\" (1:10): operator \"%\" is not allowed in formulas (write x - floor(x / y) * y)\n" +
				" | visitors % 2\n" +
				" | .........^"},
		{"not allowed/comment trap", "visitors // 2", ErrNotAllowed,
			"formula of \"revenue\" (1:10): \"//\" is not an operator (in expr syntax // starts a comment; for integer division write floor(a / b))\n" +
				" | visitors // 2\n" +
				" | .........^"},
		{"not allowed/block comment", "visitors /* c */", ErrNotAllowed,
			"formula of \"revenue\" (1:10): \"/*\" is not an operator (comments are not allowed in formulas)\n" +
				" | visitors /* c */\n" +
				" | .........^"},
		{"not allowed/in", "visitors in [1]", ErrNotAllowed,
			"formula of \"revenue\" (1:10): operator \"in\" is not allowed in formulas\n" +
				" | visitors in [1]\n" +
				" | .........^"},
		{"not allowed/matches", "visitors matches 'x'", ErrNotAllowed,
			"formula of \"revenue\" (1:10): operator \"matches\" is not allowed in formulas\n" +
				" | visitors matches 'x'\n" +
				" | .........^"},
		{"not allowed/nil", "nil", ErrNotAllowed,
			"formula of \"revenue\" (1:1): nil is not allowed in formulas\n" +
				" | nil\n" +
				" | ^"},
		{"not allowed/bytes", "b'x'", ErrNotAllowed,
			"formula of \"revenue\" (1:1): a byte string is not allowed in formulas (formulas may use numbers, metric ids, + - * / ** ^, comparisons, && || !, ?: and math functions)\n" +
				" | b'x'\n" +
				" | ^"},
		{"not allowed/true", "true", ErrNotAllowed,
			"formula of \"revenue\" (1:1): boolean literal true is not allowed in formulas (write a comparison instead)\n" +
				" | true\n" +
				" | ^"},
		{"not allowed/false as condition", "false ? 1 : 2", ErrNotAllowed,
			"formula of \"revenue\" (1:1): boolean literal false is not allowed in formulas (write a comparison instead)\n" +
				" | false ? 1 : 2\n" +
				" | ^"},
		{"not allowed/compare with true", "visitors == true", ErrNotAllowed,
			"formula of \"revenue\" (1:13): boolean literal true is not allowed in formulas (write a comparison instead)\n" +
				" | visitors == true\n" +
				" | ............^"},
		{"type/boolean formula", "visitors > 0", ErrType,
			"formula of \"revenue\" (1:10): formula computes a boolean, not a number (a condition can choose between numbers: cond ? a : b)\n" +
				" | visitors > 0\n" +
				" | .........^"},
		{"type/boolean and", "visitors > 0 and orders > 0", ErrType,
			"formula of \"revenue\" (1:14): formula computes a boolean, not a number (a condition can choose between numbers: cond ? a : b)\n" +
				" | visitors > 0 and orders > 0\n" +
				" | .............^"},
		{"type/not formula", "not (visitors > 0)", ErrType,
			"formula of \"revenue\" (1:1): formula computes a boolean, not a number (a condition can choose between numbers: cond ? a : b)\n" +
				" | not (visitors > 0)\n" +
				" | ^"},
		{"type/number and", "visitors && orders", ErrType,
			"formula of \"revenue\" (1:1): operand of && must be a boolean, not a number (use a comparison such as x > 0)\n" +
				" | visitors && orders\n" +
				" | ^"},
		{"type/number or", "visitors > 0 || orders", ErrType,
			"formula of \"revenue\" (1:17): operand of || must be a boolean, not a number (use a comparison such as x > 0)\n" +
				" | visitors > 0 || orders\n" +
				" | ................^"},
		{"type/not number", "!visitors", ErrType,
			"formula of \"revenue\" (1:2): operand of ! must be a boolean, not a number (use a comparison such as x > 0)\n" +
				" | !visitors\n" +
				" | .^"},
		{"type/boolean plus", "(visitors > 0) + 1", ErrType,
			"formula of \"revenue\" (1:11): operand of + must be a number, not a boolean (use cond ? a : b to turn a condition into a number)\n" +
				" | (visitors > 0) + 1\n" +
				" | ..........^"},
		{"type/number condition", "orders ? 1 : 2", ErrType,
			"formula of \"revenue\" (1:1): operand of ?: must be a boolean, not a number (use a comparison such as x > 0)\n" +
				" | orders ? 1 : 2\n" +
				" | ^"},
		{"type/boolean branch", "visitors > 0 ? 1 : orders > 0", ErrType,
			"formula of \"revenue\" (1:27): operand of ?: must be a number, not a boolean (use cond ? a : b to turn a condition into a number)\n" +
				" | visitors > 0 ? 1 : orders > 0\n" +
				" | ..........................^"},
		{"type/boolean argument", "min(visitors > 0)", ErrType,
			"formula of \"revenue\" (1:14): operand of min() must be a number, not a boolean (use cond ? a : b to turn a condition into a number)\n" +
				" | min(visitors > 0)\n" +
				" | .............^"},
		{"type/boolean registered argument", "wavg(visitors > 0, 1)", ErrType,
			"formula of \"revenue\" (1:15): operand of wavg() must be a number, not a boolean (use cond ? a : b to turn a condition into a number)\n" +
				" | wavg(visitors > 0, 1)\n" +
				" | ..............^"},
		{"type/chained comparison", "0 < visitors < 10", ErrType,
			"formula of \"revenue\" (1:14): formula computes a boolean, not a number (a condition can choose between numbers: cond ? a : b)\n" +
				" | 0 < visitors < 10\n" +
				" | .............^"},
		{"type/negate boolean", "-(visitors > 0)", ErrType,
			"formula of \"revenue\" (1:12): operand of - must be a number, not a boolean (use cond ? a : b to turn a condition into a number)\n" +
				" | -(visitors > 0)\n" +
				" | ...........^"},
		{"arity/abs none", "abs()", ErrArity,
			"formula of \"revenue\" (1:1): abs takes 1 argument, got 0 (abs(x): absolute value)\n" +
				" | abs()\n" +
				" | ^"},
		{"arity/abs two", "abs(1, 2)", ErrArity,
			"formula of \"revenue\" (1:1): abs takes 1 argument, got 2 (abs(x): absolute value)\n" +
				" | abs(1, 2)\n" +
				" | ^"},
		{"arity/pow one", "pow(2)", ErrArity,
			"formula of \"revenue\" (1:1): pow takes 2 arguments, got 1 (pow(x, y): x to the y)\n" +
				" | pow(2)\n" +
				" | ^"},
		{"arity/clamp two", "clamp(1, 2)", ErrArity,
			"formula of \"revenue\" (1:1): clamp takes 3 arguments, got 2 (clamp(x, lo, hi): x limited to [lo, hi])\n" +
				" | clamp(1, 2)\n" +
				" | ^"},
		{"arity/round three", "round(1, 2, 3)", ErrArity,
			"formula of \"revenue\" (1:1): round takes 1 to 2 arguments, got 3 (round(x) or round(x, digits): half away from zero)\n" +
				" | round(1, 2, 3)\n" +
				" | ^"},
		{"arity/min none", "min()", ErrArity,
			"formula of \"revenue\" (1:1): min takes 1 or more arguments, got 0 (min(a, b, ...): smallest argument (NaN if any is NaN))\n" +
				" | min()\n" +
				" | ^"},
		{"arity/max none", "max()", ErrArity,
			"formula of \"revenue\" (1:1): max takes 1 or more arguments, got 0 (max(a, b, ...): largest argument (NaN if any is NaN))\n" +
				" | max()\n" +
				" | ^"},
		{"arity/registered", "wavg(1)", ErrArity,
			"formula of \"revenue\" (1:1): wavg takes 2 arguments, got 1\n" +
				" | wavg(1)\n" +
				" | ^"},
		{"arity/prev none", "prev()", ErrArity,
			"formula of \"revenue\" (1:1): prev takes 1 or 2 arguments, got 0 (prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier)\n" +
				" | prev()\n" +
				" | ^"},
		{"arity/prev three", "prev(orders, 1, 2)", ErrArity,
			"formula of \"revenue\" (1:1): prev takes 1 or 2 arguments, got 3 (prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier)\n" +
				" | prev(orders, 1, 2)\n" +
				" | ^"},
		{"prev/literal", "prev(1)", ErrType,
			"formula of \"revenue\" (1:6): the first argument of prev must be a metric id (prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier)\n" +
				" | prev(1)\n" +
				" | .....^"},
		{"prev/expression", "prev(visitors + 1)", ErrType,
			"formula of \"revenue\" (1:15): the first argument of prev must be a metric id (prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier)\n" +
				" | prev(visitors + 1)\n" +
				" | ..............^"},
		{"prev/lag zero", "prev(visitors, 0)", ErrType,
			"formula of \"revenue\" (1:16): the lag of prev must be a whole number from 1 to 1000 (prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier)\n" +
				" | prev(visitors, 0)\n" +
				" | ...............^"},
		{"prev/lag fraction", "prev(visitors, 1.5)", ErrType,
			"formula of \"revenue\" (1:16): the lag of prev must be a whole number from 1 to 1000 (prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier)\n" +
				" | prev(visitors, 1.5)\n" +
				" | ...............^"},
		{"prev/lag float", "prev(visitors, 2.0)", ErrType,
			"formula of \"revenue\" (1:16): the lag of prev must be a whole number from 1 to 1000 (prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier)\n" +
				" | prev(visitors, 2.0)\n" +
				" | ...............^"},
		{"prev/lag too large", "prev(visitors, 1001)", ErrType,
			"formula of \"revenue\" (1:16): the lag of prev must be a whole number from 1 to 1000 (prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier)\n" +
				" | prev(visitors, 1001)\n" +
				" | ...............^"},
		{"prev/lag negative", "prev(visitors, -1)", ErrType,
			"formula of \"revenue\" (1:16): the lag of prev must be a whole number from 1 to 1000 (prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier)\n" +
				" | prev(visitors, -1)\n" +
				" | ...............^"},
		{"prev/lag metric", "prev(visitors, orders)", ErrType,
			"formula of \"revenue\" (1:16): the lag of prev must be a whole number from 1 to 1000 (prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier)\n" +
				" | prev(visitors, orders)\n" +
				" | ...............^"},
	}
	env := testEnv()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse("revenue", tt.src, env)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want an error", tt.src, Print(e.Root, nil))
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not an *Error", err)
			}
			if !errors.Is(err, tt.kind) || fe.Kind != tt.kind {
				t.Errorf("kind = %v, want %v", fe.Kind, tt.kind)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if fe.Metric != "revenue" || fe.Source != tt.src {
				t.Errorf("Metric, Source = %q, %q", fe.Metric, fe.Source)
			}
		})
	}
}

func TestParseSizeLimits(t *testing.T) {
	env := testEnv()
	t.Run("source length", func(t *testing.T) {
		src := strings.Repeat("1", MaxSourceLen+1)
		_, err := Parse("revenue", src, env)
		want := "formula of \"revenue\" (1:1): formula is 65537 bytes; the limit is 65536 (split it into intermediate metrics)\n" +
			" | " + strings.Repeat("1", 80) + "…\n" +
			" | ^"
		if !errors.Is(err, ErrTooLarge) || err.Error() != want {
			t.Errorf("got\n%v\nwant\n%s", err, want)
		}
		// The limit itself is allowed.
		ok := "1" + strings.Repeat(" ", MaxSourceLen-1)
		if _, err := Parse("revenue", ok, env); err != nil {
			t.Errorf("source of exactly MaxSourceLen bytes: %v", err)
		}
	})
	t.Run("nodes", func(t *testing.T) {
		src := strings.Repeat("a + ", 1199) + "a"
		_, err := Parse("revenue", src, env)
		want := "formula of \"revenue\" (1:4003): formula has too many terms\n" +
			" | …" + src[3962:4042] + "…\n" +
			" | " + strings.Repeat(".", 41) + "^"
		if !errors.Is(err, ErrTooLarge) || err.Error() != want {
			t.Errorf("got\n%v\nwant\n%s", err, want)
		}
		ok := strings.Repeat("a + ", MaxNodes/2-1) + "a"
		if _, err := Parse("revenue", ok, env); err != nil {
			t.Errorf("%d terms: %v", MaxNodes/2, err)
		}
	})
}

func TestErrorWithoutMetric(t *testing.T) {
	_, err := Parse("", "1 +\tzz", testEnv())
	want := "formula (1:5): unknown name \"zz\" (did you mean \"a\"?)\n" +
		" | 1 + zz\n" +
		" | ....^"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	var fe *Error
	if !errors.As(err, &fe) || fe.Line != 1 || fe.Column != 5 || fe.Offset != 4 || fe.Hint != `did you mean "a"?` {
		t.Errorf("error fields = %+v", fe)
	}
	if !errors.Is(err, ErrUnknownName) || errors.Is(err, ErrSyntax) {
		t.Errorf("errors.Is does not match the kind only")
	}
}

func TestParseNilEnv(t *testing.T) {
	_, err := Parse("m", "x + 1", nil)
	if !errors.Is(err, ErrUnknownName) {
		t.Errorf("err = %v", err)
	}
	e, err := Parse("m", "max(1, 2) * 3", nil)
	if err != nil || Eval(e.Root, nil) != 6 {
		t.Errorf("formula without names: %v", err)
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("x", 100) + "Z" + strings.Repeat("y", 100)
	tests := []struct {
		name string
		e    Error
		want string
	}{
		{"start", Error{Source: "abc", Line: 1, Column: 1}, "\n | abc\n | ^"},
		{"after end", Error{Source: "abc", Line: 1, Column: 4}, "\n | abc\n | ...^"},
		{"second line", Error{Source: "a +\nb * c", Line: 2, Column: 5}, "\n | b * c\n | ....^"},
		{"tabs", Error{Source: "\ta", Line: 1, Column: 2}, "\n |  a\n | .^"},
		{"no line", Error{Source: "abc", Line: 3, Column: 1}, ""},
		{"long line, middle", Error{Source: long, Line: 1, Column: 101},
			"\n | …" + strings.Repeat("x", 40) + "Z" + strings.Repeat("y", 39) + "…\n | " + strings.Repeat(".", 41) + "^"},
		{"long line, start", Error{Source: long, Line: 1, Column: 2},
			"\n | " + strings.Repeat("x", 80) + "…\n | .^"},
		{"long line, end", Error{Source: long, Line: 1, Column: 201},
			"\n | …" + strings.Repeat("y", 41) + "\n | " + strings.Repeat(".", 41) + "^"},
	}
	for _, tt := range tests {
		if got := tt.e.Snippet(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := func(s ...string) func(func(string) bool) {
		return func(yield func(string) bool) {
			for _, n := range s {
				if !yield(n) {
					return
				}
			}
		}
	}
	tests := []struct {
		name  string
		cands []string
		want  string
	}{
		{"visiters", []string{"orders", "visitors"}, "visitors"},
		{"vistiors", []string{"visitors"}, "visitors"}, // a swap costs one
		{"REVENUE", []string{"revenue"}, "revenue"},
		{"zzz", []string{"revenue", "cost"}, ""},
		{"ab", []string{"ba", "ac", "aa"}, "aa"}, // ties: first in sorted order
		{"x", nil, ""},
	}
	for _, tt := range tests {
		if got := Suggest(tt.name, names(tt.cands...)); got != tt.want {
			t.Errorf("Suggest(%q, %v) = %q, want %q", tt.name, tt.cands, got, tt.want)
		}
	}
}
