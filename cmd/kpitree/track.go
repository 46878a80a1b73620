package main

import (
	"context"
	"flag"
	"fmt"
	"math"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

var trackCmd = &command{
	name:    "track",
	summary: "targets: attainment, pace, projection and status; a scorecard with --scorecard",
	usage:   "track MODEL --data FILE [--period AS-OF] [--from P] [--to P] [--scorecard] [--fail-on at-risk|off-track]",
	help: `Measures every target of the model as of --period (default: the last period
of the data; the data is evaluated over --from..--to, default all of it): the
value to date, the value expected by now on a straight path, the projection
at the current pace, attainment, pace and status (achieved, on track, at
risk, off track, no data). --scorecard rolls attainment up the tree
instead: a score per metric, from its own target or its children's scores.

--fail-on at-risk exits 1 when a target is at risk or off track, --fail-on
off-track when one is off track (default never).

JSON shape: {"command":"track","model":NAME,"as_of":P,"rows":[{"metric",
"target_period","target","to_date","expected","projected","attainment",
"pace","outlook","status","note"}]}; with --scorecard the rows are
{"metric","score","own","rolled","children"}.`,
	example: `$ kpitree track examples/webshop/model.yaml --data examples/webshop/actuals.csv --period 2027-09
METRIC           TARGET_PERIOD  TARGET  TO_DATE  ...  STATUS
revenue          2027           500,000,000 USD  ...  off track`,
	shared:  withData | withRange | withPeriod,
	formats: tableFormats,
	args:    [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		scorecard := fs.Bool("scorecard", false, "write the scorecard: a score per metric rolled up the tree")
		failOn := fs.String("fail-on", "never", "exit 1 when a target's status is at `level` or worse: at-risk, off-track or never")
		onTrack := fs.Float64("on-track", 0, "pace at or above which a target is on track (default 0.95)")
		atRisk := fs.Float64("at-risk", 0, "pace at or above which a target is at risk rather than off track (default 0.8)")
		return func(ctx context.Context, e *env, args []string) error {
			if err := oneOf("fail-on", *failOn, []string{"at-risk", "off-track", "never"}); err != nil {
				return err
			}
			return runTrack(ctx, e, args[0], *scorecard, *failOn, rollup.Thresholds{OnTrack: *onTrack, AtRisk: *atRisk})
		}
	},
}

// asOf is --period for commands that evaluate a range and look at one
// period in it: default the last evaluated period.
func (e *env) asOf(l *loaded, to metric.Period) (metric.Period, error) {
	if e.period == "" {
		return to, nil
	}
	p, err := l.parsePeriodFlag("period", e.period)
	if err != nil {
		return p, err
	}
	if g := l.model.GrainOrDefault(); p.Grain() != g {
		if p, err = fineEnd(l, p, "period"); err != nil {
			return p, err
		}
	}
	return p, nil
}

func runTrack(ctx context.Context, e *env, path string, scorecard bool, failOn string, th rollup.Thresholds) error {
	l, err := e.load(ctx, path, true)
	if err != nil {
		return err
	}
	from, to, err := e.span(l)
	if err != nil {
		return err
	}
	asOf, err := e.asOf(l, to)
	if err != nil {
		return err
	}
	if to.Before(asOf) {
		to = asOf
	}
	res, err := rollup.Evaluate(l.compiled, l.source(), from, to, rollup.Options{})
	if err != nil {
		return err
	}
	progress, err := rollup.TrackAll(res, asOf, th)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	meta := []kv{{"model", l.model.Name}, {"as_of", asOf.String()}}
	if scorecard {
		att := map[string]float64{}
		for _, p := range progress {
			if p.Status == rollup.NoData || math.IsNaN(p.Attainment) {
				continue
			}
			// A metric with several targets is scored by its last one
			// that has started.
			att[p.Metric] = p.Attainment
		}
		t := newTable("track", column{"metric", colText}, column{"score", colNumber}, column{"own", colNumber}, column{"rolled", colNumber}, column{"children", colText})
		t.meta = append(meta, kv{"scorecard", true})
		for _, s := range rollup.Scores(l.compiled, att, rollup.ScoreOptions{}) {
			t.add(textCell(s.Metric), optNum(s.Score, s.OK, "ratio"), optNum(s.Own, s.HasOwn, "ratio"), optNum(s.Rolled, s.HasRolled, "ratio"), textCell(joinComma(s.Children)))
		}
		return e.emit(t)
	}
	t := newTable("track",
		column{"metric", colText}, column{"target_period", colText}, column{"target", colNumber},
		column{"to_date", colNumber}, column{"expected", colNumber}, column{"projected", colNumber},
		column{"attainment", colNumber}, column{"pace", colNumber}, column{"outlook", colNumber},
		column{"status", colStatus}, column{"note", colText})
	t.meta = meta
	worst := rollup.NoData
	for _, p := range progress {
		i, _ := l.compiled.Index(p.Metric)
		u := l.compiled.Metric(i).Unit
		nodata := p.Status == rollup.NoData
		num := func(f float64, unit metric.Unit) cell {
			if nodata || math.IsNaN(f) {
				return missingCell(unit)
			}
			return numCell(f, unit)
		}
		t.add(textCell(p.Metric), textCell(p.Target.Period.String()), numCell(p.Target.Value, u),
			num(p.ToDate, u), num(p.Expected, u), num(p.Projected, u),
			num(p.Attainment, "ratio"), num(p.Pace, "ratio"), num(p.Outlook, "ratio"),
			textCell(p.Status.String()), textCell(p.Note))
		if p.Status == rollup.AtRisk && worst != rollup.OffTrack || p.Status == rollup.OffTrack {
			worst = p.Status
		}
	}
	if err := e.emit(t); err != nil {
		return err
	}
	switch {
	case failOn == "off-track" && worst == rollup.OffTrack,
		failOn == "at-risk" && (worst == rollup.OffTrack || worst == rollup.AtRisk):
		return fmt.Errorf("a target is %s (--fail-on %s): %w", worst, failOn, errFindings)
	}
	return nil
}
