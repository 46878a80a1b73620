package okr

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestProgress(t *testing.T) {
	tests := []struct {
		name    string
		kr      KeyResult
		current float64
		want    float64
		err     error
	}{
		{"up halfway", KeyResult{From: 10, To: 25}, 17.5, 0.5, nil},
		{"up beyond", KeyResult{From: 10, To: 25}, 30, 1, nil},
		{"up below start", KeyResult{From: 10, To: 25}, 5, 0, nil},
		{"down", KeyResult{From: 100, To: 20}, 60, 0.5, nil},
		{"down beyond", KeyResult{From: 100, To: 20}, 10, 1, nil},
		{"down worse", KeyResult{From: 100, To: 20}, 120, 0, nil},
		{"no change", KeyResult{From: 5, To: 5}, 5, math.NaN(), ErrNoChange},
		{"NaN", KeyResult{From: 0, To: 5}, math.NaN(), math.NaN(), ErrNoValue},
		{"at least met", KeyResult{Kind: AtLeast, To: 80}, 80, 1, nil},
		{"at least missed", KeyResult{Kind: AtLeast, To: 80}, 79.9, 0, nil},
		{"at most met", KeyResult{Kind: AtMost, To: 5}, 4, 1, nil},
		{"at most missed", KeyResult{Kind: AtMost, To: 5}, 6, 0, nil},
		{"binary", KeyResult{Kind: Binary}, 1, 1, nil},
		{"milestones", KeyResult{Kind: Milestone, Milestones: make([]Step, 4)}, 3, 0.75, nil},
		{"milestone share", KeyResult{Kind: Milestone}, 0.4, 0.4, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.kr.Progress(tt.current)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !(got == tt.want || math.IsNaN(got) && math.IsNaN(tt.want)) {
				t.Errorf("progress = %g, want %g", got, tt.want)
			}
		})
	}
}

func TestGrade(t *testing.T) {
	tests := []struct {
		p     float64
		grade float64
		color Color
	}{
		{0, 0, Red}, {0.3, 0.3, Red}, {0.34, 0.3, Red}, {0.36, 0.4, Yellow}, {0.6, 0.6, Yellow},
		{0.66, 0.7, Green}, {1, 1, Green}, {1.4, 1, Green}, {math.NaN(), 0, Red},
	}
	for _, tt := range tests {
		g, c := Grade(tt.p)
		if g != tt.grade || c != tt.color {
			t.Errorf("Grade(%g) = %g %s, want %g %s", tt.p, g, c, tt.grade, tt.color)
		}
	}
}

// TestTrend checks the QR fit and the t probability against the textbook
// formulas computed independently (sums of squares, gonum's StudentsT).
func TestTrend(t *testing.T) {
	d0 := time.Date(2026, 7, 6, 0, 0, 0, 0, time.UTC)
	vals := []float64{7, 8.5, 8.9, 10.4, 11, 12.6, 13.1}
	var pts []Point
	for i, v := range vals {
		pts = append(pts, Point{Date: d0.AddDate(0, 0, 7*i), Value: v})
	}
	at := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	f, err := Trend(pts, at, 21, true)
	if err != nil {
		t.Fatal(err)
	}
	n := float64(len(vals))
	var sx, sy float64
	for i, v := range vals {
		sx += float64(7 * i)
		sy += v
	}
	xb, yb := sx/n, sy/n
	var sxx, sxy float64
	for i, v := range vals {
		sxx += (float64(7*i) - xb) * (float64(7*i) - xb)
		sxy += (float64(7*i) - xb) * (v - yb)
	}
	b := sxy / sxx
	a := yb - b*xb
	var ssr float64
	for i, v := range vals {
		r := v - a - b*float64(7*i)
		ssr += r * r
	}
	s := math.Sqrt(ssr / (n - 2))
	T := at.Sub(d0).Hours() / 24
	se := s * math.Sqrt(1+1/n+(T-xb)*(T-xb)/sxx)
	yhat := a + b*T
	p := 1 - distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 2}.CDF((21-yhat)/se)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"slope", f.Slope, b}, {"intercept", f.Intercept, a}, {"value", f.Value, yhat}, {"se", f.SE, se}, {"p", f.Probability, p}} {
		if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s = %.15g, want %.15g", c.name, c.got, c.want)
		}
	}
	// The other tail for a target to stay under.
	g, _ := Trend(pts, at, 21, false)
	if math.Abs(g.Probability-(1-p)) > 1e-12 {
		t.Errorf("at-most probability %g, want %g", g.Probability, 1-p)
	}
	if _, err := Trend(pts[:2], at, 21, true); !errors.Is(err, ErrTooFewCheckIns) {
		t.Errorf("two points: %v", err)
	}
	same := []Point{{d0, 1}, {d0, 2}, {d0, 3}}
	if _, err := Trend(same, at, 21, true); !errors.Is(err, ErrTooFewCheckIns) {
		t.Errorf("one date: %v", err)
	}
	line := []Point{{d0, 1}, {d0.AddDate(0, 0, 1), 2}, {d0.AddDate(0, 0, 2), 3}}
	if f, _ := Trend(line, d0.AddDate(0, 0, 10), 10.5, true); f.Probability < 0.999999 {
		t.Errorf("perfect fit reaching the target: p = %g", f.Probability)
	}
}

