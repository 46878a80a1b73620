package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/kpitree/kpitree/okr"
	"github.com/kpitree/kpitree/rollup"
)

var okrCmd = &command{
	name:    "okr",
	summary: "OKR progress, grades, status and forecast; a recovery OKR draft for lagging KPIs",
	usage:   "okr OKRFILE [--model MODEL --data FILE] [--as-of DATE] [--recovery] [--fail-on at-risk|off-track]",
	help: `Evaluates an OKR set as of --as-of (a date, default today; or the end of
--period): one row per key result with its current value, progress, Google
grade and colour, status and forecast, and one row per objective. Key
results bound to a metric take their values from --data evaluated through
--model. Lint findings go to stderr (--quiet hides them).

--recovery drafts a recovery OKR for every KPI of --model that is lagging
its target as of --period, and writes it as an OKR file (YAML; JSON with
--format json) ready to edit and check in.

JSON shape: {"command":"okr","set":NAME,"as_of":DATE,"rows":[{"objective",
"key_result","current","progress","grade","color","status","forecast",
"note"}]}; the objective's own row has an empty key_result.`,
	example: `$ kpitree okr okrs.yaml --model examples/webshop/model.yaml --data examples/webshop/actuals.csv --as-of 2027-03-31
OBJECTIVE  KEY_RESULT  CURRENT  PROGRESS  GRADE  COLOR  STATUS  FORECAST  NOTE
...`,
	shared:  withData | withRange | withPeriod,
	formats: tableFormats,
	args:    [2]int{0, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		model := fs.String("model", "", "the KPI tree `file` the key results and --recovery refer to")
		asOf := fs.String("as-of", "", "the `date` of the evaluation, YYYY-MM-DD (default: the end of --period, else today)")
		recovery := fs.Bool("recovery", false, "draft recovery OKRs for the lagging KPIs of --model")
		failOn := fs.String("fail-on", "never", "exit 1 when an objective or key result is at `level` or worse: at-risk, off-track or never")
		return func(ctx context.Context, e *env, args []string) error {
			if err := oneOf("fail-on", *failOn, []string{"at-risk", "off-track", "never"}); err != nil {
				return err
			}
			return runOKR(ctx, e, args, *model, *asOf, *recovery, *failOn)
		}
	},
}

func runOKR(ctx context.Context, e *env, args []string, modelPath, asOfFlag string, recovery bool, failOn string) error {
	var (
		l   *loaded
		res *rollup.Result
		err error
	)
	if modelPath != "" {
		if l, err = e.load(ctx, modelPath, recovery); err != nil {
			return err
		}
		if l.data != nil {
			from, to, err := e.span(l)
			if err != nil {
				return err
			}
			if recovery {
				p, err := e.asOf(l, to)
				if err != nil {
					return err
				}
				if to.Before(p) {
					to = p
				}
			}
			if res, err = rollup.Evaluate(l.compiled, l.source(), from, to, rollup.Options{}); err != nil {
				return err
			}
		}
	} else if len(e.data) > 0 || recovery {
		return usagef("--data and --recovery need --model MODEL")
	}
	if recovery {
		p, err := e.asOf(l, res.Periods()[len(res.Periods())-1])
		if err != nil {
			return err
		}
		drafts, findings, err := okr.DraftRecovery(res, p, okr.RecoveryOptions{})
		if err != nil {
			return err
		}
		for _, f := range findings {
			e.notef("%s", f)
		}
		set := &okr.Set{Name: "Recovery drafts as of " + p.String()}
		for _, d := range drafts {
			set.Objectives = append(set.Objectives, d.Objective)
			for _, n := range d.Notes {
				e.notef("%s: %s", d.Metric, n)
			}
		}
		if len(drafts) == 0 {
			e.notef("no KPI is lagging its target as of %s: nothing to draft", p)
		}
		f := okr.YAML
		if e.format == "json" {
			f = okr.JSON
		}
		return set.Save(e.stdout, f)
	}
	if len(args) == 0 {
		return usagef("missing argument OKRFILE (or give --recovery with --model)")
	}
	set, err := okr.LoadFile(args[0])
	if err != nil {
		return err
	}
	at := time.Now().UTC()
	switch {
	case asOfFlag != "":
		at, err = time.Parse("2006-01-02", asOfFlag)
		if err != nil {
			return usagef("--as-of %s: expected a date such as 2027-03-31", asOfFlag)
		}
		at = at.Add(24 * time.Hour) // the end of the day: a month ending that day counts
	case e.period != "" && l != nil:
		p, err := l.parsePeriodFlag("period", e.period)
		if err != nil {
			return err
		}
		at = p.End()
	}
	opt := okr.Options{AsOf: at, Data: res}
	if l != nil {
		opt.Model = l.compiled
	}
	rep, err := okr.Evaluate(set, opt)
	if err != nil {
		return err
	}
	for _, f := range rep.Findings {
		e.notef("%s", f)
	}
	t := newTable("okr", column{"objective", colText}, column{"key_result", colText}, column{"current", colNumber},
		column{"progress", colNumber}, column{"grade", colNumber}, column{"color", colText}, column{"status", colStatus},
		column{"forecast", colNumber}, column{"note", colText})
	t.meta = []kv{{"set", set.Name}, {"as_of", at.Add(-time.Nanosecond).Format("2006-01-02")}}
	worst := rollup.NoData
	note := func(s rollup.Status) {
		if s == rollup.OffTrack || s == rollup.AtRisk && worst != rollup.OffTrack {
			worst = s
		}
	}
	for _, o := range rep.Objectives {
		t.add(textCell(o.ID), textCell(""), missingCell(""), numCell(o.Progress, "ratio"), numCell(o.Grade, ""),
			textCell(o.Color.String()), textCell(o.Status.String()), missingCell(""), textCell(""))
		note(o.Status)
		for _, kr := range o.KeyResults {
			grade, color := math.NaN(), ""
			if !math.IsNaN(kr.Progress) {
				var c okr.Color
				grade, c = okr.Grade(kr.Progress)
				color = c.String()
			}
			fc := missingCell("")
			if kr.Forecast != nil {
				fc = numCell(kr.Forecast.Value, "")
			}
			t.add(textCell(o.ID), textCell(kr.ID), numCell(kr.Current, ""), numCell(kr.Progress, "ratio"), numCell(grade, ""),
				textCell(color), textCell(kr.Status.String()), fc, textCell(kr.Note))
			note(kr.Status)
		}
	}
	if err := e.emit(t); err != nil {
		return err
	}
	if failOn == "off-track" && worst == rollup.OffTrack || failOn == "at-risk" && (worst == rollup.AtRisk || worst == rollup.OffTrack) {
		return fmt.Errorf("%s (--fail-on %s): %w", strings.ToLower(worst.String()), failOn, errFindings)
	}
	return nil
}
