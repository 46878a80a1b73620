package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// Structure runs the structure.* rules on the model alone: reachability
// of a KGI, KSFs that drive nothing, gaps between levels, too many
// children, too deep a tree, decompositions that disagree with formulas,
// missing owners, sources, frequencies and targets, and (when
// Options.CounterMetrics is set) growth KPIs without a counter-metric.
// It needs no data and cannot fail.
func Structure(c *tree.Compiled, opt Options) Findings {
	r, _ := opt.resolve() // the fields used here have no invalid values
	fs := structure(c, newGraph(c), r)
	Sort(fs)
	return fs
}

func structure(c *tree.Compiled, g *graph, o resolved) Findings {
	var out Findings
	emit := func(f Finding) {
		if o.Rules.Enabled(f.Rule) {
			out = append(out, f)
		}
	}
	n := c.Len()
	kind := func(i int) metric.Kind { return c.Metric(i).Kind }
	var kgis []int
	for i := range n {
		if kind(i) == metric.KGI {
			kgis = append(kgis, i)
		}
	}
	if len(kgis) == 0 && n > 0 {
		emit(Finding{Rule: "structure.no-kgi", Severity: Error,
			Message:  "The tree has no KGI: there is no final goal for the KPIs to serve.",
			Hint:     "mark the final goal (revenue, satisfaction, contracts) as kind KGI",
			Evidence: []Evidence{E("metrics", n)}})
	}
	// leadsToKGI[i]: some KGI is reachable from i going up (a path of at
	// least one edge): one search down from all KGIs at once.
	leadsToKGI := reachFrom(kgis, g.down)
	for i := range n {
		id := c.ID(i)
		m := c.Metric(i)
		switch m.Kind {
		case metric.KPI:
			if len(kgis) > 0 {
				if !leadsToKGI[i] {
					emit(Finding{Rule: "structure.kpi-without-kgi", Severity: Warning, Nodes: []string{id},
						Message:  fmt.Sprintf("KPI %s does not lead to any KGI through formulas, links or decompositions.", name(m)),
						Hint:     "use it in a formula, declare a causal link to the metric it moves, or remove it",
						Evidence: []Evidence{E("parents", ids(c, g.up[i]))}})
				}
			}
		case metric.KSF:
			if len(g.up[i]) == 0 {
				emit(Finding{Rule: "structure.ksf-drives-nothing", Severity: Warning, Nodes: []string{id},
					Message: fmt.Sprintf("Success factor %s drives nothing: no link or formula connects it to a KPI.", name(m)),
					Hint:    "declare a causal link from it to the KPI it is meant to move"})
			} else if !slices.ContainsFunc(g.up[i], func(p int) bool { return kind(p) != metric.KGI }) {
				emit(Finding{Rule: "structure.level-gap", Severity: Warning, Nodes: append([]string{id}, ids(c, g.up[i])...),
					Message:  fmt.Sprintf("Success factor %s is linked straight to a KGI, skipping the KPI level.", name(m)),
					Hint:     "name the KPI it moves and link it to that KPI",
					Evidence: []Evidence{E("parents", ids(c, g.up[i]))}})
			}
		case metric.KGI:
			if !slices.ContainsFunc(g.down[i], func(ch int) bool { return kind(ch) == metric.KPI }) {
				emit(Finding{Rule: "structure.level-gap", Severity: Warning, Nodes: []string{id},
					Message:  fmt.Sprintf("KGI %s has no KPI beneath it: nothing measurable is linked to it by a formula, link or decomposition.", name(m)),
					Hint:     "work backwards from the KGI: derive the KPIs that produce it",
					Evidence: []Evidence{E("children", ids(c, g.down[i]))}})
			}
		}
		if k := len(g.down[i]); k > o.MaxChildren {
			emit(Finding{Rule: "structure.too-many-children", Severity: Warning, Nodes: []string{id},
				Message:  fmt.Sprintf("%s has %d children, more than the %d anyone can watch.", name(m), k, o.MaxChildren),
				Hint:     "group the children under intermediate KPIs",
				Evidence: []Evidence{E("children", ids(c, g.down[i])), E("count", k), E("limit", o.MaxChildren)}})
		}
		metadata(m, emit)
	}
	// Depth, measured down from each KGI.
	lp := longestPaths(g.down)
	for _, k := range kgis {
		p := lp.from(k)
		if len(p) > o.MaxDepth {
			emit(Finding{Rule: "structure.too-deep", Severity: Warning, Nodes: ids(c, p),
				Message:  fmt.Sprintf("The tree under %s is %d levels deep, more than %d: the chain from action to goal is too long to manage.", name(c.Metric(k)), len(p), o.MaxDepth),
				Hint:     "flatten intermediate levels or split the goal",
				Evidence: []Evidence{E("depth", len(p)), E("limit", o.MaxDepth), E("path", ids(c, p))}})
		}
	}
	// Decompositions against formulas.
	for _, d := range c.Model().Decompositions {
		p, ok := c.Index(d.Parent)
		if !ok || c.IsInput(p) {
			continue
		}
		var inputs []string
		for _, dep := range c.Deps(p) {
			if dep.Lag == 0 {
				inputs = append(inputs, c.ID(dep.Node))
			}
		}
		var segs []string
		for _, s := range d.Segments {
			segs = append(segs, s.Metric)
		}
		var notUsed, notSeg []string
		for _, s := range segs {
			if !slices.Contains(inputs, s) {
				notUsed = append(notUsed, s)
			}
		}
		for _, in := range inputs {
			if !slices.Contains(segs, in) {
				notSeg = append(notSeg, in)
			}
		}
		if len(notUsed) > 0 || len(notSeg) > 0 {
			emit(Finding{Rule: "structure.children-formula-mismatch", Severity: Warning, Nodes: append([]string{d.Parent}, segs...),
				Message: fmt.Sprintf("%s is split into %d segments, but its formula %q uses %s.",
					name(c.Metric(p)), len(segs), c.Metric(p).Formula, listOrNone(inputs)),
				Hint: "make the formula the sum of the segments, or fix the decomposition",
				Evidence: []Evidence{E("segments", segs), E("formula_inputs", inputs),
					E("segments_not_in_formula", notUsed), E("formula_inputs_not_segments", notSeg)}})
		}
	}
	if o.CounterMetrics {
		counterMetrics(c, g, emit)
	}
	return out
}

