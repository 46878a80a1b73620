package rollup

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"sync"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// OverrideKind is what an Override does to a value.
type OverrideKind uint8

const (
	// SetValue replaces the value (a missing input becomes present).
	SetValue OverrideKind = iota + 1
	// ScaleBy multiplies the value by 1 + Value/100 (Value is a percentage).
	ScaleBy
	// AddTo adds Value to the value.
	AddTo
)

// String returns the name used in messages.
func (k OverrideKind) String() string {
	switch k {
	case SetValue:
		return "set"
	case ScaleBy:
		return "scale"
	case AddTo:
		return "add"
	}
	return fmt.Sprintf("OverrideKind(%d)", k)
}

// Span is a range of periods, both ends inclusive. A zero From or To
// leaves that end open, so the zero Span is every period. A period is in
// the span when it lies within [From.Start, To.End).
type Span struct {
	From, To metric.Period
}

// During returns the span of the single period p.
func During(p metric.Period) Span { return Span{From: p, To: p} }

// Covers reports whether period p lies within the span.
func (w Span) Covers(p metric.Period) bool {
	if !w.From.IsZero() && p.Start().Before(w.From.Start()) {
		return false
	}
	if !w.To.IsZero() && p.End().After(w.To.End()) {
		return false
	}
	return true
}

// Override is one change a Scenario makes to a metric over a span of
// periods.
type Override struct {
	Metric string
	Kind   OverrideKind
	Value  float64 // the value set, the percentage, or the delta
	When   Span
}

// String returns the name used in messages.
func (o Override) String() string {
	s := ""
	switch o.Kind {
	case SetValue:
		s = fmt.Sprintf("%s = %g", o.Metric, o.Value)
	case ScaleBy:
		s = fmt.Sprintf("%s %+g%%", o.Metric, o.Value)
	case AddTo:
		s = fmt.Sprintf("%s %+g", o.Metric, o.Value)
	default:
		s = fmt.Sprintf("%s %s %g", o.Metric, o.Kind, o.Value)
	}
	if o.When != (Span{}) {
		s += fmt.Sprintf(" in %s..%s", o.When.From, o.When.To)
	}
	return s
}

// applyOverrides applies ops, in order, to a value at period p.
func applyOverrides(ops []Override, p metric.Period, v float64, present bool) (float64, bool) {
	for _, o := range ops {
		if !o.When.Covers(p) {
			continue
		}
		switch o.Kind {
		case SetValue:
			v, present = o.Value, true
		case ScaleBy:
			v *= 1 + o.Value/100
		case AddTo:
			v += o.Value
		}
	}
	return v, present
}

// setsAt reports whether some SetValue among ops covers p.
func setsAt(ops []Override, p metric.Period) bool {
	return slices.ContainsFunc(ops, func(o Override) bool { return o.Kind == SetValue && o.When.Covers(p) })
}

// Scenario is a named layer of overrides on a base: values set, scaled by
// a percentage or shifted by a delta, on inputs or derived metrics, over
// a span of periods. Whatever is not overridden flows from the base
// Source. A Scenario built on a parent applies the parent's overrides
// first, then its own, in the order they were added.
//
// An override of a derived metric replaces its computed value: SetValue
// pins it (it stops following its formula), ScaleBy and AddTo adjust the
// value its formula gives within the scenario. Metrics computed from it
// use the overridden value.
//
// The nil *Scenario is the base itself. Build a Scenario, then use it; it
// is not safe to add overrides while another goroutine evaluates it.
type Scenario struct {
	name   string
	parent *Scenario
	ops    []Override
}

// NewScenario returns an empty scenario named name on parent (nil for a
// scenario directly on the base).
func NewScenario(name string, parent *Scenario) *Scenario {
	return &Scenario{name: name, parent: parent}
}

// Name returns the scenario's name ("base" for the nil Scenario).
func (s *Scenario) Name() string {
	if s == nil {
		return "base"
	}
	return s.name
}

// Parent returns the scenario s builds on, or nil.
func (s *Scenario) Parent() *Scenario {
	if s == nil {
		return nil
	}
	return s.parent
}

// Set sets metric id to v over the span when (the zero Span: every period).
func (s *Scenario) Set(id string, v float64, when Span) *Scenario {
	s.ops = append(s.ops, Override{Metric: id, Kind: SetValue, Value: v, When: when})
	return s
}

