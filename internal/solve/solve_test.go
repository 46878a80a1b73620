package solve

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

type goalCase struct {
	Label      string     `json:"label"`
	Target     float64    `json:"target"`
	Bracket    [2]float64 `json:"bracket"`
	FLo        float64    `json:"f_lo_minus_target"`
	FHi        float64    `json:"f_hi_minus_target"`
	XTol       float64    `json:"xtol"`
	RTol       float64    `json:"rtol"`
	MaxIter    int        `json:"maxiter"`
	OK         bool       `json:"ok"`
	Root       float64    `json:"root"`
	Iterations int        `json:"iterations"`
	Calls      int        `json:"function_calls"`
	Converged  bool       `json:"converged"`
	Error      string     `json:"error"`
	Analytic   *float64   `json:"analytic_root"`
}

type whatif struct {
	Model struct {
		Base map[string]float64 `json:"base"`
	} `json:"model"`
	GoalSeek []goalCase `json:"goal_seek"`
	Curve    struct {
		MaxAt      float64    `json:"max_at_aov"`
		MaxRevenue float64    `json:"max_revenue"`
		Roots      [2]float64 `json:"analytic_roots_T110000_lambertw"`
	} `json:"non_monotone_curve"`
}

func loadWhatif(t *testing.T) whatif {
	t.Helper()
	b, err := os.ReadFile("testdata/whatif.json")
	if err != nil {
		t.Fatal(err)
	}
	var w whatif
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	return w
}

// model reproduces whatif.json's model section:
// revenue = visits*conversion*aov; cost = fixed_cost + visits*cpv + revenue*cogs_rate; profit = revenue - cost.
func revenue(p map[string]float64) float64 { return p["visits"] * p["conversion"] * p["aov"] }

func profit(p map[string]float64) float64 {
	r := revenue(p)
	// float64() rounds each product: no fused multiply-add on any architecture
	cost := p["fixed_cost"] + float64(p["visits"]*p["cpv"]) + float64(r*p["cogs_rate"])
	return r - cost
}

// curve is non_monotone_curve: revenue(aov) = 100000*0.02*exp(-0.01*(aov-50))*aov.
func curve(aov float64) float64 { return 100000 * 0.02 * math.Exp(-0.01*(aov-50)) * aov }

// goalFunc builds f(x) - target for a goal_seek label.
func goalFunc(t *testing.T, base map[string]float64, c goalCase) func(float64) float64 {
	t.Helper()
	if strings.HasPrefix(c.Label, "non-monotone") || strings.HasPrefix(c.Label, "infeasible") {
		return func(x float64) float64 { return curve(x) - c.Target }
	}
	var out func(map[string]float64) float64
	switch {
	case strings.HasPrefix(c.Label, "revenue="):
		out = revenue
	case strings.HasPrefix(c.Label, "profit="):
		out = profit
	default:
		t.Fatalf("unknown label %q", c.Label)
	}
	i := strings.Index(c.Label, "solve ")
	driver := strings.Fields(c.Label[i+len("solve "):])[0]
	if _, ok := base[driver]; !ok {
		t.Fatalf("unknown driver %q", driver)
	}
	return func(x float64) float64 {
		p := make(map[string]float64, len(base))
		for k, v := range base {
			p[k] = v
		}
		p[driver] = x
		return out(p) - c.Target
	}
}

func relClose(got, want, tol float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), 1e-300)
}

