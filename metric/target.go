package metric

import (
	"fmt"
	"math"
	"time"
)

// Target is a goal for a metric over one period: "revenue 500M USD in
// 2027", "conversion 8% each month of 2026-Q3". The deadline is the end of
// Period.
type Target struct {
	// Period the target applies to. Its end is the deadline.
	Period Period
	// Value is the target value; for a Band direction it is the lower bound.
	Value float64
	// Max is the upper bound of a Band; unused otherwise.
	Max float64
	// Baseline, when set, is the value at Start: attainment then measures
	// progress from the baseline towards the target.
	Baseline *float64
	// Start is when progress towards the target starts; the zero Period
	// means the start of Period.
	Start Period
	// Note is free text.
	Note string
}

// Deadline returns the end of the target period (exclusive) in UTC; the
// zero time if the target has no period.
func (t Target) Deadline() (d time.Time) {
	if t.Period.IsZero() {
		return d
	}
	return t.Period.End()
}

// Validate checks the target for direction d.
func (t Target) Validate(d Direction) error {
	if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
		return fmt.Errorf("target value %v is not a finite number", t.Value)
	}
	if d == Band {
		if math.IsNaN(t.Max) || math.IsInf(t.Max, 0) {
			return fmt.Errorf("band target max %v is not a finite number", t.Max)
		}
		if t.Max < t.Value {
			return fmt.Errorf("band target [%g, %g] has max below its lower bound", t.Value, t.Max)
		}
	}
	if t.Baseline != nil && (math.IsNaN(*t.Baseline) || math.IsInf(*t.Baseline, 0)) {
		return fmt.Errorf("target baseline %v is not a finite number", *t.Baseline)
	}
	if !t.Start.IsZero() && !t.Period.IsZero() && !t.Start.Start().Before(t.Period.End()) {
		return fmt.Errorf("target start %s is after its period %s", t.Start, t.Period)
	}
	return nil
}
