package check_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// base is a small, well-formed tree: revenue (KGI) = visits × conv;
// campaign (KSF) drives visits one period later.
func base() *tree.Model {
	rev := kpi("revenue", metric.KGI)
	rev.Formula = "visits * conv"
	conv := kpi("conv", metric.KPI)
	conv.Aggregation = metric.Mean
	return &tree.Model{Name: "base",
		Metrics: []metric.Metric{rev, kpi("visits", metric.KPI), conv, kpi("campaign", metric.KSF)},
		Links:   []tree.Link{{From: "campaign", To: "visits", Sign: tree.SignPositive, Lag: 1}}}
}

// history generates n periods: campaign is noise; visits respond to the
// campaign effect periods later with the given slope; conv is noise.
func history(n int, slope float64, effectLag int, seed uint64) map[string][]float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	camp, visits, conv := make([]float64, n), make([]float64, n), make([]float64, n)
	for t := range n {
		camp[t] = 10 + 3*rng.NormFloat64()
		visits[t] = 1000 + 20*rng.NormFloat64()
		if t >= effectLag {
			visits[t] += slope * camp[t-effectLag]
		}
		conv[t] = 0.05 + 0.005*rng.NormFloat64()
	}
	return map[string][]float64{"campaign": camp, "visits": visits, "conv": conv}
}

func randomWalk(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 11))
	x := make([]float64, n)
	v := 100.0
	for t := range x {
		v += 1 + 2*rng.NormFloat64()
		x[t] = v
	}
	return x
}

type ruleCase struct {
	name  string
	rule  string
	model func() *tree.Model
	data  func() map[string][]float64 // nil: no data
	opt   check.Options
	want  bool
}

func with(f func(m *tree.Model)) func() *tree.Model {
	return func() *tree.Model { m := base(); f(m); return m }
}

func metricOf(m *tree.Model, id string) *metric.Metric { return m.Metric(id) }

func good() map[string][]float64 { return history(60, 8, 1, 1) }

