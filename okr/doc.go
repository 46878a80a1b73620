// Package okr models Objectives and Key Results and wires them to the KPI
// tree.
//
// # Overview
//
// A [Set] holds [Objective]s for a cycle (2026-Q3): a qualitative title,
// an owner, a [Level] (company, team, person), a parent it aligns to (an
// objective or a key result), committed or aspirational, a weight, its
// [KeyResult]s and its [Initiative]s. Initiatives are the work; they never
// count toward progress. A key result is Measured ("from 10 to 25
// minutes", or down: "from 100 to 20 USD"), AtLeast / AtMost ("stay at or
// above 80%"), Binary or a Milestone list, optionally bound to a KPI of the
// tree (KeyResult.Metric) so that its values come from a rollup.Result.
//
// [Evaluate] measures a set at a moment: progress per key result
// ([KeyResult.Progress], direction-aware, clamped to 0..1; a baseline
// equal to the target is [ErrNoChange], not a division by zero), objective
// progress as the weighted mean, Google's grade ([Grade]: 0.0–0.3 red,
// 0.4–0.6 yellow, 0.7–1.0 green; committed objectives are expected at 1.0,
// aspirational ones near 0.7), a status from progress against the share
// of the cycle elapsed (rollup.Status: pace ≥ 0.95 on track, ≥ 0.8 at
// risk, else off track; a last confidence under 0.5 turns on track into at
// risk), a [Forecast] to the end of the cycle ([Trend]) and the roll-up
// through the alignment tree. [Lint] reviews the structure, and
// [DraftRecovery] drafts an OKR for each KPI of a tree that lags its target
// or whose target was raised, with key results from the drivers below it.
//
// Sets are read and written as YAML or JSON ([Load], [Set.Save]) with
// the top-level key kpiokr: "1"; decoding is strict and Save/Load round-
// trips losslessly. The file rules are the model format's (package tree):
// JSON is read by a JSON parser, numbers by YAML 1.2's rules (010 is ten),
// one document only, no anchors, aliases or explicit tags, and the limits
// [MaxFileSize], [MaxDepth], [MaxValues] and [MaxIDLength], each reported
// at the line and column where it is crossed. Evaluate and Lint cost time
// linear in the number of objectives, however deep the alignment chain.
//
// # Rules
//
//	okr.objective.kr-count       warning  fewer than 3 or more than 5 key results
//	okr.objective.no-owner       warning
//	okr.objective.numeric-title  info     objectives are qualitative
//	okr.kr.activity              warning  "hold 5 meetings", "launch", "tổ chức" (word lists EN+VI, ActivityWords)
//	okr.kr.initiative            warning  a 0→100% key result is an initiative
//	okr.kr.restates-kpi          warning  the target of the bound KPI restated
//	okr.kr.unknown-metric        warning  bound to a metric not in the tree
//	okr.kr.no-change             error    baseline equals target
//	okr.align.unknown-parent     error
//	okr.align.cycle              error    alignment loops
//	okr.align.orphan             warning  a team or person objective aligned to nothing
//	okr.align.level              warning  aligned to an objective of the same or a lower level
//	okr.checkin.stale            warning  no check-in for 14 days (Options.StaleAfter)
//	okr.status.off-track         warning  during the cycle
//	okr.status.at-risk           info     during the cycle
//	okr.forecast.unlikely        info     trend probability under 20%
//	okr.grade.committed-missed   warning  a committed objective ended under 1.0
//	okr.grade.sandbagged         info     an aspirational objective ended at 1.0
//	okr.kpi.lagging              warning  (DraftRecovery) a KPI at risk or off track
//	okr.kpi.raised               info     (DraftRecovery) a KPI target raised by more than 10%
//	okr.recovery.no-drivers      info     (DraftRecovery) nothing below the KPI to draft from
//
// # Numerics
//
// The forecast is ordinary least squares of value on time (days), solved
// by QR; the probability of reaching the target is the Student t tail of
// the prediction at the deadline with n−2 degrees of freedom, computed
// with the regularized incomplete beta function (see [Forecast]). It
// needs three check-ins on two dates or more. Key results bound to a KPI
// use one point per evaluated period, dated at the period's end.
//
// # Errors
//
// Invalid sets are errors (*SetError, matching [ErrInvalid]); a file that
// cannot be decoded gives *DecodeError values matching [ErrDecode], with
// line and column. Everything else is a finding.
//
// # Concurrency
//
// Evaluate, Lint and DraftRecovery only read their arguments.
package okr
