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
// bit. Run executes the program with no allocation; RunNode and RunNodes
// execute single nodes (for incremental re-evaluation); RunBlock executes
// every instruction over many lanes at once (Monte Carlo draws).
//
// # Native code
//
// On linux/amd64 (unless built with the purego tag) a program made only
// of moves, + - * /, the two-operation forms, negation, abs, sqrt, min,
// max, floor and ceil (with SSE4.1), comparisons, && || ! and ?: is also
// compiled to x86-64 machine code: straight-line SSE2
// scalar operations on the slots, addressed from one register, with no
// dispatch and no bounds checks (Run checks the slot count once). The
// operations and their order are the interpreter's, so results are
// identical bit for bit (tested against the interpreter on special
// values); min and max reproduce Go's NaN and signed-zero rules. The code
// lives in its own executable mapping, released when the Program is
// garbage collected. Per-node functions for RunNodes are compiled on first
// use. Comparisons give 1 or 0 through a CMPSD mask (NaN compares false,
// but != true, as in Go), and ?: is a bitwise blend under the mask
// "condition != 0" (both branches are computed: formulas are pure).
// Programs with other instructions (pow, log, exp, round, clamp,
// registered functions, kernels) are interpreted.
//
// # Concurrency
//
// A Program is immutable; all mutable state is in the slots a caller
// passes.
package engine
