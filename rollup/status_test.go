package rollup_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

// want is the expected part of a Progress.
type progressWant struct {
	status                                               rollup.Status
	periods, total                                       int
	toDate, expected, projected, attainment, pace, outlk float64
	cumulative                                           bool
	note                                                 string // substring
}

func TestTrack(t *testing.T) {
	year := per(t, "2026")
	yearly := func(v float64) metric.Target { return metric.Target{Period: year, Value: v} }
	sum := metric.Metric{ID: "m"}
	mean := metric.Metric{ID: "m", Aggregation: metric.Mean}
	with := func(m metric.Metric, d metric.Direction) metric.Metric { m.Direction = d; return m }
	rep := func(v float64, n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	nan := math.NaN()
	tests := []struct {
		name   string
		m      metric.Metric
		values []float64 // monthly from 2026-01; NaN leaves a month unobserved
		target metric.Target
		asOf   string
		th     rollup.Thresholds
		want   progressWant
	}{
		{
			name: "cumulative on track", m: sum, values: rep(100, 3), target: yearly(1200), asOf: "2026-03",
			want: progressWant{status: rollup.OnTrack, periods: 3, total: 12, toDate: 300, expected: 300, projected: 1200, attainment: 0.25, pace: 1, outlk: 1, cumulative: true},
		},
		{
			name: "cumulative at risk", m: sum, values: rep(90, 3), target: yearly(1200), asOf: "2026-03",
			want: progressWant{status: rollup.AtRisk, periods: 3, total: 12, toDate: 270, expected: 300, projected: 1080, attainment: 0.225, pace: 0.9, outlk: 0.9, cumulative: true},
		},
		{
			name: "cumulative off track", m: sum, values: rep(70, 3), target: yearly(1200), asOf: "2026-03",
			want: progressWant{status: rollup.OffTrack, periods: 3, total: 12, toDate: 210, expected: 300, projected: 840, attainment: 0.175, pace: 0.7, outlk: 0.7, cumulative: true},
		},
		{
			name: "custom thresholds", m: sum, values: rep(70, 3), target: yearly(1200), asOf: "2026-03", th: rollup.Thresholds{OnTrack: 0.9, AtRisk: 0.5},
			want: progressWant{status: rollup.AtRisk, periods: 3, total: 12, toDate: 210, expected: 300, projected: 840, attainment: 0.175, pace: 0.7, outlk: 0.7, cumulative: true},
		},
		{
			name: "cumulative achieved early", m: sum, values: rep(500, 3), target: yearly(1200), asOf: "2026-03",
			want: progressWant{status: rollup.Achieved, periods: 3, total: 12, toDate: 1500, expected: 300, projected: 6000, attainment: 1.25, pace: 5, outlk: 5, cumulative: true},
		},
		{
			name: "off track once the period ended unmet", m: sum, values: rep(90, 12), target: yearly(1200), asOf: "2026-12",
			want: progressWant{status: rollup.OffTrack, periods: 12, total: 12, toDate: 1080, expected: 1200, projected: 1080, attainment: 0.9, pace: 0.9, outlk: 0.9, cumulative: true},
		},
		{
			name: "achieved once the period ended met", m: sum, values: rep(100, 12), target: yearly(1200), asOf: "2026-12",
			want: progressWant{status: rollup.Achieved, periods: 12, total: 12, toDate: 1200, expected: 1200, projected: 1200, attainment: 1, pace: 1, outlk: 1, cumulative: true},
		},
		{
			name: "cumulative lower is better", m: with(sum, metric.LowerIsBetter), values: rep(10, 3), target: yearly(120), asOf: "2026-03",
			// attainment 1 + (120-30)/120; pace 1 + (30-30)/30
			want: progressWant{status: rollup.OnTrack, periods: 3, total: 12, toDate: 30, expected: 30, projected: 120, attainment: 1.75, pace: 1, outlk: 1, cumulative: true},
		},
		{
			name: "target window from Start", m: sum, values: []float64{500, 500, 500, 100, 100, 100},
			target: metric.Target{Period: year, Start: per(t, "2026-04"), Value: 900}, asOf: "2026-06",
			want: progressWant{status: rollup.OnTrack, periods: 3, total: 9, toDate: 300, expected: 300, projected: 900, attainment: 1.0 / 3, pace: 1, outlk: 1, cumulative: true},
		},
		{
			name: "level without baseline is paced at the target", m: mean, values: []float64{0.07, 0.08, 0.084}, target: yearly(0.08), asOf: "2026-03",
			want: progressWant{status: rollup.OnTrack, periods: 3, total: 12, toDate: 0.078, expected: 0.08, projected: 0.078, attainment: 0.975, pace: 0.975, outlk: 0.975},
		},
		{
			name: "level behind", m: mean, values: rep(0.06, 3), target: yearly(0.08), asOf: "2026-03",
			want: progressWant{status: rollup.OffTrack, periods: 3, total: 12, toDate: 0.06, expected: 0.08, projected: 0.06, attainment: 0.75, pace: 0.75, outlk: 0.75},
		},
		{
			name: "level paced from the baseline", m: mean, values: []float64{0.045, 0.05, 0.055},
			target: metric.Target{Period: year, Value: 0.08, Baseline: ptr(0.04)}, asOf: "2026-03",
			// expected 0.04 + 0.04*0.25; projected 0.04 + 0.01/0.25; attainment 0.01/0.04
			want: progressWant{status: rollup.OnTrack, periods: 3, total: 12, toDate: 0.05, expected: 0.05, projected: 0.08, attainment: 0.25, pace: 1, outlk: 1},
		},
		{
			name: "level behind the baseline path", m: mean, values: rep(0.045, 3),
			target: metric.Target{Period: year, Value: 0.08, Baseline: ptr(0.04)}, asOf: "2026-03",
			// pace (0.045-0.04)/(0.05-0.04); projected 0.04 + 0.005/0.25 = 0.06
			want: progressWant{status: rollup.OffTrack, periods: 3, total: 12, toDate: 0.045, expected: 0.05, projected: 0.06, attainment: 0.125, pace: 0.5, outlk: 0.5},
		},
		{
			name: "ceiling within the limit", m: with(mean, metric.Ceiling), values: rep(0.04, 3), target: yearly(0.05), asOf: "2026-03",
			want: progressWant{status: rollup.OnTrack, periods: 3, total: 12, toDate: 0.04, expected: 0.05, projected: 0.04, attainment: 1, pace: 1, outlk: 1},
		},
		{
			name: "ceiling slightly over", m: with(mean, metric.Ceiling), values: rep(0.055, 3), target: yearly(0.05), asOf: "2026-03",
			want: progressWant{status: rollup.AtRisk, periods: 3, total: 12, toDate: 0.055, expected: 0.05, projected: 0.055, attainment: 0.9, pace: 0.9, outlk: 0.9},
		},
		{
			name: "cumulative budget ceiling judged on the projection", m: with(sum, metric.Ceiling), values: []float64{100, 100, 200}, target: yearly(1200), asOf: "2026-03",
			// projected 1600: 1 - 400/1200; pace against 300 expected: 1 - 100/300
			want: progressWant{status: rollup.OffTrack, periods: 3, total: 12, toDate: 400, expected: 300, projected: 1600, attainment: 1, pace: 2.0 / 3, outlk: 2.0 / 3, cumulative: true},
		},
		{
			name: "cumulative budget ceiling under pace", m: with(sum, metric.Ceiling), values: []float64{100, 100, 110}, target: yearly(1200), asOf: "2026-03",
			// projected 1240: 1 - 40/1200 is on track although the month-3 pace is over
			want: progressWant{status: rollup.OnTrack, periods: 3, total: 12, toDate: 310, expected: 300, projected: 1240, attainment: 1, pace: 1 - 10.0/300, outlk: 1 - 40.0/1200, cumulative: true},
		},
		{
			name: "floor below", m: with(mean, metric.Floor), values: rep(0.9, 3), target: yearly(0.99), asOf: "2026-03",
			want: progressWant{status: rollup.AtRisk, periods: 3, total: 12, toDate: 0.9, expected: 0.99, projected: 0.9, attainment: 0.9 / 0.99, pace: 0.9 / 0.99, outlk: 0.9 / 0.99},
		},
		{
			name: "band inside", m: with(mean, metric.Band), values: []float64{45, 50, 55}, target: metric.Target{Period: year, Value: 40, Max: 60}, asOf: "2026-03",
			want: progressWant{status: rollup.OnTrack, periods: 3, total: 12, toDate: 50, expected: 40, projected: 50, attainment: 1, pace: 1, outlk: 1},
		},
		{
			name: "band above", m: with(mean, metric.Band), values: rep(75, 3), target: metric.Target{Period: year, Value: 40, Max: 60}, asOf: "2026-03",
			want: progressWant{status: rollup.OffTrack, periods: 3, total: 12, toDate: 75, expected: 40, projected: 75, attainment: 0.75, pace: 0.75, outlk: 0.75},
		},
		{
			name: "no data before the window", m: sum, values: rep(100, 3), target: metric.Target{Period: per(t, "2026-Q3"), Value: 300}, asOf: "2026-03",
			want: progressWant{status: rollup.NoData, total: 3, cumulative: true, note: "the target window starts at 2026-07, after 2026-03"},
		},
		{
			name: "no data with a month missing", m: sum, values: []float64{100, nan, 100}, target: yearly(1200), asOf: "2026-03",
			want: progressWant{status: rollup.NoData, periods: 3, total: 12, cumulative: true, note: "no usable value in the window so far: m has no value in 2026-02"},
		},
		{
			name: "undefined attainment is noted", m: sum, values: rep(5, 3), target: yearly(0), asOf: "2026-03",
			want: progressWant{status: rollup.Achieved, periods: 3, total: 12, toDate: 15, expected: 0, projected: 60, attainment: nan, pace: nan, outlk: nan, cumulative: true, note: "target is 0"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := compile(t, 0, tc.m)
			d := rollup.Data{}
			for i, v := range tc.values {
				if !math.IsNaN(v) {
					if err := d.Set("m", per(t, "2026-01").Add(i), v); err != nil {
						t.Fatal(err)
					}
				}
			}
			r, err := rollup.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-12"), rollup.Options{})
			if err != nil {
				t.Fatal(err)
			}
			p, err := rollup.Track(r, "m", tc.target, per(t, tc.asOf), tc.th)
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if p.Status != w.status || p.Periods != w.periods || p.Total != w.total || p.Cumulative != w.cumulative {
				t.Errorf("status %v, periods %d/%d, cumulative %v; want %v, %d/%d, %v", p.Status, p.Periods, p.Total, p.Cumulative, w.status, w.periods, w.total, w.cumulative)
			}
			if w.note != "" && !strings.Contains(p.Note, w.note) || w.note == "" && p.Note != "" {
				t.Errorf("Note = %q, want %q", p.Note, w.note)
			}
			if w.status == rollup.NoData {
				return
			}
			if p.Periods > 0 && !sameFloat(p.Elapsed, float64(w.periods)/float64(w.total)) {
				t.Errorf("Elapsed = %v", p.Elapsed)
			}
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"ToDate", p.ToDate, w.toDate}, {"Expected", p.Expected, w.expected}, {"Projected", p.Projected, w.projected},
				{"Attainment", p.Attainment, w.attainment}, {"Pace", p.Pace, w.pace}, {"Outlook", p.Outlook, w.outlk},
			} {
				if !approx(f.got, f.want) {
					t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
				}
			}
		})
	}
}

