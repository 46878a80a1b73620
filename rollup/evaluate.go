package rollup

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kpitree/kpitree/internal/formula"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// Policy says what evaluation does with a missing input or a formula
// that cannot be computed (a division by zero, the logarithm of a
// negative number).
type Policy uint8

const (
	// Propagate (the zero value) marks the affected nodes missing: their
	// value is NaN and State reports why. Nothing is filled in.
	Propagate Policy = iota
	// Fail returns an error listing every problem (the Result is still
	// returned, as with Propagate).
	Fail
	// Zero treats a missing input, and a formula that cannot be computed,
	// as 0 — and still records each as an Issue, so nothing is silent.
	Zero
)

func (p Policy) String() string {
	switch p {
	case Propagate:
		return "propagate"
	case Fail:
		return "fail"
	case Zero:
		return "zero"
	}
	return fmt.Sprintf("Policy(%d)", p)
}

// Options configure an evaluation. The zero value propagates missing
// values.
type Options struct {
	Policy Policy
	// Partial, for time rollups, aggregates a coarse period from the fine
	// periods present (a quarter from two of its three months) instead
	// of treating it as missing; each such value is still an Issue.
	Partial bool
}

// State is the state of one value in a Result.
type State uint8

const (
	// OK: the value was observed or computed.
	OK State = iota
	// Missing: an input without observation, or a derived value that
	// depends on one. The value is NaN.
	Missing
	// Invalid: the formula could not be computed (division by zero...).
	// Under Propagate the value is what IEEE arithmetic gives (NaN or
	// ±Inf); under Zero it is 0.
	Invalid
	// Filled: a missing input or invalid result replaced by 0 (policy Zero),
	// or a value computed from one.
	Filled
	// Partial: aggregated from some but not all fine periods (Options.Partial),
	// or computed from such a value.
	Partial
)

func (s State) String() string {
	return [...]string{"ok", "missing", "invalid", "filled", "partial"}[s]
}

// IssueKind classifies an Issue.
type IssueKind uint8

const (
	// MissingInput: an input metric has no observation for a period.
	MissingInput IssueKind = iota + 1
	// NaNInput: the source gave NaN or an infinity for an input.
	NaNInput
	// MissingHistory: prev() reaches before the first evaluated period and
	// neither the source nor the metric's Initial value has the value.
	MissingHistory
	// InvalidResult: a formula could not be computed.
	InvalidResult
	// PartialPeriod: a coarse value aggregated from an incomplete set of
	// fine periods.
	PartialPeriod
	// UnusedData: an observation Evaluate did not use: of an id that is
	// no metric of the model, of a period of another grain, or a recorded
	// value of a derived metric within the evaluated periods that differs
	// from the value its formula gives (which is the one used). Reported
	// for sources that can list their observations (Lister, such as Data).
	UnusedData
)

func (k IssueKind) String() string {
	switch k {
	case MissingInput:
		return "missing input"
	case NaNInput:
		return "NaN input"
	case MissingHistory:
		return "missing history"
	case InvalidResult:
		return "invalid result"
	case PartialPeriod:
		return "partial period"
	case UnusedData:
		return "unused data"
	}
	return fmt.Sprintf("IssueKind(%d)", k)
}

// Issue is one problem met during evaluation, at one metric and period.
type Issue struct {
	Kind   IssueKind
	Metric string
	Period metric.Period
	Detail string
}

func (i Issue) String() string {
	s := fmt.Sprintf("%s %s: %s", i.Metric, i.Period, i.Kind)
	if i.Detail != "" {
		s += ": " + i.Detail
	}
	return s
}

// ErrEvaluation is matched (errors.Is) by the error Evaluate returns under
// the Fail policy.
var ErrEvaluation = errors.New("rollup: evaluation failed")

// EvalError lists the problems that made an evaluation fail.
type EvalError struct {
	Issues []Issue
}

func (e *EvalError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rollup: %d problem(s):", len(e.Issues))
	for i, is := range e.Issues {
		if i == 10 {
			fmt.Fprintf(&b, "\n  ... and %d more", len(e.Issues)-10)
			break
		}
		b.WriteString("\n  " + is.String())
	}
	return b.String()
}

// Is matches ErrEvaluation.
func (e *EvalError) Is(target error) bool { return target == ErrEvaluation }

