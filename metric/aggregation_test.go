package metric

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestAggregationApply(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		a    Aggregation
		vals []float64
		want float64
		ok   bool
	}{
		{Sum, []float64{1, 2, 3.5}, 6.5, true},
		{Mean, []float64{1, 2, 3.5}, 6.5 / 3, true},
		{First, []float64{4, 2, 3}, 4, true},
		{Last, []float64{4, 2, 3}, 3, true},
		{Min, []float64{4, -2, 3}, -2, true},
		{Max, []float64{4, -2, 3}, 4, true},
		{Sum, []float64{7}, 7, true},
		{Max, []float64{math.Inf(-1)}, math.Inf(-1), true},
		// NaN propagates through arithmetic and through Min and Max
		// wherever it appears.
		{Sum, []float64{1, nan}, nan, true},
		{Mean, []float64{nan, 1}, nan, true},
		{Min, []float64{nan, 1, 2}, nan, true},
		{Min, []float64{1, 2, nan}, nan, true},
		{Max, []float64{1, nan, 2}, nan, true},
		{First, []float64{1, nan}, 1, true},
		{Last, []float64{1, nan}, nan, true},
		// Empty input and invalid aggregations.
		{Sum, nil, 0, false},
		{Max, []float64{}, 0, false},
		{0, []float64{1}, 0, false},
		{7, []float64{1}, 0, false},
	}
	for _, tt := range tests {
		got, ok := tt.a.Apply(tt.vals)
		same := got == tt.want || (math.IsNaN(got) && math.IsNaN(tt.want))
		if ok != tt.ok || !same {
			t.Errorf("%v.Apply(%v) = %v, %v; want %v, %v", tt.a, tt.vals, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseAggregation(t *testing.T) {
	for a := Sum; a <= Max; a++ {
		for _, s := range []string{a.String(), strings.ToUpper(a.String()), "\t" + a.String()} {
			if got, err := ParseAggregation(s); err != nil || got != a {
				t.Errorf("ParseAggregation(%q) = %v, %v; want %v", s, got, err, a)
			}
		}
		b, err := a.MarshalText()
		var back Aggregation
		if err != nil || back.UnmarshalText(b) != nil || back != a {
			t.Errorf("%v text round trip = %v, %v", a, back, err)
		}
	}
	for _, s := range []string{"avg", "Average", "MEAN"} {
		if got, err := ParseAggregation(s); err != nil || got != Mean {
			t.Errorf("ParseAggregation(%q) = %v, %v; want mean", s, got, err)
		}
	}
	for _, s := range []string{"", "median", "total"} {
		_, err := ParseAggregation(s)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Input != s || !strings.Contains(err.Error(), "want sum, mean") {
			t.Errorf("ParseAggregation(%q) error = %v", s, err)
		}
	}
	names := map[Aggregation]string{0: "", Sum: "sum", Mean: "mean", Last: "last", First: "first", Min: "min", Max: "max", 9: "Aggregation(9)"}
	for a, want := range names {
		if a.String() != want {
			t.Errorf("Aggregation(%d).String() = %q, want %q", uint8(a), a, want)
		}
	}
	if b, err := Aggregation(0).MarshalText(); err != nil || len(b) != 0 {
		t.Errorf("Aggregation(0).MarshalText() = %q, %v", b, err)
	}
	if _, err := Aggregation(9).MarshalText(); err == nil {
		t.Error("Aggregation(9).MarshalText() succeeded")
	}
	a := Max
	if err := a.UnmarshalText(nil); err != nil || a != 0 {
		t.Errorf("UnmarshalText(empty) = %v, %v", a, err)
	}
	if err := a.UnmarshalText([]byte("p90")); err == nil {
		t.Error("UnmarshalText(p90) succeeded")
	}
}

func TestAggregationApplyWeighted(t *testing.T) {
	tests := []struct {
		name    string
		agg     Aggregation
		vals, w []float64
		want    float64
		ok      bool
	}{
		{"weighted mean", Mean, []float64{10, 20}, []float64{1, 3}, 17.5, true},
		{"zero weight ignored", Mean, []float64{10, 20}, []float64{0, 2}, 20, true},
		{"equal weights are the mean", Mean, []float64{1, 2, 6}, []float64{5, 5, 5}, 3, true},
		{"sum ignores weights", Sum, []float64{1, 2}, []float64{9, 9}, 3, true},
		{"last ignores weights", Last, []float64{1, 2}, nil, 2, true},
		{"weights add up to 0", Mean, []float64{1, 2}, []float64{0, 0}, 0, false},
		{"negative weight", Mean, []float64{1, 2}, []float64{-1, 3}, 0, false},
		{"NaN weight", Mean, []float64{1, 2}, []float64{math.NaN(), 3}, 0, false},
		{"infinite weight", Mean, []float64{1, 2}, []float64{math.Inf(1), 3}, 0, false},
		{"lengths differ", Mean, []float64{1, 2}, []float64{1}, 0, false},
		{"empty", Mean, nil, nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.agg.ApplyWeighted(tt.vals, tt.w)
			if ok != tt.ok || ok && got != tt.want {
				t.Errorf("ApplyWeighted = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
