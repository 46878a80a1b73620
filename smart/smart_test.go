package smart

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

const refTol = 1e-9

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) != math.IsNaN(want) || (!math.IsNaN(want) && math.Abs(got-want) > tol*math.Max(1, math.Abs(want))) {
		t.Errorf("%s = %.17g, want %.17g", what, got, want)
	}
}

type refFile struct {
	Cases []struct {
		Name       string    `json:"name"`
		Kind       string    `json:"kind"`
		Horizon    int       `json:"horizon"`
		Current    float64   `json:"current"`
		Series     []float64 `json:"series"`
		NHist      int       `json:"n_hist"`
		HistGrowth []float64 `json:"hist_h_growth"`
		HistDiff   []float64 `json:"hist_h_diff"`
		GrowthQ    struct {
			Probs  []float64 `json:"probs"`
			Linear []float64 `json:"linear"`
		} `json:"hist_h_growth_quantiles"`
		DiffQ struct {
			Probs  []float64 `json:"probs"`
			Linear []float64 `json:"linear"`
		} `json:"hist_h_diff_quantiles"`
		LogMean float64 `json:"log_growth_mean"`
		LogSD   float64 `json:"log_growth_sd"`
		Targets []struct {
			Target     float64  `json:"target"`
			GReq       *float64 `json:"g_req"`
			CAGRReq    *float64 `json:"cagr_req"`
			DReq       *float64 `json:"d_req"`
			EmpiricalP float64  `json:"empirical_p_achieve"`
			Percentile *struct {
				Rank, Weak, Strict, Mean float64
			} `json:"percentileofscore"`
			PercentileWeak *float64 `json:"percentileofscore_weak"`
			ZSimple        *float64 `json:"z_per_period_simple"`
			ZLog           *float64 `json:"z_log_normal_h"`
			PNormal        *float64 `json:"p_normal_h"`
			Z              *float64 `json:"z"`
			ExceedsMax     *bool    `json:"exceeds_historical_max"`
		} `json:"targets"`
	} `json:"cases"`
}

