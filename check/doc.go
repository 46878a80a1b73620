// Package check reviews a KPI tree and its data and reports findings.
//
// # Overview
//
// A Finding is what a reviewer should know about a valid model: a KPI with
// no path to a KGI, a declared causal link the data contradicts, children
// that do not add up to their parent. Findings carry a stable rule code, a
// severity, the node ids involved, a message, a hint and the evidence
// (numbers, periods, predicate values). They sort deterministically
// (Compare) and marshal to JSON.
//
// Findings are not failures: a model that cannot be evaluated is an
// error from tree.Compile, and the functions here return errors only for
// invalid Options (ErrOptions) and for data evaluated from another model
// (ErrModelMismatch). Too few observations, constant series and missing
// values are findings.
//
// [Run] runs every enabled rule on a compiled model and, optionally, a
// *rollup.Result of its history; each family is callable alone:
// [Structure], [Causal], [MECE], [Duplicates], [TargetLogic] and
// [Additivity]. Every
// rule code is listed by [RuleCodes]; Options.Rules turns rules or whole
// families ("causal") on and off.
//
// # Structure rules
//
// The tree is read as a graph in which a metric's children are the
// metrics its formula reads (at any lag), the causes of links declared to
// it, and the segments of its decompositions.
//
//   - structure.no-kgi (error): the model has no KGI at all.
//     "The tree has no KGI: there is no final goal for the KPIs to serve."
//   - structure.kpi-without-kgi (warning): a KPI from which no KGI can be
//     reached upwards. "KPI orphan does not lead to any KGI through
//     formulas, links or decompositions."
//   - structure.ksf-drives-nothing (warning): a KSF with no parent.
//     "Success factor newsletter drives nothing: no link or formula
//     connects it to a KPI."
//   - structure.level-gap (warning): a KGI with no KPI child, or a KSF
//     whose only parents are KGIs (it skips the KPI level). "Success factor
//     campaign is linked straight to a KGI, skipping the KPI level."
//   - structure.too-many-children (warning): more than Options.MaxChildren
//     (7) children. "revenue has 9 children, more than the 7 anyone can
//     watch."; evidence children, count, limit.
//   - structure.too-deep (warning): a path down from a KGI with more than
//     Options.MaxDepth (5) levels, the KGI counting as one; evidence
//     depth, limit, path. Loops through links are followed once.
//   - structure.children-formula-mismatch (warning): a derived metric whose
//     decomposition's segments differ from its formula's same-period
//     inputs. "visits is split into 3 segments, but its formula
//     "organic + paid" uses organic, paid."; evidence segments,
//     formula_inputs and the differences both ways.
//   - structure.no-counter-metric (info, only with Options.CounterMetrics):
//     a higher-is-better KPI with no guard: no lower-is-better or ceiling
//     metric linked to it or sharing a parent with it, and no metric
//     labelled counter_for: <id>.
//   - structure.no-owner (warning, every kind), structure.no-source and
//     structure.no-frequency (info, KGIs and KPIs), structure.no-target
//     (warning for a KGI, info for a KPI): every goal needs an owner,
//     a data source, a measurement frequency and a number with a deadline.
//
// # Causal rules
//
// Each declared link (cause, effect, expected sign, lag L) is tested on the
// longest run of consecutive periods in which both metrics have values:
//
//  1. Fewer than Options.MinObservations (12) periods gives
//     causal.not-enough-data (info); a constant series, or one that becomes
//     constant after transforming (a straight line), gives
//     causal.constant-series (warning). Both have the verdict NotEnoughData.
//  2. Options.Transform is applied to both series. The default, automatic,
//     runs an ADF test on each level and, when either keeps its unit root at
//     Alpha (or cannot be tested), log-differences both (difference if any
//     value is not positive). ADF results on the levels and on the tested
//     series are in the LinkReport; if a tested series is still not
//     stationary, causal.not-stationary (warning) says two trends may be
//     mistaken for a cause.
//  3. Lagged Pearson and Spearman correlations of cause_t with effect_{t+k}
//     for k = −MaxLag..MaxLag on the overlapping pairs, one-sided in the
//     expected direction, and statsmodels' ccf; the best lag in 0..MaxLag.
//  4. Granger tests for lags 1..max(MaxLag, L) with the sum of the cause's
//     lag coefficients, which gives the direction the F test cannot see;
//     each lag has statsmodels' three tests (ssr F, ssr chi², likelihood
//     ratio) in GrangerResult. Beside the declared lag, LinkReport.LagOrder
//     holds the lag order a vector autoregression of the two tested series
//     selects by AIC, BIC, HQIC and FPE (SelectLagOrder, the same orders
//     1..max(MaxLag, L) as far as the data allows).
//  5. The primary test is the Granger F test at lag L (L ≥ 1), or the
//     two-sided Pearson test at lag 0 (L = 0). Its p-values over all tested
//     links are adjusted with Options.Adjust (Holm by default). Adjusted
//     p ≤ Alpha in the expected direction (the sign of the summed
//     coefficients, or of r) is Supported — causal.supported (info);
//     significant the other way is Contradicted — causal.contradicted
//     (error); otherwise Inconclusive — causal.inconclusive (warning).
//     "History contradicts the link bounce_rate -> conversion_rate (sign -,
//     lag 0): significant (adjusted p = 3.93e-16) with sign +, opposite to
//     the declared -." Evidence: expected_sign, declared_lag, periods, n,
//     selected_lag_aic, selected_lag_bic, selected_lag_hqic,
//     selected_lag_fpe, lag_order_max (when the VAR could be fitted),
//     transform, adf_cause_p, adf_effect_p, pearson_r, pearson_p,
//     pearson_ci95_low, pearson_ci95_high (the Fisher-z 95% interval of r
//     at the declared lag), spearman_rho, spearman_p, best_lag, granger_lag,
//     granger_f, granger_p, granger_df_num, granger_df_denom, granger_chi2,
//     granger_chi2_p, granger_lr, granger_lr_p, granger_sum_coef, test, p,
//     p_adjusted, adjustment, alpha.
//  6. causal.lag-mismatch (warning): the correlation at the declared lag is
//     not significant, while the best lag's is, even after a Bonferroni
//     correction over the lags searched. "For the link new_pages ->
//     organic_visits (sign +, lag 1) the data shows the effect after 3
//     periods, not the declared 1." Evidence: declared_lag, best_lag and
//     the correlations at both, with selected_lag_aic and selected_lag_bic
//     when the VAR could be fitted.
//
// causal.suggested-link (info, only with Options.SuggestLinks): ordered
// pairs of metrics with no declared link either way are tested with
// Granger tests at lags 1..MaxLag; a pair's p-value is its smallest, times
// the number of lags (Bonferroni within the pair); the p-values of all
// pairs are then adjusted with Options.Adjust and pairs at or below
// Alpha/5 are reported with the lag and the sign. The work is bounded:
// only metrics at most Options.SuggestDistance (2) steps apart in the tree
// (ignoring direction, never adjacent) are paired, at most
// Options.SuggestMaxPairs (200) ordered pairs in declaration order are
// tested, and pairs related by definition (one computed from the other)
// or already connected upwards through the tree are skipped.
//
// # MECE rules
//
// Structurally, each decomposition's segments are compared over the
// model's dimensions (a dimension a segment does not mention is
// unrestricted; dimensions used but not declared get the values the
// segments mention as their domain). Two segments overlap when, for every
// dimension, their constraints intersect; numeric ranges are half-open
// [lo, hi).
//
//   - mece.overlap (error), one per overlapping pair: "Segments
//     orders_mobile and orders_tablet of orders overlap: both count device
//     in [tablet]."; evidence example (the first shared point: categorical
//     values in domain order, the lowest shared number) and shared.
//   - mece.gap (warning): points of the domain no segment covers. The
//     search grid is every categorical value times, for each numeric
//     dimension, the start and the midpoint of each elementary interval
//     between the domain's and the segments' bounds (start + 1 for the last,
//     unbounded one); grids above 2^20 points are not searched. Evidence
//     uncovered_points, grid_points and the first Options.MaxExamples (5)
//     points in grid order.
//
// Numerically, for every period in which the parent and all segments have
// values, the residual is parent − Σ segments (summed in declaration
// order), the relative residual residual/|parent| (positive a gap,
// negative a double count, whatever the parent's sign; ±1 for a zero
// parent, so it is always finite), and the period passes
// when |parent − Σ| ≤ max(Rel·max(|parent|, |Σ|), Abs) (Python's
// math.isclose, Options.MECETolerance, default Rel 1e-6 and Abs 1e-9).
//
//   - mece.numeric-gap (warning): failing periods with a positive residual,
//     something not covered. "The segments of visits add up to less than it
//     in 12 of 48 periods (worst 2027-03: 1,250 short, 0.41%)".
//   - mece.double-count (error): failing periods with a negative residual,
//     something counted twice. Evidence for both: periods_failing,
//     periods_checked, first_period, worst_period, parent, sum_children,
//     residual, relative_residual, rel_tol, abs_tol.
//   - mece.duplicate-formula (warning): two derived metrics whose formulas
//     print the same in canonical form.
//   - mece.duplicate-series (warning): two metrics whose series, transformed
//     as for the causal tests, have |Pearson r| ≥ Options.DuplicateCorrelation
//     (0.98). A metric and a metric its formula reads, or a parent and its
//     own segment, are not compared.
//
// # Logic rule
//
// logic.kpis-met-kgi-missed (error): a KGI missed a target whose period
// has ended by the as-of period while every KPI beneath it met all of its
// targets falling within that period (measured with rollup.Track; a
// target without data counts as not met). "Every KPI under "Revenue"
// (revenue) met its 2027 targets (5 of 5), yet the KGI missed its target
// (490,876,340 against 500,000,000): the tree's logic is wrong." Run uses
// the last evaluated period as of.
//
// # Rollup rule
//
// rollup.not-additive (warning): a derived metric declared additive (a
// flow such as revenue: additive: true in the model file) whose value
// recomputed over a quarter or a year — the value Rollup, Window and Track
// use — differs from the sum of its values in the periods inside, by more
// than a relative 1e-9, in a quarter or year the data holds in full. The
// finding names the inputs it depends on that are aggregated otherwise
// than by a sum, and the fix: when the data shows which metric an average
// is taken over (revenue / avg_order_value = orders in every period), the
// weight to give it. Without data the rule checks the drivers
// (conversion_rate: orders / visitors, driver: true): in what-if the
// numerator is a flow computed from the driver, and adds up over a
// quarter only if the driver's mean is weighted, by its denominator
// ("give conversion_rate aggregation: mean with weight: visitors").
// Additivity runs the rule alone; Run runs it with or without data.
// With avg_order_value averaged without a weight:
//
//	warning rollup.not-additive [revenue, avg_order_value]: revenue is
//	declared additive, but its rollup over 2027-Q1 is 88620760 while its
//	periods add up to 88640010 (-0.02%); 3 of 3 quarters and years
//	differ. It depends on avg_order_value, aggregated by mean rather than
//	summed. (give avg_order_value aggregation: mean with weight: orders)
//
// Evidence: period (the worst), rollup, sum_of_periods,
// relative_difference, periods_differing.
//
// # Statistics
//
// The statistics come from kpitree's internal stats package and reproduce
// statsmodels 0.13 and scipy 1.10 to a relative 1e-9 (the tests of this
// package check that the numbers reaching LinkReport and the findings'
// evidence match granger.json and correlation.json, lag-order selection
// lagselect.json, and MECE results mece.json; the files are in the
// package's testdata directory):
//
//   - Granger: statsmodels grangercausalitytests, ssr F test; data[:,0] is
//     the effect, data[:,1] the cause; lag p fits on its own n−p rows with
//     the constant last; df = (p, n − 3p − 1). The summed cause
//     coefficients come with the standard error from the unrestricted
//     fit's covariance. Least squares by Householder QR.
//   - VAR lag-order selection: statsmodels VAR(data).select_order(maxlags,
//     trend="c"); every order is fitted on the same rows maxLags..n−1.
//   - Pearson and Spearman as scipy.stats.pearsonr and spearmanr (ties get
//     average ranks; t approximation); one-sided p-values from the
//     regularized incomplete beta function, accurate far below 1e-16.
//   - Lag k pairs cause_t with effect_{t+k} (k > 0: the cause leads);
//     lagged correlations use the overlapping pairs' own means (pandas
//     y.corr(x.shift(k))); CCF is statsmodels ccf with full-sample means and
//     the adjusted denominator.
//   - ADF as statsmodels adfuller defaults (constant, lag by AIC, MacKinnon
//     p-values).
//   - Adjustments as statsmodels multipletests: "holm", "bonferroni",
//     "fdr_bh", "fdr_by".
//
// # Configuration
//
// Options' zero value is the documented default of each field: every rule
// but the optional ones (CounterMetrics, SuggestLinks) runs, Alpha 0.05
// after Holm adjustment, lags up to 4, at least 12 periods, automatic
// transform, MaxChildren 7, MaxDepth 5. Invalid values (an alpha outside
// (0, 1), an unknown adjustment, a negative tolerance, a seasonal
// difference of period 0) are reported as errors wrapping ErrOptions.
//
// # Concurrency
//
// The functions keep no state: any number of goroutines may check the same
// *tree.Compiled and *rollup.Result at once (both are immutable). Output
// is deterministic: findings are sorted with Compare, reports follow
// declaration order, and no map order or randomness leaks.
package check
