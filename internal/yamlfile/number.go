package yamlfile

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// YAML 1.2 core schema numbers. yaml.v3 resolves plain scalars by YAML
// 1.1 rules as well (010 is octal 8, 1_000 is 1000, 0b11 is 3); the
// formats read numbers by these rules only, so that a number means what
// it says in YAML and JSON alike.
var (
	yaml12Dec   = regexp.MustCompile(`^[-+]?[0-9]+$`)
	yaml12Oct   = regexp.MustCompile(`^0o[0-7]+$`)
	yaml12Hex   = regexp.MustCompile(`^0x[0-9a-fA-F]+$`)
	yaml12Float = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	yaml12Inf   = regexp.MustCompile(`^[-+]?\.(inf|Inf|INF)$`)
	yaml12NaN   = regexp.MustCompile(`^\.(nan|NaN|NAN)$`)
)

// errNotNumber and errNonFinite classify ParseNumber's failures.
var (
	errNotNumber = errors.New("not a number")
	errNonFinite = errors.New("not a finite number")
	errRange     = errors.New("out of range")
)

// ParseNumber reads s, the text of a number, by YAML 1.2's core schema
// (which JSON's numbers are a subset of): decimal integers and fractions
// with an optional exponent (010 is ten, -0 is negative zero), 0o17
// (octal) and 0x1F (hexadecimal). It fails for NaN and infinities, for
// numbers beyond float64, and for every other form.
func ParseNumber(s string) (float64, error) {
	switch {
	case yaml12Dec.MatchString(s), yaml12Float.MatchString(s):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, errRange
		}
		return f, nil
	case yaml12Oct.MatchString(s), yaml12Hex.MatchString(s):
		base := 8
		if s[1] == 'x' {
			base = 16
		}
		u, err := strconv.ParseUint(s[2:], base, 64)
		if err != nil {
			return 0, errRange
		}
		return float64(u), nil
	case yaml12Inf.MatchString(s), yaml12NaN.MatchString(s):
		return 0, errNonFinite
	}
	return 0, errNotNumber
}

// isNumberNode reports whether n is a scalar the parser resolved as a
// number (yaml.v3's !!int or !!float, or a JSON number).
func isNumberNode(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float")
}

// decimal is the exact value of a decimal number's text:
// ±0.digits × 10^exp, digits without leading or trailing zeros ("" for
// zero).
type decimal struct {
	neg    bool
	digits string
	exp    int
}

// parseDecimal reads a decimal number ([-+]digits[.digits][e[-+]digits]);
// ok is false for other forms. Exponents saturate at ±1e9, which keeps
// comparisons exact for any text a file can hold.
func parseDecimal(s string) (x decimal, ok bool) {
	if !yaml12Dec.MatchString(s) && !yaml12Float.MatchString(s) {
		return x, false
	}
	if s[0] == '-' || s[0] == '+' {
		x.neg = s[0] == '-'
		s = s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e := s[i+1:]
		neg := false
		if e[0] == '-' || e[0] == '+' {
			neg = e[0] == '-'
			e = e[1:]
		}
		for _, c := range e {
			if exp < 1e9 {
				exp = exp*10 + int(c-'0')
			}
		}
		if neg {
			exp = -exp
		}
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	exp += len(intPart)
	trimmed := strings.TrimLeft(digits, "0")
	exp -= len(digits) - len(trimmed)
	x.digits = strings.TrimRight(trimmed, "0")
	if x.digits == "" {
		x.exp, x.neg = 0, false
		return x, true
	}
	x.exp = exp
	return x, true
}

// isInt reports whether x is an integer.
func (x decimal) isInt() bool { return x.digits == "" || len(x.digits) <= x.exp }

// cmpInt compares x with b exactly: -1, 0 or +1.
func (x decimal) cmpInt(b int64) int {
	y, _ := parseDecimal(strconv.FormatInt(b, 10))
	return x.cmp(y)
}

func (x decimal) cmp(y decimal) int {
	sign := func(d decimal) int {
		switch {
		case d.digits == "":
			return 0
		case d.neg:
			return -1
		}
		return 1
	}
	sx, sy := sign(x), sign(y)
	if sx != sy || sx == 0 {
		return cmpInt(sx, sy)
	}
	c := 0 // compare magnitudes
	switch {
	case x.exp != y.exp:
		c = cmpInt(x.exp, y.exp)
	default:
		c = strings.Compare(x.digits, y.digits) // no trailing zeros: lexicographic is numeric
	}
	return c * sx
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Compare compares the number written at n (a number node read by
// Number) with b exactly, as JSON Schema's minimum and maximum do:
// 1.0000000000000001 is above 1 although it reads as the float64 1. It
// returns -1, 0 or +1 (0 also for text that is not a decimal number).
func Compare(n *yaml.Node, b int64) int {
	x, ok := parseDecimal(n.Value)
	if !ok {
		f, err := ParseNumber(n.Value)
		if err != nil {
			return 0
		}
		return cmpFloat(f, float64(b))
	}
	return x.cmpInt(b)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// exactInt reports whether the text of number node n is an integer
// exactly (2.0 is; 2.0000000000000001 is not, although it reads as 2).
func exactInt(n *yaml.Node, f float64) bool {
	if x, ok := parseDecimal(n.Value); ok {
		return x.isInt()
	}
	return f == math.Trunc(f)
}
