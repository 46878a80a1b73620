package rollup_test

import (
	"fmt"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// webShop is the web-site revenue tree: revenue = visitors x conversion
// rate x average order value, with the rate computed from orders.
func webShop() *tree.Compiled {
	year, _ := metric.Parse("2026")
	c, err := tree.Compile(&tree.Model{
		Name: "Web shop",
		Metrics: []metric.Metric{
			{ID: "revenue", Kind: metric.KGI, Unit: "USD", Formula: "visitors * conversion * aov",
				Targets: []metric.Target{{Period: year, Value: 60000}}},
			{ID: "visitors", Kind: metric.KPI,
				Targets: []metric.Target{{Period: year, Value: 24000}}},
			{ID: "orders", Kind: metric.KPI},
			{ID: "conversion", Kind: metric.KPI, Unit: "ratio", Formula: "orders / visitors", Aggregation: metric.Mean,
				Targets: []metric.Target{{Period: year, Value: 0.05}}},
			{ID: "aov", Unit: "USD", Aggregation: metric.Mean},
		},
	})
	if err != nil {
		panic(err)
	}
	return c
}

// shopData holds January to March 2026.
func shopData() rollup.Data {
	d := rollup.Data{}
	jan, _ := metric.Parse("2026-01")
	for i, row := range [][3]float64{ // visitors, orders, aov
		{1000, 40, 50},
		{2000, 60, 50},
		{2500, 100, 56},
	} {
		p := jan.Add(i)
		d.Set("visitors", p, row[0])
		d.Set("orders", p, row[1])
		d.Set("aov", p, row[2])
	}
	return d
}

func ExampleEvaluate() {
	c := webShop()
	jan, _ := metric.Parse("2026-01")
	apr, _ := metric.Parse("2026-04")
	r, err := rollup.Evaluate(c, shopData(), jan, apr, rollup.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Periods() {
		if v, ok := r.Value("revenue", p); ok {
			cr, _ := r.Value("conversion", p)
			fmt.Printf("%s revenue %.0f (conversion %.1f%%)\n", p, v, 100*cr)
		} else {
			fmt.Printf("%s revenue %s: %s\n", p, r.State("revenue", p), r.Why("revenue", p))
		}
	}
	// Output:
	// 2026-01 revenue 2000 (conversion 4.0%)
	// 2026-02 revenue 3000 (conversion 3.0%)
	// 2026-03 revenue 5600 (conversion 4.0%)
	// 2026-04 revenue missing: visitors 2026-04: missing input: no observation; orders 2026-04: missing input: no observation; aov 2026-04: missing input: no observation
}

func ExampleRollup() {
	c := webShop()
	q1, _ := metric.Parse("2026-Q1")
	r, err := rollup.Rollup(c, shopData(), q1, q1, rollup.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, id := range []string{"visitors", "orders", "conversion", "aov", "revenue"} {
		v, _ := r.Value(id, q1)
		fmt.Printf("%s %s: %.4g\n", q1, id, v)
	}
	// Output:
	// 2026-Q1 visitors: 5500
	// 2026-Q1 orders: 200
	// 2026-Q1 conversion: 0.03636
	// 2026-Q1 aov: 52
	// 2026-Q1 revenue: 1.04e+04
}

func ExampleTrack() {
	c := webShop()
	jan, _ := metric.Parse("2026-01")
	mar, _ := metric.Parse("2026-03")
	r, err := rollup.Evaluate(c, shopData(), jan, mar, rollup.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ps, err := rollup.TrackAll(r, mar, rollup.Thresholds{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range ps {
		fmt.Printf("%-10s to date %-8.4g expected %-8.4g pace %.2f  %s\n", p.Metric, p.ToDate, p.Expected, p.Pace, p.Status)
	}
	// Output:
	// revenue    to date 1.04e+04 expected 1.5e+04  pace 0.69  off track
	// visitors   to date 5500     expected 6000     pace 0.92  at risk
	// conversion to date 0.03636  expected 0.05     pace 0.73  off track
}

func ExampleAttainment() {
	year, _ := metric.Parse("2026")
	churn := metric.Target{Period: year, Value: 0.05}
	cpa := metric.Target{Period: year, Value: 20, Baseline: new(100.0)}
	for _, x := range []struct {
		what   string
		d      metric.Direction
		t      metric.Target
		actual float64
	}{
		{"revenue 80k of 100k", metric.HigherIsBetter, metric.Target{Period: year, Value: 100000}, 80000},
		{"churn 4% under a 5% ceiling", metric.Ceiling, churn, 0.04},
		{"churn 6% over a 5% ceiling", metric.Ceiling, churn, 0.06},
		{"cost per conversion 100 -> 20, now 60", metric.LowerIsBetter, cpa, 60},
	} {
		a, err := rollup.Attainment(x.d, x.t, x.actual)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: %.0f%% (met: %v)\n", x.what, 100*a, rollup.Met(x.d, x.t, x.actual))
	}
	_, err := rollup.Attainment(metric.HigherIsBetter, metric.Target{Value: 0}, 3)
	fmt.Println(err)
	// Output:
	// revenue 80k of 100k: 80% (met: false)
	// churn 4% under a 5% ceiling: 100% (met: true)
	// churn 6% over a 5% ceiling: 80% (met: false)
	// cost per conversion 100 -> 20, now 60: 50% (met: false)
	// rollup: attainment undefined: target is 0, so attainment as a ratio has no meaning (give a baseline)
}

func ExampleScores() {
	c := webShop()
	att := map[string]float64{"visitors": 0.9, "conversion": 1.3, "aov": 0.8}
	for _, s := range rollup.Scores(c, att, rollup.ScoreOptions{}) {
		if s.OK {
			fmt.Printf("%-10s %.0f%% %v\n", s.Metric, 100*s.Score, s.Children)
		}
	}
	// Output:
	// revenue    90% [visitors conversion aov]
	// visitors   90% []
	// conversion 100% [visitors]
	// aov        80% []
}

// With the Fail policy, Evaluate returns an *EvalError listing every
// problem (it matches rollup.ErrEvaluation); the result is still there.
func ExampleEvaluate_fail() {
	c := webShop()
	d := shopData()
	feb, _ := metric.Parse("2026-02")
	d.Set("visitors", feb, 0) // a broken tracker
	jan, _ := metric.Parse("2026-01")
	mar, _ := metric.Parse("2026-03")
	d["aov"].Delete(mar)
	_, err := rollup.Evaluate(c, d, jan, mar, rollup.Options{Policy: rollup.Fail})
	fmt.Println(err)
	// Output:
	// rollup: 2 problem(s):
	//   conversion 2026-02: invalid result: division by zero: 60 / 0 at 1:8
	//   aov 2026-03: missing input: no observation
}

// Observations Evaluate cannot use are issues, never silently dropped: an
// id that is no metric of the model, a value of another grain (a quarter
// in a monthly model), a recorded value of a derived metric that its
// formula contradicts.
func ExampleEvaluate_unusedData() {
	c := webShop()
	d := shopData()
	jan, _ := metric.Parse("2026-01")
	q1, _ := metric.Parse("2026-Q1")
	d.Set("visitor", jan, 1200)   // a typo
	d.Set("refunds", q1, 300)     // not in the model
	d.Set("revenue", jan, 100000) // recorded, but computed from the formula
	r, _ := rollup.Evaluate(c, d, jan, jan, rollup.Options{})
	for _, is := range r.Issues() {
		fmt.Println(is)
	}
	// Output:
	// refunds 2026-Q1: unused data: no metric "refunds" in the model: 1 observation not used
	// revenue 2026-01: unused data: recorded 100000, but revenue is derived: its formula gives 2000, the value used
	// visitor 2026-01: unused data: no metric "visitor" in the model (did you mean "visitors"?): 1 observation not used
}
