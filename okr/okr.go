package okr

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/smart"
)

// Sentinel errors.
var (
	// ErrInvalid is matched by every *SetError: a set that cannot be
	// evaluated (duplicate ids, bad weights, a check-in confidence
	// outside 0..1).
	ErrInvalid = errors.New("okr: invalid OKR set")
	// ErrNoChange is returned for a measured key result whose baseline
	// equals its target: its progress is undefined.
	ErrNoChange = errors.New("okr: baseline equals target")
	// ErrNoValue is returned when a key result has no current value.
	ErrNoValue = errors.New("okr: no current value")
	// ErrTooFewCheckIns is returned by Trend for fewer than three points
	// (two are needed for a line and one more for its spread).
	ErrTooFewCheckIns = errors.New("okr: too few check-ins for a forecast")
)

// Level is where an objective sits in the organisation.
type Level uint8

// The levels; the zero Level is unset.
const (
	Company Level = iota + 1
	Team
	Person
)

var levelNames = []string{"", "company", "team", "person"}

func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("Level(%d)", l)
}

// Kind is the kind of a key result.
type Kind uint8

// The kinds of key result. The zero Kind is Measured.
const (
	// Measured moves a value from From to To, up ("from 10 to 25
	// minutes") or down ("from 100 to 20 USD").
	Measured Kind = iota
	// AtLeast keeps the value at or above To ("stay at or above 80%").
	AtLeast
	// AtMost keeps the value at or below To ("stay at or below 5%").
	AtMost
	// Binary is done or not (a check-in value of 1 or more means done).
	Binary
	// Milestone is a list of steps; progress is the share done.
	Milestone
)