// quarterly lays values out as quarters from 1959-Q1 (macrodata).
func quarterly(t *testing.T, vals []float64) *metric.Series {
	t.Helper()
	p, err := metric.Parse("1959-Q1")
	if err != nil {
		t.Fatal(err)
	}
	s := &metric.Series{}
	for k, v := range vals {
		if err := s.Set(p.Add(k), v); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestAchievabilityReference runs achievability.json end to end through
// Check: a Goal with a target period h quarters after the last
// observation, the history as a metric.Series, the unit choosing growth
// ratios (USD) or differences (percent).
func TestAchievabilityReference(t *testing.T) {
	b, err := os.ReadFile("testdata/achievability.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref refFile
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) != 2 {
		t.Fatalf("%d cases, want 2", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			hist := quarterly(t, c.Series)
			last, _ := hist.Last()
			dir, unit, wantHist := metric.HigherIsBetter, metric.Unit("USD bn"), c.HistGrowth
			probs, lin := c.GrowthQ.Probs, c.GrowthQ.Linear
			if c.Kind == "difference_at_most" {
				dir, unit, wantHist = metric.LowerIsBetter, "percent", c.HistDiff
				probs, lin = c.DiffQ.Probs, c.DiffQ.Linear
			}
			for _, tg := range c.Targets {
				v := tg.Target
				g := Goal{ID: c.Name, Metric: "m", Owner: "o", Target: &v, Unit: unit, Direction: &dir,
					Source: "s", Frequency: metric.Quarter, Period: last.Add(c.Horizon), History: hist}
				r := Check(g, Options{})
				a := r.Achievability
				name := fmt.Sprintf("target %g", v)
				if a == nil {
					t.Fatalf("%s: no achievability; findings %v", name, r.Findings)
				}
				if a.Horizon != c.Horizon || a.Current != c.Current || len(a.History) != c.NHist {
					t.Fatalf("%s: horizon %d current %g n %d", name, a.Horizon, a.Current, len(a.History))
				}
				for i := range wantHist {
					near(t, fmt.Sprintf("%s history[%d]", name, i), a.History[i], wantHist[i], refTol)
				}
				for i, p := range probs {
					near(t, fmt.Sprintf("%s q%g", name, p), a.Quantile(p), lin[i], refTol)
				}
				near(t, name+" empirical p", a.EmpiricalP, tg.EmpiricalP, refTol)
				if a.Ratio {
					near(t, name+" g_req", a.Required, *tg.GReq, refTol)
					near(t, name+" cagr_req", a.RequiredPerPeriod, *tg.CAGRReq, refTol)
					near(t, name+" pct rank", a.Percentile.Rank, tg.Percentile.Rank, refTol)
					near(t, name+" pct weak", a.Percentile.Weak, tg.Percentile.Weak, refTol)
					near(t, name+" pct strict", a.Percentile.Strict, tg.Percentile.Strict, refTol)
					near(t, name+" pct mean", a.Percentile.Mean, tg.Percentile.Mean, refTol)
					near(t, name+" z", a.Z, *tg.ZSimple, refTol)
					near(t, name+" z log", a.ZLog, *tg.ZLog, refTol)
					near(t, name+" p normal", a.PNormal, *tg.PNormal, refTol)
					near(t, name+" log mean", a.LogMean, c.LogMean, refTol)
					near(t, name+" log sd", a.LogSD, c.LogSD, refTol)
					if a.ExceedsBest != *tg.ExceedsMax {
						t.Errorf("%s: exceeds best %v", name, a.ExceedsBest)
					}
				} else {
					if !a.AtMost {
						t.Errorf("%s: lower-is-better goal not at-most", name)
					}
					near(t, name+" d_req", a.Required, *tg.DReq, refTol)
					near(t, name+" pct weak", a.Percentile.Weak, *tg.PercentileWeak, refTol)
					near(t, name+" z", a.Z, *tg.Z, refTol)
				}
				// The finding carries the same figures and the score follows them.
				fs := r.Findings.ByRule("smart.achievable")
				if len(fs) != 1 {
					t.Fatalf("%s: achievable findings %v", name, fs)
				}
				if p, _ := fs[0].Get("empirical_p"); p != a.EmpiricalP {
					t.Errorf("%s: evidence empirical_p %v", name, p)
				}
				near(t, name+" score", r.Scores.Achievable, math.Min(1, a.EmpiricalP+a.PNormal), 1e-15)
				if a.ExceedsBest && fs[0].Rule != RuleBeyondBest {
					t.Errorf("%s: rule %s, want %s", name, fs[0].Rule, RuleBeyondBest)
				}
			}
		})
	}
}

func TestBeyondBestMessage(t *testing.T) {
	s := &metric.Series{}
	p, _ := metric.Parse("2026-01")
	for k, v := range []float64{100, 102, 101, 105, 104, 108} {
		_ = s.Set(p.Add(k), v)
	}
	v := 108 * 1.1
	d := metric.HigherIsBetter
	r := Check(Goal{Metric: "sales", Target: &v, Direction: &d, Unit: "USD", Period: p.Add(7), History: s}, Options{})
	f := r.Findings.ByRule(RuleBeyondBest)
	if len(f) != 1 {
		t.Fatalf("findings %v", r.Findings)
	}
	best := 104.0/101 - 1
	want := fmt.Sprintf("needs %.2f× the best 2-period growth ever seen", 0.1/best)
	if !strings.Contains(f[0].Message, want) {
		t.Errorf("message %q, want it to contain %q", f[0].Message, want)
	}
}

func TestVagueIn(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Increase sales", []string{"increase sales"}},
		{"improve the checkout", []string{"improve"}},
		{"More and better leads", []string{"better", "more"}},
		{"Tăng doanh số quý này", []string{"tăng doanh số"}},
		{"Cải thiện trải nghiệm khách hàng", []string{"cải thiện"}},
		{"dịch vụ tốt hơn, nhiều hơn khách", []string{"nhiều hơn", "tốt hơn"}},
		{"Revenue 500,000 USD by 2027", nil},
		{"moreover", nil}, // whole words only
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := VagueIn(tt.text)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("VagueIn(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
	if got := VagueIn("synergise the funnel", "synergise"); !slices.Equal(got, []string{"synergise"}) {
		t.Errorf("extra words: %q", got)
	}
	if len(VagueWords("en")) < 10 || len(VagueWords("vi")) < 10 || VagueWords("fr") != nil {
		t.Error("word lists")
	}
}

func fp(v float64) *float64 { return &v }

func TestCheckLetters(t *testing.T) {
	p, _ := metric.Parse("2026-Q3")
	dir := metric.HigherIsBetter
	full := Goal{Statement: "Revenue to 100,000 USD", Metric: "revenue", Owner: "CEO", Target: fp(100000), Unit: "USD",
		Baseline: fp(80000), Direction: &dir, Source: "ERP", Frequency: metric.Month, Period: p, Objective: "grow"}
	tests := []struct {
		name  string
		goal  func() Goal
		rules []string
		score func(Scores) float64
		want  float64
	}{
		{"complete", func() Goal { return full }, []string{RuleNoHistory}, func(s Scores) float64 { return s.Specific + s.Measurable + s.TimeBound + s.Relevant }, 4},
		{"vague english", func() Goal { g := full; g.Statement = "increase sales"; return g }, []string{RuleVague, RuleNoHistory}, func(s Scores) float64 { return s.Specific }, 2.0 / 3},
		{"vague vietnamese", func() Goal { g := full; g.Statement = "tăng doanh số"; g.Owner = ""; return g },
			[]string{RuleNoOwner, RuleVague, RuleNoHistory}, func(s Scores) float64 { return s.Specific }, 1.0 / 3},
		{"vague with number is fine", func() Goal { g := full; g.Statement = "tăng doanh số lên 20%"; return g }, []string{RuleNoHistory}, func(s Scores) float64 { return s.Specific }, 1},
		{"bare statement", func() Goal { return Goal{Statement: "be better"} },
			[]string{RuleNoMetric, RuleNoOwner, RuleVague, RuleNoTarget, RuleNoUnit, RuleNoBaseline, RuleNoDirection, RuleNoSource, RuleNoFrequency, RuleNoModel, RuleNoDeadline},
			func(s Scores) float64 { return s.Overall }, (0 + 0 + 0.5 + 0.5 + 0) / 5},
		{"no deadline", func() Goal { g := full; g.Period = metric.Period{}; return g }, []string{RuleNoDeadline}, func(s Scores) float64 { return s.TimeBound }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Check(tt.goal(), Options{})
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.Rule)
			}
			slices.Sort(got)
			want := slices.Clone(tt.rules)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("rules %q, want %q", got, want)
			}
			near(t, "score", tt.score(r.Scores), tt.want, 1e-12)
		})
	}
	// Disabled rules are not reported.
	r := Check(Goal{Statement: "be better"}, Options{Rules: check.Rules{Disable: []string{"smart.measurable", "smart.specific.vague"}}})
	if len(r.Findings.ByRule("smart.measurable")) != 0 || len(r.Findings.ByRule(RuleVague)) != 0 || len(r.Findings.ByRule(RuleNoMetric)) != 1 {
		t.Errorf("rules not honoured: %v", r.Findings)
	}
}

