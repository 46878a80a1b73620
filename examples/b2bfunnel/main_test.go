package main

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

func TestRunPrints(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"2027-01        320            96        67         31            8              4.0",
		"2027-Q2       1201   32.0%         383.9   71.8%     275.7   47.8%      131.7    24.9%         32.8             33",
		"new_clients         Head of sales          150     2027     156     103.8%      achieved",
		"inquiries           Marketing lead         500     2027-06  416     83.2%       off track",
		"Lowest conversion: close_rate (25.8%). Biggest gap to target: appointment_rate",
		"lead_response_days -> appointment_rate (sign -, lag 0, confidence 70%)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	var again bytes.Buffer
	if err := run(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != out {
		t.Error("output differs between runs")
	}
}

// TestQuarterByHand recomputes the second quarter's funnel from the
// generated monthly data.
func TestQuarterByHand(t *testing.T) {
	c, err := tree.Compile(model())
	if err != nil {
		t.Fatal(err)
	}
	data, err := actuals()
	if err != nil {
		t.Fatal(err)
	}
	q2 := period("2027-Q2")
	r, err := rollup.Rollup(c, data, q2, q2, rollup.Options{Policy: rollup.Fail})
	if err != nil {
		t.Fatal(err)
	}
	months := []string{"2027-04", "2027-05", "2027-06"}
	sum := func(id string) float64 {
		s := 0.0
		for _, m := range months {
			v, ok := data.Value(id, period(m))
			if !ok {
				t.Fatalf("no %s in %s", id, m)
			}
			s += v
		}
		return s
	}
	get := func(id string) float64 {
		v, ok := r.Value(id, q2)
		if !ok {
			t.Fatalf("%s not usable: %s", id, r.Why(id, q2))
		}
		return v
	}
	mean := func(id string) float64 { return sum(id) / 3 }
	appt := sum("inquiries") * mean("appointment_rate")
	meet := appt * mean("meeting_rate")
	prop := meet * mean("proposal_rate")
	tests := []struct {
		name      string
		got, want float64
	}{
		{"inquiries summed", get("inquiries"), 388 + 397 + 416},
		{"close rate is the mean of the months", get("close_rate"), mean("close_rate")},
		{"appointments", get("appointments"), appt},
		{"meetings", get("meetings"), meet},
		{"proposals", get("proposals"), prop},
		{"new clients", get("new_clients"), prop * mean("close_rate")},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-9*math.Max(1, math.Abs(tt.want)) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
