// Package stats holds the statistical building blocks of kpitree: ordinary
// least squares, Granger causality tests, correlation (including lagged and
// cross-correlation), multiple-testing adjustments, unit-root tests, VAR
// lag-order selection, target achievability, quantiles and the tail
// probabilities of the t, F, chi-squared and normal distributions.
//
// # Overview
//
// The functions take and return plain []float64 values. Results reproduce
// statsmodels 0.13 and scipy 1.10 (see the testdata directory for the
// reference vectors and their conventions) to a relative 1e-9:
//
//   - [OLS] fits y = Xb + e by Householder QR and reports coefficients,
//     standard errors, t and p values, R², F, log-likelihood, AIC and BIC and
//     the coefficient covariance matrix; [OLSResult.Combine] tests a linear
//     combination of coefficients such as a sum of lag effects.
//   - [Granger] runs statsmodels' grangercausalitytests for lags 1..maxLag:
//     the SSR F test, SSR chi-squared test and likelihood-ratio test, plus the
//     sum of the cause's lag coefficients with its standard error, which gives
//     the direction of the effect that the F test cannot see.
//   - [Pearson], [Spearman], [LaggedCorrelation] and [CCF] compute
//     correlations (with [FisherCI], [Rank] and [WhiteNoiseBand] as
//     building blocks); [BestLag] picks the lag with the strongest
//     association. A positive lag k pairs x_t with y_{t+k}: x leads y.
//   - [Adjust] applies Bonferroni, Holm, Benjamini-Hochberg or
//     Benjamini-Yekutieli adjustments to a family of p-values.
//   - [ADF], [LagSelect], [Achievability] and [Quantile] cover stationarity,
//     VAR lag selection, how attainable a target is, and quantiles.
//
// # Errors
//
// Bad data never panics. Too few observations, constant series, NaN or
// infinite values, mismatched lengths and collinear regressors are reported as
// errors that wrap the sentinels [ErrTooFewObservations], [ErrConstantSeries],
// [ErrNaN], [ErrLengthMismatch], [ErrSingular] and [ErrInvalidArgument]; test
// for them with errors.Is.
//
// # Numerics
//
// Least squares uses a QR factorization of the design matrix (never the
// normal equations), so ill-conditioned problems such as NIST's Longley data
// keep about 12 significant digits. Upper-tail probabilities are evaluated
// directly from the regularized incomplete beta and gamma functions and from
// erfc (see [TSurvival], [FSurvival], [Chi2Survival], [NormalSurvival]), so
// p-values as small as 1e-300 keep their relative accuracy instead of
// collapsing to zero as 1-CDF would.
package stats
