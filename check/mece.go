package check

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// maxGrid bounds the points of the structural gap search.
const maxGrid = 1 << 20

// Coord is one dimension's value in a Point: a string for a categorical
// dimension, a float64 for a numeric one.
type Coord struct {
	Dimension string `json:"dimension"`
	Value     any    `json:"value"`
}

// Point is a combination of dimension values, in the order of the model's
// dimensions.
type Point []Coord

func (p Point) String() string {
	parts := make([]string, len(p))
	for k, c := range p {
		parts[k] = fmt.Sprintf("%s=%v", c.Dimension, c.Value)
	}
	return strings.Join(parts, ", ")
}

// Overlap is a pair of segments whose predicates share some points.
type Overlap struct {
	A, B string // segment metric ids, A declared first
	// Example is the first shared point (categorical values in domain
	// order, the lowest shared number); Shared describes the shared region
	// per dimension ("channel in [paid]", "order_value in [40, 50)").
	Example Point
	Shared  []string
}

// Residual is the numeric MECE check of one period.
type Residual struct {
	Period metric.Period
	Parent float64
	// Sum is the children's sum, added in declaration order.
	Sum float64
	// Residual is Parent − Sum: positive is a gap (something missing),
	// negative is double counting.
	//
	// Relative is Residual/|Parent|: its sign is always the residual's
	// (positive a gap, negative a double count), whatever the parent's
	// sign. It is always finite: with a zero parent the whole of the
	// children's sum is unexplained, and Relative is +1 (the children sum
	// to less than zero) or −1 (to more), 0 when the sum is zero too.
	Residual, Relative float64
	// Pass reports whether Parent and Sum are equal within the tolerance.
	Pass bool
}

// MECEReport is the MECE check of one decomposition.
type MECEReport struct {
	Parent   string
	Segments []string
	// Overlaps lists every overlapping pair of segments, in declaration
	// order of the first then the second.
	Overlaps []Overlap
	// GridPoints is the number of points searched for gaps (see the
	// package docs); Uncovered how many no segment covers, with the first
	// few as examples. Uncovered is −1 when the grid was too large to search.
	GridPoints        int
	Uncovered         int
	UncoveredExamples []Point
	// MutuallyExclusive and CollectivelyExhaustive summarise the
	// structural check.
	MutuallyExclusive, CollectivelyExhaustive bool
	// Residuals holds the numeric check of every period in which the
	// parent and every segment have values (none without data).
	Residuals []Residual
	// Skipped counts the periods left out for missing values.
	Skipped int
	// MaxAbsResidual and MaxAbsRelative are the largest |Residual| and
	// |Relative| over the periods.
	MaxAbsResidual, MaxAbsRelative float64
	// Diagnosis is "ok", "gap", "double-count" or "mixed" over the
	// failing periods, and "" without data.
	Diagnosis string
}

// MECE checks every decomposition: structurally, whether the segments'
// predicates over the model's dimensions overlap or leave part of the
// domain uncovered; numerically (when data is not nil), whether the
// segments add up to the parent in each period within
// Options.MECETolerance. It returns one report per decomposition, in
// declaration order, and the mece.overlap, mece.gap, mece.numeric-gap and
// mece.double-count findings.
func MECE(c *tree.Compiled, data *rollup.Result, opt Options) ([]MECEReport, Findings, error) {
	o, err := opt.resolve()
	if err != nil {
		return nil, nil, err
	}
	if data != nil && data.Compiled() != c {
		return nil, nil, ErrModelMismatch
	}
	reps, fs := mece(c, data, o)
	Sort(fs)
	return reps, fs, nil
}