func conf(v float64) *float64 { return &v }

func sample() *Set {
	cycle, _ := metric.Parse("2026-Q3")
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	return &Set{Name: "test", Cycle: cycle, Objectives: []Objective{
		{ID: "co", Title: "Delight customers", Owner: "CEO", Level: Company, KeyResults: []KeyResult{
			{ID: "nps", Title: "NPS from 40 to 70", From: 40, To: 70, Unit: "points", CheckIns: []CheckIn{
				{Date: d("2026-07-06"), Value: 40, Confidence: conf(0.8)},
				{Date: d("2026-08-03"), Value: 48, Confidence: conf(0.7), Note: "survey"},
				{Date: d("2026-08-17"), Value: 55}}},
			{ID: "churn", Title: "Churn from 8% to 5%", From: 8, To: 5, Unit: "percent", Weight: 2, CheckIns: []CheckIn{
				{Date: d("2026-08-17"), Value: 6.5}}},
			{ID: "csat", Title: "CSAT at or above 80%", Kind: AtLeast, To: 80, Unit: "percent", CheckIns: []CheckIn{
				{Date: d("2026-08-17"), Value: 78}}},
		}},
		{ID: "cs", Title: "Engage new customers", Owner: "CS", Level: Team, Parent: "churn", Aspirational: true, Weight: 3, KeyResults: []KeyResult{
			{ID: "meet", Title: "Follow-up meetings from 7 to 21 a week", From: 7, To: 21, Metric: "meetings"},
			{ID: "launch", Title: "Launch the onboarding programme", Kind: Binary, Done: true},
			{ID: "plan", Title: "Onboarding plan done", From: 0, To: 100, Unit: "percent", CheckIns: []CheckIn{{Date: d("2026-07-10"), Value: 20}}},
			{ID: "steps", Title: "Tổ chức 5 buổi hội thảo", Kind: Milestone, Milestones: []Step{{Title: "a", Done: true}, {Title: "b"}}},
		}, Initiatives: []Initiative{{Title: "Call programme", Owner: "CS ops", Done: true}}},
		{ID: "me", Title: "Grow 2 skills", Level: Person, KeyResults: []KeyResult{{ID: "same", Title: "x from 3 to 3", From: 3, To: 3}}},
	}}
}

func rules(fs check.Findings) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+" "+f.Nodes[0])
	}
	slices.Sort(out)
	return out
}

func TestLint(t *testing.T) {
	s := sample()
	m := &tree.Model{Grain: metric.Week, Metrics: []metric.Metric{
		{ID: "meetings", Kind: metric.KPI, Formula: "calls * show", Targets: []metric.Target{{Period: s.Cycle, Value: 21}}},
		{ID: "calls", Kind: metric.KPI}, {ID: "show", Kind: metric.KPI},
	}}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	got := rules(Lint(s, Options{Model: c}))
	want := []string{
		RuleActivity + " launch", RuleActivity + " steps", RuleInitiative + " plan",
		RuleKRCount + " me", RuleNoOwner + " me", RuleNumericTitle + " me", RuleOrphan + " me",
		RuleRestatesKPI + " meet",
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Lint:\n got %q\nwant %q", got, want)
	}
	f := Lint(s, Options{Model: c}).ByRule(RuleRestatesKPI)[0]
	if !strings.Contains(f.Hint, "calls, show") {
		t.Errorf("hint %q does not name the drivers", f.Hint)
	}
	// Alignment loops and unknown parents.
	s.Objectives[0].Parent = "me"
	s.Objectives[2].Parent = "cs"
	s.Objectives[1].Parent = "nowhere"
	got = rules(Lint(s, Options{Rules: check.Rules{Only: []string{"okr.align"}}}))
	want = []string{RuleLevel + " co", RuleUnknownParent + " cs"}
	if !slices.Equal(got, want) {
		t.Errorf("alignment:\n got %q\nwant %q", got, want)
	}
	s.Objectives[1].Parent = "nps"
	fs := Lint(s, Options{Rules: check.Rules{Only: []string{RuleAlignCycle}}})
	if len(fs) != 1 || !slices.Equal(fs[0].Nodes, []string{"co", "me", "cs"}) {
		t.Errorf("cycle findings %v", fs)
	}
}

