package metric

import (
	"fmt"
	"strings"
)

// Kind is the level of a metric in a KPI tree.
type Kind uint8

// The kinds of metric, from the final goal down to the factors that move it.
const (
	// KGI is a key goal indicator: the final business goal, one number with a deadline.
	KGI Kind = iota + 1
	// KPI is a key performance indicator: an intermediate, measurable target on the way to a KGI.
	KPI
	// KSF is a key success factor: an action or condition that moves KPIs.
	KSF
)

var kindNames = [...]string{KGI: "KGI", KPI: "KPI", KSF: "KSF"}

// String returns "KGI", "KPI" or "KSF", and "" for the zero Kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// ParseKind parses "KGI", "KPI" or "KSF" (case-insensitive).
func ParseKind(s string) (Kind, error) {
	for k := KGI; k <= KSF; k++ {
		if strings.EqualFold(s, kindNames[k]) {
			return k, nil
		}
	}
	return 0, fmt.Errorf("metric: unknown kind %q: want KGI, KPI or KSF", s)
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Direction says which values of a metric are better. The zero Direction is
// HigherIsBetter.
type Direction uint8

const (
	// HigherIsBetter: revenue, visitors, conversion rate.
	HigherIsBetter Direction = iota
	// LowerIsBetter: churn, cost per acquisition, response time.
	LowerIsBetter
	// Ceiling: the value must stay at or below the target (a failed-sale
	// rate); staying under the limit is full attainment, going lower earns
	// nothing more.
	Ceiling
	// Floor: the value must stay at or above the target (a service level);
	// going higher earns nothing more.
	Floor
	// Band: the value must stay within [Target.Value, Target.Max].
	Band
)

var directionNames = [...]string{
	HigherIsBetter: "higher", LowerIsBetter: "lower", Ceiling: "ceiling", Floor: "floor", Band: "band",
}

// String returns "higher", "lower", "ceiling", "floor" or "band".
func (d Direction) String() string {
	if int(d) < len(directionNames) {
		return directionNames[d]
	}
	return fmt.Sprintf("Direction(%d)", d)
}

// ParseDirection parses the names String returns; "higher_is_better",
// "up", "lower_is_better" and "down" are accepted too.
func ParseDirection(s string) (Direction, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "higher", "higher_is_better", "up", "":
		return HigherIsBetter, nil
	case "lower", "lower_is_better", "down":
		return LowerIsBetter, nil
	case "ceiling", "max", "at_most":
		return Ceiling, nil
	case "floor", "min", "at_least":
		return Floor, nil
	case "band", "range", "within":
		return Band, nil
	}
	return 0, fmt.Errorf("metric: unknown direction %q: want higher, lower, ceiling, floor or band", s)
}

// MarshalText implements encoding.TextMarshaler.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Direction) UnmarshalText(b []byte) error {
	v, err := ParseDirection(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Better reports whether a is strictly better than b under direction d.
// For Ceiling, Floor and Band "better" is the same as for LowerIsBetter,
// HigherIsBetter and LowerIsBetter respectively, ignoring the target.
func (d Direction) Better(a, b float64) bool {
	switch d {
	case LowerIsBetter, Ceiling:
		return a < b
	case Band:
		return false
	}
	return a > b
}

// Unit is the unit of a metric's values. It is free text with conventions
// that Kind recognises: an ISO 4217 code ("USD", "EUR", "VND") is a
// currency; "count", "ratio", "percent" (or "%"); durations "seconds",
// "minutes", "hours", "days" (or "s", "min", "h", "d"). Anything else is
// a custom unit ("visits", "points").
type Unit string

// UnitKind classifies a Unit.
type UnitKind uint8

// The unit kinds.
const (
	UnitNone UnitKind = iota
	UnitCurrency
	UnitCount
	UnitRatio
	UnitPercent
	UnitDuration
	UnitCustom
)

var unitKindNames = [...]string{"", "currency", "count", "ratio", "percent", "duration", "custom"}

// String names the unit kind.
func (k UnitKind) String() string {
	if int(k) < len(unitKindNames) {
		return unitKindNames[k]
	}
	return fmt.Sprintf("UnitKind(%d)", k)
}

// Kind classifies u.
func (u Unit) Kind() UnitKind {
	s := strings.TrimSpace(string(u))
	switch strings.ToLower(s) {
	case "":
		return UnitNone
	case "count", "number", "#":
		return UnitCount
	case "ratio", "rate", "fraction":
		return UnitRatio
	case "percent", "%", "pct":
		return UnitPercent
	case "s", "sec", "second", "seconds", "min", "minute", "minutes", "h", "hour", "hours", "d", "day", "days", "week", "weeks", "month", "months":
		return UnitDuration
	}
	if len(s) == 3 && s == strings.ToUpper(s) && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
		return UnitCurrency
	}
	return UnitCustom
}

