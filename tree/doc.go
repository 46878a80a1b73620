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
// compile into kpitree's flat program: allocation-free, a few ns per
// node. ExprEngine runs expr's virtual machine instead (slower; a
// differential-testing oracle and an example of a custom engine).
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
