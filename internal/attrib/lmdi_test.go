package attrib

import (
	"errors"
	"math"
	"testing"
)

type lmdiFile struct {
	Cases []struct {
		decompCase
		LMDI struct {
			V0, V1              float64
			DeltaV              float64              `json:"delta_V"`
			RatioV              float64              `json:"ratio_V"`
			SegmentV0           []float64            `json:"segment_V0"`
			SegmentV1           []float64            `json:"segment_V1"`
			Weights             []float64            `json:"logmean_weights_segment"`
			LogMeanTotal        float64              `json:"logmean_total"`
			Additive            map[string]float64   `json:"additive"`
			AdditiveBySegment   map[string][]float64 `json:"additive_by_segment"`
			Share               map[string]float64   `json:"additive_share_of_change"`
			Multiplicative      map[string]float64   `json:"multiplicative"`
			AdditiveResidual    float64              `json:"additive_residual"`
			MultiplicativeResid float64              `json:"multiplicative_residual_ratio"`
		} `json:"lmdi_I"`
	} `json:"cases"`
}

func TestLMDIReference(t *testing.T) {
	var f lmdiFile
	load(t, "lmdi.json", &f)
	if len(f.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			x0, x1 := c.matrices(t)
			r, err := LMDI(x0, x1)
			if err != nil {
				t.Fatal(err)
			}
			w := c.LMDI
			checkNum(t, "V0", r.V0, w.V0)
			checkNum(t, "V1", r.V1, w.V1)
			if c.CheckV0 != nil {
				checkNum(t, "check_V0", r.V0, *c.CheckV0)
				checkNum(t, "check_V1", r.V1, *c.CheckV1)
			}
			checkNum(t, "delta_V", r.V1-r.V0, w.DeltaV)
			checkNum(t, "ratio_V", r.V1/r.V0, w.RatioV)
			checkVecRel(t, "segment_V0", r.SegmentV0, w.SegmentV0)
			checkVecRel(t, "segment_V1", r.SegmentV1, w.SegmentV1)
			checkVecRel(t, "weights", r.Weights, w.Weights)
			checkNum(t, "logmean_total", r.LogMeanTotal, w.LogMeanTotal)
			checkVecRel(t, "additive", r.Additive, byName(t, c.Factors, w.Additive))
			for k, name := range c.Factors {
				checkVecRel(t, "additive_by_segment "+name, r.AdditiveBySegment[k], w.AdditiveBySegment[name])
			}
			shares, err := Shares(r.Additive, r.V1-r.V0)
			if err != nil {
				t.Fatal(err)
			}
			checkVecRel(t, "share", shares, byName(t, c.Factors, w.Share))
			checkVecRel(t, "multiplicative", r.Multiplicative, byName(t, c.Factors, w.Multiplicative))
			// Residuals are rounding noise: ours and the reference's must both be tiny.
			scale := math.Max(math.Abs(r.V0), math.Abs(r.V1))
			resid := r.V1 - r.V0 - sum(r.Additive)
			if math.Abs(resid) > 1e-12*scale || math.Abs(w.AdditiveResidual) > 1e-12*scale {
				t.Errorf("additive residual %g (reference %g)", resid, w.AdditiveResidual)
			}
			prod := 1.0
			for _, d := range r.Multiplicative {
				prod *= d
			}
			ratio := prod / (r.V1 / r.V0)
			if math.Abs(ratio-1) > 1e-12 || math.Abs(w.MultiplicativeResid-1) > 1e-12 {
				t.Errorf("multiplicative residual ratio %v (reference %v)", ratio, w.MultiplicativeResid)
			}
			// Ang (2005) link: dV_k / ln D_k = L(V1, V0).
			for k := range r.Additive {
				if l := r.Additive[k] / math.Log(r.Multiplicative[k]); !near(l, w.LogMeanTotal, 1e-9, 0) {
					t.Errorf("link for factor %d: %v, want %v", k, l, w.LogMeanTotal)
				}
			}
		})
	}
}