func ruleCases() []ruleCase {
	none := check.Transform{Kind: check.TransformNone}
	splitModel := func(segs ...[]string) func() *tree.Model {
		return with(func(m *tree.Model) {
			m.Dimensions = []tree.Dimension{{Name: "channel", Values: []string{"web", "shop"}}}
			d := tree.Decomposition{Parent: "visits"}
			for k, s := range segs {
				id := []string{"visits_a", "visits_b"}[k]
				m.Metrics = append(m.Metrics, kpi(id, metric.KPI))
				d.Segments = append(d.Segments, tree.Segment{Metric: id, Where: []tree.Condition{{Dimension: "channel", In: s}}})
			}
			m.Decompositions = []tree.Decomposition{d}
		})
	}
	splitData := func(extra float64) func() map[string][]float64 {
		return func() map[string][]float64 {
			h := good()
			a, b := make([]float64, 60), make([]float64, 60)
			for t, v := range h["visits"] {
				a[t] = math.Round(v * 0.4)
				b[t] = v - a[t] + extra
			}
			h["visits_a"], h["visits_b"] = a, b
			return h
		}
	}
	return []ruleCase{
		{"no kgi", "structure.no-kgi", with(func(m *tree.Model) { m.Metrics[0].Kind = metric.KPI }), nil, check.Options{}, true},
		{"has kgi", "structure.no-kgi", base, nil, check.Options{}, false},
		{"orphan kpi", "structure.kpi-without-kgi", with(func(m *tree.Model) { m.Metrics = append(m.Metrics, kpi("orphan", metric.KPI)) }), nil, check.Options{}, true},
		{"kpis reach kgi", "structure.kpi-without-kgi", base, nil, check.Options{}, false},
		{"idle ksf", "structure.ksf-drives-nothing", with(func(m *tree.Model) { m.Metrics = append(m.Metrics, kpi("idle", metric.KSF)) }), nil, check.Options{}, true},
		{"ksf drives", "structure.ksf-drives-nothing", base, nil, check.Options{}, false},
		{"ksf straight to kgi", "structure.level-gap", with(func(m *tree.Model) { m.Links[0].To = "revenue" }), nil, check.Options{}, true},
		{"levels linked", "structure.level-gap", base, nil, check.Options{}, false},
		{"too many children", "structure.too-many-children", base, nil, check.Options{MaxChildren: 1}, true},
		{"few children", "structure.too-many-children", base, nil, check.Options{}, false},
		{"too deep", "structure.too-deep", base, nil, check.Options{MaxDepth: 2}, true},
		{"shallow", "structure.too-deep", base, nil, check.Options{}, false},
		{"segments not in formula", "structure.children-formula-mismatch", with(func(m *tree.Model) {
			m.Metrics = append(m.Metrics, kpi("x", metric.KPI))
			m.Decompositions = []tree.Decomposition{{Parent: "revenue", Segments: []tree.Segment{{Metric: "visits"}, {Metric: "x"}}}}
		}), nil, check.Options{}, true},
		{"segments are the formula", "structure.children-formula-mismatch", with(func(m *tree.Model) {
			m.Metrics[0].Formula = "visits + conv"
			m.Decompositions = []tree.Decomposition{{Parent: "revenue", Segments: []tree.Segment{{Metric: "visits"}, {Metric: "conv"}}}}
		}), nil, check.Options{}, false},
		{"growth kpi unguarded", "structure.no-counter-metric", base, nil, check.Options{CounterMetrics: true}, true},
		{"optional rule off", "structure.no-counter-metric", base, nil, check.Options{}, false},
		{"growth kpis guarded", "structure.no-counter-metric", with(func(m *tree.Model) {
			b := kpi("bounce", metric.KPI)
			b.Direction = metric.Ceiling
			m.Metrics = append(m.Metrics, b)
			m.Metrics[0].Formula = "visits * conv * (1 - bounce)"
		}), nil, check.Options{CounterMetrics: true}, false},
		{"no owner", "structure.no-owner", with(func(m *tree.Model) { metricOf(m, "visits").Owner = "" }), nil, check.Options{}, true},
		{"owned", "structure.no-owner", base, nil, check.Options{}, false},
		{"no source", "structure.no-source", with(func(m *tree.Model) { metricOf(m, "visits").Source = "" }), nil, check.Options{}, true},
		{"ksf needs no source", "structure.no-source", with(func(m *tree.Model) { metricOf(m, "campaign").Source = "" }), nil, check.Options{}, false},
		{"no frequency", "structure.no-frequency", with(func(m *tree.Model) { metricOf(m, "conv").Frequency = 0 }), nil, check.Options{}, true},
		{"frequency set", "structure.no-frequency", base, nil, check.Options{}, false},
		{"no target", "structure.no-target", with(func(m *tree.Model) { metricOf(m, "revenue").Targets = nil }), nil, check.Options{}, true},
		{"targets set", "structure.no-target", base, nil, check.Options{}, false},

		{"link holds", "causal.supported", base, good, check.Options{}, true},
		{"link absent", "causal.supported", base, func() map[string][]float64 { return history(60, 0, 1, 2) }, check.Options{}, false},
		{"link reversed", "causal.contradicted", base, func() map[string][]float64 { return history(60, -8, 1, 3) }, check.Options{}, true},
		{"link not reversed", "causal.contradicted", base, good, check.Options{}, false},
		{"no effect", "causal.inconclusive", base, func() map[string][]float64 { return history(60, 0, 1, 4) }, check.Options{}, true},
		{"clear effect", "causal.inconclusive", base, good, check.Options{}, false},
		{"eight periods", "causal.not-enough-data", base, func() map[string][]float64 { return history(8, 8, 1, 5) }, check.Options{}, true},
		{"sixty periods", "causal.not-enough-data", base, good, check.Options{}, false},
		{"constant cause", "causal.constant-series", base, func() map[string][]float64 {
			h := good()
			for t := range h["campaign"] {
				h["campaign"][t] = 3
			}
			return h
		}, check.Options{}, true},
		{"varying cause", "causal.constant-series", base, good, check.Options{}, false},
		{"trending levels", "causal.not-stationary", base, func() map[string][]float64 {
			h := good()
			h["campaign"], h["visits"] = randomWalk(60, 1), randomWalk(60, 2)
			return h
		}, check.Options{Transform: none}, true},
		{"trends differenced", "causal.not-stationary", base, func() map[string][]float64 {
			h := good()
			h["campaign"], h["visits"] = randomWalk(60, 1), randomWalk(60, 2)
			return h
		}, check.Options{}, false},
		{"effect three periods later", "causal.lag-mismatch", base, func() map[string][]float64 { return history(60, 8, 3, 6) }, check.Options{}, true},
		{"effect at declared lag", "causal.lag-mismatch", base, good, check.Options{}, false},
		{"undeclared link", "causal.suggested-link", base, func() map[string][]float64 {
			h := good()
			rng := rand.New(rand.NewPCG(9, 9))
			for t := 1; t < 60; t++ {
				h["conv"][t] = 0.05 + 0.0005*(h["visits"][t-1]-1080) + 0.002*rng.NormFloat64()
			}
			return h
		}, check.Options{SuggestLinks: true}, true},
		{"suggestions off", "causal.suggested-link", base, good, check.Options{}, false},

		{"overlapping segments", "mece.overlap", splitModel([]string{"web", "shop"}, []string{"shop"}), nil, check.Options{}, true},
		{"disjoint segments", "mece.overlap", splitModel([]string{"web"}, []string{"shop"}), nil, check.Options{}, false},
		{"segment missing", "mece.gap", splitModel([]string{"web"}), nil, check.Options{}, true},
		{"segments cover", "mece.gap", splitModel([]string{"web"}, []string{"shop"}), nil, check.Options{}, false},
		{"children short", "mece.numeric-gap", splitModel([]string{"web"}, []string{"shop"}), splitData(-5), check.Options{}, true},
		{"children add up", "mece.numeric-gap", splitModel([]string{"web"}, []string{"shop"}), splitData(0), check.Options{}, false},
		{"children over", "mece.double-count", splitModel([]string{"web"}, []string{"shop"}), splitData(5), check.Options{}, true},
		{"children exact", "mece.double-count", splitModel([]string{"web"}, []string{"shop"}), splitData(0), check.Options{}, false},
		{"same formula", "mece.duplicate-formula", with(func(m *tree.Model) {
			r := kpi("revenue2", metric.KPI)
			r.Formula = "visits*conv"
			m.Metrics = append(m.Metrics, r)
		}), nil, check.Options{}, true},
		{"different formulas", "mece.duplicate-formula", base, nil, check.Options{}, false},
		{"same series", "mece.duplicate-series", with(func(m *tree.Model) {
			m.Metrics = append(m.Metrics, kpi("sessions", metric.KPI))
			m.Links = append(m.Links, tree.Link{From: "sessions", To: "revenue", Sign: tree.SignPositive})
		}), func() map[string][]float64 {
			h := good()
			h["sessions"] = make([]float64, 60)
			for t, v := range h["visits"] {
				h["sessions"][t] = 1.3*v + 0.01*math.Cos(float64(t))
			}
			return h
		}, check.Options{}, true},
		{"distinct series", "mece.duplicate-series", base, good, check.Options{}, false},
		{"kpis met, kgi missed", "logic.kpis-met-kgi-missed", logicModel(100), logicData, check.Options{}, true},
		{"kpis met, kgi met", "logic.kpis-met-kgi-missed", logicModel(50), logicData, check.Options{}, false},
		{"flow from an averaged rate", "rollup.not-additive", with(func(m *tree.Model) {
			metricOf(m, "revenue").Additive = true
		}), func() map[string][]float64 { return history(24, 2, 1, 3) }, check.Options{}, true},
		{"rate weighted by visits", "rollup.not-additive", with(func(m *tree.Model) {
			metricOf(m, "revenue").Additive = true
			metricOf(m, "conv").Weight = "visits"
		}), func() map[string][]float64 { return history(24, 2, 1, 3) }, check.Options{}, false},
	}
}

