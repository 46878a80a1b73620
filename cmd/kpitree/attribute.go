package main

import (
	"context"
	"flag"
	"strings"

	"github.com/kpitree/kpitree/rollup"
)

var attributeCmd = &command{
	name:    "attribute",
	summary: "why did it change: contributions that add up to a metric's change, down to the leaves",
	usage:   "attribute MODEL --data FILE --metric ID [--period P] (--vs P0 | --scenarios FILE --scenario NAME) [--method shapley|delta|lmdi] [--direct]",
	help: `Explains the change of --metric between two sets of values as
contributions of the inputs below it that add up exactly to the change:
period vs period (--vs P0: from P0 to --period, default the last period of
the data), or scenario vs base (--scenarios FILE --scenario NAME: from the
base to the scenario, in --period).

Contributions are Shapley values by default (exact for any formula); --method
delta gives the plain deltas of a sum, lmdi the log-mean Divisia index of a
product. They are chained down to the leaf inputs (each row has its path);
--direct stops at the metric's own inputs.

JSON shape: {"command":"attribute","model":NAME,"metric":ID,"from":LABEL,
"to":LABEL,"value_from":V,"value_to":V,"change":V,"method":M,
"rows":[{"input","lag","path","contribution","share"}]}`,
	example: `$ kpitree attribute model.yaml --data actuals.csv --metric revenue --period 2027-02 --vs 2027-01
INPUT            LAG  PATH                                       CONTRIBUTION    SHARE
visitors           0  revenue > visitors                     2,670,729.17 USD   74.19%
orders             0  revenue > conversion_rate > orders     4,879,270.83 USD  135.54%
visitors           0  revenue > conversion_rate > visitors  -2,675,729.17 USD  -74.33%
avg_order_value    0  revenue > avg_order_value             -1,274,270.83 USD   -35.4%`,
	shared:  withData | withPeriod,
	formats: tableFormats,
	args:    [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		var id, vs, method, only string
		var files listFlag
		fs.StringVar(&id, "metric", "", "the metric `id` whose change is explained (default: the first KGI)")
		fs.StringVar(&vs, "vs", "", "compare --period with this earlier `period`")
		fs.Var(&files, "scenarios", "scenario `file` to compare with the base (repeatable; - is stdin)")
		fs.StringVar(&only, "scenario", "", "the scenario `name` compared with the base")
		fs.StringVar(&method, "method", "shapley", "how a change is split among a formula's inputs: shapley, delta or lmdi")
		direct := fs.Bool("direct", false, "stop at the metric's own inputs instead of chaining down to the leaves")
		return func(ctx context.Context, e *env, args []string) error {
			return runAttribute(ctx, e, args[0], id, vs, files, only, method, *direct)
		}
	},
}

func runAttribute(ctx context.Context, e *env, path, id, vs string, files []string, only, method string, direct bool) error {
	var m rollup.AttribMethod
	switch method {
	case "shapley":
		m = rollup.AttribShapley
	case "delta":
		m = rollup.AttribDelta
	case "lmdi":
		m = rollup.AttribLMDI
	default:
		return oneOf("method", method, []string{"shapley", "delta", "lmdi"})
	}
	if (vs == "") == (len(files) == 0) {
		return usagef("give either --vs P0 (period vs period) or --scenarios FILE --scenario NAME (scenario vs base)")
	}
	l, err := e.load(ctx, path, true)
	if err != nil {
		return err
	}
	p, err := e.at(l)
	if err != nil {
		return err
	}
	if id == "" {
		if id = firstKGI(l); id == "" {
			return usagef("--metric ID is required: the model has no KGI to default to")
		}
	}
	if _, err := metricID(l, "metric", id); err != nil {
		return err
	}
	var from, to *rollup.Session
	var fromLabel, toLabel string
	if vs != "" {
		p0, err := l.parsePeriodFlag("vs", vs)
		if err != nil {
			return err
		}
		if p0.Grain() != p.Grain() {
			return usagef("--vs %s is a %s; the model is evaluated by %s", p0, p0.Grain(), p.Grain())
		}
		if from, err = e.session(l, nil, p0); err != nil {
			return err
		}
		fromLabel, toLabel = p0.String(), p.String()
	} else {
		if only == "" {
			return usagef("--scenario NAME is required with --scenarios: the scenario compared with the base")
		}
		ss, err := e.loadScenarioFiles(l, files, []string{only})
		if err != nil {
			return err
		}
		if from, err = e.session(l, nil, p); err != nil {
			return err
		}
		if to, err = e.session(l, ss[0], p); err != nil {
			return err
		}
		fromLabel, toLabel = "base "+p.String(), ss[0].Name()+" "+p.String()
	}
	if to == nil {
		if to, err = e.session(l, nil, p); err != nil {
			return err
		}
	}
	a, err := rollup.Attribute(from, to, id, rollup.AttributeOptions{Method: m, Chain: !direct})
	if err != nil {
		return err
	}
	u := unitOf(l, id)
	t := newTable("attribute", column{"input", colText}, column{"lag", colInt}, column{"path", colText},
		column{"contribution", colNumber}, column{"share", colNumber})
	t.meta = []kv{{"model", l.model.Name}, {"metric", id}, {"from", fromLabel}, {"to", toLabel},
		{"value_from", a.From}, {"value_to", a.To}, {"change", a.Change}, {"method", a.Method.String()}}
	for _, c := range a.Contributions {
		t.add(textCell(c.Input), intCell(int64(c.Lag)), textCell(strings.Join(c.Path, " > ")), numCell(c.Value, u), numCell(c.Share, ratioUnit))
	}
	return e.emit(t)
}
