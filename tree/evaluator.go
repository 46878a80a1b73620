package tree

import "math"

// Evaluator holds the scratch values of one evaluation of a Compiled
// model. Its zero value is ready to use; Bind (or the first Values call
// after it) sizes it. An Evaluator is not safe for concurrent use: give
// each goroutine its own. Running it allocates nothing.
type Evaluator struct {
	c     *Compiled
	slots []float64
}

// Bind prepares e for c. It allocates only when c needs more room than e
// has, so an Evaluator can be reused across models.
func (e *Evaluator) Bind(c *Compiled) {
	if e.c == c {
		return
	}
	n := c.prog.NumSlots()
	if cap(e.slots) < n {
		e.slots = make([]float64, n)
	}
	e.slots = e.slots[:n]
	for i := range e.slots {
		e.slots[i] = math.NaN()
	}
	c.prog.Init(e.slots)
	e.c = c
}

// Compiled returns the model e is bound to, or nil.
func (e *Evaluator) Compiled() *Compiled { return e.c }

// Values returns the current-period values by node index. Write input
// values here before Run; read derived values after it. A missing value
// is NaN (the rollup package tracks which inputs were missing).
func (e *Evaluator) Values() []float64 {
	n := len(e.c.ids)
	return e.slots[:n:n]
}

// Lagged returns the earlier-period values, one per entry of Compiled.Lags.
func (e *Evaluator) Lagged() []float64 {
	n := len(e.c.ids)
	return e.slots[n : n+len(e.c.lags) : n+len(e.c.lags)]
}

// Run computes every derived node from the inputs and lagged values.
func (e *Evaluator) Run() { e.c.prog.Run(e.slots) }

// RunNode recomputes the derived node at position k of Compiled.Order
// only; the nodes it uses must be up to date.
func (e *Evaluator) RunNode(k int) { e.c.prog.RunNode(e.slots, k) }
