package rollup_test

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// per parses a calendar period or fails the test.
func per(t testing.TB, s string) metric.Period {
	t.Helper()
	p, err := metric.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fper parses a period under cal or fails the test.
func fper(t testing.TB, cal metric.Calendar, s string) metric.Period {
	t.Helper()
	p, err := cal.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// compile compiles a model of the given metrics (monthly unless grain is
// set) or fails the test.
func compile(t testing.TB, grain metric.Grain, ms ...metric.Metric) *tree.Compiled {
	t.Helper()
	c, err := tree.Compile(&tree.Model{Grain: grain, Metrics: ms})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// obs is test data: metric id -> period text -> value.
type obs map[string]map[string]float64

func (o obs) data(t testing.TB) rollup.Data {
	t.Helper()
	d := rollup.Data{}
	for id, vs := range o {
		for ps, v := range vs {
			if err := d.Set(id, per(t, ps), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	return d
}

// cell is an expected value and state; key "id@period".
type cell struct {
	v  float64
	st rollup.State
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func ptr(x float64) *float64 { return &x }

func sameFloat(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
}

func checkCells(t *testing.T, r *rollup.Result, want map[string]cell) {
	t.Helper()
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w := want[k]
		id, ps, _ := strings.Cut(k, "@")
		p := r.Periods()[0]
		found := false
		for _, q := range r.Periods() {
			if q.String() == ps {
				p, found = q, true
			}
		}
		if !found {
			t.Errorf("%s: period %s not evaluated", k, ps)
			continue
		}
		v, ok := r.Value(id, p)
		st := r.State(id, p)
		wantOK := w.st == rollup.OK || w.st == rollup.Filled || w.st == rollup.Partial
		if !sameFloat(v, w.v) || st != w.st || ok != wantOK {
			t.Errorf("%s = %v (%v, usable %v), want %v (%v)", k, v, st, ok, w.v, w.st)
		}
	}
}

// dump lists every value of r as "id period state value", in All order,
// with values written exactly (%b would do; 'g' -1 round-trips).
func dump(r *rollup.Result) []string {
	var out []string
	for cl, v := range r.All() {
		out = append(out, cl.Metric+" "+cl.Period.String()+" "+cl.State.String()+" "+fmtG(v))
	}
	return out
}

func issueStrings(is []rollup.Issue) []string {
	out := make([]string, len(is))
	for i, x := range is {
		out[i] = x.String()
	}
	return out
}

const noHistory = "missing history: prev() reaches before the data and the metric has no initial value"

var shop = []metric.Metric{
	{ID: "visitors"},
	{ID: "orders"},
	{ID: "aov", Aggregation: metric.Mean},
	{ID: "conversion", Formula: "orders / visitors", Aggregation: metric.Mean},
	{ID: "revenue", Formula: "visitors * conversion * aov"},
}

var mrr = []metric.Metric{
	{ID: "new_mrr"},
	{ID: "churned_mrr"},
	{ID: "mrr", Formula: "prev(mrr) + new_mrr - churned_mrr", Aggregation: metric.Last},
}

func TestEvaluate(t *testing.T) {
	nan := math.NaN()
	withInitial := slices.Clone(mrr)
	withInitial[2].Initial = ptr(100)
	lag2 := []metric.Metric{{ID: "x"}, {ID: "d2", Formula: "x - prev(x, 2)"}}
	lag3 := []metric.Metric{{ID: "x"}, {ID: "d3", Formula: "x - prev(x, 3)"}, {ID: "d1", Formula: "x - prev(x)"}}
	conditional := []metric.Metric{
		{ID: "visitors"}, {ID: "orders"},
		{ID: "big", Formula: "orders > 100 ? orders : visitors"},
		{ID: "safe_rate", Formula: "visitors > 0 ? orders / visitors : 0"},
	}
	tests := []struct {
		name     string
		metrics  []metric.Metric
		data     obs
		from, to string
		policy   rollup.Policy
		want     map[string]cell
		issues   []string
	}{
		{
			name:    "single period",
			metrics: shop,
			data:    obs{"visitors": {"2026-01": 1000}, "orders": {"2026-01": 30}, "aov": {"2026-01": 50}},
			from:    "2026-01", to: "2026-01",
			want: map[string]cell{
				"conversion@2026-01": {0.03, rollup.OK},
				"revenue@2026-01":    {1500, rollup.OK}, // 1000 * 0.03 * 50
				"aov@2026-01":        {50, rollup.OK},
			},
		},
		{
			name:    "multi-period prev reaches earlier periods and Initial",
			metrics: withInitial,
			data: obs{
				"new_mrr":     {"2026-01": 10, "2026-02": 20, "2026-03": 0},
				"churned_mrr": {"2026-01": 5, "2026-02": 0, "2026-03": 25},
			},
			from: "2026-01", to: "2026-03",
			want: map[string]cell{
				"mrr@2026-01": {105, rollup.OK}, // Initial 100 + 10 - 5
				"mrr@2026-02": {125, rollup.OK}, // 105 + 20 - 0
				"mrr@2026-03": {100, rollup.OK}, // 125 + 0 - 25
			},
		},
		{
			name:    "prev reads recorded history of a derived metric before from, ahead of Initial",
			metrics: withInitial,
			data: obs{
				"mrr":         {"2025-12": 200},
				"new_mrr":     {"2026-01": 10, "2026-02": 20},
				"churned_mrr": {"2026-01": 5, "2026-02": 0},
			},
			from: "2026-01", to: "2026-02",
			want: map[string]cell{
				"mrr@2026-01": {205, rollup.OK},
				"mrr@2026-02": {225, rollup.OK},
			},
		},
		{
			name:    "prev(x, 2) reaches two periods into the source's history",
			metrics: lag2,
			data:    obs{"x": {"2025-11": 1, "2025-12": 2, "2026-01": 4, "2026-02": 8, "2026-03": 16}},
			from:    "2026-01", to: "2026-03",
			want: map[string]cell{
				"d2@2026-01": {3, rollup.OK},  // 4 - 1 (history)
				"d2@2026-02": {6, rollup.OK},  // 8 - 2 (history)
				"d2@2026-03": {12, rollup.OK}, // 16 - 4 (evaluated)
			},
		},
		{
			name:    "missing history",
			metrics: lag2,
			data:    obs{"x": {"2025-12": 2, "2026-01": 4, "2026-02": 8}},
			from:    "2026-01", to: "2026-02",
			want: map[string]cell{
				"d2@2026-01": {nan, rollup.Missing},
				"d2@2026-02": {6, rollup.OK},
			},
			issues: []string{"x 2025-11: " + noHistory},
		},
		{
			name:    "every missing period of a deep prev is reported once",
			metrics: lag3,
			data:    obs{"x": {"2026-01": 1, "2026-02": 2, "2026-03": 4, "2026-04": 8}},
			from:    "2026-01", to: "2026-04",
			want: map[string]cell{
				"d3@2026-03": {nan, rollup.Missing},
				"d3@2026-04": {7, rollup.OK}, // 8 - 1
				"d1@2026-01": {nan, rollup.Missing},
				"d1@2026-02": {1, rollup.OK},
			},
			issues: []string{
				"x 2025-10: " + noHistory,
				"x 2025-12: " + noHistory,
				"x 2025-11: " + noHistory,
			},
		},
		{
			name:    "missing input makes dependants missing, even through a conditional",
			metrics: conditional,
			data:    obs{"visitors": {"2026-01": 50}, "orders": {"2026-01": 500, "2026-02": 500}},
			from:    "2026-01", to: "2026-02",
			want: map[string]cell{
				"big@2026-01":       {500, rollup.OK},
				"safe_rate@2026-01": {10, rollup.OK},
				"visitors@2026-02":  {nan, rollup.Missing},
				"big@2026-02":       {nan, rollup.Missing}, // the branch taken would not use visitors
				"safe_rate@2026-02": {nan, rollup.Missing},
			},
			issues: []string{"visitors 2026-02: missing input: no observation"},
		},
		{
			name:    "NaN and Inf in the data are NaNInput",
			metrics: shop,
			data: obs{
				"visitors": {"2026-01": nan, "2026-02": 100},
				"orders":   {"2026-01": 3, "2026-02": math.Inf(1)},
				"aov":      {"2026-01": 10, "2026-02": 10},
			},
			from: "2026-01", to: "2026-02",
			want: map[string]cell{
				"visitors@2026-01":   {nan, rollup.Missing},
				"conversion@2026-01": {nan, rollup.Missing},
				"revenue@2026-01":    {nan, rollup.Missing},
				"orders@2026-02":     {nan, rollup.Missing},
				"conversion@2026-02": {nan, rollup.Missing},
			},
			issues: []string{
				"visitors 2026-01: NaN input: the data holds NaN",
				"orders 2026-02: NaN input: the data holds +Inf",
			},
		},
		{
			name:    "division by zero is Invalid, and so is what uses it",
			metrics: shop,
			data:    obs{"visitors": {"2026-01": 0}, "orders": {"2026-01": 30}, "aov": {"2026-01": 50}},
			from:    "2026-01", to: "2026-01",
			want: map[string]cell{
				"conversion@2026-01": {math.Inf(1), rollup.Invalid},
				"revenue@2026-01":    {nan, rollup.Invalid}, // 0 * Inf
			},
			issues: []string{"conversion 2026-01: invalid result: division by zero: 30 / 0 at 1:8"},
		},
		{
			name:    "Zero fills missing inputs and invalid results and records them",
			metrics: shop,
			data:    obs{"orders": {"2026-01": 30}, "aov": {"2026-01": 50}},
			from:    "2026-01", to: "2026-01",
			policy: rollup.Zero,
			want: map[string]cell{
				"visitors@2026-01":   {0, rollup.Filled},
				"conversion@2026-01": {0, rollup.Filled},
				"revenue@2026-01":    {0, rollup.Filled},
				"orders@2026-01":     {30, rollup.OK},
			},
			issues: []string{
				"visitors 2026-01: missing input: no observation",
				"conversion 2026-01: invalid result: division by zero: 30 / 0 at 1:8",
			},
		},
		{
			name:    "Zero fills missing history",
			metrics: mrr,
			data:    obs{"new_mrr": {"2026-01": 10}, "churned_mrr": {"2026-01": 4}},
			from:    "2026-01", to: "2026-01",
			policy: rollup.Zero,
			want:   map[string]cell{"mrr@2026-01": {6, rollup.Filled}},
			issues: []string{"mrr 2025-12: " + noHistory},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := compile(t, 0, tc.metrics...)
			r, err := rollup.Evaluate(c, tc.data.data(t), per(t, tc.from), per(t, tc.to), rollup.Options{Policy: tc.policy})
			if err != nil {
				t.Fatal(err)
			}
			checkCells(t, r, tc.want)
			if diff := cmp.Diff(tc.issues, issueStrings(r.Issues())); diff != "" && (len(tc.issues) > 0 || len(r.Issues()) > 0) {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEvaluateFailPolicy(t *testing.T) {
	c := compile(t, 0, shop...)
	d := obs{"visitors": {"2026-01": 0, "2026-02": 100}, "orders": {"2026-01": 30, "2026-02": 4}, "aov": {"2026-01": 50}}.data(t)
	for _, pol := range []rollup.Policy{rollup.Propagate, rollup.Fail} {
		r, err := rollup.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-02"), rollup.Options{Policy: pol})
		if pol == rollup.Propagate {
			if err != nil {
				t.Fatalf("Propagate: %v", err)
			}
			continue
		}
		if !errors.Is(err, rollup.ErrEvaluation) {
			t.Fatalf("Fail: err = %v, want ErrEvaluation", err)
		}
		var ee *rollup.EvalError
		if !errors.As(err, &ee) {
			t.Fatalf("Fail: err is %T, want *EvalError", err)
		}
		want := []string{
			"conversion 2026-01: invalid result: division by zero: 30 / 0 at 1:8",
			"aov 2026-02: missing input: no observation",
		}
		if diff := cmp.Diff(want, issueStrings(ee.Issues)); diff != "" {
			t.Errorf("EvalError.Issues (-want +got):\n%s", diff)
		}
		wantMsg := "rollup: 2 problem(s):\n  " + strings.Join(want, "\n  ")
		if err.Error() != wantMsg {
			t.Errorf("Error() = %q, want %q", err.Error(), wantMsg)
		}
		// The result is still returned, as under Propagate.
		if r == nil {
			t.Fatal("Fail returned no result")
		}
		if v, ok := r.Value("conversion", per(t, "2026-02")); !ok || v != 0.04 {
			t.Errorf("conversion 2026-02 = %v, %v; want 0.04", v, ok)
		}
		if st := r.State("revenue", per(t, "2026-02")); st != rollup.Missing {
			t.Errorf("revenue 2026-02 state %v, want missing", st)
		}
	}
}

func TestEvalErrorTruncates(t *testing.T) {
	c := compile(t, 0, metric.Metric{ID: "x"})
	_, err := rollup.Evaluate(c, nil, per(t, "2026-01"), per(t, "2026-12"), rollup.Options{Policy: rollup.Fail})
	var ee *rollup.EvalError
	if !errors.As(err, &ee) || len(ee.Issues) != 12 {
		t.Fatalf("err = %v", err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 12 || lines[0] != "rollup: 12 problem(s):" || lines[11] != "  ... and 2 more" {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestWhy(t *testing.T) {
	ms := append(slices.Clone(shop), metric.Metric{ID: "growth", Formula: "revenue - prev(revenue)"})
	c := compile(t, 0, ms...)
	d := obs{
		"visitors": {"2026-01": 0, "2026-02": 100, "2026-03": 200},
		"orders":   {"2026-01": 30, "2026-02": 4, "2026-03": 10},
		"aov":      {"2026-01": 50, "2026-03": 20},
	}.data(t)
	r, err := rollup.Evaluate(c, d, per(t, "2026-01"), per(t, "2026-03"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id, p, want string
	}{
		{"orders", "2026-01", ""},
		{"conversion", "2026-01", "division by zero: 30 / 0 at 1:8"},
		{"aov", "2026-02", "aov 2026-02: missing input: no observation"},
		{"revenue", "2026-02", "aov 2026-02: missing input: no observation"},
		// Both roots: January's revenue is invalid, December's unknown.
		{"growth", "2026-01", "conversion 2026-01: invalid result: division by zero: 30 / 0 at 1:8; revenue 2025-12: " + noHistory},
		// March is fine itself; its prev() is February's missing revenue.
		{"growth", "2026-03", "aov 2026-02: missing input: no observation"},
		{"revenue", "2026-03", ""},
		{"nosuch", "2026-01", `no value for "nosuch" in 2026-01`},
		{"revenue", "2027-01", `no value for "revenue" in 2027-01`},
	}
	for _, tc := range tests {
		if got := r.Why(tc.id, per(t, tc.p)); got != tc.want {
			t.Errorf("Why(%s, %s) = %q, want %q", tc.id, tc.p, got, tc.want)
		}
	}
	// revenue in January: 0 * Inf * 50 is NaN, inherited from conversion.
	if got := r.Why("revenue", per(t, "2026-01")); got != "the formula could not be computed" {
		t.Errorf("Why(revenue, 2026-01) = %q", got)
	}
}

func TestResultAccessors(t *testing.T) {
	c := compile(t, 0, shop...)
	d := obs{
		"visitors": {"2026-01": 100, "2026-02": 200, "2026-03": 400},
		"orders":   {"2026-01": 1, "2026-02": 4, "2026-03": 4},
		"aov":      {"2026-01": 10, "2026-03": 10},
	}.data(t)
	from, to := per(t, "2026-01"), per(t, "2026-03")
	r, err := rollup.Evaluate(c, d, from, to, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Compiled() != c {
		t.Error("Compiled() is not the evaluated model")
	}
	if got, want := r.Periods(), []metric.Period{from, from.Next(), to}; !slices.Equal(got, want) {
		t.Errorf("Periods() = %v", got)
	}
	// Series skips the missing February.
	var got []string
	for p, v := range r.Series("revenue").All() {
		got = append(got, p.String()+"="+fmtG(v))
	}
	if want := []string{"2026-01=10", "2026-03=40"}; !slices.Equal(got, want) {
		t.Errorf("Series(revenue) = %v, want %v", got, want)
	}
	if s := r.Series("nosuch"); s.Len() != 0 {
		t.Errorf("Series(nosuch) has %d values", s.Len())
	}
	// All: period by period, in declaration order, with states.
	var cells []string
	for cl, v := range r.All() {
		cells = append(cells, cl.Metric+" "+cl.Period.String()+" "+cl.State.String()+" "+fmtG(v))
	}
	want := []string{
		"visitors 2026-01 ok 100", "orders 2026-01 ok 1", "aov 2026-01 ok 10", "conversion 2026-01 ok 0.01", "revenue 2026-01 ok 10",
		"visitors 2026-02 ok 200", "orders 2026-02 ok 4", "aov 2026-02 missing NaN", "conversion 2026-02 ok 0.02", "revenue 2026-02 missing NaN",
		"visitors 2026-03 ok 400", "orders 2026-03 ok 4", "aov 2026-03 ok 10", "conversion 2026-03 ok 0.01", "revenue 2026-03 ok 40",
	}
	if diff := cmp.Diff(want, cells); diff != "" {
		t.Errorf("All() (-want +got):\n%s", diff)
	}
	// All stops when asked.
	n := 0
	for range r.All() {
		n++
		if n == 4 {
			break
		}
	}
	if n != 4 {
		t.Errorf("All() did not stop: %d", n)
	}
	if v, ok := r.Value("nosuch", from); ok || !math.IsNaN(v) {
		t.Errorf("Value(nosuch) = %v, %v", v, ok)
	}
	if st := r.State("nosuch", from); st != rollup.Missing {
		t.Errorf("State(nosuch) = %v", st)
	}
}

func TestEvaluateErrors(t *testing.T) {
	c := compile(t, 0, shop...)
	weekly := compile(t, metric.Week, shop...)
	fy := metric.Calendar{FiscalYearStart: time.April}
	tests := []struct {
		name     string
		c        *tree.Compiled
		from, to metric.Period
		want     string
	}{
		{"wrong grain", c, per(t, "2026-Q1"), per(t, "2026-Q2"), "rollup: the model is evaluated by month, not by quarter (use Rollup for coarser periods)"},
		{"weekly model given months", weekly, per(t, "2026-01"), per(t, "2026-02"), "rollup: the model is evaluated by week, not by month (use Rollup for coarser periods)"},
		{"empty range", c, per(t, "2026-03"), per(t, "2026-01"), "rollup: empty period range 2026-03..2026-01"},
		{"mixed grains", c, per(t, "2026-01"), per(t, "2026-Q2"), "rollup: period range 2026-01..2026-Q2 mixes a month and a quarter"},
		{"zero period", c, per(t, "2026-01"), metric.Period{}, `rollup: invalid period range "2026-01".."": a period is missing`},
		{"mixed calendars", c, fper(t, fy, "FY2026-Q1"), per(t, "2026-Q3"), "rollup: period range FY2026-Q1..2026-Q3 mixes calendars (fiscal year starting in April and in January)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := rollup.Evaluate(tc.c, nil, tc.from, tc.to, rollup.Options{})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if r != nil {
				t.Error("a result came with the error")
			}
		})
	}
}

func TestLayeredAndSourceFunc(t *testing.T) {
	c := compile(t, 0, shop...)
	actuals := obs{"visitors": {"2026-01": 100}, "orders": {"2026-01": 5}, "aov": {"2026-01": 20}}.data(t)
	overrides := rollup.SourceFunc(func(id string, p metric.Period) (float64, bool) {
		if id == "orders" {
			return 10, true
		}
		return 0, false
	})
	r, err := rollup.Evaluate(c, rollup.Layered(nil, overrides, actuals), per(t, "2026-01"), per(t, "2026-01"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// orders from the override, the rest from actuals: 100 * 0.1 * 20.
	checkCells(t, r, map[string]cell{"conversion@2026-01": {0.1, rollup.OK}, "revenue@2026-01": {200, rollup.OK}})
	var empty rollup.Data
	if _, ok := empty.Value("x", per(t, "2026-01")); ok {
		t.Error("empty Data has a value")
	}
}

func TestStringers(t *testing.T) {
	tests := []struct{ got, want string }{
		{rollup.Propagate.String(), "propagate"},
		{rollup.Fail.String(), "fail"},
		{rollup.Zero.String(), "zero"},
		{rollup.Policy(9).String(), "Policy(9)"},
		{rollup.OK.String(), "ok"},
		{rollup.Partial.String(), "partial"},
		{rollup.MissingInput.String(), "missing input"},
		{rollup.NaNInput.String(), "NaN input"},
		{rollup.MissingHistory.String(), "missing history"},
		{rollup.InvalidResult.String(), "invalid result"},
		{rollup.PartialPeriod.String(), "partial period"},
		{rollup.IssueKind(0).String(), "IssueKind(0)"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