func metadata(m *metric.Metric, emit func(Finding)) {
	id := []string{m.ID}
	if m.Owner == "" {
		emit(Finding{Rule: "structure.no-owner", Severity: Warning, Nodes: id,
			Message: fmt.Sprintf("%s %s has no owner: nobody answers for it.", m.Kind, name(m)),
			Hint:    "set owner to the person or team accountable"})
	}
	if m.Kind == metric.KSF {
		return
	}
	if m.Source == "" {
		emit(Finding{Rule: "structure.no-source", Severity: Info, Nodes: id,
			Message: fmt.Sprintf("%s %s names no data source or tool.", m.Kind, name(m)),
			Hint:    "set source to where the numbers come from"})
	}
	if m.Frequency == 0 {
		emit(Finding{Rule: "structure.no-frequency", Severity: Info, Nodes: id,
			Message: fmt.Sprintf("%s %s has no measurement frequency.", m.Kind, name(m)),
			Hint:    "set frequency (day, week, month, quarter or year)"})
	}
	if len(m.Targets) == 0 {
		sev := Info
		if m.Kind == metric.KGI {
			sev = Warning
		}
		emit(Finding{Rule: "structure.no-target", Severity: sev, Nodes: id,
			Message: fmt.Sprintf("%s %s has no target: it is not a number with a deadline.", m.Kind, name(m)),
			Hint:    "add a target with a value and a period"})
	}
}

// counterMetrics: a KPI that should grow is guarded when a metric whose
// lower values are better is linked to it (either way), shares a parent
// with it, or carries the label counter_for=<id>.
func counterMetrics(c *tree.Compiled, g *graph, emit func(Finding)) {
	lower := func(j int) bool {
		d := c.Metric(j).Direction
		return d == metric.LowerIsBetter || d == metric.Ceiling
	}
	for i := range c.Len() {
		m := c.Metric(i)
		if m.Kind != metric.KPI || m.Direction != metric.HigherIsBetter {
			continue
		}
		guarded := false
		for j := range c.Len() {
			if c.Metric(j).Label("counter_for") == m.ID {
				guarded = true
			}
		}
		for _, l := range c.Model().Links {
			var other string
			switch m.ID {
			case l.From:
				other = l.To
			case l.To:
				other = l.From
			default:
				continue
			}
			if j, ok := c.Index(other); ok && lower(j) {
				guarded = true
			}
		}
		for _, p := range g.up[i] {
			if slices.ContainsFunc(g.down[p], lower) {
				guarded = true
			}
		}
		if !guarded {
			emit(Finding{Rule: "structure.no-counter-metric", Severity: Info, Nodes: []string{m.ID},
				Message: fmt.Sprintf("Growth KPI %s has no counter-metric: pushing it up could hurt something nobody watches.", name(m)),
				Hint:    "pair it with a metric that must stay low (bounce rate, churn, cost per acquisition), or label one counter_for: " + m.ID})
		}
	}
}

func name(m *metric.Metric) string {
	if m.Name != "" && m.Name != m.ID {
		return fmt.Sprintf("%q (%s)", m.Name, m.ID)
	}
	return m.ID
}

func ids(c *tree.Compiled, nodes []int) []string {
	out := make([]string, len(nodes))
	for k, i := range nodes {
		out[k] = c.ID(i)
	}
	return out
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none of them"
	}
	return strings.Join(s, ", ")
}