// Result holds the values of every metric for every evaluated period.
// It is immutable once returned and safe for concurrent reads.
type Result struct {
	c       *tree.Compiled
	periods []metric.Period
	vals    []float64 // [period][node]
	state   []State
	issues  []Issue
	src     Source // for history before the first period (Window)
	// pins holds, per node, a scenario's overrides of derived metrics
	// (nil without any), which Window applies too.
	pins [][]Override
}

// Compiled returns the model the result belongs to.
func (r *Result) Compiled() *tree.Compiled { return r.c }

// Periods returns the evaluated periods, in order.
func (r *Result) Periods() []metric.Period { return slices.Clone(r.periods) }

// Issues returns the problems met, by period then declaration order, then
// the observations not used (UnusedData), by id.
func (r *Result) Issues() []Issue { return slices.Clone(r.issues) }

func (r *Result) at(id string, p metric.Period) (int, bool) {
	i, ok := r.c.Index(id)
	if !ok {
		return 0, false
	}
	t, ok := slices.BinarySearchFunc(r.periods, p, metric.Period.Compare)
	if !ok {
		return 0, false
	}
	return t*r.c.Len() + i, true
}

// Value returns metric id's value in period p and whether it is usable
// (state OK, Filled or Partial). An unknown id or period gives (NaN, false).
func (r *Result) Value(id string, p metric.Period) (float64, bool) {
	k, ok := r.at(id, p)
	if !ok {
		return math.NaN(), false
	}
	s := r.state[k]
	return r.vals[k], s == OK || s == Filled || s == Partial
}

// State returns the state of metric id's value in period p (Missing for
// an unknown id or period).
func (r *Result) State(id string, p metric.Period) State {
	k, ok := r.at(id, p)
	if !ok {
		return Missing
	}
	return r.state[k]
}

// Series returns metric id's usable values as a series (missing and
// invalid values are absent).
func (r *Result) Series(id string) *metric.Series {
	out := &metric.Series{}
	i, ok := r.c.Index(id)
	if !ok {
		return out
	}
	for t, p := range r.periods {
		k := t*r.c.Len() + i
		if s := r.state[k]; s == OK || s == Filled || s == Partial {
			_ = out.Set(p, r.vals[k])
		}
	}
	return out
}

// All yields (metric id, period, value, state) for every value, period by
// period in declaration order.
func (r *Result) All() iter.Seq2[Cell, float64] {
	return func(yield func(Cell, float64) bool) {
		n := r.c.Len()
		for t, p := range r.periods {
			for i := range n {
				k := t*n + i
				if !yield(Cell{Metric: r.c.ID(i), Period: p, State: r.state[k]}, r.vals[k]) {
					return
				}
			}
		}
	}
}

// Cell identifies one value of a Result.
type Cell struct {
	Metric string
	Period metric.Period
	State  State
}

// Why explains a value that is not OK: which inputs were missing (up to
// ten, following the formulas down) or what went wrong in the formula.
func (r *Result) Why(id string, p metric.Period) string {
	k, ok := r.at(id, p)
	if !ok {
		return fmt.Sprintf("no value for %q in %s", id, p)
	}
	i := k % r.c.Len()
	t := k / r.c.Len()
	switch r.state[k] {
	case OK:
		return ""
	case Invalid:
		for _, is := range r.issues {
			if is.Metric == id && is.Period == p && is.Kind == InvalidResult {
				return is.Detail
			}
		}
		return "the formula could not be computed"
	}
	// Follow missing/filled/partial states down to the issues at the roots.
	var roots []string
	seen := map[[2]int]bool{}
	var walk func(i, t int)
	walk = func(i, t int) {
		if len(roots) >= 10 || seen[[2]int{i, t}] {
			return
		}
		seen[[2]int{i, t}] = true
		for _, is := range r.issues {
			if is.Metric == r.c.ID(i) && (t >= 0 && is.Period == r.periods[t] || t < 0 && is.Kind == MissingHistory && is.Period == r.periods[0].Add(t)) {
				roots = append(roots, is.String())
				return
			}
		}
		if t < 0 {
			return
		}
		for _, d := range r.c.Deps(i) {
			tt := t - d.Lag
			if tt >= 0 && r.state[tt*r.c.Len()+d.Node] == OK {
				continue
			}
			walk(d.Node, tt)
		}
	}
	walk(i, t)
	return strings.Join(roots, "; ")
}