func mece(c *tree.Compiled, data *rollup.Result, o resolved) ([]MECEReport, Findings) {
	m := c.Model()
	var out Findings
	emit := func(f Finding) {
		if o.Rules.Enabled(f.Rule) {
			out = append(out, f)
		}
	}
	reports := make([]MECEReport, len(m.Decompositions))
	for k, d := range m.Decompositions {
		rep := &reports[k]
		rep.Parent = d.Parent
		for _, s := range d.Segments {
			rep.Segments = append(rep.Segments, s.Metric)
		}
		structural(m, d, rep, o)
		nodes := append([]string{d.Parent}, rep.Segments...)
		for _, ov := range rep.Overlaps {
			emit(Finding{Rule: "mece.overlap", Severity: Error, Nodes: []string{d.Parent, ov.A, ov.B},
				Message:  fmt.Sprintf("Segments %s and %s of %s overlap: both count %s.", ov.A, ov.B, d.Parent, strings.Join(ov.Shared, " and ")),
				Hint:     "narrow one segment's conditions so that no value belongs to both",
				Evidence: []Evidence{E("example", ov.Example), E("shared", ov.Shared)}})
		}
		if rep.Uncovered > 0 {
			emit(Finding{Rule: "mece.gap", Severity: Warning, Nodes: nodes,
				Message:  fmt.Sprintf("The segments of %s leave part of its domain uncovered, for example %s.", d.Parent, rep.UncoveredExamples[0]),
				Hint:     "add a segment (an \"other\" bucket if need be) or widen the conditions",
				Evidence: []Evidence{E("uncovered_points", rep.Uncovered), E("grid_points", rep.GridPoints), E("examples", rep.UncoveredExamples)}})
		}
		if data != nil {
			numeric(c, data, rep, o)
			residualFindings(rep, nodes, o, emit)
		}
	}
	return reports, out
}

// dimension is a resolved domain.
type dimension struct {
	name    string
	values  []string // categorical
	numeric bool
	lo, hi  float64 // numeric [lo, hi), hi may be +Inf
}

// constraint is one segment's restriction on one dimension.
type constraint struct {
	in     []bool // categorical: allowed value indices
	lo, hi float64
}

func domains(m *tree.Model) []dimension {
	var dims []dimension
	for _, d := range m.Dimensions {
		dd := dimension{name: d.Name, values: d.Values, numeric: d.Numeric, lo: d.Lo, hi: math.Inf(1)}
		if d.HasHi {
			dd.hi = d.Hi
		}
		dims = append(dims, dd)
	}
	// Dimensions used by segments but not declared: the domain is what
	// the segments mention.
	for _, dec := range m.Decompositions {
		for _, s := range dec.Segments {
			for _, w := range s.Where {
				i := slices.IndexFunc(dims, func(d dimension) bool { return d.name == w.Dimension })
				if i < 0 {
					dims = append(dims, dimension{name: w.Dimension, numeric: w.Numeric, lo: math.Inf(1), hi: math.Inf(-1)})
					i = len(dims) - 1
				} else if slices.ContainsFunc(m.Dimensions, func(d tree.Dimension) bool { return d.Name == w.Dimension }) {
					continue
				}
				d := &dims[i]
				for _, v := range w.In {
					if !slices.Contains(d.values, v) {
						d.values = append(d.values, v)
					}
				}
				if w.Numeric {
					d.lo = min(d.lo, w.Lo)
					if w.HasHi {
						d.hi = max(d.hi, w.Hi)
					} else {
						d.hi = math.Inf(1)
					}
				}
			}
		}
	}
	return dims
}

func constraints(dims []dimension, s tree.Segment) []constraint {
	cs := make([]constraint, len(dims))
	for k, d := range dims {
		cs[k] = constraint{lo: d.lo, hi: d.hi}
		if !d.numeric {
			cs[k].in = make([]bool, len(d.values))
			for i := range cs[k].in {
				cs[k].in[i] = true
			}
		}
	}
	for _, w := range s.Where {
		k := slices.IndexFunc(dims, func(d dimension) bool { return d.name == w.Dimension })
		d := dims[k]
		if d.numeric {
			if w.Numeric {
				cs[k].lo = max(cs[k].lo, w.Lo)
				if w.HasHi {
					cs[k].hi = min(cs[k].hi, w.Hi)
				}
			}
			continue
		}
		if w.Numeric {
			continue
		}
		for i, v := range d.values {
			cs[k].in[i] = cs[k].in[i] && slices.Contains(w.In, v)
		}
	}
	return cs
}

