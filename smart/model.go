package smart

import (
	"fmt"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// RuleKPINoTarget reports a KGI or KPI with no target at all: it cannot
// be SMART.
const RuleKPINoTarget = "smart.measurable.no-kpi-target"

// CheckModel reviews every target of every metric of c, with the
// metric's history from data (nil for none) and c as the tree for the
// Relevant check (opt.Model and opt.Data are overridden). A KGI or KPI
// without any target is a finding too. It returns all findings, sorted,
// and one report per target in declaration order.
func CheckModel(c *tree.Compiled, data *rollup.Result, opt Options) (check.Findings, []Report) {
	opt.Model, opt.Data = c, data
	var all check.Findings
	var reports []Report
	for i := range c.Len() {
		m := c.Metric(i)
		if len(m.Targets) == 0 {
			if (m.Kind == metric.KGI || m.Kind == metric.KPI) && opt.Rules.Enabled(RuleKPINoTarget) {
				all = append(all, check.Finding{
					Rule: RuleKPINoTarget, Severity: check.Info, Nodes: []string{m.ID},
					Message: fmt.Sprintf("%s %q has no target.", m.Kind, m.ID),
					Hint:    "Give it a number and a period, or mark it as a tracked input rather than a goal.",
				})
			}
			continue
		}
		for k, t := range m.Targets {
			g := FromMetric(m, t)
			if len(m.Targets) > 1 {
				g.ID = fmt.Sprintf("%s@%s", m.ID, t.Period)
				if t.Period.IsZero() {
					g.ID = fmt.Sprintf("%s#%d", m.ID, k)
				}
			}
			r := Check(g, opt)
			all = append(all, r.Findings...)
			reports = append(reports, r)
		}
	}
	check.Sort(all)
	return all, reports
}
