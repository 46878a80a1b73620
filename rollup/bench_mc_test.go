package rollup

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/kpitree/kpitree/internal/benchgen"
	"github.com/kpitree/kpitree/internal/sample"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

var writeMCSpec = flag.Bool("write-mc-spec", false, "write testdata/mcbench/model1k.json for mc_numpy.py")

// mcBench is the Monte Carlo benchmark setup: the 1k-node synthetic DAG
// with every input normal (mean = its generated value, sd = 5%), 10,000
// draws, and the last 10 nodes as outputs, each with a target at its
// deterministic value (so P(meet) is about one half).
type mcBench struct {
	c       *tree.Compiled
	dag     *benchgen.DAG
	period  metric.Period
	base    Data
	inputs  []Uncertain
	outputs []string
	targets map[string]metric.Target
}

const (
	mcNodes = 1000
	mcDraws = 10000
	mcSD    = 0.05
	mcOuts  = 10
)

func newMCBench(tb testing.TB) *mcBench {
	dag := benchgen.Generate(mcNodes, benchgen.DefaultSeed)
	m := &tree.Model{Metrics: make([]metric.Metric, dag.Len())}
	for i := range dag.Len() {
		m.Metrics[i] = metric.Metric{ID: benchgen.ID(i), Formula: dag.Formula(i)}
	}
	c, err := tree.Compile(m)
	if err != nil {
		tb.Fatal(err)
	}
	p, _ := metric.Parse("2026-01")
	b := &mcBench{c: c, dag: dag, period: p, base: Data{}, targets: map[string]metric.Target{}}
	for i := range dag.Len() {
		if dag.Nodes[i].Input {
			v := dag.Values[i]
			b.inputs = append(b.inputs, Uncertain{Metric: benchgen.ID(i), Dist: must(Normal(v, mcSD*v))})
		}
	}
	for i := dag.Len() - mcOuts; i < dag.Len(); i++ {
		id := benchgen.ID(i)
		b.outputs = append(b.outputs, id)
		b.targets[id] = metric.Target{Period: p, Value: dag.Values[i]}
	}
	return b
}

// TestWriteMCSpec writes the benchmark model for the numpy peer script
// (go test ./rollup -run TestWriteMCSpec -write-mc-spec).
func TestWriteMCSpec(t *testing.T) {
	if !*writeMCSpec {
		t.Skip("run with -write-mc-spec to regenerate testdata/mcbench/model1k.json")
	}
	b := newMCBench(t)
	type node struct {
		ID      string  `json:"id"`
		Mean    float64 `json:"mean,omitempty"`
		Formula string  `json:"formula,omitempty"`
	}
	spec := struct {
		Draws   int       `json:"draws"`
		SD      float64   `json:"sd_fraction"`
		Nodes   []node    `json:"nodes"`
		Outputs []string  `json:"outputs"`
		Targets []float64 `json:"targets"`
	}{Draws: mcDraws, SD: mcSD, Outputs: b.outputs}
	for i := range b.dag.Len() {
		n := node{ID: benchgen.ID(i)}
		if b.dag.Nodes[i].Input {
			n.Mean = b.dag.Values[i]
		} else {
			n.Formula = b.dag.Formula(i)
		}
		spec.Nodes = append(spec.Nodes, n)
	}
	for _, id := range b.outputs {
		spec.Targets = append(spec.Targets, b.targets[id].Value)
	}
	out, err := json.MarshalIndent(spec, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "mcbench", "model1k.json"), out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkMonteCarlo measures a 1k-node model with 10,000 draws.
//
//	eval-only: the block evaluation of all draws (inputs pre-filled),
//	  one goroutine — the peer is numpy's per-node whole-array evaluation;
//	end-to-end/workers=N: Simulation.Run — sampling, evaluation,
//	  percentiles and target probabilities of 10 outputs.
//
// The node-evals/s metric counts derived nodes × draws per second.
func BenchmarkMonteCarlo(b *testing.B) {
	mb := newMCBench(b)
	derived := 0
	for range mb.c.Order() {
		derived++
	}
	evals := float64(derived) * mcDraws
	b.Run("eval-only", func(b *testing.B) {
		var be tree.BlockEvaluator
		be.Bind(mb.c, tree.DefaultBlockWidth)
		rng := sample.NewRand(1)
		for _, u := range mb.inputs {
			i, _ := mb.c.Index(u.Metric)
			u.Dist.d.Fill(be.Lanes(i), rng)
		}
		blocks := (mcDraws + be.Width() - 1) / be.Width()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			for range blocks {
				be.Run()
			}
		}
		b.ReportMetric(evals*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gnode-evals/s")
	})
	for _, w := range []int{1, 2} {
		if w > runtime.GOMAXPROCS(0) {
			continue
		}
		b.Run(fmt.Sprintf("end-to-end/workers=%d", w), func(b *testing.B) {
			sim := Simulation{Draws: mcDraws, Seed: 1, Inputs: mb.inputs, Outputs: mb.outputs, Targets: mb.targets, Workers: w}
			b.ReportAllocs()
			for range b.N {
				if _, err := sim.Run(context.Background(), mb.c, mb.base, mb.period); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(evals*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gnode-evals/s")
		})
	}
}

// BenchmarkMonteCarloManyOutputs summarises every node of the 1k-node
// model (1,000 outputs). With the draws kept they take draws × 8 KB;
// streamed (the default 256 MiB budget is too small for them) the memory
// is the sketches' and the blocks in flight, whatever the number of draws:
// compare B/op (go test ./rollup -run '^$' -bench MonteCarloManyOutputs
// -benchmem -benchtime 1x).
func BenchmarkMonteCarloManyOutputs(b *testing.B) {
	mb := newMCBench(b)
	var outs []string
	for i := range mb.c.Len() {
		outs = append(outs, mb.c.ID(i))
	}
	for _, tc := range []struct {
		draws  int
		memory int64
		name   string
	}{
		{100_000, 1 << 30, "draws=100000/kept"},
		{100_000, 0, "draws=100000/streamed"},
		{1_000_000, 0, "draws=1000000/streamed"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			sim := Simulation{Draws: tc.draws, Seed: 1, Inputs: mb.inputs, Outputs: outs, MaxMemory: tc.memory}
			b.ReportAllocs()
			var peak uint64
			for range b.N {
				sim.Progress = func(done, total int) {
					if done%(256*64) == 0 {
						var ms runtime.MemStats
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}
				r, err := sim.Run(context.Background(), mb.c, mb.base, mb.period)
				if err != nil {
					b.Fatal(err)
				}
				if r.Exact() != (tc.memory != 0) {
					b.Fatalf("exact %v", r.Exact())
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
