package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math"
	"strings"

	"github.com/kpitree/kpitree/rollup"
)

var seekCmd = &command{
	name:    "seek",
	summary: "goal seek: the lever values that make a target reach a value",
	usage:   "seek MODEL --data FILE [--period P] --target METRIC=VALUE --lever ID[=LO..HI] [--lever ...] [--alloc equal|weighted|least-change] [--save FILE]",
	help: `Finds the value of the lever (an input, or a derived metric set directly)
that makes the target reach VALUE in --period (default: the last period of
the data), every other value held: exact inversion where the formulas allow
it, else a bracketed Brent solver. With several --lever the change is shared
as --alloc says: equal (every lever by the same relative factor), weighted
(--weight ID=W, log-scale weights) or least-change. --lever ID=LO..HI bounds
a lever (an end may be left empty).

When the target's formulas cancel the lever's effect (revenue = visitors ×
orders/visitors × order value), the metric in between is held at its
current value (conversion_rate here) and a note says so; --hold ID holds
metrics explicitly, --no-auto-hold turns this off.

--save FILE writes the answer as a scenario file (YAML, or JSON for .json)
and --format scenario writes it to stdout: the input of 'kpitree whatif
--scenarios'.

Exit codes: 0 found; 2 invalid input, or no solution (the target does not
depend on the lever, is unreachable within the bounds — the reachable range
is given — or is met more than once).

JSON shape: {"command":"seek","model":NAME,"period":P,"target":ID,"value":V,
"reached":V,"alloc":A,"held":[ID],"rows":[{"lever","start","value","change",
"at_bound"}]}`,
	example: `$ kpitree seek model.yaml --data actuals.csv --period 2027-01 \
    --target revenue=45000000 --lever visitors
note: conversion_rate held at its value in 2027-01 (its formula uses visitors, whose effect on revenue cancels out otherwise); --no-auto-hold turns this off
LEVER              START                VALUE  CHANGE  AT_BOUND
visitors  300,000 visits  340,909.0909 visits  13.64%  no`,
	shared:  withData | withPeriod,
	formats: append(tableFormats, "scenario"),
	args:    [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		o := &seekOpts{}
		fs.StringVar(&o.target, "target", "", "the goal, `METRIC=VALUE`: revenue=45000000")
		fs.Var(&o.levers, "lever", "a metric the seek may move, `ID[=LO..HI]` with optional bounds (repeatable)")
		fs.StringVar(&o.alloc, "alloc", "equal", "how several levers share the change: equal, weighted or least-change")
		fs.Var(&o.weights, "weight", "a lever's weight for --alloc weighted, `ID=W` (repeatable)")
		fs.Var(&o.hold, "hold", "hold derived metric `ID` at its current value (repeatable)")
		fs.BoolVar(&o.noAutoHold, "no-auto-hold", false, "do not hold a metric in between when the lever's effect cancels out")
		fs.StringVar(&o.save, "save", "", "write the answer as a scenario `file` (.yaml or .json)")
		fs.StringVar(&o.name, "name", "", "the scenario's `name` in --save and --format scenario (default seek_<target>)")
		return func(ctx context.Context, e *env, args []string) error {
			return runSeek(ctx, e, args[0], o)
		}
	},
}

type seekOpts struct {
	target            string
	levers, weights   listFlag
	hold              listFlag
	alloc, save, name string
	noAutoHold        bool
}

