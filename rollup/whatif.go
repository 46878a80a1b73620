package rollup

// What-if analysis
//
// The what-if tools answer a planner's questions about one period of a
// model: what happens if an input changes (Session, DataTable), which
// value of an input reaches a goal (GoalSeek, GoalSeekMany), what every
// KPI must be for the KGI to reach its target (Cascade), which inputs
// matter most (Elasticities, Tornado) and why a value changed (Attribute,
// AttributeFactors, AttributeMix, AttributeVariance). Scenarios (scenario.go) layer
// overrides over a Source for whole period ranges and Compare sets them
// side by side.
//
// A Session holds every node's value at one period in a tree.Evaluator.
// Changing a node recomputes only the derived nodes downstream of it (its
// cone, tree.Cone), so the cost of a change follows the size of the cone,
// not of the model; every goal-seek trial, data-table cell, elasticity
// step and tornado bar is such a change. Sessions are not safe for
// concurrent use; Clone gives each goroutine its own.

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// Errors of the what-if tools, matched with errors.Is. The typed errors
// UnreachableError and NotMonotoneError carry the details.
var (
	// ErrUnknownMetric: a metric id that the model does not have.
	ErrUnknownMetric = errors.New("rollup: unknown metric")
	// ErrInvalidArgument: a bad option, bound, grid or value.
	ErrInvalidArgument = errors.New("rollup: invalid argument")
	// ErrNoPath: the target does not depend on the input in the same period.
	ErrNoPath = errors.New("rollup: target does not depend on the input")
	// ErrUnreachable: no value of the input within the bounds reaches the target.
	ErrUnreachable = errors.New("rollup: target unreachable")
	// ErrNotMonotone: the target is not monotone in the input over the
	// bounds, so a target value is met more than once (or the bounds do not
	// bracket a single root).
	ErrNotMonotone = errors.New("rollup: target not monotone in the input")
	// ErrNotAdditive: attribution by Delta of a node that is not a sum or
	// difference of its inputs.
	ErrNotAdditive = errors.New("rollup: node is not additive in its inputs")
	// ErrNotProduct: attribution by LMDI of a node that is not a product or
	// ratio of its inputs (or factors that do not multiply to the node).
	ErrNotProduct = errors.New("rollup: node is not a product of its inputs")
	// ErrNonFinite: a what-if evaluation gave NaN or an infinity where a
	// number is needed (a missing input, a division by zero).
	ErrNonFinite = errors.New("rollup: value is not finite")
)

// Session holds the value of every node at one period and recomputes only
// what a change affects. Build one with NewSession, SessionAt or
// Scenario.Session. A Session is not safe for concurrent use.
type Session struct {
	c      *tree.Compiled
	e      tree.Evaluator
	k      tree.Cone    // the cone of the last change
	kNode  int          // the node k was found for; -1 if none or several
	pos    []int32      // node -> position in Compiled.Order (-1 for inputs)
	pins   [][]Override // per node: overrides that replace or adjust its formula value
	pinned bool         // any pins
	period metric.Period
}

// NewSession evaluates period p of c's what-if model (tree.Compiled.WhatIf:
// drivers held at their measured values, their numerators computed)
// alone, as Evaluate(c.WhatIf(), src, p, p, opt) does (prev() reads recorded values from src, else the metric's
// Initial value), and returns a Session holding the values. Missing
// values are NaN. Under the Fail policy, evaluation problems are an
// error.
func NewSession(c *tree.Compiled, src Source, p metric.Period, opt Options) (*Session, error) {
	c, src = whatIf(c, src)
	r, err := Evaluate(c, src, p, p, opt)
	if err != nil {
		return nil, err
	}
	s := newSession(c, p)
	copy(s.e.Values(), r.vals[:c.Len()])
	if src == nil {
		src = Data(nil)
	}
	for k, l := range c.Lags() {
		s.e.Lagged()[k], _ = historyValue(c, src, l.Node, p.Add(-l.Lag), opt)
	}
	return s, nil
}

// SessionAt returns a Session holding the values r computed for period p,
// on the what-if model of r's model (the same nodes, drivers as inputs).
// prev() values come from r's earlier periods; one that reaches before r's
// first period is NaN (it only matters if a change recomputes a node that
// uses it: evaluate from an earlier period to have it).
func SessionAt(r *Result, p metric.Period) (*Session, error) {
	t, ok := slices.BinarySearchFunc(r.periods, p, metric.Period.Compare)
	if !ok {
		return nil, fmt.Errorf("%w: period %s was not evaluated", ErrInvalidArgument, p)
	}
	c := r.c.WhatIf() // the same nodes, drivers as inputs
	n := c.Len()
	s := newSession(c, p)
	copy(s.e.Values(), r.vals[t*n:(t+1)*n])
	for k, l := range c.Lags() {
		if tt := t - l.Lag; tt >= 0 {
			s.e.Lagged()[k] = r.vals[tt*n+l.Node]
		} else {
			s.e.Lagged()[k] = math.NaN()
		}
	}
	return s, nil
}

func newSession(c *tree.Compiled, p metric.Period) *Session {
	s := &Session{c: c, period: p, kNode: -1}
	s.e.Bind(c)
	s.pos = make([]int32, c.Len())
	for i := range s.pos {
		s.pos[i] = -1
	}
	k := int32(0)
	for i := range c.Order() {
		s.pos[i] = k
		k++
	}
	return s
}

