// Package check reviews a KPI tree and its data and reports findings.
//
// # Overview
//
// A Finding is what a reviewer should know about a valid model: a KPI with
// no path to a KGI, a declared causal link the data contradicts, children
// that do not add up to their parent. Findings carry a stable rule code, a
// severity, the node ids involved, a message, a hint and the evidence
// (numbers, periods, predicate values). They sort deterministically
// (Compare) and marshal to JSON.
//
// Findings are not failures: a model that cannot be evaluated is an
// error from tree.Compile.
package check
