package rollup

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// Status is how a metric stands against a target.
type Status uint8

const (
	// NoData: nothing observed in the target period yet.
	NoData Status = iota
	// Achieved: the target is met (the period is over, or a cumulative
	// goal has already been reached).
	Achieved
	// OnTrack: the to-date value keeps pace with the target.
	OnTrack
	// AtRisk: somewhat behind pace.
	AtRisk
	// OffTrack: well behind pace, or the period ended with the target missed.
	OffTrack
)

func (s Status) String() string {
	return [...]string{"no data", "achieved", "on track", "at risk", "off track"}[s]
}

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Thresholds set where statuses change. The zero value uses the defaults.
type Thresholds struct {
	// OnTrack is the pace (to-date value against the value expected by
	// now) at or above which a target is on track. Default 0.95.
	OnTrack float64
	// AtRisk is the pace at or above which a target is at risk rather than
	// off track. Default 0.8.
	AtRisk float64
}

func (th Thresholds) withDefaults() Thresholds {
	if th.OnTrack == 0 {
		th.OnTrack = 0.95
	}
	if th.AtRisk == 0 {
		th.AtRisk = 0.8
	}
	return th
}

// Progress is a metric's standing against one target at a point in time.
type Progress struct {
	Metric string
	Target metric.Target
	// AsOf is the last model period counted.
	AsOf metric.Period
	// Periods counted so far and in the whole target window.
	Periods, Total int
	// Elapsed is Periods/Total.
	Elapsed float64
	// ToDate is the metric's value over the target window up to AsOf:
	// inputs aggregated by their aggregation, derived metrics recomputed
	// from those.
	ToDate float64
	// Cumulative: the metric adds up over time (aggregation sum; a metric
	// without an aggregation unless its unit is a ratio or percent), so the
	// target is paced linearly from zero; otherwise it is a level, paced
	// from the baseline (or held at the target without one).
	Cumulative bool
	// Expected is the value expected by now on a straight path to the target.
	Expected float64
	// Projected is the value forecast at the deadline at the current pace.
	Projected float64
	// Attainment of ToDate against the full target (see Attainment).
	Attainment float64
	// Outlook is the attainment of Projected against the full target: how
	// the period will end at the current pace.
	Outlook float64
	// Pace is the attainment of ToDate against Expected: 1 is on plan.
	Pace float64
	// State is OK, or Filled or Partial when ToDate rests on values filled
	// in with zero (Policy Zero) or aggregated from incomplete periods.
	State  State
	Status Status
	// Note explains NoData and undefined attainment.
	Note string
}

