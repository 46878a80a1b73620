// Package benchgen generates deterministic synthetic models for the
// core's benchmarks, and the same models written as plain Go code.
//
// # Overview
//
// Generate(n, seed) returns a DAG of n nodes named n0 … n{n-1}. About one
// node in ten is an input; every other node is a formula of 2 to 4
// distinct earlier nodes, drawn from a fixed set of shapes that mix
// + − × ÷ with max, min, abs and sqrt (for example "n12 * n7 + n3" or
// "max(0, n5 - n9) / n2"). Operands are picked half of the time among
// the 64 previous nodes and otherwise uniformly among all earlier nodes,
// so a model has both local structure and long-range references.
//
// The generator evaluates each candidate formula as it goes and rejects
// shapes whose value would be non-finite or outside 1e-3 … 1e4 in
// magnitude (zero is allowed), so that every value of a benchmark model
// is an ordinary normal float: timings do not depend on NaN, infinity or
// subnormal arithmetic.
//
// The same DAG is available three ways: Formula gives a node's formula in
// kpitree (and expr) syntax, GoExpr the equivalent Go expression over a
// []float64 v, and WriteGo a complete Go source file that evaluates the
// whole DAG statement by statement. Products that feed an addition or a
// subtraction are written float64(x*y) so that the Go compiler never
// fuses them into an FMA: the generated code computes bit-for-bit what
// kpitree's engine computes.
//
// The files generated_*.go hold the generated evaluators for the
// benchmark sizes (seed DefaultSeed); regenerate them with go generate.
package benchgen

//go:generate go run ./cmd/gengo -n 1000 -name 1k -o generated_1k.go
//go:generate go run ./cmd/gengo -n 100000 -name 100k -tags benchbig -o generated_100k.go
