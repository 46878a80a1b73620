package main

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/internal/addsup"
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
		"2027-Q2       1201   32.0%         384.0   71.9%     276.0   47.8%      132.0    25.0%         33.0             33",
		"new_clients         Head of sales          150     2027     160     106.7%      achieved",
		"inquiries           Marketing lead         500     2027-06  416     83.2%       off track",
		"Lowest conversion: close_rate (26.0%). Biggest gap to target: appointment_rate",
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
	monthly, err := rollup.Evaluate(c, data, period(months[0]), period(months[2]), rollup.Options{Policy: rollup.Fail})
	if err != nil {
		t.Fatal(err)
	}
	get := func(id string) float64 {
		v, ok := r.Value(id, q2)
		if !ok {
			t.Fatalf("%s not usable: %s", id, r.Why(id, q2))
		}
		return v
	}
	// A rate's quarter is its months' mean weighted by the stage it
	// converts, so every stage of the quarter is the sum of its months.
	wmean := func(id, by string) float64 {
		num, den := 0.0, 0.0
		for _, m := range months {
			x, _ := data.Value(id, period(m))
			w, ok := monthly.Value(by, period(m))
			if !ok {
				t.Fatalf("no %s in %s", by, m)
			}
			num += x * w
			den += w
		}
		return num / den
	}
	monthSum := func(id string) float64 {
		s := 0.0
		for _, m := range months {
			v, _ := monthly.Value(id, period(m))
			s += v
		}
		return s
	}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"inquiries summed", get("inquiries"), 388 + 397 + 416},
		{"close rate weighted by proposals", get("close_rate"), wmean("close_rate", "proposals")},
		{"appointment rate weighted by inquiries", get("appointment_rate"), wmean("appointment_rate", "inquiries")},
		{"appointments", get("appointments"), monthSum("appointments")},
		{"meetings", get("meetings"), monthSum("meetings")},
		{"proposals", get("proposals"), monthSum("proposals")},
		{"new clients", get("new_clients"), monthSum("new_clients")},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-9*math.Max(1, math.Abs(tt.want)) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestAddsUp checks that every stage of the funnel adds up over every
// quarter-long window of the example's data.
func TestAddsUp(t *testing.T) {
	c, err := tree.Compile(model())
	if err != nil {
		t.Fatal(err)
	}
	data, err := actuals()
	if err != nil {
		t.Fatal(err)
	}
	r, err := rollup.Evaluate(c, data, period("2027-01"), period("2027-12"), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := addsup.Check(t, r); n == 0 {
		t.Error("nothing compared")
	}
}
