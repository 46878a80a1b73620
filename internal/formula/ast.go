package formula

import "math"

// Type is the static type of an expression: formulas compute numbers, and
// comparisons and logic produce booleans for conditions.
type Type uint8

// The two types of the language.
const (
	Number Type = iota + 1
	Bool
)

func (t Type) String() string {
	switch t {
	case Number:
		return "number"
	case Bool:
		return "boolean"
	}
	return "invalid"
}

// Span is a range of rune offsets [From, To] in the formula source,
// as expr's parser reports them.
type Span struct{ From, To int }

// Op is an operator.
type Op uint8

// Operators. Comparisons and logic produce Bool; the rest Number.
const (
	OpNeg Op = iota + 1
	OpNot
	OpAdd
	OpSub
	OpMul
	OpDiv
	OpPow
	OpLt
	OpLe
	OpGt
	OpGe
	OpEq
	OpNe
	OpAnd
	OpOr
)

var opText = [...]string{
	OpNeg: "-", OpNot: "!", OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpPow: "**",
	OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=", OpEq: "==", OpNe: "!=", OpAnd: "&&", OpOr: "||",
}

func (o Op) String() string { return opText[o] }

// Node is a typed node of a formula. The concrete types are *Num, *Ref,
// *Unary, *Binary, *Cond and *Call.
type Node interface {
	// Pos is where the node's token stands in the source.
	Pos() Span
	// Type is the node's static type.
	Type() Type
}

// Num is a numeric literal.
type Num struct {
	Value float64
	At    Span
}

// Ref is a reference to a metric's value, Lag periods earlier (0 for the
// current period; prev(x, k) is a Ref with Lag k).
type Ref struct {
	Name  string
	Lag   int
	Index int // the referenced metric's index, set by Resolve; -1 before
	At    Span
}

// Unary is -x or !x.
type Unary struct {
	Op Op
	X  Node
	At Span
}

// Binary is l op r.
type Binary struct {
	Op   Op
	L, R Node
	At   Span
}

// Cond is c ? t : f.
type Cond struct {
	C, T, F Node
	At      Span
}

// Call is a call of a built-in or registered function.
type Call struct {
	Fn   *Func
	Args []Node
	At   Span
}

func (n *Num) Pos() Span    { return n.At }
func (n *Ref) Pos() Span    { return n.At }
func (n *Unary) Pos() Span  { return n.At }
func (n *Binary) Pos() Span { return n.At }
func (n *Cond) Pos() Span   { return n.At }
func (n *Call) Pos() Span   { return n.At }

func (n *Num) Type() Type  { return Number }
func (n *Ref) Type() Type  { return Number }
func (n *Cond) Type() Type { return n.T.Type() }
func (n *Call) Type() Type { return Number }
func (n *Unary) Type() Type {
	if n.Op == OpNot {
		return Bool
	}
	return Number
}
func (n *Binary) Type() Type {
	if n.Op >= OpLt {
		return Bool
	}
	return Number
}

// Walk calls fn for n and every node below it, depth first, parents
// before children, until fn returns false.
func Walk(n Node, fn func(Node) bool) bool {
	if !fn(n) {
		return false
	}
	switch n := n.(type) {
	case *Unary:
		return Walk(n.X, fn)
	case *Binary:
		return Walk(n.L, fn) && Walk(n.R, fn)
	case *Cond:
		return Walk(n.C, fn) && Walk(n.T, fn) && Walk(n.F, fn)
	case *Call:
		for _, a := range n.Args {
			if !Walk(a, fn) {
				return false
			}
		}
	}
	return true
}

// Apply computes a binary operator on numbers; booleans are 1 and 0.
func Apply(op Op, a, b float64) float64 {
	switch op {
	case OpAdd:
		return a + b
	case OpSub:
		return a - b
	case OpMul:
		return a * b
	case OpDiv:
		return a / b
	case OpPow:
		return math.Pow(a, b)
	case OpLt:
		return b2f(a < b)
	case OpLe:
		return b2f(a <= b)
	case OpGt:
		return b2f(a > b)
	case OpGe:
		return b2f(a >= b)
	case OpEq:
		return b2f(a == b)
	case OpNe:
		return b2f(a != b)
	case OpAnd:
		return b2f(a != 0 && b != 0)
	case OpOr:
		return b2f(a != 0 || b != 0)
	}
	return math.NaN()
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
