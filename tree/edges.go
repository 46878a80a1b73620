package tree

import (
	"iter"
	"slices"
	"sync"
)

// EdgeKind says why one metric sits below another in the tree.
type EdgeKind uint8

const (
	// FormulaEdge: the parent's formula uses the child (Lag periods back).
	FormulaEdge EdgeKind = iota + 1
	// LinkEdge: a declared causal link from the child (cause) to the parent (effect).
	LinkEdge
	// PartEdge: the child is a segment of a decomposition of the parent.
	PartEdge
)

func (k EdgeKind) String() string {
	switch k {
	case FormulaEdge:
		return "formula"
	case LinkEdge:
		return "link"
	case PartEdge:
		return "part"
	}
	return "EdgeKind(?)"
}

// Edge is one edge of the tree, from a child up to its parent.
type Edge struct {
	Child, Parent int
	Kind          EdgeKind
	Lag           int // for formula and link edges
}

// Edges yields every edge of the tree, parent by parent in declaration
// order: the parent's formula inputs (in the order the formula first uses
// them, lagged ones included), then the causes of links into it (in
// declaration order), then its segments. Self edges (prev(x) in x's own
// formula) are left out; an edge may repeat with another kind.
func (c *Compiled) Edges() iter.Seq[Edge] {
	c.edgeOnce.Do(c.buildEdges)
	return func(yield func(Edge) bool) {
		for _, e := range c.edgeList {
			if !yield(e) {
				return
			}
		}
	}
}

// Children returns the distinct children of node i (see Edges), in edge
// order.
func (c *Compiled) Children(i int) []int {
	c.edgeOnce.Do(c.buildEdges)
	var out []int
	for _, e := range c.edgeList[c.edgeAt[i]:c.edgeAt[i+1]] {
		if !slices.Contains(out, e.Child) {
			out = append(out, e.Child)
		}
	}
	return out
}

// Parents returns the distinct parents of node i, in declaration order.
func (c *Compiled) Parents(i int) []int {
	c.edgeOnce.Do(c.buildEdges)
	out := make([]int, 0, c.parentAt[i+1]-c.parentAt[i])
	for _, p := range c.parents[c.parentAt[i]:c.parentAt[i+1]] {
		out = append(out, int(p))
	}
	return out
}

// PathUp returns the shortest chain of nodes from i up through parents to
// the first node for which stop reports true (i first, that node last),
// or nil if there is none. Ties go to parents declared first.
func (c *Compiled) PathUp(i int, stop func(j int) bool) []int {
	c.edgeOnce.Do(c.buildEdges)
	prev := make(map[int]int, 16)
	prev[i] = -1
	queue := []int{i}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if stop(n) {
			var path []int
			for k := n; k >= 0; k = prev[k] {
				path = append(path, k)
			}
			slices.Reverse(path)
			return path
		}
		for _, p32 := range c.parents[c.parentAt[n]:c.parentAt[n+1]] {
			p := int(p32)
			if _, seen := prev[p]; !seen {
				prev[p] = n
				queue = append(queue, p)
			}
		}
	}
	return nil
}

// buildEdges lays out the edges once, on first use (the edge index is
// not part of the compiled plan, so models that never ask pay nothing).
func (c *Compiled) buildEdges() {
	n := len(c.ids)
	m := c.model
	linksTo := make([][]Link, n)
	for _, l := range m.Links {
		f, ok1 := c.Index(l.From)
		t, ok2 := c.Index(l.To)
		if ok1 && ok2 && f != t {
			linksTo[t] = append(linksTo[t], l)
		}
	}
	partsOf := make([][]int, n)
	for _, d := range m.Decompositions {
		p, ok := c.Index(d.Parent)
		if !ok {
			continue
		}
		for _, s := range d.Segments {
			if j, ok := c.Index(s.Metric); ok && j != p {
				partsOf[p] = append(partsOf[p], j)
			}
		}
	}
	c.edgeAt = make([]int32, n+1)
	for i := range n {
		c.edgeAt[i] = int32(len(c.edgeList))
		for _, d := range c.Deps(i) {
			if d.Node != i {
				c.edgeList = append(c.edgeList, Edge{Child: d.Node, Parent: i, Kind: FormulaEdge, Lag: d.Lag})
			}
		}
		for _, l := range linksTo[i] {
			f, _ := c.Index(l.From)
			c.edgeList = append(c.edgeList, Edge{Child: f, Parent: i, Kind: LinkEdge, Lag: l.Lag})
		}
		for _, j := range partsOf[i] {
			c.edgeList = append(c.edgeList, Edge{Child: j, Parent: i, Kind: PartEdge})
		}
	}
	c.edgeAt[n] = int32(len(c.edgeList))
	// parents: edges regrouped by child, each parent once, in parent order
	up := make([][]int32, n)
	for _, e := range c.edgeList {
		if l := up[e.Child]; len(l) == 0 || l[len(l)-1] != int32(e.Parent) {
			up[e.Child] = append(up[e.Child], int32(e.Parent))
		}
	}
	c.parentAt = make([]int32, n+1)
	for i := range n {
		c.parentAt[i] = int32(len(c.parents))
		c.parents = append(c.parents, up[i]...)
	}
	c.parentAt[n] = int32(len(c.parents))
}

// edgeIndex holds the lazily built edge lists of a Compiled.
type edgeIndex struct {
	edgeOnce sync.Once
	edgeList []Edge
	edgeAt   []int32
	parents  []int32
	parentAt []int32
}
