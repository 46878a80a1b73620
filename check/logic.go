package check

import (
	"fmt"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// TargetLogic reports logic.kpis-met-kgi-missed: a KGI missed a target
// whose period has ended by asOf although every KPI beneath it (reached
// through formulas, links and decompositions) met each of its targets
// that falls within that period — the situation in which practitioners
// say the tree itself is wrong. A KGI with no KPI target in the period is
// not judged; a target that cannot be measured (no data) counts as not
// met. asOf is a period of the model's grain. data may be nil (no
// findings).
func TargetLogic(c *tree.Compiled, data *rollup.Result, asOf metric.Period, opt Options) (Findings, error) {
	if _, err := opt.resolve(); err != nil {
		return nil, err
	}
	if data == nil {
		return nil, nil
	}
	if data.Compiled() != c {
		return nil, ErrModelMismatch
	}
	if g := c.Model().GrainOrDefault(); asOf.Grain() != g {
		return nil, fmt.Errorf("%w: asOf %s is not a %s", ErrOptions, asOf, g)
	}
	if !opt.Rules.Enabled("logic.kpis-met-kgi-missed") {
		return nil, nil
	}
	fs := targetLogic(c, newGraph(c), data, asOf)
	Sort(fs)
	return fs, nil
}

type judged struct {
	id     string
	target metric.Target
	actual float64
	met    bool
}

func (j judged) evidence() map[string]any {
	return map[string]any{"metric": j.id, "period": j.target.Period.String(), "target": j.target.Value, "actual": num(j.actual), "met": j.met}
}

func judge(data *rollup.Result, m *metric.Metric, t metric.Target, asOf metric.Period) (judged, bool) {
	if t.Period.End().After(asOf.End()) {
		return judged{}, false // still running
	}
	p, err := rollup.Track(data, m.ID, t, asOf, rollup.Thresholds{})
	if err != nil || p.Status == rollup.NoData {
		return judged{id: m.ID, target: t, actual: p.ToDate}, true
	}
	return judged{id: m.ID, target: t, actual: p.ToDate, met: rollup.Met(m.Direction, t, p.ToDate)}, true
}

func targetLogic(c *tree.Compiled, g *graph, data *rollup.Result, asOf metric.Period) Findings {
	var out Findings
	for k := range c.Len() {
		kgi := c.Metric(k)
		if kgi.Kind != metric.KGI {
			continue
		}
		below := reach(k, g.down)
		for _, t := range kgi.Targets {
			top, ok := judge(data, kgi, t, asOf)
			if !ok || top.met {
				continue
			}
			var kpis []judged
			allMet := true
			for i := range c.Len() {
				m := c.Metric(i)
				if !below[i] || m.Kind != metric.KPI {
					continue
				}
				for _, kt := range m.Targets {
					if !t.Period.Contains(kt.Period) {
						continue
					}
					j, ok := judge(data, m, kt, asOf)
					if !ok {
						continue
					}
					kpis = append(kpis, j)
					allMet = allMet && j.met
				}
			}
			if len(kpis) == 0 || !allMet {
				continue
			}
			nodes := []string{kgi.ID}
			ev := []Evidence{E("kgi", top.evidence())}
			var kev []map[string]any
			for _, j := range kpis {
				if nodes[len(nodes)-1] != j.id {
					nodes = append(nodes, j.id)
				}
				kev = append(kev, j.evidence())
			}
			ev = append(ev, E("kpis", kev))
			out = append(out, Finding{Rule: "logic.kpis-met-kgi-missed", Severity: Error, Nodes: nodes,
				Message: fmt.Sprintf("Every KPI under %s met its %s targets (%d of %d), yet the KGI missed its target (%s against %s): the tree's logic is wrong.",
					name(kgi), t.Period, len(kpis), len(kpis), human(top.actual), human(t.Value)),
				Hint:     "a driver is missing or a KPI target is too low: revisit the decomposition and reset the indicators",
				Evidence: ev})
		}
	}
	return out
}
