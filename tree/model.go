package tree

import (
	"github.com/kpitree/kpitree/metric"
)

// FormatVersion is the version of the model file format that Load reads
// and Save writes (the value of the top-level "kpitree" key).
const FormatVersion = "1"

// Model is the definition of a KPI tree: metrics, declared causal links
// and decompositions of metrics into segments. It is plain data: build it
// in Go or load it from a file, then Compile it. A Model is not validated
// until Compile; Compile never modifies it.
type Model struct {
	Name        string
	Description string
	// Calendar fixes fiscal years; its zero value is the calendar year.
	Calendar metric.Calendar
	// Grain is the period grain in which inputs are observed and the model
	// is evaluated (monthly by default: the zero value means metric.Month).
	Grain metric.Grain
	// Metrics are the nodes of the tree, in the order they are declared.
	Metrics []metric.Metric
	// Links are declared cause-and-effect relations between metrics.
	Links []Link
	// Dimensions are the attributes segments are split by (region,
	// channel, order value), with their full domain; the MECE checks use
	// them to find overlaps and gaps.
	Dimensions []Dimension
	// Decompositions split a metric into segments.
	Decompositions []Decomposition

	src *sourceMap // positions from the file the model was loaded from, if any
}

// Sign is the expected sign of a causal effect.
type Sign int8

// Expected signs of a causal link.
const (
	SignUnknown  Sign = 0
	SignPositive Sign = 1
	SignNegative Sign = -1
)

// String returns "+", "-" or "?".
func (s Sign) String() string {
	switch s {
	case SignPositive:
		return "+"
	case SignNegative:
		return "-"
	}
	return "?"
}

// Link is a declared causal link: "site_structure drives conversion_rate,
// expected sign +, lag 1 period". Links are hypotheses the checks test on
// history; they do not take part in evaluation.
type Link struct {
	From       string  // the cause's metric id
	To         string  // the effect's metric id
	Sign       Sign    // expected sign of the effect
	Lag        int     // periods between cause and effect (0 = same period)
	Confidence float64 // 0..1, how sure the author is; 0 means unstated
	Evidence   string  // free text: why the link is believed
}

// Dimension is an attribute that segments are split by. Exactly one of
// Values (a categorical dimension) or a numeric range [Lo, Hi) is used.
type Dimension struct {
	Name   string
	Values []string // categorical domain, in order
	// Numeric domain [Lo, Hi); HasHi false means +Inf.
	Numeric bool
	Lo      float64
	Hi      float64
	HasHi   bool
}

// Decomposition splits a parent metric into segments, e.g. revenue into
// revenue_eu and revenue_us by region. The segments' values should add up
// to the parent's (the numeric MECE check), and their predicates should
// neither overlap nor leave a gap (the structural check).
type Decomposition struct {
	Parent   string
	Segments []Segment
}

// Segment is one part of a decomposition: a metric and the predicate on
// dimensions that selects its part of the parent.
type Segment struct {
	Metric string
	Where  []Condition // all must hold; an empty Where selects everything
}

// Condition restricts one dimension: either to a set of categorical
// values (In) or to a numeric range [Lo, Hi) (HasHi false means +Inf).
type Condition struct {
	Dimension string
	In        []string
	Numeric   bool
	Lo        float64
	Hi        float64
	HasHi     bool
}

// Metric returns a pointer to the metric with the given id, or nil.
func (m *Model) Metric(id string) *metric.Metric {
	for i := range m.Metrics {
		if m.Metrics[i].ID == id {
			return &m.Metrics[i]
		}
	}
	return nil
}

// GrainOrDefault returns m.Grain, or metric.Month if unset.
func (m *Model) GrainOrDefault() metric.Grain {
	if m.Grain == 0 {
		return metric.Month
	}
	return m.Grain
}
