// Package rollup evaluates a compiled KPI tree over periods and
// scenarios, rolls values and attainment up the tree, and answers what-if
// questions.
//
// # Overview
//
// Evaluate computes every metric for a range of periods of the model's
// grain from a Source of observations (Data is an in-memory one). prev()
// reaches into earlier periods, into the source's recorded history before
// the range, or into a metric's Initial value. Rollup evaluates coarser
// periods (quarters, years, fiscal years): inputs are aggregated by their
// aggregation and derived metrics recomputed from the aggregated inputs,
// so a quarterly conversion rate is quarterly orders over quarterly
// visitors. Result.Window does the same for any run of periods.
//
// Attainment measures a value against a target, direction-aware
// (higher or lower is better, ceilings, floors and bands); Track and
// TrackAll pace to-date actuals against the time elapsed in a target's
// period and give a Status (achieved, on track, at risk, off track);
// Scores rolls attainment up the tree into a scorecard.
//
// Sessions answer what-if questions of one period: Set, GoalSeek,
// GoalSeekMany, Cascade, sensitivities. Plan asks the same questions of a
// range of periods (a goal for a year, a quarter or December's value):
// levers move by one relative change across the range or along a profile,
// prev() chains are carried through, each trial is a Scenario and the goal
// is measured as Result.Window measures it.
//
// An input with a weighted mean (metric.Metric.Weight) aggregates as
// Σ weight·value / Σ weight over the fine periods, in Rollup, Window and
// Track alike (avg_order_value weighted by orders), so that flows such as
// revenue add up; a negative weight, or weights adding up to 0, leave
// the value missing with the reason.
//
// Simulation runs Monte Carlo draws through the compiled program in
// blocks, seeded and reproducible at any GOMAXPROCS.
//
// # Drivers
//
// Actuals measure a ratio (conversion_rate = orders / visitors); a plan
// holds it and lets the numerator follow. Every what-if API — Scenario
// (Evaluate, Session), Compare, NewSession and SessionAt (and so goal
// seek, cascade, sensitivity and attribution), Simulation — runs on the
// model's tree.Compiled.WhatIf: a driver (metric.Metric.Driver) is an
// input there, held at the value its formula gives on the actuals of
// that period unless the what-if changes it, and its numerator is
// computed as driver × denominator. So +10% visitors is +10% orders and
// revenue, with conversion and basket held; a scenario, a seek or a
// simulation can move conversion itself. Evaluate and Rollup measure
// actuals with the model as written.
//
// # Scenario and distribution files
//
// Scenarios and Monte Carlo inputs live in files too, strict and
// versioned like model files. LoadScenarios reads a scenario file and
// SaveScenarios writes one:
//
//	kpiscenarios: "1"
//	scenarios:
//	  - name: growth
//	    overrides:
//	      - {metric: visitors, scale: 10}                     # +10% in every period
//	      - {metric: conversion_rate, set: 0.09, period: 2027-03}
//	  - name: lean
//	    parent: growth
//	    overrides:
//	      - {metric: fixed_cost, add: -5000, from: 2027-01, to: 2027-06}
//
// LoadDistributions reads a distribution file and Distributions.Save
// writes one:
//
//	kpidistributions: "1"
//	inputs:
//	  - {metric: visitors, dist: normal, mean: 300000, sd: 30000}
//	  - {metric: conversion_rate, dist: beta, alpha: 80, beta: 920}
//	  - {metric: avg_order_value, dist: pert, lo: 1500, mode: 1650, hi: 1900}
//	correlations:
//	  - {a: visitors, b: conversion_rate, rho: -0.3}
//
// Both are YAML or JSON. Given a compiled model, the loaders check metric
// ids against it (with a did-you-mean) and read fiscal periods in its
// calendar. Unknown keys, wrong types, duplicates and invalid values are
// *DecodeError values with file, line and column, matching ErrDecode;
// Load → Save → Load loses nothing. ScenarioSchema and DistributionSchema
// return the JSON Schemas of the two formats (scenarios.schema.json and
// distributions.schema.json). Seek.Scenario and SeekMany.Scenario turn a
// goal seek's answer into a scenario, so it can be saved and compared.
//
// # Missing values
//
// A missing observation is missing, never zero. The Policy in Options
// decides what happens: Propagate (the default) marks every metric
// computed from a missing input Missing; Fail returns an *EvalError
// listing every problem; Zero fills with 0. Whatever the policy, each
// missing input, NaN in the data, missing history and formula that cannot
// be computed (a division by zero, with the operation and its position)
// is an Issue, and Result.State and Result.Why tell, per metric and
// period, what happened.
//
// # Concurrency
//
// A Result is immutable once returned. Evaluate, Rollup, Compare and
// Simulation may run concurrently on the same *tree.Compiled. A Session
// is single-goroutine scratch: Clone it for another goroutine.
package rollup
