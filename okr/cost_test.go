package okr

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// chainFile is an OKR file of n objectives, each aligned to the one
// before (the deepest alignment chain n objectives make), each with a
// key result and a check-in.
func chainFile(n int) []byte {
	var b strings.Builder
	b.WriteString("kpiokr: \"1\"\ncycle: 2026-Q3\nobjectives:\n")
	for i := range n {
		parent := ""
		if i > 0 {
			parent = fmt.Sprintf(", parent: o%d", i-1)
		}
		fmt.Fprintf(&b, "  - {id: o%d, title: Grow, owner: x%s, key_results: [{id: k%d, title: Reach, from: 0, to: 10, check_ins: [{date: 2026-07-06, value: 3}]}]}\n", i, parent, i)
	}
	return []byte(b.String())
}

// loadEvaluate is what the cost test measures: Load, Evaluate (which
// runs Lint) of what loaded.
func loadEvaluate(tb testing.TB, data []byte) {
	s, err := Load(bytes.NewReader(data), "chain.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := Evaluate(s, Options{AsOf: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		tb.Fatal(err)
	}
}

// TestCostBound checks that Load and Evaluate grow at most about
// linearly with the depth of the alignment chain: 8 times the objectives
// may cost at most 16 times the bytes and 32 times the time (quadratic
// would be 64).
func TestCostBound(t *testing.T) {
	if testing.Short() {
		t.Skip("measures files of a few MB")
	}
	small, big := chainFile(500), chainFile(4000)
	measure := func(data []byte) (uint64, time.Duration) {
		var alloc uint64
		var d time.Duration
		for range 3 {
			var a, b runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&a)
			t0 := time.Now()
			loadEvaluate(t, data)
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
	as, ts := measure(small)
	ab, tb := measure(big)
	size := float64(len(big)) / float64(len(small))
	ra, rt := float64(ab)/float64(as), float64(tb)/float64(max(ts, time.Microsecond))
	t.Logf("%d → %d bytes (×%.1f): allocated ×%.1f, time %v → %v (×%.1f)", len(small), len(big), size, ra, ts, tb, rt)
	if ra > 2*size || rt > 4*size {
		t.Errorf("cost grew ×%.1f (bytes), ×%.1f (time) for input ×%.1f", ra, rt, size)
	}
}

// BenchmarkAlignmentChain loads and evaluates alignment chains of three
// depths; ns/op per objective stays flat when the cost is linear:
//
//	go test ./okr/ -run '^$' -bench AlignmentChain -benchmem -benchtime 5x -count 3
func BenchmarkAlignmentChain(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000} {
		data := chainFile(n)
		b.Run(fmt.Sprintf("objectives=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				loadEvaluate(b, data)
			}
		})
	}
}
