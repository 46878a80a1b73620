package formula

import (
	"fmt"
	"math"
)

// Eval computes n by walking the tree; ref returns the value of a
// reference. It is the reference semantics every engine must reproduce
// bit for bit, and serves diagnostics; it is not the fast path.
func Eval(n Node, ref func(*Ref) float64) float64 {
	switch n := n.(type) {
	case *Num:
		return n.Value
	case *Ref:
		return ref(n)
	case *Unary:
		x := Eval(n.X, ref)
		if n.Op == OpNot {
			return b2f(x == 0)
		}
		return -x
	case *Binary:
		return Apply(n.Op, Eval(n.L, ref), Eval(n.R, ref))
	case *Cond:
		c := Eval(n.C, ref)
		t, f := Eval(n.T, ref), Eval(n.F, ref)
		if c != 0 {
			return t
		}
		return f
	case *Call:
		var buf [8]float64
		args := buf[:0]
		for _, a := range n.Args {
			args = append(args, Eval(a, ref))
		}
		return n.Fn.Call(args)
	}
	return math.NaN()
}

// Issue is a numeric problem found in one evaluation: a division by zero,
// the square root or logarithm of a negative number, an operation that
// turned finite inputs into NaN or an infinity.
type Issue struct {
	At  Span
	Msg string
}

// Diagnose evaluates n like Eval and reports every sub-expression whose
// finite operands gave a non-finite result, innermost first, with the
// operand values.
func Diagnose(n Node, src string, ref func(*Ref) float64) []Issue {
	var out []Issue
	diag(n, src, ref, &out)
	return out
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func diag(n Node, src string, ref func(*Ref) float64, out *[]Issue) float64 {
	switch n := n.(type) {
	case *Num:
		return n.Value
	case *Ref:
		return ref(n)
	case *Unary:
		x := diag(n.X, src, ref, out)
		if n.Op == OpNot {
			return b2f(x == 0)
		}
		return -x
	case *Binary:
		l := diag(n.L, src, ref, out)
		r := diag(n.R, src, ref, out)
		v := Apply(n.Op, l, r)
		if finite(l) && finite(r) && !finite(v) {
			msg := fmt.Sprintf("%s gives %v for %v %s %v", n.Op, v, l, n.Op, r)
			if n.Op == OpDiv && r == 0 {
				msg = fmt.Sprintf("division by zero: %v / 0", l)
			}
			*out = append(*out, Issue{At: n.At, Msg: msg})
		}
		return v
	case *Cond:
		c := diag(n.C, src, ref, out)
		var sub []Issue
		t := diag(n.T, src, ref, &sub)
		tIssues := len(sub)
		f := diag(n.F, src, ref, &sub)
		// Only the branch taken matters.
		if c != 0 {
			*out = append(*out, sub[:tIssues]...)
			return t
		}
		*out = append(*out, sub[tIssues:]...)
		return f
	case *Call:
		var buf [8]float64
		args := buf[:0]
		ok := true
		for _, a := range n.Args {
			v := diag(a, src, ref, out)
			ok = ok && finite(v)
			args = append(args, v)
		}
		v := n.Fn.Call(args)
		if ok && !finite(v) {
			*out = append(*out, Issue{At: n.At, Msg: fmt.Sprintf("%s%v gives %v", n.Fn.Name, fmtArgs(args), v)})
		}
		return v
	}
	return math.NaN()
}

func fmtArgs(a []float64) string {
	s := "("
	for i, v := range a {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(v)
	}
	return s + ")"
}
