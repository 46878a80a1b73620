// Package formula is the one typed, walkable form of a parsed formula.
//
// # Overview
//
// Parse runs expr's parser (github.com/expr-lang/expr/parser), keeps the
// whitelisted language, resolves metric names and registered functions
// through an Env, checks types (number or boolean) and returns an Expr: a
// tree of *Num, *Ref, *Unary, *Binary, *Cond and *Call nodes with source
// positions, and the distinct (metric, lag) inputs it reads. Every back
// end consumes this tree: the flat-program compiler (internal/engine),
// expr's VM (through Print, which writes canonical expr source), and
// Eval, the reference tree-walking semantics that the others must match
// bit for bit. Diagnose re-evaluates a formula to say which operation
// turned finite inputs into NaN or an infinity.
//
// # Errors
//
// Every problem is an *Error with the metric, line, column, a caret
// snippet, an optional hint (a "did you mean" for unknown names) and a
// sentinel kind for errors.Is.
package formula