// Track measures metric id against target t using the values in r up to
// and including period asOf, of r's grain: the model's for a result of
// Evaluate, quarters or years for one of Rollup (a yearly target tracked
// as of 2027-Q3, say).
//
// The target window runs from t.Start (or the start of t.Period) to the
// end of t.Period; in a weekly model it holds the ISO weeks whose Thursday
// lies within it, as Rollup counts them. The status paces the to-date value against the share
// of the window elapsed: a cumulative metric (sum) is expected to reach
// Elapsed×target by now; a level metric with a baseline is expected at
// baseline + Elapsed×(target−baseline), without one at the target itself.
// A cumulative target's baseline (last year's total, say) is paced too:
// the pace is the progress from Elapsed×baseline to Elapsed×target.
// Ceiling, Floor and Band targets are limits: their status says whether
// the projected value keeps within the limit.
func Track(r *Result, id string, t metric.Target, asOf metric.Period, th Thresholds) (Progress, error) {
	th = th.withDefaults()
	c := r.c
	i, ok := c.Index(id)
	if !ok {
		return Progress{}, fmt.Errorf("rollup: unknown metric %q", id)
	}
	m := c.Metric(i)
	g := r.grain()
	if asOf.Grain() != g {
		return Progress{}, fmt.Errorf("rollup: asOf %s is not a %s, the grain of the result", asOf, g)
	}
	if t.Period.IsZero() {
		return Progress{}, fmt.Errorf("rollup: a target of %s has no period: give it a deadline such as 2027 or 2026-Q3", id)
	}
	cal := r.calendar()
	winStart := t.Period
	if !t.Start.IsZero() {
		winStart = t.Start
	}
	first := cal.Of(g, winStart.Start())
	last := cal.Of(g, t.Period.End().AddDate(0, 0, -1))
	if g == metric.Week {
		// An ISO week belongs to the period holding its Thursday, as in
		// Rollup: the week of 1 January may belong to the year before.
		if first.Start().AddDate(0, 0, 3).Before(winStart.Start()) {
			first = first.Next()
		}
		if !last.Start().AddDate(0, 0, 3).Before(t.Period.End()) {
			last = last.Prev()
		}
	}
	if last.Before(first) {
		return Progress{}, fmt.Errorf("rollup: the window of target %s holds no whole %s", t.Period, g)
	}
	p := Progress{Metric: id, Target: t, Total: last.Sub(first) + 1, Cumulative: cumulative(m)}
	upto := asOf
	if last.Before(upto) {
		upto = last
	}
	if upto.Before(first) {
		p.Status, p.Note = NoData, fmt.Sprintf("the target window starts at %s, after %s", first, asOf)
		return p, nil
	}
	p.AsOf = upto
	p.Periods = upto.Sub(first) + 1
	p.Elapsed = float64(p.Periods) / float64(p.Total)
	snap, err := r.Window(first, upto)
	if err != nil {
		return p, err
	}
	v, ok := snap.Value(id)
	if !ok {
		p.Status, p.Note = NoData, "no usable value in the window so far: "+snap.Why(id)
		return p, nil
	}
	p.ToDate = v
	p.State = snap.State(id)
	if p.State == Filled || p.State == Partial {
		what := "values filled in with zero"
		if p.State == Partial {
			what = "values aggregated from incomplete periods"
		}
		p.Note = "the value to date includes " + what
	}
	T := t.Value
	switch {
	case p.Cumulative:
		p.Expected = T * p.Elapsed
		p.Projected = v / p.Elapsed
	case t.Baseline != nil:
		B := *t.Baseline
		p.Expected = B + (T-B)*p.Elapsed
		p.Projected = B + (v-B)/p.Elapsed
	default:
		p.Expected = T
		p.Projected = v
	}
	att, err := Attainment(m.Direction, t, v)
	p.Attainment = att
	if err != nil {
		p.Note = err.Error()
	}
	exp := t
	exp.Value = p.Expected
	if m.Direction == metric.Band {
		exp.Max = t.Max
	}
	if p.Cumulative && t.Baseline != nil {
		// The baseline of a cumulative target is a whole window's worth
		// (last year's total): by now it stands at its share of it.
		b := *t.Baseline * p.Elapsed
		exp.Baseline = &b
	}
	if t.Baseline != nil && *exp.Baseline == p.Expected {
		exp.Baseline = nil // at the very start: measure as a ratio
	}
	pace, err := Attainment(m.Direction, exp, v)
	if err != nil {
		pace = math.NaN()
	}
	p.Pace = pace
	p.Outlook, _ = Attainment(m.Direction, t, p.Projected)
	done := !upto.Before(last)
	limit := m.Direction == metric.Ceiling || m.Direction == metric.Floor || m.Direction == metric.Band
	switch {
	case done:
		if Met(m.Direction, t, v) {
			p.Status = Achieved
		} else {
			p.Status = OffTrack
		}
	case p.Cumulative && (m.Direction == metric.HigherIsBetter || m.Direction == metric.Floor) && Met(m.Direction, t, v):
		p.Status = Achieved
	case limit:
		a, _ := Attainment(m.Direction, t, p.Projected)
		p.Status = grade(a, th)
	default:
		p.Status = grade(pace, th)
	}
	return p, nil
}

