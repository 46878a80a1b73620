package rollup

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sort"
	"testing"

	"github.com/kpitree/kpitree/metric"
)

// streamSim is a simulation of the profit model with three uncertain
// inputs, two of them correlated, and a target on profit.
func streamSim(t testing.TB, n int) (Simulation, Data, metric.Period) {
	p, _ := metric.Parse("2026-01")
	d := baseData(t, p, map[string]float64{"visits": 100000, "conversion": 0.02, "aov": 50, "cpv": 0.3, "cogs_rate": 0.4, "fixed_cost": 20000})
	sim := Simulation{Draws: n, Seed: 42,
		Inputs: []Uncertain{{Metric: "visits", Dist: must(Normal(100000, 15000))},
			{Metric: "conversion", Dist: must(Beta(20, 980))}, {Metric: "aov", Dist: must(LogNormalMeanSD(50, 10))}},
		Correlations: []Correlation{{A: "visits", B: "conversion", Rho: -0.4}},
		Outputs:      []string{"revenue", "cost", "profit"},
		Targets:      map[string]metric.Target{"profit": {Period: p, Value: 6000}},
	}
	return sim, d, p
}

// TestSimulationStreamingMatchesExact runs the same simulation keeping
// every draw and streaming them through sketches in a small memory budget:
// means, SDs and P(meet) agree to rounding, and every streamed percentile
// lies within its stated rank error of the exact draws' ranks.
func TestSimulationStreamingMatchesExact(t *testing.T) {
	const n = 200000
	sim, d, p := streamSim(t, n)
	exact, err := sim.Run(context.Background(), profitModel(t), d, p)
	if err != nil {
		t.Fatal(err)
	}
	if !exact.Exact() {
		t.Fatal("the default budget should keep 600k draws")
	}
	sim.MaxMemory = 1 << 20 // 1 MiB: 4.8 MB of draws do not fit
	for _, workers := range []int{1, 3} {
		sim.Workers = workers
		st, err := sim.Run(context.Background(), profitModel(t), d, p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Exact() || st.Draws("profit") != nil {
			t.Fatal("streaming run kept its draws")
		}
		for _, id := range sim.Outputs {
			a, _ := exact.Summary(id)
			b, _ := st.Summary(id)
			if a.Draws != b.Draws || a.NaN != b.NaN || math.Abs(a.Mean-b.Mean) > 1e-9*math.Abs(a.Mean) ||
				math.Abs(a.SD-b.SD) > 1e-9*a.SD || a.PMeet != b.PMeet || a.RankError != 0 {
				t.Errorf("%s: exact %+v, streamed %+v", id, a, b)
			}
			if b.RankError <= 0 || b.RankError > 0.05 {
				t.Errorf("%s: rank error bound %v", id, b.RankError)
			}
			sorted := exact.Draws(id)
			slices.Sort(sorted)
			for _, q := range []struct {
				p, v float64
			}{{0.05, b.P5}, {0.10, b.P10}, {0.50, b.P50}, {0.90, b.P90}, {0.95, b.P95}} {
				lo := sort.SearchFloat64s(sorted, q.v)
				hi := sort.Search(n, func(i int) bool { return sorted[i] > q.v })
				if float64(hi) < (q.p-b.RankError)*n || float64(lo) > (q.p+b.RankError)*n {
					t.Errorf("%s P%.0f = %v has ranks %d..%d of %d, beyond the bound %v", id, 100*q.p, q.v, lo, hi, n, b.RankError)
				}
			}
		}
		if workers == 1 {
			continue
		}
		// the same at any number of workers
		sim.Workers = 1
		one, _ := sim.Run(context.Background(), profitModel(t), d, p)
		if !slices.Equal(one.Summaries(), st.Summaries()) {
			t.Errorf("streamed summaries differ between 1 and %d workers", workers)
		}
	}
}

// TestSimulationStreamingMemory runs 500,000 draws of three outputs in a
// 2 MiB budget and checks the heap never held the draws (12 MB).
func TestSimulationStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("500,000 draws")
	}
	sim, d, p := streamSim(t, 500_000)
	sim.MaxMemory = 2 << 20
	var peak uint64
	sim.Progress = func(done, total int) {
		if done%(64*256) == 0 {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := sim.Run(context.Background(), profitModel(t), d, p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Exact() {
		t.Fatal("500,000 draws of three outputs should not fit 2 MiB")
	}
	grown := int64(peak) - int64(before.HeapInuse)
	t.Logf("heap in use grew by at most %d bytes; the draws take 12 MB", grown)
	if grown > 6<<20 {
		t.Errorf("heap grew by %d bytes during a streaming run", grown)
	}
}
