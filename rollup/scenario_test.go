package rollup_test

import (
	"errors"
	"math"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

// wiData is the whatif.json base in each of n months from wiP.
func wiData(t testing.TB, base map[string]float64, n int) rollup.Data {
	t.Helper()
	d := rollup.Data{}
	for k := range n {
		for id, v := range base {
			if err := d.Set(id, wiP.Add(k), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	return d
}

func TestScenarioEvaluate(t *testing.T) {
	c, ref := wiProfit(t)
	d := wiData(t, ref.Model.Base, 3)
	p0, p1, p2 := wiP, wiP.Add(1), wiP.Add(2)
	growth := rollup.NewScenario("growth", nil).
		Scale("visits", 10, rollup.Span{}).
		Set("conversion", 0.03, rollup.During(p1))
	stretch := rollup.NewScenario("stretch", growth).
		Add("fixed_cost", 5000, rollup.Span{From: p1}).
		Set("revenue", 200000, rollup.During(p2)) // a derived metric: pinned
	tests := []struct {
		sc   *rollup.Scenario
		p    metric.Period
		want map[string]float64
	}{
		{nil, p0, map[string]float64{"revenue": 100000, "profit": 10000}},
		{growth, p0, map[string]float64{"visits": 110000, "revenue": 110000, "cost": 20000 + 33000 + 44000, "profit": 13000}},
		{growth, p1, map[string]float64{"conversion": 0.03, "revenue": 165000, "profit": 165000 - (20000 + 33000 + 66000)}},
		{growth, p2, map[string]float64{"conversion": 0.02, "revenue": 110000}},
		{stretch, p0, map[string]float64{"fixed_cost": 20000, "profit": 13000}},
		{stretch, p1, map[string]float64{"fixed_cost": 25000, "profit": 165000 - (25000 + 33000 + 66000)}},
		{stretch, p2, map[string]float64{"revenue": 200000, "cost": 25000 + 33000 + 80000, "profit": 200000 - 138000}},
	}
	for _, tt := range tests {
		r, err := tt.sc.Evaluate(c, d, p0, p2, rollup.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for id, w := range tt.want {
			if v, ok := r.Value(id, tt.p); !ok || !wiRel(v, w, 1e-12) {
				t.Errorf("%s: %s in %s = %v, want %v", tt.sc.Name(), id, tt.p, v, w)
			}
		}
	}
	if n := len(stretch.Overrides()); n != 4 {
		t.Errorf("stretch has %d overrides, want 4 (2 inherited)", n)
	}
}

func TestScenarioPinFeedsPrev(t *testing.T) {
	c := wiCompile(t, wiMetric{id: "new"}, wiMetric{id: "churn"}, wiMetric{"mrr", "prev(mrr) + new - churn"}, wiMetric{"arr", "12 * mrr"})
	d := rollup.Data{}
	d.Set("mrr", wiP.Prev(), 100)
	for k := range 3 {
		d.Set("new", wiP.Add(k), 10)
		d.Set("churn", wiP.Add(k), 4)
	}
	sc := rollup.NewScenario("reset", nil).Set("mrr", 50, rollup.During(wiP.Add(1))).Scale("arr", 50, rollup.During(wiP.Add(2)))
	r, err := sc.Evaluate(c, d, wiP, wiP.Add(2), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range []float64{106, 50, 56} {
		if v, _ := r.Value("mrr", wiP.Add(k)); v != w {
			t.Errorf("mrr[%d] = %v, want %v", k, v, w)
		}
	}
	if v, _ := r.Value("arr", wiP.Add(2)); v != 12*56*1.5 {
		t.Errorf("arr scaled = %v, want %v", v, 12*56*1.5)
	}
	if st := r.State("mrr", wiP.Add(1)); st != rollup.OK {
		t.Errorf("pinned state %v", st)
	}
	// the scenario's session keeps the pin
	s, err := sc.Session(c, d, wiP.Add(1), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Set("new", 1000)
	if v, _ := s.Value("mrr"); v != 50 {
		t.Errorf("pinned mrr moved to %v", v)
	}
}

func TestScenarioPinRepairsMissing(t *testing.T) {
	c, ref := wiProfit(t)
	base := map[string]float64{}
	for k, v := range ref.Model.Base {
		if k != "conversion" {
			base[k] = v
		}
	}
	d := wiData(t, base, 1)
	r, _ := rollup.Evaluate(c, d, wiP, wiP, rollup.Options{})
	if _, ok := r.Value("profit", wiP); ok {
		t.Fatal("profit usable without conversion")
	}
	sc := rollup.NewScenario("plan", nil).Set("revenue", 100000, rollup.Span{})
	r, err := sc.Evaluate(c, d, wiP, wiP, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := r.Value("profit", wiP); !ok || v != 10000 {
		t.Errorf("profit with revenue pinned = %v, %v", v, ok)
	}
	if _, err := sc.Evaluate(c, d, wiP, wiP, rollup.Options{Policy: rollup.Fail}); !errors.Is(err, rollup.ErrEvaluation) {
		t.Errorf("Fail policy with a missing input: %v", err)
	}
}

func TestScenarioErrors(t *testing.T) {
	c, ref := wiProfit(t)
	d := wiData(t, ref.Model.Base, 1)
	tests := []struct {
		name string
		sc   *rollup.Scenario
		want error
	}{
		{"unknown", rollup.NewScenario("x", nil).Set("visitors", 1, rollup.Span{}), rollup.ErrUnknownMetric},
		{"NaN", rollup.NewScenario("x", nil).Add("visits", math.NaN(), rollup.Span{}), rollup.ErrInvalidArgument},
		{"inverted span", rollup.NewScenario("x", nil).Scale("visits", 1, rollup.Span{From: wiP.Add(1), To: wiP}), rollup.ErrInvalidArgument},
		{"parent's error", rollup.NewScenario("y", rollup.NewScenario("x", nil).Set("nope", 1, rollup.Span{})), rollup.ErrUnknownMetric},
	}
	for _, tt := range tests {
		if _, err := tt.sc.Evaluate(c, d, wiP, wiP, rollup.Options{}); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	a := rollup.NewScenario("a", nil)
	for _, scs := range [][]*rollup.Scenario{{a, a}, {rollup.NewScenario("", nil)}, {rollup.NewScenario("base", nil)}, {nil}} {
		if _, err := rollup.Compare(c, d, scs, wiP, wiP, rollup.Options{}); !errors.Is(err, rollup.ErrInvalidArgument) {
			t.Errorf("Compare with bad names: %v", err)
		}
	}
}

func TestCompare(t *testing.T) {
	c, ref := wiProfit(t)
	d := wiData(t, ref.Model.Base, 2)
	up := rollup.NewScenario("up", nil).Scale("visits", 10, rollup.Span{})
	down := rollup.NewScenario("down", nil).Set("revenue", 0, rollup.During(wiP.Add(1)))
	m, err := rollup.Compare(c, d, []*rollup.Scenario{up, down}, wiP, wiP.Add(1), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Scenarios(); len(got) != 3 || got[0] != "base" || got[1] != "up" || got[2] != "down" {
		t.Errorf("scenarios %v", got)
	}
	var all []rollup.Diff
	for df := range m.All() {
		all = append(all, df)
	}
	if len(all) != 2*c.Len()*2 {
		t.Fatalf("%d diffs, want %d", len(all), 2*c.Len()*2)
	}
	// order: period, metric in declaration order, scenario
	if all[0].Metric != "visits" || all[0].Scenario != "up" || all[1].Scenario != "down" || all[2].Metric != "conversion" {
		t.Errorf("order: %+v %+v %+v", all[0], all[1], all[2])
	}
	tests := []struct {
		sc, id         string
		p              metric.Period
		base, val, rel float64
	}{
		{"up", "profit", wiP, 10000, 13000, 0.3},
		{"up", "revenue", wiP.Add(1), 100000, 110000, 0.1},
		{"up", "aov", wiP, 50, 50, 0},
		{"down", "profit", wiP.Add(1), 10000, -(20000 + 30000), -6},
		{"down", "revenue", wiP, 100000, 100000, 0},
	}
	for _, tt := range tests {
		df, ok := m.Diff(tt.sc, tt.id, tt.p)
		if !ok {
			t.Fatalf("no diff for %s %s", tt.sc, tt.id)
		}
		if !wiRel(df.Base, tt.base, 1e-12) || !wiRel(df.Value, tt.val, 1e-12) || !wiRel(df.Abs, tt.val-tt.base, 1e-12) || !wiRel(df.Rel, tt.rel, 1e-12) {
			t.Errorf("%s %s %s: %+v", tt.sc, tt.id, tt.p, df)
		}
	}
	if _, ok := m.Diff("up", "nope", wiP); ok {
		t.Error("diff of an unknown metric")
	}
	if m.Result("down") == nil || m.Result("other") != nil {
		t.Error("Result lookup")
	}
	// zero base: NaN relative change
	zero := rollup.NewScenario("zero", nil).Set("fixed_cost", 0, rollup.Span{})
	z, _ := rollup.Compare(c, d, []*rollup.Scenario{zero}, wiP, wiP, rollup.Options{})
	back := rollup.NewScenario("back", nil).Set("fixed_cost", 20000, rollup.Span{})
	zd := wiData(t, map[string]float64{"fixed_cost": 0}, 1)
	z2, err := rollup.Compare(c, rollup.Layered(zd, d), []*rollup.Scenario{back}, wiP, wiP, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if df, _ := z2.Diff("back", "fixed_cost", wiP); !math.IsNaN(df.Rel) {
		t.Errorf("relative change from 0: %v", df.Rel)
	}
	if df, _ := z.Diff("zero", "fixed_cost", wiP); df.Rel != -1 {
		t.Errorf("relative change to 0: %v", df.Rel)
	}
}

// TestScenarioScalesDerivedHistory: a scenario that raises visitors in
// every period raises the recorded revenue prev() reads before the first
// evaluated period too, so growth grows by the same 10%.
func TestScenarioScalesDerivedHistory(t *testing.T) {
	c := compile(t, 0,
		metric.Metric{ID: "visitors"},
		metric.Metric{ID: "price"},
		metric.Metric{ID: "revenue", Formula: "visitors * price"},
		metric.Metric{ID: "growth", Formula: "revenue - prev(revenue)"},
	)
	d := obs{
		"visitors": {"2026-12": 900, "2027-01": 1000},
		"price":    {"2026-12": 10, "2027-01": 10},
		"revenue":  {"2026-12": 9000, "2026-11": 8000},
	}.data(t)
	jan, dec := per(t, "2027-01"), per(t, "2026-12")
	more := rollup.NewScenario("more", nil).Scale("visitors", 10, rollup.Span{})
	r, err := more.Evaluate(c, d, jan, jan, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g, ok := r.Value("growth", jan); !ok || !closeRel(g, 1.1*1000, 1e-12) {
		t.Errorf("growth %v, %v; want 1100 (10%% more than 11000 - 9900)", g, ok)
	}
	s, err := more.Session(c, d, jan, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Set("price", 10); err != nil { // recompute with the session's prev()
		t.Fatal(err)
	}
	if g, _ := s.Value("growth"); !closeRel(g, 1100, 1e-12) {
		t.Errorf("session growth %v, want 1100", g)
	}
	// Only from the override's start: before it, history is as recorded.
	late := rollup.NewScenario("late", nil).Scale("visitors", 10, rollup.Span{From: jan})
	r, err = late.Evaluate(c, d, jan, jan, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := r.Value("growth", jan); !closeRel(g, 11000-9000, 1e-12) {
		t.Errorf("growth %v, want 2000", g)
	}
	// Without the inputs of December the record is used as it is.
	d["visitors"].Delete(dec)
	r, err = more.Evaluate(c, d, jan, jan, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := r.Value("growth", jan); !closeRel(g, 11000-9000, 1e-12) {
		t.Errorf("growth %v, want 2000", g)
	}
}
