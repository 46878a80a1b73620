package rollup_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
)

func TestNilDataSet(t *testing.T) {
	var d rollup.Data // the zero value
	if v, ok := d.Value("visitors", per(t, "2027-01")); ok {
		t.Fatalf("empty Data has %v", v)
	}
	if err := d.Set("visitors", per(t, "2027-01"), 300000); err != nil {
		t.Fatal(err)
	}
	if v, ok := d.Value("visitors", per(t, "2027-01")); !ok || v != 300000 {
		t.Errorf("Value = %v, %v", v, ok)
	}
	if err := d.Set("visitors", per(t, "2027-Q1"), 1); err == nil || !strings.Contains(err.Error(), "rollup: visitors: metric: cannot set 2027-Q1") {
		t.Errorf("mixed grains: %v", err)
	}
	if err := d.Set("visitors", metric.Period{}, 1); err == nil {
		t.Error("zero period: no error")
	}
}

func TestEvaluateReportsUnusedData(t *testing.T) {
	c := compile(t, 0,
		metric.Metric{ID: "revenue", Formula: "orders * aov"},
		metric.Metric{ID: "orders"},
		metric.Metric{ID: "aov", Aggregation: metric.Mean},
		metric.Metric{ID: "growth", Formula: "revenue - prev(revenue)"},
	)
	jan, feb := per(t, "2027-01"), per(t, "2027-02")
	base := func() rollup.Data {
		var d rollup.Data
		for _, p := range []metric.Period{jan, feb} {
			set(t, d2(&d), "orders", p, 100)
			set(t, d2(&d), "aov", p, 50)
		}
		set(t, d2(&d), "revenue", per(t, "2026-12"), 4000) // history prev() reads: used
		return d
	}
	tests := []struct {
		name string
		add  func(d *rollup.Data)
		want []string // issue strings; nil: none
		zero []string // under Policy Zero, if they differ
	}{
		{"clean", func(*rollup.Data) {}, nil, nil},
		{"unknown id", func(d *rollup.Data) {
			set(t, *d, "ordres", jan, 100)
			set(t, *d, "ordres", feb, 100)
		}, []string{`ordres 2027-01: unused data: no metric "ordres" in the model (did you mean "orders"?): 2 observations not used`}, nil},
		{"unknown id, no suggestion", func(d *rollup.Data) { set(t, *d, "weather", jan, 21) },
			[]string{`weather 2027-01: unused data: no metric "weather" in the model: 1 observation not used`}, nil},
		{"wrong grain", func(d *rollup.Data) {
			delete(*d, "aov")
			set(t, *d, "aov", per(t, "2027-Q1"), 50)
		}, []string{
			"aov 2027-01: missing input: no observation",
			"aov 2027-02: missing input: no observation",
			"aov 2027-Q1: unused data: recorded by quarter, the model is evaluated by month: 1 observation not used; record month values (Rollup aggregates them to coarser periods)",
		}, nil},
		{"derived value that agrees", func(d *rollup.Data) { set(t, *d, "revenue", jan, 5000) }, nil, nil},
		{"derived value that differs", func(d *rollup.Data) { set(t, *d, "revenue", feb, 5100) },
			[]string{"revenue 2027-02: unused data: recorded 5100, but revenue is derived: its formula gives 5000, the value used"}, nil},
		{"derived value where the formula has none", func(d *rollup.Data) {
			(*d)["orders"].Delete(feb)
			set(t, *d, "revenue", feb, 5100)
		}, []string{
			"orders 2027-02: missing input: no observation",
			"revenue 2027-02: unused data: recorded 5100, but revenue is derived and computed from its formula, which has no value here (orders 2027-02: missing input: no observation); the record is not used",
		}, []string{
			"orders 2027-02: missing input: no observation",
			"revenue 2027-02: unused data: recorded 5100, but revenue is derived: its formula gives 0 from values filled in with zero, the value used",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := base()
			tt.add(&d)
			for _, pol := range []rollup.Policy{rollup.Propagate, rollup.Fail, rollup.Zero} {
				r, err := rollup.Evaluate(c, d, jan, feb, rollup.Options{Policy: pol})
				var got []string
				for _, is := range r.Issues() {
					got = append(got, is.String())
				}
				want := tt.want
				if pol == rollup.Zero && tt.zero != nil {
					want = tt.zero
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s: issues\n%q\nwant\n%q", pol, got, want)
				}
				if failed := err != nil; failed != (pol == rollup.Fail && tt.want != nil) || err != nil && !errors.Is(err, rollup.ErrEvaluation) {
					t.Errorf("%s: err = %v", pol, err)
				}
			}
		})
	}
}

// d2 returns the Data d points at, so that set can fill a nil Data.
func d2(d *rollup.Data) rollup.Data {
	if *d == nil {
		*d = rollup.Data{}
	}
	return *d
}
