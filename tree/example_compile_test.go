package tree_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

func shop() *tree.Model {
	return &tree.Model{Name: "shop", Metrics: []metric.Metric{
		{ID: "revenue", Kind: metric.KGI, Unit: "USD", Formula: "visitors * conversion_rate * avg_order_value"},
		{ID: "visitors", Kind: metric.KPI},
		{ID: "conversion_rate", Kind: metric.KPI, Formula: "orders / visitors"},
		{ID: "orders", Kind: metric.KPI},
		{ID: "avg_order_value", Kind: metric.KPI, Unit: "USD"},
	}}
}

// Compile validates a model and builds its plan; an Evaluator computes
// one period.
func ExampleCompile() {
	c, err := tree.Compile(shop())
	if err != nil {
		fmt.Println(err)
		return
	}
	var e tree.Evaluator // the zero value is ready; one per goroutine
	e.Bind(c)
	v := e.Values()
	set := func(id string, x float64) { i, _ := c.Index(id); v[i] = x }
	set("visitors", 300000)
	set("orders", 24000)
	set("avg_order_value", 1650)
	e.Run()
	i, _ := c.Index("revenue")
	fmt.Printf("revenue %.0f\n", v[i])
	for i := range c.Order() {
		fmt.Println("computes", c.ID(i))
	}
	// Output:
	// revenue 39600000
	// computes conversion_rate
	// computes revenue
}

// A typo in a formula is reported with its position, a caret and the
// closest metric id.
func ExampleCompile_unknownName() {
	m := shop()
	m.Metrics[2].Formula = "orders / visiters"
	_, err := tree.Compile(m)
	fmt.Println(err)
	var fe *tree.FormulaError
	if errors.As(err, &fe) && errors.Is(err, tree.ErrUnknownName) {
		fmt.Println("metric:", fe.Metric, "column:", fe.Column, "hint:", fe.Hint)
	}
	// Output:
	// formula of "conversion_rate" (1:10): unknown name "visiters" (did you mean "visitors"?)
	//  | orders / visiters
	//  | .........^
	// metric: conversion_rate column: 10 hint: did you mean "visitors"?
}

// A same-period loop is an error that shows the loop; through prev() it
// is allowed.
func ExampleCompile_cycle() {
	m := shop()
	m.Metrics[1].Formula = "revenue / 1000"
	_, err := tree.Compile(m)
	fmt.Println(err)
	var ce *tree.CycleError
	fmt.Println(errors.As(err, &ce), ce.Path)

	m.Metrics[1].Formula = "prev(revenue) / 1000" // last period's revenue: fine
	_, err = tree.Compile(m)
	fmt.Println(err)
	// Output:
	// dependency cycle: revenue -> visitors -> revenue (each uses the next in the same period; break the loop or use prev())
	// true [revenue visitors revenue]
	// <nil>
}

// Registered functions are called by name from formulas.
func ExampleWithFunction() {
	m := &tree.Model{Metrics: []metric.Metric{
		{ID: "ltv", Formula: "margin(arpu, 0.7) / churn"},
		{ID: "arpu"}, {ID: "churn"},
	}}
	margin := func(x, rate float64) float64 { return x * rate }
	c, err := tree.Compile(m, tree.WithFunction("margin", margin))
	if err != nil {
		fmt.Println(err)
		return
	}
	var e tree.Evaluator
	e.Bind(c)
	e.Values()[1], e.Values()[2] = 100, 0.05
	e.Run()
	fmt.Printf("ltv %.0f\n", e.Values()[0])

	// A reserved name is refused, and every error is reported at once.
	_, err = tree.Compile(m, tree.WithFunction("max", margin))
	fmt.Println(errors.Is(err, tree.ErrOption))
	fmt.Println(err)
	// Output:
	// ltv 1400
	// true
	// WithFunction: function name "max" is reserved: it is a built-in function or keyword
	// formula of "ltv" (1:1): unknown function "margin"
	//  | margin(arpu, 0.7) / churn
	//  | ^
}

// A node can be computed by a Go function instead of a formula.
func ExampleWithGoFunc() {
	m := &tree.Model{Metrics: []metric.Metric{
		{ID: "forecast"}, {ID: "a"}, {ID: "b"},
	}}
	c, err := tree.Compile(m, tree.WithGoFunc("forecast", []string{"a", "b"}, func(in []float64) float64 {
		return math.Hypot(in[0], in[1])
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	var e tree.Evaluator
	e.Bind(c)
	e.Values()[1], e.Values()[2] = 3, 4
	e.Run()
	fmt.Println(e.Values()[0], c.IsInput(0))
	// Output:
	// 5 false
}

// ExprEngine evaluates with expr's virtual machine: the same results,
// bit for bit, more slowly.
func ExampleExprEngine() {
	c, err := tree.Compile(shop(), tree.WithEngine(tree.ExprEngine()))
	if err != nil {
		fmt.Println(err)
		return
	}
	var e tree.Evaluator
	e.Bind(c)
	e.Values()[1], e.Values()[3], e.Values()[4] = 1000, 0, 50
	e.Run()
	fmt.Println(e.Values()[2], e.Values()[0]) // 0 orders of 1000 visitors
	// Output:
	// 0 0
}

// A Cone is what a change touches; RunCone recomputes only that.
func ExampleCone() {
	c, _ := tree.Compile(shop())
	var e tree.Evaluator
	e.Bind(c)
	copy(e.Values(), []float64{0, 1000, 0, 80, 50})
	e.Run()
	orders, _ := c.Index("orders")
	var k tree.Cone
	k.Find(c, orders)
	for i := range k.Nodes() {
		fmt.Println("recompute", c.ID(i))
	}
	e.Values()[orders] = 100
	if err := e.RunCone(&k); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Values()[0])
	// Output:
	// recompute conversion_rate
	// recompute revenue
	// 5000
}

// A cone belongs to the model it was found for: running it on an
// evaluator of another model is refused, in every engine.
func ExampleEvaluator_RunCone_foreign() {
	c, _ := tree.Compile(shop())
	other, _ := tree.Compile(shop())
	var k tree.Cone
	visitors, _ := c.Index("visitors")
	k.Find(c, visitors)
	var e tree.Evaluator
	e.Bind(other)
	err := e.RunCone(&k)
	fmt.Println(errors.Is(err, tree.ErrForeignCone))
	// Output:
	// true
}

// A BlockEvaluator evaluates many variants of one period at once.
func ExampleBlockEvaluator() {
	c, _ := tree.Compile(shop())
	var b tree.BlockEvaluator
	b.Bind(c, 3)
	copy(b.Lanes(1), []float64{1000, 2000, 4000}) // visitors
	copy(b.Lanes(3), []float64{80, 80, 80})       // orders
	copy(b.Lanes(4), []float64{50, 50, 50})       // avg_order_value
	b.Run()
	fmt.Println(b.Lanes(2), b.Lanes(0))
	// Output:
	// [0.08 0.04 0.02] [4000 4000 4000]
}
