package rollup

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"runtime"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

type mcRef struct {
	Model struct {
		Base map[string]float64 `json:"base"`
	} `json:"model"`
	MonteCarlo struct {
		Lognormal struct {
			Inputs map[string]struct {
				Mu    float64 `json:"mu_log"`
				Sigma float64 `json:"sigma_log"`
			} `json:"inputs"`
			Target float64 `json:"target"`
			PExact float64 `json:"p_exact"`
		} `json:"lognormal_revenue"`
		Mixed10 struct {
			Target float64 `json:"target"`
			P      float64 `json:"numpy_p_hat"`
			SE     float64 `json:"numpy_se"`
		} `json:"mixed_profit_ge_10000"`
		Mixed12 struct {
			Target float64 `json:"target"`
			P      float64 `json:"numpy_p_hat"`
			SE     float64 `json:"numpy_se"`
		} `json:"mixed_profit_ge_12000"`
		MixedInputs struct {
			EProfit float64 `json:"E_profit_exact"`
		} `json:"mixed_profit_inputs"`
	} `json:"monte_carlo"`
}

func loadMCRef(t *testing.T) mcRef {
	t.Helper()
	b, err := os.ReadFile("testdata/whatif.json")
	if err != nil {
		t.Fatal(err)
	}
	var r mcRef
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// profitModel is the model of whatif.json.
func profitModel(t testing.TB) *tree.Compiled {
	m := &tree.Model{Metrics: []metric.Metric{
		{ID: "revenue", Kind: metric.KGI, Formula: "visits * conversion * aov"},
		{ID: "cost", Formula: "fixed_cost + visits * cpv + revenue * cogs_rate"},
		{ID: "profit", Formula: "revenue - cost"},
		{ID: "visits"}, {ID: "conversion"}, {ID: "aov"}, {ID: "cpv"}, {ID: "cogs_rate"}, {ID: "fixed_cost"},
	}}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func baseData(t testing.TB, p metric.Period, base map[string]float64) Data {
	d := Data{}
	for id, v := range base {
		if err := d.Set(id, p, v); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func must(d Distribution, err error) Distribution {
	if err != nil {
		panic(err)
	}
	return d
}

func TestSimulationLognormalMatchesAnalytic(t *testing.T) {
	ref := loadMCRef(t)
	lr := ref.MonteCarlo.Lognormal
	c := profitModel(t)
	p, _ := metric.Parse("2026-01")
	var ins []Uncertain
	for _, id := range []string{"visits", "conversion", "aov"} {
		in := lr.Inputs[id]
		ins = append(ins, Uncertain{Metric: id, Dist: must(LogNormal(in.Mu, in.Sigma))})
	}
	const n = 200000
	sim := Simulation{Draws: n, Seed: 7, Inputs: ins, Outputs: []string{"revenue"},
		Targets: map[string]metric.Target{"revenue": {Period: p, Value: lr.Target}}}
	res, err := sim.Run(context.Background(), c, baseData(t, p, ref.Model.Base), p)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := res.Summary("revenue")
	bound := 4 * math.Sqrt(lr.PExact*(1-lr.PExact)/n)
	if math.Abs(s.PMeet-lr.PExact) > bound {
		t.Errorf("P(revenue >= %v) = %v ± %v, exact %v (bound %v)", lr.Target, s.PMeet, s.PMeetSE, lr.PExact, bound)
	}
	// the median of a lognormal product is exp(sum of mu)
	mu := lr.Inputs["visits"].Mu + lr.Inputs["conversion"].Mu + lr.Inputs["aov"].Mu
	if rel := math.Abs(s.P50/math.Exp(mu) - 1); rel > 0.005 {
		t.Errorf("median %v, want about %v", s.P50, math.Exp(mu))
	}
}

func TestSimulationMixedMatchesNumpy(t *testing.T) {
	ref := loadMCRef(t)
	c := profitModel(t)
	p, _ := metric.Parse("2026-01")
	ins := []Uncertain{
		{"visits", must(Normal(100000, 8000))},
		{"conversion", must(Triangular(0.015, 0.02, 0.026))},
		{"aov", must(Uniform(45, 56))},
	}
	const n = 400000
	for _, tc := range []struct {
		target, p, se float64
	}{
		{ref.MonteCarlo.Mixed10.Target, ref.MonteCarlo.Mixed10.P, ref.MonteCarlo.Mixed10.SE},
		{ref.MonteCarlo.Mixed12.Target, ref.MonteCarlo.Mixed12.P, ref.MonteCarlo.Mixed12.SE},
	} {
		sim := Simulation{Draws: n, Seed: 11, Inputs: ins, Outputs: []string{"profit"},
			Targets: map[string]metric.Target{"profit": {Period: p, Value: tc.target}}}
		res, err := sim.Run(context.Background(), c, baseData(t, p, ref.Model.Base), p)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := res.Summary("profit")
		if d := math.Abs(s.PMeet - tc.p); d > 4*math.Sqrt(s.PMeetSE*s.PMeetSE+tc.se*tc.se) {
			t.Errorf("P(profit >= %v) = %v, numpy %v", tc.target, s.PMeet, tc.p)
		}
		if d := math.Abs(s.Mean - ref.MonteCarlo.MixedInputs.EProfit); d > 4*s.SD/math.Sqrt(n) {
			t.Errorf("mean profit %v, exact %v", s.Mean, ref.MonteCarlo.MixedInputs.EProfit)
		}
	}
}

func TestSimulationDeterministicAcrossWorkers(t *testing.T) {
	c := profitModel(t)
	p, _ := metric.Parse("2026-01")
	base := baseData(t, p, map[string]float64{"visits": 1e5, "conversion": 0.02, "aov": 50, "cpv": 0.3, "cogs_rate": 0.4, "fixed_cost": 2e4})
	run := func(workers int) []float64 {
		sim := Simulation{Draws: 3001, Seed: 3, Workers: workers, BlockSize: 64,
			Inputs:       []Uncertain{{"visits", must(Normal(1e5, 8000))}, {"aov", must(PERT(40, 50, 70))}, {"conversion", must(Beta(2, 98))}},
			Correlations: []Correlation{{A: "visits", B: "aov", Rho: -0.4}},
		}
		res, err := sim.Run(context.Background(), c, base, p)
		if err != nil {
			t.Fatal(err)
		}
		return res.Draws("profit")
	}
	a := run(1)
	for _, w := range []int{2, 3, runtime.GOMAXPROCS(0) + 1} {
		b := run(w)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("workers %d: draw %d differs: %v vs %v", w, i, a[i], b[i])
			}
		}
	}
}

func TestSimulationErrors(t *testing.T) {
	c := profitModel(t)
	p, _ := metric.Parse("2026-01")
	base := baseData(t, p, map[string]float64{"visits": 1e5, "conversion": 0.02, "aov": 50, "cpv": 0.3, "cogs_rate": 0.4})
	cases := []struct {
		name string
		sim  Simulation
	}{
		{"missing fixed input", Simulation{Draws: 10}},
		{"derived uncertain", Simulation{Draws: 10, Inputs: []Uncertain{{"revenue", must(Normal(1, 1))}, {"fixed_cost", must(Normal(1, 1))}}}},
		{"unknown input", Simulation{Draws: 10, Inputs: []Uncertain{{"visitz", must(Normal(1, 1))}}}},
		{"bad correlation", Simulation{Draws: 10, Inputs: []Uncertain{{"fixed_cost", must(Normal(1, 1))}}, Correlations: []Correlation{{"fixed_cost", "visits", 0.5}}}},
	}
	for _, tc := range cases {
		if _, err := tc.sim.Run(context.Background(), c, base, p); !errors.Is(err, ErrSimulation) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
	if _, err := Normal(0, -1); err == nil {
		t.Error("Normal with sd < 0 accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sim := Simulation{Draws: 1000, Inputs: []Uncertain{{"fixed_cost", must(Normal(1, 1))}}}
	if _, err := sim.Run(ctx, c, base, p); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}
