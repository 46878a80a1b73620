package main

import (
	"context"
	"flag"
	"math"

	"github.com/kpitree/kpitree/rollup"
)

var cascadeCmd = &command{
	name:    "cascade",
	summary: "work a KGI target back into a consistent target for every metric below it",
	usage:   "cascade MODEL --data FILE [--period P] --target KGI=VALUE [--hold ID]... [--weight ID=W]... [--save FILE]",
	help: `Derives, from a target for the KGI in --period (default: the last period of
the data), a target for every metric below it so that every formula of the
model holds at once: every input under the KGI moves on a log scale in the
direction that helps, by a common factor raised to its --weight (default 1;
0 holds it); --hold keeps inputs at their current values. Each derived
metric's target is its value computed from the input targets.

--save FILE writes the model with the targets stored on their metrics
(YAML, or JSON for .json): the input of 'kpitree track'.

JSON shape: {"command":"cascade","model":NAME,"period":P,"target":ID,
"value":V,"rows":[{"metric","current","target","change"}]}`,
	example: `$ kpitree cascade model.yaml --data actuals.csv --period 2027-01 --target revenue=45000000
METRIC                  CURRENT               TARGET  CHANGE
revenue          39,600,000 USD       45,000,000 USD  13.64%
visitors         300,000 visits  319,801.0745 visits    6.6%
conversion_rate              8%                   8%      0%
orders                   24,000           25,584.086    6.6%
avg_order_value       1,650 USD         1,758.91 USD    6.6%`,
	shared:  withData | withPeriod,
	formats: tableFormats,
	args:    [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		var target, save string
		var holdIDs, weights listFlag
		fs.StringVar(&target, "target", "", "the KGI's target, `METRIC=VALUE`: revenue=45000000")
		fs.Var(&holdIDs, "hold", "keep input `id` at its current value (repeatable, or comma-separated)")
		fs.Var(&weights, "weight", "an input's log-scale weight, `ID=W` (repeatable; 0 holds it)")
		fs.StringVar(&save, "save", "", "write the model with the targets to `file` (.yaml or .json)")
		return func(ctx context.Context, e *env, args []string) error {
			return runCascade(ctx, e, args[0], target, holdIDs, weights, save)
		}
	},
}

func runCascade(ctx context.Context, e *env, path, target string, holdIDs, weights []string, save string) error {
	if target == "" {
		return usagef("--target METRIC=VALUE is required: the KGI's target, as in --target revenue=45000000")
	}
	l, err := e.load(ctx, path, true)
	if err != nil {
		return err
	}
	p, err := e.at(l)
	if err != nil {
		return err
	}
	kgi, v, err := parseAssign(l, "target", target)
	if err != nil {
		return err
	}
	opt := rollup.CascadeOptions{Hold: splitList(holdIDs)}
	for _, id := range opt.Hold {
		if _, err := metricID(l, "hold", id); err != nil {
			return err
		}
	}
	for _, w := range weights {
		id, x, err := parseAssign(l, "weight", w)
		if err != nil {
			return err
		}
		if x < 0 {
			return usagef("--weight %s: a weight is 0 or more", w)
		}
		if opt.Weights == nil {
			opt.Weights = map[string]float64{}
		}
		opt.Weights[id] = x
	}
	s, err := e.session(l, nil, p)
	if err != nil {
		return err
	}
	targets, err := s.Cascade(kgi, v, opt)
	if err != nil {
		return err
	}
	if save != "" {
		m, err := rollup.ApplyTargets(l.model, targets)
		if err != nil {
			return err
		}
		if err := m.SaveFile(save); err != nil {
			return err
		}
	}
	t := newTable("cascade", column{"metric", colText}, column{"current", colNumber}, column{"target", colNumber}, column{"change", colNumber})
	t.meta = []kv{{"model", l.model.Name}, {"period", p.String()}, {"target", kgi}, {"value", v}}
	for _, c := range targets {
		u := unitOf(l, c.Metric)
		ch := c.Target.Value/c.Current - 1
		if c.Current == 0 {
			ch = math.NaN()
		}
		t.add(textCell(c.Metric), numCell(c.Current, u), numCell(c.Target.Value, u), numCell(ch, ratioUnit))
	}
	return e.emit(t)
}
