package formula

import (
	"fmt"
	"iter"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
)

// MaxNodes bounds the size of one formula's syntax tree.
const MaxNodes = 2000

// MaxSourceLen bounds the length of one formula's source, in bytes.
const MaxSourceLen = 64 << 10

// Env resolves the names a formula uses.
type Env interface {
	// Lookup returns the index of the metric called name.
	Lookup(name string) (int, bool)
	// Names lists the metric ids, for "did you mean" suggestions.
	Names() iter.Seq[string]
	// Func returns the registered function called name, or nil.
	Func(name string) *Func
	// FuncNames lists the registered functions, for suggestions.
	FuncNames() iter.Seq[string]
}

// Input is one distinct value a formula reads: a metric, Lag periods back.
type Input struct {
	Index int
	Lag   int
	Name  string
}

// Expr is a parsed, resolved and type-checked formula.
type Expr struct {
	Source string
	Root   Node
	// Inputs are the distinct (metric, lag) pairs the formula reads, in
	// order of first appearance.
	Inputs []Input
}

// Parse parses src with expr's parser, keeps only the whitelisted
// language (numbers, metric names, arithmetic, comparison, logic,
// ternary, built-in and registered functions, prev), resolves names
// against env and checks types. The formula must compute a number.
// Errors are *Error; metric names the formula's owner in messages.
func Parse(metric, src string, env Env) (*Expr, error) {
	e, err := parse(src, env)
	if err != nil {
		if fe, ok := err.(*Error); ok {
			fe.Metric = metric
		}
		return nil, err
	}
	return e, nil
}

func parse(src string, env Env) (*Expr, error) {
	if len(src) > MaxSourceLen {
		return nil, newError(src, 0, ErrTooLarge, "split it into intermediate metrics", "formula is %d bytes; the limit is %d", len(src), MaxSourceLen)
	}
	if strings.TrimSpace(src) == "" {
		return nil, newError(src, 0, ErrSyntax, "", "empty formula")
	}
	if off, what := findComment(src); off >= 0 {
		hint := "comments are not allowed in formulas"
		if what == "//" {
			hint = "in expr syntax // starts a comment; for integer division write floor(a / b)"
		}
		return nil, newError(src, off, ErrNotAllowed, hint, "%q is not an operator", what)
	}
	cfg := &conf.Config{MaxNodes: MaxNodes, DisableIfOperator: false}
	tree, err := parser.ParseWithConfig(src, cfg)
	if err != nil {
		if fe, ok := err.(*file.Error); ok {
			msg := fe.Message
			kind := ErrSyntax
			if strings.Contains(msg, "maximum allowed nodes") {
				kind, msg = ErrTooLarge, "formula has too many terms"
			}
			return nil, newError(src, fe.From, kind, "", "%s", msg)
		}
		return nil, newError(src, 0, ErrSyntax, "", "%v", err)
	}
	c := converter{src: src, env: env}
	root, err := c.conv(tree.Node)
	if err != nil {
		return nil, err
	}
	if root.Type() != Number {
		return nil, newError(src, root.Pos().From, ErrType, "a condition can choose between numbers: cond ? a : b", "formula computes a %s, not a number", root.Type())
	}
	return &Expr{Source: src, Root: root, Inputs: c.inputs}, nil
}

// findComment returns the rune offset of the first "//" or "/*".
func findComment(src string) (int, string) {
	i := 0
	var prev rune
	for _, r := range src {
		if prev == '/' && (r == '/' || r == '*') {
			return i - 1, "/" + string(r)
		}
		prev = r
		i++
	}
	return -1, ""
}

type converter struct {
	src    string
	env    Env
	inputs []Input
}

func (c *converter) errAt(n ast.Node, kind error, hint, format string, args ...any) *Error {
	return newError(c.src, n.Location().From, kind, hint, format, args...)
}

func span(n ast.Node) Span {
	l := n.Location()
	return Span{From: l.From, To: l.To}
}

