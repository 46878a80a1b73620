package main

import (
	"context"
	"flag"

	"github.com/kpitree/kpitree/rollup"
)

var whatifCmd = &command{
	name:    "whatif",
	summary: "scenarios side by side with the base: values and deltas",
	usage:   "whatif MODEL --data FILE --scenarios FILE [--scenario NAME]... [--from P] [--to P] [--metric ID]...",
	help: `Evaluates the base (the data) and every scenario of the --scenarios files
(repeatable; - is stdin, e.g. the output of 'kpitree seek --format scenario')
over --from..--to, and writes each metric and period under each scenario
against the base: the value, the delta and the relative delta. --scenario
picks scenarios by name.

The text and markdown tables put the scenarios side by side (one column of
values and one of deltas per scenario); csv, json and jsonl have one row per
metric, period and scenario, so their shape does not depend on the names.
A relative delta is missing when the base is zero or a value is missing.

JSON shape: {"command":"whatif","model":NAME,"from":P,"to":P,"scenarios":[NAME],
"rows":[{"metric","period","scenario","base","value","delta","rel"}]}`,
	example: `$ kpitree seek model.yaml --data actuals.csv --target revenue=45000000 --lever visitors --format scenario --quiet \
    | kpitree whatif model.yaml --data actuals.csv --scenarios - --metric revenue,visitors
METRIC    PERIOD             BASE         SEEK_REVENUE      Δ SEEK_REVENUE  Δ% SEEK_REVENUE
revenue   2027-01  39,600,000 USD       45,000,000 USD       5,400,000 USD           13.64%
visitors  2027-01  300,000 visits  340,909.0909 visits  40,909.0909 visits           13.64%`,
	shared:  withData | withRange,
	formats: tableFormats,
	args:    [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		var files, only, metrics listFlag
		fs.Var(&files, "scenarios", "scenario `file` (YAML or JSON; - is stdin; repeatable)")
		fs.Var(&only, "scenario", "compare only the scenario `name` (repeatable, or comma-separated)")
		fs.Var(&metrics, "metric", "write only this metric `id` (repeatable, or comma-separated)")
		return func(ctx context.Context, e *env, args []string) error {
			return runWhatif(ctx, e, args[0], files, only, metrics)
		}
	},
}

func runWhatif(ctx context.Context, e *env, path string, files, only, metrics []string) error {
	l, err := e.load(ctx, path, true)
	if err != nil {
		return err
	}
	ss, err := e.loadScenarioFiles(l, files, only)
	if err != nil {
		return err
	}
	ids, err := selectMetrics(l, metrics)
	if err != nil {
		return err
	}
	from, to, err := e.span(l)
	if err != nil {
		return err
	}
	cmp, err := rollup.Compare(l.compiled, l.source(), ss, from, to, rollup.Options{})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	names := cmp.Scenarios()[1:]
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	meta := []kv{{"model", l.model.Name}, {"from", from.String()}, {"to", to.String()}, {"scenarios", names}}
	if e.format == "text" || e.format == "markdown" {
		cols := []column{{"metric", colText}, {"period", colText}, {"base", colNumber}}
		for _, n := range names {
			cols = append(cols, column{n, colNumber}, column{"Δ " + n, colNumber}, column{"Δ% " + n, colNumber})
		}
		t := newTable("whatif", cols...)
		t.meta = meta
		var row []cell
		for d := range cmp.All() {
			if !want[d.Metric] {
				continue
			}
			u := unitOf(l, d.Metric)
			if len(row) == 0 {
				row = []cell{textCell(d.Metric), textCell(d.Period.String()), numCell(d.Base, u)}
			}
			row = append(row, numCell(d.Value, u), numCell(d.Abs, u), numCell(d.Rel, ratioUnit))
			if len(row) == len(cols) {
				t.add(row...)
				row = nil
			}
		}
		return e.emit(t)
	}
	t := newTable("whatif", column{"metric", colText}, column{"period", colText}, column{"scenario", colText},
		column{"base", colNumber}, column{"value", colNumber}, column{"delta", colNumber}, column{"rel", colNumber})
	t.meta = meta
	for d := range cmp.All() {
		if want[d.Metric] {
			u := unitOf(l, d.Metric)
			t.add(textCell(d.Metric), textCell(d.Period.String()), textCell(d.Scenario), numCell(d.Base, u), numCell(d.Value, u), numCell(d.Abs, u), numCell(d.Rel, ratioUnit))
		}
	}
	return e.emit(t)
}
