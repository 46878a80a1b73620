package attrib

import (
	"fmt"
	"math"
)

// MixRateResult decomposes the change of the aggregate ratio
// R = sum_i N_i / sum_i D_i into mix (segment shares s_i = D_i / sum D) and
// rate (segment ratios r_i = N_i / D_i) effects. Slices are per segment.
type MixRateResult struct {
	Share0, Share1 []float64 // segment shares of the denominator
	Rate0, Rate1   []float64 // segment ratios
	R0, R1         float64   // aggregate ratios
	DeltaR         float64   // R1 - R0

	// Kitagawa (1955) symmetric split: rate_i = sbar_i (r_i^1 - r_i^0),
	// mix_i = (s_i^1 - s_i^0) rbar_i, with bars the two-period averages.
	// RateTotal + MixTotal = DeltaR.
	KitagawaRate, KitagawaMix []float64
	KitagawaRateTotal         float64
	KitagawaMixTotal          float64
	// MixCentred_i = (s_i^1 - s_i^0)(rbar_i - Rbar) with Rbar = (R0+R1)/2:
	// the same total as KitagawaMix (shares sum to one) but each segment's
	// mix effect is measured against the average ratio, so moving traffic
	// into a below-average segment shows as negative.
	MixCentred []float64

	// Laspeyres split: rate_i = s_i^0 dr_i, mix_i = ds_i r_i^0,
	// interaction_i = ds_i dr_i; the three totals sum to DeltaR.
	LaspeyresRate, LaspeyresMix, LaspeyresInteraction []float64
	LaspeyresRateTotal                                float64
	LaspeyresMixTotal                                 float64
	LaspeyresInteractionTotal                         float64
}

// MixRate decomposes the change of R = sum N / sum D between two periods
// given per-segment numerators and denominators. Denominators must be
// positive.
func MixRate(n0, d0, n1, d1 []float64) (MixRateResult, error) {
	m := len(n0)
	if m == 0 {
		return MixRateResult{}, fmt.Errorf("%w: no segments", ErrInvalidInput)
	}
	if len(d0) != m || len(n1) != m || len(d1) != m {
		return MixRateResult{}, fmt.Errorf("%w: segment counts differ (%d, %d, %d, %d)", ErrInvalidInput, len(n0), len(d0), len(n1), len(d1))
	}
	for _, c := range []struct {
		name string
		x    []float64
	}{{"n0", n0}, {"d0", d0}, {"n1", n1}, {"d1", d1}} {
		if err := checkVec(c.name, c.x); err != nil {
			return MixRateResult{}, err
		}
	}
	for i := 0; i < m; i++ {
		if d0[i] <= 0 || d1[i] <= 0 {
			return MixRateResult{}, fmt.Errorf("%w: denominator of segment %d is %g -> %g", ErrNonPositive, i, d0[i], d1[i])
		}
	}
	var r MixRateResult
	D0, D1 := sum(d0), sum(d1)
	r.R0, r.R1 = sum(n0)/D0, sum(n1)/D1
	r.DeltaR = r.R1 - r.R0
	mk := func() []float64 { return make([]float64, m) }
	r.Share0, r.Share1, r.Rate0, r.Rate1 = mk(), mk(), mk(), mk()
	r.KitagawaRate, r.KitagawaMix, r.MixCentred = mk(), mk(), mk()
	r.LaspeyresRate, r.LaspeyresMix, r.LaspeyresInteraction = mk(), mk(), mk()
	rbarAll := (r.R0 + r.R1) / 2
	for i := 0; i < m; i++ {
		s0, s1 := d0[i]/D0, d1[i]/D1
		q0, q1 := n0[i]/d0[i], n1[i]/d1[i]
		r.Share0[i], r.Share1[i], r.Rate0[i], r.Rate1[i] = s0, s1, q0, q1
		ds, dr := s1-s0, q1-q0
		sbar, rbar := (s0+s1)/2, (q0+q1)/2
		r.KitagawaRate[i] = sbar * dr
		r.KitagawaMix[i] = ds * rbar
		r.MixCentred[i] = ds * (rbar - rbarAll)
		r.LaspeyresRate[i] = s0 * dr
		r.LaspeyresMix[i] = ds * q0
		r.LaspeyresInteraction[i] = ds * dr
	}
	r.KitagawaRateTotal = sum(r.KitagawaRate)
	r.KitagawaMixTotal = sum(r.KitagawaMix)
	r.LaspeyresRateTotal = sum(r.LaspeyresRate)
	r.LaspeyresMixTotal = sum(r.LaspeyresMix)
	r.LaspeyresInteractionTotal = sum(r.LaspeyresInteraction)
	return r, nil
}

// RatioEffect splits the change of a ratio R = N/D into the parts due to
// the numerator and the denominator (LMDI): FromNumerator = L(R1,R0) ln(N1/N0),
// FromDenominator = -L(R1,R0) ln(D1/D0); they sum to R1 - R0.
type RatioEffect struct {
	LogMeanR        float64 // L(R1, R0)
	FromNumerator   float64
	FromDenominator float64
}

// RatioLMDI returns the numerator/denominator LMDI split of the change of
// N/D from (n0, d0) to (n1, d1). All four values must be positive.
func RatioLMDI(n0, d0, n1, d1 float64) (RatioEffect, error) {
	for _, v := range []float64{n0, d0, n1, d1} {
		if !finite(v) {
			return RatioEffect{}, fmt.Errorf("%w: non-finite value %g", ErrInvalidInput, v)
		}
		if v <= 0 {
			return RatioEffect{}, fmt.Errorf("%w: ratio LMDI needs positive totals, got N %g -> %g, D %g -> %g", ErrNonPositive, n0, n1, d0, d1)
		}
	}
	l := LogMean(n1/d1, n0/d0)
	return RatioEffect{
		LogMeanR:        l,
		FromNumerator:   l * math.Log(n1/n0),
		FromDenominator: -l * math.Log(d1/d0),
	}, nil
}
