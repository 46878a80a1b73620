package rollup

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// Plan asks what-if questions of a range of periods rather than of one:
// what must monthly traffic be for the year's revenue to reach 500M, what
// monthly new MRR makes December's ARR reach 1.2M. It is the model, the
// data (and a scenario on it: the plan as it stands) and the periods of
// the model's grain that are evaluated, From..To.
//
// Every question moves levers — inputs — across all of From..To, in one of
// two ways:
//
//   - by one relative change (PlanLever.Profile nil): the lever in every
//     period is Scale times its value in the plan, so its seasonality is
//     kept. It is a Scenario override, Scale(input, (Scale−1)·100%), over
//     From..To;
//   - along a profile the user gives (one value per period): the lever in
//     period t is Scale·Profile[t], a Scenario Set per period.
//
// and measures the goal as Result.Window does over the goal's period:
// inputs aggregated by their aggregation, derived metrics recomputed,
// prev() carried from period to period through the whole range, so a
// change in January's new MRR reaches December's ARR. Each trial is a
// Scenario built on Plan.Scenario and evaluated by Scenario.Evaluate, so
// whatever a scenario does with an override applies to plans too; the
// answer comes with that scenario, ready for Compare or Evaluate.
//
// The solvers are those of Session.GoalSeek and GoalSeekMany, with the
// same guarantees and errors; the unknown is the lever's Scale (1 is the
// plan as it stands), so SeekOptions.Lo and Hi and PlanLever.Lo and Hi
// bound the Scale. A Plan is a value; its methods do not change it and
// may run concurrently.
type Plan struct {
	// Compiled is the model.
	Compiled *tree.Compiled
	// Base is the data; nil is an empty source.
	Base Source
	// Scenario is applied on Base: the plan as it stands (nil: Base).
	Scenario *Scenario
	// From and To are the periods evaluated, of the model's grain; the
	// levers move in every one of them.
	From, To metric.Period
	// Options of every evaluation.
	Options Options
}

// Goal is a value a metric must reach over a period.
type Goal struct {
	Metric string
	Value  float64
	// Period is what the value is measured over: a period of the model's
	// grain (December's ARR) or a coarser one whose model-grain periods
	// lie within the plan (2027, 2027-Q1, FY2027: the year's revenue, a
	// quarter's average conversion), as Result.Window measures it.
	Period metric.Period
}

// GoalOf returns the Goal of metric id's target t: t.Value over t.Period.
func GoalOf(id string, t metric.Target) Goal {
	return Goal{Metric: id, Value: t.Value, Period: t.Period}
}

func (g Goal) String() string { return fmt.Sprintf("%s = %g over %s", g.Metric, g.Value, g.Period) }

// PlanLever is an input a Plan moves across its periods.
type PlanLever struct {
	Input string
	// Profile, if not nil, holds one value per period From..To: the lever
	// in period t is Scale·Profile[t]. Nil moves the lever's own values by
	// one relative change: Scale·value_t.
	Profile []float64
	// Weight is the lever's weight under the Weighted allocation (>= 0).
	Weight float64
	// Lo and Hi bound the lever's Scale in GoalSeekMany and Cascade (both
	// zero: no bounds; ±Inf leaves one side open).
	Lo, Hi float64
}

// PeriodValue is a value in one period.
type PeriodValue struct {
	Period metric.Period
	Value  float64
}

// PlanSeek is the answer of Plan.GoalSeek.
type PlanSeek struct {
	Goal  Goal
	Input string
	// Before is the goal metric's value over the goal's period in the plan
	// as it stands (NaN when the plan's lever values leave it missing and
	// a profile supplies them), Reached its value with the lever at Scale.
	Before, Reached float64
	// StartScale is where the search started: 1 for a relative change; for
	// a profile, the Scale at which the profile sums to the lever's total
	// in the plan over From..To (1 when the plan has no such total).
	StartScale float64
	// Scale is the solution: the factor on the lever's values (relative
	// change Scale−1) or on its profile.
	Scale float64
	// Lever is the lever's value in every period From..To at the solution.
	Lever []PeriodValue
	// Method, Iterations, Calls and Evaluations are as in Seek; an
	// evaluation is one evaluation of the plan's periods.
	Method                         SeekMethod
	Iterations, Calls, Evaluations int
	// Scenario is the plan with the lever at the solution, built on
	// Plan.Scenario.
	Scenario *Scenario
}

