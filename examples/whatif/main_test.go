package main

import (
	"bytes"
	"github.com/kpitree/kpitree/internal/addsup"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"2027-09 checkout        41921360 ->     46113496   +10.0%",
		// traffic is a lever: orders follow visitors, conversion is held
		"2027-09 paid +10%       41921360 ->     44118443    +5.2%",
		"conversion held at 7.30%: paid visits 174000 -> 198382 (exact)",
		"conversion_rate       0.07299 ->      0.07473",
		"paid visits 174000 -> 198382 (exact)",
		"cannot reach 4.5e+07 by changing paid_visits within [0, 180000]",
		"P(>= 4.5e+07) =",
		"contributions add up to +14.20M",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestAddsUp checks the web-shop flows over the example's data, for the
// actuals and for a scenario (which runs on the what-if model, where
// orders follow visitors and conversion is weighted by visitors).
func TestAddsUp(t *testing.T) {
	m, err := tree.LoadFile(modelPath())
	if err != nil {
		t.Fatal(err)
	}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	jan, _ := metric.Parse("2027-01")
	data := actuals(jan)
	r, err := rollup.Evaluate(c, data, jan, jan.Add(8), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := addsup.Check(t, r); n == 0 {
		t.Error("nothing compared")
	}
	s, err := rollup.NewScenario("paid +10%", nil).Scale("paid_visits", 10, rollup.Span{}).Evaluate(c, data, jan, jan.Add(8), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := addsup.Check(t, s); n == 0 {
		t.Error("nothing compared in the scenario")
	}
}