func TestLogMean(t *testing.T) {
	tests := []struct {
		a, b, want float64
	}{
		{5, 5, 5},
		{0, 3, 0},
		{3, 0, 0},
		{0, 0, 0},
		{math.E, 1, (math.E - 1) / 1},
		{1 + 1e-12, 1, 1 + 0.5e-12},
	}
	for _, tc := range tests {
		got := LogMean(tc.a, tc.b)
		if !near(got, tc.want, 1e-14, 1e-300) && got != tc.want {
			t.Errorf("LogMean(%v,%v) = %.17g, want %.17g", tc.a, tc.b, got, tc.want)
		}
		if got2 := LogMean(tc.b, tc.a); got2 != got && !near(got2, got, 1e-15, 0) {
			t.Errorf("LogMean not symmetric: %v vs %v", got, got2)
		}
	}
	for _, bad := range [][2]float64{{-1, 2}, {math.NaN(), 1}, {math.Inf(1), 1}} {
		if !math.IsNaN(LogMean(bad[0], bad[1])) {
			t.Errorf("LogMean(%v) should be NaN", bad)
		}
	}
}

// TestLMDIZeros checks the zero-value rules against the small-value limit.
func TestLMDIZeros(t *testing.T) {
	// factors: a, b; segments: s0 normal, s1 new (a^0 = 0), s2 vanishing (b^1 = 0), s3 zero in both.
	x0 := [][]float64{{2, 0, 3, 0}, {5, 4, 2, 1}}
	x1 := [][]float64{{3, 6, 3, 0}, {4, 4, 0, 7}}
	r, err := LMDI(x0, x1)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.AdditiveBySegment[0][1]; got != 24 || r.AdditiveBySegment[1][1] != 0 {
		t.Errorf("new segment: %v, %v, want 24, 0", got, r.AdditiveBySegment[1][1])
	}
	if got := r.AdditiveBySegment[1][2]; got != -6 || r.AdditiveBySegment[0][2] != 0 {
		t.Errorf("vanishing segment: %v, %v, want -6, 0", r.AdditiveBySegment[0][2], got)
	}
	if r.AdditiveBySegment[0][3] != 0 || r.AdditiveBySegment[1][3] != 0 {
		t.Errorf("zero segment not zero")
	}
	if d := r.V1 - r.V0 - sum(r.Additive); math.Abs(d) > 1e-12 {
		t.Errorf("residual %g", d)
	}
	// compare the new segment with a small-value replacement
	eps := 1e-30
	y0 := [][]float64{{2, eps, 3, 0}, {5, 4, 2, 1}}
	s, err := LMDI(y0, x1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s.AdditiveBySegment[0][1]-24) > 1e-6 || math.Abs(s.AdditiveBySegment[1][1]) > 1e-6 {
		t.Errorf("small-value limit %v %v", s.AdditiveBySegment[0][1], s.AdditiveBySegment[1][1])
	}
	// two factors zero in the base share the appearance equally
	r2, err := LMDI([][]float64{{0}, {0}}, [][]float64{{2}, {3}})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Additive[0] != 3 || r2.Additive[1] != 3 || r2.Multiplicative != nil {
		t.Errorf("both zero: %+v", r2)
	}
}

func TestLMDIErrors(t *testing.T) {
	tests := []struct {
		name   string
		x0, x1 [][]float64
		want   error
	}{
		{"empty", nil, nil, ErrInvalidInput},
		{"factor count", [][]float64{{1}}, [][]float64{{1}, {2}}, ErrInvalidInput},
		{"no segments", [][]float64{{}}, [][]float64{{}}, ErrInvalidInput},
		{"ragged", [][]float64{{1, 2}, {1}}, [][]float64{{1, 2}, {1, 2}}, ErrInvalidInput},
		{"nan", [][]float64{{math.NaN()}}, [][]float64{{1}}, ErrInvalidInput},
		{"negative", [][]float64{{-1}}, [][]float64{{1}}, ErrNonPositive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := LMDI(tc.x0, tc.x1); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
