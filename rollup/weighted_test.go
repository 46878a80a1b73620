package rollup_test

import (
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// weightedShop is a web shop whose average order value is weighted by
// orders, so that every rollup of revenue is the sum of its months.
func weightedShop(t *testing.T) (*tree.Compiled, rollup.Data) {
	t.Helper()
	c := compile(t, 0,
		metric.Metric{ID: "revenue", Formula: "orders * avg_order_value", Additive: true},
		metric.Metric{ID: "orders"},
		metric.Metric{ID: "avg_order_value", Aggregation: metric.Mean, Weight: "orders"},
		metric.Metric{ID: "shipments", Formula: "orders * 1"},
		metric.Metric{ID: "parcel_weight", Aggregation: metric.Mean, Weight: "shipments"},
		metric.Metric{ID: "freight", Formula: "shipments * parcel_weight"},
	)
	d := rollup.Data{}
	jan := per(t, "2027-01")
	for k := range 12 {
		f := float64(k)
		p := jan.Add(k)
		set(t, d, "orders", p, 20000+1500*f+300*math.Sin(f))
		set(t, d, "avg_order_value", p, 1650+10*f-40*math.Cos(f))
		set(t, d, "parcel_weight", p, 2+0.1*f)
	}
	return c, d
}

func set(t *testing.T, d rollup.Data, id string, p metric.Period, v float64) {
	t.Helper()
	if err := d.Set(id, p, v); err != nil {
		t.Fatal(err)
	}
}

func TestWeightedMeanAddsUp(t *testing.T) {
	c, d := weightedShop(t)
	months, err := rollup.Evaluate(c, d, per(t, "2027-01"), per(t, "2027-12"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sumOf := func(id string, from, to metric.Period) float64 {
		s := 0.0
		for p := from; !to.Before(p); p = p.Next() {
			v, ok := months.Value(id, p)
			if !ok {
				t.Fatalf("%s %s missing", id, p)
			}
			s += v
		}
		return s
	}
	quarters, err := rollup.Rollup(c, d, per(t, "2027-Q1"), per(t, "2027-Q4"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	year, err := rollup.Rollup(c, d, per(t, "2027"), per(t, "2027"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"revenue", "freight"} {
		for q := range 4 {
			from := per(t, "2027-01").Add(3 * q)
			want := sumOf(id, from, from.Add(2))
			got, ok := quarters.Value(id, per(t, "2027-Q1").Add(q))
			if !ok || !closeRel(got, want, 1e-12) {
				t.Errorf("Rollup %s Q%d = %v, want the sum of its months %v", id, q+1, got, want)
			}
			snap, err := months.Window(from, from.Add(2))
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := snap.Value(id); !closeRel(got, want, 1e-12) {
				t.Errorf("Window %s Q%d = %v, want %v", id, q+1, got, want)
			}
		}
		want := sumOf(id, per(t, "2027-01"), per(t, "2027-12"))
		if got, ok := year.Value(id, per(t, "2027")); !ok || !closeRel(got, want, 1e-12) {
			t.Errorf("Rollup %s 2027 = %v, want %v", id, got, want)
		}
	}
	// Track paces the same to-date value.
	target := metric.Target{Period: per(t, "2027"), Value: 5e8}
	p, err := rollup.Track(months, "revenue", target, per(t, "2027-09"), rollup.Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	if want := sumOf("revenue", per(t, "2027-01"), per(t, "2027-09")); !closeRel(p.ToDate, want, 1e-12) {
		t.Errorf("Track to date %v, want %v", p.ToDate, want)
	}
	// The unweighted mean would not add up: the test data is not trivial.
	aov, _ := quarters.Value("avg_order_value", per(t, "2027-Q1"))
	plain := 0.0
	for k := range 3 {
		v, _ := months.Value("avg_order_value", per(t, "2027-01").Add(k))
		plain += v / 3
	}
	if closeRel(aov, plain, 1e-9) {
		t.Errorf("weighted and unweighted means agree (%v): the test proves nothing", aov)
	}
}

func TestWeightedMeanBadWeights(t *testing.T) {
	c, d := weightedShop(t)
	set(t, d, "orders", per(t, "2027-02"), -5)
	set(t, d, "orders", per(t, "2027-04"), 0)
	set(t, d, "orders", per(t, "2027-05"), 0)
	set(t, d, "orders", per(t, "2027-06"), 0)
	q, err := rollup.Rollup(c, d, per(t, "2027-Q1"), per(t, "2027-Q2"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ period, want string }{
		{"2027-Q1", "its weight orders is -5 in 2027-02; weights must be non-negative"},
		{"2027-Q2", "its weight orders adds up to 0 over 2027-Q2"},
	} {
		if _, ok := q.Value("avg_order_value", per(t, tc.period)); ok {
			t.Errorf("%s: avg_order_value has a value", tc.period)
		}
		if why := q.Why("revenue", per(t, tc.period)); !strings.Contains(why, tc.want) {
			t.Errorf("%s: Why = %q, want %q", tc.period, why, tc.want)
		}
	}
	months, err := rollup.Evaluate(c, d, per(t, "2027-01"), per(t, "2027-06"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ from, to, want string }{
		{"2027-01", "2027-03", "avg_order_value is weighted by orders, which is -5 in 2027-02; weights must be non-negative"},
		{"2027-04", "2027-06", "avg_order_value is weighted by orders, which adds up to 0 over the window"},
	} {
		s, err := months.Window(per(t, tc.from), per(t, tc.to))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.Value("revenue"); ok {
			t.Errorf("%s..%s: revenue has a value", tc.from, tc.to)
		}
		if why := s.Why("revenue"); why != tc.want {
			t.Errorf("%s..%s: Why = %q, want %q", tc.from, tc.to, why, tc.want)
		}
	}
	// A missing weight makes the period incomplete, as a missing value does.
	delete(d, "orders")
	set(t, d, "orders", per(t, "2027-01"), 10)
	q, err = rollup.Rollup(c, d, per(t, "2027-Q1"), per(t, "2027-Q1"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if why := q.Why("avg_order_value", per(t, "2027-Q1")); !strings.Contains(why, "its weight orders has no value in 2027-02, 2027-03") {
		t.Errorf("Why = %q", why)
	}
}

// closeRel reports whether a and b agree to a relative tolerance.
func closeRel(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

// TestTrackRollupResult: a yearly target tracked on a quarterly Rollup
// result as of Q3 gives what the monthly result gives as of September.
func TestTrackRollupResult(t *testing.T) {
	c, d := weightedShop(t)
	months, err := rollup.Evaluate(c, d, per(t, "2027-01"), per(t, "2027-12"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	quarters, err := rollup.Rollup(c, d, per(t, "2027-Q1"), per(t, "2027-Q4"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	target := metric.Target{Period: per(t, "2027"), Value: 5e8}
	pm, err := rollup.Track(months, "revenue", target, per(t, "2027-09"), rollup.Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	pq, err := rollup.Track(quarters, "revenue", target, per(t, "2027-Q3"), rollup.Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	if !closeRel(pq.ToDate, pm.ToDate, 1e-12) || pq.Periods != 3 || pq.Total != 4 || pq.Elapsed != 0.75 || pq.Status != pm.Status {
		t.Errorf("quarterly %+v\nmonthly %+v", pq, pm)
	}
	if _, err := rollup.Track(quarters, "revenue", target, per(t, "2027-09"), rollup.Thresholds{}); err == nil || !strings.Contains(err.Error(), "asOf 2027-09 is not a quarter, the grain of the result") {
		t.Errorf("err = %v", err)
	}
}
