package rollup_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// monthly values Jan..Dec 2026 used for every aggregation.
var digits = []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8}

func TestRollupAggregations(t *testing.T) {
	ms := []metric.Metric{
		{ID: "sum"}, // default aggregation
		{ID: "mean", Aggregation: metric.Mean},
		{ID: "last", Aggregation: metric.Last},
		{ID: "first", Aggregation: metric.First},
		{ID: "min", Aggregation: metric.Min},
		{ID: "max", Aggregation: metric.Max},
	}
	c := compile(t, 0, ms...)
	d := rollup.Data{}
	for _, m := range ms {
		for i, v := range digits {
			if err := d.Set(m.ID, per(t, "2026-01").Add(i), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[string][]float64{ // Q1, Q2, Q3, Q4, year
		"sum":   {8, 15, 13, 16, 52},
		"mean":  {8.0 / 3, 5, 13.0 / 3, 16.0 / 3, 52.0 / 12},
		"last":  {4, 9, 5, 8, 8},
		"first": {3, 1, 2, 3, 3},
		"min":   {1, 1, 2, 3, 1},
		"max":   {4, 9, 6, 8, 9},
	}
	rq, err := rollup.Rollup(c, d, per(t, "2026-Q1"), per(t, "2026-Q4"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ry, err := rollup.Rollup(c, d, per(t, "2026"), per(t, "2026"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rq.Issues()) != 0 || len(ry.Issues()) != 0 {
		t.Errorf("issues: %v %v", rq.Issues(), ry.Issues())
	}
	for id, w := range want {
		for q := range 4 {
			p := per(t, "2026-Q1").Add(q)
			if v, ok := rq.Value(id, p); !ok || !sameFloat(v, w[q]) {
				t.Errorf("%s %s = %v, %v; want %v", id, p, v, ok, w[q])
			}
		}
		if v, ok := ry.Value(id, per(t, "2026")); !ok || !sameFloat(v, w[4]) {
			t.Errorf("%s 2026 = %v, %v; want %v", id, v, ok, w[4])
		}
	}
}

// funnel: conversion is recomputed from quarterly orders and visitors.
var funnel = []metric.Metric{
	{ID: "visitors"},
	{ID: "orders"},
	{ID: "conversion", Formula: "orders / visitors", Aggregation: metric.Mean},
	{ID: "growth", Formula: "orders - prev(orders)"},
}

var funnelData = obs{
	"visitors": {"2026-01": 100, "2026-02": 1000, "2026-03": 400, "2026-04": 500, "2026-05": 500, "2026-06": 1000},
	"orders":   {"2025-10": 5, "2025-11": 5, "2025-12": 10, "2026-01": 10, "2026-02": 30, "2026-03": 20, "2026-04": 25, "2026-05": 20, "2026-06": 30},
}

func TestRollupRecomputesDerived(t *testing.T) {
	c := compile(t, 0, funnel...)
	r, err := rollup.Rollup(c, funnelData.data(t), per(t, "2026-Q1"), per(t, "2026-Q2"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkCells(t, r, map[string]cell{
		"visitors@2026-Q1":   {1500, rollup.OK},
		"orders@2026-Q1":     {60, rollup.OK},
		"conversion@2026-Q1": {0.04, rollup.OK}, // 60 / 1500
		"conversion@2026-Q2": {0.0375, rollup.OK},
		"growth@2026-Q1":     {40, rollup.OK}, // 60 - (5+5+10) from the source's history
		"growth@2026-Q2":     {15, rollup.OK}, // 75 - 60: prev is the previous quarter
	})
	// The mean of the monthly rates is not the quarterly rate.
	m, err := rollup.Evaluate(c, funnelData.data(t), per(t, "2026-01"), per(t, "2026-03"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mean := 0.0
	for _, v := range m.Series("conversion").Values() {
		mean += v / 3
	}
	q, _ := r.Value("conversion", per(t, "2026-Q1"))
	if !sameFloat(mean, 0.06) || sameFloat(q, mean) {
		t.Errorf("monthly mean %v, quarterly %v: they should differ (0.06 vs 0.04)", mean, q)
	}
}

func TestRollupIncomplete(t *testing.T) {
	c := compile(t, 0, funnel...)
	d := funnelData.data(t)
	d["visitors"].Delete(per(t, "2026-02"))
	d["visitors"].Delete(per(t, "2026-03"))
	from, to := per(t, "2026-Q1"), per(t, "2026-Q2")

	r, err := rollup.Rollup(c, d, from, to, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkCells(t, r, map[string]cell{
		"visitors@2026-Q1":   {math.NaN(), rollup.Missing},
		"conversion@2026-Q1": {math.NaN(), rollup.Missing},
		"orders@2026-Q1":     {60, rollup.OK},
		"conversion@2026-Q2": {0.0375, rollup.OK},
	})
	want := []string{"visitors 2026-Q1: missing input: 2 of 3 months missing (2026-02, 2026-03); set Options.Partial to aggregate the rest"}
	if diff := cmp.Diff(want, issueStrings(r.Issues())); diff != "" {
		t.Errorf("issues (-want +got):\n%s", diff)
	}
	if got := r.Why("conversion", from); got != want[0] {
		t.Errorf("Why = %q", got)
	}

	r, err = rollup.Rollup(c, d, from, to, rollup.Options{Partial: true})
	if err != nil {
		t.Fatal(err)
	}
	checkCells(t, r, map[string]cell{
		"visitors@2026-Q1":   {100, rollup.Partial},
		"conversion@2026-Q1": {0.6, rollup.Partial}, // 60 / 100
		"orders@2026-Q1":     {60, rollup.OK},
		"growth@2026-Q1":     {40, rollup.OK},
		"conversion@2026-Q2": {0.0375, rollup.OK},
	})
	want = []string{"visitors 2026-Q1: partial period: aggregated from 1 of 3 months (missing 2026-02, 2026-03)"}
	if diff := cmp.Diff(want, issueStrings(r.Issues())); diff != "" {
		t.Errorf("partial issues (-want +got):\n%s", diff)
	}

	// A quarter with no month at all stays missing, even with Partial.
	r, err = rollup.Rollup(c, d, per(t, "2026-Q3"), per(t, "2026-Q3"), rollup.Options{Partial: true, Policy: rollup.Fail})
	if !errors.Is(err, rollup.ErrEvaluation) {
		t.Fatalf("err = %v", err)
	}
	if got := r.Why("visitors", per(t, "2026-Q3")); got != "visitors 2026-Q3: missing input: no observation in any of its 3 months" {
		t.Errorf("Why = %q", got)
	}
}

func TestRollupFiscalYear(t *testing.T) {
	cal := metric.Calendar{FiscalYearStart: time.April}
	c, err := tree.Compile(&tree.Model{Calendar: cal, Metrics: []metric.Metric{{ID: "sales"}, {ID: "stock", Aggregation: metric.Last}}})
	if err != nil {
		t.Fatal(err)
	}
	d := rollup.Data{}
	set := func(id, p string, v float64) {
		if err := d.Set(id, per(t, p), v); err != nil {
			t.Fatal(err)
		}
	}
	set("sales", "2026-03", 1000) // FY2025
	set("sales", "2027-04", 1000) // FY2027
	for i := range 12 {
		p := per(t, "2026-04").Add(i)
		set("sales", p.String(), float64(i+1))
		set("stock", p.String(), float64(10*(i+1)))
	}
	tests := []struct {
		from, to string
		want     map[string]float64
	}{
		{"FY2026", "FY2026", map[string]float64{"sales": 78, "stock": 120}},       // 1+...+12; March 2027
		{"FY2026-Q1", "FY2026-Q1", map[string]float64{"sales": 6, "stock": 30}},   // Apr..Jun 2026
		{"FY2026-Q4", "FY2026-Q4", map[string]float64{"sales": 33, "stock": 120}}, // Jan..Mar 2027
		{"2026-Q2", "2026-Q2", map[string]float64{"sales": 6, "stock": 30}},       // calendar quarters work too
	}
	for _, tc := range tests {
		from, to := fper(t, cal, tc.from), fper(t, cal, tc.to)
		r, err := rollup.Rollup(c, d, from, to, rollup.Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.from, err)
		}
		for id, w := range tc.want {
			if v, ok := r.Value(id, from); !ok || v != w {
				t.Errorf("%s %s = %v, %v; want %v (%s)", id, tc.from, v, ok, w, r.Why(id, from))
			}
		}
	}
	// A calendar year cuts across two fiscal years: Jan..Mar 2026 are missing.
	r, err := rollup.Rollup(c, d, per(t, "2026"), per(t, "2026"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Why("sales", per(t, "2026")); got != "sales 2026: missing input: 2 of 12 months missing (2026-01, 2026-02); set Options.Partial to aggregate the rest" {
		t.Errorf("Why = %q", got)
	}
}

func TestRollupWeeklyToMonths(t *testing.T) {
	c := compile(t, metric.Week, metric.Metric{ID: "signups"}, metric.Metric{ID: "nps", Aggregation: metric.Mean})
	d := rollup.Data{}
	// 2026-W01 starts on Monday 2025-12-29; its Thursday is 1 January.
	w1 := per(t, "2026-W01")
	for i := range 14 {
		if err := d.Set("signups", w1.Add(i), float64(i+1)); err != nil {
			t.Fatal(err)
		}
		if err := d.Set("nps", w1.Add(i), float64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	r, err := rollup.Rollup(c, d, per(t, "2026-01"), per(t, "2026-03"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkCells(t, r, map[string]cell{
		"signups@2026-01": {15, rollup.OK},                // W01..W05: 1+2+3+4+5
		"signups@2026-02": {30, rollup.OK},                // W06..W09 (W09's Thursday is 26 February)
		"signups@2026-03": {10 + 11 + 12 + 13, rollup.OK}, // W10..W13; W14 (from 30 March) has its Thursday in April
		"nps@2026-01":     {3, rollup.OK},
		"nps@2026-02":     {7.5, rollup.OK},
	})
	rq, err := rollup.Rollup(c, d, per(t, "2026-Q1"), per(t, "2026-Q1"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkCells(t, rq, map[string]cell{"signups@2026-Q1": {91, rollup.OK}}) // W01..W13
}

func TestRollupPrevAtCoarseGrain(t *testing.T) {
	ms := []metric.Metric{
		{ID: "new_mrr"}, {ID: "churned_mrr"},
		{ID: "mrr", Formula: "prev(mrr) + new_mrr - churned_mrr", Aggregation: metric.Last, Initial: ptr(100)},
		{ID: "qoq", Formula: "new_mrr - prev(new_mrr)"},
	}
	c := compile(t, 0, ms...)
	d := obs{
		"new_mrr":     {"2026-01": 10, "2026-02": 10, "2026-03": 10, "2026-04": 20, "2026-05": 20, "2026-06": 20},
		"churned_mrr": {"2026-01": 1, "2026-02": 2, "2026-03": 3, "2026-04": 4, "2026-05": 5, "2026-06": 6},
	}.data(t)
	r, err := rollup.Rollup(c, d, per(t, "2026-Q1"), per(t, "2026-Q2"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkCells(t, r, map[string]cell{
		"mrr@2026-Q1": {124, rollup.OK},           // Initial 100 + 30 - 6
		"mrr@2026-Q2": {124 + 60 - 15, rollup.OK}, // prev is Q1
		"qoq@2026-Q1": {math.NaN(), rollup.Missing},
		"qoq@2026-Q2": {30, rollup.OK},
	})
	want := []string{"new_mrr 2025-Q4: " + noHistory}
	if diff := cmp.Diff(want, issueStrings(r.Issues())); diff != "" {
		t.Errorf("issues (-want +got):\n%s", diff)
	}
}

func TestRollupSameGrainIsEvaluate(t *testing.T) {
	c := compile(t, 0, funnel...)
	d := funnelData.data(t)
	from, to := per(t, "2026-01"), per(t, "2026-06")
	a, err1 := rollup.Rollup(c, d, from, to, rollup.Options{})
	b, err2 := rollup.Evaluate(c, d, from, to, rollup.Options{})
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	ra, rb := dump(a), dump(b)
	if diff := cmp.Diff(rb, ra); diff != "" {
		t.Errorf("Rollup at the model grain differs from Evaluate:\n%s", diff)
	}
}

func TestRollupErrors(t *testing.T) {
	c := compile(t, 0, funnel...)
	tests := []struct {
		name     string
		from, to metric.Period
		want     string
	}{
		{"finer than the model", per(t, "2026-W01"), per(t, "2026-W02"), "rollup: cannot roll month data up to week periods: week is finer"},
		{"empty", per(t, "2026-Q2"), per(t, "2026-Q1"), "rollup: empty period range 2026-Q2..2026-Q1"},
		{"mixed grains", per(t, "2026-Q1"), per(t, "2026"), "rollup: period range 2026-Q1..2026 mixes a quarter and a year"},
	}
	for _, tc := range tests {
		if _, err := rollup.Rollup(c, nil, tc.from, tc.to, rollup.Options{}); err == nil || err.Error() != tc.want {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
