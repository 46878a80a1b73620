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

// reachFrom returns the nodes reachable from any of starts along next by
// a path of at least one edge, in O(nodes + edges).
func reachFrom(starts []int, next [][]int) []bool {
	seen := make([]bool, len(next))
	var stack []int
	for _, s := range starts {
		for _, j := range next[s] {
			if !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
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
	return seen
}

// paths holds, for every node visited, the length (in nodes) of the
// longest path down from it and the next node on that path, as found by longestPaths.
type paths struct {
	length []int
	next   []int
	down   [][]int
	state  []uint8 // 0 new, 1 on the stack, 2 done
}

// longestPaths prepares longest-path queries along down. A loop (through
// links) is followed once: a child still on the search stack is skipped,
// as a recursive depth-first search would, and of equally long paths the
// first child's wins.
func longestPaths(down [][]int) *paths {
	n := len(down)
	p := &paths{length: make([]int, n), next: make([]int, n), down: down, state: make([]uint8, n)}
	return p
}

// from returns the longest path down from k (k first). It visits each
// node once over all calls, without recursion, and costs O(len(path))
// to build the result.
func (p *paths) from(k int) []int {
	type frame struct{ node, child int }
	if p.state[k] != 2 {
		stack := []frame{{k, 0}}
		p.state[k] = 1
		p.length[k], p.next[k] = 1, -1
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.child < len(p.down[f.node]) {
				ch := p.down[f.node][f.child]
				f.child++
				switch p.state[ch] {
				case 1:
					continue // a loop through links: followed once
				case 0:
					p.state[ch] = 1
					p.length[ch], p.next[ch] = 1, -1
					stack = append(stack, frame{ch, 0})
					continue
				}
				if p.length[ch]+1 > p.length[f.node] {
					p.length[f.node], p.next[f.node] = p.length[ch]+1, ch
				}
				continue
			}
			// done with f.node: report it to its parent
			i := f.node
			p.state[i] = 2
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				parent := stack[len(stack)-1].node
				if p.length[i]+1 > p.length[parent] {
					p.length[parent], p.next[parent] = p.length[i]+1, i
				}
			}
		}
	}
	var out []int
	for i := k; i >= 0; i = p.next[i] {
		out = append(out, i)
	}
	return out
}