// Scale multiplies metric id by 1 + pct/100 over the span when: Scale(id,
// 10, Span{}) raises it by 10% in every period.
func (s *Scenario) Scale(id string, pct float64, when Span) *Scenario {
	s.ops = append(s.ops, Override{Metric: id, Kind: ScaleBy, Value: pct, When: when})
	return s
}

// Add adds delta to metric id over the span when.
func (s *Scenario) Add(id string, delta float64, when Span) *Scenario {
	s.ops = append(s.ops, Override{Metric: id, Kind: AddTo, Value: delta, When: when})
	return s
}

// Overrides returns every override the scenario applies, its parents'
// first, in the order they apply.
func (s *Scenario) Overrides() []Override {
	if s == nil {
		return nil
	}
	return append(s.parent.Overrides(), s.ops...)
}

// compile checks the overrides against c and groups them by node.
func (s *Scenario) compile(c *tree.Compiled) ([][]Override, error) {
	byNode := make([][]Override, c.Len())
	var errs []error
	for _, o := range s.Overrides() {
		i, ok := c.Index(o.Metric)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%w %q in scenario %q", ErrUnknownMetric, o.Metric, s.Name()))
			continue
		case o.Kind < SetValue || o.Kind > AddTo:
			errs = append(errs, fmt.Errorf("%w: scenario %q: %s: unknown override kind", ErrInvalidArgument, s.Name(), o.Metric))
			continue
		case !finite(o.Value):
			errs = append(errs, fmt.Errorf("%w: scenario %q: %s: %s by %v", ErrInvalidArgument, s.Name(), o.Metric, o.Kind, o.Value))
			continue
		case !o.When.From.IsZero() && !o.When.To.IsZero() && o.When.To.Before(o.When.From):
			errs = append(errs, fmt.Errorf("%w: scenario %q: %s: span %s..%s ends before it starts", ErrInvalidArgument, s.Name(), o.Metric, o.When.From, o.When.To))
			continue
		}
		byNode[i] = append(byNode[i], o)
	}
	return byNode, errors.Join(errs...)
}

// Source returns base with the scenario's overrides applied to every
// metric's observed values (inputs, and the recorded values of derived
// metrics that prev() reads before the evaluated periods). Overrides of
// derived metrics within the evaluated periods need Evaluate.
func (s *Scenario) Source(base Source) Source {
	if base == nil {
		base = Data(nil)
	}
	ops := s.Overrides()
	if len(ops) == 0 {
		return base
	}
	by := map[string][]Override{}
	for _, o := range ops {
		by[o.Metric] = append(by[o.Metric], o)
	}
	return SourceFunc(func(id string, p metric.Period) (float64, bool) {
		v, ok := base.Value(id, p)
		if o := by[id]; o != nil {
			return applyOverrides(o, p, v, ok)
		}
		return v, ok
	})
}

// Evaluate computes every metric of c for periods from..to, as Evaluate
// does, with the scenario's overrides applied on top of base. It runs on
// c's what-if model (tree.Compiled.WhatIf): drivers are held at their
// measured values. The recorded history of a derived metric that prev()
// reads before from carries the scenario's effect too: when an override
// covers a metric it depends on in that period, the record moves by the
// difference the override makes to its formula's value there.
func (s *Scenario) Evaluate(c *tree.Compiled, base Source, from, to metric.Period, opt Options) (*Result, error) {
	c, base = whatIf(c, base)
	byNode, err := s.compile(c)
	if err != nil {
		return nil, err
	}
	periods, err := periodRange(from, to)
	if err != nil {
		return nil, err
	}
	src := newScenarioHistory(c, base, s.Source(base), byNode, from)
	derived := false
	for i, ops := range byNode {
		if ops != nil && !c.IsInput(i) {
			for _, p := range periods {
				if slices.ContainsFunc(ops, func(o Override) bool { return o.When.Covers(p) }) {
					derived = true
				}
			}
		}
	}
	if !derived {
		return evaluateRange(c, src, from, to, opt, nil)
	}
	pins := make([][]Override, c.Len())
	for i, ops := range byNode {
		if !c.IsInput(i) {
			pins[i] = ops
		}
	}
	r, err := evaluateRange(c, src, from, to, opt, pins)
	if r != nil {
		r.pins = pins
	}
	return r, err
}

