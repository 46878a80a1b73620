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
// every instruction over many lanes at once (Monte Carlo draws), the
// AVX2 kernels in chunks of at most 4096 lanes between preemption
// points.
//
// # Native code
//
// On linux/amd64 (unless built with the purego tag or the race detector,
// which cannot see machine code's memory accesses) a program of at least
// minNativeInstrs compilable instructions is also compiled to x86-64
// machine code: straight-line SSE2 scalar operations on the slots,
// addressed from one register, with no dispatch and no bounds checks (Run
// checks the slot count once). Compilable are moves, + - * /, the
// two-operation forms, negation, abs, sqrt, min, max, floor and ceil
// (with SSE4.1), comparisons, && || ! and ?:. The operations and their
// order are the interpreter's, so results are identical bit for bit, NaN
// payloads included (min and max are Go's amd64 sequence); across
// architectures NaN payloads may differ, values do not.
//
// Run follows a plan of segments: machine code in chunks of at most
// chunkInstrs instructions, each a function called from a Go loop through
// a preemption point, and interpreted stretches for the instructions the
// JIT does not handle (pow, log, exp, round, clamp, registered functions,
// kernels). A stop-the-world therefore waits for one chunk, not a whole
// evaluation. RunNodes runs per-node functions (compiled on first use;
// nodes with other instructions, or longer than a chunk, are interpreted)
// from an assembly loop that checks every position against the node
// count before the jump and returns to Go after a chunk's worth of
// instructions.
//
// The code lives in shared areas (codemem_linux_amd64.go): 1 MiB memfds
// mapped writable and executable at two addresses, allocated with a free
// list, so that many programs share pages and the process's map count
// follows the live code; code larger than a quarter area gets a private
// mapping (written, then made executable; huge pages requested). A
// program's code returns to its area when the Program is garbage
// collected. Every syscall's error is checked; if the kernel refuses
// executable memory, it is asked once and programs are interpreted from
// then on. NativeStats reports all of it.
//
// # Concurrency
//
// A Program is immutable; all mutable state is in the slots a caller
// passes.
package engine
