package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

var evalCmd = &command{
	name:    "eval",
	summary: "evaluate every metric per period (and roll up to quarters or years)",
	usage:   "eval MODEL --data FILE [--from P] [--to P] [--grain quarter|year|fy] [--metric ID]...",
	help: `Evaluates the model over the periods --from..--to (default: the periods of
the data) and writes one row per metric and period: metric, period, value.
With --grain, inputs are aggregated to quarters or (fiscal) years by their
aggregation and derived metrics recomputed from the aggregated inputs.

A value that cannot be computed (a missing input, a division by zero) is
missing: an empty field in csv, null in json, "-" in text, and a note on
stderr says why (--quiet hides it). --policy fail makes it an error.

JSON shape: {"command":"eval","model":NAME,"grain":G,"from":P,"to":P,
"issues":[{"metric","period","kind","detail"}],"rows":[{"metric","period","value"}]}`,
	example: `$ kpitree eval examples/webshop/model.yaml --data examples/webshop/actuals.csv \
    --from 2027-01 --to 2027-03 --grain quarter --metric revenue --format csv
metric,period,value
revenue,2027-Q1,...`,
	shared:  withData | withRange,
	formats: tableFormats,
	args:    [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		grain := fs.String("grain", "", "roll up to `grain`: quarter, year or fy (the model's fiscal year); default: the model's grain")
		var only listFlag
		fs.Var(&only, "metric", "write only this metric `id` (repeatable, or comma-separated)")
		policy := fs.String("policy", "propagate", "missing inputs: propagate (the result is missing), fail (an error), zero (counted as 0, with a note)")
		partial := fs.Bool("partial", false, "with --grain, aggregate a quarter or year from the periods present")
		return func(ctx context.Context, e *env, args []string) error {
			return runEval(ctx, e, args[0], *grain, only, *policy, *partial)
		}
	},
}

func parsePolicy(s string) (rollup.Policy, error) {
	switch s {
	case "propagate":
		return rollup.Propagate, nil
	case "fail":
		return rollup.Fail, nil
	case "zero":
		return rollup.Zero, nil
	}
	return 0, oneOf("policy", s, []string{"propagate", "fail", "zero"})
}

// selectMetrics resolves --metric values (repeatable, comma-separated) to
// ids of the model, in the model's order; none means all.
func selectMetrics(l *loaded, only []string) ([]string, error) {
	c := l.compiled
	var all []string
	for i := range c.Len() {
		all = append(all, c.ID(i))
	}
	if len(only) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, o := range only {
		for _, id := range strings.Split(o, ",") {
			id = strings.TrimSpace(id)
			if _, ok := c.Index(id); !ok {
				return nil, usagef("--metric %s: unknown metric%s", id, didYouMean(id, all))
			}
			want[id] = true
		}
	}
	var out []string
	for _, id := range all {
		if want[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

func runEval(ctx context.Context, e *env, path, grain string, only []string, policy string, partial bool) error {
	pol, err := parsePolicy(policy)
	if err != nil {
		return err
	}
	l, err := e.load(ctx, path, true)
	if err != nil {
		return err
	}
	ids, err := selectMetrics(l, only)
	if err != nil {
		return err
	}
	from, to, err := e.span(l)
	if err != nil {
		return err
	}
	opt := rollup.Options{Policy: pol, Partial: partial}
	var res *rollup.Result
	if grain == "" {
		res, err = rollup.Evaluate(l.compiled, l.source(), from, to, opt)
	} else {
		g, gerr := coarseGrain(grain)
		if gerr != nil {
			return gerr
		}
		cal := l.model.Calendar
		cf, err1 := cal.In(from, g)
		ct, err2 := cal.In(to, g)
		if err1 != nil || err2 != nil {
			return usagef("--grain %s: the model's grain is %s", grain, l.model.GrainOrDefault())
		}
		res, err = rollup.Rollup(l.compiled, l.source(), cf, ct, opt)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err != nil && res == nil {
		return err
	}
	t := evalTable(l, res, ids)
	issues := res.Issues()
	t.meta = append(t.meta, kv{"issues", issuesJSON(issues)})
	if err != nil {
		// Policy fail: the values are written, and the error decides the exit code.
		if werr := e.emit(t); werr != nil {
			return werr
		}
		return err
	}
	if len(issues) > 0 {
		e.notef("%s", issueSummary(issues))
	}
	return e.emit(t)
}

// coarseGrain parses --grain.
func coarseGrain(s string) (metric.Grain, error) {
	switch strings.ToLower(s) {
	case "quarter", "quarterly", "q":
		return metric.Quarter, nil
	case "year", "yearly", "annual", "fy", "y":
		return metric.Year, nil
	case "month", "monthly":
		return metric.Month, nil
	}
	return 0, oneOf("grain", s, []string{"quarter", "year", "fy"})
}

func evalTable(l *loaded, res *rollup.Result, ids []string) *table {
	t := newTable("eval", column{"metric", colText}, column{"period", colText}, column{"value", colNumber})
	periods := res.Periods()
	t.meta = []kv{{"model", l.model.Name}, {"grain", grainName(res)}}
	if len(periods) > 0 {
		t.meta = append(t.meta, kv{"from", periods[0].String()}, kv{"to", periods[len(periods)-1].String()})
	}
	t.rows = make([][]cell, 0, len(ids)*len(periods))
	pstr := make([]cell, len(periods))
	for j, p := range periods {
		pstr[j] = textCell(p.String())
	}
	for _, id := range ids {
		i, _ := l.compiled.Index(id)
		u := l.compiled.Metric(i).Unit
		idc := textCell(id)
		for j, p := range periods {
			v, ok := res.Value(id, p)
			if ok && res.State(id, p) == rollup.Missing {
				ok = false
			}
			t.rows = append(t.rows, []cell{idc, pstr[j], optNum(v, ok, u)})
		}
	}
	return t
}

func grainName(res *rollup.Result) string {
	ps := res.Periods()
	if len(ps) == 0 {
		return ""
	}
	return ps[0].Grain().String()
}

type issueJSON struct {
	Metric string `json:"metric"`
	Period string `json:"period"`
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
}

func issuesJSON(issues []rollup.Issue) []issueJSON {
	out := make([]issueJSON, len(issues))
	for i, is := range issues {
		out[i] = issueJSON{is.Metric, is.Period.String(), is.Kind.String(), is.Detail}
	}
	return out
}

func issueSummary(issues []rollup.Issue) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d evaluation issues", len(issues))
	for i, is := range issues {
		if i == 3 {
			fmt.Fprintf(&b, "\n  ... and %d more (--format json lists them all)", len(issues)-3)
			break
		}
		fmt.Fprintf(&b, "\n  %s", is)
	}
	return b.String()
}
