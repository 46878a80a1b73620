package check

import (
	"fmt"
	"math"

	"github.com/kpitree/kpitree/internal/stats"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// Duplicates reports metrics that track the same information twice:
// derived metrics whose formulas are the same in canonical form
// (mece.duplicate-formula), and pairs of metrics whose transformed
// series are nearly identical, |Pearson r| ≥ Options.DuplicateCorrelation
// (mece.duplicate-series). A metric and the metrics its formula reads
// directly are not compared: they are related by definition. data may be
// nil (formulas only).
func Duplicates(c *tree.Compiled, data *rollup.Result, opt Options) (Findings, error) {
	o, err := opt.resolve()
	if err != nil {
		return nil, err
	}
	if data != nil && data.Compiled() != c {
		return nil, ErrModelMismatch
	}
	fs := duplicates(c, newGraph(c), data, o)
	Sort(fs)
	return fs, nil
}

// canonicalFormulas returns each derived metric's formula in canonical
// form ("" for inputs and Go-function nodes).
func canonicalFormulas(c *tree.Compiled) []string {
	out := make([]string, c.Len())
	for i := range c.Len() {
		out[i] = c.Canonical(i)
	}
	return out
}

func duplicates(c *tree.Compiled, g *graph, data *rollup.Result, o resolved) Findings {
	var out Findings
	n := c.Len()
	if o.Rules.Enabled("mece.duplicate-formula") {
		canon := canonicalFormulas(c)
		same := map[string][]int{} // nodes by formula, in order: pairs cost their number, not n²
		for i := range n {
			if canon[i] != "" {
				same[canon[i]] = append(same[canon[i]], i)
			}
		}
		for i := range n {
			if canon[i] == "" {
				continue
			}
			for _, j := range same[canon[i]] {
				if j > i {
					out = append(out, Finding{Rule: "mece.duplicate-formula", Severity: Warning, Nodes: []string{c.ID(i), c.ID(j)},
						Message:  fmt.Sprintf("%s and %s have the same formula: they track the same thing twice.", c.ID(i), c.ID(j)),
						Hint:     "keep one of them",
						Evidence: []Evidence{E("formula", canon[i])}})
				}
			}
		}
	}
	if data == nil || !o.Rules.Enabled("mece.duplicate-series") {
		return out
	}
	related := func(i, j int) bool {
		for _, k := range g.formulaIn[i] {
			if k == j {
				return true
			}
		}
		return false
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			if related(i, j) || related(j, i) || segmentOf(c, i, j) || segmentOf(c, j, i) {
				continue
			}
			pr := prepare(data, c.ID(i), c.ID(j), o)
			if pr.problem != "" {
				continue
			}
			p, err := stats.Pearson(pr.x, pr.y)
			if err != nil || math.Abs(p.R) < o.DuplicateCorrelation {
				continue
			}
			out = append(out, Finding{Rule: "mece.duplicate-series", Severity: Warning, Nodes: []string{c.ID(i), c.ID(j)},
				Message: fmt.Sprintf("%s and %s move together almost exactly (r = %.3f after %v): they may track the same information twice.",
					c.ID(i), c.ID(j), p.R, pr.transform),
				Hint: "keep one, or explain why both are needed",
				Evidence: []Evidence{E("pearson_r", p.R), E("threshold", o.DuplicateCorrelation), E("transform", pr.transform.String()),
					E("periods", pr.periods()), E("n", len(pr.x))}})
		}
	}
	return out
}

// segmentOf reports whether j is a segment of a decomposition of i.
func segmentOf(c *tree.Compiled, i, j int) bool {
	for _, d := range c.Model().Decompositions {
		if d.Parent != c.ID(i) {
			continue
		}
		for _, s := range d.Segments {
			if s.Metric == c.ID(j) {
				return true
			}
		}
	}
	return false
}
