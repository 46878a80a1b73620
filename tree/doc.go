// Package tree models a KPI tree as a graph and compiles it for
// evaluation.
//
// # Overview
//
// A Model is plain data: metrics (package metric), declared causal links
// between them ("site_structure drives conversion_rate, sign +, lag 1"),
// dimensions, and decompositions of a metric into segments (revenue into
// revenue_eu and revenue_us by region). Build it in Go or load it with
// Load or LoadFile from YAML or JSON; Save writes the same format back,
// and the JSON Schema returned by Schema lets editors complete and check
// model files.
//
// Compile validates a model and turns it into a *Compiled: formulas
// parsed, names resolved, types checked, dependencies ordered, and every
// formula laid into one flat program over a []float64 of slots. The stages
// are visible: Model (definition) → Compile (validated graph and plan) →
// Evaluator (evaluation). Package rollup evaluates over periods.
//
// # Model files
//
// Load and LoadFile read a model from YAML or JSON (input whose first
// non-space byte, after an optional byte-order mark, is '{' is JSON, read
// by a JSON parser as RFC 8259 defines it); Save and SaveFile write it back in
// either format, "kpitree" first, keys in a fixed order, empty optional
// fields omitted and numbers written so they read back exactly. Schema
// returns the JSON Schema (draft 2020-12) of the format, with help text
// for editors. A file looks like this (testdata/full.yaml uses every field):
//
//	kpitree: "1"              # required: format version, written first
//	name: Web shop
//	description: ...
//	grain: month              # evaluation grain: day, week, month (default), quarter, year
//	fiscal_year_start: 4      # first month of the fiscal year: 1..12 or a name ("april")
//	metrics:
//	  - id: revenue           # required: a letter or _ then letters, digits, _
//	    name: Revenue
//	    description: ...
//	    kind: KGI             # KGI, KPI or KSF
//	    unit: USD
//	    direction: higher     # higher (default), lower, ceiling, floor, band
//	    aggregation: sum      # sum (default), mean, last, first, min, max
//	    weight: orders        # with aggregation mean: the metric weighting the mean over time
//	    additive: true        # a derived flow: its rollup should be the sum of its periods
//	    formula: visitors * conversion_rate * avg_order_value
//	    driver: true          # a ratio num / den measured from actuals, a lever in what-if
//	    initial: 0            # the value prev() sees before history
//	    owner: ...
//	    frequency: month
//	    source: ...
//	    labels: {finance: financial}
//	    targets:
//	      - period: 2027      # 2027, 2026-07, 2026-Q3, 2026-W29, 2026-07-14, FY2027, FY2027-Q1
//	        value: 500000000  # required, with period
//	        max: ...          # upper bound, direction band only
//	        baseline: ...
//	        start: 2025-01
//	        note: ...
//	links:
//	  - {from: site_structure, to: conversion_rate, sign: "+", lag: 1, confidence: 0.7, evidence: "..."}
//	dimensions:
//	  - {name: channel, values: [organic, paid]}  # categorical
//	  - {name: order_value, lo: 0, hi: 500}       # numeric [lo, hi); hi optional (+Inf)
//	decompositions:
//	  - parent: revenue
//	    segments:
//	      - metric: revenue_eu
//	        where: {region: [DE, FR], order_value: {lo: 0, hi: 50}}
//
// weight makes a mean a weighted one: avg_order_value with weight: orders
// aggregates a quarter as Σ orders·aov / Σ orders, so that quarterly
// orders × quarterly aov is the quarter's revenue. It must name a metric
// of the model, not the metric itself, and needs aggregation: mean.
// additive: true declares a derived metric a flow (revenue); package check
// reports where its rollup is not the sum of its periods. driver: true
// makes a ratio such as conversion_rate: orders / visitors a lever: the
// formula measures it from actuals; what-if analysis (Compiled.WhatIf)
// holds it and computes the numerator, which must be an input and not be
// used by the denominator, as conversion_rate * visitors. Compile reports
// a violation of any of these at its position in the file.
//
// In where, a list is a categorical condition (the value is one of them)
// and {lo, hi} a numeric one (lo <= value < hi). Sign is "+", "-" or "?"
// (quote it in YAML); lag is in periods; confidence is 0..1. FY periods
// are fiscal under fiscal_year_start: with April, FY2026 is 2026-04 to
// 2027-03. Only the canonical spellings above are accepted.
//
// Numbers are read as written, by YAML 1.2's rules in YAML and JSON
// alike: 010 is ten (octal is 0o10, hexadecimal 0x1F), -0 keeps its sign,
// and forms only YAML 1.1 reads as numbers (1_000, 0b11) are errors.
// Ranges are checked on the text as the JSON Schema checks them: a
// confidence of 1.0000000000000001 is above 1, although it reads as the
// float64 1. Save refuses what Load could not read back: invalid UTF-8,
// non-finite numbers, periods outside the years 1..9999.
//
// # Limits
//
// No file, however built, costs more than a constant times its size to
// load and compile. Load enforces, each as a *DecodeError at the line and
// column where the limit is crossed:
//
//	MaxFileSize  32 MiB   the file
//	MaxDepth     64       nesting of lists and mappings
//	MaxValues    2000000  scalars, lists and mappings in the file
//	MaxIDLength  256      bytes of a metric id (Compile checks it too)
//
// Compile suggests a "did you mean" only for the errors it reports (up to
// 50), comparing the name with ids of a similar length within at most 8
// edits, so that a model full of unknown names compiles in time linear in
// its size.
//
// Decoding is strict. Unknown keys (with a did-you-mean), values of the
// wrong type, duplicate keys, duplicate metric ids, unknown enumeration
// values, invalid periods, missing required keys, NaN and infinities,
// YAML anchors, aliases and explicit tags (but !!str on a single value),
// more than one document, invalid UTF-8 and characters YAML does not
// allow, and syntax errors are reported as
// *DecodeError values (file, line, column, path such as
// metrics[3].targets[0].value, message and hint), up to 20 joined with
// errors.Join, all matching ErrDecode:
//
//	webshop.yaml:12:7: metrics[3]: unknown key "unti" (did you mean "unit"?)
//
// Compile reports its errors at the positions of the loaded file too.
//
// # Formulas
//
// Formulas use expr's syntax (github.com/expr-lang/expr) restricted to a
// whitelist: numbers, metric ids, + - * / and ** (or ^), comparisons
// (< <= > >= == !=), && || !, the ternary c ? a : b, the functions abs,
// ceil, clamp(x, lo, hi), exp, floor, log, log10, max(a, b, ...),
// min(a, b, ...), pow, round(x) or round(x, digits), sqrt, functions
// registered with WithFunction, and prev(x) / prev(x, k): metric x one or
// k periods earlier. Nothing that allocates without bound, no strings,
// no member access into host objects; a formula is at most MaxNodes
// terms. Comparisons and logic yield booleans, usable only as
// conditions; a formula computes a number. Everything is float64.
//
// # Numeric rules
//
// IEEE 754 throughout: x/0 is ±Inf and 0/0 is NaN (package rollup reports
// both as a division by zero, with the operation's position); min and
// max return NaN if any argument is NaN (unlike expr's, which depend on
// argument order); comparisons with NaN are false; round rounds half away
// from zero. Products are never fused into FMA instructions, so every
// engine gives bit-identical results.
//
// # Engines
//
// An Engine turns a parsed Formula into a Kernel. By default formulas
// compile into kpitree's flat program, which is allocation-free and, on
// linux/amd64, compiled on to machine code when it uses only arithmetic,
// comparisons, logic, ?:, min, max, abs, sqrt, floor and ceil (about 1 ns
// per node; WithNativeCode(false) keeps it interpreted, about 11 ns per
// node). Models too small to gain (a few hundred instructions), builds
// with -race or the purego tag, and other platforms are interpreted;
// ReadNativeCodeStats says whether native code is in use, why not, and
// the memory it takes outside the Go heap. Machine code runs in bounded
// chunks (a garbage collection waits for one chunk, not a whole
// evaluation), and formulas it does not cover run in the interpreter
// between chunks. CPU profiles attribute machine code to
// runtime._ExternalCode: profile with WithNativeCode(false). ExprEngine
// runs expr's virtual machine instead (slower; a differential-testing
// oracle and an example of a custom engine).
// WithFunction registers functions; WithGoFunc makes a node computed by a
// Go function.
//
// # Errors
//
// Compile returns every problem it finds (up to 50), joined with
// errors.Join. Each matches ErrInvalidModel and a specific sentinel with
// errors.Is, and is one of *FormulaError (metric id, line and column in
// the formula, a caret snippet, a "did you mean" hint, and the position
// in the model file when loaded from one), *ModelError (duplicate or
// invalid ids, unknown references in links and decompositions, invalid
// targets or options) or *CycleError (the path around a same-period
// loop; a loop through prev() is allowed). Load returns *DecodeError
// values with file, line and column. Structural smells — a KPI with no
// path to a KGI, a KSF that drives nothing — are not errors: package
// check reports them as findings.
//
// # Concurrency
//
// A *Compiled is immutable and safe for concurrent use; Compile does not
// copy the model, which must not be modified afterwards. Evaluators,
// BlockEvaluators and Cones hold per-goroutine scratch: give each
// goroutine its own. Their zero values are ready to use.
package tree
