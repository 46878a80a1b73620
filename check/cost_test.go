package check

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// chain compiles a tree n levels deep: a KGI m0 = m1 + 1, m1 = m2 + 1, ...
func chain(tb testing.TB, n int) *tree.Compiled {
	m := &tree.Model{}
	for i := range n {
		mt := metric.Metric{ID: fmt.Sprintf("m%d", i), Kind: metric.KPI}
		if i == 0 {
			mt.Kind = metric.KGI
		}
		if i < n-1 {
			mt.Formula = fmt.Sprintf("m%d + 1", i+1)
		}
		m.Metrics = append(m.Metrics, mt)
	}
	c, err := tree.Compile(m)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestCostBound checks that Run grows at most about linearly with the
// depth of the tree: 8 times deeper may cost at most 16 times the bytes
// and 32 times the time (quadratic would be 64).
func TestCostBound(t *testing.T) {
	if testing.Short() {
		t.Skip("builds trees 8,000 deep")
	}
	measure := func(c *tree.Compiled) (uint64, time.Duration) {
		var alloc uint64
		var d time.Duration
		for range 3 {
			var a, b runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&a)
			t0 := time.Now()
			if _, err := Run(c, nil, Options{}); err != nil {
				t.Fatal(err)
			}
			el := time.Since(t0)
			runtime.ReadMemStats(&b)
			if al := b.TotalAlloc - a.TotalAlloc; alloc == 0 || al < alloc {
				alloc = al
			}
			if d == 0 || el < d {
				d = el
			}
		}
		return alloc, d
	}
	as, ts := measure(chain(t, 1000))
	ab, tb := measure(chain(t, 8000))
	ra, rt := float64(ab)/float64(as), float64(tb)/float64(max(ts, time.Microsecond))
	t.Logf("depth 1000 → 8000: allocated %d → %d (×%.1f), time %v → %v (×%.1f)", as, ab, ra, ts, tb, rt)
	if ra > 16 || rt > 32 {
		t.Errorf("cost grew ×%.1f (bytes), ×%.1f (time) for depth ×8", ra, rt)
	}
}

// BenchmarkRunDepth runs the checks on trees of three depths; ns/op per
// level stays flat when the cost is linear:
//
//	go test ./check/ -run '^$' -bench RunDepth -benchmem -benchtime 5x -count 3
func BenchmarkRunDepth(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000} {
		c := chain(b, n)
		b.Run(fmt.Sprintf("depth=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Run(c, nil, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