// PlanSeekMany is the answer of Plan.GoalSeekMany: SeekMany's fields, with
// each LeverResult's Start and Value being the lever's Scale (its Change
// the relative change of its values).
type PlanSeekMany struct {
	SeekMany
	Goal   Goal
	Before float64
	// Levers' values in every period From..To at the solution, in the
	// order of the levers given.
	Values [][]PeriodValue
	// Scenario is the plan with the levers at the solution.
	Scenario *Scenario
}

// planLever is a validated PlanLever.
type planLever struct {
	PlanLever
	node  int
	start float64 // StartScale
}

// plan is a validated Plan with its goal.
type plan struct {
	Plan
	periods []metric.Period
	goal    Goal
	gi      int
	w0, w1  metric.Period // the goal's window, of the model's grain
}

func (pl Plan) prepare(goal Goal) (*plan, error) {
	c := pl.Compiled
	if c == nil {
		return nil, fmt.Errorf("%w: the plan has no model", ErrInvalidArgument)
	}
	g := c.Model().GrainOrDefault()
	if pl.From.IsZero() || pl.To.IsZero() || pl.From.Grain() != g || pl.To.Grain() != g {
		return nil, fmt.Errorf("%w: the plan's periods %s..%s must be of the model's grain (%s), such as 2027-01..2027-12",
			ErrInvalidArgument, pl.From, pl.To, g)
	}
	periods, err := periodRange(pl.From, pl.To)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidArgument, err)
	}
	gi, ok := c.Index(goal.Metric)
	if !ok {
		return nil, fmt.Errorf("%w %q (the goal)", ErrUnknownMetric, goal.Metric)
	}
	if !finite(goal.Value) {
		return nil, fmt.Errorf("%w: goal %s = %v is not a finite value", ErrInvalidArgument, goal.Metric, goal.Value)
	}
	if goal.Period.IsZero() {
		return nil, fmt.Errorf("%w: goal %s = %g has no period: give the period it is measured over, such as 2027 or 2027-12", ErrInvalidArgument, goal.Metric, goal.Value)
	}
	p := &plan{Plan: pl, periods: periods, goal: goal, gi: gi}
	if p.Base == nil {
		p.Base = Data(nil)
	}
	var win []metric.Period
	if goal.Period.Grain() == g {
		win = []metric.Period{goal.Period}
	} else {
		win = slices.Collect(finePeriods(c.Model().Calendar, g, goal.Period))
	}
	if len(win) == 0 {
		return nil, fmt.Errorf("%w: goal period %s holds no whole %s of the model", ErrInvalidArgument, goal.Period, g)
	}
	p.w0, p.w1 = win[0], win[len(win)-1]
	if p.w0.Before(pl.From) || pl.To.Before(p.w1) {
		return nil, fmt.Errorf("%w: the goal's period %s (%s..%s) is not within the plan's periods %s..%s",
			ErrInvalidArgument, goal.Period, p.w0, p.w1, pl.From, pl.To)
	}
	return p, nil
}

// lever validates l against the plan.
func (p *plan) lever(l PlanLever) (planLever, error) {
	c := p.Compiled
	i, ok := c.Index(l.Input)
	if !ok {
		return planLever{}, fmt.Errorf("%w %q (a lever)", ErrUnknownMetric, l.Input)
	}
	if !c.IsInput(i) {
		return planLever{}, fmt.Errorf("%w: lever %s is computed by a formula: a plan moves inputs", ErrInvalidArgument, l.Input)
	}
	if i != p.gi && !dependsOn(c, p.gi, i) {
		return planLever{}, fmt.Errorf("%w: %s does not depend on %s in any period", ErrNoPath, p.goal.Metric, l.Input)
	}
	pv := planLever{PlanLever: l, node: i, start: 1}
	if l.Profile == nil {
		return pv, nil
	}
	if len(l.Profile) != len(p.periods) {
		return planLever{}, fmt.Errorf("%w: the profile of %s has %d values; the plan %s..%s has %d periods",
			ErrInvalidArgument, l.Input, len(l.Profile), p.From, p.To, len(p.periods))
	}
	sumP, sumB := 0.0, 0.0
	base := p.Scenario.Source(p.Base)
	have := true
	for t, q := range p.periods {
		if !finite(l.Profile[t]) {
			return planLever{}, fmt.Errorf("%w: the profile of %s is %v in %s", ErrInvalidArgument, l.Input, l.Profile[t], q)
		}
		sumP += l.Profile[t]
		v, ok := base.Value(l.Input, q)
		have = have && ok && finite(v)
		sumB += v
	}
	if sumP == 0 {
		return planLever{}, fmt.Errorf("%w: the profile of %s sums to zero: it gives the lever's shape, so scaling it cannot move anything", ErrInvalidArgument, l.Input)
	}
	if have && sumB != 0 {
		pv.start = sumB / sumP
	}
	return pv, nil
}