// Evaluate computes every metric of c for each period from..to (both
// inclusive, of the model's grain), reading inputs from src.
//
// prev(x, k) reaches k periods back. Before from, it reads x's recorded
// value from src (for derived metrics too: recorded actuals), else the
// metric's Initial value; otherwise the value is missing
// (MissingHistory).
//
// When src can list its observations (Lister, such as Data), every one
// Evaluate does not use is an UnusedData issue: an id that is no metric
// of c (with a did-you-mean), observations of another grain, and a
// recorded value of a derived metric within from..to that differs from
// the value its formula gives (the computed value is used; a record
// before from is the history prev() reads). Under Fail they fail the
// evaluation like any other issue.
//
// Under the default policy, missing inputs make every metric computed
// from them Missing — even where a condition would not have used the
// value, so that a missing input can never pass unnoticed. Issues lists
// each missing input and each formula that could not be computed.
func Evaluate(c *tree.Compiled, src Source, from, to metric.Period, opt Options) (*Result, error) {
	if c.Measured() != c { // the what-if model: drivers from their measured values
		c, src = whatIf(c, src)
	}
	return evaluateRange(c, src, from, to, opt, nil)
}

// evaluateRange checks the range and evaluates it, with scenario pins if
// any.
func evaluateRange(c *tree.Compiled, src Source, from, to metric.Period, opt Options, pins [][]Override) (*Result, error) {
	periods, err := periodRange(from, to)
	if err != nil {
		return nil, err
	}
	if g := c.Model().GrainOrDefault(); from.Grain() != g {
		return nil, fmt.Errorf("rollup: the model is evaluated by %s, not by %s (use Rollup for coarser periods)", g, from.Grain())
	}
	r, err := evaluate(c, src, periods, opt, nil, pins)
	if l, ok := src.(Lister); ok && r != nil {
		n := len(r.issues)
		r.reportUnused(l)
		if opt.Policy == Fail && len(r.issues) > n {
			err = &EvalError{Issues: slices.Clone(r.issues)}
		}
	}
	return r, err
}

// reportUnused adds an UnusedData issue for each observation of l that
// the evaluation did not use: per unknown id (with a did-you-mean) and
// per id recorded by another grain, with the number of observations; per
// period for a derived metric's recorded value that differs from the
// computed one.
func (r *Result) reportUnused(l Lister) {
	c := r.c
	g := c.Model().GrainOrDefault()
	first, last := r.periods[0], r.periods[len(r.periods)-1]
	ids := func(yield func(string) bool) {
		for i := range c.Len() {
			if !yield(c.ID(i)) {
				return
			}
		}
	}
	for id, s := range l.Observed() {
		p0, _ := s.First()
		i, known := c.Index(id)
		switch {
		case !known:
			hint := ""
			if sug := formula.Suggest(id, ids); sug != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", sug)
			}
			r.issues = append(r.issues, Issue{Kind: UnusedData, Metric: id, Period: p0,
				Detail: fmt.Sprintf("no metric %q in the model%s: %s not used", id, hint, observations(s.Len()))})
		case s.Grain() != g:
			r.issues = append(r.issues, Issue{Kind: UnusedData, Metric: id, Period: p0,
				Detail: fmt.Sprintf("recorded by %s, the model is evaluated by %s: %s not used; record %s values (Rollup aggregates them to coarser periods)", s.Grain(), g, observations(s.Len()), g)})
		case !c.IsInput(i):
			for p, v := range s.All() {
				if p.Before(first) || last.Before(p) {
					continue // history that prev() reads, or outside the range
				}
				got, ok := r.Value(id, p)
				if ok && (got == v || math.Abs(got-v) <= 1e-9*math.Max(math.Abs(got), math.Abs(v))) {
					continue // the record confirms the formula
				}
				detail := fmt.Sprintf("recorded %v, but %s is derived: its formula gives %v, the value used", v, id, got)
				switch r.State(id, p) {
				case Filled:
					detail = fmt.Sprintf("recorded %v, but %s is derived: its formula gives %v from values filled in with zero, the value used", v, id, got)
				case Partial:
					detail = fmt.Sprintf("recorded %v, but %s is derived: its formula gives %v from partial periods, the value used", v, id, got)
				}
				if !ok {
					detail = fmt.Sprintf("recorded %v, but %s is derived and computed from its formula, which has no value here (%s); the record is not used", v, id, r.Why(id, p))
				}
				r.issues = append(r.issues, Issue{Kind: UnusedData, Metric: id, Period: p, Detail: detail})
			}
		}
	}
}

