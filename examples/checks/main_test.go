package main

import (
	"github.com/kpitree/kpitree/internal/addsup"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
	"strings"
	"testing"
)

// TestRun checks that the example finds what its history was built to show.
func TestRun(t *testing.T) {
	var b strings.Builder
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"causal.contradicted", "causal.supported", "mece.double-count", "mece.overlap", "logic.kpis-met-kgi-missed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if strings.Count(out, "causal.supported") != 3 {
		t.Errorf("want the three true links supported:\n%s", out)
	}
}

// TestAddsUp checks the web-shop flows over the 48 months of history.
func TestAddsUp(t *testing.T) {
	m, err := tree.LoadFile(modelPath())
	if err != nil {
		t.Fatal(err)
	}
	addDeviceSplit(m)
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	first, err := metric.Parse("2024-01")
	if err != nil {
		t.Fatal(err)
	}
	data, err := history(first)
	if err != nil {
		t.Fatal(err)
	}
	r, err := rollup.Evaluate(c, data, first, first.Add(47), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := addsup.Check(t, r); n == 0 {
		t.Error("nothing compared")
	}
}
