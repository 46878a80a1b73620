package attrib

import (
	"errors"
	"math"
	"testing"
)

type mixrateFile struct {
	Cases []struct {
		Name     string
		N0, D0   []float64
		N1, D1   []float64
		Share0   []float64 `json:"share0"`
		Share1   []float64 `json:"share1"`
		Rate0    []float64 `json:"rate0"`
		Rate1    []float64 `json:"rate1"`
		R0, R1   float64
		DeltaR   float64 `json:"delta_R"`
		Kitagawa struct {
			Rate       []float64 `json:"rate_by_segment"`
			Mix        []float64 `json:"mix_by_segment"`
			RateTotal  float64   `json:"rate_total"`
			MixTotal   float64   `json:"mix_total"`
			MixCentred []float64 `json:"mix_centred_by_segment"`
		} `json:"kitagawa"`
		Laspeyres struct {
			Rate             []float64 `json:"rate_by_segment"`
			Mix              []float64 `json:"mix_by_segment"`
			Interaction      []float64 `json:"interaction_by_segment"`
			RateTotal        float64   `json:"rate_total"`
			MixTotal         float64   `json:"mix_total"`
			InteractionTotal float64   `json:"interaction_total"`
		} `json:"laspeyres"`
		NumDen struct {
			LogMeanR float64 `json:"logmean_R"`
			FromNum  float64 `json:"from_numerator"`
			FromDen  float64 `json:"from_denominator"`
		} `json:"numerator_denominator_lmdi"`
	} `json:"cases"`
}

func TestMixRateReference(t *testing.T) {
	var f mixrateFile
	load(t, "mixrate.json", &f)
	if len(f.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			r, err := MixRate(c.N0, c.D0, c.N1, c.D1)
			if err != nil {
				t.Fatal(err)
			}
			checkVecRel(t, "share0", r.Share0, c.Share0)
			checkVecRel(t, "share1", r.Share1, c.Share1)
			checkVecRel(t, "rate0", r.Rate0, c.Rate0)
			checkVecRel(t, "rate1", r.Rate1, c.Rate1)
			checkNum(t, "R0", r.R0, c.R0)
			checkNum(t, "R1", r.R1, c.R1)
			checkNum(t, "delta_R", r.DeltaR, c.DeltaR)
			k := c.Kitagawa
			checkVecRel(t, "kitagawa rate", r.KitagawaRate, k.Rate)
			checkVecRel(t, "kitagawa mix", r.KitagawaMix, k.Mix)
			checkNum(t, "kitagawa rate total", r.KitagawaRateTotal, k.RateTotal)
			checkNum(t, "kitagawa mix total", r.KitagawaMixTotal, k.MixTotal)
			checkVecRel(t, "mix centred", r.MixCentred, k.MixCentred)
			l := c.Laspeyres
			checkVecRel(t, "laspeyres rate", r.LaspeyresRate, l.Rate)
			checkVecRel(t, "laspeyres mix", r.LaspeyresMix, l.Mix)
			checkVecRel(t, "laspeyres interaction", r.LaspeyresInteraction, l.Interaction)
			checkNum(t, "laspeyres rate total", r.LaspeyresRateTotal, l.RateTotal)
			checkNum(t, "laspeyres mix total", r.LaspeyresMixTotal, l.MixTotal)
			checkNum(t, "laspeyres interaction total", r.LaspeyresInteractionTotal, l.InteractionTotal)
			// exactness
			tol := 1e-12 * math.Max(math.Abs(r.R0), math.Abs(r.R1))
			if d := r.KitagawaRateTotal + r.KitagawaMixTotal - r.DeltaR; math.Abs(d) > tol {
				t.Errorf("kitagawa residual %g", d)
			}
			if d := sum(r.MixCentred) - r.KitagawaMixTotal; math.Abs(d) > tol {
				t.Errorf("centred mix total differs by %g", d)
			}
			if d := r.LaspeyresRateTotal + r.LaspeyresMixTotal + r.LaspeyresInteractionTotal - r.DeltaR; math.Abs(d) > tol {
				t.Errorf("laspeyres residual %g", d)
			}
			// Simpson's paradox: every segment rate rises, the total falls.
			for i := range r.Rate0 {
				if r.Rate1[i] <= r.Rate0[i] {
					t.Errorf("segment %d rate did not rise", i)
				}
			}
			if r.DeltaR >= 0 {
				t.Errorf("total rate should fall")
			}

			e, err := RatioLMDI(sum(c.N0), sum(c.D0), sum(c.N1), sum(c.D1))
			if err != nil {
				t.Fatal(err)
			}
			checkNum(t, "logmean_R", e.LogMeanR, c.NumDen.LogMeanR)
			checkNum(t, "from_numerator", e.FromNumerator, c.NumDen.FromNum)
			checkNum(t, "from_denominator", e.FromDenominator, c.NumDen.FromDen)
			if d := e.FromNumerator + e.FromDenominator - r.DeltaR; math.Abs(d) > tol {
				t.Errorf("ratio LMDI residual %g", d)
			}
		})
	}
}

func TestMixRateErrors(t *testing.T) {
	one := []float64{1}
	tests := []struct {
		name           string
		n0, d0, n1, d1 []float64
		want           error
	}{
		{"empty", nil, nil, nil, nil, ErrInvalidInput},
		{"lengths", one, one, one, []float64{1, 2}, ErrInvalidInput},
		{"nan", []float64{math.NaN()}, one, one, one, ErrInvalidInput},
		{"zero denominator", one, []float64{0}, one, one, ErrNonPositive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := MixRate(tc.n0, tc.d0, tc.n1, tc.d1); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := RatioLMDI(0, 1, 1, 1); !errors.Is(err, ErrNonPositive) {
		t.Errorf("RatioLMDI zero: %v", err)
	}
	if _, err := RatioLMDI(math.Inf(1), 1, 1, 1); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("RatioLMDI inf: %v", err)
	}
}
