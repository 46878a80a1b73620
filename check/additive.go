package check

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// additiveTolerance is the relative difference between a recomputed
// rollup and the sum of its periods below which they are taken as equal
// (rounding in the last digits).
const additiveTolerance = 1e-9

// Additivity reports derived metrics declared additive (a flow such as
// revenue: metric.Metric.Additive) whose value recomputed over a quarter
// or a year — what Rollup, Window and Track use — differs from the sum
// of their values in the periods inside (rule rollup.not-additive). The
// finding names the inputs aggregated otherwise than by a sum that the
// metric depends on, and, when the data shows which metric an input is
// an average of, the weight that makes it add up. Only quarters and years
// whose periods data holds in full, with usable values, are compared.
// Without data (nil) it checks only that each driver (metric.Metric.Driver)
// has a weighted mean: in what-if its numerator is a flow computed from it.
func Additivity(c *tree.Compiled, data *rollup.Result, opt Options) (Findings, error) {
	o, err := opt.resolve()
	if err != nil {
		return nil, err
	}
	if data != nil && data.Compiled() != c {
		return nil, ErrModelMismatch
	}
	fs := additivity(c, data, o)
	Sort(fs)
	return fs, nil
}

// driverWeights reports drivers averaged over time without a weight: in
// what-if analysis their numerator (orders = conversion_rate × visitors)
// is a flow computed from them, and it adds up over a quarter only if the
// driver's mean is weighted by its denominator.
func driverWeights(c *tree.Compiled) Findings {
	w := c.WhatIf()
	var out Findings
	for _, i := range c.Drivers() {
		m := c.Metric(i)
		if m.AggregationOrDefault() == metric.Mean && m.Weight != "" {
			continue
		}
		num, den := -1, []string(nil)
		for _, d := range c.Deps(i) {
			switch {
			case d.Lag != 0:
			case c.IsInput(d.Node) && !w.IsInput(d.Node):
				num = d.Node
			default:
				den = append(den, c.ID(d.Node))
			}
		}
		if num < 0 {
			continue
		}
		hint := fmt.Sprintf("give %s aggregation: mean with a weight: the metric it is a rate of", m.ID)
		if len(den) == 1 {
			hint = fmt.Sprintf("give %s aggregation: mean with weight: %s", m.ID, den[0])
		}
		out = append(out, Finding{Rule: "rollup.not-additive", Severity: Warning, Nodes: []string{m.ID, c.ID(num)},
			Message: fmt.Sprintf("In what-if analysis %s is computed from the driver %s, which is aggregated over time by %s without a weight: a scenario's %s over a quarter or a year will not be the sum of its periods.",
				c.ID(num), m.ID, m.AggregationOrDefault(), c.ID(num)),
			Hint:     hint,
			Evidence: []Evidence{E("driver", m.ID), E("formula", m.Formula), E("aggregation", m.AggregationOrDefault().String())}})
	}
	return out
}

func additivity(c *tree.Compiled, data *rollup.Result, o resolved) Findings {
	if !o.Rules.Enabled("rollup.not-additive") {
		return nil
	}
	out := driverWeights(c)
	if data == nil {
		return out
	}
	groups := coarseGroups(c, data.Periods())
	for i := range c.Len() {
		m := c.Metric(i)
		if !m.Additive || !m.Derived() {
			continue
		}
		var worst struct {
			period          metric.Period
			rolled, sum, rd float64
		}
		differ := 0
		for _, g := range groups {
			sum, ok := 0.0, true
			for _, p := range g.periods {
				v, vok := data.Value(m.ID, p)
				ok = ok && vok
				sum += v
			}
			if !ok {
				continue
			}
			snap, err := data.Window(g.periods[0], g.periods[len(g.periods)-1])
			if err != nil {
				continue
			}
			rolled, rok := snap.Value(m.ID)
			if !rok {
				continue
			}
			rd := math.Abs(rolled-sum) / math.Max(math.Abs(sum), math.SmallestNonzeroFloat64)
			if rd <= additiveTolerance {
				continue
			}
			differ++
			if rd > worst.rd {
				worst.period, worst.rolled, worst.sum, worst.rd = g.coarse, rolled, sum, rd
			}
		}
		if differ == 0 {
			continue
		}
		causes := averagedInputs(c, i)
		f := Finding{Rule: "rollup.not-additive", Severity: Warning, Nodes: append([]string{m.ID}, causes...),
			Evidence: []Evidence{
				E("period", worst.period.String()), E("rollup", num(worst.rolled)), E("sum_of_periods", num(worst.sum)),
				E("relative_difference", num(worst.rd)), E("periods_differing", differ),
			}}
		what := fmt.Sprintf("%s is declared additive, but its rollup over %s is %s while its periods add up to %s (%+.2f%%); %d of %d quarters and years differ.",
			m.ID, worst.period, amount(worst.rolled), amount(worst.sum), 100*(worst.rolled/worst.sum-1), differ, len(groups))
		switch len(causes) {
		case 0:
			f.Message = what + " No input it depends on is averaged: its formula is not linear in its summed inputs."
			f.Hint = "remove additive if the metric is a level, not a flow, or rewrite the formula so that it adds up"
		default:
			f.Message = what + fmt.Sprintf(" It depends on %s, aggregated by %s rather than summed.", listOrNone(causes), aggregations(c, causes))
			var hints []string
			for _, a := range causes {
				if w := weightFor(c, data, i, a); w != "" {
					hints = append(hints, fmt.Sprintf("give %s aggregation: mean with weight: %s", a, w))
				}
			}
			if hints == nil {
				hints = append(hints, fmt.Sprintf("aggregate %s as a mean weighted by the quantity it is an average of (weight: orders for an average order value)", strings.Join(causes, " and ")))
			}
			f.Hint = strings.Join(hints, "; ")
		}
		out = append(out, f)
	}
	return out
}

