package main

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/internal/addsup"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

func TestRunPrints(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		// January: 500 customers + 45 new - 12 churned; churn 12/500.
		"2027-01   45       12        533  2.40%",
		// Quarterly churn is the quarter's churned over the opening customers.
		"40 / 500 = 8.00%",
		"2028-Q4  254       76     1437       1615       5.29%",
		"arr                    higher     2.40M    2028",
		"issue: new_mrr 2027-06: missing input: no observation",
		"why arr 2028-12 is missing: new_mrr 2027-06: missing input: no observation",
		"2027-06           78924        NaN  missing   73049  filled                 5875",
		"new MRR over 2028 must be 1.32 times its actual values",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	var again bytes.Buffer
	if err := run(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != out {
		t.Error("output differs between runs")
	}
}

// TestRollupRecomputes checks the rollup numbers against hand computation
// from the generated monthly data.
func TestRollupRecomputes(t *testing.T) {
	m, err := tree.LoadFile(modelPath())
	if err != nil {
		t.Fatal(err)
	}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	data, err := actuals(24)
	if err != nil {
		t.Fatal(err)
	}
	p := func(s string) metric.Period {
		t.Helper()
		q, err := metric.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	months, err := rollup.Evaluate(c, data, p("2027-01"), p("2028-12"), rollup.Options{Policy: rollup.Fail})
	if err != nil {
		t.Fatal(err)
	}
	quarters, err := rollup.Rollup(c, data, p("2027-Q1"), p("2028-Q4"), rollup.Options{Policy: rollup.Fail})
	if err != nil {
		t.Fatal(err)
	}
	sum := func(id string, from, to string) float64 {
		s := 0.0
		for q := range metric.Range(p(from), p(to)) {
			v, ok := data.Value(id, q)
			if !ok {
				t.Fatalf("no %s in %s", id, q)
			}
			s += v
		}
		return s
	}
	get := func(r *rollup.Result, id, at string) float64 {
		v, ok := r.Value(id, p(at))
		if !ok {
			t.Fatalf("%s %s not usable: %s", id, at, r.Why(id, p(at)))
		}
		return v
	}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"Q1 churn = churned / initial customers", get(quarters, "churn_rate", "2027-Q1"), sum("churned_customers", "2027-01", "2027-03") / 500},
		{"Q3 churn = churned / June customers", get(quarters, "churn_rate", "2027-Q3"), sum("churned_customers", "2027-07", "2027-09") / get(months, "customers", "2027-06")},
		{"Q2 MRR is June's MRR", get(quarters, "mrr", "2027-Q2"), get(months, "mrr", "2027-06")},
		{"Q4 customers are December's", get(quarters, "customers", "2028-Q4"), get(months, "customers", "2028-12")},
		{"ARR is 12 x MRR", get(months, "arr", "2028-12"), 12 * get(months, "mrr", "2028-12")},
		{"customers stock", get(months, "customers", "2027-03"), 500 + sum("new_customers", "2027-01", "2027-03") - sum("churned_customers", "2027-01", "2027-03")},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-9*math.Max(1, math.Abs(tt.want)) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestAddsUp checks the SaaS model: its derived metrics are stocks and
// ratios (last, mean), none a flow, so no window is compared; Check still
// fails if one of them sums over time without being declared additive.
func TestAddsUp(t *testing.T) {
	m, err := tree.LoadFile(modelPath())
	if err != nil {
		t.Fatal(err)
	}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	data, err := actuals(24)
	if err != nil {
		t.Fatal(err)
	}
	from, _ := metric.Parse(firstMonth)
	to, _ := metric.Parse(lastMonth)
	r, err := rollup.Evaluate(c, data, from, to, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := addsup.Check(t, r); n != 0 {
		t.Errorf("compared %d windows; the model declares no flow", n)
	}
}

// TestPlanByHand checks the plan's answers against the stock-and-flow
// arithmetic: December's MRR is the MRR carried in plus the year's flows,
// so scaling new MRR by k adds (k−1)·Σ new MRR to it.
func TestPlanByHand(t *testing.T) {
	m, err := tree.LoadFile(modelPath())
	if err != nil {
		t.Fatal(err)
	}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	data, err := actuals(24)
	if err != nil {
		t.Fatal(err)
	}
	from, _ := metric.Parse("2028-01")
	to, _ := metric.Parse("2028-12")
	r, err := rollup.Evaluate(c, data, from, to, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mrrDec, _ := r.Value("mrr", to)
	sumNew := 0.0
	for _, p := range r.Periods() {
		v, _ := r.Value("new_mrr", p)
		sumNew += v
	}
	plan := rollup.Plan{Compiled: c, Base: data, From: from, To: to}
	goal := rollup.Goal{Metric: "arr", Value: 2400000, Period: to}
	res, err := plan.GoalSeek(goal, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + (200000-mrrDec)/sumNew; math.Abs(res.Scale-want) > 1e-9*want {
		t.Errorf("scale %v, want %v", res.Scale, want)
	}
	flat := make([]float64, 12)
	for i := range flat {
		flat[i] = 1
	}
	res, err = plan.GoalSeek(goal, rollup.PlanLever{Input: "new_mrr", Profile: flat}, rollup.SeekOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (200000 - (mrrDec - sumNew)) / 12; math.Abs(res.Scale-want) > 1e-9*want {
		t.Errorf("flat new MRR %v, want %v", res.Scale, want)
	}
}
