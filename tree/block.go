package tree

import "math"

// BlockEvaluator evaluates many independent variants (lanes) of one
// period at once — the Monte Carlo draws of a simulation, the points of
// a sweep. Each operation of the compiled program runs over all lanes
// before the next, so operands stay in cache and the inner loops are
// tight. Its zero value is ready to use after Bind; it is not safe for
// concurrent use (give each goroutine its own). Running allocates
// nothing.
type BlockEvaluator struct {
	c       *Compiled
	w       int
	slots   []float64
	scratch []float64
	lane    []float64
}

// DefaultBlockWidth is the lane count Bind uses for width 0.
const DefaultBlockWidth = 256

// Bind prepares e for c with the given number of lanes (0 means
// DefaultBlockWidth). All values start as NaN.
func (e *BlockEvaluator) Bind(c *Compiled, width int) {
	if width <= 0 {
		width = DefaultBlockWidth
	}
	n := c.prog.NumSlots() * width
	if cap(e.slots) < n {
		e.slots = make([]float64, n)
	}
	e.slots = e.slots[:n]
	for i := range e.slots {
		e.slots[i] = math.NaN()
	}
	if c.prog.HasKernels() && len(e.scratch) < c.prog.NumSlots() {
		e.scratch = make([]float64, c.prog.NumSlots())
	}
	if cap(e.lane) < width {
		e.lane = make([]float64, width)
	}
	e.lane = e.lane[:width]
	c.prog.InitBlock(e.slots, width)
	e.c, e.w = c, width
}

// Width is the number of lanes.
func (e *BlockEvaluator) Width() int { return e.w }

// Lanes returns node i's values across the lanes: write an input's
// values here before Run, read a derived node's after.
func (e *BlockEvaluator) Lanes(i int) []float64 {
	return e.slots[i*e.w : (i+1)*e.w : (i+1)*e.w]
}

// LaggedLanes returns the lanes of the k-th entry of Compiled.Lags.
func (e *BlockEvaluator) LaggedLanes(k int) []float64 {
	i := len(e.c.ids) + k
	return e.slots[i*e.w : (i+1)*e.w : (i+1)*e.w]
}

// Run computes every derived node in every lane.
func (e *BlockEvaluator) Run() { e.c.prog.RunBlock(e.slots, e.w, e.scratch, e.lane) }
