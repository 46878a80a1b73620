package rollup_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

// noPanic runs f and fails the test if it panics.
func noPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", name, r)
		}
	}()
	f()
}

func TestReviewScenarioEvaluateBadRangePanics(t *testing.T) {
	c := compile(t, 0, shop...)
	d := obs{"visitors": {"2026-01": 100}, "orders": {"2026-01": 5}, "aov": {"2026-01": 10}}.data(t)
	s := rollup.NewScenario("s", nil).Scale("conversion", 10, rollup.Span{})
	cases := []struct {
		name     string
		from, to metric.Period
	}{
		{"mixed grains", per(t, "2026-01"), per(t, "2026-Q1")},
		{"zero from", metric.Period{}, per(t, "2026-01")},
		{"zero to", per(t, "2026-01"), metric.Period{}},
	}
	for _, tc := range cases {
		noPanic(t, tc.name, func() {
			if _, err := s.Evaluate(c, d, tc.from, tc.to, rollup.Options{}); err == nil {
				t.Errorf("%s: no error", tc.name)
			}
		})
	}
}

func TestReviewWindowNonFiniteNotUsable(t *testing.T) {
	c := compile(t, 0, shop...)
	// visitors missing for the whole window: Zero fills them with 0, so the
	// windowed conversion is orders/0.
	d := obs{"orders": {"2026-01": 5, "2026-02": 6}, "aov": {"2026-01": 10, "2026-02": 10}}.data(t)
	r, _ := rollup.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-02"), rollup.Options{Policy: rollup.Zero})
	w, err := r.Window(per(t, "2026-01"), per(t, "2026-02"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"conversion", "revenue"} {
		if v, ok := w.Value(id); ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Errorf("Window %s = %v reported usable", id, v)
		}
	}
}

