package main

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseBounds(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		in     string
		lo, hi float64
		err    string
	}{
		{"100..500", 100, 500, ""},
		{"..500", -inf, 500, ""},
		{"100..", 100, inf, ""},
		{" 1e3 .. 2_000 ", 1000, 2000, ""},
		{"500..100", 0, 0, "the low end must be below the high end"},
		{"100", 0, 0, "expected LO..HI"},
		{"a..b", 0, 0, "not a finite number"},
		{"..", 0, 0, ""}, // both open: no bounds
	}
	for _, tt := range tests {
		lo, hi, err := parseBounds("lever", tt.in)
		if tt.err != "" {
			var u *usageError
			if !errors.As(err, &u) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err %v, want a usage error with %q", tt.in, err, tt.err)
			}
			continue
		}
		if tt.in == ".." {
			if err != nil || !math.IsInf(lo, -1) || !math.IsInf(hi, 1) {
				t.Errorf("%q: %v %v %v", tt.in, lo, hi, err)
			}
			continue
		}
		if err != nil || lo != tt.lo || hi != tt.hi {
			t.Errorf("%q: got %v..%v (%v), want %v..%v", tt.in, lo, hi, err, tt.lo, tt.hi)
		}
	}
}

// FuzzParseBounds: no panic; what parses is an interval with lo < hi.
func FuzzParseBounds(f *testing.F) {
	for _, s := range []string{"1..2", "..", "-1e308..1e308", "NaN..1", "1..Inf", "..-0", "1_0..2_0", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lo, hi, err := parseBounds("lever", s)
		if err != nil {
			var u *usageError
			if !errors.As(err, &u) {
				t.Fatalf("%q: not a usage error: %v", s, err)
			}
			return
		}
		if !(lo < hi) || math.IsNaN(lo) || math.IsNaN(hi) {
			t.Fatalf("%q: accepted %v..%v", s, lo, hi)
		}
	})
}

func TestHoldCandidates(t *testing.T) {
	l, err := loadString(t, shopModel, "a.csv", "metric,period,value\nvisitors,2027-01,1\n")
	if err != nil {
		t.Fatal(err)
	}
	c := l.compiled
	idx := func(id string) int { i, _ := c.Index(id); return i }
	got := holdCandidates(c, idx("revenue"), []int{idx("visitors")})
	if len(got) != 1 || c.ID(got[0]) != "conversion_rate" {
		var ids []string
		for _, k := range got {
			ids = append(ids, c.ID(k))
		}
		t.Errorf("candidates %v, want [conversion_rate]", ids)
	}
	if got := holdCandidates(c, idx("revenue"), []int{idx("avg_order_value")}); len(got) != 0 {
		t.Errorf("avg_order_value reaches revenue directly, got candidates %v", got)
	}
}
