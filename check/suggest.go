package check

import (
	"fmt"
	"math"

	"github.com/kpitree/kpitree/internal/stats"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

type candidate struct {
	cause, effect int
	p             float64 // Bonferroni over the lags tested
	lag           int
	res           stats.GrangerLag
	prep          prepared
}

// suggest tests undeclared links between nearby metrics (see the package
// docs, "Suggested links") and reports the strongly supported ones.
func suggest(c *tree.Compiled, g *graph, data *rollup.Result, o resolved) Findings {
	if !o.Rules.Enabled("causal.suggested-link") {
		return nil
	}
	n := c.Len()
	declared := map[[2]int]bool{}
	for _, l := range c.Model().Links {
		a, ok1 := c.Index(l.From)
		b, ok2 := c.Index(l.To)
		if ok1 && ok2 {
			declared[[2]int{a, b}], declared[[2]int{b, a}] = true, true
		}
	}
	// Formula ancestry: a metric computed from another is related by
	// definition, not by cause.
	ancestors := make([][]bool, n)
	for i := range n {
		ancestors[i] = reach(i, g.formulaIn)
	}
	var cands []candidate
	skipped := 0
	for i := range n {
		dist := g.distances(i, o.SuggestDistance)
		downstream := reach(i, g.up) // what i already reaches through the tree
		for j := range n {
			if i == j || dist[j] < 2 || declared[[2]int{i, j}] || downstream[j] || ancestors[i][j] || ancestors[j][i] {
				continue
			}
			if len(cands) >= o.SuggestMaxPairs {
				skipped++
				continue
			}
			cands = append(cands, candidate{cause: i, effect: j})
		}
	}
	var tested []candidate
	for _, cd := range cands {
		pr := prepare(data, c.ID(cd.cause), c.ID(cd.effect), o)

		if pr.problem != "" {
			continue
		}
		k := min(o.MaxLag, (len(pr.x)-2)/3)
		if k < 1 {
			continue
		}
		gs, err := granger(pr.y, pr.x, k, 1)
		if err != nil {
			continue
		}
		cd.p, cd.prep = math.Inf(1), pr
		for _, gl := range gs {
			if gl.FPValue < cd.p {
				cd.p, cd.lag, cd.res = gl.FPValue, gl.Lag, gl
			}
		}
		cd.p = min(1, cd.p*float64(len(gs)))

		tested = append(tested, cd)
	}
	if len(tested) == 0 {
		return nil
	}
	ps := make([]float64, len(tested))
	for k, cd := range tested {
		ps[k] = cd.p
	}
	adj, _, err := stats.Adjust(ps, o.method, o.Alpha)
	if err != nil {
		return nil
	}
	strong := o.Alpha / 5
	var out Findings
	for k, cd := range tested {
		if adj[k] > strong {
			continue
		}
		s := sign(cd.res.SumX.Estimate)
		from, to := c.ID(cd.cause), c.ID(cd.effect)
		out = append(out, Finding{Rule: "causal.suggested-link", Severity: Info, Nodes: []string{from, to},
			Message: fmt.Sprintf("History strongly suggests an undeclared link %s -> %s (sign %s, lag %d).", from, to, signStr(s), cd.lag),
			Hint:    fmt.Sprintf("if it makes business sense, declare {from: %s, to: %s, sign: %q, lag: %d}", from, to, signStr(s), cd.lag),
			Evidence: []Evidence{E("periods", cd.prep.periods()), E("n", cd.prep.n), E("transform", cd.prep.transform.String()),
				E("granger_lag", cd.lag), E("granger_f", num(cd.res.F)), E("granger_p", num(cd.res.FPValue)),
				E("granger_df_num", cd.res.DFNum), E("granger_df_denom", cd.res.DFDenom), E("granger_sum_coef", num(cd.res.SumX.Estimate)),
				E("p_lags_bonferroni", num(cd.p)), E("p_adjusted", num(adj[k])), E("adjustment", o.method.String()),
				E("threshold", strong), E("pairs_tested", len(tested)), E("pairs_skipped", skipped)}})
	}
	return out
}
