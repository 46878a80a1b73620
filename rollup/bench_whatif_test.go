package rollup_test

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/kpitree/kpitree/internal/benchgen"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// The what-if benchmarks run on the synthetic 100k-node DAG of package
// benchgen (seed benchgen.DefaultSeed): one node in ten is an input, the
// others formulas of 2 to 4 earlier nodes. See BENCHMARKS-whatif.md.

type wiBench struct {
	c *tree.Compiled
	s *rollup.Session
	// cones maps a wanted cone size to an input whose cone is about that
	// big; alt to a second one.
	cones, alt map[int]wiCone
}

type wiCone struct {
	input, size int
	last        int // the last node of the cone in evaluation order
}

var (
	wiBenchOnce sync.Once
	wiBenchM    *wiBench
)

var wiConeSizes = []int{10, 1000, 10000}

func wiBench100k(b *testing.B) *wiBench {
	wiBenchOnce.Do(func() {
		d := benchgen.Generate(100_000, benchgen.DefaultSeed)
		m := &tree.Model{Name: "synthetic", Metrics: make([]metric.Metric, d.Len())}
		for i := range m.Metrics {
			m.Metrics[i] = metric.Metric{ID: benchgen.ID(i), Formula: d.Formula(i)}
		}
		c, err := tree.Compile(m)
		if err != nil {
			panic(err)
		}
		src := rollup.SourceFunc(func(id string, p metric.Period) (float64, bool) {
			i, ok := c.Index(id)
			return d.Values[i], ok
		})
		s, err := rollup.NewSession(c, src, wiP, rollup.Options{})
		if err != nil {
			panic(err)
		}
		w := &wiBench{c: c, s: s, cones: map[int]wiCone{}, alt: map[int]wiCone{}}
		// scan inputs from the last declared backwards: cones grow
		var k tree.Cone
		var ins []int
		for i := range c.Inputs() {
			ins = append(ins, i)
		}
		for j := len(ins) - 1; j >= 0 && len(w.alt) < len(wiConeSizes); j-- {
			k.Find(c, ins[j])
			n := k.Len()
			for _, want := range wiConeSizes {
				_, have := w.cones[want]
				if _, done := w.alt[want]; done || n < want*9/10 || n > want*11/10 {
					continue
				}
				last := -1
				for i := range k.Nodes() {
					last = i
				}
				if have {
					w.alt[want] = wiCone{input: ins[j], size: n, last: last}
				} else {
					w.cones[want] = wiCone{input: ins[j], size: n, last: last}
				}
			}
		}
		wiBenchM = w
	})
	return wiBenchM
}

// BenchmarkWhatIfSet changes one input and recomputes its cone, for
// cones of about 10, 1000 and 10000 nodes of the 100k-node model; ns/node
// is the cost per recomputed node. "find" alternates between two inputs
// with cones of about the same size, so every change finds its cone;
// "same" changes one input again and again, so the session's cached cone
// is reused.
func BenchmarkWhatIfSet(b *testing.B) {
	w := wiBench100k(b)
	for _, want := range wiConeSizes {
		k, ok := w.cones[want]
		k2, ok2 := w.alt[want]
		if !ok || !ok2 {
			b.Logf("no inputs with a cone of about %d nodes", want)
			continue
		}
		b.Run(fmt.Sprintf("cone=%d/find", want), func(b *testing.B) {
			s := w.s.Clone()
			x, x2 := s.Values()[k.input], s.Values()[k2.input]
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if i&1 == 0 {
					s.SetIndex(k.input, x*(1+float64(i&2)*1e-3))
				} else {
					s.SetIndex(k2.input, x2*(1+float64(i&2)*1e-3))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(k.size+k2.size)*2, "ns/node")
		})
		b.Run(fmt.Sprintf("cone=%d/same", want), func(b *testing.B) {
			s := w.s.Clone()
			x := s.Values()[k.input]
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				s.SetIndex(k.input, x*(1+float64(i&1)*1e-3))
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(k.size), "ns/node")
		})
	}
	// the same change by full re-evaluation of the model
	b.Run("full", func(b *testing.B) {
		var e tree.Evaluator
		e.Bind(w.c)
		copy(e.Values(), w.s.Values())
		k := w.cones[10]
		x := e.Values()[k.input]
		n := 0
		for range w.c.Order() {
			n++
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			e.Values()[k.input] = x * (1 + float64(i&1)*1e-3)
			e.Run()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/node")
	})
}

// BenchmarkGoalSeek100k back-solves an input of the 100k-node model so
// that the last node of its cone reaches the value it takes at 1.1 times
// the input: exact inversion where the path is linear (Auto), and Brent's
// method on a bracket of ±50% (Brent). Each trial evaluates the cone only.
func BenchmarkGoalSeek100k(b *testing.B) {
	w := wiBench100k(b)
	for _, want := range wiConeSizes {
		k, ok := w.cones[want]
		if !ok {
			continue
		}
		s := w.s.Clone()
		x := s.Values()[k.input]
		target, input := w.c.ID(k.last), w.c.ID(k.input)
		s.SetIndex(k.input, 1.1*x)
		goal := s.Values()[k.last]
		s.SetIndex(k.input, x)
		for _, m := range []rollup.SeekMethod{rollup.SeekAuto, rollup.SeekBrent} {
			opt := rollup.SeekOptions{Method: m, Lo: x - 0.5*math.Abs(x), Hi: x + 0.5*math.Abs(x)}
			r, err := s.GoalSeek(target, goal, input, opt)
			if err != nil {
				b.Logf("cone %d, %v: %v", k.size, m, err)
				continue
			}
			b.Run(fmt.Sprintf("cone=%d/%v", want, m), func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					if _, err := s.GoalSeek(target, goal, input, opt); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(r.Evaluations), "evals")
			})
		}
	}
}