func (c *converter) conv(n ast.Node) (Node, error) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return &Num{Value: float64(n.Value), At: span(n)}, nil
	case *ast.FloatNode:
		if math.IsInf(n.Value, 0) || math.IsNaN(n.Value) {
			return nil, c.errAt(n, ErrSyntax, "", "number out of range")
		}
		return &Num{Value: n.Value, At: span(n)}, nil
	case *ast.IdentifierNode:
		return c.ref(n, n.Value, 0)
	case *ast.UnaryNode:
		x, err := c.conv(n.Node)
		if err != nil {
			return nil, err
		}
		switch n.Operator {
		case "-", "+":
			if err := c.want(n.Node, x, Number, n.Operator); err != nil {
				return nil, err
			}
			if n.Operator == "+" {
				return x, nil
			}
			if num, ok := x.(*Num); ok { // fold -literal
				return &Num{Value: -num.Value, At: span(n)}, nil
			}
			return &Unary{Op: OpNeg, X: x, At: span(n)}, nil
		case "!", "not":
			if err := c.want(n.Node, x, Bool, n.Operator); err != nil {
				return nil, err
			}
			return &Unary{Op: OpNot, X: x, At: span(n)}, nil
		}
		return nil, c.errAt(n, ErrNotAllowed, "", "operator %q is not allowed in formulas", n.Operator)
	case *ast.BinaryNode:
		return c.binary(n)
	case *ast.ConditionalNode:
		cond, err := c.conv(n.Cond)
		if err != nil {
			return nil, err
		}
		if err := c.want(n.Cond, cond, Bool, "?:"); err != nil {
			return nil, err
		}
		t, err := c.conv(n.Exp1)
		if err != nil {
			return nil, err
		}
		f, err := c.conv(n.Exp2)
		if err != nil {
			return nil, err
		}
		if err := c.want(n.Exp1, t, Number, "?:"); err != nil {
			return nil, err
		}
		if err := c.want(n.Exp2, f, Number, "?:"); err != nil {
			return nil, err
		}
		return &Cond{C: cond, T: t, F: f, At: span(n)}, nil
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return nil, c.errAt(n, ErrNotAllowed, "", "only named functions can be called")
		}
		return c.call(n, id.Value, n.Arguments)
	case *ast.BuiltinNode:
		return c.call(n, n.Name, n.Arguments)
	case *ast.BoolNode:
		return nil, c.errAt(n, ErrNotAllowed, "write a comparison instead", "boolean literal %v is not allowed in formulas", n.Value)
	case *ast.StringNode:
		return nil, c.errAt(n, ErrNotAllowed, "formulas compute numbers", "string literal %q is not allowed in formulas", n.Value)
	case *ast.MemberNode, *ast.ChainNode:
		return nil, c.errAt(n, ErrNotAllowed, "metric ids are plain names: use revenue_eu, not revenue.eu", "member access is not allowed in formulas")
	case *ast.NilNode:
		return nil, c.errAt(n, ErrNotAllowed, "", "nil is not allowed in formulas")
	}
	return nil, c.errAt(n, ErrNotAllowed, "formulas may use numbers, metric ids, + - * / ** ^, comparisons, && || !, ?: and math functions", "%s is not allowed in formulas", describe(n))
}

func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.ArrayNode:
		return "an array"
	case *ast.MapNode, *ast.PairNode:
		return "a map"
	case *ast.SliceNode:
		return "slicing"
	case *ast.PredicateNode, *ast.PointerNode:
		return "a closure"
	case *ast.VariableDeclaratorNode:
		return "let"
	case *ast.SequenceNode:
		return "a sequence of expressions"
	case *ast.BytesNode:
		return "a byte string"
	}
	return "this expression"
}

func (c *converter) want(an ast.Node, n Node, t Type, op string) error {
	if n.Type() == t {
		return nil
	}
	hint := ""
	if t == Bool {
		hint = "use a comparison such as x > 0"
	} else {
		hint = "use cond ? a : b to turn a condition into a number"
	}
	return c.errAt(an, ErrType, hint, "operand of %s must be a %s, not a %s", op, t, n.Type())
}

var binaryOps = map[string]Op{
	"+": OpAdd, "-": OpSub, "*": OpMul, "/": OpDiv, "**": OpPow, "^": OpPow,
	"<": OpLt, "<=": OpLe, ">": OpGt, ">=": OpGe, "==": OpEq, "!=": OpNe,
	"&&": OpAnd, "and": OpAnd, "||": OpOr, "or": OpOr,
}

func (c *converter) binary(n *ast.BinaryNode) (Node, error) {
	op, ok := binaryOps[n.Operator]
	if !ok {
		hint := ""
		switch n.Operator {
		case "%":
			hint = "write x - floor(x / y) * y"
		case "??":
			hint = "missing values are handled by the evaluation policy, not in formulas"
		case "..":
			hint = "ranges allocate without bound"
		}
		return nil, c.errAt(n, ErrNotAllowed, hint, "operator %q is not allowed in formulas", n.Operator)
	}
	l, err := c.conv(n.Left)
	if err != nil {
		return nil, err
	}
	r, err := c.conv(n.Right)
	if err != nil {
		return nil, err
	}
	want := Number
	if op == OpAnd || op == OpOr {
		want = Bool
	}
	if err := c.want(n.Left, l, want, n.Operator); err != nil {
		return nil, err
	}
	if err := c.want(n.Right, r, want, n.Operator); err != nil {
		return nil, err
	}
	return &Binary{Op: op, L: l, R: r, At: span(n)}, nil
}

