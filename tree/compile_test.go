package tree

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
)

func webshop() *Model {
	return &Model{
		Name: "web shop",
		Metrics: []metric.Metric{
			{ID: "revenue", Kind: metric.KGI, Unit: "USD", Formula: "visitors * conversion_rate * avg_order_value"},
			{ID: "visitors", Kind: metric.KPI, Unit: "count"},
			{ID: "conversion_rate", Kind: metric.KPI, Unit: "ratio", Aggregation: metric.Mean, Formula: "orders / visitors"},
			{ID: "orders", Kind: metric.KPI, Unit: "count"},
			{ID: "avg_order_value", Kind: metric.KPI, Unit: "USD", Aggregation: metric.Mean},
			{ID: "margin", Unit: "USD", Formula: "max(0, revenue - cost) + prev(margin)"},
			{ID: "cost", Unit: "USD"},
		},
	}
}

func TestCompileAndEvaluate(t *testing.T) {
	for _, eng := range []Engine{nil, ExprEngine()} {
		var opts []Option
		name := "compiled"
		if eng != nil {
			opts = append(opts, WithEngine(eng))
			name = eng.Name()
		}
		t.Run(name, func(t *testing.T) {
			c, err := Compile(webshop(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			var e Evaluator
			e.Bind(c)
			v := e.Values()
			set := func(id string, x float64) {
				i, _ := c.Index(id)
				v[i] = x
			}
			get := func(id string) float64 {
				i, _ := c.Index(id)
				return v[i]
			}
			set("visitors", 1000)
			set("orders", 80)
			set("avg_order_value", 50)
			set("cost", 1000)
			if len(c.Lags()) != 1 {
				t.Fatalf("lags = %v", c.Lags())
			}
			e.Lagged()[0] = 10
			e.Run()
			if got := get("conversion_rate"); got != 0.08 {
				t.Errorf("conversion_rate = %v", got)
			}
			if got := get("revenue"); got != 1000*(80.0/1000)*50 {
				t.Errorf("revenue = %v", got)
			}
			if got := get("margin"); got != 3000+10 {
				t.Errorf("margin = %v", got)
			}
			set("visitors", 0)
			set("orders", 0)
			e.Run()
			if got := get("conversion_rate"); !math.IsNaN(got) {
				t.Errorf("0/0 = %v", got)
			}
			ci, _ := c.Index("conversion_rate")
			ex := c.Explain(ci, v, e.Lagged())
			if len(ex) != 1 || !strings.Contains(ex[0], "division by zero") {
				t.Errorf("Explain = %q", ex)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	m := webshop()
	m.Metrics[0].Formula = "visiters * conversion_rate"
	_, err := Compile(m)
	var fe *FormulaError
	if !errors.As(err, &fe) || !errors.Is(err, ErrUnknownName) || !errors.Is(err, ErrInvalidModel) {
		t.Fatalf("err = %v", err)
	}
	want := "formula of \"revenue\" (1:1): unknown name \"visiters\" (did you mean \"visitors\"?)\n | visiters * conversion_rate\n | ^"
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
	m = webshop()
	m.Metrics[1].Formula = "revenue / 10"
	_, err = Compile(m)
	var ce *CycleError
	if !errors.As(err, &ce) || !errors.Is(err, ErrCycle) {
		t.Fatalf("err = %v", err)
	}
	t.Log(err)
}

func TestConeMatchesFullRun(t *testing.T) {
	c, err := Compile(webshop())
	if err != nil {
		t.Fatal(err)
	}
	var full, inc Evaluator
	full.Bind(c)
	inc.Bind(c)
	for i := range c.Inputs() {
		full.Values()[i] = float64(i + 3)
		inc.Values()[i] = float64(i + 3)
	}
	full.Lagged()[0], inc.Lagged()[0] = 1, 1
	full.Run()
	inc.Run()
	orders, _ := c.Index("orders")
	var k Cone
	k.Find(c, orders)
	var got []string
	for i := range k.Nodes() {
		got = append(got, c.ID(i))
	}
	if strings.Join(got, ",") != "conversion_rate,revenue,margin" {
		t.Fatalf("cone = %v", got)
	}
	full.Values()[orders], inc.Values()[orders] = 99, 99
	full.Run()
	if err := inc.RunCone(&k); err != nil {
		t.Fatal(err)
	}
	for i := range c.Len() {
		a, b := full.Values()[i], inc.Values()[i]
		if a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
			t.Errorf("%s: full %v, cone %v", c.ID(i), a, b)
		}
	}
	if !k.Contains(c.Len()-2) || k.Contains(orders) {
		t.Errorf("Contains wrong")
	}
}

// TestConeLargeOrdersLikeSort builds a chain-and-fan model whose cones
// take both ordering paths (sort and bitmap) and checks each against a
// full evaluation order.
func TestConeLargeOrdersLikeSort(t *testing.T) {
	const n = 3000
	m := &Model{Metrics: make([]metric.Metric, n)}
	m.Metrics[0] = metric.Metric{ID: "x0"}
	m.Metrics[1] = metric.Metric{ID: "x1"}
	for i := 2; i < n; i++ {
		m.Metrics[i] = metric.Metric{ID: fmt.Sprintf("x%d", i), Formula: fmt.Sprintf("x%d + x%d", i-1-(i*7)%min(i-1, 50), (i*13)%i)}
	}
	c, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	var k Cone
	for _, start := range []int{0, 1, n / 2, n - 5} {
		k.Find(c, start)
		prev := -1
		seen := 0
		for i := range k.Nodes() {
			p := int(c.pos[i])
			if p <= prev {
				t.Fatalf("start %d: cone not in evaluation order", start)
			}
			prev = p
			seen++
		}
		// reference: every derived node reachable from start
		reach := map[int]bool{start: true}
		want := 0
		for i := range c.Order() {
			for _, d := range c.Deps(i) {
				if reach[d.Node] {
					reach[i] = true
					want++
					break
				}
			}
		}
		if seen != want {
			t.Errorf("start %d: cone has %d nodes, want %d", start, seen, want)
		}
	}
}

// TestParallelParseErrorsDeterministic: a model large enough to be parsed
// in parallel reports its formula errors in declaration order, exactly as
// a serial parse does.
func TestParallelParseErrorsDeterministic(t *testing.T) {
	const n = 6000
	m := &Model{Metrics: make([]metric.Metric, n)}
	for i := range m.Metrics {
		m.Metrics[i].ID = fmt.Sprintf("m%d", i)
		if i > 0 {
			m.Metrics[i].Formula = fmt.Sprintf("m%d * 2", i-1)
		}
	}
	for _, i := range []int{5999, 17, 3001, 4500} {
		m.Metrics[i].Formula = fmt.Sprintf("m%d +* 1", i-1)
	}
	_, par := Compile(m)
	_, ser := Compile(m, serialCompile())
	if par == nil || par.Error() != ser.Error() {
		t.Fatalf("parallel and serial errors differ:\n%v\n---\n%v", par, ser)
	}
	var order []string
	for _, e := range par.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FormulaError
		if errors.As(e, &fe) {
			order = append(order, fe.Metric)
		}
	}
	if strings.Join(order, ",") != "m17,m3001,m4500,m5999" {
		t.Errorf("error order = %v", order)
	}
}

// TestCompileErrorsCarryFilePositions: errors found by Compile in a model
// loaded from a file point at the file's line and column.
func TestCompileErrorsCarryFilePositions(t *testing.T) {
	src := `kpitree: "1"
name: x
dimensions:
  - {name: region, values: [EU, US]}
metrics:
  - id: revenue
    formula: "visitors * conversoin"
  - id: visitors
  - id: conversion
  - id: rev_eu
links:
  - {from: visitorz, to: revenue}
decompositions:
  - parent: revenue
    segments:
      - {metric: rev_eu, where: {regoin: [EU]}}
`
	m, err := Load(strings.NewReader(src), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(m)
	for _, want := range []string{
		`m.yaml:7:26: formula of "revenue" (1:12): unknown name "conversoin" (did you mean "conversion"?)`,
		`m.yaml:12:12: links[0].from: unknown metric "visitorz" (did you mean "visitors"?)`,
		`m.yaml:16:42: decompositions[0].segments[0].where.regoin: unknown dimension "regoin" (did you mean "region"?)`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestSegmentConditionsMatchDimensions(t *testing.T) {
	base := func() *Model {
		return &Model{
			Metrics: []metric.Metric{{ID: "revenue"}, {ID: "rev_eu"}},
			Dimensions: []Dimension{
				{Name: "region", Values: []string{"EU", "US"}},
				{Name: "order_value", Numeric: true, Lo: 0},
			},
			Decompositions: []Decomposition{{Parent: "revenue", Segments: []Segment{{Metric: "rev_eu"}}}},
		}
	}
	cases := []struct {
		where []Condition
		want  string
	}{
		{[]Condition{{Dimension: "region", In: []string{"EU"}}}, ""},
		{[]Condition{{Dimension: "order_value", Numeric: true, Lo: 0, Hi: 50, HasHi: true}}, ""},
		{[]Condition{{Dimension: "region", In: []string{"Eu"}}}, `"Eu" is not a value of dimension "region" (did you mean "EU"?)`},
		{[]Condition{{Dimension: "region", Numeric: true, Lo: 1}}, `dimension "region" is categorical, but the condition is a numeric range`},
		{[]Condition{{Dimension: "order_value", In: []string{"big"}}}, `dimension "order_value" is numeric, but the condition lists values ["big"]`},
	}
	for _, tc := range cases {
		m := base()
		m.Decompositions[0].Segments[0].Where = tc.where
		_, err := Compile(m)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: unexpected %v", tc.where, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInvalidValue)):
			t.Errorf("%v: err = %v, want %q", tc.where, err, tc.want)
		}
	}
}

func TestCompileWeightAdditiveDriver(t *testing.T) {
	const hdr = "kpitree: \"1\"\nmetrics:\n  - {id: visitors}\n  - {id: orders}\n"
	tests := []struct {
		name, in string
		want     []string // substrings of the error; none: valid
		is       error
	}{
		{"valid", hdr + "  - {id: aov, aggregation: mean, weight: orders}\n  - {id: conv, formula: orders / visitors, driver: true, aggregation: mean, weight: visitors}\n  - {id: revenue, formula: orders * aov, additive: true}\n", nil, nil},
		{"unknown weight", hdr + "  - {id: aov, aggregation: mean, weight: order}\n",
			[]string{`m.yaml:5:42: metric "aov": weight: weight "order" is not a metric of the model (did you mean "orders"?)`}, ErrUnknownRef},
		{"weight without mean", hdr + "  - {id: aov, weight: orders}\n",
			[]string{`m.yaml:5:23: metric "aov": weight: a weight needs aggregation mean, not sum (add aggregation: mean, or remove the weight)`}, ErrInvalidValue},
		{"own weight", hdr + "  - {id: aov, aggregation: mean, weight: aov}\n",
			[]string{`m.yaml:5:42: metric "aov": weight: a metric cannot weight its own mean`}, ErrInvalidValue},
		{"additive mean", hdr + "  - {id: aov, aggregation: mean, additive: true}\n",
			[]string{`m.yaml:5:44: metric "aov": additive: an additive metric adds up over time; its aggregation is mean`}, ErrInvalidValue},
		{"driver without formula", hdr + "  - {id: conv, driver: true}\n",
			[]string{`m.yaml:5:24: metric "conv": driver: a driver needs the formula that measures it`}, ErrInvalidValue},
		{"driver not a ratio", hdr + "  - {id: conv, formula: orders * visitors, driver: true}\n",
			[]string{`m.yaml:5:52: metric "conv": driver: a driver's formula must be a ratio numerator / denominator, not "orders * visitors"`}, ErrInvalidValue},
		{"driver of a computed numerator", hdr + "  - {id: both, formula: orders + visitors}\n  - {id: conv, formula: both / visitors, driver: true}\n",
			[]string{`the numerator both is computed, not an input`}, ErrInvalidValue},
		{"driver with lagged numerator", hdr + "  - {id: conv, formula: prev(orders) / visitors, driver: true}\n",
			[]string{`the numerator of a driver must be a metric of the same period, not prev(orders)`}, ErrInvalidValue},
		{"denominator uses the numerator", hdr + "  - {id: conv, formula: orders / (orders + visitors), driver: true}\n",
			[]string{`the denominator uses the numerator orders`}, ErrInvalidValue},
		{"two drivers, one numerator", hdr + "  - {id: a, formula: orders / visitors, driver: true}\n  - {id: b, formula: orders / 2, driver: true}\n",
			[]string{`orders is already the numerator of driver a`}, ErrInvalidValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Load(strings.NewReader(tt.in), "m.yaml")
			if err != nil {
				t.Fatal(err)
			}
			_, err = Compile(m)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrInvalidModel) || !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want %v", err, tt.is)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestWhatIfModel(t *testing.T) {
	m := webshop()
	m.Metrics[2].Driver = true
	c, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	w := c.WhatIf()
	if w == c || w.WhatIf() != w || w.Measured() != c || c.Measured() != c {
		t.Fatal("WhatIf and Measured do not point at each other")
	}
	conv, _ := w.Index("conversion_rate")
	orders, _ := w.Index("orders")
	if !w.IsInput(conv) || w.IsInput(orders) || c.IsInput(conv) || !c.IsInput(orders) {
		t.Errorf("what-if: conversion input %v, orders input %v", w.IsInput(conv), w.IsInput(orders))
	}
	if got := w.Metric(orders).Formula; got != "conversion_rate * visitors" {
		t.Errorf("orders in what-if: %q", got)
	}
	if d := c.Drivers(); len(d) != 1 || d[0] != conv {
		t.Errorf("Drivers() = %v", d)
	}
	if m.Metrics[2].Formula != "orders / visitors" || m.Metrics[3].Formula != "" {
		t.Error("WhatIf changed the model")
	}
	var e Evaluator
	e.Bind(w)
	v := e.Values()
	for id, x := range map[string]float64{"visitors": 1000, "conversion_rate": 0.08, "avg_order_value": 50, "cost": 0} {
		i, _ := w.Index(id)
		v[i] = x
	}
	e.Lagged()[0] = 0
	e.Run()
	rev, _ := w.Index("revenue")
	if v[orders] != 80 || v[rev] != 4000 {
		t.Errorf("orders %v revenue %v, want 80 and 4000", v[orders], v[rev])
	}
}
