package rollup

import (
	"testing"

	"github.com/kpitree/kpitree/internal/benchgen"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// BenchmarkEvaluate100k evaluates the 100k-node benchgen model over 12
// months of complete data (an in-memory Data source), side by side with
// 12 bare Evaluator.Run calls (the engine alone): the difference is what
// Evaluate adds (reading the source, tracking states, checking results,
// keeping every value), and Evaluate over a source that cannot list its
// observations (no check for unused data).
func BenchmarkEvaluate100k(b *testing.B) {
	dag := benchgen.Generate(100_000, benchgen.DefaultSeed)
	m := &tree.Model{Metrics: make([]metric.Metric, dag.Len())}
	for i := range dag.Len() {
		m.Metrics[i] = metric.Metric{ID: benchgen.ID(i), Formula: dag.Formula(i)}
	}
	c, err := tree.Compile(m)
	if err != nil {
		b.Fatal(err)
	}
	from, _ := metric.Parse("2026-01")
	const months = 12
	values := make([]float64, dag.Len())
	for i := range dag.Len() {
		if dag.Nodes[i].Input {
			values[i] = dag.Values[i]
		}
	}
	src := Data{}
	for i := range c.Inputs() {
		for k := range months {
			src.Set(c.ID(i), from.Add(k), values[i])
		}
	}
	b.Run("evaluate", func(b *testing.B) {
		for b.Loop() {
			if _, err := Evaluate(c, src, from, from.Add(months-1), Options{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*months*dag.Len()), "ns/node-period")
	})
	// The same source hidden behind a SourceFunc, which cannot list its
	// observations: Evaluate skips the check for unused data, so the
	// difference to "evaluate" is what that check costs.
	b.Run("evaluate-unlisted-source", func(b *testing.B) {
		f := SourceFunc(src.Value)
		for b.Loop() {
			if _, err := Evaluate(c, f, from, from.Add(months-1), Options{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*months*dag.Len()), "ns/node-period")
	})
	b.Run("engine-only", func(b *testing.B) {
		var e tree.Evaluator
		e.Bind(c)
		copy(e.Values(), values)
		for b.Loop() {
			for range months {
				e.Run()
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*months*dag.Len()), "ns/node-period")
	})
}
