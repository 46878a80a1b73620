package rollup_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

func ExampleLoadScenarios() {
	c := webShop()
	scenarios, err := rollup.LoadScenarios(strings.NewReader(`
kpiscenarios: "1"
scenarios:
  - name: basket
    overrides:
      - {metric: aov, scale: 10}                  # +10% in every month
  - name: checkout
    parent: basket
    overrides:
      - {metric: orders, add: 15, from: 2026-02}  # on top of basket
`), "plan.yaml", c)
	if err != nil {
		fmt.Println(err)
		return
	}
	jan, _ := metric.Parse("2026-01")
	mar, _ := metric.Parse("2026-03")
	cmp, err := rollup.Compare(c, shopData(), scenarios, jan, mar, rollup.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for d := range cmp.All() {
		if d.Metric == "revenue" {
			fmt.Printf("%s %-8s revenue %6.0f -> %6.0f (%+.1f%%)\n", d.Period, d.Scenario, d.Base, d.Value, 100*d.Rel)
		}
	}
	// Output:
	// 2026-01 basket   revenue   2000 ->   2200 (+10.0%)
	// 2026-01 checkout revenue   2000 ->   2200 (+10.0%)
	// 2026-02 basket   revenue   3000 ->   3300 (+10.0%)
	// 2026-02 checkout revenue   3000 ->   4125 (+37.5%)
	// 2026-03 basket   revenue   5600 ->   6160 (+10.0%)
	// 2026-03 checkout revenue   5600 ->   7084 (+26.5%)
}

// A metric id the model does not have is an error at its line and
// column, with the closest id.
func ExampleLoadScenarios_unknownMetric() {
	_, err := rollup.LoadScenarios(strings.NewReader(`kpiscenarios: "1"
scenarios:
  - name: traffic
    overrides:
      - {metric: visiters, scale: 10}
`), "plan.yaml", webShop())
	fmt.Println(err)
	// Output:
	// plan.yaml:5:18: scenarios[0].overrides[0].metric: unknown metric "visiters" (did you mean "visitors"?)
}

// A goal seek's answer saved as a scenario file, for Compare or a later
// run.
func ExampleSeek_Scenario() {
	c := webShop()
	mar, _ := metric.Parse("2026-03")
	s, err := rollup.NewSession(c, shopData(), mar, rollup.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	seek, err := s.GoalSeek("revenue", 7000, "orders", rollup.SeekOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := rollup.SaveScenarios(os.Stdout, []*rollup.Scenario{seek.Scenario("seek_revenue", mar)}, tree.YAML); err != nil {
		fmt.Println(err)
	}
	// Output:
	// kpiscenarios: "1"
	// scenarios:
	//   - name: seek_revenue
	//     overrides:
	//       - {metric: orders, set: 125, period: 2026-03}
}

func ExampleLoadDistributions() {
	c := webShop()
	ds, err := rollup.LoadDistributions(strings.NewReader(`
kpidistributions: "1"
inputs:
  - {metric: visitors, dist: normal, mean: 2500, sd: 250}
  - {metric: orders, dist: pert, lo: 80, mode: 100, hi: 140}
correlations:
  - {a: visitors, b: orders, rho: 0.6}
`), "dist.yaml", c)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range ds.Inputs {
		fmt.Printf("%s ~ %s\n", u.Metric, u.Dist)
	}
	mar, _ := metric.Parse("2026-03")
	sim := rollup.Simulation{Inputs: ds.Inputs, Correlations: ds.Correlations, Draws: 20000, Seed: 1, Outputs: []string{"revenue"}}
	r, err := sim.Run(context.Background(), c, shopData(), mar)
	if err != nil {
		fmt.Println(err)
		return
	}
	rev, _ := r.Summary("revenue")
	fmt.Printf("revenue: mean %.0f, P5 %.0f, P95 %.0f\n", rev.Mean, rev.P5, rev.P95)
	// Output:
	// visitors ~ normal(2500, 250)
	// orders ~ pert(80, 100, 140)
	// revenue: mean 5787, P5 4840, P95 6883
}

// A parameter of another family is an error that lists the family's
// parameters.
func ExampleLoadDistributions_wrongParameter() {
	_, err := rollup.LoadDistributions(strings.NewReader(`kpidistributions: "1"
inputs:
  - {metric: aov, dist: normal, mean: 56, sd: 4, mode: 55}
`), "dist.yaml", webShop())
	fmt.Println(err)
	// Output:
	// dist.yaml:3:56: inputs[0].mode: "mode" is not a parameter of a normal distribution (a normal distribution takes mean, sd)
}

func ExampleSaveScenarios() {
	jan, _ := metric.Parse("2026-01")
	basket := rollup.NewScenario("basket", nil).Scale("aov", 10, rollup.Span{From: jan})
	checkout := rollup.NewScenario("checkout", basket).Add("orders", 15, rollup.During(jan.Add(2)))
	// the parent is written first, though only the child is listed
	if err := rollup.SaveScenarios(os.Stdout, []*rollup.Scenario{checkout}, tree.YAML); err != nil {
		fmt.Println(err)
	}
	// Output:
	// kpiscenarios: "1"
	// scenarios:
	//   - name: basket
	//     overrides:
	//       - {metric: aov, scale: 10, from: 2026-01}
	//   - name: checkout
	//     parent: basket
	//     overrides:
	//       - {metric: orders, add: 15, period: 2026-03}
}

// A value the format cannot hold is an error, not a file that reads back
// differently.
func ExampleSaveScenarios_invalid() {
	s := rollup.NewScenario("base", nil).Set("aov", 55, rollup.Span{})
	err := rollup.SaveScenarios(os.Stdout, []*rollup.Scenario{s}, tree.YAML)
	fmt.Println(err)
	// Output:
	// rollup: invalid argument: save scenarios: scenario name "base" is empty or reserved
}

func ExampleDistributions_Save() {
	visitors, _ := rollup.Normal(2500, 250)
	orders, _ := rollup.PERT(80, 100, 140)
	ds := &rollup.Distributions{
		Inputs:       []rollup.Uncertain{{Metric: "visitors", Dist: visitors}, {Metric: "orders", Dist: orders}},
		Correlations: []rollup.Correlation{{A: "visitors", B: "orders", Rho: 0.6}},
	}
	if err := ds.Save(os.Stdout, tree.YAML); err != nil {
		fmt.Println(err)
	}
	// Output:
	// kpidistributions: "1"
	// inputs:
	//   - {metric: visitors, dist: normal, mean: 2500, sd: 250}
	//   - {metric: orders, dist: pert, lo: 80, mode: 100, hi: 140}
	// correlations:
	//   - {a: visitors, b: orders, rho: 0.6}
}
