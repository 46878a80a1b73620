package tree

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kpitree/kpitree/internal/formula"
)

// Sentinel errors. Every error Compile returns matches ErrInvalidModel and
// one of the more specific sentinels below, through errors.Is.
var (
	ErrInvalidModel = errors.New("invalid model")
	ErrDuplicateID  = errors.New("duplicate metric id")
	ErrInvalidID    = errors.New("invalid metric id")
	ErrUnknownRef   = errors.New("unknown reference")
	ErrCycle        = errors.New("dependency cycle")
	ErrSelfRef      = errors.New("self reference")
	ErrFormula      = errors.New("invalid formula")
	ErrInvalidValue = errors.New("invalid value")
	ErrOption       = errors.New("invalid option")

	// ErrForeignCone is returned by Evaluator.RunCone for a cone found
	// for another model than the evaluator's. It is not a Compile error.
	ErrForeignCone = errors.New("cone of another model")

	// The kinds of formula error; a *FormulaError matches ErrFormula and one of these.
	ErrSyntax          = formula.ErrSyntax
	ErrUnknownName     = formula.ErrUnknownName
	ErrUnknownFunction = formula.ErrUnknownFunction
	ErrNotAllowed      = formula.ErrNotAllowed
	ErrType            = formula.ErrType
	ErrArity           = formula.ErrArity
	ErrTooLarge        = formula.ErrTooLarge
)

// FormulaError is a problem in one metric's formula, positioned in the
// formula (Line, Column, 1-based, in runes) and, when the model came from
// a file, in the file (File, FileLine, FileColumn).
type FormulaError struct {
	Metric     string
	Formula    string
	Line       int
	Column     int
	Msg        string
	Hint       string // e.g. `did you mean "visitors"?`
	File       string
	FileLine   int
	FileColumn int
	kind       error
	snippet    string
}

func (e *FormulaError) Error() string {
	var b strings.Builder
	if e.File != "" {
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.FileLine, e.FileColumn)
	}
	fmt.Fprintf(&b, "formula of %q (%d:%d): %s", e.Metric, e.Line, e.Column, e.Msg)
	if e.Hint != "" {
		fmt.Fprintf(&b, " (%s)", e.Hint)
	}
	b.WriteString(e.snippet)
	return b.String()
}

// Snippet is the formula line with a caret under the offending token.
func (e *FormulaError) Snippet() string { return e.snippet }

// Is matches ErrInvalidModel, ErrFormula and the error's kind.
func (e *FormulaError) Is(target error) bool {
	return target == ErrInvalidModel || target == ErrFormula || target == e.kind
}

func fromFormulaError(m *Model, fe *formula.Error) *FormulaError {
	e := &FormulaError{
		Metric: fe.Metric, Formula: fe.Source, Line: fe.Line, Column: fe.Column,
		Msg: fe.Msg, Hint: fe.Hint, kind: fe.Kind, snippet: fe.Snippet(),
	}
	if file, _, _, ok := m.position(fe.Metric, true); ok {
		e.File = file
		e.FileLine, e.FileColumn, _ = m.formulaPosition(fe.Metric, fe.Source, fe.Line, fe.Column)
	}
	return e
}

// ModelError is a structural problem of a model: a duplicate or invalid
// id, an unknown reference, an invalid option or value.
type ModelError struct {
	Metric string // the metric concerned, if any
	Field  string // where: "id", "links[2].to", "decompositions[0].segments[1].metric", ...
	Msg    string
	Hint   string
	File   string // position in the model file, when known
	Line   int
	Column int
	kind   error
}

func (e *ModelError) Error() string {
	var b strings.Builder
	if e.File != "" && e.Line > 0 {
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	}
	if e.Metric != "" {
		fmt.Fprintf(&b, "metric %q: ", e.Metric)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "%s: ", e.Field)
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		fmt.Fprintf(&b, " (%s)", e.Hint)
	}
	return b.String()
}

// Is matches ErrInvalidModel and the error's kind.
func (e *ModelError) Is(target error) bool {
	return target == ErrInvalidModel || target == e.kind
}

// Kind returns the sentinel the error matches besides ErrInvalidModel.
func (e *ModelError) Kind() error { return e.kind }

// CycleError is a loop of same-period dependencies. Path lists the
// metrics around the loop, starting and ending with the same id
// ([a b c a]); a metric that uses itself gives [a a]. Loops through prev()
// are allowed and never reported.
type CycleError struct {
	Path []string
}

func (e *CycleError) Error() string {
	if len(e.Path) == 2 {
		return fmt.Sprintf("metric %q: formula uses its own value in the same period (use prev(%s) for last period's value)", e.Path[0], e.Path[0])
	}
	p := e.Path
	const max = 12
	s := ""
	if len(p) > max {
		s = strings.Join(p[:max/2], " -> ") + fmt.Sprintf(" -> ... (%d more) -> ", len(p)-max) + strings.Join(p[len(p)-max/2:], " -> ")
	} else {
		s = strings.Join(p, " -> ")
	}
	return "dependency cycle: " + s + " (each uses the next in the same period; break the loop or use prev())"
}

// Is matches ErrInvalidModel, ErrCycle, and ErrSelfRef for a loop of one.
func (e *CycleError) Is(target error) bool {
	return target == ErrInvalidModel || target == ErrCycle || target == ErrSelfRef && len(e.Path) == 2
}

// maxErrors bounds how many errors Compile collects.
const maxErrors = 50

type errorList struct {
	errs []error
	more int
}

func (l *errorList) add(err error) {
	if len(l.errs) >= maxErrors {
		l.more++
		return
	}
	l.errs = append(l.errs, err)
}

// room reports whether the next error added is kept.
func (l *errorList) room() bool { return len(l.errs) < maxErrors }

// hint is suggestHint for an error about to be added, "" if it will not
// be kept: suggestions cost a pass over the ids each.
func (l *errorList) hint(env *modelEnv, name string) string {
	if !l.room() {
		return ""
	}
	return suggestHint(env, name)
}

func (l *errorList) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	if l.more > 0 {
		l.errs = append(l.errs, fmt.Errorf("%w: and %d more errors", ErrInvalidModel, l.more))
	}
	if len(l.errs) == 1 {
		return l.errs[0]
	}
	return errors.Join(l.errs...)
}
