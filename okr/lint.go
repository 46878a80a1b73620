package okr

import (
	"embed"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/internal/words"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// The rule codes of Lint.
const (
	RuleKRCount       = "okr.objective.kr-count"
	RuleNoOwner       = "okr.objective.no-owner"
	RuleNumericTitle  = "okr.objective.numeric-title"
	RuleActivity      = "okr.kr.activity"
	RuleInitiative    = "okr.kr.initiative"
	RuleRestatesKPI   = "okr.kr.restates-kpi"
	RuleUnknownMetric = "okr.kr.unknown-metric"
	RuleUnknownParent = "okr.align.unknown-parent"
	RuleAlignCycle    = "okr.align.cycle"
	RuleOrphan        = "okr.align.orphan"
	RuleLevel         = "okr.align.level"
)

//go:embed words/*.txt
var wordFiles embed.FS

// ActivityWords returns the built-in words that start an activity-style
// key result for a language ("en" or "vi"), lower-case; nil for others.
func ActivityWords(lang string) []string {
	return words.Load(wordFiles, "words/activity_"+lang+".txt")
}

var builtinActivity = append(ActivityWords("en"), ActivityWords("vi")...)

func tokens(s string) []string { return words.Tokens(s) }

// activityVerb returns the activity word or phrase title starts with, or "".
func activityVerb(title string, extra []string) string {
	words := tokens(title)
	best := ""
	for _, w := range append(slices.Clone(builtinActivity), extra...) {
		p := tokens(w)
		if len(p) > 0 && len(p) <= len(words) && slices.Equal(words[:len(p)], p) && len(strings.Join(p, " ")) > len(best) {
			best = strings.Join(p, " ")
		}
	}
	return best
}

// Lint reviews the structure of s: 3 to 5 key results per objective,
// owners, objectives that are numbers, activity-style key results, key
// results that are initiatives (0→100%), key results that restate a KPI
// target of the tree (opt.Model or opt.Data), and the alignment tree
// (unknown parents, cycles, orphans, levels). The findings are sorted.
func Lint(s *Set, opt Options) check.Findings {
	var fs check.Findings
	add := func(rule string, sev check.Severity, nodes []string, msg, hint string, ev ...check.Evidence) {
		if opt.Rules.Enabled(rule) {
			fs = append(fs, check.Finding{Rule: rule, Severity: sev, Nodes: nodes, Message: msg, Hint: hint, Evidence: ev})
		}
	}
	c := opt.model()
	for oi := range s.Objectives {
		o := &s.Objectives[oi]
		if n := len(o.KeyResults); n < 3 || n > 5 {
			add(RuleKRCount, check.Warning, []string{o.ID},
				fmt.Sprintf("Objective %q has %d key results; 3 to 5 keep it focused and measurable.", o.ID, n),
				"Merge or drop key results, or add the outcomes that show the objective is met.", check.E("key_results", n))
		}
		if o.Owner == "" {
			add(RuleNoOwner, check.Warning, []string{o.ID}, fmt.Sprintf("Objective %q has no owner.", o.ID), "Name the person or team accountable.")
		}
		if strings.ContainsFunc(o.Title, unicode.IsDigit) {
			add(RuleNumericTitle, check.Info, []string{o.ID},
				fmt.Sprintf("Objective %q has a number in its title %q; objectives are qualitative.", o.ID, o.Title),
				"Move the number into a key result.")
		}
		for ki := range o.KeyResults {
			kr := &o.KeyResults[ki]
			nodes := []string{kr.ID, o.ID}
			if v := activityVerb(kr.Title, opt.ActivityWords); v != "" {
				add(RuleActivity, check.Warning, nodes,
					fmt.Sprintf("Key result %q (%q) describes an activity (%q), not an outcome.", kr.ID, kr.Title, v),
					"Measure the result the activity should bring (\"response rate from 4% to 15%\"), and list the activity as an initiative.")
			}
			if kr.Kind == Measured && kr.From == 0 && ((kr.To == 100 && kr.Unit.Kind() == metric.UnitPercent) || (kr.To == 1 && kr.Unit.Kind() == metric.UnitRatio)) {
				add(RuleInitiative, check.Warning, nodes,
					fmt.Sprintf("Key result %q runs from 0 to 100%%: it tracks the completion of a piece of work.", kr.ID),
					"Make it an initiative, and measure what finishing it should change.")
			}
			if kr.Metric == "" || c == nil {
				continue
			}
			i, ok := c.Index(kr.Metric)
			if !ok {
				add(RuleUnknownMetric, check.Warning, nodes, fmt.Sprintf("Key result %q is bound to %q, which is not in the tree.", kr.ID, kr.Metric),
					"Bind it to a metric of the model, or remove the binding.")
				continue
			}
			if kr.Kind == Binary || kr.Kind == Milestone {
				continue
			}
			cycle := s.CycleOf(o)
			for _, t := range c.Metric(i).Targets {
				overlap := t.Period.Contains(cycle) || cycle.Contains(t.Period)
				if overlap && math.Abs(t.Value-kr.To) <= 1e-9*math.Max(1, math.Abs(t.Value)) {
					add(RuleRestatesKPI, check.Warning, append(nodes, kr.Metric),
						fmt.Sprintf("Key result %q restates the KPI target of %s (%g in %s).", kr.ID, kr.Metric, t.Value, t.Period),
						"Pick something the team moves every week"+driverHint(c, i)+".",
						check.E("kpi_target", t.Value), check.E("period", t.Period.String()))
					break
				}
			}
		}
	}
	lintAlignment(s, add)
	check.Sort(fs)
	return fs
}

// driverHint names the drivers below node i: ", such as a driver of x: a, b".
func driverHint(c *tree.Compiled, i int) string {
	ch := c.Children(i)
	if len(ch) == 0 {
		return ""
	}
	ids := make([]string, len(ch))
	for k, j := range ch {
		ids[k] = c.ID(j)
	}
	return fmt.Sprintf(", such as a driver of %s: %s", c.ID(i), strings.Join(ids, ", "))
}

func lintAlignment(s *Set, add func(string, check.Severity, []string, string, string, ...check.Evidence)) {
	owner := map[string]int{}
	for i, o := range s.Objectives {
		owner[o.ID] = i
		for _, kr := range o.KeyResults {
			owner[kr.ID] = i
		}
	}
	parent := make([]int, len(s.Objectives))
	for i, o := range s.Objectives {
		parent[i] = -1
		if o.Parent == "" {
			if o.Level == Team || o.Level == Person {
				add(RuleOrphan, check.Warning, []string{o.ID},
					fmt.Sprintf("%s objective %q is aligned to nothing.", titleCase(o.Level.String()), o.ID),
					"Set its parent to the company or team objective (or key result) it contributes to.")
			}
			continue
		}
		p, ok := owner[o.Parent]
		if !ok {
			add(RuleUnknownParent, check.Error, []string{o.ID, o.Parent},
				fmt.Sprintf("Objective %q is aligned to %q, which is not in the set.", o.ID, o.Parent), "Fix the parent id.")
			continue
		}
		parent[i] = p
		if pl := s.Objectives[p].Level; o.Level != 0 && pl != 0 && o.Level <= pl && p != i {
			add(RuleLevel, check.Warning, []string{o.ID, s.Objectives[p].ID},
				fmt.Sprintf("%s objective %q is aligned to %s objective %q; alignment runs company → team → person.", titleCase(o.Level.String()), o.ID, pl, s.Objectives[p].ID),
				"Align it to an objective of a higher level.")
		}
	}
	// Cycles: report each cycle once, from its first objective in
	// declaration order, in the order of the first objective leading to
	// it; every objective is visited once.
	onCycle := alignmentCycles(parent)
	reported := make([]bool, len(s.Objectives))
	walk := make([]int, len(s.Objectives))
	for i := range s.Objectives {
		k := i
		for k >= 0 && walk[k] == 0 && !onCycle[k] {
			walk[k] = i + 1
			k = parent[k]
		}
		if k < 0 || !onCycle[k] || reported[k] {
			continue
		}
		var loop []int
		for j := k; ; {
			loop = append(loop, j)
			reported[j] = true
			if j = parent[j]; j == k {
				break
			}
		}
		// rotate so the loop starts at its first objective
		r := slices.Index(loop, slices.Min(loop))
		loop = append(slices.Clone(loop[r:]), loop[:r]...)
		ids := make([]string, 0, len(loop)+1)
		for _, j := range loop {
			ids = append(ids, s.Objectives[j].ID)
		}
		ids = append(ids, ids[0])
		add(RuleAlignCycle, check.Error, ids[:len(ids)-1],
			fmt.Sprintf("Alignment loops: %s.", strings.Join(ids, " → ")), "Break the loop: a child cannot contribute to its own ancestor.")
	}
}

func titleCase(s string) string {
	if s == "" {
		return "Unlevelled"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
