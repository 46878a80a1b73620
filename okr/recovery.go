package okr

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/smart"
	"github.com/kpitree/kpitree/tree"
)

// The rule codes of DraftRecovery.
const (
	RuleKPILagging = "okr.kpi.lagging"
	RuleKPIRaised  = "okr.kpi.raised"
	RuleNoDrivers  = "okr.recovery.no-drivers"
)

// Trigger says why a KPI calls for an OKR.
type Trigger uint8

// The triggers.
const (
	// Lagging: the KPI is at risk or off track against its target.
	Lagging Trigger = iota + 1
	// Raised: a later target of the KPI is well above the earlier one.
	Raised
)

func (t Trigger) String() string {
	switch t {
	case Lagging:
		return "lagging"
	case Raised:
		return "raised"
	}
	return ""
}

// RecoveryOptions configure DraftRecovery. The zero value is the default.
type RecoveryOptions struct {
	// Thresholds for the KPI statuses (rollup's defaults).
	Thresholds rollup.Thresholds
	// Cycle of the drafted objectives; the zero Period means the quarter
	// after asOf.
	Cycle metric.Period
	// Raise is the relative increase of a target over the previous one
	// that counts as raised; default 0.1 (10%).
	Raise float64
	// Rules selects the rules that run.
	Rules check.Rules
}

// Draft is a recovery OKR drafted for one KPI.
type Draft struct {
	Metric  string
	Trigger Trigger
	// Target is the target the draft is for; Current the KPI's value in
	// the last period (asOf).
	Target  metric.Target
	Current float64
	// Objective is the drafted OKR: one key result per usable driver
	// below the KPI (formula inputs, causes of declared links, segments),
	// owned by the driver's owner and starting at its current value, and
	// an initiative per key success factor.
	Objective Objective
	// Notes explain the choices: drivers left out and why.
	Notes []string
}

// DraftRecovery finds the KPIs (and KGIs) of r's model that call for an
// OKR at period asOf — lagging their target (rollup.TrackAll status at
// risk or off track), or whose target was raised — and drafts a recovery
// objective for each: "Bring conversion_rate back to 8%", with key results
// from the leading drivers below it in the tree.
//
// Each driver's key result runs from its value at asOf to a proposal: its
// own target for the cycle when that is more demanding, otherwise the
// value that would close the KPI's relative gap alone — the gap divided by
// the driver's elasticity (computed by evaluating the KPI's formula with
// the driver 1% higher) for formula inputs, and the gap itself for causes
// and segments. The helpful direction comes from the elasticity's sign, or
// the declared link's sign; a driver whose helpful direction is against
// its own (fewer visitors to raise a conversion rate) is left out with a
// note. Drafts are proposals for people to edit, not plans.
func DraftRecovery(r *rollup.Result, asOf metric.Period, opt RecoveryOptions) ([]Draft, check.Findings, error) {
	c := r.Compiled()
	progs, err := rollup.TrackAll(r, asOf, opt.Thresholds)
	if err != nil {
		return nil, nil, err
	}
	cycle := opt.Cycle
	if cycle.IsZero() {
		cycle = metric.Of(metric.Quarter, asOf.End())
	}
	raise := opt.Raise
	if raise == 0 {
		raise = 0.1
	}
	var drafts []Draft
	var fs check.Findings
	add := func(f check.Finding) {
		if opt.Rules.Enabled(f.Rule) {
			fs = append(fs, f)
		}
	}
	done := map[string]bool{}
	for _, p := range progs {
		m := c.Model().Metric(p.Metric)
		if m == nil || m.Kind == metric.KSF || (p.Status != rollup.AtRisk && p.Status != rollup.OffTrack) || done[p.Metric] {
			continue
		}
		done[p.Metric] = true
		cur, _ := r.Value(p.Metric, asOf)
		add(check.Finding{Rule: RuleKPILagging, Severity: check.Warning, Nodes: []string{p.Metric},
			Message:  fmt.Sprintf("%s %s is %s against its target %s for %s (pace %.0f%%): it calls for an OKR.", m.Kind, p.Metric, p.Status, smart.FormatValue(p.Target.Value, m.Unit), p.Target.Period, 100*p.Pace),
			Hint:     fmt.Sprintf("Adopt the drafted objective \"Bring %s back to %s\" with key results on its drivers.", p.Metric, smart.FormatValue(p.Target.Value, m.Unit)),
			Evidence: []check.Evidence{check.E("pace", p.Pace), check.E("to_date", p.ToDate), check.E("expected", p.Expected), check.E("status", p.Status.String())}})
		basis := p.Projected
		if basis == 0 || math.IsNaN(basis) || math.IsInf(basis, 0) {
			basis = cur
		}
		drafts = append(drafts, draft(c, r, asOf, cycle, m, p.Target, cur, basis, Lagging, add))
	}
	for i := range c.Len() {
		m := c.Metric(i)
		if m.Kind == metric.KSF || done[m.ID] {
			continue
		}
		for _, pair := range raisedTargets(m, asOf, raise) {
			done[m.ID] = true
			cur, _ := r.Value(m.ID, asOf)
			add(check.Finding{Rule: RuleKPIRaised, Severity: check.Info, Nodes: []string{m.ID},
				Message:  fmt.Sprintf("The target of %s rises from %s (%s) to %s (%s): it calls for an OKR.", m.ID, smart.FormatValue(pair[0].Value, m.Unit), pair[0].Period, smart.FormatValue(pair[1].Value, m.Unit), pair[1].Period),
				Hint:     "Decide what will change to reach the new level; do not restate the target as a key result.",
				Evidence: []check.Evidence{check.E("from", pair[0].Value), check.E("to", pair[1].Value)}})
			drafts = append(drafts, draft(c, r, asOf, cycle, m, pair[1], cur, pair[0].Value, Raised, add))
			break
		}
	}
	check.Sort(fs)
	return drafts, fs, nil
}