// approx compares computed paces, which go through a few operations.
func approx(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func TestTrackErrors(t *testing.T) {
	c := compile(t, 0, metric.Metric{ID: "m"})
	d := obs{"m": {"2026-04": 1, "2026-05": 1}}.data(t)
	r, err := rollup.Evaluate(c, d, per(t, "2026-04"), per(t, "2026-05"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	year := metric.Target{Period: per(t, "2026"), Value: 12}
	tests := []struct {
		id   string
		t    metric.Target
		asOf metric.Period
		want string
	}{
		{"nosuch", year, per(t, "2026-05"), `rollup: unknown metric "nosuch"`},
		{"m", year, per(t, "2026-Q2"), "rollup: asOf 2026-Q2 is not a month, the grain of the result"},
		{"m", year, per(t, "2026-05"), "rollup: window 2026-01..2026-05 is not within the evaluated periods 2026-04..2026-05"},
	}
	for _, tc := range tests {
		if _, err := rollup.Track(r, tc.id, tc.t, tc.asOf, rollup.Thresholds{}); err == nil || err.Error() != tc.want {
			t.Errorf("Track(%s, %s) err = %v, want %q", tc.id, tc.asOf, err, tc.want)
		}
	}
}

func TestTrackAll(t *testing.T) {
	ms := []metric.Metric{
		{ID: "revenue", Formula: "orders * aov", Targets: []metric.Target{
			{Period: per(t, "2025"), Value: 1},     // ended before the evaluated periods: left out
			{Period: per(t, "2026-Q3"), Value: 10}, // not started by asOf
			{Period: per(t, "2026-Q1"), Value: 2000},
		}},
		{ID: "orders", Targets: []metric.Target{{Period: per(t, "2026"), Value: 400}}},
		{ID: "aov", Aggregation: metric.Mean},
		{ID: "churn", Aggregation: metric.Mean, Direction: metric.Ceiling, Targets: []metric.Target{
			{Period: per(t, "2026-Q1"), Start: per(t, "2025-12"), Value: 0.05}, // starts before the evaluated periods: noted
			{Period: per(t, "2026-Q1"), Value: 0.05},
		}},
	}
	c := compile(t, 0, ms...)
	d := obs{
		"orders": {"2026-01": 30, "2026-02": 30, "2026-03": 40},
		"aov":    {"2026-01": 20, "2026-02": 20, "2026-03": 20},
		"churn":  {"2026-01": 0.04, "2026-02": 0.06, "2026-03": 0.05},
	}.data(t)
	r, err := rollup.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-12"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := rollup.TrackAll(r, per(t, "2026-03"), rollup.Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Metric+" "+p.Target.Period.String()+" "+p.Status.String())
	}
	want := []string{
		"revenue 2026-Q3 no data",
		"revenue 2026-Q1 achieved", // 100 orders * 20 = 2000 at the end of the quarter
		"orders 2026 on track",     // 100 of 400 after a quarter
		"churn 2026-Q1 no data",
		"churn 2026-Q1 achieved", // mean 0.05000000000000001: the target, up to round-off
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("TrackAll:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := ps[3].Note; n != "rollup: window 2025-12..2026-03 is not within the evaluated periods 2026-01..2026-12" {
		t.Errorf("note = %q", n)
	}
	if _, err := rollup.TrackAll(r, per(t, "2026-Q1"), rollup.Thresholds{}); err == nil || err.Error() != "rollup: asOf 2026-Q1 is not a month, the grain of the result" {
		t.Errorf("TrackAll with a quarter: err = %v", err)
	}
}

func TestWindow(t *testing.T) {
	ms := append(funnel[:3:3], metric.Metric{ID: "delta", Formula: "orders - prev(orders)"})
	c := compile(t, 0, ms...)
	r, err := rollup.Evaluate(c, funnelData.data(t), per(t, "2026-01"), per(t, "2026-06"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.Window(per(t, "2026-02"), per(t, "2026-04"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id   string
		want float64
		ok   bool
	}{
		{"visitors", 1900, true},
		{"orders", 75, true},
		{"conversion", 75.0 / 1900, true},
		{"delta", 50, true}, // 75 - the 25 of November..January, the window before
		{"nosuch", math.NaN(), false},
	}
	for _, tc := range tests {
		v, ok := s.Value(tc.id)
		if ok != tc.ok || !sameFloat(v, tc.want) {
			t.Errorf("window %s = %v, %v; want %v", tc.id, v, ok, tc.want)
		}
	}
	// At the first evaluated period, prev() reads the source's history...
	s, err = r.Window(per(t, "2026-01"), per(t, "2026-02"))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := s.Value("delta"); !ok || v != 25 { // 40 - November and December's 15
		t.Errorf("delta over January..February = %v, %v; want 25", v, ok)
	}
	// ... and without history it is missing.
	d := funnelData.data(t)
	d["orders"].Delete(per(t, "2025-11"))
	r, err = rollup.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-06"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s, err = r.Window(per(t, "2026-01"), per(t, "2026-02")); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Value("delta"); ok {
		t.Error("delta over January..February is usable without history")
	}
	if got := s.Why("delta"); got != "prev(orders) has no value over 2025-11..2025-12: orders has no recorded value in 2025-11, before the evaluated periods" {
		t.Errorf("Why = %q", got)
	}
	if got := s.Why("nosuch"); got != "unknown metric" {
		t.Errorf("Why(nosuch) = %q", got)
	}
	if _, err := r.Window(per(t, "2026-04"), per(t, "2026-02")); err == nil {
		t.Error("a reversed window is accepted")
	}
}

func TestStatusText(t *testing.T) {
	b, err := json.Marshal([]rollup.Status{rollup.NoData, rollup.Achieved, rollup.OnTrack, rollup.AtRisk, rollup.OffTrack})
	if err != nil {
		t.Fatal(err)
	}
	if want := `["no data","achieved","on track","at risk","off track"]`; string(b) != want {
		t.Errorf("statuses = %s, want %s", b, want)
	}
}

// TestWindowMatchesRollup: a quarter-long window gives what Rollup gives
// for the quarter, prev() included: differences compare quarters, stocks
// read the end of the previous quarter, prev(x, 12) the same quarter a
// year before.
func TestWindowMatchesRollup(t *testing.T) {
	ms := []metric.Metric{
		{ID: "visitors"},
		{ID: "orders"},
		{ID: "conversion", Formula: "orders / visitors", Aggregation: metric.Mean},
		{ID: "growth", Formula: "orders - prev(orders)"},
		{ID: "yoy", Formula: "orders - prev(orders, 12)"},
		{ID: "new_mrr"},
		{ID: "mrr", Formula: "prev(mrr) + new_mrr", Aggregation: metric.Last},
		{ID: "mrr_change", Formula: "mrr - prev(mrr)"},
	}
	c := compile(t, 0, ms...)
	d := rollup.Data{}
	first := per(t, "2025-01")
	for k := range 36 {
		f := float64(k)
		p := first.Add(k)
		set(t, d, "visitors", p, 1000+50*f+30*math.Sin(f))
		set(t, d, "orders", p, 40+3*f+5*math.Cos(f))
		set(t, d, "new_mrr", p, 10+f)
	}
	set(t, d, "mrr", per(t, "2024-12"), 500)
	r, err := rollup.Evaluate(c, d, per(t, "2025-01"), per(t, "2027-12"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q, err := rollup.Rollup(c, d, per(t, "2025-Q1"), per(t, "2027-Q4"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k := range 12 {
		qp := per(t, "2025-Q1").Add(k)
		from := per(t, "2025-01").Add(3 * k)
		w, err := r.Window(from, from.Add(2))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"visitors", "orders", "conversion", "growth"} {
			want, wok := q.Value(id, qp)
			got, gok := w.Value(id)
			if wok != gok || wok && !closeRel(got, want, 1e-12) {
				t.Errorf("%s %s: window %v (%v, %s), rollup %v (%v, %s)", id, qp, got, gok, w.Why(id), want, wok, q.Why(id, qp))
			}
		}
		// prev(orders, 12): the same quarter a year before (Rollup, in
		// quarters, would read twelve quarters back).
		got, ok := w.Value("yoy")
		if k < 4 {
			if ok {
				t.Errorf("yoy %s = %v without a year of history", qp, got)
			}
		} else {
			o, _ := q.Value("orders", qp)
			o1, _ := q.Value("orders", qp.Add(-4))
			if !ok || !closeRel(got, o-o1, 1e-12) {
				t.Errorf("yoy %s = %v (%v), want %v", qp, got, ok, o-o1)
			}
		}
		// mrr over the quarter is its value at the quarter's end, and its
		// change the difference between quarter ends.
		end, _ := r.Value("mrr", from.Add(2))
		before := 500.0 // recorded for 2024-12
		if k > 0 {
			before, _ = r.Value("mrr", from.Add(-1))
		}
		v, _ := w.Value("mrr")
		got, ok = w.Value("mrr_change")
		if !ok || !closeRel(v, end, 1e-12) || !closeRel(got, end-before, 1e-12) {
			t.Errorf("%s: mrr %v change %v (%v: %s), want %v and %v", qp, v, got, ok, w.Why("mrr_change"), end, end-before)
		}
	}
}
