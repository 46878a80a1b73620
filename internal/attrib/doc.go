// Package attrib attributes the change of a KPI between two periods exactly
// to its drivers.
//
// # Overview
//
// All methods here are exact: the contributions add up (to rounding) to the
// observed change.
//
//   - [Shapley] is the default for any formula f(x): each factor's
//     contribution is its Shapley value, averaging the effect of switching the
//     factor from x0 to x1 over all coalitions of the other factors (f is
//     evaluated at the 2^n mixed points). [Sequential] gives the one-ordering
//     ("chain-linking") decomposition that Shapley averages.
//   - [ShapleyProduct] and [SequentialProduct] apply these to the common
//     structure V = sum over segments i of prod over factors k of x[k][i],
//     with factors as players shared across segments, and report per-segment
//     contributions as well.
//   - [LMDI] is the logarithmic mean Divisia index (LMDI-I, Ang 2005) for the
//     same structure, additive and multiplicative.
//   - [MixRate] splits the change of a ratio of sums (for example orders per
//     visit over devices) into mix and rate effects: Kitagawa's symmetric
//     split, the centred mix, and the Laspeyres split with its interaction.
//     [RatioLMDI] splits it into numerator and denominator effects.
//   - [Deltas], [Shares], [GrowthContributions] and [VarianceDecomposition]
//     handle plain sums of children.
//
// Slices of factors are indexed x[k][i]: factor k, segment i.
//
// # Errors
//
// Errors wrap the sentinels [ErrInvalidInput] (mismatched lengths, empty,
// NaN or infinite values), [ErrNonPositive] (logarithmic methods need
// positive data), [ErrZeroChange] (shares of a zero total),
// [ErrTooManyFactors], [ErrTooFewObservations] and [ErrConstant]; test them
// with errors.Is.
//
// # Numerics
//
// The logarithmic mean is L(a,b) = (a-b)/(ln a - ln b) with L(a,a) = a,
// evaluated as (a-b)/log1p((a-b)/b) so it stays accurate when a and b are
// close. LMDI with zero values follows the limit of the small-value strategy
// (Ang, Zhang & Choi 1998; Ang & Liu 2007): a segment that is zero in both
// periods contributes nothing; a segment that appears (V_i^0 = 0) credits
// its whole V_i^1 to the factor(s) that were zero, split equally among them,
// and a segment that disappears debits V_i^0 to the factor(s) that become
// zero. Shapley weights |S|!(n-|S|-1)!/n! are computed as
// 1/(n*C(n-1,|S|)); the exact computation costs n*2^n and is limited to
// [MaxFactors] factors.
package attrib
