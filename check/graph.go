package check

import (
	"slices"

	"github.com/kpitree/kpitree/tree"
)

// graph is the tree as edges from a child (an input of a formula, the
// cause of a link, a segment) to its parent, with the kind of each edge.
type graph struct {
	c    *tree.Compiled
	up   [][]int // parents of each node, sorted, unique
	down [][]int // children of each node, sorted, unique
	// formulaIn[i] holds the nodes i's formula reads (any lag).
	formulaIn [][]int
}

func newGraph(c *tree.Compiled) *graph {
	n := c.Len()
	g := &graph{c: c, up: make([][]int, n), down: make([][]int, n), formulaIn: make([][]int, n)}
	for i := range n {
		for _, d := range c.Deps(i) {
			if !slices.Contains(g.formulaIn[i], d.Node) {
				g.formulaIn[i] = append(g.formulaIn[i], d.Node)
			}
		}
		g.up[i] = c.Parents(i)
		g.down[i] = c.Children(i)
		slices.Sort(g.down[i])
	}
	return g
}

// reach returns the nodes reachable from start along next (start excluded).
func reach(start int, next [][]int) []bool {
	seen := make([]bool, len(next))
	stack := []int{start}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, j := range next[i] {
			if !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	seen[start] = false
	return seen
}

// distances returns the undirected distance from start to every node (-1
// when unreachable), up to limit steps.
func (g *graph) distances(start, limit int) []int {
	dist := make([]int, len(g.up))
	for i := range dist {
		dist[i] = -1
	}
	dist[start] = 0
	queue := []int{start}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		if dist[i] == limit {
			continue
		}
		for _, nb := range [][]int{g.up[i], g.down[i]} {
			for _, j := range nb {
				if dist[j] < 0 {
					dist[j] = dist[i] + 1
					queue = append(queue, j)
				}
			}
		}
	}
	return dist
}
