package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/internal/addsup"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

func TestRun(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"2027-01    280000       6.00%       1650       27720000",
		// quarterly conversion is quarterly orders over quarterly visitors;
		// quarterly revenue is the sum of the months (AOV weighted by orders)
		"2027-Q1    859500   53386       6.21%       88640010",
		"revenue          500.0M 2027  309.5M   375.0M        412.7M     62%         0.83  at risk",
		"conversion_rate  8.00% 2027   6.64%    7.50%         6.85%      32%         0.43  off track",
		"branded_search   100k 2027    114k     75k           152k       114%        1.52  achieved",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestAddsUp checks that the model's flows (revenue, visitors) add up
// over every quarter-long window of the example's data.
func TestAddsUp(t *testing.T) {
	m, err := tree.LoadFile(modelPath())
	if err != nil {
		t.Fatal(err)
	}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	jan := metric.Of(metric.Month, mustDate("2027-01"))
	r, err := rollup.Evaluate(c, actuals(), jan, jan.Add(8), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := addsup.Check(t, r); n == 0 {
		t.Error("nothing compared")
	}
}
