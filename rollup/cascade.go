package rollup

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// CascadeOptions configure Cascade. The zero value moves every input
// below the KGI by the same relative factor and sets targets for the
// session's period.
type CascadeOptions struct {
	// Weights are log-scale weights per input id (default 1): an input of
	// weight 2 changes by the square of the factor an input of weight 1
	// does; weight 0 holds it.
	Weights map[string]float64
	// Hold lists inputs that keep their current value (not controllable).
	Hold []string
	// Period of the targets; zero means the session's period.
	Period metric.Period
}

// Cascaded is one metric's target derived by Cascade.
type Cascaded struct {
	Metric  string
	Current float64
	Target  metric.Target
}

// Cascade works backwards from a KGI: given its target value, it derives
// a consistent target for every metric below it in the same period.
//
// The rule: every input under the KGI moves on a log scale in the
// direction that helps (the sign of its local effect on the KGI), by a
// common factor raised to its weight — GoalSeekMany with the Weighted
// allocation — solved so that the KGI reaches value exactly; each derived
// metric's target is then its value computed from the input targets. So
// the targets satisfy every formula of the model at once: for a product
// (revenue = visitors × conversion × order value) with equal weights
// every factor is scaled by the same relative factor; for a sum every
// term is scaled alike, so the change is shared in proportion to the
// current shares; a term that is subtracted (a cost) moves the other way.
// Inputs that are zero, held or of weight zero keep their values.
//
// The targets are returned in declaration order, the KGI included; store
// them with ApplyTargets.
func (s *Session) Cascade(kgi string, value float64, opt CascadeOptions) ([]Cascaded, error) {
	ki, err := s.index(kgi)
	if err != nil {
		return nil, err
	}
	for _, id := range slices.Sorted(maps.Keys(opt.Weights)) {
		if _, err := s.index(id); err != nil {
			return nil, err
		}
	}
	for _, id := range opt.Hold {
		if _, err := s.index(id); err != nil {
			return nil, err
		}
	}
	if s.c.IsInput(ki) {
		return nil, fmt.Errorf("%w: %s is an input: there is nothing below it to cascade a target to", ErrInvalidArgument, kgi)
	}
	p := opt.Period
	if p.IsZero() {
		p = s.period
	}
	vals := s.e.Values()
	var levers []Lever
	for _, i := range upstreamInputs(s.c, ki) {
		id := s.c.ID(i)
		w, ok := opt.Weights[id]
		if !ok {
			w = 1
		}
		if w == 0 || vals[i] == 0 || slices.Contains(opt.Hold, id) {
			continue
		}
		levers = append(levers, Lever{Input: id, Weight: w})
	}
	if len(levers) == 0 {
		return nil, fmt.Errorf("%w: no input under %s can move", ErrUnreachable, kgi)
	}
	sol, err := s.GoalSeekMany(kgi, value, levers, Weighted)
	if err != nil {
		return nil, err
	}
	t := s.Clone()
	idx := make([]int, len(sol.Levers))
	for j, l := range sol.Levers {
		idx[j], _ = t.c.Index(l.Input)
		t.e.Values()[idx[j]] = l.Value
	}
	t.runConeOf(t.coneOf(idx...))
	up := map[int]bool{ki: true}
	stack := []int{ki}
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range s.c.Deps(j) {
			if d.Lag == 0 && !up[d.Node] {
				up[d.Node] = true
				stack = append(stack, d.Node)
			}
		}
	}
	note := fmt.Sprintf("cascaded from %s = %g", kgi, value)
	var out []Cascaded
	for i := range s.c.Len() {
		if !up[i] {
			continue
		}
		out = append(out, Cascaded{Metric: s.c.ID(i), Current: vals[i],
			Target: metric.Target{Period: p, Value: t.e.Values()[i], Note: note}})
	}
	return out, nil
}

// ApplyTargets returns a copy of m with the targets stored on their
// metrics: a target replaces one of the same period, or is added. m is
// not modified.
func ApplyTargets(m *tree.Model, targets []Cascaded) (*tree.Model, error) {
	out := *m
	out.Metrics = slices.Clone(m.Metrics)
	byID := make(map[string]int, len(out.Metrics))
	for i := range out.Metrics {
		byID[out.Metrics[i].ID] = i
	}
	cloned := map[int]bool{}
	for _, t := range targets {
		i, ok := byID[t.Metric]
		if !ok {
			return nil, fmt.Errorf("%w %q", ErrUnknownMetric, t.Metric)
		}
		mt := &out.Metrics[i]
		if !cloned[i] {
			mt.Targets = slices.Clone(mt.Targets)
			cloned[i] = true
		}
		if j := slices.IndexFunc(mt.Targets, func(x metric.Target) bool { return x.Period == t.Target.Period }); j >= 0 {
			mt.Targets[j] = t.Target
		} else {
			mt.Targets = append(mt.Targets, t.Target)
		}
	}
	return &out, nil
}
