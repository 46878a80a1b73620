package check

import (
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// Run runs every enabled check on the model and, when data is not nil,
// on its history, and returns the findings sorted with Compare.
//
// Without data only the checks of the model run: Structure, the
// structural half of MECE, duplicate formulas and the drivers' weights
// (rollup.not-additive). With data, Causal
// (and suggestions, if asked), the numeric MECE check, duplicate series
// TargetLogic as of the last evaluated period and Additivity run too. data must
// have been evaluated (rollup.Evaluate) from c over the model's grain.
//
// Errors are for invalid options and data from another model; problems
// in the model or the data are findings.
func Run(c *tree.Compiled, data *rollup.Result, opt Options) (Findings, error) {
	o, err := opt.resolve()
	if err != nil {
		return nil, err
	}
	if data != nil && data.Compiled() != c {
		return nil, ErrModelMismatch
	}
	g := newGraph(c)
	out := structure(c, g, o)
	if data != nil {
		_, fs := causal(c, data, o)
		out = append(out, fs...)
		if o.SuggestLinks {
			out = append(out, suggest(c, g, data, o)...)
		}
	}
	_, fs := mece(c, data, o)
	out = append(out, fs...)
	out = append(out, duplicates(c, g, data, o)...)
	out = append(out, additivity(c, data, o)...)
	if data != nil {
		if ps := data.Periods(); len(ps) > 0 && o.Rules.Enabled("logic.kpis-met-kgi-missed") {
			out = append(out, targetLogic(c, g, data, ps[len(ps)-1])...)
		}
	}
	Sort(out)
	if out == nil {
		out = Findings{}
	}
	return out, nil
}

// ruleCodes lists every rule, grouped by family (see the package docs).
var ruleCodes = []string{
	"structure.no-kgi", "structure.kpi-without-kgi", "structure.ksf-drives-nothing", "structure.level-gap",
	"structure.too-many-children", "structure.too-deep", "structure.children-formula-mismatch",
	"structure.no-counter-metric", "structure.no-owner", "structure.no-source", "structure.no-frequency", "structure.no-target",
	"causal.supported", "causal.contradicted", "causal.inconclusive", "causal.not-enough-data", "causal.constant-series",
	"causal.not-stationary", "causal.lag-mismatch", "causal.suggested-link",
	"mece.overlap", "mece.gap", "mece.numeric-gap", "mece.double-count", "mece.duplicate-formula", "mece.duplicate-series",
	"logic.kpis-met-kgi-missed",
	"rollup.not-additive",
}

// RuleCodes returns the code of every rule this package reports, grouped
// by family, for configuration screens and Rules lists.
func RuleCodes() []string { return append([]string(nil), ruleCodes...) }