// Metric describes one node of a KPI tree: a goal, an indicator or a
// success factor. A Metric with a Formula is derived from other metrics;
// one without is an input whose values come from data.
//
// The zero Metric is not valid (it has no ID); tree.Model validates metrics.
type Metric struct {
	ID          string // identifier used in formulas: a letter or '_' followed by letters, digits, '_'
	Name        string // display name
	Description string
	Kind        Kind
	Unit        Unit
	Direction   Direction
	// Aggregation says how the metric combines over time (monthly to
	// quarterly). The zero value means Sum for inputs. A derived metric is
	// never aggregated: it is recomputed from its aggregated inputs.
	Aggregation Aggregation
	// Weight, with Aggregation Mean, names the metric whose values weight
	// the mean over time: avg_order_value weighted by orders makes a
	// quarter's average order value the quarter's revenue over its
	// orders, so that quarterly orders × quarterly average order value
	// is the sum of the monthly revenues. Weights must be non-negative.
	// Empty means an unweighted mean.
	Weight string
	// Additive declares a derived metric a flow that adds up over time
	// (revenue, orders): its value over a quarter or a year should be the
	// sum of its values in the months inside. Rollups still recompute it
	// from the aggregated inputs; package check reports where the two
	// differ (rule rollup.not-additive) and which averaged input causes it.
	Additive bool
	// Driver makes a derived ratio, measured from actuals as
	// numerator / denominator (conversion_rate = orders / visitors), a
	// lever in what-if analysis: scenarios, sessions, goal seek, cascade,
	// sensitivity and simulation hold it at its measured value, or at the
	// value they give it, and compute the numerator from it as
	// driver × (denominator). The numerator must be an input.
	Driver bool
	// Formula in expr syntax over other metric ids, e.g.
	// "visitors * conversion_rate * avg_order_value" or
	// "prev(mrr) + new_mrr - churned_mrr". Empty for inputs.
	Formula string
	// Initial is the value prev() sees before history starts. Nil means
	// such a value is missing.
	Initial *float64
	// Owner is who answers for the metric.
	Owner string
	// Frequency is how often the metric is measured.
	Frequency Grain
	// Source names the data source or tool.
	Source string
	// Labels are free classification labels, for example
	// {"finance": "financial", "timing": "leading", "type": "output", "level": "strategic"}.
	Labels map[string]string
	// Targets are the metric's targets over time: monthly targets, a yearly goal.
	Targets []Target
}

// Derived reports whether m has a formula.
func (m *Metric) Derived() bool { return strings.TrimSpace(m.Formula) != "" }

// AggregationOrDefault returns m.Aggregation, or Sum when it is unset.
func (m *Metric) AggregationOrDefault() Aggregation {
	if m.Aggregation == 0 {
		return Sum
	}
	return m.Aggregation
}

// Label returns the value of label key, or "".
func (m *Metric) Label(key string) string { return m.Labels[key] }

// TargetFor returns the target whose period is exactly p.
func (m *Metric) TargetFor(p Period) (Target, bool) {
	for _, t := range m.Targets {
		if t.Period == p {
			return t, true
		}
	}
	return Target{}, false
}

// TargetsCovering returns, in declaration order, the targets whose period
// contains p (a monthly actual is covered by a quarterly and a yearly target).
func (m *Metric) TargetsCovering(p Period) []Target {
	var out []Target
	for _, t := range m.Targets {
		if !t.Period.IsZero() && t.Period.Contains(p) {
			out = append(out, t)
		}
	}
	return out
}
