package rollup_test

import (
	"context"
	"fmt"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

// Simulation runs Monte Carlo draws of uncertain inputs through the model
// and reports each output's distribution and the probability of meeting
// its target. The same seed gives the same result on any number of cores.
func ExampleSimulation() {
	c, data, jan := shopModel()
	must := func(d rollup.Distribution, err error) rollup.Distribution {
		if err != nil {
			panic(err)
		}
		return d
	}
	sim := rollup.Simulation{
		Draws: 100000,
		Seed:  42,
		Inputs: []rollup.Uncertain{
			{Metric: "visits", Dist: must(rollup.Normal(100000, 8000))},
			{Metric: "conversion", Dist: must(rollup.Triangular(0.015, 0.02, 0.026))},
			{Metric: "aov", Dist: must(rollup.Uniform(45, 56))},
		},
		Outputs: []string{"profit"},
		Targets: map[string]metric.Target{"profit": {Period: jan, Value: 10000}},
	}
	res, err := sim.Run(context.Background(), c, data, jan)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := res.Summary("profit")
	fmt.Printf("profit mean %.0f, P5 %.0f, P95 %.0f\n", s.Mean, s.P5, s.P95)
	fmt.Printf("P(profit >= 10000) = %.2f ± %.3f\n", s.PMeet, s.PMeetSE)

	// A bad parameter is an error from the constructor.
	_, err = rollup.Triangular(0.03, 0.02, 0.026)
	fmt.Println(err != nil)
	// Output:
	// profit mean 11600, P5 -1193, P95 26023
	// P(profit >= 10000) = 0.55 ± 0.002
	// true
}
