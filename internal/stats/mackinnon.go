package stats

import (
	"fmt"
	"math"
)

// Regression names the deterministic terms of a Dickey-Fuller regression,
// using MacKinnon's (and statsmodels') notation.
type Regression string

// Supported deterministic terms.
const (
	// RegressionNone has no deterministic terms ("n").
	RegressionNone Regression = "n"
	// RegressionConstant includes a constant ("c"); this is the default.
	RegressionConstant Regression = "c"
	// RegressionConstantTrend includes a constant and a linear time trend ("ct").
	RegressionConstantTrend Regression = "ct"
)

// mackinnonTable holds, for one regression and N = 1 (a single I(1) series, the
// Dickey-Fuller case), the response-surface coefficients published by MacKinnon.
//
// The p-value coefficients are from MacKinnon (1994), "Approximate asymptotic
// distribution functions for unit-root and cointegration tests", JBES 12(2),
// tables 3 and 4 (as tabulated in statsmodels.tsa.adfvalues): below tauStar the
// small-p polynomial (degree 2) is used, above it the large-p polynomial
// (degree 3); outside [tauMin, tauMax] the p-value is 0 or 1. The published
// coefficients are scaled: the small-p ones by (1, 1, 1e-2) and the large-p
// ones by (1, 1e-1, 1e-1, 1e-2).
//
// The critical values are from MacKinnon (2010), "Critical values for
// cointegration tests", Queen's Economics Department WP 1227, table 2:
// crit(T) = b0 + b1/T + b2/T² + b3/T³ for the 1%, 5% and 10% levels (the "n"
// case keeps the 1996 values, as statsmodels does).
type mackinnonTable struct {
	tauMax, tauMin, tauStar float64
	smallP                  [3]float64 // unscaled, lowest degree first
	largeP                  [4]float64 // unscaled, lowest degree first
	crit                    [3][4]float64
}

var (
	mackinnonSmallScaling = [3]float64{1, 1, 1e-2}
	mackinnonLargeScaling = [4]float64{1, 1e-1, 1e-1, 1e-2}
)

var mackinnonTables = map[Regression]mackinnonTable{
	RegressionNone: {
		tauMax:  math.Inf(1),
		tauMin:  -19.04,
		tauStar: -1.04,
		smallP:  [3]float64{0.6344, 1.2378, 3.2496},
		largeP:  [4]float64{0.4797, 9.3557, -0.6999, 3.3066},
		crit: [3][4]float64{
			{-2.56574, -2.2358, -3.627, 0},
			{-1.94100, -0.2686, -3.365, 31.223},
			{-1.61682, 0.2656, -2.714, 25.364},
		},
	},
	RegressionConstant: {
		tauMax:  2.74,
		tauMin:  -18.83,
		tauStar: -1.61,
		smallP:  [3]float64{2.1659, 1.4412, 3.8269},
		largeP:  [4]float64{1.7339, 9.3202, -1.2745, -1.0368},
		crit: [3][4]float64{
			{-3.43035, -6.5393, -16.786, -79.433},
			{-2.86154, -2.8903, -4.234, -40.040},
			{-2.56677, -1.5384, -2.809, 0},
		},
	},
	RegressionConstantTrend: {
		tauMax:  0.7,
		tauMin:  -16.18,
		tauStar: -2.89,
		smallP:  [3]float64{3.2512, 1.6047, 4.9588},
		largeP:  [4]float64{2.5261, 6.1654, -3.7956, -6.0285},
		crit: [3][4]float64{
			{-3.95877, -9.0531, -28.428, -134.155},
			{-3.41049, -4.3904, -9.036, -45.374},
			{-3.12705, -2.5856, -3.925, -22.380},
		},
	},
}

func mackinnonLookup(reg Regression) (mackinnonTable, error) {
	t, ok := mackinnonTables[reg]
	if !ok {
		return mackinnonTable{}, fmt.Errorf("%w: regression %q (want \"n\", \"c\" or \"ct\")", ErrInvalidArgument, string(reg))
	}
	return t, nil
}

// adfHorner evaluates c[0] + c[1]x + ... by Horner's rule from the highest
// coefficient, in the same order of operations as numpy.polyval.
func adfHorner(c []float64, x float64) float64 {
	y := 0.0
	for i := len(c) - 1; i >= 0; i-- {
		y = y*x + c[i]
	}
	return y
}

// MackinnonP returns MacKinnon's (1994) approximate asymptotic p-value of a
// Dickey-Fuller tau statistic for one series (N = 1), as statsmodels'
// mackinnonp computes it: Φ(polynomial(stat)), with 0 below the table's
// minimum statistic and 1 above its maximum. A NaN statistic or an unknown
// regression gives an error wrapping [ErrInvalidArgument].
func MackinnonP(stat float64, reg Regression) (float64, error) {
	t, err := mackinnonLookup(reg)
	if err != nil {
		return math.NaN(), err
	}
	if math.IsNaN(stat) {
		return math.NaN(), fmt.Errorf("%w: statistic is NaN", ErrInvalidArgument)
	}
	switch {
	case stat > t.tauMax:
		return 1, nil
	case stat < t.tauMin:
		return 0, nil
	}
	var coef []float64
	if stat <= t.tauStar {
		coef = make([]float64, len(t.smallP))
		for i, c := range t.smallP {
			coef[i] = c * mackinnonSmallScaling[i]
		}
	} else {
		coef = make([]float64, len(t.largeP))
		for i, c := range t.largeP {
			coef[i] = c * mackinnonLargeScaling[i]
		}
	}
	// Φ(z) = P(Z > -z).
	return NormalSurvival(-adfHorner(coef, stat)), nil
}

// MackinnonCrit returns MacKinnon's (2010) 1%, 5% and 10% critical values of
// the Dickey-Fuller tau statistic for one series (N = 1) and a regression
// with nobs observations, as statsmodels' mackinnoncrit computes them.
// nobs <= 0 gives the asymptotic values. An unknown regression gives an error
// wrapping [ErrInvalidArgument].
func MackinnonCrit(reg Regression, nobs int) ([3]float64, error) {
	var out [3]float64
	t, err := mackinnonLookup(reg)
	if err != nil {
		return out, err
	}
	for i, c := range t.crit {
		if nobs <= 0 {
			out[i] = c[0]
			continue
		}
		out[i] = adfHorner(c[:], 1/float64(nobs))
	}
	return out, nil
}