func runSeek(ctx context.Context, e *env, path string, o *seekOpts) error {
	if o.target == "" {
		return usagef("--target METRIC=VALUE is required: the goal, as in --target revenue=45000000")
	}
	if len(o.levers) == 0 {
		return usagef("--lever ID is required: the metric the seek may move, as in --lever visitors")
	}
	alloc, err := parseAlloc(o.alloc)
	if err != nil {
		return err
	}
	l, err := e.load(ctx, path, true)
	if err != nil {
		return err
	}
	p, err := e.at(l)
	if err != nil {
		return err
	}
	tid, goal, err := parseAssign(l, "target", o.target)
	if err != nil {
		return err
	}
	ti, _ := l.compiled.Index(tid)
	var levers []rollup.Lever
	var idx []int
	for _, s := range splitList(o.levers) {
		id, bounds, hasBounds := strings.Cut(s, "=")
		i, err := metricID(l, "lever", id)
		if err != nil {
			return err
		}
		lv := rollup.Lever{Input: id, Weight: 1}
		if hasBounds {
			if lv.Lo, lv.Hi, err = parseBounds("lever "+id, bounds); err != nil {
				return err
			}
		}
		levers = append(levers, lv)
		idx = append(idx, i)
	}
	for _, w := range o.weights {
		id, v, err := parseAssign(l, "weight", w)
		if err != nil {
			return err
		}
		k := -1
		for j, lv := range levers {
			if lv.Input == id {
				k = j
			}
		}
		if k < 0 {
			return usagef("--weight %s: %s is not a --lever", w, id)
		}
		if v < 0 {
			return usagef("--weight %s: a weight is 0 or more", w)
		}
		levers[k].Weight = v
	}
	s, err := e.session(l, nil, p)
	if err != nil {
		return err
	}
	if err := hold(l, s, o.hold); err != nil {
		return err
	}
	solve := func(s *rollup.Session) (rollup.SeekMany, error) {
		if len(levers) == 1 {
			lv := levers[0]
			r, err := s.GoalSeek(tid, goal, lv.Input, rollup.SeekOptions{Lo: lv.Lo, Hi: lv.Hi})
			if err != nil {
				return rollup.SeekMany{}, err
			}
			ch := r.Value/r.Start - 1
			if r.Start == 0 {
				ch = math.NaN()
			}
			atBound := lv.Lo != lv.Hi && (r.Value == lv.Lo || r.Value == lv.Hi)
			return rollup.SeekMany{Target: tid, Reached: r.Reached, Levers: []rollup.LeverResult{{Input: lv.Input, Start: r.Start, Value: r.Value, Change: ch, AtBound: atBound}}}, nil
		}
		return s.GoalSeekMany(tid, goal, levers, alloc)
	}
	res, err := solve(s)
	held := splitList(o.hold)
	if err != nil && isCancel(err) && !o.noAutoHold {
		// hold the metric in between whose formula cancels the lever
		for _, k := range holdCandidates(l.compiled, ti, idx) {
			t := s.Clone()
			id := l.compiled.ID(k)
			v, _ := t.Value(id)
			if _, serr := t.Set(id, v); serr != nil {
				continue
			}
			if r, err2 := solve(t); err2 == nil {
				res, err = r, nil
				held = append(held, id)
				e.notef("%s held at its value in %s (its formula uses %s, whose effect on %s cancels out otherwise); --no-auto-hold turns this off",
					id, p, levers[0].Input, tid)
				break
			}
		}
	}
	if err != nil {
		return seekError(err)
	}
	name := o.name
	if name == "" {
		name = "seek_" + tid
	}
	sc := res.Scenario(name, p)
	for _, id := range held {
		// a held metric keeps its value in the scenario too, or the
		// levers' values would not give the target
		v, _ := s.Value(id)
		sc.Set(id, v, rollup.During(p))
	}
	if o.save != "" {
		if err := saveScenario(o.save, []*rollup.Scenario{sc}); err != nil {
			return err
		}
	}
	if e.format == "scenario" {
		w := bufio.NewWriter(e.stdout)
		if err := rollup.SaveScenarios(w, []*rollup.Scenario{sc}, scenarioFormat("")); err != nil {
			return err
		}
		return w.Flush()
	}
	t := newTable("seek", column{"lever", colText}, column{"start", colNumber}, column{"value", colNumber},
		column{"change", colNumber}, column{"at_bound", colBool})
	if held == nil {
		held = []string{}
	}
	t.meta = []kv{{"model", l.model.Name}, {"period", p.String()}, {"target", tid}, {"value", goal},
		{"reached", res.Reached}, {"alloc", o.alloc}, {"held", held}}
	for _, lr := range res.Levers {
		u := unitOf(l, lr.Input)
		t.add(textCell(lr.Input), numCell(lr.Start, u), numCell(lr.Value, u), numCell(lr.Change, ratioUnit), boolCell(lr.AtBound))
	}
	return e.emit(t)
}

func parseAlloc(s string) (rollup.Allocation, error) {
	switch s {
	case "equal":
		return rollup.EqualChange, nil
	case "weighted":
		return rollup.Weighted, nil
	case "least-change":
		return rollup.LeastChange, nil
	}
	return 0, oneOf("alloc", s, []string{"equal", "weighted", "least-change"})
}

// seekError adds what to do to the library's seek errors.
func seekError(err error) error {
	switch {
	case isCancel(err):
		return fmt.Errorf("%w\nhint: hold the metric in between with --hold ID", err)
	}
	return err
}
