package smart

import (
	"fmt"
	"strconv"
	"time"

	"github.com/kpitree/kpitree/metric"
)

// Goal is anything with a target that can be checked against SMART: a KGI,
// a KPI target, a key result. Build it with [FromMetric], from an OKR key
// result (okr.KeyResult.Goal) or by hand. Empty fields are what the checks
// report as missing.
type Goal struct {
	// ID names the goal in findings; it defaults to Metric.
	ID string
	// Statement is the goal as people wrote it ("increase sales",
	// "tăng doanh số lên 20%"); it is checked for vague words.
	Statement string
	// Metric is the id of the metric the goal is measured by.
	Metric string
	// Owner is who answers for the goal.
	Owner string
	// Target is the target value; nil means the goal has no number.
	Target *float64
	// Unit of the target.
	Unit metric.Unit
	// Baseline is the value the goal starts from; nil if unknown.
	Baseline *float64
	// Direction says which side of the target is success; nil means it is
	// not stated.
	Direction *metric.Direction
	// Source names the data source or tool the value comes from.
	Source string
	// Frequency is how often the value is measured.
	Frequency metric.Grain
	// Period is the period the target applies to; its end is the deadline.
	Period metric.Period
	// Deadline, when set, overrides the end of Period.
	Deadline time.Time
	// Objective, when set, is the objective the goal serves (an OKR
	// objective id): such a goal is relevant even without a tree.
	Objective string
	// History holds the metric's past values for the Achievable check.
	// When nil, Check reads the metric's series from Options.Data.
	History *metric.Series
}

// FromMetric builds the goal of metric m reaching target t. The statement
// is generated ("Revenue: 500000000 USD by the end of 2027").
func FromMetric(m *metric.Metric, t metric.Target) Goal {
	v := t.Value
	d := m.Direction
	g := Goal{
		ID:        m.ID,
		Metric:    m.ID,
		Owner:     m.Owner,
		Target:    &v,
		Unit:      m.Unit,
		Baseline:  t.Baseline,
		Direction: &d,
		Source:    m.Source,
		Frequency: m.Frequency,
		Period:    t.Period,
	}
	name := m.Name
	if name == "" {
		name = m.ID
	}
	g.Statement = fmt.Sprintf("%s: %s", name, FormatValue(v, m.Unit))
	if !t.Period.IsZero() {
		g.Statement += " by the end of " + t.Period.String()
	}
	return g
}

// DeadlineTime returns the goal's deadline: Deadline if set, else the end
// of Period, else the zero time.
func (g Goal) DeadlineTime() time.Time {
	if !g.Deadline.IsZero() {
		return g.Deadline
	}
	if !g.Period.IsZero() {
		return g.Period.End()
	}
	return time.Time{}
}

func (g Goal) id() string {
	if g.ID != "" {
		return g.ID
	}
	if g.Metric != "" {
		return g.Metric
	}
	return "goal"
}

// FormatValue writes v with its unit the way people read it: a ratio as a
// percentage ("8%"), a percent with a % sign, other units after the
// number ("500 USD").
func FormatValue(v float64, u metric.Unit) string {
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch u.Kind() {
	case metric.UnitRatio:
		return num(roundSig(v*100)) + "%"
	case metric.UnitPercent:
		return num(v) + "%"
	case metric.UnitNone:
		return num(v)
	}
	return num(v) + " " + string(u)
}

// roundSig rounds away binary noise (0.08*100 = 8.000000000000002).
func roundSig(x float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	if err != nil {
		return x
	}
	return r
}
