// Package solve finds roots of scalar functions for goal seeking.
//
// # Overview
//
// [Brentq] is a bracketed Brent root finder that follows scipy.optimize.brentq
// (the C routine brentq.c in scipy 1.10) step for step: the same
// interpolation/extrapolation and bisection rules, the same tolerances
// (xtol = 2e-12, rtol = 4*machine epsilon, maxiter = 100 by default) and the
// same iteration and function-call counts. It returns the root together
// with the number of iterations, function calls and a converged flag.
//
// [Scan] handles relations that are not monotone: it evaluates the function
// on a uniform grid over [lo, hi], brackets every sign change and solves it
// with [Brentq], and reports the turning points (local maxima and minima)
// found on the grid, refined by golden-section search. A target beyond the
// function's range on [lo, hi] therefore yields no roots but still shows
// the reachable extreme.
//
// # Errors
//
// Errors wrap sentinel values usable with errors.Is:
//   - [ErrNotBracketed]: f(a) and f(b) have the same sign; the concrete
//     [*NotBracketedError] reports a, b, f(a) and f(b).
//   - [ErrNoConvergence]: the iteration limit was reached; the returned
//     [Result] still carries the last iterate with Converged == false.
//   - [ErrInvalidInput]: bad tolerances, bounds or grid sizes, or a function
//     value that is NaN or infinite.
//
// # Numerics
//
// Convergence is declared when f(x) == 0 exactly or the bracket half-width
// falls below (xtol + rtol*|x|)/2, exactly as in scipy. Turning points are
// located to about sqrt(machine epsilon) relative accuracy in x (the
// function value at the extreme is accurate to rounding), which is the
// limit for any method that compares function values.
package solve