func structural(m *tree.Model, dec tree.Decomposition, rep *MECEReport, o resolved) {
	dims := domains(m)
	cons := make([][]constraint, len(dec.Segments))
	for k, s := range dec.Segments {
		cons[k] = constraints(dims, s)
	}
	for a := range cons {
	pairs:
		for b := a + 1; b < len(cons); b++ {
			var ex Point
			var shared []string
			for k, d := range dims {
				ca, cb := cons[a][k], cons[b][k]
				if d.numeric {
					lo, hi := max(ca.lo, cb.lo), min(ca.hi, cb.hi)
					if !(lo < hi) {
						continue pairs
					}
					ex = append(ex, Coord{d.name, lo})
					if lo != d.lo || hi != d.hi {
						shared = append(shared, fmt.Sprintf("%s in [%s, %s)", d.name, fmtNum(lo), fmtNum(hi)))
					}
					continue
				}
				var vals []string
				for i, v := range d.values {
					if ca.in[i] && cb.in[i] {
						vals = append(vals, v)
					}
				}
				if len(vals) == 0 {
					continue pairs
				}
				ex = append(ex, Coord{d.name, vals[0]})
				if len(vals) < len(d.values) {
					shared = append(shared, fmt.Sprintf("%s in [%s]", d.name, strings.Join(vals, ", ")))
				}
			}
			if len(shared) == 0 {
				shared = []string{"everything"}
			}
			rep.Overlaps = append(rep.Overlaps, Overlap{A: dec.Segments[a].Metric, B: dec.Segments[b].Metric, Example: ex, Shared: shared})
		}
	}
	rep.MutuallyExclusive = len(rep.Overlaps) == 0
	// Gaps: search a grid with every categorical value and, for numeric
	// dimensions, the start and midpoint of each elementary interval
	// between the segments' bounds.
	axes := make([][]float64, len(dims)) // numeric axes
	size := 1
	for k, d := range dims {
		if d.numeric {
			bp := []float64{d.lo}
			for _, cs := range cons {
				for _, v := range []float64{cs[k].lo, cs[k].hi} {
					if v > d.lo && v < d.hi && !math.IsInf(v, 0) {
						bp = append(bp, v)
					}
				}
			}
			slices.Sort(bp)
			bp = slices.Compact(bp)
			for i, b := range bp {
				next := d.hi
				if i+1 < len(bp) {
					next = bp[i+1]
				}
				mid := (b + next) / 2
				if math.IsInf(next, 1) {
					mid = b + 1
				}
				axes[k] = append(axes[k], b, mid)
			}
			size *= len(axes[k])
		} else {
			size *= len(d.values)
		}
		if size > maxGrid {
			rep.GridPoints, rep.Uncovered = size, -1
			rep.CollectivelyExhaustive = true
			return
		}
	}
	rep.GridPoints = size
	if len(dims) == 0 || size == 0 {
		rep.CollectivelyExhaustive = len(dec.Segments) > 0 || size == 0
		return
	}
	idx := make([]int, len(dims))
	axisLen := func(k int) int {
		if dims[k].numeric {
			return len(axes[k])
		}
		return len(dims[k].values)
	}
	for {
		covered := false
		for _, cs := range cons {
			in := true
			for k, d := range dims {
				if d.numeric {
					v := axes[k][idx[k]]
					in = in && v >= cs[k].lo && v < cs[k].hi
				} else {
					in = in && cs[k].in[idx[k]]
				}
			}
			if in {
				covered = true
				break
			}
		}
		if !covered {
			rep.Uncovered++
			if len(rep.UncoveredExamples) < o.MaxExamples {
				p := make(Point, len(dims))
				for k, d := range dims {
					if d.numeric {
						p[k] = Coord{d.name, axes[k][idx[k]]}
					} else {
						p[k] = Coord{d.name, d.values[idx[k]]}
					}
				}
				rep.UncoveredExamples = append(rep.UncoveredExamples, p)
			}
		}
		k := len(dims) - 1
		for ; k >= 0; k-- {
			idx[k]++
			if idx[k] < axisLen(k) {
				break
			}
			idx[k] = 0
		}
		if k < 0 {
			break
		}
	}
	rep.CollectivelyExhaustive = rep.Uncovered == 0
}

