package tree

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Hostile inputs of a given size, for the cost tests and benchmarks.
var hostile = []struct {
	name string
	make func(n int) []byte
}{
	// a list nested n deep (rejected at MaxDepth, after reading the file)
	{"deep", func(n int) []byte {
		return []byte("kpitree: \"1\"\nmetrics: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n")
	}},
	// the same in JSON
	{"deep-json", func(n int) []byte {
		return []byte(`{"kpitree": "1", "metrics": ` + strings.Repeat("[", n) + strings.Repeat("]", n) + "}")
	}},
	// n metrics, each a formula of names that do not exist
	{"unknown-names", func(n int) []byte {
		var b strings.Builder
		b.WriteString("kpitree: \"1\"\nmetrics:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {id: metric_%d, formula: metrc_%d + metric_%dx}\n", i, i, i)
		}
		return []byte(b.String())
	}},
	// a formula naming one unknown id of n characters, next to ids as long
	{"long-name", func(n int) []byte {
		long := strings.Repeat("a", n)
		return []byte("kpitree: \"1\"\nmetrics:\n  - {id: x, formula: " + long + "b}\n  - {id: " + long[:min(n, MaxIDLength)] + "}\n")
	}},
	// n metrics in one flat list, each with a target
	{"wide", func(n int) []byte {
		var b strings.Builder
		b.WriteString("kpitree: \"1\"\nmetrics:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {id: m%d, targets: [{period: 2027, value: %d}]}\n", i, i)
		}
		return []byte(b.String())
	}},
	// a chain n deep of formulas
	{"chain", func(n int) []byte {
		var b strings.Builder
		b.WriteString("kpitree: \"1\"\nmetrics:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {id: m%d, kind: KPI, formula: m%d + 1}\n", i, i+1)
		}
		fmt.Fprintf(&b, "  - {id: m%d, kind: KPI}\n", n)
		return []byte(b.String())
	}},
}

// loadCompile is what the cost tests measure: Load, then Compile of what
// loaded.
func loadCompile(data []byte) {
	m, err := Load(bytes.NewReader(data), "h.yaml")
	if err == nil {
		_, _ = Compile(m)
	}
}

// cost returns the bytes allocated and the time taken by f, the
// smallest of three runs.
func cost(f func()) (alloc uint64, d time.Duration) {
	for range 3 {
		var a, b runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&a)
		t0 := time.Now()
		f()
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

// TestCostBound checks that Load and Compile cost at most about linear in
// the size of each hostile input: growing the input 8 times may grow the
// bytes allocated at most 16 times and the time at most 32 times (a
// quadratic cost would grow both 64 times; the margins absorb a noisy
// machine).
func TestCostBound(t *testing.T) {
	if testing.Short() {
		t.Skip("measures sizes up to a few MB")
	}
	sizes := map[string]int{"deep": 20000, "deep-json": 20000, "unknown-names": 1000, "long-name": 25000, "wide": 2000, "chain": 1000}
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			n := sizes[h.name]
			small, big := h.make(n), h.make(8*n)
			as, ts := cost(func() { loadCompile(small) })
			ab, tb := cost(func() { loadCompile(big) })
			size := float64(len(big)) / float64(len(small))
			ra, rt := float64(ab)/float64(max(as, 1)), float64(tb)/float64(max(ts, time.Microsecond))
			t.Logf("%d → %d bytes (×%.1f): allocated %d → %d (×%.1f), time %v → %v (×%.1f)", len(small), len(big), size, as, ab, ra, ts, tb, rt)
			if ra > 2*size {
				t.Errorf("allocation grew ×%.1f for input ×%.1f", ra, size)
			}
			if rt > 4*size {
				t.Errorf("time grew ×%.1f for input ×%.1f", rt, size)
			}
		})
	}
}

// BenchmarkHostile loads and compiles each hostile input at three sizes;
// ns/op and B/op divided by the input bytes stay flat when the cost is
// linear:
//
//	go test ./tree/ -run '^$' -bench Hostile -benchmem -benchtime 20x -count 3
func BenchmarkHostile(b *testing.B) {
	base := map[string]int{"deep": 10000, "deep-json": 10000, "unknown-names": 500, "long-name": 10000, "wide": 1000, "chain": 500}
	for _, h := range hostile {
		for _, k := range []int{1, 4, 16} {
			data := h.make(k * base[h.name])
			b.Run(fmt.Sprintf("%s/bytes=%d", h.name, len(data)), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					loadCompile(data)
				}
			})
		}
	}
}