func (c *converter) ref(n ast.Node, name string, lag int) (Node, error) {
	if c.env == nil {
		return nil, c.errAt(n, ErrUnknownName, "", "unknown name %q", name)
	}
	idx, ok := c.env.Lookup(name)
	if !ok {
		hint := ""
		if s := Suggest(name, c.env.Names()); s != "" {
			hint = "did you mean " + quote(s) + "?"
		}
		return nil, c.errAt(n, ErrUnknownName, hint, "unknown name %q", name)
	}
	r := &Ref{Name: name, Lag: lag, Index: idx, At: span(n)}
	found := false
	for _, in := range c.inputs {
		if in.Index == idx && in.Lag == lag {
			found = true
			break
		}
	}
	if !found {
		c.inputs = append(c.inputs, Input{Index: idx, Lag: lag, Name: name})
	}
	return r, nil
}

func quote(s string) string { return `"` + s + `"` }

func (c *converter) call(n ast.Node, name string, args []ast.Node) (Node, error) {
	if name == PrevName {
		return c.prev(n, args)
	}
	fn := builtinByName(name)
	if fn == nil && c.env != nil {
		fn = c.env.Func(name)
	}
	if fn == nil {
		hint := ""
		names := func(yield func(string) bool) {
			for _, f := range builtins {
				if !yield(f.Name) {
					return
				}
			}
			if !yield(PrevName) {
				return
			}
			if c.env != nil {
				for s := range c.env.FuncNames() {
					if !yield(s) {
						return
					}
				}
			}
		}
		if s := Suggest(name, names); s != "" {
			hint = "did you mean " + quote(s) + "?"
		} else if _, isExpr := builtin.Index[name]; isExpr {
			hint = "only math functions are allowed: abs, ceil, clamp, exp, floor, log, log10, max, min, pow, round, sqrt, prev"
		}
		return nil, newError(c.src, n.Location().From, ErrUnknownFunction, hint, "unknown function %q", name)
	}
	if len(args) < fn.MinArgs || fn.MaxArgs >= 0 && len(args) > fn.MaxArgs {
		return nil, newError(c.src, n.Location().From, ErrArity, fn.Doc, "%s takes %s, got %d", name, arity(fn), len(args))
	}
	call := &Call{Fn: fn, At: span(n)}
	for _, a := range args {
		x, err := c.conv(a)
		if err != nil {
			return nil, err
		}
		if err := c.want(a, x, Number, name+"()"); err != nil {
			return nil, err
		}
		call.Args = append(call.Args, x)
	}
	return call, nil
}

func arity(f *Func) string {
	switch {
	case f.MaxArgs < 0:
		return fmt.Sprintf("%d or more arguments", f.MinArgs)
	case f.MinArgs == f.MaxArgs && f.MinArgs == 1:
		return "1 argument"
	case f.MinArgs == f.MaxArgs:
		return fmt.Sprintf("%d arguments", f.MinArgs)
	}
	return fmt.Sprintf("%d to %d arguments", f.MinArgs, f.MaxArgs)
}

func (c *converter) prev(n ast.Node, args []ast.Node) (Node, error) {
	const hint = "prev(x) is metric x one period earlier; prev(x, k) is x k periods earlier"
	if len(args) < 1 || len(args) > 2 {
		return nil, newError(c.src, n.Location().From, ErrArity, hint, "prev takes 1 or 2 arguments, got %d", len(args))
	}
	id, ok := args[0].(*ast.IdentifierNode)
	if !ok {
		return nil, newError(c.src, args[0].Location().From, ErrType, hint, "the first argument of prev must be a metric id")
	}
	lag := 1
	if len(args) == 2 {
		k, ok := args[1].(*ast.IntegerNode)
		if !ok || k.Value < 1 || k.Value > MaxLag {
			return nil, newError(c.src, args[1].Location().From, ErrType, hint, "the lag of prev must be a whole number from 1 to %d", MaxLag)
		}
		lag = k.Value
	}
	r, err := c.ref(id, id.Value, lag)
	if err != nil {
		return nil, err
	}
	r.(*Ref).At = span(n)
	return r, nil
}

// RuneLen returns the length of src in runes (a Span's unit).
func RuneLen(src string) int { return utf8.RuneCountInString(src) }
