package stats

import (
	"math"
	"testing"
)

func TestQuantileSmall(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	tests := []struct {
		p    float64
		m    QuantileMethod
		want float64
	}{
		// numpy.quantile([1, 2, 3, 4], p, method=...)
		{0, QuantileLinear, 1},
		{0.25, QuantileLinear, 1.75},
		{0.5, QuantileLinear, 2.5},
		{0.9, QuantileLinear, 3.7},
		{1, QuantileLinear, 4},
		{0.1, QuantileInterpolatedInvertedCDF, 1},
		{0.25, QuantileInterpolatedInvertedCDF, 1},
		{0.5, QuantileInterpolatedInvertedCDF, 2},
		{0.6, QuantileInterpolatedInvertedCDF, 2.4},
		{1, QuantileInterpolatedInvertedCDF, 4},
		{0, QuantileInvertedCDF, 1},
		{0.25, QuantileInvertedCDF, 1},
		{0.26, QuantileInvertedCDF, 2},
		{0.5, QuantileInvertedCDF, 2},
		{0.75, QuantileInvertedCDF, 3},
		{1, QuantileInvertedCDF, 4},
	}
	for _, tt := range tests {
		if got := QuantileWith(x, tt.p, tt.m); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("QuantileWith(%g, %d) = %g, want %g", tt.p, tt.m, got, tt.want)
		}
	}
	if got := Quantile(x, 0.5); got != 2.5 {
		t.Errorf("Quantile(0.5) = %g, want 2.5", got)
	}
	for _, bad := range []struct {
		x []float64
		p float64
		m QuantileMethod
	}{{nil, 0.5, QuantileLinear}, {x, -0.1, QuantileLinear}, {x, 1.1, QuantileLinear}, {x, math.NaN(), QuantileLinear}, {x, 0.5, 9}} {
		if got := QuantileWith(bad.x, bad.p, bad.m); !math.IsNaN(got) {
			t.Errorf("QuantileWith(%v, %g, %d) = %g, want NaN", bad.x, bad.p, bad.m, got)
		}
	}
}

func TestPercentileOfScore(t *testing.T) {
	a := []float64{1, 2, 3, 3, 4}
	tests := []struct {
		score float64
		want  PercentileRanks
	}{
		// scipy.stats.percentileofscore(a, score, kind=...)
		{3, PercentileRanks{Rank: 70, Weak: 80, Strict: 40, Mean: 60}},
		{2.5, PercentileRanks{Rank: 40, Weak: 40, Strict: 40, Mean: 40}},
		{0, PercentileRanks{}},
		{5, PercentileRanks{Rank: 100, Weak: 100, Strict: 100, Mean: 100}},
	}
	for _, tt := range tests {
		got := PercentileOfScore(a, tt.score)
		for _, f := range [][2]float64{{got.Rank, tt.want.Rank}, {got.Weak, tt.want.Weak}, {got.Strict, tt.want.Strict}, {got.Mean, tt.want.Mean}} {
			if math.Abs(f[0]-f[1]) > 1e-12 {
				t.Errorf("PercentileOfScore(%g) = %+v, want %+v", tt.score, got, tt.want)
				break
			}
		}
	}
	if got := PercentileOfScore(nil, 1); !math.IsNaN(got.Rank) {
		t.Errorf("empty sample: %+v, want NaN", got)
	}
	if got := PercentileOfScore([]float64{1, math.NaN()}, 1); !math.IsNaN(got.Weak) {
		t.Errorf("NaN in sample: %+v, want NaN", got)
	}
}