// historyValue is the value prev() reads for node at hp, a period before
// the evaluated ones, following Evaluate's rules.
func historyValue(c *tree.Compiled, src Source, node int, hp metric.Period, opt Options) (float64, State) {
	if v, ok := src.Value(c.ID(node), hp); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
		return v, OK
	}
	if init := c.Metric(node).Initial; init != nil {
		return *init, OK
	}
	if opt.Policy == Zero {
		return 0, Filled
	}
	return math.NaN(), Missing
}

// Compiled returns the session's model.
func (s *Session) Compiled() *tree.Compiled { return s.c }

// Period returns the period the session's values belong to.
func (s *Session) Period() metric.Period { return s.period }

// Value returns node id's current value (NaN if missing or unknown) and
// whether it is finite.
func (s *Session) Value(id string) (float64, bool) {
	i, ok := s.c.Index(id)
	if !ok {
		return math.NaN(), false
	}
	v := s.e.Values()[i]
	return v, !math.IsNaN(v) && !math.IsInf(v, 0)
}

// Values returns every node's current value by node index. The slice is
// the session's own: read it, do not modify it.
func (s *Session) Values() []float64 { return s.e.Values() }

// Set changes node id to v and recomputes the nodes downstream of it.
// Setting a derived node pins it: it keeps v, no longer computed from its
// formula, until Unpin. It returns the number of nodes recomputed.
func (s *Session) Set(id string, v float64) (int, error) {
	i, err := s.index(id)
	if err != nil {
		return 0, err
	}
	if !s.c.IsInput(i) {
		s.pin(i, []Override{{Metric: id, Kind: SetValue, Value: v}})
	}
	return s.SetIndex(i, v), nil
}

// SetIndex is Set by node index, for hot loops: it does not pin a derived
// node (a later change upstream of it recomputes it). It returns the
// number of nodes recomputed. The session keeps the cone of the last
// node changed, so changing the same node again skips finding it.
func (s *Session) SetIndex(i int, v float64) int {
	s.e.Values()[i] = v
	k := s.coneOf(i)
	s.runConeOf(k)
	return k.Len()
}

// coneOf returns the session's cone for the given changed nodes, reusing
// the last one found for a single node.
func (s *Session) coneOf(nodes ...int) *tree.Cone {
	if len(nodes) == 1 && nodes[0] == s.kNode {
		return &s.k
	}
	s.k.Find(s.c, nodes...)
	s.kNode = -1
	if len(nodes) == 1 {
		s.kNode = nodes[0]
	}
	return &s.k
}

// Unpin makes a derived node computed from its formula again and
// recomputes it and its cone.
func (s *Session) Unpin(id string) error {
	i, err := s.index(id)
	if err != nil {
		return err
	}
	if s.pins == nil || s.pins[i] == nil {
		return nil
	}
	s.pins[i] = nil
	s.pinned = slices.ContainsFunc(s.pins, func(o []Override) bool { return o != nil })
	if p := s.pos[i]; p >= 0 {
		s.e.RunNode(int(p))
	}
	s.runConeOf(s.coneOf(i))
	return nil
}

// Clone returns an independent copy of the session.
func (s *Session) Clone() *Session {
	t := &Session{c: s.c, pos: s.pos, pinned: s.pinned, period: s.period, kNode: -1}
	t.e.Bind(s.c)
	copy(t.e.Values(), s.e.Values())
	copy(t.e.Lagged(), s.e.Lagged())
	if s.pins != nil {
		t.pins = slices.Clone(s.pins)
	}
	return t
}

func (s *Session) pin(i int, ops []Override) {
	if s.pins == nil {
		s.pins = make([][]Override, s.c.Len())
	}
	s.pins[i] = ops
	s.pinned = true
}

// setTrial sets node i to v and recomputes cone k (found for i) without
// pinning; used by the solvers with a cone found once.
func (s *Session) setTrial(k *tree.Cone, i int, v float64) {
	s.e.Values()[i] = v
	s.runConeOf(k)
}

func (s *Session) runConeOf(k *tree.Cone) {
	if !s.pinned {
		if err := s.e.RunCone(k); err != nil {
			// Unreachable: the session finds its cones on its own model.
			panic(err)
		}
		return
	}
	vals := s.e.Values()
	for i := range k.Nodes() {
		s.e.RunNode(int(s.pos[i]))
		if ops := s.pins[i]; ops != nil {
			vals[i], _ = applyOverrides(ops, s.period, vals[i], true)
		}
	}
}

func (s *Session) index(id string) (int, error) {
	i, ok := s.c.Index(id)
	if !ok {
		return 0, fmt.Errorf("%w %q", ErrUnknownMetric, id)
	}
	return i, nil
}

// upstreamInputs returns the input nodes that node i depends on in the
// same period (directly or through derived nodes), in declaration order.
func upstreamInputs(c *tree.Compiled, i int) []int {
	seen := make([]bool, c.Len())
	var out []int
	stack := []int{i}
	seen[i] = true
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c.IsInput(j) {
			out = append(out, j)
			continue
		}
		for _, d := range c.Deps(j) {
			if d.Lag == 0 && !seen[d.Node] {
				seen[d.Node] = true
				stack = append(stack, d.Node)
			}
		}
	}
	slices.Sort(out)
	return out
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