const shopYAML = `kpitree: "1"
name: shop
metrics:
  - {id: revenue, kind: KGI, unit: USD, formula: visitors * conversion_rate * aov, owner: CEO, frequency: month, source: ERP,
     targets: [{period: 2026-Q4, value: 150000}]}
  - {id: visitors, kind: KPI, unit: visits, formula: organic + paid, owner: CMO, frequency: month, source: GA}
  - {id: organic, kind: KPI, unit: visits, owner: SEO, frequency: month, source: GA}
  - {id: paid, kind: KPI, unit: visits, owner: SEA, frequency: month, source: Ads}
  - {id: conversion_rate, kind: KPI, unit: ratio, aggregation: mean, owner: PM, frequency: month, source: GA,
     targets: [{period: 2026-Q4, value: 0.08}]}
  - {id: aov, kind: KPI, unit: USD, aggregation: mean, owner: Merch, frequency: month, source: ERP}
  - {id: pages, kind: KSF, unit: count, owner: Content, frequency: month}
  - {id: nps, kind: KPI, unit: points, owner: CS, frequency: month, source: survey, targets: [{period: 2026-Q4, value: 70}]}
links:
  - {from: pages, to: organic, sign: "+"}
`

func shop(t testing.TB) *tree.Compiled {
	t.Helper()
	m, err := tree.Load(strings.NewReader(shopYAML), "shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPathToKGI(t *testing.T) {
	c := shop(t)
	tests := []struct {
		id   string
		want []string
	}{
		{"revenue", []string{"revenue"}},
		{"organic", []string{"organic", "visitors", "revenue"}},
		{"pages", []string{"pages", "organic", "visitors", "revenue"}},
		{"nps", nil},
	}
	for _, tt := range tests {
		i, _ := c.Index(tt.id)
		if got := PathToKGI(c, i); !slices.Equal(got, tt.want) {
			t.Errorf("PathToKGI(%s) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestCheckModel(t *testing.T) {
	c := shop(t)
	data := rollup.Data{}
	jan, _ := metric.Parse("2026-01")
	for k := range 9 {
		f := float64(k)
		set := func(id string, v float64) {
			if err := data.Set(id, jan.Add(k), v); err != nil {
				t.Fatal(err)
			}
		}
		set("organic", 1000+50*f+10*math.Sin(f))
		set("paid", 2000+20*f)
		set("conversion_rate", 0.03+0.001*f+0.0005*math.Cos(f))
		set("aov", 40+f)
		set("pages", 3)
		set("nps", 50+math.Sin(f))
	}
	res, err := rollup.Evaluate(c, data, jan, jan.Add(8), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs, reports := CheckModel(c, res, Options{})
	if len(reports) != 3 {
		t.Fatalf("%d reports, want 3", len(reports))
	}
	wantRules := map[string]string{ // a rule expected per goal
		"revenue":         "smart.achievable",
		"conversion_rate": RuleBeyondBest,
		"nps":             RuleNoPathToKGI,
	}
	for _, r := range reports {
		rule := wantRules[r.ID]
		if len(r.Findings.ByRule(rule)) == 0 {
			t.Errorf("%s: no %s finding in %v", r.ID, rule, r.Findings)
		}
		if r.Achievability == nil {
			t.Errorf("%s: no achievability", r.ID)
		}
	}
	if got := len(fs.ByRule(RuleKPINoTarget)); got != 4 { // visitors, organic, paid, aov
		t.Errorf("%d no-kpi-target findings, want 4", got)
	}
	if !slices.IsSortedFunc(fs, check.Compare) {
		t.Error("findings not sorted")
	}
	if reports[1].Achievability.Ratio {
		t.Error("a ratio metric should use differences")
	}
}

func TestAchievabilityOfErrors(t *testing.T) {
	s := &metric.Series{}
	p, _ := metric.Parse("2026-01")
	for k := range 5 {
		_ = s.Set(p.Add(k), 3)
	}
	d := metric.HigherIsBetter
	g := Goal{Metric: "m", Target: fp(4), Direction: &d, Period: p.Add(8)}
	if _, err := AchievabilityOf(g, s, ChangeAuto); !errors.Is(err, errNoHistory) {
		t.Errorf("constant series: %v", err)
	}
	g.Period = p.Add(2)
	if _, err := AchievabilityOf(g, s, ChangeAuto); err == nil || !strings.Contains(err.Error(), "not after the last observation") {
		t.Errorf("past deadline: %v", err)
	}
	g.Target = nil
	if _, err := AchievabilityOf(g, s, ChangeAuto); err == nil {
		t.Error("no target: no error")
	}
}
