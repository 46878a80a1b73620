package metric

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seriesOf builds a series from "period=value" pairs parsed under c.
func seriesOf(t testing.TB, c Calendar, kv map[string]float64) *Series {
	t.Helper()
	s := &Series{}
	for k, v := range kv {
		if err := s.Set(mustParse(t, c, k), v); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// dump returns the series as "period=value" strings in order.
func dump(s *Series) []string {
	var out []string
	for p, v := range s.All() {
		b, _ := p.MarshalText()
		out = append(out, string(b)+"="+formatFloat(v))
	}
	return out
}

func formatFloat(v float64) string {
	b, _ := json.Marshal(v)
	if math.IsNaN(v) {
		return "NaN"
	}
	return string(b)
}

func TestSeriesBasics(t *testing.T) {
	var s Series // the zero value is ready to use
	if s.Len() != 0 || s.Grain() != 0 {
		t.Fatal("zero Series not empty")
	}
	if _, ok := s.First(); ok {
		t.Error("First on empty series")
	}
	mar, jan, feb := mustParse(t, Calendar{}, "2026-03"), mustParse(t, Calendar{}, "2026-01"), mustParse(t, Calendar{}, "2026-02")
	for _, pv := range []struct {
		p Period
		v float64
	}{{mar, 3}, {jan, 1}, {feb, math.NaN()}, {mar, 30}} {
		if err := s.Set(pv.p, pv.v); err != nil {
			t.Fatal(err)
		}
	}
	if s.Len() != 3 || s.Grain() != Month {
		t.Errorf("Len, Grain = %d, %v", s.Len(), s.Grain())
	}
	if v, ok := s.Get(mar); !ok || v != 30 {
		t.Errorf("Get(2026-03) = %v, %v; want the replaced 30", v, ok)
	}
	if v, ok := s.Get(feb); !ok || !math.IsNaN(v) {
		t.Errorf("Get(2026-02) = %v, %v; want NaN, present", v, ok)
	}
	if v, ok := s.Get(mustParse(t, Calendar{}, "2026-04")); ok || v != 0 {
		t.Errorf("Get(absent) = %v, %v", v, ok)
	}
	if _, ok := s.Get(mustParse(t, Calendar{}, "2026-Q1")); ok {
		t.Error("Get of another grain reported present")
	}
	if f, _ := s.First(); f != jan {
		t.Errorf("First = %v", f)
	}
	if l, _ := s.Last(); l != mar {
		t.Errorf("Last = %v", l)
	}
	if got := s.Periods(); !slices.Equal(got, []Period{jan, feb, mar}) {
		t.Errorf("Periods = %v", got)
	}
	if got := s.Values(); len(got) != 3 || got[0] != 1 || !math.IsNaN(got[1]) || got[2] != 30 {
		t.Errorf("Values = %v", got)
	}
	for range s.All() {
		break // stopping early must not panic
	}

	c := s.Clone()
	if err := c.Set(jan, 100); err != nil {
		t.Fatal(err)
	}
	c.Delete(mar)
	if v, _ := s.Get(jan); v != 1 || s.Len() != 3 || c.Len() != 2 {
		t.Error("Clone shares storage with the original")
	}

	s.Delete(feb)
	s.Delete(feb)                                 // absent: no-op
	s.Delete(mustParse(t, Calendar{}, "2026-Q1")) // other grain: no-op
	if got := dump(&s); !slices.Equal(got, []string{"2026-01=1", "2026-03=30"}) {
		t.Errorf("after Delete: %v", got)
	}
	s.Delete(jan)
	s.Delete(mar)
	if s.Len() != 0 || s.Grain() != 0 {
		t.Error("series not empty after deleting everything")
	}
	if err := s.Set(mustParse(t, Calendar{}, "2026-Q1"), 1); err != nil {
		t.Errorf("an emptied series should accept a new grain: %v", err)
	}
}

func TestSeriesNil(t *testing.T) {
	var s *Series
	if s.Len() != 0 || s.Grain() != 0 || len(s.Periods()) != 0 || len(s.Values()) != 0 || s.Clone().Len() != 0 {
		t.Error("nil Series not empty")
	}
	if _, ok := s.Get(mustParse(t, Calendar{}, "2026")); ok {
		t.Error("nil Series Get reported present")
	}
	if _, ok := s.Last(); ok {
		t.Error("nil Series Last reported present")
	}
	for range s.All() {
		t.Error("nil Series All yielded")
	}
	if r, inc, err := s.Rollup(Year, Sum); err != nil || r.Len() != 0 || inc != nil {
		t.Errorf("nil Series Rollup = %v, %v, %v", r, inc, err)
	}
}

func TestSeriesSetErrors(t *testing.T) {
	s := seriesOf(t, Calendar{}, map[string]float64{"2026-07": 1})
	tests := []struct {
		p    Period
		want string
	}{
		{Period{}, "zero Period"},
		{mustParse(t, Calendar{}, "2026-Q3"), "cannot set 2026-Q3: it is a quarter, the series holds month values"},
		{mustParse(t, Calendar{}, "2026-07-01"), "it is a day, the series holds month values"},
	}
	for _, tt := range tests {
		if err := s.Set(tt.p, 2); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Set(%v) error = %v, want one containing %q", tt.p, err, tt.want)
		}
	}
	q := seriesOf(t, april, map[string]float64{"FY2026-Q1": 1})
	err := q.Set(mustParse(t, Calendar{}, "2026-Q3"), 1)
	if err == nil || !strings.Contains(err.Error(), "its fiscal year starts in January, the series' in April") {
		t.Errorf("Set of a calendar quarter into a fiscal series: %v", err)
	}
	if s.Len() != 1 || q.Len() != 1 {
		t.Error("failed Set changed the series")
	}
}

func TestSeriesRollup(t *testing.T) {
	// Months of 2026 with gaps: Q1 complete, Q2 missing May, Q3 only
	// September, Q4 absent.
	months := map[string]float64{
		"2026-01": 1, "2026-02": 2, "2026-03": 3,
		"2026-04": 4, "2026-06": 6,
		"2026-09": 9,
	}
	s := seriesOf(t, Calendar{}, months)
	tests := []struct {
		agg  Aggregation
		want []string
	}{
		{Sum, []string{"2026-Q1=6", "2026-Q2=10", "2026-Q3=9"}},
		{Mean, []string{"2026-Q1=2", "2026-Q2=5", "2026-Q3=9"}},
		{Last, []string{"2026-Q1=3", "2026-Q2=6", "2026-Q3=9"}},
		{First, []string{"2026-Q1=1", "2026-Q2=4", "2026-Q3=9"}},
		{Min, []string{"2026-Q1=1", "2026-Q2=4", "2026-Q3=9"}},
		{Max, []string{"2026-Q1=3", "2026-Q2=6", "2026-Q3=9"}},
	}
	wantIncomplete := []string{"2026-Q2", "2026-Q3"}
	for _, tt := range tests {
		r, inc, err := s.Rollup(Quarter, tt.agg)
		if err != nil {
			t.Fatalf("Rollup(Quarter, %v): %v", tt.agg, err)
		}
		if got := dump(r); !slices.Equal(got, tt.want) {
			t.Errorf("Rollup(Quarter, %v) = %v, want %v", tt.agg, got, tt.want)
		}
		if got := strs(inc); !slices.Equal(got, wantIncomplete) {
			t.Errorf("Rollup(Quarter, %v) incomplete = %v, want %v", tt.agg, got, wantIncomplete)
		}
		if r.Grain() != Quarter {
			t.Errorf("rolled-up grain = %v", r.Grain())
		}
	}
	// Every month present: nothing incomplete, and a NaN propagates.
	full := &Series{}
	for p := range Range(mustParse(t, Calendar{}, "2026-01"), mustParse(t, Calendar{}, "2026-12")) {
		_ = full.Set(p, float64(p.Start().Month()))
	}
	r, inc, err := full.Rollup(Year, Sum)
	if err != nil || !slices.Equal(dump(r), []string{"2026=78"}) || inc != nil {
		t.Errorf("full year Sum = %v, %v, %v", dump(r), inc, err)
	}
	_ = full.Set(mustParse(t, Calendar{}, "2026-05"), math.NaN())
	r, _, _ = full.Rollup(Year, Max)
	if v, _ := r.Get(mustParse(t, Calendar{}, "2026")); !math.IsNaN(v) {
		t.Errorf("Max with a NaN month = %v, want NaN", v)
	}
	// Same grain copies.
	r, inc, err = s.Rollup(Month, Sum)
	if err != nil || !slices.Equal(dump(r), dump(s)) || inc != nil {
		t.Errorf("Rollup(Month) = %v, %v, %v", dump(r), inc, err)
	}
}

func strs(ps []Period) []string {
	var out []string
	for _, p := range ps {
		b, _ := p.MarshalText()
		out = append(out, string(b))
	}
	return out
}

func TestSeriesRollupDaysAndWeeks(t *testing.T) {
	// Every day of February 2024 (a leap year) plus 2024-03-01.
	days := &Series{}
	for p := range Range(mustParse(t, Calendar{}, "2024-02-01"), mustParse(t, Calendar{}, "2024-03-01")) {
		_ = days.Set(p, 1)
	}
	r, inc, err := days.Rollup(Month, Sum)
	if err != nil || !slices.Equal(dump(r), []string{"2024-02=29", "2024-03=1"}) || !slices.Equal(strs(inc), []string{"2024-03"}) {
		t.Errorf("days to months = %v, %v, %v", dump(r), strs(inc), err)
	}
	// Weeks go to the month of their Thursday: 2026-W01 (from 2025-12-29)
	// is in January, 2026-W05 (2026-01-26..02-01) too; January 2026 has
	// Thursdays 1, 8, 15, 22, 29, so five weeks.
	weeks := &Series{}
	for w := 1; w <= 6; w++ {
		_ = weeks.Set(mustParse(t, Calendar{}, "2026-W0"+string(rune('0'+w))), float64(w))
	}
	r, inc, err = weeks.Rollup(Month, Sum)
	if err != nil || !slices.Equal(dump(r), []string{"2026-01=15", "2026-02=6"}) || !slices.Equal(strs(inc), []string{"2026-02"}) {
		t.Errorf("weeks to months = %v, %v, %v", dump(r), strs(inc), err)
	}
	// 2026 has 53 ISO weeks.
	all := &Series{}
	for p := range Range(mustParse(t, Calendar{}, "2026-W01"), mustParse(t, Calendar{}, "2026-W53")) {
		_ = all.Set(p, 1)
	}
	r, inc, err = all.Rollup(Year, Sum)
	if err != nil || !slices.Equal(dump(r), []string{"2026=53"}) || inc != nil {
		t.Errorf("weeks to year = %v, %v, %v", dump(r), strs(inc), err)
	}
}

func TestSeriesRollupFiscal(t *testing.T) {
	s := seriesOf(t, april, map[string]float64{"FY2025-Q4": 10, "FY2026-Q1": 1, "FY2026-Q2": 2, "FY2026-Q3": 3, "FY2026-Q4": 4})
	r, inc, err := s.Rollup(Year, Last)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(r); !slices.Equal(got, []string{"FY2025@04=10", "FY2026@04=4"}) {
		t.Errorf("fiscal quarters to years = %v", got)
	}
	if got := strs(inc); !slices.Equal(got, []string{"FY2025@04"}) {
		t.Errorf("incomplete = %v", got)
	}
	want := mustParse(t, april, "FY2026")
	if p, _ := r.Last(); p != want || !p.Start().Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("last fiscal year = %v", p)
	}
}

