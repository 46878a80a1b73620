package rollup_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// The README's quickstart: load a tree, evaluate a month, check a target,
// ask what if.
func Example_quickstart() {
	model, err := tree.Load(strings.NewReader(`
kpitree: "1"
name: Web shop
metrics:
  - id: revenue
    kind: KGI
    unit: USD
    formula: visitors * conversion_rate * avg_order_value
    additive: true
    targets: [{period: 2027-01, value: 40000000}]
  - {id: visitors, kind: KPI, unit: visits}
  - id: conversion_rate
    kind: KPI
    unit: ratio
    formula: orders / visitors    # measured from actuals
    driver: true                  # a lever in what-if: orders follow visitors
    aggregation: mean
    weight: visitors
  - {id: orders, kind: KPI, unit: count}
  - {id: avg_order_value, kind: KPI, unit: USD, aggregation: mean, weight: orders}
`), "webshop.yaml")
	if err != nil {
		log.Fatal(err)
	}
	c, err := tree.Compile(model)
	if err != nil {
		log.Fatal(err)
	}
	jan, _ := metric.Parse("2027-01")
	data := rollup.Data{}
	data.Set("visitors", jan, 300000)
	data.Set("orders", jan, 24000)
	data.Set("avg_order_value", jan, 1650)

	res, err := rollup.Evaluate(c, data, jan, jan, rollup.Options{})
	if err != nil {
		log.Fatal(err)
	}
	conv, _ := res.Value("conversion_rate", jan)
	rev, _ := res.Value("revenue", jan)
	fmt.Printf("conversion %.1f%%, revenue %.0f USD\n", 100*conv, rev)

	target := c.Metric(0).Targets[0]
	p, _ := rollup.Track(res, "revenue", target, jan, rollup.Thresholds{})
	fmt.Printf("attainment %.0f%%: %s\n", 100*p.Attainment, p.Status)

	// What if: conversion and basket are held at their actual values.
	s, err := rollup.NewSession(c, data, jan, rollup.Options{})
	if err != nil {
		log.Fatal(err)
	}
	seek, err := s.GoalSeek("revenue", 45e6, "visitors", rollup.SeekOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("visitors for 45M USD: %.0f\n", seek.Value)
	more := rollup.NewScenario("10% more visitors", nil).Scale("visitors", 10, rollup.Span{})
	r2, err := more.Evaluate(c, data, jan, jan, rollup.Options{})
	if err != nil {
		log.Fatal(err)
	}
	rev2, _ := r2.Value("revenue", jan)
	orders2, _ := r2.Value("orders", jan)
	fmt.Printf("+10%% visitors: revenue %.0f USD (%+.1f%%), orders %.0f\n", rev2, 100*(rev2/rev-1), orders2)
	// Output:
	// conversion 8.0%, revenue 39600000 USD
	// attainment 99%: off track
	// visitors for 45M USD: 340909
	// +10% visitors: revenue 43560000 USD (+10.0%), orders 26400
}
