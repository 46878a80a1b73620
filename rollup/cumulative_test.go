package rollup

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

func TestCumulativeRule(t *testing.T) {
	cases := []struct {
		m    metric.Metric
		want bool
	}{
		{metric.Metric{Unit: "USD"}, true},
		{metric.Metric{Unit: "ratio"}, false},
		{metric.Metric{Unit: "%"}, false},
		{metric.Metric{Unit: "ratio", Aggregation: metric.Sum}, true},
		{metric.Metric{Unit: "count", Aggregation: metric.Mean}, false},
		{metric.Metric{Unit: "count", Aggregation: metric.Last}, false},
		{metric.Metric{}, true},
	}
	for _, tc := range cases {
		if got := cumulative(&tc.m); got != tc.want {
			t.Errorf("unit %q aggregation %v: cumulative = %v, want %v", tc.m.Unit, tc.m.Aggregation, got, tc.want)
		}
	}
}

// TestGoalSeekCancellingInput: revenue = visitors * (orders / visitors) *
// aov uses visitors, but does not change with it; goal seek says so
// instead of reporting an unreachable range.
func TestGoalSeekCancellingInput(t *testing.T) {
	m := &tree.Model{Metrics: []metric.Metric{
		{ID: "revenue", Formula: "visitors * conversion * aov"},
		{ID: "conversion", Formula: "orders / visitors"},
		{ID: "visitors"}, {ID: "orders"}, {ID: "aov"},
	}}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := metric.Parse("2026-01")
	d := Data{}
	d.Set("visitors", p, 1000)
	d.Set("orders", p, 50)
	d.Set("aov", p, 20)
	s, err := NewSession(c, d, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.GoalSeek("revenue", 2000, "visitors", SeekOptions{})
	if !errors.Is(err, ErrNoPath) || !strings.Contains(err.Error(), "cancels out") {
		t.Errorf("err = %v", err)
	}
	// Holding conversion fixed makes revenue respond to visitors.
	if _, err := s.Set("conversion", 0.05); err != nil {
		t.Fatal(err)
	}
	r, err := s.GoalSeek("revenue", 2000, "visitors", SeekOptions{})
	if err != nil || math.Abs(r.Value-2000) > 1e-9 {
		t.Errorf("pinned: %v, %v", r.Value, err)
	}
}

// TestTrackReportsFilledValues: under Policy Zero, a to-date value built
// on a zero-filled month says so.
func TestTrackReportsFilledValues(t *testing.T) {
	m := &tree.Model{Metrics: []metric.Metric{{ID: "sales", Targets: []metric.Target{{Period: mustPeriod(t, "2026-Q1"), Value: 300}}}}}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	d := Data{}
	d.Set("sales", mustPeriod(t, "2026-01"), 100)
	d.Set("sales", mustPeriod(t, "2026-03"), 100) // February is missing
	for _, tc := range []struct {
		policy Policy
		state  State
	}{{Propagate, OK}, {Zero, Filled}} {
		r, _ := Evaluate(c, d, mustPeriod(t, "2026-01"), mustPeriod(t, "2026-03"), Options{Policy: tc.policy})
		p, err := Track(r, "sales", c.Metric(0).Targets[0], mustPeriod(t, "2026-03"), Thresholds{})
		if err != nil {
			t.Fatal(err)
		}
		if tc.policy == Propagate {
			if p.Status != NoData {
				t.Errorf("propagate: status %v, want no data", p.Status)
			}
			continue
		}
		if p.State != tc.state || p.ToDate != 200 || !strings.Contains(p.Note, "filled in with zero") {
			t.Errorf("zero: state %v, to date %v, note %q", p.State, p.ToDate, p.Note)
		}
	}
}

func mustPeriod(t *testing.T, s string) metric.Period {
	t.Helper()
	p, err := metric.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestClearErrorsForMisuse(t *testing.T) {
	c, data, jan := func() (*tree.Compiled, Data, metric.Period) {
		m := &tree.Model{Metrics: []metric.Metric{{ID: "revenue", Formula: "a * b"}, {ID: "a"}, {ID: "b"}}}
		c, err := tree.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		p := mustPeriod(t, "2026-01")
		d := Data{}
		d.Set("a", p, 2)
		d.Set("b", p, 3)
		return c, d, p
	}()
	s, err := NewSession(c, data, jan, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Cascade("a", 10, CascadeOptions{}); !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "a is an input") {
		t.Errorf("cascade on an input: %v", err)
	}
	r, _ := Evaluate(c, data, jan, jan, Options{})
	if _, err := Track(r, "revenue", metric.Target{Value: 5}, jan, Thresholds{}); err == nil || !strings.Contains(err.Error(), "has no period") {
		t.Errorf("target without period: %v", err)
	}
}