// raisedTargets returns consecutive targets of one grain where the later,
// still current or upcoming at asOf, is more demanding by more than raise.
func raisedTargets(m *metric.Metric, asOf metric.Period, raise float64) [][2]metric.Target {
	ts := slices.Clone(m.Targets)
	slices.SortStableFunc(ts, func(a, b metric.Target) int { return a.Period.Compare(b.Period) })
	var out [][2]metric.Target
	for i, b := range ts {
		if !b.Period.End().After(asOf.Start()) {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			a := ts[j]
			if a.Period.Grain() != b.Period.Grain() || a.Period.End().After(b.Period.Start()) {
				continue
			}
			up := m.Direction == metric.HigherIsBetter || m.Direction == metric.Floor
			if (up && b.Value > a.Value+raise*math.Abs(a.Value)) || (!up && m.Direction != metric.Band && b.Value < a.Value-raise*math.Abs(a.Value)) {
				out = append(out, [2]metric.Target{a, b})
			}
			break
		}
	}
	return out
}

// draft builds the recovery objective for m; basis is the value the gap to
// the target is measured from (the projection at the deadline for a
// lagging KPI, the previous target for a raised one).
func draft(c *tree.Compiled, r *rollup.Result, asOf, cycle metric.Period, m *metric.Metric, t metric.Target, cur, basis float64, trig Trigger, add func(check.Finding)) Draft {
	d := Draft{Metric: m.ID, Trigger: trig, Target: t, Current: cur}
	title := fmt.Sprintf("Bring %s back to %s", m.ID, smart.FormatValue(t.Value, m.Unit))
	if trig == Raised {
		title = fmt.Sprintf("Lift %s to the new level of %s", m.ID, smart.FormatValue(t.Value, m.Unit))
	}
	o := Objective{ID: "recover_" + m.ID, Title: title, Owner: m.Owner, Level: Team, Cycle: cycle}
	if m.Owner == "" {
		o.Owner = "owner of " + m.ID
	}
	node, _ := c.Index(m.ID)
	down := m.Direction == metric.LowerIsBetter || m.Direction == metric.Ceiling
	gap := math.NaN()
	if basis != 0 && !math.IsNaN(basis) {
		gap = math.Abs(t.Value/basis - 1)
	}
	el := elasticities(c, r, asOf, node)
	for _, j := range c.Children(node) {
		dm := c.Metric(j)
		sign, how := driverSign(c, node, j, el)
		if sign == 0 {
			d.Notes = append(d.Notes, fmt.Sprintf("%s left out: its effect on %s has no known sign (%s).", dm.ID, m.ID, how))
			continue
		}
		if down {
			sign = -sign
		}
		ownDown := dm.Direction == metric.LowerIsBetter || dm.Direction == metric.Ceiling
		if (sign > 0 && ownDown) || (sign < 0 && !ownDown) {
			d.Notes = append(d.Notes, fmt.Sprintf("%s left out: helping %s would need it to move against its own direction (%s).", dm.ID, m.ID, dm.Direction))
			continue
		}
		v, ok := r.Value(dm.ID, asOf)
		if !ok {
			d.Notes = append(d.Notes, fmt.Sprintf("%s left out: no value in %s.", dm.ID, asOf))
			continue
		}
		move := gap
		if e, ok := el[j]; ok && how == "formula" && e != 0 && !math.IsNaN(e) {
			move = gap / math.Abs(e)
		}
		to := v * (1 + float64(sign)*move)
		source := "closes the gap alone"
		if own, ok := ownTarget(dm, cycle, asOf.Grain()); ok && ((sign > 0 && own > to) || (sign < 0 && own < to)) {
			to, source = own, "its own target"
		}
		if math.IsNaN(to) {
			d.Notes = append(d.Notes, fmt.Sprintf("%s left out: %s has no value to close a gap from.", dm.ID, m.ID))
			continue
		}
		to = roundNice(to)
		verb := "Raise"
		if sign < 0 {
			verb = "Lower"
		}
		owner := dm.Owner
		kr := KeyResult{ID: o.ID + "_" + dm.ID, Owner: owner, Kind: Measured, From: roundNice(v), To: to, Unit: dm.Unit, Metric: dm.ID,
			Title: fmt.Sprintf("%s %s from %s to %s", verb, dm.ID, smart.FormatValue(roundNice(v), dm.Unit), smart.FormatValue(to, dm.Unit))}
		if kr.From == kr.To {
			d.Notes = append(d.Notes, fmt.Sprintf("%s left out: no change needed.", dm.ID))
			continue
		}
		o.KeyResults = append(o.KeyResults, kr)
		d.Notes = append(d.Notes, fmt.Sprintf("%s: %s (%s).", kr.ID, how, source))
		if dm.Kind == metric.KSF {
			name := dm.Name
			if name == "" {
				name = dm.ID
			}
			o.Initiatives = append(o.Initiatives, Initiative{Title: name, Owner: dm.Owner})
		}
	}
	if len(o.KeyResults) == 0 {
		add(check.Finding{Rule: RuleNoDrivers, Severity: check.Info, Nodes: []string{m.ID},
			Message: fmt.Sprintf("No driver below %s could be drafted as a key result.", m.ID),
			Hint:    "Model its drivers (formula inputs or causal links) so that key results can target what the team moves each week."})
	}
	d.Objective = o
	return d
}

