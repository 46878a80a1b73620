package rollup

import (
	"fmt"
	"iter"
	"maps"
	"slices"

	"github.com/kpitree/kpitree/metric"
)

// Source supplies observed values of metrics. Value reports false when
// there is no observation: a missing value, never a zero.
type Source interface {
	Value(id string, p metric.Period) (float64, bool)
}

// Data is an in-memory Source: a series per metric id. The zero value is
// an empty source, ready for Set; a nil series is an empty one.
type Data map[string]*metric.Series

// Value implements Source.
func (d Data) Value(id string, p metric.Period) (float64, bool) {
	s := d[id]
	if s == nil {
		return 0, false
	}
	return s.Get(p)
}

// Set records one observation, creating the map and the series if
// needed: a nil Data works. It returns an error for the zero Period or a
// period whose grain or calendar differs from the id's other
// observations. Set does not check ids against a model; Evaluate reports
// the observations it does not use.
func (d *Data) Set(id string, p metric.Period, v float64) error {
	if *d == nil {
		*d = Data{}
	}
	s := (*d)[id]
	if s == nil {
		s = &metric.Series{}
		(*d)[id] = s
	}
	if err := s.Set(p, v); err != nil {
		return fmt.Errorf("rollup: %s: %w", id, err)
	}
	return nil
}

// Observed implements Lister: the ids in sorted order, each with its
// series (nil series skipped).
func (d Data) Observed() iter.Seq2[string, *metric.Series] {
	return func(yield func(string, *metric.Series) bool) {
		for _, id := range slices.Sorted(maps.Keys(d)) {
			if s := d[id]; s != nil && s.Len() > 0 {
				if !yield(id, s) {
					return
				}
			}
		}
	}
}

// Lister is a Source that can list what it holds. Data is one. Evaluate
// uses it to report the observations it does not use (see UnusedData).
type Lister interface {
	Source
	// Observed yields each id with its observations, ids in sorted order.
	Observed() iter.Seq2[string, *metric.Series]
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
