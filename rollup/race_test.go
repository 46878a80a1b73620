package rollup_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

// TestConcurrentUse evaluates one *tree.Compiled from many goroutines at
// once (Evaluate, Rollup, Window, Track, Scores), and reads one shared
// Result concurrently; every answer must equal the serial one. Run with
// -race.
func TestConcurrentUse(t *testing.T) {
	ms := append(slices.Clone(shop),
		metric.Metric{ID: "growth", Formula: "revenue - prev(revenue)"},
		metric.Metric{ID: "mrr", Formula: "prev(mrr) + revenue", Aggregation: metric.Last, Initial: ptr(0)},
	)
	ms[4].Targets = []metric.Target{{Period: per(t, "2026"), Value: 60000}}
	c := compile(t, 0, ms...)
	d := rollup.Data{}
	for i := range 24 {
		p := per(t, "2025-01").Add(i)
		for id, v := range map[string]float64{"visitors": 1000 + 37*float64(i), "orders": 20 + float64(i%7), "aov": 50 + float64(i%3)} {
			if err := d.Set(id, p, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	d["aov"].Delete(per(t, "2026-05")) // some issues too

	from, to := per(t, "2026-01"), per(t, "2026-12")
	asOf := per(t, "2026-09")
	run := func() (string, error) {
		var b strings.Builder
		r, err := rollup.Evaluate(c, d, from, to, rollup.Options{})
		if err != nil {
			return "", err
		}
		b.WriteString(strings.Join(dump(r), "\n"))
		b.WriteString(strings.Join(issueStrings(r.Issues()), "\n"))
		for _, pol := range []rollup.Options{{}, {Partial: true}, {Policy: rollup.Zero}} {
			q, err := rollup.Rollup(c, d, per(t, "2026-Q1"), per(t, "2026-Q4"), pol)
			if err != nil {
				return "", err
			}
			b.WriteString(strings.Join(dump(q), "\n"))
			b.WriteString(strings.Join(issueStrings(q.Issues()), "\n"))
		}
		ps, err := rollup.TrackAll(r, asOf, rollup.Thresholds{})
		if err != nil {
			return "", err
		}
		att := map[string]float64{}
		for _, p := range ps {
			fmt.Fprintf(&b, "%+v\n", p)
			att[p.Metric] = p.Outlook
		}
		fmt.Fprintf(&b, "%+v\n", rollup.Scores(c, att, rollup.ScoreOptions{}))
		return b.String(), nil
	}
	want, err := run()
	if err != nil {
		t.Fatal(err)
	}
	shared, err := rollup.Rollup(c, d, per(t, "2026-Q1"), per(t, "2026-Q4"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	window := func() string {
		var b strings.Builder
		for _, p := range shared.Periods() {
			s, err := shared.Window(p, p)
			if err != nil {
				return err.Error()
			}
			for _, id := range []string{"revenue", "growth", "mrr"} {
				v, ok := s.Value(id)
				fmt.Fprintf(&b, "%s %s %v %v %s\n", id, p, v, ok, s.Why(id))
			}
		}
		return b.String()
	}
	wantWindow := window()

	const n = 16
	var wg sync.WaitGroup
	got := make([]string, n)
	gotWindow := make([]string, n)
	errs := make([]error, n)
	for g := range n {
		wg.Go(func() {
			got[g], errs[g] = run()
			gotWindow[g] = window()
		})
	}
	wg.Wait()
	for g := range n {
		if errs[g] != nil {
			t.Fatalf("goroutine %d: %v", g, errs[g])
		}
		if got[g] != want {
			t.Errorf("goroutine %d: result differs from the serial one", g)
		}
		if gotWindow[g] != wantWindow {
			t.Errorf("goroutine %d: windows of a shared result differ from the serial ones", g)
		}
	}
}
