package main

import (
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