// observations says "1 observation" or "n observations".
func observations(n int) string {
	if n == 1 {
		return "1 observation"
	}
	return fmt.Sprintf("%d observations", n)
}

// periodRange returns the periods from..to, or an error if they are of
// different grains or calendars (which metric.Range treats as a
// programming error) or the range is empty.
func periodRange(from, to metric.Period) ([]metric.Period, error) {
	if from.IsZero() || to.IsZero() {
		return nil, fmt.Errorf("rollup: invalid period range %q..%q: a period is missing", from, to)
	}
	if from.Grain() != to.Grain() {
		return nil, fmt.Errorf("rollup: period range %s..%s mixes a %s and a %s", from, to, from.Grain(), to.Grain())
	}
	if a, b := fiscalStart(from), fiscalStart(to); a != b {
		return nil, fmt.Errorf("rollup: period range %s..%s mixes calendars (fiscal year starting in %s and in %s)", from, to, a, b)
	}
	periods := slices.Collect(metric.Range(from, to))
	if len(periods) == 0 {
		return nil, fmt.Errorf("rollup: empty period range %s..%s", from, to)
	}
	return periods, nil
}

// fiscalStart returns the first month of p's fiscal year (January for
// calendar periods), read from the "@MM" suffix MarshalText writes.
func fiscalStart(p metric.Period) time.Month {
	b, _ := p.MarshalText()
	if i := strings.IndexByte(string(b), '@'); i >= 0 {
		if m, err := strconv.Atoi(string(b[i+1:])); err == nil {
			return time.Month(m)
		}
	}
	return time.January
}

