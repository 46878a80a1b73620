package check

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// longestRecursive is the memoised recursive search longestPaths
// replaces (it copies a path per node: quadratic in depth); the test
// keeps it as the reference.
func longestRecursive(down [][]int, k int, memo [][]int, state []uint8) []int {
	if state[k] == 2 {
		return memo[k]
	}
	state[k] = 1
	var best []int
	for _, ch := range down[k] {
		if state[ch] == 1 {
			continue
		}
		if p := longestRecursive(down, ch, memo, state); len(p) > len(best) {
			best = p
		}
	}
	memo[k] = append([]int{k}, best...)
	state[k] = 2
	return memo[k]
}

// TestGraphSearches compares longestPaths and reachFrom with the
// straightforward searches on random graphs with loops.
func TestGraphSearches(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for trial := range 300 {
		n := 1 + r.IntN(30)
		down := make([][]int, n)
		for i := range down {
			for range r.IntN(4) {
				j := r.IntN(n)
				if j != i && !slices.Contains(down[i], j) {
					down[i] = append(down[i], j)
				}
			}
			slices.Sort(down[i])
		}
		var starts []int
		for i := range n {
			if r.IntN(4) == 0 {
				starts = append(starts, i)
			}
		}
		memo, state := make([][]int, n), make([]uint8, n)
		lp := longestPaths(down)
		for _, k := range starts {
			want := longestRecursive(down, k, memo, state)
			if got := lp.from(k); !slices.Equal(got, want) {
				t.Fatalf("trial %d: longest path from %d: got %v, want %v (graph %v)", trial, k, got, want, down)
			}
		}
		got := reachFrom(starts, down)
		for i := range n {
			want := false
			for _, s := range starts {
				for _, c := range down[s] {
					want = want || c == i || reach(c, down)[i]
				}
			}
			if got[i] != want {
				t.Fatalf("trial %d: reachFrom(%v)[%d] = %v, want %v (graph %v)", trial, starts, i, got[i], want, down)
			}
		}
	}
}