// Session returns a Session at period p with the scenario applied: its
// input overrides in the values, its overrides of derived metrics kept as
// pins that later changes respect.
func (s *Scenario) Session(c *tree.Compiled, base Source, p metric.Period, opt Options) (*Session, error) {
	c, base = whatIf(c, base)
	byNode, err := s.compile(c)
	if err != nil {
		return nil, err
	}
	src := newScenarioHistory(c, base, s.Source(base), byNode, p)
	r, err := s.Evaluate(c, base, p, p, opt)
	if err != nil {
		return nil, err
	}
	ss := newSession(c, p)
	copy(ss.e.Values(), r.vals[:c.Len()])
	for k, l := range c.Lags() {
		ss.e.Lagged()[k], _ = historyValue(c, src, l.Node, p.Add(-l.Lag), opt)
	}
	for i, ops := range byNode {
		if ops != nil && !c.IsInput(i) {
			ss.pin(i, ops)
		}
	}
	return ss, nil
}

// Comparison holds the evaluations of a base and of scenarios over the
// same periods, for side-by-side comparison.
type Comparison struct {
	c       *tree.Compiled
	names   []string
	results []*Result
}

// Diff is one metric's value in one period under one scenario, against
// the base.
type Diff struct {
	Metric   string
	Period   metric.Period
	Scenario string
	Base     float64 // the base's value (NaN if not usable)
	Value    float64 // the scenario's value (NaN if not usable)
	Abs      float64 // Value − Base
	// Rel is Abs/|Base|: 0 when the value is unchanged, NaN when the base
	// is zero and the value is not (or either is missing).
	Rel float64
}

// Compare evaluates the base and each scenario over from..to. Scenario
// names must be distinct, non-empty and not "base".
func Compare(c *tree.Compiled, base Source, scenarios []*Scenario, from, to metric.Period, opt Options) (*Comparison, error) {
	c, base = whatIf(c, base)
	m := &Comparison{c: c, names: []string{"base"}}
	r, err := Evaluate(c, base, from, to, opt)
	if err != nil {
		return nil, fmt.Errorf("base: %w", err)
	}
	m.results = append(m.results, r)
	for _, s := range scenarios {
		if s == nil || s.name == "" || slices.Contains(m.names, s.name) {
			return nil, fmt.Errorf("%w: scenario names must be distinct, non-empty and not \"base\" (got %q)", ErrInvalidArgument, s.Name())
		}
		r, err := s.Evaluate(c, base, from, to, opt)
		if err != nil {
			return nil, fmt.Errorf("scenario %q: %w", s.name, err)
		}
		m.names = append(m.names, s.name)
		m.results = append(m.results, r)
	}
	return m, nil
}

// Scenarios returns the names compared: "base" first, then the scenarios
// in the order given.
func (m *Comparison) Scenarios() []string { return slices.Clone(m.names) }

// Result returns the evaluation of the named scenario ("base" for the
// base), or nil.
func (m *Comparison) Result(name string) *Result {
	if i := slices.Index(m.names, name); i >= 0 {
		return m.results[i]
	}
	return nil
}

// Diff returns metric id's value in period p under the named scenario
// against the base.
func (m *Comparison) Diff(name, id string, p metric.Period) (Diff, bool) {
	si := slices.Index(m.names, name)
	if si < 0 {
		return Diff{}, false
	}
	if _, known := m.c.Index(id); !known {
		return Diff{}, false
	}
	if _, ok := slices.BinarySearchFunc(m.results[0].periods, p, metric.Period.Compare); !ok {
		return Diff{}, false
	}
	b, bok := m.results[0].Value(id, p)
	v, vok := m.results[si].Value(id, p)
	return makeDiff(id, p, name, b, bok, v, vok), true
}

func makeDiff(id string, p metric.Period, name string, b float64, bok bool, v float64, vok bool) Diff {
	if !bok {
		b = math.NaN()
	}
	if !vok {
		v = math.NaN()
	}
	d := Diff{Metric: id, Period: p, Scenario: name, Base: b, Value: v, Abs: v - b}
	switch {
	case d.Abs == 0:
		d.Rel = 0
	case b == 0:
		d.Rel = math.NaN()
	default:
		d.Rel = d.Abs / math.Abs(b)
	}
	return d
}

