package tree_test

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/kpitree/kpitree/internal/benchgen"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// The benchmarks evaluate synthetic DAGs (package benchgen) of 1k, 100k
// and 1M nodes. Their setup is built lazily, when a benchmark first asks
// for it, so plain `go test` never pays for it. See BENCHMARKS.md.

type benchSize struct {
	name   string
	n      int
	goEval func([]float64) // generated plain Go; nil if not generated
	naive  bool            // run the naive expr benchmark
}

var benchSizes = []benchSize{
	{"1k", 1000, benchgen.Eval1k, true},
	{"100k", 100_000, benchgen.Eval100k, true},
	// 1M: no generated Go (the file would be 48 MB and did not compile
	// within minutes) and no naive expr run (seconds per pass). The engine
	// is checked against the generator's values instead. See BENCHMARKS.md.
	{"1M", 1_000_000, nil, false},
}

type benchModel struct {
	dag   *benchgen.DAG
	model *tree.Model
	c     *tree.Compiled
	in    []float64 // input values by node index, NaN elsewhere
}

var (
	benchMu     sync.Mutex
	benchModels = map[int]*benchModel{}
)

func dagModel(d *benchgen.DAG) *tree.Model {
	m := &tree.Model{Name: "synthetic", Metrics: make([]metric.Metric, d.Len())}
	for i := range m.Metrics {
		m.Metrics[i] = metric.Metric{ID: benchgen.ID(i), Formula: d.Formula(i)}
	}
	return m
}

func dagInputs(d *benchgen.DAG) []float64 {
	v := make([]float64, d.Len())
	for i, nd := range d.Nodes {
		if nd.Input {
			v[i] = d.Values[i]
		} else {
			v[i] = math.NaN()
		}
	}
	return v
}

// getModel builds (once) the DAG, model and compiled model of size s,
// and checks the engine against the generated Go (or, without generated
// Go, against the generator's own values) on every node.
func getModel(tb testing.TB, s benchSize) *benchModel {
	tb.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if bm, ok := benchModels[s.n]; ok {
		return bm
	}
	d := benchgen.Generate(s.n, benchgen.DefaultSeed)
	bm := &benchModel{dag: d, model: dagModel(d), in: dagInputs(d)}
	c, err := tree.Compile(bm.model)
	if err != nil {
		tb.Fatal(err)
	}
	bm.c = c
	var e tree.Evaluator
	e.Bind(c)
	copy(e.Values(), bm.in)
	e.Run()
	want := d.Values // computed by the generator with the same Go expressions
	if s.goEval != nil {
		want = append([]float64(nil), bm.in...)
		s.goEval(want)
	}
	for i, got := range e.Values() {
		if got != want[i] || got != d.Values[i] {
			tb.Fatalf("n=%s: node %d (%s): engine %v, plain Go %v, generator %v", s.name, i, d.Formula(i), got, want[i], d.Values[i])
		}
	}
	benchModels[s.n] = bm
	return bm
}

func reportPerNode(b *testing.B, nodes int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(nodes), "ns/node")
}

// BenchmarkEval evaluates one period with the default engine.
func BenchmarkEval(b *testing.B) {
	for _, s := range benchSizes {
		b.Run("n="+s.name, func(b *testing.B) {
			bm := getModel(b, s)
			var e tree.Evaluator
			e.Bind(bm.c)
			copy(e.Values(), bm.in)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				e.Run()
			}
			reportPerNode(b, s.n)
		})
	}
}

// BenchmarkEvalGo evaluates the same DAGs with generated plain Go code.
func BenchmarkEvalGo(b *testing.B) {
	for _, s := range benchSizes {
		b.Run("n="+s.name, func(b *testing.B) {
			if s.goEval == nil {
				b.Skip("no generated Go for this size (see BENCHMARKS.md)")
			}
			bm := getModel(b, s) // checks the generated Go against the engine
			v := append([]float64(nil), bm.in...)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				s.goEval(v)
			}
			reportPerNode(b, s.n)
		})
	}
}

