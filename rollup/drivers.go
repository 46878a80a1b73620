package rollup

import (
	"fmt"
	"sync"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// whatIf returns the model and source every what-if question runs on
// (scenarios, sessions, goal seek, cascade, sensitivity, simulation): the
// model's WhatIf, in which each driver (metric.Metric.Driver) is an input
// and its numerator computed from it, with each driver's value measured
// from src by its formula. Without drivers it returns c and src.
func whatIf(c *tree.Compiled, src Source) (*tree.Compiled, Source) {
	w := c.WhatIf()
	if w.Measured() == w { // no drivers
		return c, src
	}
	if src == nil {
		src = Data(nil)
	}
	if md, ok := src.(*measuredDrivers); ok && md.c == w.Measured() {
		return w, src
	}
	md := &measuredDrivers{src: src, c: w.Measured(), driver: map[string]bool{}, memo: map[metric.Period]*Result{}}
	for _, i := range w.Drivers() {
		md.driver[w.ID(i)] = true
	}
	return w, md
}

// measuredDrivers answers a driver's value in a period with the value its
// formula gives on the actuals of src (conversion_rate as orders over
// visitors), falling back to a value src records for it; every other
// metric from src.
type measuredDrivers struct {
	src    Source
	c      *tree.Compiled // the model actuals are measured with
	driver map[string]bool
	mu     sync.Mutex
	memo   map[metric.Period]*Result
}

// Value implements Source.
func (m *measuredDrivers) Value(id string, p metric.Period) (float64, bool) {
	if !m.driver[id] {
		return m.src.Value(id, p)
	}
	if r := m.measure(p); r != nil {
		if v, ok := r.Value(id, p); ok {
			return v, true
		}
	}
	return m.src.Value(id, p)
}

// measure evaluates the measured model in period p, once.
func (m *measuredDrivers) measure(p metric.Period) *Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.memo[p]
	if !ok {
		if p.Grain() == m.c.Model().GrainOrDefault() {
			r, _ = evaluate(m.c, m.src, []metric.Period{p}, Options{}, nil, nil)
		}
		m.memo[p] = r
	}
	return r
}

// whyMissing explains a missing driver by what its measurement lacks.
func (m *measuredDrivers) whyMissing(id string, p metric.Period) string {
	if ex, ok := m.src.(interface {
		whyMissing(string, metric.Period) string
	}); ok && !m.driver[id] {
		return ex.whyMissing(id, p)
	}
	if !m.driver[id] {
		return "no observation"
	}
	i, _ := m.c.Index(id)
	why := "it cannot be computed"
	if r := m.measure(p); r != nil {
		why = r.Why(id, p)
	}
	return fmt.Sprintf("the driver is measured as %s: %s", m.c.Metric(i).Formula, why)
}
