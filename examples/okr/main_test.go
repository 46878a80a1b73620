package main

import (
	"bytes"
	"github.com/kpitree/kpitree/internal/addsup"
	"github.com/kpitree/kpitree/metric"
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
		"Follow-up meetings from 7 to 21 a week",
		"okr.kr.restates-kpi [cs_meetings, cs, meetings]",
		"Bring conversion_rate back to 8%",
		"KR Raise orders from",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// TestAddsUp checks that the customer-success tree's flows (meetings,
// activated customers) add up over every three-week window.
func TestAddsUp(t *testing.T) {
	cycle, err := metric.Parse("2026-Q3")
	if err != nil {
		t.Fatal(err)
	}
	_, r, err := csTree(cycle)
	if err != nil {
		t.Fatal(err)
	}
	if n := addsup.Check(t, r); n == 0 {
		t.Error("nothing compared")
	}
}