func TestReviewTrackWeeklyISOYear(t *testing.T) {
	// 2027-01-01 is a Friday: ISO week 2026-W53 (Thursday 2026-12-31)
	// belongs to 2026, so a 2027 target starts at 2027-W01, and the last
	// week of 2027 is 2027-W52: 52 weeks.
	m := metric.Metric{ID: "m"}
	c := compile(t, metric.Week, m)
	d := rollup.Data{}
	for p := per(t, "2026-W50"); !per(t, "2027-W05").Before(p); p = p.Next() {
		if err := d.Set("m", p, 10); err != nil {
			t.Fatal(err)
		}
	}
	r, err := rollup.Evaluate(c, d, per(t, "2026-W50"), per(t, "2027-W05"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := rollup.Track(r, "m", metric.Target{Period: per(t, "2027"), Value: 520}, per(t, "2027-W04"), rollup.Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Periods != 4 || p.Total != 52 || p.ToDate != 40 {
		t.Errorf("Periods %d Total %d ToDate %g, want 4, 52, 40", p.Periods, p.Total, p.ToDate)
	}
	// and the same year rolled up counts the same weeks
	q, err := rollup.Rollup(c, d, per(t, "2027"), per(t, "2027"), rollup.Options{Partial: true})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := q.Value("m", per(t, "2027")); v != 50 {
		t.Errorf("Rollup 2027 = %g, want 50 (W01..W05)", v)
	}
}

func TestReviewTrackCumulativeBaselinePace(t *testing.T) {
	// Contracts: 100 last year, target 120 this year, cumulative. A
	// quarter in, 35 is ahead of the 30 a straight path to 120 needs, 25
	// behind it: the pace must rank them that way.
	c := compile(t, 0, metric.Metric{ID: "m"})
	tg := metric.Target{Period: per(t, "2026"), Value: 120, Baseline: ptr(100)}
	pace := map[float64]rollup.Progress{}
	for _, total := range []float64{25, 35} {
		d := rollup.Data{}
		for i := range 3 {
			_ = d.Set("m", per(t, "2026-01").Add(i), total/3)
		}
		r, _ := rollup.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-12"), rollup.Options{})
		p, err := rollup.Track(r, "m", tg, per(t, "2026-03"), rollup.Thresholds{})
		if err != nil {
			t.Fatal(err)
		}
		pace[total] = p
	}
	// By hand: a quarter in, the baseline stands at 25 and the plan at 30;
	// 35 is twice the planned progress (10 of 5), 25 none of it.
	if math.Abs(pace[35].Pace-2) > 1e-12 || math.Abs(pace[25].Pace) > 1e-12 {
		t.Errorf("pace %g and %g, want 2 and 0", pace[35].Pace, pace[25].Pace)
	}
	if !(pace[35].Pace > 1 && pace[25].Pace < 1) {
		t.Errorf("pace ahead %g (%v), behind %g (%v): want > 1 and < 1", pace[35].Pace, pace[35].Status, pace[25].Pace, pace[25].Status)
	}
	if pace[35].Status != rollup.OnTrack || pace[25].Status == rollup.OnTrack {
		t.Errorf("status ahead %v, behind %v", pace[35].Status, pace[25].Status)
	}
}

func TestReviewSimulationNilBase(t *testing.T) {
	c := compile(t, 0,
		metric.Metric{ID: "x"},
		metric.Metric{ID: "y", Formula: "x + prev(y)"},
	)
	dx, _ := rollup.Normal(10, 1)
	sim := rollup.Simulation{Draws: 10, Seed: 1, Inputs: []rollup.Uncertain{{Metric: "x", Dist: dx}}}
	noPanic(t, "nil base", func() {
		_, err := sim.Run(context.Background(), c, nil, per(t, "2026-01"))
		if !errors.Is(err, rollup.ErrSimulation) {
			t.Errorf("err = %v, want ErrSimulation", err)
		}
	})
	noPanic(t, "zero period", func() {
		_, err := sim.Run(context.Background(), c, rollup.Data{}, metric.Period{})
		if err == nil {
			t.Errorf("no error for the zero period")
		}
	})
	noPanic(t, "wrong grain", func() {
		_, err := sim.Run(context.Background(), c, rollup.Data{}, per(t, "2026-Q1"))
		if err == nil {
			t.Errorf("no error for a quarter of a monthly model")
		}
	})
}

func TestReviewWindowAppliesScenarioOverrides(t *testing.T) {
	c := compile(t, 0, shop...)
	o := obs{}
	for _, id := range []string{"visitors", "orders", "aov"} {
		o[id] = map[string]float64{}
	}
	for _, m := range []string{"2026-01", "2026-02", "2026-03"} {
		o["visitors"][m], o["orders"][m], o["aov"][m] = 1000, 20, 50
	}
	d := o.data(t)
	s := rollup.NewScenario("s", nil).
		Set("conversion", 0.05, rollup.Span{}).
		Scale("revenue", 10, rollup.Span{}).
		Add("revenue", 1, rollup.During(per(t, "2026-03")))
	r, err := s.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-03"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		v  float64
		ok bool
	}
	tests := []struct {
		name     string
		from, to string
		id       string
		want     want
	}{
		// one month: the window is the result itself
		{"pinned rate in one month", "2026-02", "2026-02", "conversion", want{0.05, true}},
		{"scaled revenue in one month", "2026-02", "2026-02", "revenue", want{1000 * 0.05 * 50 * 1.1, true}},
		// two months, both overrides cover them: 2000 visitors x 0.05 x 50, +10%
		{"pinned rate over two months", "2026-01", "2026-02", "conversion", want{0.05, true}},
		{"scaled revenue over two months", "2026-01", "2026-02", "revenue", want{5500, true}},
		// the +1 covers only March of the quarter: no honest quarterly value
		{"override in part of the window", "2026-01", "2026-03", "revenue", want{math.NaN(), false}},
	}
	for _, tc := range tests {
		w, err := r.Window(per(t, tc.from), per(t, tc.to))
		if err != nil {
			t.Fatal(err)
		}
		v, ok := w.Value(tc.id)
		if ok != tc.want.ok || ok && math.Abs(v-tc.want.v) > 1e-9*math.Abs(tc.want.v) {
			t.Errorf("%s: %s = %v, %v; want %v, %v (why: %s)", tc.name, tc.id, v, ok, tc.want.v, tc.want.ok, w.Why(tc.id))
		}
		if !ok && !strings.Contains(w.Why(tc.id), "only some periods") {
			t.Errorf("%s: why = %q", tc.name, w.Why(tc.id))
		}
	}
}

// TestReviewConcurrentCompiled shares one *tree.Compiled between many
// goroutines running Compare, Simulation, and sessions cloned from one
// base (goal seek, tornado, elasticities, data tables); every answer must
// equal the serial one. Run with -race.
func TestReviewConcurrentCompiled(t *testing.T) {
	c := compile(t, 0, append(slices.Clone(shop),
		metric.Metric{ID: "growth", Formula: "revenue - prev(revenue)"})...)
	d := rollup.Data{}
	for i := range 6 {
		p := per(t, "2026-01").Add(i)
		_ = d.Set("visitors", p, 1000+10*float64(i))
		_ = d.Set("orders", p, 20+float64(i))
		_ = d.Set("aov", p, 50)
	}
	from, to := per(t, "2026-02"), per(t, "2026-06")
	sc := []*rollup.Scenario{
		rollup.NewScenario("more", nil).Scale("visitors", 10, rollup.Span{}),
		rollup.NewScenario("pinned", nil).Set("conversion", 0.03, rollup.During(per(t, "2026-04"))),
	}
	dv, err := rollup.Normal(1000, 50)
	if err != nil {
		t.Fatal(err)
	}
	sim := rollup.Simulation{Draws: 600, Seed: 7, BlockSize: 64, Workers: 3,
		Inputs: []rollup.Uncertain{{Metric: "visitors", Dist: dv}}, Outputs: []string{"revenue", "growth"}}
	base, err := rollup.NewSession(c, d, per(t, "2026-03"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := func(s *rollup.Session) (string, error) {
		var b strings.Builder
		m, err := rollup.Compare(c, d, sc, from, to, rollup.Options{})
		if err != nil {
			return "", err
		}
		for df := range m.All() {
			fmt.Fprintf(&b, "%+v\n", df)
		}
		w, err := m.Result("pinned").Window(per(t, "2026-04"), per(t, "2026-04"))
		if err != nil {
			return "", err
		}
		v, ok := w.Value("revenue")
		fmt.Fprintln(&b, v, ok)
		res, err := sim.Run(context.Background(), c, d, per(t, "2026-03"))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%+v\n", res.Summaries())
		g, err := s.GoalSeek("revenue", 2000, "orders", rollup.SeekOptions{Method: rollup.SeekBrent})
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%+v\n", g)
		tor, err := s.Tornado("revenue", rollup.TornadoOptions{})
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%+v\n", *tor)
		el, err := s.Elasticities("revenue", rollup.ElasticityOptions{})
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%+v\n", el)
		tb, err := s.DataTable([]string{"revenue"}, rollup.Sweep{Input: "aov", Values: []float64{40, 60}})
		if err != nil {
			return "", err
		}
		for cell := range tb.Cells() {
			fmt.Fprintf(&b, "%+v\n", cell)
		}
		fmt.Fprintln(&b, s.Values())
		return b.String(), nil
	}
	want, err := run(base.Clone())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	got := make([]string, 8)
	for g := range 8 {
		s := base.Clone()
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[g], errs[g] = run(s)
		}()
	}
	wg.Wait()
	for g := range 8 {
		if errs[g] != nil {
			t.Fatalf("goroutine %d: %v", g, errs[g])
		}
		if got[g] != want {
			t.Errorf("goroutine %d differs from the serial run", g)
		}
	}
}

func TestReviewTornadoNegativeInputLowHigh(t *testing.T) {
	// A negative input (a loss, a cost booked negative): ±10% of -100 is
	// -110 low and -90 high, not the other way round.
	c := compile(t, 0, metric.Metric{ID: "sales"}, metric.Metric{ID: "cost"},
		metric.Metric{ID: "profit", Formula: "sales + cost"})
	p := per(t, "2026-01")
	d := obs{"sales": {"2026-01": 1000}, "cost": {"2026-01": -100}}.data(t)
	s, err := rollup.NewSession(c, d, p, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tor, err := s.Tornado("profit", rollup.TornadoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range tor.Bars {
		if b.Low > b.High {
			t.Errorf("%s: Low %g above High %g", b.Input, b.Low, b.High)
		}
		if b.Input == "cost" && (math.Abs(b.AtLow-890) > 1e-9 || math.Abs(b.AtHigh-910) > 1e-9) {
			t.Errorf("cost: AtLow %g AtHigh %g, want 890 and 910", b.AtLow, b.AtHigh)
		}
	}
}

func TestReviewWindowWhyPrevMissingInside(t *testing.T) {
	// mrr's January is missing (no new_mrr); a window from February reads
	// prev(mrr) in January, inside the evaluated periods.
	c := compile(t, 0, mrr...)
	d := obs{
		"new_mrr":     {"2026-02": 10, "2026-03": 10},
		"churned_mrr": {"2026-01": 1, "2026-02": 1, "2026-03": 1},
		"mrr":         {"2025-12": 100},
	}.data(t)
	r, _ := rollup.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-03"), rollup.Options{})
	w, err := r.Window(per(t, "2026-02"), per(t, "2026-03"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := w.Value("mrr"); ok {
		t.Fatal("mrr usable")
	}
	if why := w.Why("mrr"); strings.Contains(why, "before the evaluated periods") || !strings.Contains(why, "2026-01") {
		t.Errorf("why = %q, want the missing January named", why)
	}
}

func TestReviewSimulationNaNHistory(t *testing.T) {
	// A NaN recorded before the simulated period is no value, as in
	// Evaluate: prev(y) falls back to y's Initial value.
	c := compile(t, 0,
		metric.Metric{ID: "x"},
		metric.Metric{ID: "y", Formula: "x + prev(y)", Initial: ptr(5)},
	)
	d := rollup.Data{}
	_ = d.Set("y", per(t, "2025-12"), math.NaN())
	dx, _ := rollup.Uniform(10, 10.000001)
	sim := rollup.Simulation{Draws: 20, Seed: 1, Inputs: []rollup.Uncertain{{Metric: "x", Dist: dx}}, Outputs: []string{"y"}}
	res, err := sim.Run(context.Background(), c, d, per(t, "2026-01"))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := res.Summary("y")
	if s.NaN != 0 || math.Abs(s.Mean-15) > 1e-3 {
		t.Errorf("y: %d NaN draws, mean %g; want 0 and 15", s.NaN, s.Mean)
	}
	// and Evaluate agrees
	if err := d.Set("x", per(t, "2026-01"), 10); err != nil {
		t.Fatal(err)
	}
	r, _ := rollup.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-01"), rollup.Options{})
	if v, _ := r.Value("y", per(t, "2026-01")); v != 15 {
		t.Errorf("Evaluate y = %g, want 15", v)
	}
}