var kindNames = []string{"measured", "at_least", "at_most", "binary", "milestone"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Set is a collection of OKRs for one cycle: what a file holds.
type Set struct {
	Name string
	// Cycle is the default cycle of the objectives (2026-Q3).
	Cycle      metric.Period
	Objectives []Objective
}

// Objective is a qualitative goal with its key results.
type Objective struct {
	ID    string
	Title string
	Owner string
	Level Level
	// Parent is the id of the objective, or key result, this objective
	// contributes to (alignment company → team → person).
	Parent string
	// Aspirational objectives are expected to reach about 0.7; committed
	// ones (the default) 1.0.
	Aspirational bool
	// Cycle is the objective's period; the zero Period means the set's.
	Cycle metric.Period
	// Weight in the parent's roll-up; 0 means 1.
	Weight      float64
	KeyResults  []KeyResult
	Initiatives []Initiative
}

// KeyResult is a measured outcome of an objective.
type KeyResult struct {
	ID    string
	Title string
	Owner string
	Kind  Kind
	// From is the baseline and To the target of a Measured key result;
	// To is the threshold of AtLeast and AtMost. Unused otherwise.
	From, To float64
	Unit     metric.Unit
	// Metric binds the key result to a KPI of the tree: its current value
	// then comes from the evaluation (Options.Data).
	Metric string
	// Weight in the objective's progress; 0 means 1.
	Weight float64
	// Done marks a Binary key result achieved.
	Done       bool
	Milestones []Step
	CheckIns   []CheckIn
}

// Step is one step of a Milestone key result.
type Step struct {
	Title string
	Done  bool
}

// CheckIn is one weekly (or so) update of a key result.
type CheckIn struct {
	// Date of the check-in (a calendar date; time of day is ignored).
	Date  time.Time
	Value float64
	// Confidence of reaching the target, 0..1; nil if not given.
	Confidence *float64
	Note       string
}

// Initiative is work that should move key results. Initiatives never count
// toward progress.
type Initiative struct {
	Title string
	Owner string
	Done  bool
}

// SetError is a problem that makes a set invalid.
type SetError struct {
	ID    string // objective or key result concerned, if any
	Field string
	Msg   string
}

func (e *SetError) Error() string {
	s := "okr: "
	if e.ID != "" {
		s += e.ID + ": "
	}
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Msg
}

// Is matches ErrInvalid.
func (e *SetError) Is(target error) bool { return target == ErrInvalid }

// weight returns w, or 1 for 0.
func weight(w float64) float64 {
	if w == 0 {
		return 1
	}
	return w
}

// Validate checks that s can be evaluated: ids present and unique across
// objectives and key results, weights finite and not negative, measured
// values finite, confidences within 0..1, a cycle for each objective. It
// returns every problem joined; each is a *SetError matching ErrInvalid.
// Structural smells (orphans, alignment cycles, too many key results) are
// findings of Lint, not errors.
func (s *Set) Validate() error {
	var errs []error
	bad := func(id, field, format string, args ...any) {
		errs = append(errs, &SetError{ID: id, Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	seen := map[string]bool{}
	id := func(owner, field, v string) {
		switch {
		case v == "":
			bad(owner, field, "missing id")
		case seen[v]:
			bad(owner, field, "duplicate id %q", v)
		}
		seen[v] = true
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for i, o := range s.Objectives {
		id(o.ID, fmt.Sprintf("objectives[%d].id", i), o.ID)
		if o.Title == "" {
			bad(o.ID, "title", "missing title")
		}
		if !finite(o.Weight) || o.Weight < 0 {
			bad(o.ID, "weight", "weight %v is not a number >= 0", o.Weight)
		}
		if o.Level > Person {
			bad(o.ID, "level", "unknown level %d", o.Level)
		}
		if o.Cycle.IsZero() && s.Cycle.IsZero() {
			bad(o.ID, "cycle", "no cycle: set one on the objective or the set")
		}
		for k, kr := range o.KeyResults {
			id(kr.ID, fmt.Sprintf("objectives[%d].key_results[%d].id", i, k), kr.ID)
			if kr.Kind > Milestone {
				bad(kr.ID, "kind", "unknown kind %d", kr.Kind)
			}
			if !finite(kr.From) || !finite(kr.To) {
				bad(kr.ID, "from/to", "values must be finite")
			}
			if !finite(kr.Weight) || kr.Weight < 0 {
				bad(kr.ID, "weight", "weight %v is not a number >= 0", kr.Weight)
			}
			for c, ci := range kr.CheckIns {
				if ci.Date.IsZero() {
					bad(kr.ID, fmt.Sprintf("check_ins[%d].date", c), "missing date")
				}
				if !finite(ci.Value) {
					bad(kr.ID, fmt.Sprintf("check_ins[%d].value", c), "value %v is not finite", ci.Value)
				}
				if ci.Confidence != nil && !(*ci.Confidence >= 0 && *ci.Confidence <= 1) {
					bad(kr.ID, fmt.Sprintf("check_ins[%d].confidence", c), "confidence %v is outside 0..1", *ci.Confidence)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// CycleOf returns the cycle of objective o in s.
func (s *Set) CycleOf(o *Objective) metric.Period {
	if !o.Cycle.IsZero() {
		return o.Cycle
	}
	return s.Cycle
}

// Objective returns the objective with the given id, or nil.
func (s *Set) Objective(id string) *Objective {
	for i := range s.Objectives {
		if s.Objectives[i].ID == id {
			return &s.Objectives[i]
		}
	}
	return nil
}

// Progress returns the progress of key result kr at value current,
// direction-aware and clamped to 0..1:
//
//   - Measured: (current − From)/(To − From), the same formula up or down
//     (Quantive's and okr-tracker's); From == To is ErrNoChange.
//   - AtLeast / AtMost: 1 while the value keeps the threshold, else 0.
//   - Binary: 1 when current >= 1, else 0.
//   - Milestone: current is the number of steps done, over the number of
//     steps; without steps, current is the share done.
//
// A NaN current value is ErrNoValue.
func (kr *KeyResult) Progress(current float64) (float64, error) {
	if kr.Kind == Measured && kr.From == kr.To {
		return math.NaN(), fmt.Errorf("key result %q: %w (%g): progress is undefined", kr.ID, ErrNoChange, kr.To)
	}
	if math.IsNaN(current) {
		return math.NaN(), fmt.Errorf("key result %q: %w", kr.ID, ErrNoValue)
	}
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	switch kr.Kind {
	case Measured:
		return clamp01((current - kr.From) / (kr.To - kr.From)), nil
	case AtLeast:
		return b(current >= kr.To), nil
	case AtMost:
		return b(current <= kr.To), nil
	case Binary:
		return b(current >= 1), nil
	case Milestone:
		if n := len(kr.Milestones); n > 0 {
			return clamp01(current / float64(n)), nil
		}
		return clamp01(current), nil
	}
	return math.NaN(), fmt.Errorf("key result %q: unknown kind %d", kr.ID, kr.Kind)
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// increasing reports whether higher values are better for kr.
func (kr *KeyResult) increasing() bool {
	switch kr.Kind {
	case Measured:
		return kr.To >= kr.From
	case AtMost:
		return false
	}
	return true
}

// Goal returns the key result as a SMART goal of objective o in cycle
// (the statement is the title, the owner falls back to the objective's).
// Binary and milestone key results have no numeric target.
func (kr *KeyResult) Goal(o *Objective, cycle metric.Period) smart.Goal {
	g := smart.Goal{ID: kr.ID, Statement: kr.Title, Metric: kr.Metric, Owner: kr.Owner, Unit: kr.Unit,
		Period: cycle, Objective: o.ID}
	if g.Owner == "" {
		g.Owner = o.Owner
	}
	var d metric.Direction
	switch kr.Kind {
	case Measured:
		to, from := kr.To, kr.From
		g.Target, g.Baseline = &to, &from
		d = metric.HigherIsBetter
		if to < from {
			d = metric.LowerIsBetter
		}
		g.Direction = &d
	case AtLeast, AtMost:
		to := kr.To
		g.Target = &to
		d = metric.Floor
		if kr.Kind == AtMost {
			d = metric.Ceiling
		}
		g.Direction = &d
	}
	return g
}