// dependsOn reports whether node t depends on node i in any period: in
// the same period or through prev().
func dependsOn(c *tree.Compiled, t, i int) bool {
	seen := make([]bool, c.Len())
	stack := []int{t}
	seen[t] = true
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range c.Deps(j) {
			if d.Node == i {
				return true
			}
			if !seen[d.Node] {
				seen[d.Node] = true
				stack = append(stack, d.Node)
			}
		}
	}
	return false
}

// scenario is the plan with each lever at its scale.
func (p *plan) scenario(name string, levers []planLever, scales []float64) *Scenario {
	sc := NewScenario(name, p.Scenario)
	for j, l := range levers {
		if l.Profile == nil {
			sc.Scale(l.Input, (scales[j]-1)*100, Span{From: p.From, To: p.To})
			continue
		}
		for t, q := range p.periods {
			sc.Set(l.Input, scales[j]*l.Profile[t], During(q))
		}
	}
	return sc
}

// measure evaluates scenario sc over the plan and returns the goal
// metric's value over the goal's window, with the reason when it has none.
func (p *plan) measure(sc *Scenario) (float64, *Result, string, error) {
	r, err := sc.Evaluate(p.Compiled, p.Base, p.From, p.To, p.Options)
	if err != nil {
		return math.NaN(), nil, "", err
	}
	snap, err := r.Window(p.w0, p.w1)
	if err != nil {
		return math.NaN(), nil, "", err
	}
	v, ok := snap.Value(p.goal.Metric)
	if !ok {
		return math.NaN(), r, snap.Why(p.goal.Metric), nil
	}
	return v, r, "", nil
}

// leverValues reads lever i's values over the plan from r.
func (p *plan) leverValues(r *Result, id string) []PeriodValue {
	out := make([]PeriodValue, len(p.periods))
	for t, q := range p.periods {
		v, _ := r.Value(id, q)
		out[t] = PeriodValue{Period: q, Value: v}
	}
	return out
}

// GoalSeek finds the Scale of one lever that makes the goal metric reach
// goal.Value over goal.Period, every other input held as planned (see
// Plan for how the lever moves and how the goal is measured).
//
// Errors are those of Session.GoalSeek: ErrUnknownMetric; ErrNoPath when
// the goal does not depend on the lever in any period (or the effect
// cancels out); *UnreachableError with the reachable range of the goal
// when no Scale within opt's bounds reaches it; *NotMonotoneError with the
// roots and turning points; ErrNonFinite when the goal has no value at a
// trial (the reason is in the message: a period of the lever without a
// value, say); ErrInvalidArgument for bad options, a lever computed by a
// formula, a profile of the wrong length, a goal period outside the plan.
// Under the Fail policy an evaluation's *EvalError is returned as is.
func (pl Plan) GoalSeek(goal Goal, lever PlanLever, opt SeekOptions) (PlanSeek, error) {
	p, err := pl.prepare(goal)
	if err != nil {
		return PlanSeek{}, err
	}
	l, err := p.lever(lever)
	if err != nil {
		return PlanSeek{}, err
	}
	lo, hi := opt.bounds()
	if math.IsNaN(lo) || math.IsNaN(hi) || lo >= hi || opt.Method > SeekBrent || opt.Grid < 0 {
		return PlanSeek{}, fmt.Errorf("%w: goal seek %s by the scale of %s within [%v, %v]", ErrInvalidArgument, goal, lever.Input, lo, hi)
	}
	levers := []planLever{l}
	name := fmt.Sprintf("goal seek %s by %s", goal, l.Input)
	res := PlanSeek{Goal: goal, Input: l.Input, StartScale: l.start}
	before, _, _, err := p.measure(p.Scenario)
	if err != nil {
		return res, err
	}
	res.Before = before
	var bad, hard error
	f := func(k float64) float64 {
		res.Evaluations++
		y, _, why, err := p.measure(p.scenario(name, levers, []float64{k}))
		if err != nil && hard == nil {
			hard = err
		}
		if !finite(y) && bad == nil {
			if why == "" {
				why = fmt.Sprintf("it is %v", y)
			}
			bad = fmt.Errorf("%w: %s has no value over %s with %s scaled by %v: %s", ErrNonFinite, goal.Metric, goal.Period, l.Input, k, why)
		}
		return y - goal.Value
	}
	s := Seek{Target: goal.Metric, Input: l.Input, Start: l.start}
	err = seekScalar(f, &bad, &s, goal.Value, l.start, lo, hi, opt)
	res.Method, res.Iterations, res.Calls = s.Method, s.Iterations, s.Calls
	if hard != nil {
		return res, hard
	}
	if err != nil {
		return res, err
	}
	res.Scale = s.Value
	res.Scenario = p.scenario(name, levers, []float64{s.Value})
	y, r, _, err := p.measure(res.Scenario)
	if err != nil {
		return res, err
	}
	res.Reached, res.Lever = y, p.leverValues(r, l.Input)
	return res, nil
}

