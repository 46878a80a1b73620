package rollup_test

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// wiMetric is a metric for the what-if test models: an input when f is "".
type wiMetric struct{ id, f string }

func wiCompile(t testing.TB, ms ...wiMetric) *tree.Compiled {
	t.Helper()
	m := &tree.Model{Name: "whatif"}
	for _, x := range ms {
		m.Metrics = append(m.Metrics, metric.Metric{ID: x.id, Formula: x.f})
	}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var wiP = func() metric.Period { p, _ := metric.Parse("2026-01"); return p }()

// wiSession evaluates c at one period with the given input values.
func wiSession(t testing.TB, c *tree.Compiled, in map[string]float64) *rollup.Session {
	t.Helper()
	d := rollup.Data{}
	for id, v := range in {
		if err := d.Set(id, wiP, v); err != nil {
			t.Fatal(err)
		}
	}
	s, err := rollup.NewSession(c, d, wiP, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func wiLoad(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// wiRel reports whether got matches want to a relative tol (absolute
// tol near zero).
func wiRel(got, want, tol float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), 1e-300) || math.Abs(want) < 1e-12 && math.Abs(got) < 1e-12
}

func wiCheck(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !wiRel(got, want, tol) {
		t.Errorf("%s = %.17g, want %.17g (rel %.2g)", what, got, want, math.Abs(got-want)/math.Abs(want))
	}
}

// The what-if reference model of whatif.json.
type wiWhatIf struct {
	Model struct {
		Revenue, Cost, Profit string
		Base                  map[string]float64
	}
	GoalSeek []struct {
		Label        string
		Target       float64
		Bracket      [2]float64
		OK           bool
		Root         float64
		Iterations   int
		Calls        int `json:"function_calls"`
		Error        string
		AnalyticRoot *float64 `json:"analytic_root"`
	} `json:"goal_seek"`
	NonMonotone struct {
		MaxAt  float64   `json:"max_at_aov"`
		MaxRev float64   `json:"max_revenue"`
		Roots  []float64 `json:"analytic_roots_T110000_lambertw"`
	} `json:"non_monotone_curve"`
	Elasticity struct {
		Profit map[string]struct {
			Derivative float64
			Point      float64 `json:"point_elasticity"`
			Arc        float64 `json:"arc_elasticity_pm10pct_midpoint"`
		}
		Revenue map[string]float64 `json:"revenue_pure_product_elasticities"`
	}
	Tornado struct {
		BaseProfit float64 `json:"base_profit"`
		Ranges     []struct {
			Input           string
			Low             float64 `json:"low_input"`
			High            float64 `json:"high_input"`
			AtLow           float64 `json:"profit_at_low"`
			AtHigh          float64 `json:"profit_at_high"`
			Swing, Min, Max float64
		}
		RangesOrder []string `json:"ranges_order"`
		PM10        []struct {
			Input  string
			AtLow  float64 `json:"profit_at_minus10"`
			AtHigh float64 `json:"profit_at_plus10"`
			Swing  float64
		} `json:"plus_minus_10pct"`
		PM10Order []string `json:"plus_minus_10pct_order"`
	}
}

var wiInputs = []string{"visits", "conversion", "aov", "cpv", "cogs_rate", "fixed_cost"}

// wiProfit builds the whatif.json model as a KPI tree.
func wiProfit(t testing.TB) (*tree.Compiled, *wiWhatIf) {
	t.Helper()
	var ref wiWhatIf
	wiLoad(t, "whatif.json", &ref)
	var ms []wiMetric
	for _, id := range wiInputs {
		ms = append(ms, wiMetric{id: id})
	}
	ms = append(ms, wiMetric{"revenue", ref.Model.Revenue}, wiMetric{"cost", ref.Model.Cost}, wiMetric{"profit", ref.Model.Profit})
	return wiCompile(t, ms...), &ref
}

func TestSessionSetRecomputesCone(t *testing.T) {
	c, ref := wiProfit(t)
	s := wiSession(t, c, ref.Model.Base)
	if v, _ := s.Value("profit"); v != 10000 {
		t.Fatalf("profit = %v, want 10000", v)
	}
	tests := []struct {
		set   string
		v     float64
		nodes int
		want  map[string]float64
	}{
		{"visits", 120000, 3, map[string]float64{"revenue": 120000, "cost": 20000 + 36000 + 48000, "profit": 120000 - 104000}},
		{"fixed_cost", 25000, 2, map[string]float64{"revenue": 120000, "cost": 109000, "profit": 11000}},
		{"revenue", 100000, 2, map[string]float64{"cost": 25000 + 36000 + 40000, "profit": -1000}}, // pinned
		{"conversion", 0.03, 3, map[string]float64{"revenue": 100000, "profit": -1000}},            // revenue stays pinned
	}
	for _, tt := range tests {
		n, err := s.Set(tt.set, tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if n != tt.nodes {
			t.Errorf("Set(%s): %d nodes recomputed, want %d", tt.set, n, tt.nodes)
		}
		for id, w := range tt.want {
			if v, _ := s.Value(id); !wiRel(v, w, 1e-12) {
				t.Errorf("after Set(%s): %s = %v, want %v", tt.set, id, v, w)
			}
		}
	}
	if err := s.Unpin("revenue"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Value("revenue"); !wiRel(v, 120000*0.03*50, 1e-12) {
		t.Errorf("unpinned revenue = %v", v)
	}
	if _, err := s.Set("nope", 1); !errors.Is(err, rollup.ErrUnknownMetric) {
		t.Errorf("Set(nope) = %v, want ErrUnknownMetric", err)
	}
	// a clone is independent
	cl := s.Clone()
	cl.Set("visits", 1)
	if v, _ := s.Value("visits"); v != 120000 {
		t.Errorf("clone changed the original: visits = %v", v)
	}
}

func TestSessionAgreesWithFullEvaluation(t *testing.T) {
	c, ref := wiProfit(t)
	s := wiSession(t, c, ref.Model.Base)
	in := map[string]float64{}
	for k, v := range ref.Model.Base {
		in[k] = v
	}
	for j, id := range wiInputs {
		v := ref.Model.Base[id] * (1 + 0.07*float64(j+1))
		in[id] = v
		s.Set(id, v)
		full := wiSession(t, c, in)
		for i := range c.Len() {
			if a, b := s.Values()[i], full.Values()[i]; a != b {
				t.Errorf("after %s: %s incremental %v, full %v", id, c.ID(i), a, b)
			}
		}
	}
}

func TestSessionAtResultAndLags(t *testing.T) {
	c := wiCompile(t, wiMetric{id: "new"}, wiMetric{id: "churn"}, wiMetric{"mrr", "prev(mrr) + new - churn"})
	d := rollup.Data{}
	p0 := wiP
	d.Set("mrr", p0.Prev(), 100)
	for k := range 3 {
		d.Set("new", p0.Add(k), 10)
		d.Set("churn", p0.Add(k), 4)
	}
	r, err := rollup.Evaluate(c, d, p0, p0.Add(2), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := rollup.SessionAt(r, p0.Add(2))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Value("mrr"); v != 118 {
		t.Fatalf("mrr = %v, want 118", v)
	}
	s.Set("new", 20)
	if v, _ := s.Value("mrr"); v != 128 {
		t.Errorf("mrr after new=20: %v, want 128 (prev(mrr) = 112 kept)", v)
	}
	s0, err := rollup.NewSession(c, d, p0, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s0.Set("churn", 0)
	if v, _ := s0.Value("mrr"); v != 110 {
		t.Errorf("first-period mrr = %v, want 110 (history from the source)", v)
	}
	if _, err := rollup.SessionAt(r, p0.Add(5)); !errors.Is(err, rollup.ErrInvalidArgument) {
		t.Errorf("SessionAt outside the result: %v", err)
	}
}

func TestDataTable(t *testing.T) {
	c, ref := wiProfit(t)
	s := wiSession(t, c, ref.Model.Base)
	conv := []float64{0.01, 0.02, 0.03}
	aov := []float64{40, 50}
	tb, err := s.DataTable([]string{"revenue", "profit"}, rollup.Sweep{Input: "conversion", Values: conv}, rollup.Sweep{Input: "aov", Values: aov})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for cell := range tb.Cells() {
		rev := 100000 * cell.X * cell.Y
		want := rev
		if cell.Output == "profit" {
			want = rev - (20000 + 100000*0.3 + rev*0.4)
		}
		if !wiRel(cell.Value, want, 1e-12) {
			t.Errorf("%s at conversion %v, aov %v = %v, want %v", cell.Output, cell.X, cell.Y, cell.Value, want)
		}
		n++
	}
	if n != 12 {
		t.Errorf("%d cells, want 12", n)
	}
	if v, _ := s.Value("profit"); v != 10000 {
		t.Errorf("session not restored: profit = %v", v)
	}
	one, err := s.DataTable([]string{"profit"}, rollup.Sweep{Input: "visits", Values: []float64{90000, 110000}})
	if err != nil {
		t.Fatal(err)
	}
	if !wiRel(one.At(0, 0, 0), 7000, 1e-12) || !wiRel(one.At(0, 1, 0), 13000, 1e-12) {
		t.Errorf("one-way table: %v %v", one.At(0, 0, 0), one.At(0, 1, 0))
	}
	for _, bad := range []func() error{
		func() error { _, err := s.DataTable(nil, rollup.Sweep{Input: "aov", Values: aov}); return err },
		func() error { _, err := s.DataTable([]string{"profit"}, rollup.Sweep{Input: "aov"}); return err },
		func() error {
			_, err := s.DataTable([]string{"profit"}, rollup.Sweep{Input: "aov", Values: aov}, rollup.Sweep{Input: "aov", Values: aov})
			return err
		},
	} {
		if err := bad(); !errors.Is(err, rollup.ErrInvalidArgument) {
			t.Errorf("bad table: %v", err)
		}
	}
}

func wiSplitLabel(label string) (target, input string) {
	// "profit=20000 solve visits ..." -> profit, visits
	f := strings.Fields(label)
	return strings.SplitN(f[0], "=", 2)[0], f[2]
}

func TestGoalSeekReference(t *testing.T) {
	c, ref := wiProfit(t)
	curve := wiCompile(t, wiMetric{id: "visits"}, wiMetric{id: "conversion"}, wiMetric{id: "aov"},
		wiMetric{"revenue", "visits*conversion*exp(-0.01*(aov-50))*aov"})
	for _, g := range ref.GoalSeek {
		t.Run(g.Label, func(t *testing.T) {
			model, target, input := c, "", ""
			if strings.HasPrefix(g.Label, "non-monotone") || strings.HasPrefix(g.Label, "infeasible") {
				model, target, input = curve, "revenue", "aov"
			} else {
				target, input = wiSplitLabel(g.Label)
			}
			s := wiSession(t, model, ref.Model.Base)
			before := slices.Clone(s.Values())
			opt := rollup.SeekOptions{Lo: g.Bracket[0], Hi: g.Bracket[1], Method: rollup.SeekBrent}
			res, err := s.GoalSeek(target, g.Target, input, opt)
			if !slices.Equal(before, s.Values()) {
				t.Errorf("session changed by goal seek")
			}
			if !g.OK {
				if err == nil {
					t.Fatalf("no error, want %q", g.Error)
				}
				checkSeekFailure(t, err, ref, g.Target)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wiCheck(t, "root", res.Value, g.Root, 1e-9)
			if res.Iterations != g.Iterations || res.Calls != g.Calls {
				t.Errorf("iterations, calls = %d, %d; scipy %d, %d", res.Iterations, res.Calls, g.Iterations, g.Calls)
			}
			// Auto: exact where the path is linear, else the same Brent run.
			auto, err := s.GoalSeek(target, g.Target, input, rollup.SeekOptions{Lo: g.Bracket[0], Hi: g.Bracket[1]})
			if err != nil {
				t.Fatal(err)
			}
			if g.AnalyticRoot != nil {
				if auto.Method != rollup.SeekExact {
					t.Errorf("method %v, want exact", auto.Method)
				}
				wiCheck(t, "exact root", auto.Value, *g.AnalyticRoot, 1e-12)
				wiCheck(t, "reached", auto.Reached, g.Target, 1e-12)
				// and without bounds
				free, err := s.GoalSeek(target, g.Target, input, rollup.SeekOptions{})
				if err != nil {
					t.Fatal(err)
				}
				wiCheck(t, "unbounded root", free.Value, *g.AnalyticRoot, 1e-12)
			} else {
				if auto.Method != rollup.SeekBrent || auto.Iterations != g.Iterations {
					t.Errorf("auto: %v in %d iterations, want brent in %d", auto.Method, auto.Iterations, g.Iterations)
				}
				wiCheck(t, "auto root", auto.Value, g.Root, 1e-9)
			}
		})
	}
}

func checkSeekFailure(t *testing.T, err error, ref *wiWhatIf, target float64) {
	t.Helper()
	var nm *rollup.NotMonotoneError
	var un *rollup.UnreachableError
	switch {
	case errors.As(err, &nm):
		if !errors.Is(err, rollup.ErrNotMonotone) {
			t.Error("NotMonotoneError does not match ErrNotMonotone")
		}
		if len(nm.Roots) != len(ref.NonMonotone.Roots) {
			t.Fatalf("roots %v, want %v", nm.Roots, ref.NonMonotone.Roots)
		}
		for i, r := range nm.Roots {
			wiCheck(t, "root", r, ref.NonMonotone.Roots[i], 1e-9)
		}
		if len(nm.TurningPoints) != 1 || !nm.TurningPoints[0].Max {
			t.Fatalf("turning points %+v, want one maximum", nm.TurningPoints)
		}
		wiCheck(t, "turning point", nm.TurningPoints[0].Input, ref.NonMonotone.MaxAt, 1e-7)
		wiCheck(t, "maximum", nm.TurningPoints[0].Target, ref.NonMonotone.MaxRev, 1e-12)
	case errors.As(err, &un):
		if !errors.Is(err, rollup.ErrUnreachable) {
			t.Error("UnreachableError does not match ErrUnreachable")
		}
		wiCheck(t, "reachable max", un.Max, ref.NonMonotone.MaxRev, 1e-12)
		if un.Min != 0 || un.Value != target {
			t.Errorf("reachable min %v, value %v", un.Min, un.Value)
		}
	default:
		t.Fatalf("error %v is neither NotMonotoneError nor UnreachableError", err)
	}
}

func TestGoalSeekErrors(t *testing.T) {
	c, ref := wiProfit(t)
	s := wiSession(t, c, ref.Model.Base)
	tests := []struct {
		name          string
		target, input string
		value         float64
		opt           rollup.SeekOptions
		want          error
		msg           string
	}{
		{"no path", "revenue", "cpv", 1, rollup.SeekOptions{}, rollup.ErrNoPath, "rollup: target does not depend on the input: revenue does not depend on cpv"},
		{"unknown", "revenue", "nope", 1, rollup.SeekOptions{}, rollup.ErrUnknownMetric, `rollup: unknown metric "nope"`},
		{"exact out of bounds", "revenue", "conversion", 120000, rollup.SeekOptions{Lo: 0, Hi: 0.022}, rollup.ErrUnreachable,
			"rollup: revenue cannot reach 120000 by changing conversion within [0, 0.022]: reachable values are 0 to 110000"},
		{"bad bounds", "revenue", "conversion", 1, rollup.SeekOptions{Lo: 1, Hi: 0}, rollup.ErrInvalidArgument, ""},
		{"exact on a linear path", "profit", "visits", 1, rollup.SeekOptions{Method: rollup.SeekExact}, nil, ""},
		{"NaN target", "profit", "visits", math.NaN(), rollup.SeekOptions{}, rollup.ErrInvalidArgument, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.GoalSeek(tt.target, tt.value, tt.input, tt.opt)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("message:\n got %s\nwant %s", err.Error(), tt.msg)
			}
		})
	}
	// a ratio: exact inversion in the reciprocal
	r := wiCompile(t, wiMetric{id: "cost"}, wiMetric{id: "customers"}, wiMetric{"cpa", "cost / customers"})
	rs := wiSession(t, r, map[string]float64{"cost": 5000, "customers": 40})
	res, err := rs.GoalSeek("cpa", 100, "customers", rollup.SeekOptions{})
	if err != nil || res.Method != rollup.SeekExact || !wiRel(res.Value, 50, 1e-12) {
		t.Errorf("cpa=100 by customers: %+v, %v", res, err)
	}
	// non-linear without bounds: bracketed by stepping out
	q := wiCompile(t, wiMetric{id: "x"}, wiMetric{"y", "x*x*x + x"})
	qs := wiSession(t, q, map[string]float64{"x": 1})
	res, err = qs.GoalSeek("y", 30, "x", rollup.SeekOptions{})
	if err != nil || res.Method != rollup.SeekBrent || !wiRel(res.Value, 3, 1e-12) {
		t.Errorf("x^3+x = 30: %+v, %v", res, err)
	}
	if _, err := qs.GoalSeek("y", 30, "x", rollup.SeekOptions{Method: rollup.SeekExact}); !errors.Is(err, rollup.ErrInvalidArgument) {
		t.Errorf("exact inversion of a cubic: %v", err)
	}
	// unreachable without bounds: x*x >= 0
	sq := wiCompile(t, wiMetric{id: "x"}, wiMetric{"y", "x*x + 1"})
	ss := wiSession(t, sq, map[string]float64{"x": 1})
	_, err = ss.GoalSeek("y", 0, "x", rollup.SeekOptions{})
	var un *rollup.UnreachableError
	if !errors.As(err, &un) || un.Min < 1-1e-9 || un.Min > 1+1e-6 {
		t.Errorf("x^2+1 = 0: %v (%+v)", err, un)
	}
}

func TestGoalSeekMany(t *testing.T) {
	c, ref := wiProfit(t)
	s := wiSession(t, c, ref.Model.Base)
	levers := []rollup.Lever{{Input: "visits", Weight: 1}, {Input: "conversion", Weight: 2}, {Input: "aov", Weight: 0}}
	tests := []struct {
		name  string
		alloc rollup.Allocation
		check func(t *testing.T, r rollup.SeekMany)
	}{
		{"equal", rollup.EqualChange, func(t *testing.T, r rollup.SeekMany) {
			// revenue = 100000 * f^3 for a common factor f
			f := math.Cbrt(121000.0 / 100000)
			for _, l := range r.Levers {
				wiCheck(t, l.Input+" change", l.Change, f-1, 1e-9)
			}
		}},
		{"weighted", rollup.Weighted, func(t *testing.T, r rollup.SeekMany) {
			// visits × f, conversion × f², aov held: f³ = 1.21
			f := math.Cbrt(1.21)
			wiCheck(t, "visits", r.Levers[0].Value, 100000*f, 1e-9)
			wiCheck(t, "conversion", r.Levers[1].Value, 0.02*f*f, 1e-9)
			if r.Levers[2].Value != 50 {
				t.Errorf("aov moved to %v", r.Levers[2].Value)
			}
		}},
		{"least change", rollup.LeastChange, func(t *testing.T, r rollup.SeekMany) {
			// a product: equal elasticities, so equal log changes
			wiCheck(t, "visits vs aov", r.Levers[0].Change, r.Levers[2].Change, 1e-9)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.GoalSeekMany("revenue", 121000, levers, tt.alloc)
			if err != nil {
				t.Fatal(err)
			}
			wiCheck(t, "reached", r.Reached, 121000, 1e-12)
			tt.check(t, r)
			if v, _ := s.Value("revenue"); v != 100000 {
				t.Errorf("session not restored")
			}
		})
	}
	// direction: raising profit lowers the cost levers
	r, err := s.GoalSeekMany("profit", 12000, []rollup.Lever{{Input: "aov"}, {Input: "cpv"}}, rollup.EqualChange)
	if err != nil {
		t.Fatal(err)
	}
	if !(r.Levers[0].Change > 0 && r.Levers[1].Change < 0) || !wiRel(math.Log1p(r.Levers[0].Change), -math.Log1p(r.Levers[1].Change), 1e-9) {
		t.Errorf("profit levers: %+v", r.Levers)
	}
	// bounds: aov capped at 52, visits carries the rest
	r, err = s.GoalSeekMany("revenue", 121000, []rollup.Lever{{Input: "aov", Hi: 52, Lo: 1}, {Input: "visits"}}, rollup.EqualChange)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Levers[0].AtBound || r.Levers[0].Value != 52 {
		t.Errorf("aov not at its bound: %+v", r.Levers[0])
	}
	wiCheck(t, "visits", r.Levers[1].Value, 121000/(0.02*52), 1e-9)
	// unreachable: every lever bounded
	_, err = s.GoalSeekMany("revenue", 1e9, []rollup.Lever{{Input: "aov", Lo: 1, Hi: 60}}, rollup.EqualChange)
	var un *rollup.UnreachableError
	if !errors.As(err, &un) || !wiRel(un.Max, 120000, 1e-9) {
		t.Errorf("bounded levers: %v", err)
	}
	if _, err := s.GoalSeekMany("revenue", 1, []rollup.Lever{{Input: "cpv"}}, rollup.EqualChange); !errors.Is(err, rollup.ErrNoPath) {
		t.Errorf("lever without path: %v", err)
	}
}

func TestCascade(t *testing.T) {
	c, ref := wiProfit(t)
	s := wiSession(t, c, ref.Model.Base)
	ts, err := s.Cascade("revenue", 133100, rollup.CascadeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	var ids []string
	for _, x := range ts {
		got[x.Metric] = x.Target.Value
		ids = append(ids, x.Metric)
		if x.Target.Period != wiP {
			t.Errorf("%s target period %v", x.Metric, x.Target.Period)
		}
	}
	if want := []string{"visits", "conversion", "aov", "revenue"}; !slices.Equal(ids, want) {
		t.Errorf("targets for %v, want %v", ids, want)
	}
	// a product: every factor ×1.1
	for id, w := range map[string]float64{"visits": 110000, "conversion": 0.022, "aov": 55, "revenue": 133100} {
		wiCheck(t, id, got[id], w, 1e-9)
	}
	// a sum: proportional to shares
	sc := wiCompile(t, wiMetric{id: "eu"}, wiMetric{id: "us"}, wiMetric{"total", "eu + us"})
	ss := wiSession(t, sc, map[string]float64{"eu": 30, "us": 70})
	ts, err = ss.Cascade("total", 150, rollup.CascadeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !wiRel(ts[0].Target.Value, 45, 1e-9) || !wiRel(ts[1].Target.Value, 105, 1e-9) {
		t.Errorf("sum cascade: %+v", ts)
	}
	// profit: costs move down, consistent with every formula
	ts, err = s.Cascade("profit", 15000, rollup.CascadeOptions{Hold: []string{"fixed_cost"}, Weights: map[string]float64{"visits": 2}})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]float64{}
	for _, x := range ts {
		if c.IsInput(wiIndex(c, x.Metric)) {
			in[x.Metric] = x.Target.Value
		}
	}
	if in["fixed_cost"] != 20000 || !(in["cpv"] < 0.3) || !(in["visits"] > 100000) {
		t.Errorf("profit cascade inputs %v", in)
	}
	wiCheck(t, "visits vs aov (weight 2)", math.Log(in["visits"]/100000), 2*math.Log(in["aov"]/50), 1e-9)
	check := wiSession(t, c, in)
	for _, x := range ts {
		if v, _ := check.Value(x.Metric); !wiRel(v, x.Target.Value, 1e-9) {
			t.Errorf("%s target %v inconsistent with the model (%v)", x.Metric, x.Target.Value, v)
		}
	}
	m2, err := rollup.ApplyTargets(c.Model(), ts)
	if err != nil {
		t.Fatal(err)
	}
	if tg, ok := m2.Metric("profit").TargetFor(wiP); !ok || !wiRel(tg.Value, 15000, 1e-9) {
		t.Errorf("stored target %+v %v", tg, ok)
	}
	if len(c.Model().Metric("profit").Targets) != 0 {
		t.Error("ApplyTargets modified the original model")
	}
	if _, err := tree.Compile(m2); err != nil {
		t.Errorf("model with cascaded targets does not compile: %v", err)
	}
}

func wiIndex(c *tree.Compiled, id string) int {
	i, _ := c.Index(id)
	return i
}

func TestElasticityReference(t *testing.T) {
	c, ref := wiProfit(t)
	s := wiSession(t, c, ref.Model.Base)
	es, err := s.Elasticities("profit", rollup.ElasticityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != len(ref.Elasticity.Profit) {
		t.Fatalf("%d elasticities, want %d", len(es), len(ref.Elasticity.Profit))
	}
	for _, e := range es {
		w := ref.Elasticity.Profit[e.Input]
		// central differences of a function linear in each input are exact
		// up to rounding: 1e-9 holds with the default step
		wiCheck(t, e.Input+" derivative", e.Derivative, w.Derivative, 1e-9)
		wiCheck(t, e.Input+" point", e.Point, w.Point, 1e-9)
		wiCheck(t, e.Input+" arc", e.Arc, w.Arc, 1e-9)
	}
	es, err = s.Elasticities("revenue", rollup.ElasticityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		wiCheck(t, "revenue/"+e.Input, e.Point, ref.Elasticity.Revenue[e.Input], 1e-9)
	}
}

func TestTornadoReference(t *testing.T) {
	c, ref := wiProfit(t)
	s := wiSession(t, c, ref.Model.Base)
	tor, err := s.Tornado("profit", rollup.TornadoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for i, b := range tor.Bars {
		order = append(order, b.Input)
		w := ref.Tornado.PM10[i]
		if b.Input == w.Input {
			wiCheck(t, b.Input+" low", b.AtLow, w.AtLow, 1e-12)
			wiCheck(t, b.Input+" high", b.AtHigh, w.AtHigh, 1e-12)
			wiCheck(t, b.Input+" swing", b.Swing, w.Swing, 1e-12)
		}
		if b.Rank != i+1 {
			t.Errorf("rank %d at %d", b.Rank, i)
		}
	}
	// aov and conversion swing 12000 (to rounding), visits and cpv 6000
	if !slices.Equal(order, ref.Tornado.PM10Order) {
		t.Errorf("±10%% order %v, want %v", order, ref.Tornado.PM10Order)
	}
	var rs []rollup.Range
	for _, r := range ref.Tornado.Ranges {
		rs = append(rs, rollup.Range{Input: r.Input, Low: r.Low, High: r.High})
	}
	tor, err = s.Tornado("profit", rollup.TornadoOptions{Ranges: rs})
	if err != nil {
		t.Fatal(err)
	}
	order = order[:0]
	for i, b := range tor.Bars {
		order = append(order, b.Input)
		w := ref.Tornado.Ranges[i]
		wiCheck(t, b.Input+" at low", b.AtLow, w.AtLow, 1e-12)
		wiCheck(t, b.Input+" at high", b.AtHigh, w.AtHigh, 1e-12)
		wiCheck(t, b.Input+" swing", b.Swing, w.Swing, 1e-12)
		wiCheck(t, b.Input+" min", b.Min, w.Min, 1e-12)
		wiCheck(t, b.Input+" max", b.Max, w.Max, 1e-12)
	}
	if !slices.Equal(order, ref.Tornado.RangesOrder) {
		t.Errorf("range order %v, want %v", order, ref.Tornado.RangesOrder)
	}
	wiCheck(t, "base", tor.Base, ref.Tornado.BaseProfit, 0)
}

func TestTornadoExactTieKeepsDeclarationOrder(t *testing.T) {
	// y = 2a + b + 2c: a and c swing exactly alike; b is declared between
	c := wiCompile(t, wiMetric{id: "c"}, wiMetric{id: "b"}, wiMetric{id: "a"}, wiMetric{"y", "2*a + b + 2*c"})
	s := wiSession(t, c, map[string]float64{"a": 1, "b": 2, "c": 1})
	for range 3 {
		tor, err := s.Tornado("y", rollup.TornadoOptions{Pct: 50})
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, b := range tor.Bars {
			order = append(order, b.Input)
		}
		if want := []string{"c", "b", "a"}; !slices.Equal(order, want) {
			t.Fatalf("order %v, want %v (exact ties in declaration order)", order, want)
		}
	}
}