// BenchmarkEvalNaiveExpr evaluates the DAGs the naive way: each formula
// compiled on its own with expr, run with expr.Run against a
// map[string]any environment updated as nodes are computed.
func BenchmarkEvalNaiveExpr(b *testing.B) {
	sqrt := expr.Function("sqrt", func(p ...any) (any, error) { return math.Sqrt(p[0].(float64)), nil }, new(func(float64) float64))
	for _, s := range benchSizes {
		b.Run("n="+s.name, func(b *testing.B) {
			if !s.naive {
				b.Skip("too slow at this size (see BENCHMARKS.md)")
			}
			bm := getModel(b, s)
			d := bm.dag
			progs := make([]*vm.Program, d.Len())
			for i := range d.Nodes {
				if d.Nodes[i].Input {
					continue
				}
				// Type-check against the formula's own inputs only.
				small := map[string]any{}
				for _, a := range d.Nodes[i].Args[:d.Arity(i)] {
					small[benchgen.ID(int(a))] = 0.0
				}
				p, err := expr.Compile(d.Formula(i), expr.Env(small), sqrt)
				if err != nil {
					b.Fatalf("node %d: %v", i, err)
				}
				progs[i] = p
			}
			ids := make([]string, d.Len())
			env := make(map[string]any, d.Len())
			for i := range d.Nodes {
				ids[i] = benchgen.ID(i)
				if d.Nodes[i].Input {
					env[ids[i]] = d.Values[i]
				}
			}
			run := func() {
				for i, p := range progs {
					if p == nil {
						continue
					}
					out, err := expr.Run(p, env)
					if err != nil {
						b.Fatalf("node %d: %v", i, err)
					}
					env[ids[i]] = out
				}
			}
			run()
			// Same work: the naive evaluation agrees with the engine.
			var e tree.Evaluator
			e.Bind(bm.c)
			copy(e.Values(), bm.in)
			e.Run()
			for i, want := range e.Values() {
				if got := toFloat(env[ids[i]]); got != want {
					b.Fatalf("node %d (%s): naive expr %v, engine %v", i, d.Formula(i), got, want)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				run()
			}
			reportPerNode(b, s.n)
		})
	}
}

func toFloat(x any) float64 {
	switch x := x.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return math.NaN()
}

// BenchmarkCompile measures tree.Compile on an already-built model:
// parsing, validation, ordering and code generation. Besides ns/op it
// reports bytes allocated per node and the heap the *Compiled keeps alive
// per node (the model itself, built before, is not counted).
func BenchmarkCompile(b *testing.B) {
	// Drop the evaluation benchmarks' models: their live heap would make
	// every garbage collection during Compile slower.
	benchMu.Lock()
	clear(benchModels)
	benchMu.Unlock()
	for _, s := range benchSizes {
		b.Run("n="+s.name, func(b *testing.B) {
			d := benchgen.Generate(s.n, benchgen.DefaultSeed)
			m := dagModel(d)
			retained := retainedPerNode(b, m, s.n)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := tree.Compile(m); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			reportPerNode(b, s.n)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(s.n), "alloc-B/node")
			b.ReportMetric(retained, "retained-B/node")
			if c, err := tree.Compile(m); err == nil {
				b.ReportMetric(float64(c.NativeCodeBytes())/float64(s.n), "code-B/node")
			}
		})
	}
}

// retainedPerNode measures the live heap a compiled model keeps.
func retainedPerNode(b *testing.B, m *tree.Model, n int) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	c, err := tree.Compile(m)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(c)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

// TestEvalAllocs checks that evaluating a compiled model allocates
// nothing in steady state.
func TestEvalAllocs(t *testing.T) {
	bm := getModel(t, benchSizes[0])
	var e tree.Evaluator
	e.Bind(bm.c)
	copy(e.Values(), bm.in)
	if a := testing.AllocsPerRun(100, e.Run); a != 0 {
		t.Errorf("Evaluator.Run: %v allocs per run, want 0", a)
	}
}

// BenchmarkGCStopping measures how long the garbage collector waits to
// stop the world while another goroutine evaluates the model in a loop
// (runtime/metrics /sched/pauses/stopping/gc:seconds, bucket upper
// bounds), for a full Run and for the cone of one input, with native code
// on and off. Each op forces 20 collections; the metrics are over all.
func BenchmarkGCStopping(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS >= 2")
	}
	for _, s := range benchSizes[1:] {
		bm := getModel(b, s)
		for _, native := range []bool{true, false} {
			c := bm.c
			if !native {
				var err error
				if c, err = tree.Compile(bm.model, tree.WithNativeCode(false)); err != nil {
					b.Fatal(err)
				}
			}
			var e tree.Evaluator
			e.Bind(c)
			copy(e.Values(), bm.in)
			e.Run()
			// the largest cone among the first 50 inputs
			var k tree.Cone
			best, tried := 0, 0
			for i, nd := range bm.dag.Nodes {
				if !nd.Input || tried == 50 {
					continue
				}
				tried++
				if k.Find(c, i); k.Len() > best {
					best = i
				}
			}
			k.Find(c, best)
			works := []struct {
				name string
				fn   func()
			}{
				{"run", e.Run},
				{"cone", func() {
					if err := e.RunCone(&k); err != nil {
						panic(err)
					}
				}},
			}
			for _, w := range works {
				name := fmt.Sprintf("n=%s/%s/native=%v", s.name, w.name, native)
				b.Run(name, func(b *testing.B) {
					var all []float64
					for b.Loop() {
						all = append(all, measureStopping(20, w.fn)...)
					}
					slices.Sort(all)
					b.ReportMetric(quantile(all, 0.5)*1e3, "p50-ms")
					b.ReportMetric(quantile(all, 0.99)*1e3, "p99-ms")
					b.ReportMetric(quantile(all, 1)*1e3, "max-ms")
					b.ReportMetric(float64(k.Len()), "cone-nodes")
				})
			}
		}
	}
}

// BenchmarkCompileSmall compiles a model of 10 derived nodes (with the
// default options) and reports the machine code it keeps.
func BenchmarkCompileSmall(b *testing.B) {
	m := &tree.Model{Name: "small", Metrics: []metric.Metric{{ID: "a"}, {ID: "b"}}}
	for i := range 10 {
		prev := "b"
		if i > 0 {
			prev = fmt.Sprintf("n%d", i-1)
		}
		m.Metrics = append(m.Metrics, metric.Metric{ID: fmt.Sprintf("n%d", i), Formula: "a * " + prev + " + b - " + prev + " / 3"})
	}
	var code int
	for b.Loop() {
		c, err := tree.Compile(m)
		if err != nil {
			b.Fatal(err)
		}
		code = c.NativeCodeBytes()
	}
	b.ReportMetric(float64(code), "code-B")
}