func fmtNum(v float64) string {
	if math.IsInf(v, 1) {
		return "inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func numeric(c *tree.Compiled, data *rollup.Result, rep *MECEReport, o resolved) {
	gap, dbl := false, false
	for _, p := range data.Periods() {
		pv, ok := data.Value(rep.Parent, p)
		if !ok {
			rep.Skipped++
			continue
		}
		sum := 0.0
		for _, s := range rep.Segments {
			v, ok2 := data.Value(s, p)
			ok = ok && ok2
			sum += v
		}
		if !ok {
			rep.Skipped++
			continue
		}
		r := Residual{Period: p, Parent: pv, Sum: sum, Residual: pv - sum}
		r.Relative = relativeResidual(r.Residual, pv)
		r.Pass = o.MECETolerance.Close(pv, sum)
		rep.MaxAbsResidual = max(rep.MaxAbsResidual, math.Abs(r.Residual))
		rep.MaxAbsRelative = max(rep.MaxAbsRelative, math.Abs(r.Relative))
		if !r.Pass {
			gap = gap || r.Residual > 0
			dbl = dbl || r.Residual < 0
		}
		rep.Residuals = append(rep.Residuals, r)
	}
	switch {
	case len(rep.Residuals) == 0:
	case gap && dbl:
		rep.Diagnosis = "mixed"
	case gap:
		rep.Diagnosis = "gap"
	case dbl:
		rep.Diagnosis = "double-count"
	default:
		rep.Diagnosis = "ok"
	}
}

// relativeResidual is residual/|parent|, with the sign of the residual,
// and ±1 (0 for no residual) when the parent is zero.
func relativeResidual(residual, parent float64) float64 {
	switch {
	case residual == 0:
		return 0
	case parent == 0:
		return math.Copysign(1, residual)
	}
	return residual / math.Abs(parent)
}

func residualFindings(rep *MECEReport, nodes []string, o resolved, emit func(Finding)) {
	for _, kind := range []int{1, -1} {
		var bad []Residual
		worst := -1
		for _, r := range rep.Residuals {
			if r.Pass || sign(r.Residual) != kind {
				continue
			}
			if worst < 0 || math.Abs(r.Residual) > math.Abs(bad[worst].Residual) {
				worst = len(bad)
			}
			bad = append(bad, r)
		}
		if len(bad) == 0 {
			continue
		}
		w := bad[worst]
		ev := []Evidence{E("periods_failing", len(bad)), E("periods_checked", len(rep.Residuals)),
			E("first_period", bad[0].Period.String()), E("worst_period", w.Period.String()),
			E("parent", w.Parent), E("sum_children", w.Sum), E("residual", w.Residual), E("relative_residual", num(w.Relative)),
			E("rel_tol", o.MECETolerance.Rel), E("abs_tol", o.MECETolerance.Abs)}
		if kind > 0 {
			emit(Finding{Rule: "mece.numeric-gap", Severity: Warning, Nodes: nodes,
				Message: fmt.Sprintf("The segments of %s add up to less than it in %d of %d periods (worst %s: %s short, %.2f%%): something is not covered.",
					rep.Parent, len(bad), len(rep.Residuals), w.Period, human(w.Residual), 100*math.Abs(w.Relative)),
				Hint: "add the missing segment or check the parent's definition", Evidence: ev})
		} else {
			emit(Finding{Rule: "mece.double-count", Severity: Error, Nodes: nodes,
				Message: fmt.Sprintf("The segments of %s add up to more than it in %d of %d periods (worst %s: %s over, %.2f%%): something is counted twice.",
					rep.Parent, len(bad), len(rep.Residuals), w.Period, human(-w.Residual), 100*math.Abs(w.Relative)),
				Hint: "find the values two segments both count and assign them to one", Evidence: ev})
		}
	}
}

// human formats a number for a message: thousands separated, with up
// to four significant decimals below 1000.
func human(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmtNum(v)
	}
	a := math.Abs(v)
	if a < 1000 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	s := strconv.FormatFloat(math.Round(a), 'f', 0, 64)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
