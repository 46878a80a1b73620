package rollup

import (
	"testing"

	"github.com/kpitree/kpitree/metric"
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