func TestEvaluate(t *testing.T) {
	s := sample()
	asOf := time.Date(2026, 8, 18, 0, 0, 0, 0, time.UTC)
	rep, err := Evaluate(s, Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	co := rep.Objective("co")
	el := s.Cycle.Elapsed(asOf)
	// nps 0.5, churn 0.5 (weight 2), csat 0.
	if want := (0.5 + 2*0.5 + 0) / 4; math.Abs(co.Progress-want) > 1e-12 {
		t.Errorf("progress %g, want %g", co.Progress, want)
	}
	if co.KeyResults[2].Status != rollup.OffTrack || co.KeyResults[0].Status != paceStatus(0.5, el, rollup.Thresholds{OnTrack: 0.95, AtRisk: 0.8}) {
		t.Errorf("statuses %v %v", co.KeyResults[2].Status, co.KeyResults[0].Status)
	}
	if f := co.KeyResults[0].Forecast; f == nil || f.N != 3 {
		t.Errorf("forecast %+v", f)
	}
	if co.KeyResults[0].Confidence != 0.7 {
		t.Errorf("confidence %g", co.KeyResults[0].Confidence)
	}
	cs := rep.Objective("cs")
	// meet has no value; launch 1, plan 0.2, steps 0.5: initiatives never count.
	if want := (1 + 0.2 + 0.5) / 3; math.Abs(cs.Progress-want) > 1e-12 {
		t.Errorf("cs progress %g, want %g", cs.Progress, want)
	}
	if want := (co.Progress + 3*cs.Progress) / 4; math.Abs(co.Rolled-want) > 1e-12 {
		t.Errorf("rolled %g, want %g", co.Rolled, want)
	}
	if len(rep.Findings.ByRule(RuleNoChange)) != 1 || len(rep.Findings.ByRule(RuleStale)) != 1 {
		t.Errorf("findings %v", rep.Findings)
	}
	if _, err := Evaluate(s, Options{}); err == nil {
		t.Error("zero AsOf accepted")
	}
	s.Objectives[1].KeyResults[0].ID = "nps"
	if _, err := Evaluate(s, Options{AsOf: asOf}); !errors.Is(err, ErrInvalid) {
		t.Errorf("duplicate id: %v", err)
	}
}

func TestRoundTrip(t *testing.T) {
	s := sample()
	s.Objectives[0].KeyResults[0].From = 0.1 + 0.2 // not representable in short decimal
	for _, f := range []Format{YAML, JSON} {
		var b bytes.Buffer
		if err := s.Save(&b, f); err != nil {
			t.Fatal(err)
		}
		got, err := Load(&b, "x")
		if err != nil {
			t.Fatalf("%v: %v\n%s", f, err, b.String())
		}
		if d := cmp.Diff(s, got, cmpopts.EquateComparable(metric.Period{})); d != "" {
			t.Errorf("format %d round trip (-want +got):\n%s", f, d)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unknown key", "kpiokr: \"1\"\nobjectives:\n  - id: a\n    titel: x\n", `f:4:5: objectives[0]: unknown key "titel" (did you mean "title"?)`},
		{"wrong type", "kpiokr: \"1\"\nobjectives:\n  - id: a\n    title: x\n    weight: heavy\n", `f:5:13: objectives[0].weight: expected a number, found a string ("heavy")`},
		{"duplicate id", "kpiokr: \"1\"\nobjectives:\n  - {id: a, title: x}\n  - {id: a, title: y}\n", `f:4:10: objectives[1].id: duplicate id "a" (first used at line 3)`},
		{"bad kind", "kpiokr: \"1\"\nobjectives:\n  - id: a\n    title: x\n    key_results: [{id: k, title: t, kind: binery}]\n", `f:5:43: objectives[0].key_results[0].kind: unknown value "binery": want one of measured, at_least, at_most, binary, milestone (did you mean "binary"?)`},
		{"bad date", "kpiokr: \"1\"\nobjectives:\n  - id: a\n    title: x\n    key_results: [{id: k, title: t, to: 1, check_ins: [{date: 2026-13-01, value: 1}]}]\n", `f:5:63: objectives[0].key_results[0].check_ins[0].date: invalid date "2026-13-01" (want YYYY-MM-DD)`},
		{"version", "kpiokr: \"2\"\n", `f:1:9: kpiokr: unsupported version "2" (write kpiokr: "1")`},
		{"json", "{\"kpiokr\": \"1\", \"objectives\": [{\"id\": \"a\", \"title\": 3}]}", `f:1:53: objectives[0].title: want a string, got 3 (quote it)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.in), "f")
			if err == nil || strings.Split(err.Error(), "\n")[0] != tt.want {
				t.Fatalf("error\n got %v\nwant %s", err, tt.want)
			}
			var de *DecodeError
			if !errors.Is(err, ErrDecode) || !errors.As(err, &de) {
				t.Errorf("error does not match ErrDecode / *DecodeError")
			}
		})
	}
}

func TestDraftRecovery(t *testing.T) {
	m := &tree.Model{Name: "shop", Metrics: []metric.Metric{
		{ID: "conversion_rate", Kind: metric.KPI, Unit: "ratio", Aggregation: metric.Mean, Formula: "orders / visitors", Owner: "PM",
			Targets: []metric.Target{{Period: mustP(t, "2027"), Value: 0.08}}},
		{ID: "orders", Kind: metric.KPI, Unit: "count", Owner: "Ops"},
		{ID: "visitors", Kind: metric.KPI, Unit: "visits", Owner: "Marketing"},
		{ID: "pages", Kind: metric.KSF, Unit: "count", Owner: "Web", Name: "Rework pages"},
		{ID: "meetings", Kind: metric.KPI, Unit: "count", Owner: "CS",
			Targets: []metric.Target{{Period: mustP(t, "2027-Q2"), Value: 100}, {Period: mustP(t, "2027-Q3"), Value: 300}}},
	}, Links: []tree.Link{{From: "pages", To: "conversion_rate", Sign: tree.SignPositive}}}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	d := rollup.Data{}
	jan := mustP(t, "2027-01")
	for k := range 6 {
		for id, v := range map[string]float64{"orders": 500, "visitors": 10000, "pages": 4, "meetings": 40} {
			_ = d.Set(id, jan.Add(k), v)
		}
	}
	res, err := rollup.Evaluate(c, d, jan, jan.Add(5), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	drafts, fs, err := DraftRecovery(res, jan.Add(5), RecoveryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 2 || drafts[0].Trigger != Lagging || drafts[1].Trigger != Raised {
		t.Fatalf("drafts %v", drafts)
	}
	o := drafts[0].Objective
	if o.Title != "Bring conversion_rate back to 8%" || o.Owner != "PM" || o.Cycle != mustP(t, "2027-Q3") {
		t.Errorf("objective %+v", o)
	}
	var got []string
	for _, kr := range o.KeyResults {
		got = append(got, kr.Metric+" "+kr.Owner)
	}
	if !slices.Equal(got, []string{"orders Ops", "pages Web"}) {
		t.Errorf("key results %q (visitors must be left out)", got)
	}
	// orders has elasticity 1: closing 5% -> 8% alone needs +60%.
	if kr := o.KeyResults[0]; kr.From != 500 || kr.To != 800 {
		t.Errorf("orders KR %g -> %g, want 500 -> 800", kr.From, kr.To)
	}
	if len(o.Initiatives) != 1 || o.Initiatives[0].Title != "Rework pages" {
		t.Errorf("initiatives %v", o.Initiatives)
	}
	if len(fs.ByRule(RuleKPILagging)) != 1 || len(fs.ByRule(RuleKPIRaised)) != 1 {
		t.Errorf("findings %v", fs)
	}
}

func mustP(t *testing.T, s string) metric.Period {
	t.Helper()
	p, err := metric.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSmartGoal(t *testing.T) {
	s := sample()
	o := &s.Objectives[0]
	g := o.KeyResults[1].Goal(o, s.Cycle)
	if g.Owner != "CEO" || *g.Target != 5 || *g.Baseline != 8 || *g.Direction != metric.LowerIsBetter || g.Objective != "co" {
		t.Errorf("goal %+v", g)
	}
}
