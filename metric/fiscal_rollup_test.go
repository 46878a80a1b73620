package metric

import (
	"testing"
	"time"
)

func TestCalendarIn(t *testing.T) {
	apr := Calendar{FiscalYearStart: time.April}
	cases := []struct {
		in   string
		g    Grain
		want string
		err  bool
	}{
		{"2026-05", Quarter, "FY2026-Q1", false},
		{"2026-05", Year, "FY2026", false},
		{"2027-03", Year, "FY2026", false},
		{"2026-03", Year, "FY2025", false},
		{"2026-04-01", Quarter, "FY2026-Q1", false},
		{"2026-W14", Quarter, "FY2026-Q1", false}, // Thursday 2026-04-02
		{"2026-Q2", Year, "FY2026", false},        // April to June, inside FY2026
		{"2026-Q1", Year, "FY2025", false},        // January to March 2026 closes FY2025
		{"2026", Year, "", true},                  // a calendar year spans two fiscal years
		{"2026-05", Day, "", true},                // finer
	}
	for _, tc := range cases {
		p, err := Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := apr.In(p, tc.g)
		if tc.err {
			if err == nil {
				t.Errorf("In(%s, %s) = %v, want an error", tc.in, tc.g, got)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("In(%s, %s) = %v, %v; want %s", tc.in, tc.g, got, err, tc.want)
		}
	}
}

func TestSeriesRollupIn(t *testing.T) {
	apr := Calendar{FiscalYearStart: time.April}
	var s Series
	start, _ := Parse("2026-01")
	for k := range 18 { // 2026-01 .. 2027-06
		if err := s.Set(start.Add(k), float64(k+1)); err != nil {
			t.Fatal(err)
		}
	}
	years, incomplete, err := s.RollupIn(apr, Year, Sum)
	if err != nil {
		t.Fatal(err)
	}
	// FY2025: Jan-Mar 2026 (1+2+3, incomplete); FY2026: Apr 2026 - Mar 2027 (4..15); FY2027: Apr-Jun 2027 (16+17+18, incomplete)
	want := map[string]float64{"FY2025": 6, "FY2026": 114, "FY2027": 51}
	if years.Len() != 3 {
		t.Fatalf("got %d fiscal years", years.Len())
	}
	for p, v := range years.All() {
		if want[p.String()] != v {
			t.Errorf("%s = %v, want %v", p, v, want[p.String()])
		}
	}
	if len(incomplete) != 2 || incomplete[0].String() != "FY2025" || incomplete[1].String() != "FY2027" {
		t.Errorf("incomplete = %v", incomplete)
	}
	qs, _, err := s.RollupIn(apr, Quarter, Last)
	if err != nil || qs.Len() != 6 {
		t.Fatalf("quarters: %v, %v", qs.Len(), err)
	}
	if v, _ := qs.Get(mustParseIn(t, apr, "FY2026-Q1")); v != 6 { // June 2026 is month 6
		t.Errorf("FY2026-Q1 last = %v", v)
	}
	if _, _, err := s.RollupIn(Calendar{FiscalYearStart: 13}, Year, Sum); err == nil {
		t.Error("invalid calendar accepted")
	}
}

func mustParseIn(t *testing.T, c Calendar, s string) Period {
	t.Helper()
	p, err := c.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
