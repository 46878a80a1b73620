// Package metric is the vocabulary of a KPI tree: what a metric is, how
// its values are measured over time, and what it aims for.
//
// # Overview
//
// A Metric is a goal (KGI), an indicator on the way to it (KPI) or a
// success factor that moves indicators (KSF). It has a Unit, a Direction
// (higher is better, lower is better, or a limit: a Ceiling such as a
// failed-sale rate, a Floor, a Band), an Aggregation saying how it
// combines over time (sum, mean, last, first, min, max), an owner, a
// measurement frequency, a data source, free labels (financial or not,
// leading or lagging, output, behaviour or competency, strategic or
// tactical) and Targets, each a value for a Period with an optional
// baseline. A metric with a Formula (expr syntax over other metric ids,
// such as "visitors * conversion_rate * avg_order_value" or
// "prev(mrr) + new_mrr - churned_mrr") is derived; one without is an
// input. Package tree validates and compiles formulas.
//
// # Periods and series
//
// A Period is one day, ISO 8601 week, month, quarter or year, written
// "2026-07-14", "2026-W29", "2026-07", "2026-Q3", "2026". A Calendar with
// a FiscalYearStart adds fiscal years and quarters, written "FY2026" and
// "FY2026-Q1": FYyyyy is named after the calendar year in which it
// starts (with an April start, FY2026 runs from 2026-04-01 to
// 2027-03-31). A Series maps periods of one grain to values; a missing
// observation is absent, never zero. Series.Rollup aggregates a series to
// a coarser grain and lists the coarse periods it could only fill in
// part; Series.RollupIn does the same into fiscal quarters and years
// (Calendar.In finds the fiscal period that holds a period).
//
// # Errors
//
// Parse errors are *ParseError values naming the input, what was wrong and
// the accepted forms. Functions that take values from files or users
// return errors; methods whose misuse can only be a programming error
// (subtracting periods of different grains) panic with a "metric:" prefix.
//
// # Concurrency
//
// Periods, Grains, Aggregations, Kinds and Directions are values, safe to
// share. A Series may be read concurrently but not mutated concurrently.
package metric
