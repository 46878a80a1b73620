package tree_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/kpitree/kpitree/tree"
)

func ExampleLoad() {
	const src = `kpitree: "1"
name: Web shop
metrics:
  - id: revenue
    kind: KGI
    unit: USD
    formula: visitors * conversion_rate * avg_order_value
    targets:
      - {period: 2027, value: 500000000}
  - id: visitors
  - id: conversion_rate
    unit: ratio
  - id: avg_order_value
    unit: USD
`
	m, err := tree.Load(strings.NewReader(src), "webshop.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := m.Metric("revenue")
	fmt.Println(m.Name, "-", len(m.Metrics), "metrics")
	fmt.Printf("%s (%s, %s) = %s\n", r.ID, r.Kind, r.Unit, r.Formula)
	t := r.Targets[0]
	fmt.Printf("target %g by %s\n", t.Value, t.Deadline().Format("2006-01-02"))
	// Output:
	// Web shop - 4 metrics
	// revenue (KGI, USD) = visitors * conversion_rate * avg_order_value
	// target 5e+08 by 2028-01-01
}

func ExampleLoad_errors() {
	const src = `kpitree: "1"
metrics:
  - id: revenue
    unti: USD
    kind: KGl
  - id: revenue
`
	_, err := tree.Load(strings.NewReader(src), "webshop.yaml")
	fmt.Println(err)
	// Output:
	// webshop.yaml:4:5: metrics[0]: unknown key "unti" (did you mean "unit"?)
	// webshop.yaml:5:11: metrics[0].kind: invalid kind "KGl": want KGI, KPI or KSF (did you mean "KGI"?)
	// webshop.yaml:6:9: metrics[1].id: duplicate metric id "revenue" (first defined at line 3)
}

func ExampleModel_Save() {
	m, err := tree.Load(strings.NewReader(`{"kpitree": "1", "name": "Shop", "metrics": [{"id": "revenue", "unit": "USD"}],
  "links": [{"from": "visitors", "to": "revenue", "sign": "+", "lag": 1}]}`), "")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.Save(os.Stdout, tree.YAML); err != nil {
		fmt.Println(err)
	}
	// Output:
	// kpitree: "1"
	// name: Shop
	// metrics:
	//   - id: revenue
	//     unit: USD
	// links:
	//   - {from: visitors, to: revenue, sign: +, lag: 1}
}

// Load reads numbers as YAML 1.2 writes them and enforces its limits
// with positioned errors: a file from an untrusted source costs at most
// a constant times its size.
func ExampleLoad_limits() {
	m, err := tree.Load(strings.NewReader("kpitree: \"1\"\nmetrics:\n  - id: a\n    initial: 010\n"), "m.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*m.Metrics[0].Initial) // ten, not octal eight

	deep := "kpitree: \"1\"\nmetrics: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n"
	_, err = tree.Load(strings.NewReader(deep), "deep.yaml")
	var de *tree.DecodeError
	if errors.As(err, &de) {
		fmt.Printf("%s:%d:%d: %s (%s)\n", de.File, de.Line, de.Column, de.Msg, de.Hint)
	}
	fmt.Println(tree.MaxDepth, tree.MaxIDLength, tree.MaxFileSize)
	// Output:
	// 10
	// deep.yaml:2:73: nested deeper than 64 levels (flatten the structure)
	// 64 256 33554432
}