func TestSeriesRollupErrors(t *testing.T) {
	s := seriesOf(t, Calendar{}, map[string]float64{"2026-Q1": 1})
	tests := []struct {
		g    Grain
		agg  Aggregation
		want string
	}{
		{Month, Sum, "cannot roll up a quarter series to month"},
		{0, Sum, "invalid grain"},
		{Year, 0, "invalid aggregation"},
		{Year, 12, "invalid aggregation"},
	}
	for _, tt := range tests {
		if _, _, err := s.Rollup(tt.g, tt.agg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Rollup(%v, %v) error = %v, want %q", tt.g, tt.agg, err, tt.want)
		}
	}
}

func TestSeriesJSON(t *testing.T) {
	s := seriesOf(t, Calendar{}, map[string]float64{"2026-03": -0.25, "2026-01": 1.5, "2026-02": 2, "2026-12": 1e21})
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"2026-01":1.5,"2026-02":2,"2026-03":-0.25,"2026-12":1e+21}`
	if string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var back Series
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(dump(s), dump(&back)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}

	// Fiscal series round-trip through the @MM form; keys in any order;
	// null is absent.
	f := seriesOf(t, october, map[string]float64{"FY2026-Q1": 1, "FY2026-Q2": 2})
	b, err = json.Marshal(f)
	if err != nil || string(b) != `{"FY2026-Q1@10":1,"FY2026-Q2@10":2}` {
		t.Errorf("fiscal Marshal = %s, %v", b, err)
	}
	var g Series
	if err := json.Unmarshal([]byte(`{"FY2026-Q2@10": 2, "FY2026-Q1@10": 1, "FY2026-Q3@10": null}`), &g); err != nil || !slices.Equal(dump(&g), dump(f)) {
		t.Errorf("fiscal Unmarshal = %v, %v", dump(&g), err)
	}

	// In a struct, and empty.
	type doc struct{ S *Series }
	b, err = json.Marshal(doc{&Series{}})
	if err != nil || string(b) != `{"S":{}}` {
		t.Errorf("empty = %s, %v", b, err)
	}
	var d doc
	if err := json.Unmarshal([]byte(`{"S":{"2026":3}}`), &d); err != nil || d.S.Len() != 1 {
		t.Errorf("struct Unmarshal = %+v, %v", d, err)
	}
	if err := json.Unmarshal([]byte(`{"S":null}`), &d); err != nil || d.S != nil {
		t.Errorf("null Unmarshal = %+v, %v", d, err)
	}
}

func TestSeriesJSONErrors(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1)} {
		s := seriesOf(t, Calendar{}, map[string]float64{"2026-01": 1, "2026-02": v})
		if _, err := json.Marshal(s); err == nil || !strings.Contains(err.Error(), "for 2026-02") {
			t.Errorf("Marshal with %v: %v", v, err)
		}
	}
	tests := []struct{ in, want string }{
		{`[1,2]`, "want a JSON object"},
		{`{"2026-13": 1}`, "month 13 out of range"},
		{`{"": 1}`, "empty period key"},
		{`{"2026-01": 1, "2026-01": 2}`, "period 2026-01 appears twice"},
		{`{"FY2026": 1, "2026": 2}`, "period 2026 appears twice"},
		{`{"2026-01": 1, "2026-Q1": 2}`, "it is a quarter, the series holds month values"},
		{`{"2026-01": "1"}`, "must be a number or null"},
		{`{"2026-01": [1]}`, "must be a number or null"},
		{`{"2026-01": 1e400}`, "out of range"},
		{`{"2026-01": 1`, "decoding series"},
		{`{"2026-01": 1} {}`, "data after the JSON object"},
		{``, "decoding series"},
	}
	for _, tt := range tests {
		s := seriesOf(t, Calendar{}, map[string]float64{"2025": 7})
		err := s.UnmarshalJSON([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("UnmarshalJSON(%s) error = %v, want one containing %q", tt.in, err, tt.want)
		}
		if got := dump(s); !slices.Equal(got, []string{"2025=7"}) {
			t.Errorf("failed UnmarshalJSON(%s) changed the series to %v", tt.in, got)
		}
	}
}