// ownTarget returns the value of the driver's target covering the cycle,
// if it is comparable with one period's value: a level (not summed), or a
// target of the data's grain.
func ownTarget(m *metric.Metric, cycle metric.Period, grain metric.Grain) (float64, bool) {
	for _, t := range m.Targets {
		comparable := m.AggregationOrDefault() != metric.Sum || t.Period.Grain() == grain
		if comparable && (t.Period.Contains(cycle) || cycle.Contains(t.Period)) {
			return t.Value, true
		}
	}
	return 0, false
}

// driverSign says which way driver j moves node: +1, -1 or 0, and how it
// is known ("formula", "link", "segment").
func driverSign(c *tree.Compiled, node, j int, el map[int]float64) (int, string) {
	if e, ok := el[j]; ok {
		switch {
		case e > 0:
			return 1, "formula"
		case e < 0:
			return -1, "formula"
		}
		return 0, "formula"
	}
	id, did := c.ID(node), c.ID(j)
	for _, l := range c.Model().Links {
		if l.To == id && l.From == did {
			return int(l.Sign), "link"
		}
	}
	for _, dec := range c.Model().Decompositions {
		if dec.Parent == id {
			for _, s := range dec.Segments {
				if s.Metric == did {
					return 1, "segment"
				}
			}
		}
	}
	return 0, "unknown"
}

// elasticities evaluates node's formula at asOf with each same-period
// input 1% higher: (Δnode/node)/(0.01). Inputs without a value, or a node
// without a formula, give none.
func elasticities(c *tree.Compiled, r *rollup.Result, asOf metric.Period, node int) map[int]float64 {
	out := map[int]float64{}
	pos := -1
	k := 0
	for n := range c.Order() {
		if n == node {
			pos = k
		}
		k++
	}
	if pos < 0 {
		return out
	}
	var ev tree.Evaluator
	ev.Bind(c)
	vals := ev.Values()
	for i := range c.Len() {
		v, ok := r.Value(c.ID(i), asOf)
		if !ok {
			v = math.NaN()
		}
		vals[i] = v
	}
	lag := ev.Lagged()
	for i, l := range c.Lags() {
		v, ok := r.Value(c.ID(l.Node), asOf.Add(-l.Lag))
		if !ok {
			v = math.NaN()
		}
		lag[i] = v
	}
	ev.RunNode(pos)
	base := vals[node]
	if base == 0 || math.IsNaN(base) || math.IsInf(base, 0) {
		return out
	}
	for _, d := range c.Deps(node) {
		if d.Lag != 0 {
			continue
		}
		x := vals[d.Node]
		if x == 0 || math.IsNaN(x) {
			continue
		}
		vals[d.Node] = x * 1.01
		ev.RunNode(pos)
		e := (vals[node]/base - 1) / 0.01
		vals[d.Node] = x
		if !math.IsNaN(e) && !math.IsInf(e, 0) {
			out[d.Node] = e
		}
	}
	return out
}

// roundNice rounds v to three significant digits.
func roundNice(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// String summarises a draft in a few lines.
func (d Draft) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Objective: %s (owner %s, %s, cycle %s)\n", d.Objective.Title, d.Objective.Owner, d.Trigger, d.Objective.Cycle)
	for _, kr := range d.Objective.KeyResults {
		fmt.Fprintf(&b, "  KR %s (owner %s)\n", kr.Title, kr.Owner)
	}
	for _, in := range d.Objective.Initiatives {
		fmt.Fprintf(&b, "  Initiative: %s (owner %s)\n", in.Title, in.Owner)
	}
	return b.String()
}
