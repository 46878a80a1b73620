package rollup

import (
	"github.com/kpitree/kpitree/metric"
)

// Source supplies observed values of metrics. Value reports false when
// there is no observation: a missing value, never a zero.
type Source interface {
	Value(id string, p metric.Period) (float64, bool)
}

// Data is an in-memory Source: a series per metric id. The zero value is
// an empty source; a nil series is an empty one.
type Data map[string]*metric.Series

// Value implements Source.
func (d Data) Value(id string, p metric.Period) (float64, bool) {
	s := d[id]
	if s == nil {
		return 0, false
	}
	return s.Get(p)
}

// Set records one observation, creating the series if needed.
func (d Data) Set(id string, p metric.Period, v float64) error {
	s := d[id]
	if s == nil {
		s = &metric.Series{}
		d[id] = s
	}
	return s.Set(p, v)
}

// SourceFunc adapts a function to Source.
type SourceFunc func(id string, p metric.Period) (float64, bool)

// Value implements Source.
func (f SourceFunc) Value(id string, p metric.Period) (float64, bool) { return f(id, p) }

// Layered returns a Source that answers from the first source that has a
// value: Layered(overrides, actuals).
func Layered(sources ...Source) Source {
	return SourceFunc(func(id string, p metric.Period) (float64, bool) {
		for _, s := range sources {
			if s == nil {
				continue
			}
			if v, ok := s.Value(id, p); ok {
				return v, true
			}
		}
		return 0, false
	})
}
