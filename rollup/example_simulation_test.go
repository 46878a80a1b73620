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

// With more draws than MaxMemory holds, the draws stream through quantile
// sketches: mean and P(meet) are unchanged, percentiles come with a bound
// on their rank error, and the draws are not kept.
func ExampleSimulation_boundedMemory() {
	c, data, jan := shopModel()
	visits, _ := rollup.Normal(100000, 8000)
	sim := rollup.Simulation{Draws: 100000, Seed: 42, MaxMemory: 256 << 10, // 256 KiB: 800 KB of draws do not fit
		Inputs:  []rollup.Uncertain{{Metric: "visits", Dist: visits}},
		Outputs: []string{"profit"}}
	res, err := sim.Run(context.Background(), c, data, jan)
	if err != nil {
		panic(err)
	}
	s, _ := res.Summary("profit")
	fmt.Printf("exact %v, draws kept %d, median %.0f within ±%.2f%% of the draws in rank\n",
		res.Exact(), len(res.Draws("profit")), s.P50, 100*s.RankError)

	sim.MaxMemory = -1
	_, err = sim.Run(context.Background(), c, data, jan)
	fmt.Println(err)
	// Output:
	// exact false, draws kept 0, median 10000 within ±0.08% of the draws in rank
	// rollup: invalid simulation: MaxMemory -1 is negative
}