// evaluate runs the model over periods. partial, when set, describes
// how an input's value at (node, period) was aggregated from an
// incomplete period ("" if it was not).
//
// pins, when set, holds per derived node the scenario overrides that
// replace or adjust its computed value (see Scenario.Evaluate).
func evaluate(c *tree.Compiled, src Source, periods []metric.Period, opt Options, partial func(node, t int) string, pins [][]Override) (*Result, error) {
	if src == nil {
		src = Data(nil)
	}
	n := c.Len()
	r := &Result{
		c:       c,
		periods: periods,
		vals:    make([]float64, len(periods)*n),
		state:   make([]State, len(periods)*n),
		src:     src,
	}
	var e tree.Evaluator
	e.Bind(c)
	vals := e.Values()
	lagged := e.Lagged()
	lags := c.Lags()
	lagState := make([]State, len(lags))
	li := newLagIndexer(lags)
	histSeen := map[aggKey]bool{}
	for t, p := range periods {
		row := r.vals[t*n : (t+1)*n]
		st := r.state[t*n : (t+1)*n]
		for i := range n {
			vals[i] = math.NaN()
		}
		for i := range c.Inputs() {
			id := c.ID(i)
			v, ok := src.Value(id, p)
			switch {
			case !ok:
				st[i] = Missing
				detail := "no observation"
				if ex, ok := src.(interface {
					whyMissing(string, metric.Period) string
				}); ok {
					detail = ex.whyMissing(id, p)
				}
				r.issues = append(r.issues, Issue{Kind: MissingInput, Metric: id, Period: p, Detail: detail})
			case math.IsNaN(v) || math.IsInf(v, 0):
				st[i] = Missing
				r.issues = append(r.issues, Issue{Kind: NaNInput, Metric: id, Period: p, Detail: fmt.Sprintf("the data holds %v", v)})
			default:
				vals[i] = v
				if partial != nil {
					if detail := partial(i, t); detail != "" {
						st[i] = Partial
						r.issues = append(r.issues, Issue{Kind: PartialPeriod, Metric: id, Period: p, Detail: detail})
					}
				}
			}
			if st[i] == Missing && opt.Policy == Zero {
				vals[i] = 0
				st[i] = Filled
			}
		}
		for k, l := range lags {
			tt := t - l.Lag
			if tt >= 0 {
				lagged[k] = r.vals[tt*n+l.Node]
				lagState[k] = r.state[tt*n+l.Node]
				continue
			}
			hp := periods[0].Add(tt)
			id := c.ID(l.Node)
			if v, ok := src.Value(id, hp); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
				lagged[k], lagState[k] = v, OK
			} else if init := c.Metric(l.Node).Initial; init != nil {
				lagged[k], lagState[k] = *init, OK
			} else {
				lagged[k], lagState[k] = math.NaN(), Missing
				// Once per (metric, period): prev(x, 3) reaches three
				// periods before from, and prev(x) and prev(x, 2) share one.
				if hk := (aggKey{id, hp}); !histSeen[hk] {
					histSeen[hk] = true
					r.issues = append(r.issues, Issue{Kind: MissingHistory, Metric: id, Period: hp, Detail: "prev() reaches before the data and the metric has no initial value"})
				}
				if opt.Policy == Zero {
					lagged[k], lagState[k] = 0, Filled
				}
			}
		}
		// Fast path: with every input and earlier value present, run the
		// whole program at once; if every result is finite, all is OK.
		if pins == nil && allOK(st, lagState, c) {
			e.Run()
			if allFinite(vals, c) {
				copy(row, vals)
				continue
			}
		}
		// Derived nodes one by one, in evaluation order, so that a value
		// filled in under Zero is what the nodes using it see.
		k := 0
		for i := range c.Order() {
			e.RunNode(k)
			k++
			var ops []Override
			if pins != nil {
				ops = pins[i]
			}
			if ops != nil && setsAt(ops, p) { // a value set by a scenario
				vals[i], _ = applyOverrides(ops, p, vals[i], true)
				st[i] = OK
				continue
			}
			s := OK
			for _, d := range c.Deps(i) {
				var ds State
				if d.Lag == 0 {
					ds = st[d.Node]
				} else {
					ds = lagState[li.of(d)]
				}
				s = worse(s, ds)
			}
			v := vals[i]
			if s == Missing {
				vals[i] = math.NaN()
			} else if math.IsNaN(v) || math.IsInf(v, 0) {
				if !anyNonFinite(c, i, vals, lagged, li) {
					detail := strings.Join(c.Explain(i, vals, lagged), "; ")
					if detail == "" {
						detail = fmt.Sprintf("the formula gives %v", v)
					}
					r.issues = append(r.issues, Issue{Kind: InvalidResult, Metric: c.ID(i), Period: p, Detail: detail})
					s = Invalid
					if opt.Policy == Zero {
						vals[i] = 0
						s = Filled
					}
				} else {
					s = worse(s, Invalid)
				}
			}
			if ops != nil && s != Missing { // scaled or shifted by a scenario
				vals[i], _ = applyOverrides(ops, p, vals[i], true)
			}
			st[i] = s
		}
		copy(row, vals)
	}
	if opt.Policy == Fail && len(r.issues) > 0 {
		return r, &EvalError{Issues: slices.Clone(r.issues)}
	}
	return r, nil
}

// allOK reports whether every input (st) and earlier value (lagState)
// of a period is OK.
func allOK(st, lagState []State, c *tree.Compiled) bool {
	for _, s := range lagState {
		if s != OK {
			return false
		}
	}
	for i := range c.Inputs() {
		if st[i] != OK {
			return false
		}
	}
	return true
}

// allFinite reports whether every derived value is finite.
func allFinite(vals []float64, c *tree.Compiled) bool {
	for i := range c.Order() {
		if v := vals[i]; v-v != 0 { // NaN or ±Inf
			return false
		}
	}
	return true
}

// worse combines states: Missing dominates, then Invalid, Filled, Partial.
func worse(a, b State) State {
	rank := [...]int{OK: 0, Partial: 1, Filled: 2, Invalid: 3, Missing: 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// lagIndexer maps a lagged dependency to its entry in Compiled.Lags.
type lagIndexer map[tree.Lag]int

func newLagIndexer(lags []tree.Lag) lagIndexer {
	m := make(lagIndexer, len(lags))
	for k, l := range lags {
		m[l] = k
	}
	return m
}

func (m lagIndexer) of(d tree.Dep) int { return m[tree.Lag(d)] }

// anyNonFinite reports whether an input of node i is already NaN or
// infinite, in which case i's non-finite value is inherited, not caused.
func anyNonFinite(c *tree.Compiled, i int, vals, lagged []float64, li lagIndexer) bool {
	for _, d := range c.Deps(i) {
		var v float64
		if d.Lag == 0 {
			v = vals[d.Node]
		} else {
			v = lagged[li.of(d)]
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return true
		}
	}
	return false
}