// GoalSeekMany moves several levers at once so that the goal metric
// reaches goal.Value over goal.Period, sharing the change among them as
// alloc says: each lever's Scale moves as Session.GoalSeekMany moves an
// input, start·exp(sign·w·u), clamped to the lever's Lo and Hi. Errors are
// those of GoalSeek.
func (pl Plan) GoalSeekMany(goal Goal, levers []PlanLever, alloc Allocation) (PlanSeekMany, error) {
	p, err := pl.prepare(goal)
	if err != nil {
		return PlanSeekMany{}, err
	}
	if len(levers) == 0 || alloc > LeastChange {
		return PlanSeekMany{}, fmt.Errorf("%w: goal seek %s needs levers and a known allocation", ErrInvalidArgument, goal)
	}
	return p.seekMany(levers, alloc, fmt.Sprintf("goal seek %s", goal))
}

func (p *plan) seekMany(levers []PlanLever, alloc Allocation, name string) (PlanSeekMany, error) {
	n := len(levers)
	ls := make([]planLever, n)
	m := manySeek{target: p.goal.Metric, value: p.goal.Value, alloc: alloc,
		x0: make([]float64, n), lo: make([]float64, n), hi: make([]float64, n), w: make([]float64, n)}
	for j, l := range levers {
		pv, err := p.lever(l)
		if err != nil {
			return PlanSeekMany{}, err
		}
		if slices.ContainsFunc(ls[:j], func(o planLever) bool { return o.node == pv.node }) {
			return PlanSeekMany{}, fmt.Errorf("%w: lever %s given twice", ErrInvalidArgument, l.Input)
		}
		ls[j] = pv
		m.levers = append(m.levers, Lever{Input: l.Input, Weight: l.Weight, Lo: l.Lo, Hi: l.Hi})
		m.x0[j] = pv.start
		m.lo[j], m.hi[j] = SeekOptions{Lo: l.Lo, Hi: l.Hi}.bounds()
		if m.lo[j] >= m.hi[j] || math.IsNaN(m.lo[j]) || math.IsNaN(m.hi[j]) || pv.start < m.lo[j] || pv.start > m.hi[j] {
			return PlanSeekMany{}, fmt.Errorf("%w: lever %s starts at scale %v, outside its bounds [%v, %v]", ErrInvalidArgument, l.Input, pv.start, m.lo[j], m.hi[j])
		}
		m.w[j] = 1
		if alloc == Weighted {
			if l.Weight < 0 || !finite(l.Weight) {
				return PlanSeekMany{}, fmt.Errorf("%w: lever %s has weight %v", ErrInvalidArgument, l.Input, l.Weight)
			}
			m.w[j] = l.Weight
		}
	}
	res := PlanSeekMany{Goal: p.goal}
	before, _, _, err := p.measure(p.Scenario)
	if err != nil {
		return res, err
	}
	res.Before = before
	var hard error
	m.eval = func(x []float64) float64 {
		y, _, _, err := p.measure(p.scenario(name, ls, x))
		if err != nil && hard == nil {
			hard = err
		}
		return y
	}
	res.Target = p.goal.Metric
	err = m.solve(&res.SeekMany)
	if hard != nil {
		return res, hard
	}
	if err != nil {
		return res, err
	}
	scales := make([]float64, n)
	for j, lr := range res.Levers {
		scales[j] = lr.Value
	}
	res.Scenario = p.scenario(name, ls, scales)
	y, r, _, err := p.measure(res.Scenario)
	if err != nil {
		return res, err
	}
	res.Reached = y
	for _, l := range ls {
		res.Values = append(res.Values, p.leverValues(r, l.Input))
	}
	return res, nil
}

// PlanCascade is the answer of Plan.Cascade.
type PlanCascade struct {
	Goal Goal
	// Targets holds a target for the KGI and every metric it depends on,
	// in any period (prev() included), in declaration order.
	Targets []PlanCascaded
	// Seek is the solution of the levers (every input under the KGI that
	// moves), as GoalSeekMany with the Weighted allocation gives it.
	Seek PlanSeekMany
}

