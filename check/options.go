package check

import (
	"errors"
	"fmt"
	"math"

	"github.com/kpitree/kpitree/internal/stats"
)

// ErrOptions is matched (errors.Is) by the error returned for invalid
// Options, such as an unknown adjustment method or an alpha outside (0, 1).
var ErrOptions = errors.New("check: invalid options")

// TransformKind is how a series is made stationary before the causal
// tests.
type TransformKind uint8

// The transforms. The zero value, TransformAuto, differences a pair of
// series when an ADF test cannot reject a unit root in either of them.
const (
	// TransformAuto: log-difference (all values positive) or difference
	// when ADF says either series is non-stationary, else none.
	TransformAuto TransformKind = iota
	// TransformNone tests the series as they are.
	TransformNone
	// TransformDiff: x_t − x_{t−1}.
	TransformDiff
	// TransformLogDiff: ln x_t − ln x_{t−1} (all values must be positive).
	TransformLogDiff
	// TransformPctChange: x_t / x_{t−1} − 1 (no zero values).
	TransformPctChange
	// TransformSeasonalDiff: x_t − x_{t−k} for the Transform's Period k.
	TransformSeasonalDiff
)

// Transform selects the transform of the causal and duplicate-series
// checks. Its zero value is automatic.
type Transform struct {
	Kind TransformKind
	// Period is the seasonal period k of TransformSeasonalDiff (12 for
	// monthly data with a yearly season).
	Period int
}

// SeasonalDiff returns the transform x_t − x_{t−k}.
func SeasonalDiff(k int) Transform { return Transform{Kind: TransformSeasonalDiff, Period: k} }

// String names the transform: "auto", "none", "diff", "logdiff",
// "pctchange" or "seasonaldiff(k)".
func (t Transform) String() string {
	switch t.Kind {
	case TransformAuto:
		return "auto"
	case TransformNone:
		return "none"
	case TransformDiff:
		return "diff"
	case TransformLogDiff:
		return "logdiff"
	case TransformPctChange:
		return "pctchange"
	case TransformSeasonalDiff:
		return fmt.Sprintf("seasonaldiff(%d)", t.Period)
	}
	return fmt.Sprintf("Transform(%d)", t.Kind)
}

// MarshalText implements encoding.TextMarshaler with String.
func (t Transform) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// Tolerance is how far apart two numbers may be and still count as equal:
// |a − b| ≤ max(Rel·max(|a|, |b|), Abs), Python's math.isclose rule.
type Tolerance struct {
	Rel float64
	Abs float64
}

// Close reports whether a and b are equal within t.
func (t Tolerance) Close(a, b float64) bool {
	return math.Abs(a-b) <= max(t.Rel*max(math.Abs(a), math.Abs(b)), t.Abs)
}

// Options configure the checks. The zero value runs every rule (except
// the optional ones) with the defaults documented on each field.
type Options struct {
	// Rules selects the rules that run (all by default).
	Rules Rules
	// MaxChildren is the most children a node may have before
	// structure.too-many-children fires. Default 7.
	MaxChildren int
	// MaxDepth is the most levels (a KGI is level 1) a path down from a
	// KGI may have before structure.too-deep fires. Default 5.
	MaxDepth int
	// Alpha is the significance level of the causal tests, after
	// adjustment for multiple testing. Default 0.05.
	Alpha float64
	// Adjust is the multiple-testing adjustment over the declared links
	// (and, separately, over the suggested ones): "holm" (default),
	// "bonferroni", "fdr_bh" or "fdr_by".
	Adjust string
	// MaxLag is the largest lag of the Granger tests and lagged
	// correlations. Default 4; a declared lag above it is tested too.
	MaxLag int
	// MinObservations is the fewest periods (before transforming) a pair
	// of series needs for the causal and duplicate-series checks.
	// Default 12.
	MinObservations int
	// Transform makes series stationary before the tests (automatic by
	// default).
	Transform Transform
	// MECETolerance is how far the children's sum may be from the parent
	// in the numeric MECE check. The zero value means Rel 1e-6, Abs 1e-9.
	MECETolerance Tolerance
	// MaxExamples bounds the uncovered points listed per decomposition.
	// Default 5.
	MaxExamples int
	// DuplicateCorrelation is the |Pearson r| of two transformed series
	// at or above which they are reported as duplicates. Default 0.98.
	DuplicateCorrelation float64
	// CounterMetrics turns on the optional rule
	// structure.no-counter-metric.
	CounterMetrics bool
	// SuggestLinks turns on causal.suggested-link: undeclared links the
	// data supports strongly.
	SuggestLinks bool
	// SuggestDistance bounds the pairs tested for suggestions to metrics
	// at most this many steps apart in the tree (ignoring direction).
	// Default 2.
	SuggestDistance int
	// SuggestMaxPairs caps the ordered pairs tested for suggestions.
	// Default 200.
	SuggestMaxPairs int
}

// resolved holds Options with defaults applied.
type resolved struct {
	Options
	method stats.Method
}

func (o Options) resolve() (resolved, error) {
	r := resolved{Options: o}
	if r.MaxChildren <= 0 {
		r.MaxChildren = 7
	}
	if r.MaxDepth <= 0 {
		r.MaxDepth = 5
	}
	if r.Alpha == 0 {
		r.Alpha = 0.05
	}
	if !(r.Alpha > 0 && r.Alpha < 1) {
		return r, fmt.Errorf("%w: alpha %v is outside (0, 1)", ErrOptions, o.Alpha)
	}
	if r.Adjust == "" {
		r.Adjust = "holm"
	}
	m, err := stats.ParseMethod(r.Adjust)
	if err != nil {
		return r, fmt.Errorf("%w: unknown adjustment %q: want holm, bonferroni, fdr_bh or fdr_by", ErrOptions, o.Adjust)
	}
	r.method = m
	if r.MaxLag <= 0 {
		r.MaxLag = 4
	}
	if r.MinObservations <= 0 {
		r.MinObservations = 12
	}
	if r.MinObservations < 5 {
		r.MinObservations = 5
	}
	if r.Transform.Kind > TransformSeasonalDiff {
		return r, fmt.Errorf("%w: unknown transform %v", ErrOptions, o.Transform)
	}
	if r.Transform.Kind == TransformSeasonalDiff && r.Transform.Period < 1 {
		return r, fmt.Errorf("%w: seasonal difference needs a period of 1 or more, got %d", ErrOptions, o.Transform.Period)
	}
	if r.MECETolerance == (Tolerance{}) {
		r.MECETolerance = Tolerance{Rel: 1e-6, Abs: 1e-9}
	}
	if r.MECETolerance.Rel < 0 || r.MECETolerance.Abs < 0 || math.IsNaN(r.MECETolerance.Rel) || math.IsNaN(r.MECETolerance.Abs) {
		return r, fmt.Errorf("%w: negative or NaN MECE tolerance %+v", ErrOptions, o.MECETolerance)
	}
	if r.MaxExamples <= 0 {
		r.MaxExamples = 5
	}
	if r.DuplicateCorrelation == 0 {
		r.DuplicateCorrelation = 0.98
	}
	if !(r.DuplicateCorrelation > 0 && r.DuplicateCorrelation <= 1) {
		return r, fmt.Errorf("%w: duplicate correlation %v is outside (0, 1]", ErrOptions, o.DuplicateCorrelation)
	}
	if r.SuggestDistance <= 0 {
		r.SuggestDistance = 2
	}
	if r.SuggestMaxPairs <= 0 {
		r.SuggestMaxPairs = 200
	}
	return r, nil
}

// num makes a float JSON-safe for evidence: NaN and infinities become nil.
func num(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}
