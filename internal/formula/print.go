package formula

import (
	"math"
	"strconv"
	"strings"
)

// Print writes n as expr source, fully parenthesised, naming references
// with name (prev(x, k) for lagged ones when name is nil). Numbers are
// written as float literals so that expr computes in float64 throughout.
func Print(n Node, name func(*Ref) string) string {
	var b strings.Builder
	print1(&b, n, name)
	return b.String()
}

func print1(b *strings.Builder, n Node, name func(*Ref) string) {
	switch n := n.(type) {
	case *Num:
		b.WriteString(FloatLiteral(n.Value))
	case *Ref:
		switch {
		case name != nil:
			b.WriteString(name(n))
		case n.Lag == 0:
			b.WriteString(n.Name)
		case n.Lag == 1:
			b.WriteString("prev(" + n.Name + ")")
		default:
			b.WriteString("prev(" + n.Name + ", " + strconv.Itoa(n.Lag) + ")")
		}
	case *Unary:
		b.WriteString("(")
		b.WriteString(n.Op.String())
		print1(b, n.X, name)
		b.WriteString(")")
	case *Binary:
		b.WriteString("(")
		print1(b, n.L, name)
		b.WriteString(" " + n.Op.String() + " ")
		print1(b, n.R, name)
		b.WriteString(")")
	case *Cond:
		b.WriteString("(")
		print1(b, n.C, name)
		b.WriteString(" ? ")
		print1(b, n.T, name)
		b.WriteString(" : ")
		print1(b, n.F, name)
		b.WriteString(")")
	case *Call:
		b.WriteString(n.Fn.Name + "(")
		for i, a := range n.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			print1(b, a, name)
		}
		b.WriteString(")")
	}
}

// FloatLiteral formats v so that expr's lexer reads it back as the same
// float64 (with a '.' or exponent, never as an integer).
func FloatLiteral(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return "(0.0/0.0)"
	}
	neg := v < 0 || v == 0 && math.Signbit(v)
	s := strconv.FormatFloat(math.Abs(v), 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	if strings.Contains(s, "e") && !strings.Contains(s, ".") {
		i := strings.Index(s, "e")
		s = s[:i] + ".0" + s[i:]
	}
	if neg {
		return "(-" + s + ")"
	}
	return s
}
