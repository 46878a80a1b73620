package rollup_test

import (
	"errors"
	"fmt"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// shopModel is the web shop of the examples: profit from visits,
// conversion, order value and costs.
func shopModel() (*tree.Compiled, rollup.Data, metric.Period) {
	m := &tree.Model{Name: "shop", Metrics: []metric.Metric{
		{ID: "visits"}, {ID: "conversion"}, {ID: "aov"},
		{ID: "cpv"}, {ID: "cogs_rate"}, {ID: "fixed_cost"},
		{ID: "revenue", Kind: metric.KPI, Formula: "visits * conversion * aov"},
		{ID: "cost", Formula: "fixed_cost + visits * cpv + revenue * cogs_rate"},
		{ID: "profit", Kind: metric.KGI, Formula: "revenue - cost"},
	}}
	c, err := tree.Compile(m)
	if err != nil {
		panic(err)
	}
	jan, _ := metric.Parse("2026-01")
	d := rollup.Data{}
	for k := range 3 {
		p := jan.Add(k)
		d.Set("visits", p, 100000)
		d.Set("conversion", p, 0.02)
		d.Set("aov", p, 50)
		d.Set("cpv", p, 0.3)
		d.Set("cogs_rate", p, 0.4)
		d.Set("fixed_cost", p, 20000)
	}
	return c, d, jan
}

func ExampleCompare() {
	c, data, jan := shopModel()
	growth := rollup.NewScenario("growth", nil).
		Scale("visits", 10, rollup.Span{}).                 // +10% visits every month
		Set("conversion", 0.025, rollup.During(jan.Add(2))) // a better checkout from March
	lean := rollup.NewScenario("lean", growth).
		Add("fixed_cost", -5000, rollup.Span{}) // on top of growth
	cmp, err := rollup.Compare(c, data, []*rollup.Scenario{growth, lean}, jan, jan.Add(2), rollup.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for d := range cmp.All() {
		if d.Metric == "profit" {
			fmt.Printf("%s %-6s profit %6.0f -> %6.0f (%+.0f, %+.0f%%)\n", d.Period, d.Scenario, d.Base, d.Value, d.Abs, 100*d.Rel)
		}
	}
	// Output:
	// 2026-01 growth profit  10000 ->  13000 (+3000, +30%)
	// 2026-01 lean   profit  10000 ->  18000 (+8000, +80%)
	// 2026-02 growth profit  10000 ->  13000 (+3000, +30%)
	// 2026-02 lean   profit  10000 ->  18000 (+8000, +80%)
	// 2026-03 growth profit  10000 ->  29500 (+19500, +195%)
	// 2026-03 lean   profit  10000 ->  34500 (+24500, +245%)
}

func ExampleSession_GoalSeek() {
	c, data, jan := shopModel()
	s, err := rollup.NewSession(c, data, jan, rollup.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Which order value makes a profit of 20,000?
	r, err := s.GoalSeek("profit", 20000, "aov", rollup.SeekOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("aov %.4f (%v), profit %.0f\n", r.Value, r.Method, r.Reached)

	// The same kind of question by Brent's method within bounds, step for
	// step as scipy's brentq.
	r, err = s.GoalSeek("profit", 15000, "cogs_rate", rollup.SeekOptions{Lo: 0, Hi: 1, Method: rollup.SeekBrent})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("cogs_rate %.2f in %d iterations\n", r.Value, r.Iterations)
	// Output:
	// aov 58.3333 (exact), profit 20000
	// cogs_rate 0.35 in 2 iterations
}

func ExampleSession_GoalSeek_unreachable() {
	c, data, jan := shopModel()
	s, _ := rollup.NewSession(c, data, jan, rollup.Options{})
	// Conversion is capped at 3%: revenue of 200,000 is out of reach.
	_, err := s.GoalSeek("revenue", 200000, "conversion", rollup.SeekOptions{Lo: 0, Hi: 0.03})
	fmt.Println(err)
	var u *rollup.UnreachableError
	if errors.As(err, &u) {
		fmt.Printf("best within bounds: %.0f\n", u.Max)
	}
	// Output:
	// rollup: revenue cannot reach 200000 by changing conversion within [0, 0.03]: reachable values are 0 to 150000
	// best within bounds: 150000
}

func ExampleSession_GoalSeekMany() {
	c, data, jan := shopModel()
	s, _ := rollup.NewSession(c, data, jan, rollup.Options{})
	// Reach revenue 133,100 by moving visits and conversion; aov may rise
	// by at most 5%.
	r, err := s.GoalSeekMany("revenue", 133100, []rollup.Lever{
		{Input: "visits"}, {Input: "conversion"}, {Input: "aov", Lo: 1, Hi: 52.5},
	}, rollup.EqualChange)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range r.Levers {
		fmt.Printf("%-10s %8.4g -> %8.4g (%+.2f%%) at bound %v\n", l.Input, l.Start, l.Value, 100*l.Change, l.AtBound)
	}
	// Output:
	// visits        1e+05 -> 1.126e+05 (+12.59%) at bound false
	// conversion     0.02 ->  0.02252 (+12.59%) at bound false
	// aov              50 ->     52.5 (+5.00%) at bound true
}

func ExampleSession_Cascade() {
	c, data, jan := shopModel()
	s, _ := rollup.NewSession(c, data, jan, rollup.Options{})
	// Work backwards from a revenue target of 133,100 (+33.1%).
	ts, err := s.Cascade("revenue", 133100, rollup.CascadeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range ts {
		fmt.Printf("%-10s %8g -> %8.4g in %s\n", t.Metric, t.Current, t.Target.Value, t.Target.Period)
	}
	m, _ := rollup.ApplyTargets(c.Model(), ts)
	fmt.Println(len(m.Metric("visits").Targets), "target stored on visits")
	// Output:
	// visits       100000 ->  1.1e+05 in 2026-01
	// conversion     0.02 ->    0.022 in 2026-01
	// aov              50 ->       55 in 2026-01
	// revenue      100000 -> 1.331e+05 in 2026-01
	// 1 target stored on visits
}

func ExampleSession_Tornado() {
	c, data, jan := shopModel()
	s, _ := rollup.NewSession(c, data, jan, rollup.Options{})
	t, err := s.Tornado("profit", rollup.TornadoOptions{Pct: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range t.Bars {
		fmt.Printf("%d %-10s %6.0f .. %6.0f  swing %5.0f\n", b.Rank, b.Input, b.AtLow, b.AtHigh, b.Swing)
	}
	// Output:
	// 1 aov          4000 ..  16000  swing 12000
	// 2 conversion   4000 ..  16000  swing 12000
	// 3 cogs_rate   14000 ..   6000  swing  8000
	// 4 visits       7000 ..  13000  swing  6000
	// 5 cpv         13000 ..   7000  swing  6000
	// 6 fixed_cost  12000 ..   8000  swing  4000
}

func ExampleSession_Elasticities() {
	c, data, jan := shopModel()
	s, _ := rollup.NewSession(c, data, jan, rollup.Options{})
	es, _ := s.Elasticities("profit", rollup.ElasticityOptions{})
	for _, e := range es {
		fmt.Printf("%-10s point %5.2f  arc %5.2f\n", e.Input, e.Point, e.Arc)
	}
	// Output:
	// visits     point  3.00  arc  3.00
	// conversion point  6.00  arc  6.00
	// aov        point  6.00  arc  6.00
	// cpv        point -3.00  arc -3.00
	// cogs_rate  point -4.00  arc -4.00
	// fixed_cost point -2.00  arc -2.00
}

func ExampleAttribute() {
	c, data, jan := shopModel()
	feb := jan.Add(1)
	data.Set("visits", feb, 120000)
	data.Set("conversion", feb, 0.018)
	data.Set("aov", feb, 55)
	r, _ := rollup.Evaluate(c, data, jan, feb, rollup.Options{})
	s0, _ := rollup.SessionAt(r, jan)
	s1, _ := rollup.SessionAt(r, feb)
	// Why did profit change? Down to the inputs, each with its path.
	a, err := rollup.Attribute(s0, s1, "profit", rollup.AttributeOptions{Chain: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("profit %.0f -> %.0f (%+.0f)\n", a.From, a.To, a.Change)
	for _, ct := range a.Contributions {
		if ct.Value != 0 {
			fmt.Printf("  %+8.1f %v\n", ct.Value, ct.Path)
		}
	}
	// Output:
	// profit 10000 -> 15280 (+5280)
	//   +19933.3 [profit revenue visits]
	//   -11566.7 [profit revenue conversion]
	//   +10433.3 [profit revenue aov]
	//    -6000.0 [profit cost visits]
	//    -7973.3 [profit cost revenue visits]
	//    +4626.7 [profit cost revenue conversion]
	//    -4173.3 [profit cost revenue aov]
}