// All yields every scenario's Diff (the base excluded), period by period,
// metric by metric in declaration order, scenario by scenario.
func (m *Comparison) All() iter.Seq[Diff] {
	return func(yield func(Diff) bool) {
		base := m.results[0]
		n := m.c.Len()
		for t, p := range base.periods {
			for i := range n {
				k := t*n + i
				b, bok := base.vals[k], usable(base.state[k])
				for si := 1; si < len(m.results); si++ {
					r := m.results[si]
					if !yield(makeDiff(m.c.ID(i), p, m.names[si], b, bok, r.vals[k], usable(r.state[k]))) {
						return
					}
				}
			}
		}
	}
}

func usable(s State) bool { return s == OK || s == Filled || s == Partial }

// scenarioHistory is a scenario's source for an evaluation from period
// from: a derived metric's recorded value before from — the history
// prev() reads — carries the scenario's effect on it. When the scenario
// overrides a metric its formula depends on in that period, the record is
// shifted by the difference the override makes to the value its formula
// gives there (so +10% visitors in every period raises last month's
// recorded revenue as it raises this month's). Where the formula cannot
// be computed in that period (an input is not recorded), the record is
// used as it is.
type scenarioHistory struct {
	Source        // the scenario's overrides on the base
	base   Source // without them
	c      *tree.Compiled
	from   metric.Period
	pins   [][]Override
	ops    [][]Override // overrides by node
	up     [][]int      // per derived node: the overridden nodes upstream of it (nil for none)
	mu     sync.Mutex
	memo   map[metric.Period][2]*Result
}

func newScenarioHistory(c *tree.Compiled, base, src Source, byNode [][]Override, from metric.Period) Source {
	h := &scenarioHistory{Source: src, base: base, c: c, from: from, ops: byNode, up: make([][]int, c.Len())}
	any := false
	for i := range c.Len() {
		if c.IsInput(i) {
			continue
		}
		seen := map[int]bool{i: true}
		stack := []int{i}
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, d := range c.Deps(j) {
				if d.Lag != 0 || seen[d.Node] {
					continue
				}
				seen[d.Node] = true
				if byNode[d.Node] != nil {
					h.up[i] = append(h.up[i], d.Node)
					any = true
				}
				if !c.IsInput(d.Node) {
					stack = append(stack, d.Node)
				}
			}
		}
	}
	if !any {
		return src
	}
	h.pins = make([][]Override, c.Len())
	for i, o := range byNode {
		if !c.IsInput(i) {
			h.pins[i] = o
		}
	}
	return h
}

// Value implements Source.
func (h *scenarioHistory) Value(id string, p metric.Period) (float64, bool) {
	v, ok := h.Source.Value(id, p)
	i, known := h.c.Index(id)
	if !ok || !known || h.up[i] == nil || !p.Before(h.from) || p.Grain() != h.from.Grain() {
		return v, ok
	}
	covered := false
	for _, j := range h.up[i] {
		covered = covered || slices.ContainsFunc(h.ops[j], func(o Override) bool { return o.When.Covers(p) })
	}
	if !covered {
		return v, ok
	}
	h.mu.Lock()
	rs, found := h.memo[p]
	if !found {
		rs[0], _ = evaluate(h.c, h.base, []metric.Period{p}, Options{}, nil, nil)
		rs[1], _ = evaluate(h.c, h.Source, []metric.Period{p}, Options{}, nil, h.pins)
		if h.memo == nil {
			h.memo = map[metric.Period][2]*Result{}
		}
		h.memo[p] = rs
	}
	h.mu.Unlock()
	vb, okb := rs[0].Value(id, p)
	vs, oks := rs[1].Value(id, p)
	if !okb || !oks {
		return v, ok
	}
	return v + (vs - vb), true
}

// whyMissing passes the explanation of the wrapped source on.
func (h *scenarioHistory) whyMissing(id string, p metric.Period) string {
	if ex, ok := h.Source.(interface {
		whyMissing(string, metric.Period) string
	}); ok {
		return ex.whyMissing(id, p)
	}
	return "no observation"
}
