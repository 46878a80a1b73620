package rollup_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// The README's quickstart: load a tree, evaluate a month, check a target.
func Example_quickstart() {
	model, err := tree.Load(strings.NewReader(`
kpitree: "1"
name: Web shop
metrics:
  - id: revenue
    kind: KGI
    unit: USD
    formula: visitors * conversion_rate * avg_order_value
    targets: [{period: 2027-01, value: 40000000}]
  - {id: visitors, kind: KPI, unit: visits}
  - {id: conversion_rate, kind: KPI, unit: ratio, aggregation: mean, formula: orders / visitors}
  - {id: orders, kind: KPI, unit: count}
  - {id: avg_order_value, kind: KPI, unit: USD, aggregation: mean}
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
	// Output:
	// conversion 8.0%, revenue 39600000 USD
	// attainment 99%: off track
}
