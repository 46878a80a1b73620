// Package engine compiles typed formula trees (package formula) into one
// flat program of three-address instructions over a []float64 of slots,
// and runs it.
//
// # Overview
//
// A Builder appends each derived node's code in evaluation order. Slots
// hold the model's node values first (laid out by the caller, with one
// slot per prev() input), then constants, then temporaries shared by all
// formulas: a formula needs as many temporaries as its tree is deep.
// Products feeding a sum (a*b + c) and chained products fuse into one
// instruction; float64 conversions keep the compiler from turning them
// into FMA instructions, so results equal the reference semantics bit for
// bit. Run executes the program with no allocation; RunNode executes one
// node (for incremental re-evaluation); RunBlock executes every
// instruction over many lanes at once (Monte Carlo draws).
//
// # Concurrency
//
// A Program is immutable; all mutable state is in the slots a caller
// passes.
package engine
