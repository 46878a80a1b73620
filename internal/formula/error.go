package formula

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sentinel errors, matched with errors.Is on an *Error.
var (
	ErrSyntax          = errors.New("syntax error")
	ErrUnknownName     = errors.New("unknown name")
	ErrUnknownFunction = errors.New("unknown function")
	ErrNotAllowed      = errors.New("not allowed in formulas")
	ErrType            = errors.New("type error")
	ErrArity           = errors.New("wrong number of arguments")
	ErrTooLarge        = errors.New("formula too large")
)

// Error is a problem in one formula, positioned in its source.
type Error struct {
	Metric string // the metric whose formula it is ("" if unknown)
	Source string // the formula's source
	Offset int    // rune offset of the offending token
	Line   int    // 1-based
	Column int    // 1-based, in runes
	Msg    string
	Hint   string // e.g. `did you mean "visitors"?`
	Kind   error  // one of the sentinels above
}

// Unwrap returns the sentinel kind, for errors.Is.
func (e *Error) Unwrap() error { return e.Kind }

// Error formats the message with the position and a caret snippet:
//
//	formula of "revenue" (1:12): unknown name "visiters" (did you mean "visitors"?)
//	 | visitors * visiters * aov
//	 | ...........^
func (e *Error) Error() string {
	var b strings.Builder
	if e.Metric != "" {
		fmt.Fprintf(&b, "formula of %q ", e.Metric)
	} else {
		b.WriteString("formula ")
	}
	fmt.Fprintf(&b, "(%d:%d): %s", e.Line, e.Column, e.Msg)
	if e.Hint != "" {
		fmt.Fprintf(&b, " (%s)", e.Hint)
	}
	b.WriteString(e.Snippet())
	return b.String()
}

// Snippet returns the offending source line with a caret under the token,
// each line prefixed by "\n | ". Long lines are cut around the caret.
func (e *Error) Snippet() string {
	lines := strings.Split(e.Source, "\n")
	if e.Line < 1 || e.Line > len(lines) {
		return ""
	}
	line := strings.ReplaceAll(lines[e.Line-1], "\t", " ")
	col := e.Column - 1
	const width = 80
	if n := utf8.RuneCountInString(line); n > width {
		r := []rune(line)
		start := max(0, col-width/2)
		end := min(n, start+width)
		line = string(r[start:end])
		col -= start
		if start > 0 {
			line = "…" + line
			col++
		}
		if end < n {
			line += "…"
		}
	}
	if col < 0 {
		col = 0
	}
	return "\n | " + line + "\n | " + strings.Repeat(".", col) + "^"
}

// newError positions an error at rune offset off of src.
func newError(src string, off int, kind error, hint string, format string, args ...any) *Error {
	e := &Error{Source: src, Offset: off, Kind: kind, Hint: hint, Msg: fmt.Sprintf(format, args...)}
	e.Line, e.Column = LineCol(src, off)
	return e
}

// LineCol converts a rune offset of src into a 1-based line and column.
func LineCol(src string, off int) (line, col int) {
	line, col = 1, 1
	i := 0
	for _, r := range src {
		if i == off {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		i++
	}
	return line, col
}

// Suggest returns the candidate closest to name by edit distance, if it
// is close enough to be a plausible typo ("" otherwise). Ties go to the
// candidate that comes first in sorted order.
//
// A plausible typo is at most max(2, n/3) edits away for a name of n
// characters, and never more than MaxTypo edits, so that one suggestion
// costs O(n × MaxTypo) per candidate: candidates whose length differs by
// more than that are skipped without comparing them.
func Suggest(name string, candidates func(yield func(string) bool)) string {
	best, bestD := "", -1
	lname := []rune(strings.ToLower(name))
	limit := min(MaxTypo, max(2, len(lname)/3))
	var scratch [3][]int
	for c := range candidates {
		if n := utf8.RuneCountInString(c); n > len(lname)+limit || n < len(lname)-limit {
			continue
		}
		lim := limit
		if bestD >= 0 {
			lim = bestD // only as close or closer can win
		}
		d := distanceAtMost(lname, []rune(strings.ToLower(c)), lim, &scratch)
		if d > lim {
			continue
		}
		if bestD < 0 || d < bestD || d == bestD && c < best {
			best, bestD = c, d
		}
	}
	return best
}

// MaxTypo is the largest edit distance Suggest accepts.
const MaxTypo = 8

// Distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours each cost
// one. Every "did you mean" in kpitree ranks candidates by it.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	var scratch [3][]int
	return distanceAtMost(ra, rb, max(len(ra), len(rb)), &scratch)
}

// distanceAtMost computes Distance(a, b) if it is at most k, and returns
// a number above k otherwise, in O(len(a) × k) time: only the cells
// within k of the diagonal are computed.
func distanceAtMost(ra, rb []rune, k int, scratch *[3][]int) int {
	if d := len(ra) - len(rb); d > k || -d > k {
		return k + 1
	}
	inf := k + 1
	w := len(rb) + 1
	for i := range scratch {
		if cap(scratch[i]) < w {
			scratch[i] = make([]int, w)
		}
		scratch[i] = scratch[i][:w]
	}
	pp, prev, cur := scratch[0], scratch[1], scratch[2]
	for j := range prev {
		prev[j] = min(j, inf)
		pp[j] = inf
	}
	for i := 1; i <= len(ra); i++ {
		lo, hi := max(1, i-k), min(len(rb), i+k)
		// cells outside the band read as inf: the ones this row's
		// neighbours read are reset; the rest are never read
		cur[0] = min(i, inf)
		if lo-1 >= 1 {
			cur[lo-1] = inf
		}
		if hi+1 < w {
			cur[hi+1] = inf
		}
		rowMin := cur[0]
		for j := lo; j <= hi; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, pp[j-2]+1)
			}
			v = min(v, inf)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > k {
			return inf
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(rb)]
}
