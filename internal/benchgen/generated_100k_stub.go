//go:build !benchbig

package benchgen

// Eval100k is nil unless the package is built with -tags benchbig: the
// plain-Go evaluator of the 100k-node model is a 4.5 MB file that takes
// over a minute to compile under the race detector, so only the
// benchmarks that compare against it build it (see BENCHMARKS.md).
var Eval100k func(v []float64)
