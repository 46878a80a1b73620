package check_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// shopModel is revenue = visitors × conversion × average order value with
// the conversion measured as orders / visitors; aov is weighted by orders
// or not.
func shopModel(aov metric.Metric) *tree.Model {
	return &tree.Model{Metrics: []metric.Metric{
		{ID: "revenue", Kind: metric.KGI, Formula: "visitors * conversion_rate * avg_order_value", Additive: true},
		{ID: "visitors", Kind: metric.KPI},
		{ID: "conversion_rate", Kind: metric.KPI, Unit: "ratio", Aggregation: metric.Mean, Formula: "orders / visitors"},
		{ID: "orders", Kind: metric.KPI},
		aov,
	}}
}

func shopData(first metric.Period, months int) rollup.Data {
	d := rollup.Data{}
	for k := range months {
		f := float64(k)
		p := first.Add(k)
		visitors := 280000 + 6500*f
		d.Set("visitors", p, visitors)
		d.Set("orders", p, math.Round(visitors*(0.06+0.0015*f+0.001*math.Sin(f))))
		d.Set("avg_order_value", p, 1650+10*f)
	}
	return d
}

// A flow recomputed from an unweighted average is not the sum of its
// months; the finding names the average and the weight that fixes it.
func ExampleAdditivity() {
	m := shopModel(metric.Metric{ID: "avg_order_value", Kind: metric.KPI, Aggregation: metric.Mean})
	c, err := tree.Compile(m)
	if err != nil {
		panic(err)
	}
	first := mustPeriod("2027-01")
	res, _ := rollup.Evaluate(c, shopData(first, 9), first, first.Add(8), rollup.Options{})
	fs, err := check.Additivity(c, res, check.Options{})
	if err != nil {
		panic(err)
	}
	for _, f := range fs {
		fmt.Println(f.Message)
		fmt.Println(f.Hint)
	}
	// Output:
	// revenue is declared additive, but its rollup over 2027-Q1 is 88620760 while its periods add up to 88640010 (-0.02%); 3 of 3 quarters and years differ. It depends on avg_order_value, aggregated by mean rather than summed.
	// give avg_order_value aggregation: mean with weight: orders
}

func TestAdditivity(t *testing.T) {
	first := mustPeriod("2027-01")
	tests := []struct {
		name   string
		aov    metric.Metric
		months int
		want   []string // substrings of the one finding; nil: none
	}{
		{"weighted mean adds up", metric.Metric{ID: "avg_order_value", Aggregation: metric.Mean, Weight: "orders"}, 12, nil},
		{"plain mean", metric.Metric{ID: "avg_order_value", Aggregation: metric.Mean}, 12,
			[]string{"5 of 5 quarters and years differ", "weight: orders"}},
		{"last value", metric.Metric{ID: "avg_order_value", Aggregation: metric.Last}, 12,
			[]string{"aggregated by last rather than summed", "aggregate avg_order_value as a mean weighted by"}},
		{"no whole quarter", metric.Metric{ID: "avg_order_value", Aggregation: metric.Mean}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := compile(t, shopModel(tt.aov))
			res, err := rollup.Evaluate(c, shopData(first, tt.months), first, first.Add(tt.months-1), rollup.Options{})
			if err != nil {
				t.Fatal(err)
			}
			fs, err := check.Additivity(c, res, check.Options{})
			if err != nil {
				t.Fatal(err)
			}
			all, err := check.Run(c, res, check.Options{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range all {
				if f.Rule == "rollup.not-additive" {
					n++
				}
			}
			if n != len(fs) {
				t.Errorf("Run reports %d rollup.not-additive findings, Additivity %d", n, len(fs))
			}
			if tt.want == nil {
				if len(fs) != 0 {
					t.Errorf("findings: %v", fs)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("findings: %v", fs)
			}
			f := fs[0]
			if f.Nodes[0] != "revenue" || f.Nodes[1] != "avg_order_value" || f.Severity != check.Warning {
				t.Errorf("finding %v", f)
			}
			text := f.Message + " " + f.Hint
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("finding lacks %q: %s", w, text)
				}
			}
			if rd := evidence(t, f, "relative_difference"); !(rd > 1e-9) {
				t.Errorf("relative difference %v", rd)
			}
			off := check.Options{Rules: check.Rules{Disable: []string{"rollup.not-additive"}}}
			if fs, _ := check.Additivity(c, res, off); len(fs) != 0 {
				t.Errorf("disabled rule reported %v", fs)
			}
		})
	}
}

func TestAdditivityDriverWeights(t *testing.T) {
	aov := metric.Metric{ID: "avg_order_value", Aggregation: metric.Mean, Weight: "orders"}
	tests := []struct {
		name   string
		driver func(m *metric.Metric)
		want   string // the hint; "" for no finding
	}{
		{"weighted", func(m *metric.Metric) { m.Driver, m.Weight = true, "visitors" }, ""},
		{"unweighted mean", func(m *metric.Metric) { m.Driver = true }, "give conversion_rate aggregation: mean with weight: visitors"},
		{"last", func(m *metric.Metric) { m.Driver, m.Aggregation = true, metric.Last }, "give conversion_rate aggregation: mean with weight: visitors"},
		{"not a driver", func(*metric.Metric) {}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := shopModel(aov)
			tt.driver(&m.Metrics[2])
			c := compile(t, m)
			fs, err := check.Additivity(c, nil, check.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if len(fs) != 0 {
					t.Errorf("findings %v", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Hint != tt.want || fs[0].Nodes[0] != "conversion_rate" || fs[0].Nodes[1] != "orders" ||
				!strings.Contains(fs[0].Message, "a scenario's orders over a quarter or a year will not be the sum of its periods") {
				t.Errorf("findings %v", fs)
			}
			all, _ := check.Run(c, nil, check.Options{})
			if len(all.ByRule("rollup.not-additive")) != 1 {
				t.Errorf("Run: %v", all)
			}
		})
	}
}