// PlanCascaded is one metric's target derived by Plan.Cascade.
type PlanCascaded struct {
	Metric string
	// Current is the metric's value over the goal's period as planned.
	Current float64
	// Target is its value over the goal's period at the solution, a
	// target for that period.
	Target metric.Target
	// Periods are its values in each period of the model's grain within
	// the goal's period at the solution: the monthly targets of a yearly
	// goal.
	Periods []metric.Target
}

// Cascade works backwards from a KGI's goal over a range of periods: every
// input the KGI depends on in any period (through prev() too) moves by one
// relative change across the plan (its seasonality kept), the changes
// shared as Session.Cascade shares them — a common factor on a log scale
// raised to each input's weight (opt.Weights, default 1), in the direction
// that helps — solved so that the KGI reaches goal.Value over
// goal.Period. Each metric below the KGI then gets as its target its value
// over the goal's period, and per-period targets within it, so that the
// targets satisfy every formula of the model at once. Inputs listed in
// opt.Hold, of weight 0 or zero in every period keep their values;
// opt.Period is not used (the goal's period is the targets' period).
//
// A metric without a value over the goal's period at the solution (a
// metric whose window has a missing period) is left out with the reason in
// the error. Errors are those of GoalSeekMany.
func (pl Plan) Cascade(goal Goal, opt CascadeOptions) (PlanCascade, error) {
	p, err := pl.prepare(goal)
	if err != nil {
		return PlanCascade{}, err
	}
	c := p.Compiled
	if c.IsInput(p.gi) {
		return PlanCascade{}, fmt.Errorf("%w: %s is an input: there is nothing below it to cascade a target to", ErrInvalidArgument, goal.Metric)
	}
	for _, id := range slices.Sorted(maps.Keys(opt.Weights)) {
		if _, ok := c.Index(id); !ok {
			return PlanCascade{}, fmt.Errorf("%w %q (a weight)", ErrUnknownMetric, id)
		}
	}
	for _, id := range opt.Hold {
		if _, ok := c.Index(id); !ok {
			return PlanCascade{}, fmt.Errorf("%w %q (held)", ErrUnknownMetric, id)
		}
	}
	src := p.Scenario.Source(p.Base)
	var levers []PlanLever
	for i := range c.Len() {
		if !c.IsInput(i) || !dependsOn(c, p.gi, i) {
			continue
		}
		id := c.ID(i)
		w, ok := opt.Weights[id]
		if !ok {
			w = 1
		}
		moves := slices.ContainsFunc(p.periods, func(q metric.Period) bool { v, ok := src.Value(id, q); return ok && v != 0 })
		if w == 0 || !moves || slices.Contains(opt.Hold, id) {
			continue
		}
		levers = append(levers, PlanLever{Input: id, Weight: w})
	}
	if len(levers) == 0 {
		return PlanCascade{}, fmt.Errorf("%w: no input under %s can move", ErrUnreachable, goal.Metric)
	}
	sol, err := p.seekMany(levers, Weighted, fmt.Sprintf("cascade %s", goal))
	if err != nil {
		return PlanCascade{}, err
	}
	out := PlanCascade{Goal: goal, Seek: sol}
	before, err := p.Scenario.Evaluate(c, p.Base, p.From, p.To, p.Options)
	if err != nil {
		return out, err
	}
	after, err := sol.Scenario.Evaluate(c, p.Base, p.From, p.To, p.Options)
	if err != nil {
		return out, err
	}
	sb, err := before.Window(p.w0, p.w1)
	if err != nil {
		return out, err
	}
	sa, err := after.Window(p.w0, p.w1)
	if err != nil {
		return out, err
	}
	note := fmt.Sprintf("cascaded from %s", goal)
	var missing []string
	for i := range c.Len() {
		if i != p.gi && !dependsOn(c, p.gi, i) {
			continue
		}
		id := c.ID(i)
		v, ok := sa.Value(id)
		if !ok {
			missing = append(missing, fmt.Sprintf("%s (%s)", id, sa.Why(id)))
			continue
		}
		cur, _ := sb.Value(id)
		pc := PlanCascaded{Metric: id, Current: cur, Target: metric.Target{Period: goal.Period, Value: v, Note: note}}
		for q := range metric.Range(p.w0, p.w1) {
			pv, ok := after.Value(id, q)
			if !ok {
				missing = append(missing, fmt.Sprintf("%s in %s (%s)", id, q, after.Why(id, q)))
				continue
			}
			pc.Periods = append(pc.Periods, metric.Target{Period: q, Value: pv, Note: note})
		}
		out.Targets = append(out.Targets, pc)
	}
	if len(missing) > 0 {
		return out, fmt.Errorf("%w: no target over %s for %v", ErrNonFinite, goal.Period, missing)
	}
	return out, nil
}