// logicModel: revenue (yearly target) = visits (sum) × conv (mean); the
// KPI targets for 2001 are met by logicData, revenue reaches 60.
func logicModel(revenueTarget float64) func() *tree.Model {
	return with(func(m *tree.Model) {
		y := mustPeriod("2001")
		metricOf(m, "revenue").Targets = []metric.Target{{Period: y, Value: revenueTarget}}
		metricOf(m, "visits").Targets = []metric.Target{{Period: y, Value: 1000}}
		metricOf(m, "conv").Targets = []metric.Target{{Period: y, Value: 0.04}}
	})
}

func logicData() map[string][]float64 {
	h := map[string][]float64{}
	for _, id := range []string{"visits", "conv", "campaign"} {
		h[id] = make([]float64, 24)
	}
	for t := range 24 {
		h["visits"][t], h["conv"][t], h["campaign"][t] = 100, 0.05, float64(t%3)
	}
	return h
}

// TestRules triggers each rule once and shows a case where it stays quiet.
func TestRules(t *testing.T) {
	covered := map[string][2]bool{}
	for _, tc := range ruleCases() {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			c := compile(t, tc.model())
			var fs check.Findings
			var err error
			if tc.data == nil {
				fs, err = check.Run(c, nil, tc.opt)
			} else {
				fs, err = check.Run(c, evaluate(t, c, tc.data()), tc.opt)
			}
			if err != nil {
				t.Fatal(err)
			}
			got := fs.ByRule(tc.rule)
			if (len(got) > 0) != tc.want {
				t.Errorf("%s reported %v, want %v; findings:\n%v", tc.rule, len(got) > 0, tc.want, fs)
			}
			for _, f := range got {
				if f.Message == "" || len(f.Nodes) == 0 && f.Rule != "structure.no-kgi" || f.Severity == 0 {
					t.Errorf("incomplete finding %+v", f)
				}
			}
		})
		cv := covered[tc.rule]
		cv[btoi(tc.want)] = true
		covered[tc.rule] = cv
	}
	for rule, cv := range covered {
		if !cv[0] || !cv[1] {
			t.Errorf("rule %s lacks a triggering or a quiet case", rule)
		}
	}
	for _, rule := range check.RuleCodes() {
		if _, ok := covered[rule]; !ok {
			t.Errorf("rule %s has no test case", rule)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
