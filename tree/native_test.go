package tree_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// chainModel is a model of n derived nodes over two inputs, each node an
// arithmetic formula of terms terms over the previous nodes: compiled to
// machine code where the platform allows.
func chainModel(name string, n, terms int) *tree.Model {
	m := &tree.Model{Name: name, Metrics: []metric.Metric{{ID: "a"}, {ID: "b"}}}
	for i := range n {
		var f strings.Builder
		f.WriteString("a")
		for t := 1; t < terms; t++ {
			prev := "b"
			if i > 0 {
				prev = fmt.Sprintf("n%d", i-1-(t%min(i, 3)))
			}
			fmt.Fprintf(&f, " %c %s * %d.5", "+-"[t%2], prev, t%7)
		}
		m.Metrics = append(m.Metrics, metric.Metric{ID: fmt.Sprintf("n%d", i), Formula: f.String()})
	}
	return m
}

// TestRunConeForeign: a cone found for one model and run on an evaluator
// of another is refused with ErrForeignCone by every engine, without
// touching the values (it used to jump through the native code's offset
// table unchecked).
func TestRunConeForeign(t *testing.T) {
	engines := []struct {
		name string
		opts []tree.Option
	}{
		{"default", nil},
		{"interpreter", []tree.Option{tree.WithNativeCode(false)}},
		{"expr", []tree.Option{tree.WithEngine(tree.ExprEngine())}},
	}
	for _, eng := range engines {
		big, err := tree.Compile(chainModel("big", 300, 4), eng.opts...)
		if err != nil {
			t.Fatal(err)
		}
		twin, err := tree.Compile(chainModel("twin", 300, 4), eng.opts...)
		if err != nil {
			t.Fatal(err)
		}
		small, err := tree.Compile(chainModel("small", 3, 2), eng.opts...)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := big.Index("a")
		var k tree.Cone
		k.Find(big, a)
		if k.Len() != 300 {
			t.Fatalf("%s: cone of a has %d nodes, want 300", eng.name, k.Len())
		}
		for _, other := range []*tree.Compiled{small, twin} {
			var e tree.Evaluator
			e.Bind(other)
			e.Values()[0], e.Values()[1] = 1, 2
			e.Run()
			before := append([]float64(nil), e.Values()...)
			err := e.RunCone(&k)
			if !errors.Is(err, tree.ErrForeignCone) {
				t.Fatalf("%s: cone of %q on %q: err = %v, want ErrForeignCone", eng.name, big.Model().Name, other.Model().Name, err)
			}
			for i, v := range e.Values() {
				if math.Float64bits(v) != math.Float64bits(before[i]) {
					t.Fatalf("%s: a refused cone changed node %d", eng.name, i)
				}
			}
		}
		// The right evaluator runs it.
		var e tree.Evaluator
		e.Bind(big)
		if err := e.RunCone(&k); err != nil {
			t.Errorf("%s: %v", eng.name, err)
		}
		// An unbound evaluator refuses it too; an empty cone is no error.
		var unbound tree.Evaluator
		if err := unbound.RunCone(&k); !errors.Is(err, tree.ErrForeignCone) {
			t.Errorf("%s: unbound evaluator: err = %v", eng.name, err)
		}
		var empty tree.Cone
		if err := e.RunCone(&empty); err != nil {
			t.Errorf("%s: empty cone: %v", eng.name, err)
		}
	}
}

// mapCount is the number of memory mappings of the process.
func mapCount(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	return strings.Count(string(b), "\n")
}