// group is a quarter or year and the evaluated periods inside it.
type group struct {
	coarse  metric.Period
	periods []metric.Period
}

// coarseGroups returns the quarters and years (coarser than the model's
// grain) whose every period is among periods, in time order.
func coarseGroups(c *tree.Compiled, periods []metric.Period) []group {
	fine := c.Model().GrainOrDefault()
	var out []group
	for _, g := range []metric.Grain{metric.Quarter, metric.Year} {
		if g <= fine || fine == metric.Week {
			continue
		}
		var cur *group
		for _, p := range periods {
			q, err := p.In(g)
			if err != nil {
				break
			}
			if cur == nil || cur.coarse != q {
				out = append(out, group{coarse: q})
				cur = &out[len(out)-1]
			}
			cur.periods = append(cur.periods, p)
		}
	}
	// keep the complete ones
	return slices.DeleteFunc(out, func(g group) bool {
		return !g.periods[0].Start().Equal(g.coarse.Start()) || !g.periods[len(g.periods)-1].End().Equal(g.coarse.End()) ||
			g.periods[len(g.periods)-1].Sub(g.periods[0]) != len(g.periods)-1
	})
}

// averagedInputs returns the inputs node i depends on in the same period
// whose aggregation over time is not a sum (a mean without a weight, a
// last, min or max value), in declaration order.
func averagedInputs(c *tree.Compiled, i int) []string {
	var out []string
	seen := make([]bool, c.Len())
	var walk func(j int)
	walk = func(j int) {
		if seen[j] {
			return
		}
		seen[j] = true
		if c.IsInput(j) {
			m := c.Metric(j)
			if a := m.AggregationOrDefault(); a != metric.Sum && (a != metric.Mean || m.Weight == "") {
				out = append(out, m.ID)
			}
			return
		}
		for _, d := range c.Deps(j) {
			if d.Lag == 0 {
				walk(d.Node)
			}
		}
	}
	walk(i)
	slices.SortFunc(out, func(a, b string) int {
		x, _ := c.Index(a)
		y, _ := c.Index(b)
		return x - y
	})
	return out
}

// aggregations names the aggregation of each id: "mean" or "mean and last".
func aggregations(c *tree.Compiled, ids []string) string {
	var names []string
	for _, id := range ids {
		i, _ := c.Index(id)
		if n := c.Metric(i).AggregationOrDefault().String(); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, " and ")
}

// weightFor finds the metric an averaged input a is an average of, for
// the additive metric i: one whose value is i / a in every period (orders
// for revenue = orders × avg_order_value), or "".
func weightFor(c *tree.Compiled, data *rollup.Result, i int, a string) string {
	periods := data.Periods()
	ai, _ := c.Index(a)
	if c.Metric(ai).AggregationOrDefault() != metric.Mean {
		return ""
	}
	ratio := make([]float64, 0, len(periods))
	for _, p := range periods {
		v, ok1 := data.Value(c.ID(i), p)
		x, ok2 := data.Value(a, p)
		if !ok1 || !ok2 || x == 0 {
			return ""
		}
		ratio = append(ratio, v/x)
	}
	for w := range c.Len() {
		if w == i || w == ai || c.Metric(w).AggregationOrDefault() != metric.Sum {
			continue
		}
		match := true
		for t, p := range periods {
			v, ok := data.Value(c.ID(w), p)
			if !ok || math.Abs(v-ratio[t]) > 1e-9*math.Max(math.Abs(v), math.Abs(ratio[t])) {
				match = false
				break
			}
		}
		if match {
			return c.ID(w)
		}
	}
	return ""
}

// amount writes a value with up to 12 significant digits: 88620760.
func amount(v float64) string { return fmt.Sprintf("%.12g", v) }
