package rollup_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

// planMRR is a small SaaS model over 2027: mrr = prev(mrr) + new − churned
// from 1,000, arr = 12·mrr; new MRR is 100 + 10t in month t = 0..11 (1,860
// in the year), churned MRR 50 a month (600).
func planMRR(t *testing.T) rollup.Plan {
	t.Helper()
	c := compile(t, 0,
		metric.Metric{ID: "arr", Kind: metric.KGI, Formula: "mrr * 12", Aggregation: metric.Last},
		metric.Metric{ID: "mrr", Formula: "prev(mrr) + new_mrr - churned_mrr", Initial: ptr(1000), Aggregation: metric.Last},
		metric.Metric{ID: "new_mrr"},
		metric.Metric{ID: "churned_mrr"},
		metric.Metric{ID: "other"},
	)
	d := rollup.Data{}
	jan := per(t, "2027-01")
	for k := range 12 {
		for id, v := range map[string]float64{"new_mrr": 100 + 10*float64(k), "churned_mrr": 50, "other": 1} {
			if err := d.Set(id, jan.Add(k), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	return rollup.Plan{Compiled: c, Base: d, From: jan, To: per(t, "2027-12")}
}

// planShop is a web shop over 2027: revenue = visitors · conversion · aov
// with visitors 1000·(1 + 0.1t) in month t (18,600 in the year),
// conversion 5% and an order value of 100 (both averaged over time):
// 93,000 of revenue in the year.
func planShop(t *testing.T) rollup.Plan {
	t.Helper()
	c := compile(t, 0,
		metric.Metric{ID: "revenue", Kind: metric.KGI, Formula: "visitors * conversion * aov"},
		metric.Metric{ID: "visitors"},
		metric.Metric{ID: "conversion", Aggregation: metric.Mean},
		metric.Metric{ID: "aov", Aggregation: metric.Mean},
	)
	d := rollup.Data{}
	jan := per(t, "2027-01")
	for k := range 12 {
		for id, v := range map[string]float64{"visitors": 1000 * (1 + 0.1*float64(k)), "conversion": 0.05, "aov": 100} {
			if err := d.Set(id, jan.Add(k), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	return rollup.Plan{Compiled: c, Base: d, From: jan, To: per(t, "2027-12")}
}

func TestPlanGoalSeek(t *testing.T) {
	mrr, shop := planMRR(t), planShop(t)
	flat := make([]float64, 12)
	for i := range flat {
		flat[i] = 1
	}
	tests := []struct {
		name  string
		plan  rollup.Plan
		goal  rollup.Goal
		lever rollup.PlanLever
		// the hand-computed scale and the lever's value in month t at it
		scale  float64
		start  float64
		before float64
		lever0 func(k float64, t int) float64
	}{
		{
			// December ARR = 12·(1000 + k·1860 − 600) = 60,000
			name: "December ARR by new MRR", plan: mrr,
			goal:  rollup.Goal{Metric: "arr", Value: 60000, Period: per(t, "2027-12")},
			lever: rollup.PlanLever{Input: "new_mrr"},
			scale: 4600.0 / 1860, start: 1, before: 12 * 2260,
			lever0: func(k float64, t int) float64 { return k * (100 + 10*float64(t)) },
		},
		{
			// a yearly goal on a stock (aggregation last) is its December value
			name: "yearly ARR by new MRR", plan: mrr,
			goal:  rollup.Goal{Metric: "arr", Value: 60000, Period: per(t, "2027")},
			lever: rollup.PlanLever{Input: "new_mrr"},
			scale: 4600.0 / 1860, start: 1, before: 12 * 2260,
			lever0: func(k float64, t int) float64 { return k * (100 + 10*float64(t)) },
		},
		{
			// a flat profile: 1000 + 12k − 600 = 5,000; the search starts
			// where the profile sums to the planned 1,860
			name: "December ARR by a flat new MRR", plan: mrr,
			goal:  rollup.Goal{Metric: "arr", Value: 60000, Period: per(t, "2027-12")},
			lever: rollup.PlanLever{Input: "new_mrr", Profile: flat},
			scale: 4600.0 / 12, start: 1860.0 / 12, before: 12 * 2260,
			lever0: func(k float64, t int) float64 { return k },
		},
		{
			// the year's revenue: k · 18,600 · 0.05 · 100 = 120,000
			name: "yearly revenue by visitors", plan: shop,
			goal:  rollup.Goal{Metric: "revenue", Value: 120000, Period: per(t, "2027")},
			lever: rollup.PlanLever{Input: "visitors"},
			scale: 120000.0 / 93000, start: 1, before: 93000,
			lever0: func(k float64, t int) float64 { return k * 1000 * (1 + 0.1*float64(t)) },
		},
		{
			// Q1 revenue: k · 3,300 · 5 = 33,000; the lever moves all year
			name: "Q1 revenue by visitors", plan: shop,
			goal:  rollup.Goal{Metric: "revenue", Value: 33000, Period: per(t, "2027-Q1")},
			lever: rollup.PlanLever{Input: "visitors"},
			scale: 2, start: 1, before: 16500,
			lever0: func(k float64, t int) float64 { return k * 1000 * (1 + 0.1*float64(t)) },
		},
		{
			// conversion averaged over the year: 0.05k = 0.06
			name: "yearly revenue by conversion, Brent", plan: shop,
			goal:  rollup.Goal{Metric: "revenue", Value: 111600, Period: per(t, "2027")},
			lever: rollup.PlanLever{Input: "conversion"},
			scale: 1.2, start: 1, before: 93000,
			lever0: func(k float64, t int) float64 { return 0.05 * k },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := rollup.SeekOptions{}
			if strings.HasSuffix(tc.name, "Brent") {
				opt.Method = rollup.SeekBrent
			}
			res, err := tc.plan.GoalSeek(tc.goal, tc.lever, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !wiRel(res.Scale, tc.scale, 1e-9) || !wiRel(res.Reached, tc.goal.Value, 1e-9) {
				t.Errorf("scale %v reaching %v; want %v reaching %v", res.Scale, res.Reached, tc.scale, tc.goal.Value)
			}
			if !wiRel(res.StartScale, tc.start, 1e-12) || !wiRel(res.Before, tc.before, 1e-12) {
				t.Errorf("start scale %v, before %v; want %v, %v", res.StartScale, res.Before, tc.start, tc.before)
			}
			if len(res.Lever) != 12 {
				t.Fatalf("%d lever values, want 12", len(res.Lever))
			}
			for k, pv := range res.Lever {
				if want := tc.lever0(tc.scale, k); !wiRel(pv.Value, want, 1e-9) || pv.Period != tc.plan.From.Add(k) {
					t.Errorf("lever in %s = %v, want %v", pv.Period, pv.Value, want)
				}
			}
			if opt.Method == rollup.SeekBrent && (res.Method != rollup.SeekBrent || res.Iterations == 0) {
				t.Errorf("method %v after %d iterations, want Brent", res.Method, res.Iterations)
			}
			// The scenario returned reproduces the answer through the
			// ordinary scenario machinery.
			r, err := res.Scenario.Evaluate(tc.plan.Compiled, tc.plan.Base, tc.plan.From, tc.plan.To, rollup.Options{})
			if err != nil {
				t.Fatal(err)
			}
			w := tc.goal.Period
			from, to := metric.Of(metric.Month, w.Start()), metric.Of(metric.Month, w.End().AddDate(0, 0, -1))
			snap, err := r.Window(from, to)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := snap.Value(tc.goal.Metric); !wiRel(v, tc.goal.Value, 1e-9) {
				t.Errorf("the scenario gives %s = %v over %s..%s, want %v", tc.goal.Metric, v, from, to, tc.goal.Value)
			}
		})
	}
}

// TestPlanRevenueAddsUp checks that a yearly revenue goal reached by
// visitors is also the sum of the monthly revenues (order value and
// conversion are constant here, so the recomputed year adds up).
func TestPlanRevenueAddsUp(t *testing.T) {
	pl := planShop(t)
	res, err := pl.GoalSeek(rollup.Goal{Metric: "revenue", Value: 120000, Period: per(t, "2027")}, rollup.PlanLever{Input: "visitors"}, rollup.SeekOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := res.Scenario.Evaluate(pl.Compiled, pl.Base, pl.From, pl.To, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, p := range r.Periods() {
		v, _ := r.Value("revenue", p)
		sum += v
	}
	if !wiRel(sum, 120000, 1e-9) {
		t.Errorf("monthly revenues sum to %v, want 120000", sum)
	}
}

func TestPlanGoalSeekMany(t *testing.T) {
	pl := planShop(t)
	goal := rollup.Goal{Metric: "revenue", Value: 120000, Period: per(t, "2027")}
	for _, alloc := range []rollup.Allocation{rollup.EqualChange, rollup.LeastChange} {
		t.Run(alloc.String(), func(t *testing.T) {
			res, err := pl.GoalSeekMany(goal, []rollup.PlanLever{{Input: "visitors"}, {Input: "aov"}}, alloc)
			if err != nil {
				t.Fatal(err)
			}
			// both levers have elasticity 1: each moves by sqrt(120/93)
			want := math.Sqrt(120000.0 / 93000)
			for j, l := range res.Levers {
				if !wiRel(l.Value, want, 1e-9) || !wiRel(l.Change, want-1, 1e-9) || l.Start != 1 {
					t.Errorf("lever %s: scale %v (change %v) from %v, want %v", l.Input, l.Value, l.Change, l.Start, want)
				}
				if got := res.Values[j][3].Value; j == 1 && !wiRel(got, 100*want, 1e-9) {
					t.Errorf("aov in April = %v, want %v", got, 100*want)
				}
			}
			if !wiRel(res.Reached, 120000, 1e-9) || !wiRel(res.Before, 93000, 1e-12) {
				t.Errorf("reached %v from %v", res.Reached, res.Before)
			}
		})
	}
	// a weight of 0 holds a lever: visitors carry the whole change
	res, err := pl.GoalSeekMany(goal, []rollup.PlanLever{{Input: "visitors", Weight: 1}, {Input: "aov", Weight: 0}}, rollup.Weighted)
	if err != nil {
		t.Fatal(err)
	}
	if !wiRel(res.Levers[0].Value, 120000.0/93000, 1e-9) || res.Levers[1].Value != 1 {
		t.Errorf("weighted: %+v", res.Levers)
	}
}

func TestPlanCascade(t *testing.T) {
	pl := planShop(t)
	goal := rollup.Goal{Metric: "revenue", Value: 120000, Period: per(t, "2027")}
	out, err := pl.Cascade(goal, rollup.CascadeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := math.Cbrt(120000.0 / 93000)
	want := map[string]float64{"revenue": 120000, "visitors": 18600 * f, "conversion": 0.05 * f, "aov": 100 * f}
	if len(out.Targets) != len(want) {
		t.Fatalf("%d targets, want %d: %+v", len(out.Targets), len(want), out.Targets)
	}
	for _, tg := range out.Targets {
		if !wiRel(tg.Target.Value, want[tg.Metric], 1e-9) || tg.Target.Period != goal.Period {
			t.Errorf("%s: target %v in %s, want %v", tg.Metric, tg.Target.Value, tg.Target.Period, want[tg.Metric])
		}
		if len(tg.Periods) != 12 {
			t.Fatalf("%s: %d monthly targets", tg.Metric, len(tg.Periods))
		}
	}
	v := out.Targets[1] // visitors, in declaration order
	if v.Metric != "visitors" || !wiRel(v.Current, 18600, 1e-12) {
		t.Fatalf("second target %+v", v)
	}
	for k, m := range v.Periods {
		if w := 1000 * (1 + 0.1*float64(k)) * f; !wiRel(m.Value, w, 1e-9) {
			t.Errorf("visitors target in %s = %v, want %v", m.Period, m.Value, w)
		}
	}
	// monthly revenue targets add up to the yearly goal
	sum := 0.0
	for _, m := range out.Targets[0].Periods {
		sum += m.Value
	}
	if !wiRel(sum, 120000, 1e-9) {
		t.Errorf("monthly revenue targets sum to %v", sum)
	}

	// a stock through prev(): new and churned MRR move in opposite directions
	mrr := planMRR(t)
	cas, err := mrr.Cascade(rollup.Goal{Metric: "arr", Value: 60000, Period: per(t, "2027-12")}, rollup.CascadeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sc [2]float64
	for _, l := range cas.Seek.Levers {
		switch l.Input {
		case "new_mrr":
			sc[0] = l.Value
		case "churned_mrr":
			sc[1] = l.Value
		}
	}
	// equal log changes in opposite directions: new·g, churned/g with
	// 1000 + 1860g − 600/g = 5000
	g := (4000 + math.Sqrt(4000*4000+4*1860*600)) / (2 * 1860)
	if !wiRel(sc[0], g, 1e-9) || !wiRel(sc[1], 1/g, 1e-9) {
		t.Errorf("new MRR scale %v, churned %v; want %v, %v", sc[0], sc[1], g, 1/g)
	}
}

func TestPlanErrors(t *testing.T) {
	mrr, shop := planMRR(t), planShop(t)
	dec := per(t, "2027-12")
	arr := rollup.Goal{Metric: "arr", Value: 60000, Period: dec}
	gap := rollup.Data{}
	for id, s := range shop.Base.(rollup.Data) {
		gap[id] = s.Clone()
	}
	gap["visitors"].Delete(per(t, "2027-05"))
	holed := shop
	holed.Base = gap
	tests := []struct {
		name  string
		plan  rollup.Plan
		goal  rollup.Goal
		lever rollup.PlanLever
		opt   rollup.SeekOptions
		is    error
		says  string
	}{
		{"unknown goal", mrr, rollup.Goal{Metric: "ar", Value: 1, Period: dec}, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{}, rollup.ErrUnknownMetric, `"ar" (the goal)`},
		{"unknown lever", mrr, arr, rollup.PlanLever{Input: "new"}, rollup.SeekOptions{}, rollup.ErrUnknownMetric, `"new" (a lever)`},
		{"derived lever", mrr, arr, rollup.PlanLever{Input: "mrr"}, rollup.SeekOptions{}, rollup.ErrInvalidArgument, "computed by a formula"},
		{"no path", mrr, arr, rollup.PlanLever{Input: "other"}, rollup.SeekOptions{}, rollup.ErrNoPath, "arr does not depend on other"},
		{"profile length", mrr, arr, rollup.PlanLever{Input: "new_mrr", Profile: []float64{1, 2}}, rollup.SeekOptions{}, rollup.ErrInvalidArgument, "has 2 values; the plan 2027-01..2027-12 has 12 periods"},
		{"zero profile", mrr, arr, rollup.PlanLever{Input: "new_mrr", Profile: make([]float64, 12)}, rollup.SeekOptions{}, rollup.ErrInvalidArgument, "sums to zero"},
		{"goal outside", mrr, rollup.Goal{Metric: "arr", Value: 1, Period: per(t, "2028")}, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{}, rollup.ErrInvalidArgument, "not within the plan's periods"},
		{"goal without period", mrr, rollup.Goal{Metric: "arr", Value: 1}, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{}, rollup.ErrInvalidArgument, "has no period"},
		{"goal finer than the model", mrr, rollup.Goal{Metric: "arr", Value: 1, Period: per(t, "2027-12-01")}, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{}, rollup.ErrInvalidArgument, "holds no whole month"},
		{"NaN goal", mrr, rollup.Goal{Metric: "arr", Value: math.NaN(), Period: dec}, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{}, rollup.ErrInvalidArgument, "not a finite value"},
		{"bad bounds", mrr, arr, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{Lo: 2, Hi: 1}, rollup.ErrInvalidArgument, "within [2, 1]"},
		{"unreachable", shop, rollup.Goal{Metric: "revenue", Value: 120000, Period: per(t, "2027")}, rollup.PlanLever{Input: "visitors"}, rollup.SeekOptions{Lo: 0.5, Hi: 1.1}, rollup.ErrUnreachable, "by changing visitors within [0.5, 1.1]: reachable values are 46500 to 10"},
		{"missing lever data", holed, rollup.Goal{Metric: "revenue", Value: 120000, Period: per(t, "2027")}, rollup.PlanLever{Input: "visitors"}, rollup.SeekOptions{}, rollup.ErrNonFinite, "visitors has no value in 2027-05"},
		{"no model", rollup.Plan{From: dec, To: dec}, arr, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{}, rollup.ErrInvalidArgument, "no model"},
		{"plan periods not months", rollup.Plan{Compiled: mrr.Compiled, From: per(t, "2027"), To: per(t, "2027")}, arr, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{}, rollup.ErrInvalidArgument, "must be of the model's grain (month)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.plan.GoalSeek(tc.goal, tc.lever, tc.opt)
			if !errors.Is(err, tc.is) {
				t.Fatalf("error %v, want %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
		})
	}
	var ue *rollup.UnreachableError
	_, err := shop.GoalSeek(rollup.Goal{Metric: "revenue", Value: 120000, Period: per(t, "2027")}, rollup.PlanLever{Input: "visitors"}, rollup.SeekOptions{Lo: 0.5, Hi: 1.1})
	if !errors.As(err, &ue) || !wiRel(ue.Max, 102300, 1e-9) || ue.Input != "visitors" {
		t.Errorf("unreachable: %#v", ue)
	}
	if _, err := shop.GoalSeekMany(rollup.Goal{Metric: "revenue", Value: 1, Period: per(t, "2027")}, []rollup.PlanLever{{Input: "visitors"}, {Input: "visitors"}}, rollup.EqualChange); !errors.Is(err, rollup.ErrInvalidArgument) {
		t.Errorf("lever given twice: %v", err)
	}
	if _, err := shop.Cascade(rollup.Goal{Metric: "visitors", Value: 1, Period: per(t, "2027")}, rollup.CascadeOptions{}); !errors.Is(err, rollup.ErrInvalidArgument) {
		t.Errorf("cascade from an input: %v", err)
	}
}

// TestPlanUsesScenario checks that a plan built on a scenario starts from
// it: with visitors already raised 20% the scale needed is smaller.
func TestPlanUsesScenario(t *testing.T) {
	pl := planShop(t)
	pl.Scenario = rollup.NewScenario("campaign", nil).Scale("visitors", 20, rollup.Span{})
	res, err := pl.GoalSeek(rollup.Goal{Metric: "revenue", Value: 120000, Period: per(t, "2027")}, rollup.PlanLever{Input: "visitors"}, rollup.SeekOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := 120000.0 / (93000 * 1.2); !wiRel(res.Scale, want, 1e-9) || !wiRel(res.Before, 93000*1.2, 1e-12) {
		t.Errorf("scale %v from %v, want %v", res.Scale, res.Before, want)
	}
	if res.Scenario.Parent() != pl.Scenario {
		t.Error("the answer's scenario is not built on the plan's")
	}
}

// TestSimulationHistoryAgreesWithSession checks that prev() of a derived
// metric reads the recorded value in a simulation as in a session, and
// falls back to the recomputed value only when nothing is recorded.
func TestSimulationHistoryAgreesWithSession(t *testing.T) {
	pl := planMRR(t)
	c := pl.Compiled
	dec := per(t, "2027-12")
	recorded := rollup.Data{}
	for id, s := range pl.Base.(rollup.Data) {
		recorded[id] = s.Clone()
	}
	// November's MRR as recorded differs from the one its inputs give
	if err := recorded.Set("mrr", per(t, "2027-11"), 7000); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		src  rollup.Data
		want float64 // December's MRR
	}{
		{"recorded", recorded, 7000 + 210 - 50},
		// nothing recorded: the session uses Initial, the simulation too
		{"not recorded", pl.Base.(rollup.Data), 1000 + 210 - 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := rollup.NewSession(c, tc.src, dec, rollup.Options{})
			if err != nil {
				t.Fatal(err)
			}
			sv, _ := s.Value("mrr")
			u, err := rollup.Uniform(209.999, 210.001)
			if err != nil {
				t.Fatal(err)
			}
			sim := rollup.Simulation{Draws: 100, Seed: 1, Inputs: []rollup.Uncertain{{Metric: "new_mrr", Dist: u}}, Outputs: []string{"mrr"}}
			r, err := sim.Run(t.Context(), c, tc.src, dec)
			if err != nil {
				t.Fatal(err)
			}
			sum, _ := r.Summary("mrr")
			if !wiRel(sv, tc.want, 1e-12) || math.Abs(sum.Mean-tc.want) > 0.01 {
				t.Errorf("session %v, simulation mean %v; want %v", sv, sum.Mean, tc.want)
			}
		})
	}
}
