package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// loaded is a model, compiled, and the data of the --data files.
type loaded struct {
	path     string // the model file as given ("-" is stdin)
	model    *tree.Model
	compiled *tree.Compiled
	// data is nil when no --data was given.
	data *dataset
}

// loadModel reads and compiles the model file at path ("-" is stdin).
func (e *env) loadModel(path string) (*loaded, error) {
	var (
		m   *tree.Model
		err error
	)
	if path == "-" {
		if e.stdin == nil {
			return nil, usagef("model -: no standard input")
		}
		m, err = tree.Load(e.stdin, "<stdin>")
	} else {
		f, ferr := os.Open(path)
		if ferr != nil {
			return nil, fmt.Errorf("model: %w", ferr)
		}
		defer f.Close()
		m, err = tree.Load(f, path)
	}
	if err != nil {
		return nil, err
	}
	c, err := tree.Compile(m)
	if err != nil {
		return nil, err
	}
	return &loaded{path: path, model: m, compiled: c}, nil
}

// load reads the model at path and the --data files. needData makes
// --data required.
func (e *env) load(ctx context.Context, path string, needData bool) (*loaded, error) {
	if err := e.checkStdin(path); err != nil {
		return nil, err
	}
	l, err := e.loadModel(path)
	if err != nil {
		return nil, err
	}
	if len(e.data) == 0 {
		if needData {
			return nil, usagef("--data FILE is required: the observed values of the model's inputs (CSV, JSON or Parquet; - is stdin)")
		}
		return l, nil
	}
	in := newIngest(l.compiled)
	in.notef = e.notef
	tick := e.startProgress("reading data", int64(len(e.data)))
	for k, name := range e.data {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := in.readDataFile(name, e.stdin); err != nil {
			return nil, err
		}
		tick(int64(k + 1))
	}
	l.data = in.ds
	return l, nil
}

// checkStdin refuses two readers of stdin.
func (e *env) checkStdin(model string) error {
	n := 0
	if model == "-" {
		n++
	}
	for _, d := range e.data {
		if d == "-" {
			n++
		}
	}
	if n > 1 {
		return usagef("standard input (-) can be read only once: give the model or one --data as -, not both")
	}
	return nil
}

// parsePeriodFlag parses the value of a period flag under the model's
// calendar.
func (l *loaded) parsePeriodFlag(flagName, s string) (metric.Period, error) {
	p, err := l.model.Calendar.Parse(s)
	if err != nil {
		var pe *metric.ParseError
		if errors.As(err, &pe) {
			return metric.Period{}, usagef("--%s %s: %s", flagName, s, pe.Msg)
		}
		return metric.Period{}, usagef("--%s %s: %v", flagName, s, err)
	}
	return p, nil
}

// span is the evaluated range: --from and --to, each defaulting to the
// first and last period of the data. It checks the grain, and that
// values given for derived metrics lie before it (see checkDerived).
func (e *env) span(l *loaded) (from, to metric.Period, err error) {
	grain := l.model.GrainOrDefault()
	if e.from != "" {
		if from, err = l.parsePeriodFlag("from", e.from); err != nil {
			return from, to, err
		}
	} else if l.data != nil && !l.data.first.IsZero() {
		from = l.data.first
	}
	if e.to != "" {
		if to, err = l.parsePeriodFlag("to", e.to); err != nil {
			return from, to, err
		}
	} else if l.data != nil && !l.data.last.IsZero() {
		to = l.data.last
	}
	if from.IsZero() || to.IsZero() {
		return from, to, usagef("give --from and --to: there is no data to take the periods from")
	}
	if from.Grain() != grain {
		if from, err = fineStart(l, from, "from"); err != nil {
			return from, to, err
		}
	}
	if to.Grain() != grain {
		if to, err = fineEnd(l, to, "to"); err != nil {
			return from, to, err
		}
	}
	if to.Before(from) {
		return from, to, usagef("--to %s is before --from %s", to, from)
	}
	return from, to, l.checkDerived(e, from)
}

// fineStart turns a coarser period (a quarter, a year) into the first
// period of the model's grain inside it.
func fineStart(l *loaded, p metric.Period, flagName string) (metric.Period, error) {
	g := l.model.GrainOrDefault()
	if p.Grain() < g {
		return p, usagef("--%s %s is a %s, finer than the model's grain %s", flagName, p, p.Grain(), g)
	}
	q := l.model.Calendar.Of(g, p.Start())
	if q.IsZero() {
		return p, usagef("--%s %s: no %s period starts it", flagName, p, g)
	}
	return q, nil
}

// fineEnd is the last period of the model's grain inside p.
func fineEnd(l *loaded, p metric.Period, flagName string) (metric.Period, error) {
	q, err := fineStart(l, p.Next(), flagName)
	if err != nil {
		return p, err
	}
	return q.Prev(), nil
}

// at is the one period looked at: --period, else the last period of the
// data.
func (e *env) at(l *loaded) (metric.Period, error) {
	var p metric.Period
	if e.period != "" {
		q, err := l.parsePeriodFlag("period", e.period)
		if err != nil {
			return q, err
		}
		p = q
	} else if l.data != nil && !l.data.last.IsZero() {
		p = l.data.last
	} else {
		return p, usagef("give --period: there is no data to take it from")
	}
	if g := l.model.GrainOrDefault(); p.Grain() != g {
		return p, usagef("--period %s is a %s; the model is evaluated by %s", p, p.Grain(), g)
	}
	return p, l.checkDerived(e, p)
}

// checkDerived enforces the rule for values given for derived metrics:
// the library computes derived metrics, so such a value is accepted only
// as a recorded actual, read by prev() before the first evaluated period.
// A value at or after from would be ignored: that is an error, with its
// position. Values before from are kept, and a note says so.
func (l *loaded) checkDerived(e *env, from metric.Period) error {
	if l.data == nil || len(l.data.derived) == 0 {
		return nil
	}
	kept := 0
	var ids []string
	for _, d := range l.data.derived {
		if !d.p.Before(from) {
			i, _ := l.compiled.Index(d.id)
			return d.at.err(fmt.Sprintf("%s is derived (formula %s): a value for it in %s would not be used", d.id, l.compiled.Metric(i).Formula, d.p),
				fmt.Sprintf("derived metrics are computed; a value of one is read only as a recorded actual before the first evaluated period (%s), by prev(); remove the row or give the inputs", from))
		}
		kept++
		if len(ids) == 0 || ids[len(ids)-1] != d.id {
			ids = append(ids, d.id)
		}
	}
	e.notef("%d values of derived metrics (%s) before %s are used only as recorded actuals, by prev()", kept, joinMax(ids, 5), from)
	return nil
}

func joinMax(ids []string, n int) string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if len(out) > n {
		return fmt.Sprintf("%s and %d more", joinComma(out[:n]), len(out)-n)
	}
	return joinComma(out)
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// source is the data as a rollup.Source (an empty one without --data).
func (l *loaded) source() rollup.Source {
	if l.data == nil {
		return rollup.Data{}
	}
	return l.data.values
}

var _ io.Reader
