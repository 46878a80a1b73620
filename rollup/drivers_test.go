package rollup_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// webshopDrivers loads the web-shop example model, in which
// conversion_rate = orders / visitors is a driver, and nine months of
// actuals.
func webshopDrivers(t *testing.T) (*tree.Compiled, rollup.Data, metric.Period) {
	t.Helper()
	m, err := tree.LoadFile("../examples/webshop/model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	d := rollup.Data{}
	jan := per(t, "2027-01")
	for k := range 9 {
		f := float64(k)
		p := jan.Add(k)
		visitors := 0.0
		for id, v := range map[string]float64{"organic_visits": 70000 + 2500*f, "paid_visits": 150000 + 3000*f, "direct_visits": 60000 + 1000*f} {
			set(t, d, id, p, v)
			visitors += v
		}
		set(t, d, "orders", p, math.Round(visitors*(0.06+0.0015*f)))
		set(t, d, "avg_order_value", p, 1650+10*f)
		for _, id := range []string{"branded_search", "bounce_rate", "site_structure", "new_pages"} {
			set(t, d, id, p, 1)
		}
	}
	return c, d, jan
}

// TestDriversAcceptance: +10% visitors raises revenue by 10% with
// conversion and basket held at their actual values, in every what-if API.
func TestDriversAcceptance(t *testing.T) {
	c, d, jan := webshopDrivers(t)
	sep := jan.Add(8)
	actual, err := rollup.Evaluate(c, d, jan, sep, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	val := func(r *rollup.Result, id string, p metric.Period) float64 {
		t.Helper()
		v, ok := r.Value(id, p)
		if !ok {
			t.Fatalf("%s %s: %s", id, p, r.Why(id, p))
		}
		return v
	}
	// Scenario: visitors (a derived metric here) +10% in every period.
	more := rollup.NewScenario("more", nil).Scale("visitors", 10, rollup.Span{})
	sr, err := more.Evaluate(c, d, jan, sep, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for p := jan; !sep.Before(p); p = p.Next() {
		if got, want := val(sr, "revenue", p), 1.1*val(actual, "revenue", p); !closeRel(got, want, 1e-12) {
			t.Errorf("%s: revenue %v, want %v", p, got, want)
		}
		for _, id := range []string{"conversion_rate", "avg_order_value"} {
			if got, want := val(sr, id, p), val(actual, id, p); !closeRel(got, want, 1e-15) {
				t.Errorf("%s: %s %v, want its actual %v", p, id, got, want)
			}
		}
		if got, want := val(sr, "orders", p), 1.1*val(actual, "orders", p); !closeRel(got, want, 1e-12) {
			t.Errorf("%s: orders %v, want %v", p, got, want)
		}
	}
	// The scenario's quarter adds up too (conversion weighted by visitors).
	q, err := sr.Window(jan, jan.Add(2))
	if err != nil {
		t.Fatal(err)
	}
	qa, _ := actual.Window(jan, jan.Add(2))
	qv, _ := q.Value("revenue")
	qav, _ := qa.Value("revenue")
	if !closeRel(qv, 1.1*qav, 1e-12) {
		t.Errorf("Q1 revenue %v, want %v", qv, 1.1*qav)
	}
	// Compare: the same numbers side by side.
	cmp, err := rollup.Compare(c, d, []*rollup.Scenario{more}, sep, sep, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if df, ok := cmp.Diff("more", "revenue", sep); !ok || !closeRel(df.Rel, 0.1, 1e-9) {
		t.Errorf("Compare: %+v", df)
	}
	// Session and goal seek: the traffic for a revenue target.
	s, err := rollup.NewSession(c, d, sep, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rev := val(actual, "revenue", sep)
	seek, err := s.GoalSeek("revenue", 1.2*rev, "visitors", rollup.SeekOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := 1.2 * val(actual, "visitors", sep); !closeRel(seek.Value, want, 1e-9) || seek.Method != rollup.SeekExact {
		t.Errorf("goal seek: visitors %v (%v), want %v", seek.Value, seek.Method, want)
	}
	seek, err = s.GoalSeek("revenue", 1.2*rev, "paid_visits", rollup.SeekOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := val(actual, "paid_visits", sep) + 0.2*val(actual, "visitors", sep); !closeRel(seek.Value, want, 1e-9) {
		t.Errorf("goal seek: paid visits %v, want %v", seek.Value, want)
	}
	// A Session from a result holds the driver too.
	sa, err := rollup.SessionAt(actual, sep)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sa.Set("paid_visits", val(actual, "paid_visits", sep)+0.1*val(actual, "visitors", sep)); err != nil {
		t.Fatal(err)
	}
	if got, _ := sa.Value("revenue"); !closeRel(got, 1.1*rev, 1e-12) {
		t.Errorf("SessionAt: revenue %v, want %v", got, 1.1*rev)
	}
	// Sensitivity: revenue is proportional to visitors and to conversion.
	es, err := s.Elasticities("revenue", rollup.ElasticityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]float64{}
	for _, e := range es {
		seen[e.Input] = e.Point
	}
	if !closeRel(seen["conversion_rate"], 1, 1e-6) || !closeRel(seen["avg_order_value"], 1, 1e-6) {
		t.Errorf("elasticities %v", seen)
	}
	if sum := seen["organic_visits"] + seen["paid_visits"] + seen["direct_visits"]; !closeRel(sum, 1, 1e-6) {
		t.Errorf("the visit channels' elasticities add up to %v, want 1", sum)
	}
	if _, ok := seen["orders"]; ok {
		t.Error("orders is listed as an input of the what-if model")
	}
	// Cascade: conversion gets a target of its own.
	ts, err := s.Cascade("revenue", 1.21*rev, rollup.CascadeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var convTarget bool
	for _, ct := range ts {
		if ct.Metric == "conversion_rate" {
			convTarget = ct.Target.Value > ct.Current
		}
	}
	if !convTarget {
		t.Errorf("cascade gives conversion no higher target: %+v", ts)
	}
	// Simulation: conversion can be uncertain; orders follow.
	conv := val(actual, "conversion_rate", sep)
	dist, err := rollup.Normal(conv, conv/100)
	if err != nil {
		t.Fatal(err)
	}
	sim := rollup.Simulation{Draws: 2000, Seed: 1, Inputs: []rollup.Uncertain{{Metric: "conversion_rate", Dist: dist}}, Outputs: []string{"revenue", "orders"}}
	res, err := sim.Run(context.Background(), c, d, sep)
	if err != nil {
		t.Fatal(err)
	}
	sm, _ := res.Summary("revenue")
	if !closeRel(sm.Mean, rev, 0.01) || sm.SD == 0 {
		t.Errorf("simulated revenue mean %v sd %v, want about %v", sm.Mean, sm.SD, rev)
	}
	om, _ := res.Summary("orders")
	if !(om.SD > 0) {
		t.Errorf("orders do not follow the simulated conversion: %+v", om)
	}
}

// TestDriverMissingMeasurement: a driver that cannot be measured is
// missing in what-if, with the reason.
func TestDriverMissingMeasurement(t *testing.T) {
	c, d, jan := webshopDrivers(t)
	delete(d, "orders")
	r, err := rollup.NewScenario("x", nil).Evaluate(c, d, jan, jan, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Value("revenue", jan); ok {
		t.Fatal("revenue has a value without orders")
	}
	if why := r.Why("revenue", jan); !strings.Contains(why, "conversion_rate 2027-01: missing input: the driver is measured as orders / visitors: orders 2027-01: missing input") {
		t.Errorf("Why = %q", why)
	}
}