// grain returns the grain of r's periods: the model's for Evaluate, a
// coarser one for Rollup.
func (r *Result) grain() metric.Grain { return r.periods[0].Grain() }

// calendar returns the calendar r's periods are counted in: the model's
// fiscal calendar for fiscal periods, the plain calendar otherwise.
func (r *Result) calendar() metric.Calendar {
	if fiscalStart(r.periods[0]) == time.January {
		return metric.Calendar{}
	}
	return r.c.Model().Calendar
}

func grade(x float64, th Thresholds) Status {
	switch {
	case math.IsNaN(x):
		return NoData
	case x >= th.OnTrack:
		return OnTrack
	case x >= th.AtRisk:
		return AtRisk
	}
	return OffTrack
}

// TrackAll measures every target of every metric whose period ends after
// the first evaluated period begins, in declaration order (metrics, then
// each metric's targets). A target whose window has not started by asOf
// is NoData; one whose status cannot be computed (its window starts
// before the evaluated periods, say) is NoData with the reason in Note.
// Errors are only for invalid arguments.
func TrackAll(r *Result, asOf metric.Period, th Thresholds) ([]Progress, error) {
	if g := r.grain(); asOf.Grain() != g {
		return nil, fmt.Errorf("rollup: asOf %s is not a %s, the grain of the result", asOf, g)
	}
	var out []Progress
	for i := range r.c.Len() {
		m := r.c.Metric(i)
		for _, t := range m.Targets {
			if !t.Period.End().After(r.periods[0].Start()) {
				continue
			}
			p, err := Track(r, m.ID, t, asOf, th)
			if err != nil {
				p.Status, p.Note = NoData, err.Error()
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// Snapshot is every metric's value over one window of periods.
type Snapshot struct {
	c     *tree.Compiled
	vals  []float64
	state []State
	why   []string
}

// Value returns the metric's value over the window, and whether it is usable.
func (s *Snapshot) Value(id string) (float64, bool) {
	i, ok := s.c.Index(id)
	if !ok {
		return math.NaN(), false
	}
	st := s.state[i]
	return s.vals[i], st == OK || st == Filled || st == Partial
}

// State returns the state of the metric's value over the window
// (Missing for an unknown id).
func (s *Snapshot) State(id string) State {
	i, ok := s.c.Index(id)
	if !ok {
		return Missing
	}
	return s.state[i]
}

// Why explains a value that is not OK.
func (s *Snapshot) Why(id string) string {
	i, ok := s.c.Index(id)
	if !ok {
		return "unknown metric"
	}
	return s.why[i]
}

// Window aggregates the result over periods from..to (inclusive, of the
// model's grain, within r): inputs by their aggregation (a weighted mean
// reads its weight's values in the same periods), derived metrics
// recomputed from the aggregated inputs — as Rollup computes a quarter.
//
// prev(x, k) reads x over the window of the same length shifted back by
// k periods rounded up to a whole number of windows, aggregated the same
// way: in a quarter-long window of a monthly model prev(x) is x over the
// previous quarter (so a difference such as orders − prev(orders)
// compares quarters, as Rollup does) and prev(x, 12) x over the same
// quarter a year before; for a stock aggregated by its last value it is
// the value at the end of the previous window. Where that window reaches
// before the evaluated periods, the source's recorded history fills it
// (values of derived metrics aggregated by their aggregation), then the
// metric's Initial value; otherwise the value is missing.
//
// An input with a period missing in the window is missing (NaN) unless
// every period is usable. For a Scenario's result, the scenario's
// overrides of derived metrics apply to the window's values when they
// cover every period of it; a metric overridden in only some of its
// periods has no window value (Missing, with the reason in Why).
func (r *Result) Window(from, to metric.Period) (*Snapshot, error) {
	t0, ok0 := slices.BinarySearchFunc(r.periods, from, metric.Period.Compare)
	t1, ok1 := slices.BinarySearchFunc(r.periods, to, metric.Period.Compare)
	if !ok0 || !ok1 || t1 < t0 {
		return nil, fmt.Errorf("rollup: window %s..%s is not within the evaluated periods %s..%s", from, to, r.periods[0], r.periods[len(r.periods)-1])
	}
	return r.window(t0, t1), nil
}

// period returns the period at index t of r's periods; t may be negative
// (before the evaluated periods).
func (r *Result) period(t int) metric.Period {
	if t >= 0 && t < len(r.periods) {
		return r.periods[t]
	}
	return r.periods[0].Add(t)
}

// window computes the snapshot over r's periods t0..t1 (0 <= t0 <= t1).
func (r *Result) window(t0, t1 int) *Snapshot {
	c := r.c
	n := c.Len()
	from := r.periods[t0]
	s := &Snapshot{c: c, vals: make([]float64, n), state: make([]State, n), why: make([]string, n)}
	var e tree.Evaluator
	e.Bind(c)
	vals := e.Values()
	for i := range c.Inputs() {
		vals[i], s.state[i], s.why[i] = r.aggregate(i, t0, t1)
	}
	lags := c.Lags()
	lagState := make([]State, len(lags))
	lagWhy := make([]string, len(lags))
	width := t1 - t0 + 1
	var earlier map[int]*Snapshot // by first index: windows prev() reads, recomputed
	for k, l := range lags {
		shift := (l.Lag + width - 1) / width * width
		a, b := t0-shift, t1-shift
		if a >= 0 && !c.IsInput(l.Node) {
			w := earlier[a]
			if w == nil {
				w = r.window(a, b)
				if earlier == nil {
					earlier = map[int]*Snapshot{}
				}
				earlier[a] = w
			}
			e.Lagged()[k], lagState[k] = w.vals[l.Node], w.state[l.Node]
			lagWhy[k] = fmt.Sprintf("prev(%s) has no value over %s..%s: %s", c.ID(l.Node), r.periods[a], r.periods[b], w.why[l.Node])
			continue
		}
		var why string
		e.Lagged()[k], lagState[k], why = r.aggregate(l.Node, a, b)
		lagWhy[k] = fmt.Sprintf("prev(%s) has no value over %s..%s: %s", c.ID(l.Node), r.period(a), r.period(b), why)
		if lagState[k] == Missing && b < 0 {
			if init := c.Metric(l.Node).Initial; init != nil {
				e.Lagged()[k], lagState[k] = *init, OK
			}
		}
	}
	li := newLagIndexer(lags)
	pos := 0
	for i := range c.Order() {
		e.RunNode(pos)
		pos++
		st := OK
		for _, d := range c.Deps(i) {
			if d.Lag == 0 {
				st = worse(st, s.state[d.Node])
				if s.state[d.Node] == Missing && s.why[i] == "" {
					s.why[i] = s.why[d.Node]
				}
			} else {
				st = worse(st, lagState[li.of(d)])
				if lagState[li.of(d)] == Missing && s.why[i] == "" {
					s.why[i] = lagWhy[li.of(d)]
				}
			}
		}
		var ops []Override
		if r.pins != nil && r.pins[i] != nil {
			var conflict bool
			ops, conflict = windowOverrides(r.pins[i], r.periods[t0:t1+1])
			if conflict {
				vals[i], s.state[i] = math.NaN(), Missing
				s.why[i] = fmt.Sprintf("a scenario overrides %s in only some periods of the window", c.ID(i))
				continue
			}
			if setsAt(ops, from) {
				vals[i], _ = applyOverrides(ops, from, vals[i], true)
				s.state[i], s.why[i] = OK, ""
				continue
			}
		}
		// A formula that gives NaN or an infinity is not usable, whether its
		// inputs are observed, filled with 0 or partial.
		if st != Missing && !finite(vals[i]) {
			st = Invalid
			if s.why[i] == "" {
				s.why[i] = fmt.Sprintf("the formula gives %v", vals[i])
			}
		}
		if st == Missing {
			vals[i] = math.NaN()
		} else if ops != nil {
			vals[i], _ = applyOverrides(ops, from, vals[i], true)
		}
		s.state[i] = st
	}
	copy(s.vals, vals)
	return s
}

// valueAt returns node i's value at period index t: r's value inside the
// evaluated periods, the source's recorded value before them.
func (r *Result) valueAt(i, t int) (float64, State, string) {
	c := r.c
	if t >= 0 {
		k := t*c.Len() + i
		if st := r.state[k]; st == Missing || st == Invalid {
			return math.NaN(), Missing, fmt.Sprintf("%s has no value in %s", c.ID(i), r.periods[t])
		}
		return r.vals[k], r.state[k], ""
	}
	p := r.periods[0].Add(t)
	if v, ok := r.src.Value(c.ID(i), p); ok && finite(v) {
		return v, OK, ""
	}
	return math.NaN(), Missing, fmt.Sprintf("%s has no recorded value in %s, before the evaluated periods", c.ID(i), p)
}

// aggregate combines node i's values at period indices a..b by its
// aggregation (a weighted mean reads its weight's values at the same
// periods): the state is the worst of the values', and Missing, with the
// reason, when a value the aggregation needs is missing.
func (r *Result) aggregate(i, a, b int) (float64, State, string) {
	c := r.c
	m := c.Metric(i)
	how := m.AggregationOrDefault()
	switch how { // these need one end only
	case metric.Last:
		a = b
	case metric.First:
		b = a
	}
	w := -1 // the weight's node, for a weighted mean
	if how == metric.Mean && m.Weight != "" {
		w, _ = c.Index(m.Weight)
	}
	vals := make([]float64, 0, b-a+1)
	var weights []float64
	st := OK
	for t := a; t <= b; t++ {
		v, vs, why := r.valueAt(i, t)
		if vs == Missing {
			return math.NaN(), Missing, why
		}
		st = worse(st, vs)
		vals = append(vals, v)
		if w >= 0 {
			wv, ws, _ := r.valueAt(w, t)
			if ws == Missing {
				return math.NaN(), Missing, fmt.Sprintf("%s is weighted by %s, which has no value in %s", c.ID(i), c.ID(w), r.period(t))
			}
			if !(wv >= 0) || math.IsInf(wv, 0) {
				return math.NaN(), Missing, fmt.Sprintf("%s is weighted by %s, which is %v in %s; weights must be non-negative", c.ID(i), c.ID(w), wv, r.period(t))
			}
			st = worse(st, ws)
			weights = append(weights, wv)
		}
	}
	if w >= 0 {
		v, ok := how.ApplyWeighted(vals, weights)
		if !ok {
			return math.NaN(), Missing, fmt.Sprintf("%s is weighted by %s, which adds up to 0 over the window", c.ID(i), c.ID(w))
		}
		return v, st, ""
	}
	v, _ := how.Apply(vals)
	return v, st, ""
}

// cumulative reports whether m adds up over time: an explicit Sum
// aggregation, or no aggregation and a unit that is not a ratio or a
// percentage (a conversion rate is a level even when nobody said "mean").
func cumulative(m *metric.Metric) bool {
	if m.Aggregation != 0 {
		return m.Aggregation == metric.Sum
	}
	k := m.Unit.Kind()
	return k != metric.UnitRatio && k != metric.UnitPercent
}

// windowOverrides returns the overrides among ops that cover every one of
// periods, and whether some cover only part of them.
func windowOverrides(ops []Override, periods []metric.Period) (all []Override, conflict bool) {
	for _, o := range ops {
		n := 0
		for _, p := range periods {
			if o.When.Covers(p) {
				n++
			}
		}
		switch n {
		case len(periods):
			all = append(all, o)
		case 0:
		default:
			conflict = true
		}
	}
	return all, conflict
}