// settleCleanups collects garbage until the native code blocks of dropped
// models have been returned (cleanups run on their own goroutine).
func settleCleanups(want func() bool) {
	for range 20 {
		runtime.GC()
		if want() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestNativeMappingsBounded: compiling many models, dropping half of
// them again and again, keeps the process's map count bounded (it used
// to take one mapping per model, up to vm.max_map_count) and frees the
// code of dropped models.
func TestNativeMappingsBounded(t *testing.T) {
	if !tree.ReadNativeCodeStats().Available {
		t.Skipf("no native code: %s", tree.ReadNativeCodeStats().Reason)
	}
	m := chainModel("m", 80, 4)
	var live []*tree.Compiled
	maps0 := mapCount(t)
	rounds, perRound := 5, 800
	if testing.Short() {
		rounds = 3
	}
	settleCleanups(func() bool { return false })
	inUse0 := tree.ReadNativeCodeStats().InUseBytes
	var e tree.Evaluator
	var k tree.Cone
	for r := range rounds {
		for range perRound {
			c, err := tree.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			if c.NativeCodeBytes() == 0 {
				t.Fatal("model not compiled to native code")
			}
			if len(live)%4 == 0 { // some with per-node code too
				e.Bind(c)
				k.Find(c, 0)
				if err := e.RunCone(&k); err != nil {
					t.Fatal(err)
				}
			}
			live = append(live, c)
		}
		clear(live[len(live)/2:])
		live = live[:len(live)/2]
		e, k = tree.Evaluator{}, tree.Cone{}
		inUse := inUse0
		for _, c := range live {
			inUse += int64(c.NativeCodeBytes())
		}
		settleCleanups(func() bool { return tree.ReadNativeCodeStats().InUseBytes <= inUse })
		s := tree.ReadNativeCodeStats()
		if grown := mapCount(t) - maps0; grown > 64 {
			t.Fatalf("round %d: %d live models, the map count grew by %d (native code: %+v)", r, len(live), grown, s)
		}
		if s.InUseBytes > inUse {
			t.Errorf("round %d: %d bytes of machine code in use, %d held by live models", r, s.InUseBytes, inUse)
		}
		if s.UnmapErrors > 0 {
			t.Fatalf("munmap failed: %v", s.UnmapErr)
		}
	}
	runtime.KeepAlive(live)
}

// TestNativeMemorySmallModels: the machine code of many small models
// costs at most a tenth of their Go heap (it used to be 3–5 times: a
// page-granular mapping per model and another per first cone).
func TestNativeMemorySmallModels(t *testing.T) {
	if !tree.ReadNativeCodeStats().Available {
		t.Skipf("no native code: %s", tree.ReadNativeCodeStats().Reason)
	}
	for _, size := range []struct{ nodes, terms int }{{3, 2}, {10, 3}, {30, 4}} {
		models := make([]*tree.Compiled, 2000)
		ms := make([]*tree.Model, len(models))
		for i := range ms {
			ms[i] = chainModel(fmt.Sprint("m", i), size.nodes, size.terms)
		}
		var m0, m1 runtime.MemStats
		settleCleanups(func() bool { return false }) // earlier tests' code returned
		runtime.ReadMemStats(&m0)
		n0 := tree.ReadNativeCodeStats()
		var e tree.Evaluator
		var k tree.Cone
		for i := range models {
			c, err := tree.Compile(ms[i])
			if err != nil {
				t.Fatal(err)
			}
			e.Bind(c)
			k.Find(c, 0)
			if err := e.RunCone(&k); err != nil { // per-node code too
				t.Fatal(err)
			}
			models[i] = c
		}
		e, k = tree.Evaluator{}, tree.Cone{}
		runtime.GC()
		runtime.ReadMemStats(&m1)
		n1 := tree.ReadNativeCodeStats()
		heap := float64(int64(m1.HeapAlloc) - int64(m0.HeapAlloc))
		native := float64(n1.MappedBytes - n0.MappedBytes)
		t.Logf("%d models of %d nodes: heap %.0f B/model, native code mapped %.0f B/model (%.1f%%), in use %.0f B/model",
			len(models), size.nodes, heap/float64(len(models)), native/float64(len(models)), 100*native/heap,
			float64(n1.InUseBytes-n0.InUseBytes)/float64(len(models)))
		if native > 0.10*heap {
			t.Errorf("%d-node models: native code %.0f B is more than 10%% of their heap %.0f B", size.nodes, native, heap)
		}
		runtime.KeepAlive(models)
	}
}

// stoppingTimes returns the GC stop-the-world stopping times recorded
// between two samples of /sched/pauses/stopping/gc:seconds, as bucket
// upper bounds, sorted.
func stoppingTimes(before, after *metrics.Float64Histogram) []float64 {
	var out []float64
	for i, c := range after.Counts {
		d := c
		if before != nil {
			d -= before.Counts[i]
		}
		for range d {
			out = append(out, after.Buckets[i+1])
		}
	}
	return out
}

func readStopping() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: "/sched/pauses/stopping/gc:seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		return nil
	}
	return s[0].Value.Float64Histogram()
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// measureStopping runs work in a loop on another goroutine while this one
// forces n garbage collections, and returns the GC's stopping times.
func measureStopping(n int, work func()) []float64 {
	var stop sync.WaitGroup
	done := make(chan struct{})
	stop.Add(1)
	go func() {
		defer stop.Done()
		for {
			select {
			case <-done:
				return
			default:
				work()
			}
		}
	}()
	time.Sleep(5 * time.Millisecond)
	before := readStopping()
	for range n {
		runtime.GC()
		time.Sleep(200 * time.Microsecond)
	}
	after := readStopping()
	close(done)
	stop.Wait()
	if after == nil {
		return nil
	}
	return stoppingTimes(before, after)
}

// TestNativeCodeIsPreemptible: a stop-the-world waits for one chunk of
// machine code, not a whole evaluation. The model's evaluation is a few
// milliseconds of straight-line code (its formulas are long); the median
// stopping time must stay far below that (the bound is loose for a busy
// machine; BenchmarkGCStopping measures it at 1M nodes).
func TestNativeCodeIsPreemptible(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2: the evaluation must run while the GC stops the world")
	}
	if testing.Short() {
		t.Skip("builds a model of 300k instructions")
	}
	c, err := tree.Compile(chainModel("long", 1000, 300))
	if err != nil {
		t.Fatal(err)
	}
	if c.NativeCodeBytes() == 0 {
		t.Skip("the model runs interpreted here (a -race or purego build, or no native code on this platform); run without -race on linux/amd64")
	}
	var e tree.Evaluator
	e.Bind(c)
	e.Values()[0], e.Values()[1] = 1, 2
	t0 := time.Now()
	e.Run()
	run := time.Since(t0)
	times := measureStopping(40, e.Run)
	if times == nil {
		t.Skip("runtime/metrics has no /sched/pauses/stopping/gc:seconds")
	}
	p50, max := quantile(times, 0.5), quantile(times, 1)
	t.Logf("one evaluation %v (native code %d B); GC stopping time over %d stops: p50 %.3g ms, max %.3g ms",
		run, c.NativeCodeBytes(), len(times), p50*1e3, max*1e3)
	if run > 2*time.Millisecond && p50 > 1e-3 {
		t.Errorf("median GC stopping time %.3g ms with a %v evaluation running: native code is not preempted", p50*1e3, run)
	}
}
