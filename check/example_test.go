package check_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

func exampleModel() *tree.Model {
	return &tree.Model{
		Metrics: []metric.Metric{
			{ID: "revenue", Kind: metric.KGI, Formula: "visits * conv", Owner: "CEO", Source: "finance", Frequency: metric.Month,
				Targets: []metric.Target{{Period: mustPeriod("2030"), Value: 1e6}}},
			{ID: "visits", Kind: metric.KPI, Owner: "Marketing", Source: "analytics", Frequency: metric.Month,
				Targets: []metric.Target{{Period: mustPeriod("2030"), Value: 1e5}}},
			{ID: "conv", Kind: metric.KPI, Owner: "Product", Source: "analytics", Frequency: metric.Month,
				Targets: []metric.Target{{Period: mustPeriod("2030"), Value: 0.05}}},
			{ID: "ads", Kind: metric.KSF, Owner: "Marketing"},
			{ID: "newsletter", Kind: metric.KSF},
		},
		Links: []tree.Link{{From: "ads", To: "visits", Sign: tree.SignPositive, Lag: 1}},
	}
}

// Structure needs no data: here a success factor drives nothing and has
// no owner.
func ExampleStructure() {
	c, err := tree.Compile(exampleModel())
	if err != nil {
		panic(err)
	}
	for _, f := range check.Structure(c, check.Options{}) {
		fmt.Println(f)
	}
	// Output:
	// warning structure.ksf-drives-nothing [newsletter]: Success factor newsletter drives nothing: no link or formula connects it to a KPI. (declare a causal link from it to the KPI it is meant to move)
	// warning structure.no-owner [newsletter]: KSF newsletter has no owner: nobody answers for it. (set owner to the person or team accountable)
}

// Causal tests the declared link ads -> visits (lag 1) on 36 months of
// history in which ads really do raise visits a month later.
func ExampleCausal() {
	c, _ := tree.Compile(exampleModel())
	d := rollup.Data{}
	first := mustPeriod("2024-01")
	for t := range 36 {
		ads := 10 + 5*math.Sin(1.7*float64(t)) + float64(t%4)
		prev := 10 + 5*math.Sin(1.7*float64(t-1)) + float64((t+3)%4)
		d.Set("ads", first.Add(t), ads)
		d.Set("visits", first.Add(t), 1000+30*prev+10*math.Cos(2.3*float64(t)))
		d.Set("conv", first.Add(t), 0.05)
	}
	res, _ := rollup.Evaluate(c, d, first, first.Add(35), rollup.Options{})
	reps, _, err := check.Causal(c, res, check.Options{})
	if err != nil {
		panic(err)
	}
	r := reps[0]
	fmt.Println(r.Verdict, r.Test, "at lag", r.Link.Lag, "transform", r.Transform, "best lag", r.BestLag)
	// Output:
	// supported granger at lag 1 transform logdiff best lag 1
}

// MECE finds the region two segments share and the value no segment covers.
func ExampleMECE() {
	m := exampleModel()
	m.Metrics = append(m.Metrics,
		metric.Metric{ID: "visits_eu", Kind: metric.KPI}, metric.Metric{ID: "visits_west", Kind: metric.KPI})
	m.Dimensions = []tree.Dimension{{Name: "region", Values: []string{"EU", "US", "APAC"}}}
	m.Decompositions = []tree.Decomposition{{Parent: "visits", Segments: []tree.Segment{
		{Metric: "visits_eu", Where: []tree.Condition{{Dimension: "region", In: []string{"EU"}}}},
		{Metric: "visits_west", Where: []tree.Condition{{Dimension: "region", In: []string{"EU", "US"}}}},
	}}}
	c, _ := tree.Compile(m)
	reps, fs, _ := check.MECE(c, nil, check.Options{})
	fmt.Println("mutually exclusive:", reps[0].MutuallyExclusive, "exhaustive:", reps[0].CollectivelyExhaustive)
	for _, f := range fs {
		fmt.Println(f.Rule, f.Message)
	}
	// Output:
	// mutually exclusive: false exhaustive: false
	// mece.overlap Segments visits_eu and visits_west of visits overlap: both count region in [EU].
	// mece.gap The segments of visits leave part of its domain uncovered, for example region=APAC.
}

// Run with no data runs the checks of the model alone.
func ExampleRun() {
	c, _ := tree.Compile(exampleModel())
	fs, err := check.Run(c, nil, check.Options{Rules: check.Rules{Disable: []string{"structure.no-owner"}}})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(fs), "finding(s), worst:", fs.Max())
	// Output:
	// 1 finding(s), worst: warning
}

// Invalid options are errors, distinguishable with errors.Is.
func ExampleRun_invalidOptions() {
	c, _ := tree.Compile(exampleModel())
	_, err := check.Run(c, nil, check.Options{Adjust: "sidak"})
	fmt.Println(errors.Is(err, check.ErrOptions))
	fmt.Println(err)
	// Output:
	// true
	// check: invalid options: unknown adjustment "sidak": want holm, bonferroni, fdr_bh or fdr_by
}

// TargetLogic flags a KGI that missed its target although every KPI
// under it met theirs.
func ExampleTargetLogic() {
	m := exampleModel()
	y := mustPeriod("2025")
	m.Metrics[0].Targets = []metric.Target{{Period: y, Value: 80}}
	m.Metrics[1].Targets = []metric.Target{{Period: y, Value: 1000}}
	m.Metrics[2].Targets = []metric.Target{{Period: y, Value: 0.05}}
	m.Metrics[2].Aggregation = metric.Mean
	c, _ := tree.Compile(m)
	d := rollup.Data{}
	for t := range 12 {
		p := mustPeriod("2025-01").Add(t)
		d.Set("visits", p, 100)
		d.Set("conv", p, 0.05)
		d.Set("ads", p, 1)
	}
	res, _ := rollup.Evaluate(c, d, mustPeriod("2025-01"), mustPeriod("2025-12"), rollup.Options{})
	fs, _ := check.TargetLogic(c, res, mustPeriod("2025-12"), check.Options{})
	for _, f := range fs {
		fmt.Println(f.Rule, f.Nodes)
	}
	// Output:
	// logic.kpis-met-kgi-missed [revenue visits conv]
}

// SelectLagOrder picks the lag order of a vector autoregression by
// information criteria, as statsmodels' select_order does: here spend
// moves sales two months later.
func ExampleSelectLagOrder() {
	rng := rand.New(rand.NewPCG(1, 2))
	spend := make([]float64, 80)
	sales := make([]float64, 80)
	for t := range spend {
		spend[t] = 10 + rng.NormFloat64()
		if t >= 2 {
			sales[t] = 5 + 0.8*spend[t-2] + 0.3*rng.NormFloat64()
		}
	}
	lo, err := check.SelectLagOrder([][]float64{spend[2:], sales[2:]}, 4)
	if err != nil {
		panic(err)
	}
	fmt.Println("orders 0 to", lo.MaxLags, "on", lo.NObs, "observations; AIC picks", lo.SelectedAIC, "BIC picks", lo.SelectedBIC)

	_, err = check.SelectLagOrder([][]float64{spend[:10], sales[:10]}, 4)
	fmt.Println(errors.Is(err, check.ErrSeries), err)
	// Output:
	// orders 0 to 4 on 74 observations; AIC picks 2 BIC picks 2
	// true check: series cannot be tested: lag select: stats: too few observations: 10 observations of 2 variables support at most 2 lags, asked for 4 (rows are observations, columns series)
}
