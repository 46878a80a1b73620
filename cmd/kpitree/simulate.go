package main

import (
	"context"
	"flag"
	"maps"
	"slices"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

var simulateCmd = &command{
	name:    "simulate",
	summary: "Monte Carlo: distributions of the outputs and the probability of meeting targets",
	usage:   "simulate MODEL --data FILE [--period P] --dist FILE [--draws N] [--seed S] [--workers N] [--output ID]... [--target ID=VALUE]... [--raw]",
	help: `Draws the uncertain inputs of the --dist file (a distribution file,
kpidistributions: "1": normal, lognormal, uniform, triangular, pert, beta or
empirical inputs, correlated through a Gaussian copula) --draws times,
evaluates the model for --period (default: the last period of the data) with
the other inputs at their values in the data, and summarises each output:
mean, SD, P5, P10, P50, P90, P95 and, for an output with a target in the
period (or a --target), the probability of meeting it and its standard error.
The same --seed gives the same result at any --workers.

Outputs default to every metric with a target in the period and every KGI
(else every derived metric). --raw writes every draw instead: one row per
draw and output.

Progress is shown on stderr when it is a terminal. Ctrl-C stops the run:
exit 130 and nothing on stdout.

JSON shape: {"command":"simulate","model":NAME,"period":P,"draws":N,"seed":S,
"rows":[{"metric","draws","nan","mean","sd","p5","p10","p50","p90","p95",
"target","p_meet","p_meet_se"}]}; with --raw {"rows":[{"draw","metric","value"}]}.`,
	example: `$ cat dist.yaml
kpidistributions: "1"
inputs:
  - {metric: visitors, dist: normal, mean: 300000, sd: 30000}
  - {metric: orders, dist: pert, lo: 20000, mode: 24000, hi: 27000}
  - {metric: avg_order_value, dist: triangular, lo: 1500, mode: 1650, hi: 1800}
correlations:
  - {a: visitors, b: orders, rho: 0.8}
$ kpitree simulate model.yaml --data actuals.csv --period 2027-01 --dist dist.yaml --draws 10000 --seed 1 \
    --target revenue=40000000 --format csv
metric,draws,nan,mean,sd,p5,p10,p50,p90,p95,target,p_meet,p_meet_se
revenue,10000,0,3.932247715955508e+07,2.6396230468900646e+06,3.498325224991835e+07,3.586570794740653e+07,3.932999509477269e+07,4.279981768045269e+07,4.3618033838411726e+07,4e+07,0.4048,0.004908532978395887`,
	shared:  withData | withPeriod,
	formats: tableFormats,
	args:    [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		o := &simOpts{}
		fs.StringVar(&o.dist, "dist", "", "distribution `file` (YAML or JSON; - is stdin)")
		fs.IntVar(&o.draws, "draws", 10000, "number of `draws`")
		fs.Uint64Var(&o.seed, "seed", 1, "random `seed`: the same seed gives the same result")
		fs.IntVar(&o.workers, "workers", 0, "goroutines drawing in parallel (default: the number of CPUs)")
		fs.Var(&o.outputs, "output", "summarise metric `id` (repeatable, or comma-separated)")
		fs.Var(&o.targets, "target", "judge an output against `METRIC=VALUE` instead of its target (repeatable)")
		fs.BoolVar(&o.raw, "raw", false, "write every draw: one row per draw and output")
		return func(ctx context.Context, e *env, args []string) error {
			return runSimulate(ctx, e, args[0], o)
		}
	},
}

type simOpts struct {
	dist             string
	draws, workers   int
	seed             uint64
	outputs, targets listFlag
	raw              bool
}

func runSimulate(ctx context.Context, e *env, path string, o *simOpts) error {
	if o.dist == "" {
		return usagef("--dist FILE is required: the uncertain inputs (kpidistributions: \"1\"); 'kpitree schema distributions' prints its JSON Schema")
	}
	if o.draws < 1 {
		return usagef("--draws %d: give at least 1 draw", o.draws)
	}
	if o.workers < 0 {
		return usagef("--workers %d: give 0 (all CPUs) or more", o.workers)
	}
	l, err := e.load(ctx, path, true)
	if err != nil {
		return err
	}
	p, err := e.at(l)
	if err != nil {
		return err
	}
	sim, err := e.simulation(l, p, o)
	if err != nil {
		return err
	}
	tick := e.startProgress("simulating", int64(o.draws))
	sim.Progress = func(done, _ int) { tick(int64(done)) }
	res, err := sim.Run(ctx, l.compiled, l.source(), p)
	e.finish()
	if err != nil {
		return err
	}
	return e.emit(simTable(l, res, p, o))
}

// simulation builds the Simulation of the command line: the --dist file
// bound to the model, outputs and targets.
func (e *env) simulation(l *loaded, p metric.Period, o *simOpts) (rollup.Simulation, error) {
	r, name, err := e.openInput("dist", o.dist)
	if err != nil {
		return rollup.Simulation{}, err
	}
	ds, err := rollup.LoadDistributions(r, name, l.compiled)
	if err != nil {
		return rollup.Simulation{}, err
	}
	sim := rollup.Simulation{Draws: o.draws, Seed: o.seed, Workers: o.workers, Inputs: ds.Inputs, Correlations: ds.Correlations}
	for _, id := range splitList(o.outputs) {
		if _, err := metricID(l, "output", id); err != nil {
			return sim, err
		}
		if !slices.Contains(sim.Outputs, id) {
			sim.Outputs = append(sim.Outputs, id)
		}
	}
	for _, t := range o.targets {
		id, v, err := parseAssign(l, "target", t)
		if err != nil {
			return sim, err
		}
		if sim.Targets == nil {
			sim.Targets = map[string]metric.Target{}
		}
		sim.Targets[id] = metric.Target{Period: p, Value: v}
		if len(sim.Outputs) > 0 && !slices.Contains(sim.Outputs, id) {
			sim.Outputs = append(sim.Outputs, id)
		}
	}
	if len(sim.Outputs) == 0 && sim.Targets != nil {
		// only --target given: summarise those (plus the default set would
		// hide them among others)
		sim.Outputs = slices.Sorted(maps.Keys(sim.Targets))
	}
	return sim, nil
}

func simTable(l *loaded, res *rollup.SimResult, p metric.Period, o *simOpts) *table {
	meta := []kv{{"model", l.model.Name}, {"period", p.String()}, {"draws", o.draws}, {"seed", o.seed}}
	if o.raw {
		t := newTable("simulate", column{"draw", colInt}, column{"metric", colText}, column{"value", colNumber})
		t.meta = meta
		for _, s := range res.Summaries() {
			u := unitOf(l, s.Metric)
			for k, v := range res.Draws(s.Metric) {
				t.add(intCell(int64(k+1)), textCell(s.Metric), numCell(v, u))
			}
		}
		return t
	}
	t := newTable("simulate", column{"metric", colText}, column{"draws", colInt}, column{"nan", colInt},
		column{"mean", colNumber}, column{"sd", colNumber}, column{"p5", colNumber}, column{"p10", colNumber},
		column{"p50", colNumber}, column{"p90", colNumber}, column{"p95", colNumber},
		column{"target", colNumber}, column{"p_meet", colNumber}, column{"p_meet_se", colNumber})
	t.meta = meta
	for _, s := range res.Summaries() {
		u := unitOf(l, s.Metric)
		t.add(textCell(s.Metric), intCell(int64(s.Draws)), intCell(int64(s.NaN)),
			numCell(s.Mean, u), numCell(s.SD, u), numCell(s.P5, u), numCell(s.P10, u), numCell(s.P50, u), numCell(s.P90, u), numCell(s.P95, u),
			optNum(s.Target.Value, s.HasTarget, u), optNum(s.PMeet, s.HasTarget, ratioUnit), optNum(s.PMeetSE, s.HasTarget, ratioUnit))
	}
	return t
}
