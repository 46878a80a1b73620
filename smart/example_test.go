package smart_test

import (
	"fmt"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/smart"
)

// A vague statement fails Specific, in English or Vietnamese, and missing
// fields fail Measurable and Time-bound.
func ExampleCheck() {
	r := smart.Check(smart.Goal{ID: "g1", Statement: "Tăng doanh số", Owner: "Sales lead"}, smart.Options{})
	for _, f := range r.Findings {
		fmt.Println(f.Rule)
	}
	fmt.Printf("specific %.2f, overall %.2f\n", r.Scores.Specific, r.Scores.Overall)
	// Output:
	// smart.measurable.no-target
	// smart.specific.no-metric
	// smart.specific.vague
	// smart.timebound.no-deadline
	// smart.measurable.no-baseline
	// smart.measurable.no-direction
	// smart.measurable.no-frequency
	// smart.measurable.no-source
	// smart.measurable.no-unit
	// smart.relevant.no-model
	// specific 0.33, overall 0.27
}

// A KPI target checked against the metric's history: the target needs
// more growth than any two months ever gave.
func ExampleFromMetric() {
	hist := &metric.Series{}
	jan, _ := metric.Parse("2026-01")
	for k, v := range []float64{100, 102, 101, 105, 104, 108} {
		_ = hist.Set(jan.Add(k), v)
	}
	m := &metric.Metric{ID: "orders", Name: "Orders", Kind: metric.KPI, Unit: "count",
		Owner: "Ops", Source: "order system", Frequency: metric.Month}
	aug, _ := metric.Parse("2026-08")
	g := smart.FromMetric(m, metric.Target{Period: aug, Value: 120})
	g.History = hist
	r := smart.Check(g, smart.Options{})
	fmt.Println(g.Statement)
	fmt.Println(r.Findings.ByRule("smart.achievable")[0].Message)
	// Output:
	// Orders: 120 count by the end of 2026-08
	// Goal "orders" needs 3.74× the best 2-period growth ever seen (+11.1% against +3.0%).
}

// Without a history the achievability cannot be computed.
func ExampleAchievabilityOf_error() {
	v := 10.0
	p, _ := metric.Parse("2026-12")
	_, err := smart.AchievabilityOf(smart.Goal{ID: "nps", Target: &v, Period: p}, &metric.Series{}, smart.ChangeAuto)
	fmt.Println(err)
	// Output:
	// smart: goal "nps": no usable history: the series is empty
}
