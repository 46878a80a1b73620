package rollup_test

import (
	"errors"
	"fmt"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// What monthly new MRR makes December's ARR reach 60,000? MRR is carried
// from month to month with prev(), so every month's new MRR counts; the
// lever keeps its seasonal shape (one relative change over the year).
func ExamplePlan_GoalSeek() {
	initial := 1000.0
	c, err := tree.Compile(&tree.Model{Metrics: []metric.Metric{
		{ID: "arr", Kind: metric.KGI, Formula: "mrr * 12", Aggregation: metric.Last},
		{ID: "mrr", Formula: "prev(mrr) + new_mrr - churned_mrr", Initial: &initial, Aggregation: metric.Last},
		{ID: "new_mrr"},
		{ID: "churned_mrr"},
	}})
	if err != nil {
		panic(err)
	}
	jan, _ := metric.Parse("2027-01")
	dec, _ := metric.Parse("2027-12")
	data := rollup.Data{}
	for k := range 12 {
		data.Set("new_mrr", jan.Add(k), 100+10*float64(k)) // 1,860 in the year
		data.Set("churned_mrr", jan.Add(k), 50)
	}
	plan := rollup.Plan{Compiled: c, Base: data, From: jan, To: dec}
	goal := rollup.Goal{Metric: "arr", Value: 60000, Period: dec}

	res, err := plan.GoalSeek(goal, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("December ARR %.0f as planned; new MRR x%.4f reaches %.0f\n", res.Before, res.Scale, res.Reached)
	fmt.Printf("new MRR in January %.2f, in December %.2f\n", res.Lever[0].Value, res.Lever[11].Value)

	// The same goal with new MRR flat over the year: Scale is the monthly amount.
	flat := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	res, _ = plan.GoalSeek(goal, rollup.PlanLever{Input: "new_mrr", Profile: flat}, rollup.SeekOptions{})
	fmt.Printf("or %.2f every month\n", res.Scale)

	// A bound the goal needs to break is an error with the reachable range.
	_, err = plan.GoalSeek(goal, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{Lo: 0.5, Hi: 2})
	fmt.Println(errors.Is(err, rollup.ErrUnreachable), err)
	// Output:
	// December ARR 27120 as planned; new MRR x2.4731 reaches 60000
	// new MRR in January 247.31, in December 519.35
	// or 383.33 every month
	// true rollup: arr cannot reach 60000 by changing new_mrr within [0.5, 2]: reachable values are 15960 to 49440
}

// Cascade turns a yearly revenue goal into yearly and monthly targets for
// every metric below it.
func ExamplePlan_Cascade() {
	c, err := tree.Compile(&tree.Model{Metrics: []metric.Metric{
		{ID: "revenue", Kind: metric.KGI, Formula: "visitors * conversion * aov"},
		{ID: "visitors"},
		{ID: "conversion", Aggregation: metric.Mean},
		{ID: "aov", Aggregation: metric.Mean},
	}})
	if err != nil {
		panic(err)
	}
	jan, _ := metric.Parse("2027-01")
	dec, _ := metric.Parse("2027-12")
	year, _ := metric.Parse("2027")
	data := rollup.Data{}
	for k := range 12 {
		data.Set("visitors", jan.Add(k), 1000*(1+0.1*float64(k)))
		data.Set("conversion", jan.Add(k), 0.05)
		data.Set("aov", jan.Add(k), 100)
	}
	plan := rollup.Plan{Compiled: c, Base: data, From: jan, To: dec}
	out, err := plan.Cascade(rollup.Goal{Metric: "revenue", Value: 120000, Period: year}, rollup.CascadeOptions{})
	if err != nil {
		panic(err)
	}
	for _, t := range out.Targets {
		fmt.Printf("%-10s %10.4f -> %10.4f in %s (January %.4f)\n", t.Metric, t.Current, t.Target.Value, t.Target.Period, t.Periods[0].Value)
	}
	// Output:
	// revenue    93000.0000 -> 120000.0000 in 2027 (January 6451.6129)
	// visitors   18600.0000 -> 20249.4101 in 2027 (January 1088.6780)
	// conversion     0.0500 ->     0.0544 in 2027 (January 0.0544)
	// aov          100.0000 ->   108.8678 in 2027 (January 108.8678)
}