func TestBrentqGoalSeek(t *testing.T) {
	w := loadWhatif(t)
	if len(w.GoalSeek) == 0 {
		t.Fatal("no goal_seek cases")
	}
	for _, c := range w.GoalSeek {
		t.Run(c.Label, func(t *testing.T) {
			f := goalFunc(t, w.Model.Base, c)
			if got := f(c.Bracket[0]); !relClose(got, c.FLo, 1e-9) {
				t.Errorf("f(lo) = %v, want %v", got, c.FLo)
			}
			if got := f(c.Bracket[1]); !relClose(got, c.FHi, 1e-9) {
				t.Errorf("f(hi) = %v, want %v", got, c.FHi)
			}
			res, err := Brentq(f, c.Bracket[0], c.Bracket[1], &Options{XTol: c.XTol, RTol: c.RTol, MaxIter: c.MaxIter})
			if !c.OK {
				if !errors.Is(err, ErrNotBracketed) {
					t.Fatalf("err = %v, want ErrNotBracketed", err)
				}
				if !strings.Contains(err.Error(), c.Error) {
					t.Errorf("error %q does not contain %q", err, c.Error)
				}
				var nb *NotBracketedError
				if !errors.As(err, &nb) {
					t.Fatalf("error %T is not *NotBracketedError", err)
				}
				if nb.A != c.Bracket[0] || nb.B != c.Bracket[1] || !relClose(nb.FA, c.FLo, 1e-9) || !relClose(nb.FB, c.FHi, 1e-9) {
					t.Errorf("NotBracketedError = %+v, want f(a)=%v f(b)=%v", nb, c.FLo, c.FHi)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !relClose(res.Root, c.Root, 1e-9) {
				t.Errorf("root = %.17g, want %.17g", res.Root, c.Root)
			}
			if res.Iterations != c.Iterations || res.FunctionCalls != c.Calls || res.Converged != c.Converged {
				t.Errorf("iterations/calls/converged = %d/%d/%v, want %d/%d/%v",
					res.Iterations, res.FunctionCalls, res.Converged, c.Iterations, c.Calls, c.Converged)
			}
			if c.Analytic != nil && !relClose(res.Root, *c.Analytic, 1e-12) {
				t.Errorf("root = %.17g, analytic %.17g", res.Root, *c.Analytic)
			}
		})
	}
}

func TestBrentqDefaultsEqualReference(t *testing.T) {
	w := loadWhatif(t)
	c := w.GoalSeek[0]
	if DefaultXTol != c.XTol || DefaultRTol != c.RTol || DefaultMaxIter != c.MaxIter {
		t.Errorf("defaults %g/%g/%d, reference %g/%g/%d", DefaultXTol, DefaultRTol, DefaultMaxIter, c.XTol, c.RTol, c.MaxIter)
	}
}

func TestBrentqEndpointRoot(t *testing.T) {
	f := func(x float64) float64 { return x - 2 }
	for _, tc := range []struct{ a, b float64 }{{2, 5}, {-1, 2}} {
		res, err := Brentq(f, tc.a, tc.b, nil)
		if err != nil || res.Root != 2 || res.Iterations != 0 || res.FunctionCalls != 2 || !res.Converged {
			t.Errorf("[%g,%g]: %+v, %v", tc.a, tc.b, res, err)
		}
	}
}

func TestBrentqNoConvergence(t *testing.T) {
	f := func(x float64) float64 { return math.Cbrt(x - 1.234) }
	res, err := Brentq(f, -100, 100, &Options{MaxIter: 3})
	if !errors.Is(err, ErrNoConvergence) {
		t.Fatalf("err = %v, want ErrNoConvergence", err)
	}
	if res.Converged || res.Iterations != 3 || res.FunctionCalls != 5 {
		t.Errorf("result %+v", res)
	}
	res, err = Brentq(f, -100, 100, nil)
	if err != nil || math.Abs(res.Root-1.234) > 1e-11 {
		t.Errorf("default run: %+v %v", res, err)
	}
}

func TestBrentqInvalid(t *testing.T) {
	lin := func(x float64) float64 { return x }
	tests := []struct {
		name string
		f    func(float64) float64
		a, b float64
		opt  *Options
	}{
		{"negative xtol", lin, -1, 1, &Options{XTol: -1}},
		{"small rtol", lin, -1, 1, &Options{RTol: 1e-17}},
		{"negative maxiter", lin, -1, 1, &Options{MaxIter: -1}},
		{"nil f", nil, -1, 1, nil},
		{"nan bound", lin, math.NaN(), 1, nil},
		{"inf bound", lin, -1, math.Inf(1), nil},
		{"nan value", func(float64) float64 { return math.NaN() }, -1, 1, nil},
		{"nan inside", func(x float64) float64 {
			if x > -1 && x < 1 {
				return math.NaN()
			}
			return x
		}, -1, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Brentq(tc.f, tc.a, tc.b, tc.opt)
			if !errors.Is(err, ErrInvalidInput) {
				t.Errorf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
}

func TestScanNonMonotone(t *testing.T) {
	w := loadWhatif(t)
	nm := w.Curve
	var left goalCase
	for _, c := range w.GoalSeek {
		if strings.Contains(c.Label, "left branch") {
			left = c
		}
	}
	target := left.Target
	f := func(x float64) float64 { return curve(x) - target }
	// A grid whose first cell is the reference bracket [0,100]: the solve must
	// match scipy's iteration count there.
	res, err := Scan(f, 0, 1000, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Roots) != 2 {
		t.Fatalf("roots = %v, want 2", res.Roots)
	}
	for i, want := range nm.Roots {
		if !relClose(res.Roots[i], want, 1e-9) {
			t.Errorf("root %d = %.17g, analytic %.17g", i, res.Roots[i], want)
		}
	}
	for i, c := range []goalCase{left} {
		if res.Brackets[i] != c.Bracket {
			t.Errorf("bracket %d = %v, want %v", i, res.Brackets[i], c.Bracket)
		}
		if s := res.Solves[i]; s.Iterations != c.Iterations || s.FunctionCalls != c.Calls || !relClose(s.Root, c.Root, 1e-9) {
			t.Errorf("solve %d = %+v, want root %v it %d calls %d", i, s, c.Root, c.Iterations, c.Calls)
		}
	}
	if len(res.TurningPoints) != 1 || !res.TurningPoints[0].Max {
		t.Fatalf("turning points = %+v, want one maximum", res.TurningPoints)
	}
	tp := res.TurningPoints[0]
	if !relClose(tp.X, nm.MaxAt, 1e-6) || !relClose(tp.Y+target, nm.MaxRevenue, 1e-12) {
		t.Errorf("turning point %+v, want max %v at %v", tp, nm.MaxRevenue, nm.MaxAt)
	}

	// A finer grid that does not hit the maximum exactly.
	res, err = Scan(f, 0, 1000, 37, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Roots) != 2 || !relClose(res.Roots[0], nm.Roots[0], 1e-9) || !relClose(res.Roots[1], nm.Roots[1], 1e-9) {
		t.Errorf("roots = %v, want %v", res.Roots, nm.Roots)
	}
	if len(res.TurningPoints) != 1 || !relClose(res.TurningPoints[0].X, nm.MaxAt, 1e-6) ||
		!relClose(res.TurningPoints[0].Y+target, nm.MaxRevenue, 1e-12) {
		t.Errorf("turning points = %+v", res.TurningPoints)
	}
}

func TestScanInfeasible(t *testing.T) {
	w := loadWhatif(t)
	var c goalCase
	for _, g := range w.GoalSeek {
		if strings.HasPrefix(g.Label, "infeasible") {
			c = g
		}
	}
	f := func(x float64) float64 { return curve(x) - c.Target }
	res, err := Scan(f, 0, 1000, 50, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Roots) != 0 {
		t.Errorf("roots = %v, want none", res.Roots)
	}
	if !relClose(res.Max+c.Target, w.Curve.MaxRevenue, 1e-12) {
		t.Errorf("max reachable = %v, want %v", res.Max+c.Target, w.Curve.MaxRevenue)
	}
}

func TestScanGridZerosAndMinimum(t *testing.T) {
	// (x-1)(x-2)(x-3): zeros on grid points 1 and 3, a root at 2 between grid points, one max and one min.
	f := func(x float64) float64 { return (x - 1) * (x - 2) * (x - 3) }
	res, err := Scan(f, 0, 4, 8, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 2, 3}
	if len(res.Roots) != 3 {
		t.Fatalf("roots = %v", res.Roots)
	}
	for i := range want {
		if math.Abs(res.Roots[i]-want[i]) > 1e-12 {
			t.Errorf("roots = %v, want %v", res.Roots, want)
		}
	}
	if len(res.TurningPoints) != 2 || !res.TurningPoints[0].Max || res.TurningPoints[1].Max {
		t.Fatalf("turning points %+v", res.TurningPoints)
	}
	s := 1 / math.Sqrt(3)
	if math.Abs(res.TurningPoints[0].X-(2-s)) > 1e-6 || math.Abs(res.TurningPoints[1].X-(2+s)) > 1e-6 {
		t.Errorf("turning points %+v, want %v and %v", res.TurningPoints, 2-s, 2+s)
	}
}

func TestScanInvalid(t *testing.T) {
	lin := func(x float64) float64 { return x }
	tests := []struct {
		name   string
		f      func(float64) float64
		lo, hi float64
		n      int
		opt    *Options
	}{
		{"nil f", nil, 0, 1, 10, nil},
		{"lo>=hi", lin, 1, 1, 10, nil},
		{"nan", lin, math.NaN(), 1, 10, nil},
		{"small grid", lin, 0, 1, 1, nil},
		{"bad options", lin, 0, 1, 10, &Options{XTol: -1}},
		{"nan value", func(x float64) float64 { return math.Log(x - 0.5) }, 0, 1, 10, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Scan(tc.f, tc.lo, tc.hi, tc.n, tc.opt); !errors.Is(err, ErrInvalidInput) {
				t.Errorf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
}
