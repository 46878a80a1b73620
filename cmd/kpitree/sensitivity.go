package main

import (
	"context"
	"flag"

	"github.com/kpitree/kpitree/rollup"
)

var sensitivityCmd = &command{
	name:    "sensitivity",
	summary: "elasticities of an output to its inputs, or a tornado",
	usage:   "sensitivity MODEL --data FILE [--period P] --output ID [--input ID]... [--tornado] [--pct 10]",
	help: `Measures how --output responds to each input it depends on in --period
(default: the last period of the data), every other value held.

By default, one row per input: its value, the derivative, the point
elasticity (the % change of the output for a 1% change of the input) and the
arc elasticity over ±--pct%. With --tornado, each input moves alone to
-pct% and +pct%, and the rows are the bars ranked by the output's swing,
largest first.

JSON shape: {"command":"sensitivity","model":NAME,"period":P,"output":ID,
"base":V,"rows":[{"input","value","derivative","point","arc"}]}; with
--tornado {"rows":[{"rank","input","low","high","at_low","at_high","swing"}]}.`,
	example: `$ kpitree sensitivity model.yaml --data actuals.csv --output revenue --tornado
RANK  INPUT                       LOW            HIGH          AT_LOW         AT_HIGH          SWING
   1  orders                   21,600          26,400  35,640,000 USD  43,560,000 USD  7,920,000 USD
   2  avg_order_value       1,485 USD       1,815 USD  35,640,000 USD  43,560,000 USD  7,920,000 USD
   3  visitors         270,000 visits  330,000 visits  39,600,000 USD  39,600,000 USD          0 USD`,
	shared:  withData | withPeriod,
	formats: tableFormats,
	args:    [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		var output string
		var inputs listFlag
		fs.StringVar(&output, "output", "", "the metric `id` whose sensitivity is measured (default: the first KGI)")
		fs.Var(&inputs, "input", "measure only input `id` (repeatable, or comma-separated)")
		tornado := fs.Bool("tornado", false, "rank the inputs by the output's swing when each moves by ±--pct%")
		pct := fs.Float64("pct", 10, "the `percent` each input moves for the arc elasticity and the tornado")
		return func(ctx context.Context, e *env, args []string) error {
			return runSensitivity(ctx, e, args[0], output, inputs, *tornado, *pct)
		}
	},
}

func runSensitivity(ctx context.Context, e *env, path, output string, inputs []string, tornado bool, pct float64) error {
	if !(pct > 0 && pct < 100) {
		return usagef("--pct %g: give a percentage above 0 and below 100", pct)
	}
	l, err := e.load(ctx, path, true)
	if err != nil {
		return err
	}
	p, err := e.at(l)
	if err != nil {
		return err
	}
	if output == "" {
		output = firstKGI(l)
		if output == "" {
			return usagef("--output ID is required: the model has no KGI to default to")
		}
	}
	if _, err := metricID(l, "output", output); err != nil {
		return err
	}
	ins := splitList(inputs)
	for _, id := range ins {
		if _, err := metricID(l, "input", id); err != nil {
			return err
		}
	}
	s, err := e.session(l, nil, p)
	if err != nil {
		return err
	}
	base, _ := s.Value(output)
	ou := unitOf(l, output)
	meta := []kv{{"model", l.model.Name}, {"period", p.String()}, {"output", output}, {"base", base}}
	if tornado {
		opt := rollup.TornadoOptions{Pct: pct}
		for _, id := range ins {
			v, _ := s.Value(id)
			lo, hi := v*(1-pct/100), v*(1+pct/100)
			opt.Ranges = append(opt.Ranges, rollup.Range{Input: id, Low: min(lo, hi), High: max(lo, hi)})
		}
		tr, err := s.Tornado(output, opt)
		if err != nil {
			return err
		}
		t := newTable("sensitivity", column{"rank", colInt}, column{"input", colText}, column{"low", colNumber}, column{"high", colNumber},
			column{"at_low", colNumber}, column{"at_high", colNumber}, column{"swing", colNumber})
		t.meta = meta
		for _, b := range tr.Bars {
			u := unitOf(l, b.Input)
			t.add(intCell(int64(b.Rank)), textCell(b.Input), numCell(b.Low, u), numCell(b.High, u), numCell(b.AtLow, ou), numCell(b.AtHigh, ou), numCell(b.Swing, ou))
		}
		return e.emit(t)
	}
	els, err := s.Elasticities(output, rollup.ElasticityOptions{ArcPct: pct, Inputs: ins})
	if err != nil {
		return err
	}
	t := newTable("sensitivity", column{"input", colText}, column{"value", colNumber}, column{"derivative", colNumber},
		column{"point", colNumber}, column{"arc", colNumber})
	t.meta = meta
	for _, el := range els {
		t.add(textCell(el.Input), numCell(el.Value, unitOf(l, el.Input)), numCell(el.Derivative, ""), numCell(el.Point, ""), numCell(el.Arc, ""))
	}
	return e.emit(t)
}

// firstKGI is the first KGI of the model, or "".
func firstKGI(l *loaded) string {
	for i := range l.compiled.Len() {
		if l.compiled.Metric(i).Kind.String() == "KGI" {
			return l.compiled.ID(i)
		}
	}
	return ""
}
