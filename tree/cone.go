package tree

import (
	"fmt"
	"iter"
	"math/bits"
	"slices"
)

// Cone is the set of derived nodes downstream of some changed nodes (in
// the same period), in evaluation order: exactly what must be recomputed
// after those nodes change. Its zero value is empty and ready for use; a
// Cone reuses its memory across Find calls and is not safe for
// concurrent use.
type Cone struct {
	c     *Compiled
	steps []int32 // positions in the evaluation order, ascending
	mark  []uint32
	gen   uint32
	queue []int32
	bits  []uint64 // positions of a large cone, to order it without sorting
}

// Find sets the cone to the derived nodes that depend, directly or
// through other nodes, on any of changed within the same period. Its cost
// follows the size of the cone, not of the model (after the first call
// for a model, which sizes the cone's scratch memory).
func (k *Cone) Find(c *Compiled, changed ...int) {
	if k.c != c || len(k.mark) != len(c.ids) {
		k.c = c
		k.mark = make([]uint32, len(c.ids))
		k.gen = 0
	}
	k.gen++
	if k.gen == 0 { // wrapped: clear stale marks
		clear(k.mark)
		k.gen = 1
	}
	k.steps = k.steps[:0]
	k.queue = k.queue[:0]
	for _, i := range changed {
		if k.mark[i] != k.gen {
			k.mark[i] = k.gen
			k.queue = append(k.queue, int32(i))
		}
	}
	for len(k.queue) > 0 {
		i := k.queue[len(k.queue)-1]
		k.queue = k.queue[:len(k.queue)-1]
		for _, u := range c.users[c.useAt[i]:c.useAt[i+1]] {
			if k.mark[u] == k.gen {
				continue
			}
			k.mark[u] = k.gen
			k.queue = append(k.queue, u)
			k.steps = append(k.steps, c.pos[u])
		}
	}
	k.order(len(c.order))
}

// order sorts the cone's positions: by sorting for a small cone, and for
// a large one by setting bits over all positions and reading them back
// in order (linear in the cone plus n/64 words).
func (k *Cone) order(n int) {
	words := (n + 63) / 64
	if len(k.steps) < 64 || words > 4*len(k.steps) {
		slices.Sort(k.steps)
		return
	}
	if len(k.bits) < words {
		k.bits = make([]uint64, words)
	}
	for _, p := range k.steps {
		k.bits[p>>6] |= 1 << (p & 63)
	}
	k.steps = k.steps[:0]
	for w := range k.bits[:words] {
		x := k.bits[w]
		if x == 0 {
			continue
		}
		k.bits[w] = 0
		for x != 0 {
			k.steps = append(k.steps, int32(w<<6+bits.TrailingZeros64(x)))
			x &= x - 1
		}
	}
}

// Len is the number of nodes in the cone.
func (k *Cone) Len() int { return len(k.steps) }

// Nodes yields the cone's nodes in evaluation order.
func (k *Cone) Nodes() iter.Seq[int] {
	return func(yield func(int) bool) {
		for _, p := range k.steps {
			if !yield(int(k.c.order[p])) {
				return
			}
		}
	}
}

// Contains reports whether node i is in the cone.
func (k *Cone) Contains(i int) bool {
	return k.c != nil && i < len(k.mark) && k.mark[i] == k.gen && k.c.kind[i] != inputNode && k.inSteps(i)
}

func (k *Cone) inSteps(i int) bool {
	_, ok := slices.BinarySearch(k.steps, k.c.pos[i])
	return ok
}

// RunCone recomputes only the nodes of cone k, in evaluation order.
// Values outside the cone must be up to date. The cone must have been
// found for e's model (Find with e.Compiled()): a cone found for another
// model, or one changed by another goroutine while it runs, is refused
// with an error matching ErrForeignCone, whatever the engine; every
// position is checked before it runs. An empty cone runs nothing.
func (e *Evaluator) RunCone(k *Cone) error {
	if len(k.steps) == 0 {
		return nil
	}
	if k.c != e.c {
		return foreignCone(k.c, e.c)
	}
	if err := e.c.prog.RunNodes(e.slots, k.steps); err != nil {
		return fmt.Errorf("tree: RunCone: %w: %w", ErrForeignCone, err)
	}
	return nil
}

func foreignCone(cone, ev *Compiled) error {
	name := func(c *Compiled) string {
		if c == nil {
			return "no model (unbound)"
		}
		return fmt.Sprintf("model %q (%d nodes, compiled at %p)", c.model.Name, len(c.ids), c)
	}
	return fmt.Errorf("tree: RunCone: %w: the cone was found for %s, the evaluator is bound to %s (find the cone with the evaluator's Compiled)",
		ErrForeignCone, name(cone), name(ev))
}
