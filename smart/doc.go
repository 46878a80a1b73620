// Package smart checks goals against SMART: Specific, Measurable,
// Achievable, Relevant and Time-bound.
//
// # Overview
//
// A [Goal] is anything with a target: a KGI, a KPI target, a key result,
// or a statement typed by a person. Build it with [FromMetric], from an
// OKR key result (okr.KeyResult.Goal) or by hand, then call [Check]. The
// [Report] holds one finding per problem (rule codes below), a fix hint
// for each, a score per letter between 0 and 1 and their mean.
// [CheckModel] reviews every target of a KPI tree at once.
//
// The letters:
//
//   - Specific: the goal names a metric and an owner, and its statement is
//     not vague — a vague word ("increase sales", "improve", "better",
//     "tăng doanh số", "cải thiện", "tốt hơn") with no number in it; the
//     digits of a deadline ("in 2026", "by Q3", "2026-Q3") are not a number. The
//     English and Vietnamese lists are embedded ([VagueWords]); add words
//     through Options.VagueWords. Matching ignores case and whether
//     Vietnamese letters are typed composed or decomposed. Score: share of the 3 criteria met.
//   - Measurable: a numeric target, a unit, a baseline (or a history), a
//     direction, a data source and a frequency. Score: share of 6.
//   - Achievable: the change the target requires between the last
//     observation and the deadline, against the metric's own changes over
//     the same number of periods ([Achievability]): the empirical share of
//     past windows that met it, its percentile, z-scores and the
//     probability under normal log growth (normal differences for rates).
//     A target beyond the best past change is reported as "needs 3.2× the
//     best 4-period growth ever seen". Score: min(1, 2p) with p the mean
//     of the empirical and normal probabilities; 0.5 when there is no
//     usable history.
//   - Relevant: the goal's metric has a path to a KGI through formulas,
//     declared links or decompositions ([PathToKGI]), or the goal serves an
//     objective (Goal.Objective). Score 1 or 0; 0.5 without a tree.
//   - Time-bound: a deadline or period, after the last observation.
//
// # Rules
//
//	smart.specific.no-metric       error    no metric named
//	smart.specific.no-owner        warning  no owner
//	smart.specific.vague           error    a vague word and no number (dates do not count)
//	smart.measurable.no-target     error    no numeric target
//	smart.measurable.no-unit       warning
//	smart.measurable.no-baseline   warning  no baseline and no history
//	smart.measurable.no-direction  warning
//	smart.measurable.no-source     warning
//	smart.measurable.no-frequency  warning
//	smart.measurable.no-kpi-target info     (CheckModel) a KGI or KPI without a target
//	smart.achievable.no-history    info     history missing, too short or constant
//	smart.achievable.beyond-best   warning  beyond every past change over the horizon
//	smart.achievable.unlikely      warning  probability below Options.Unlikely (0.1)
//	smart.achievable.no-stretch    info     already met
//	smart.achievable.ok            info     the figures, for the record
//	smart.relevant.no-model        info     no tree given
//	smart.relevant.unknown-metric  warning  the metric is not in the tree
//	smart.relevant.no-path         warning  no path to a KGI
//	smart.timebound.no-deadline    error
//	smart.timebound.passed         warning  deadline before the last observation
//
// # Numerics
//
// Changes are growth ratios x[t+h]/x[t]−1 for positive series in absolute
// units, and differences x[t+h]−x[t] for ratios, percentages and series
// that reach zero (Options.Change overrides). The horizon h is the number
// of whole series periods from the last observation that end by the
// deadline; the history used is the trailing run of consecutive periods.
// Past h-period windows overlap, so they are autocorrelated: the
// empirical share is descriptive, not a calibrated probability. Quantiles
// are numpy's default (type 7). The figures reproduce statsmodels/scipy
// references to a relative 1e-9.
//
// # Errors
//
// Check never fails: missing data are findings. [AchievabilityOf] returns
// an error when the goal has no target or deadline or the history cannot
// support the statistics.
//
// # Concurrency
//
// Check and CheckModel only read their arguments; they may run in
// parallel on the same tree and data.
package smart
