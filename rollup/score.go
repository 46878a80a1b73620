package rollup

import (
	"math"

	"github.com/kpitree/kpitree/tree"
)

// ScoreOptions configure a scorecard. The zero value weighs every child
// equally and credits attainment between 0 and 1.
type ScoreOptions struct {
	// Weights by metric id: how much a child counts in its parent's
	// score. Missing ids weigh 1; a weight of 0 leaves a child out.
	Weights map[string]float64
	// Cap is the largest attainment credited (0 means 1: beating one
	// target cannot make up for missing another). Attainment below 0
	// counts as 0.
	Cap float64
	// FromChildren scores every node with scored children from them,
	// even when it has its own attainment. By default a node with its own
	// attainment is scored by it, and only nodes without one are scored
	// from their children.
	FromChildren bool
}

// Score is one node of a scorecard.
type Score struct {
	Metric string
	// Score is the node's score: its own capped attainment, or, for a
	// node without one (or with ScoreOptions.FromChildren), the weighted
	// mean of its children's scores.
	Score float64
	// OK reports whether the node could be scored at all.
	OK bool
	// Own is the node's own capped attainment, if it has one (HasOwn).
	Own    float64
	HasOwn bool
	// Rolled is the weighted mean of the scored children's scores, when
	// there are any (HasRolled).
	Rolled    float64
	HasRolled bool
	// Children are the scored children, in the order of c.Children(node) (tree.Compiled.Children:
	// formula inputs, link causes, segments).
	Children []string
}

// Scores rolls attainment up the tree into a score per metric, in
// declaration order. attainment gives each metric's own attainment (from
// Progress.Attainment or Progress.Outlook, say); metrics absent from it
// have none. Every node gets Rolled, the weighted mean of its scored
// children's scores; its Score is its own attainment when it has one,
// else Rolled (ScoreOptions.FromChildren prefers Rolled). Links that form
// loops are followed once: where a loop closes, the node it returns to
// counts by its own attainment (or not at all if it has none).
func Scores(c *tree.Compiled, attainment map[string]float64, opt ScoreOptions) []Score {
	capv := opt.Cap
	if capv == 0 {
		capv = 1
	}
	clamp := func(a float64) float64 { return math.Max(0, math.Min(a, capv)) }
	n := c.Len()
	out := make([]Score, n)
	state := make([]uint8, n) // 0 new, 1 visiting, 2 done
	var visit func(i int)
	visit = func(i int) {
		if state[i] != 0 {
			return
		}
		state[i] = 1
		s := &out[i]
		s.Metric = c.ID(i)
		if a, ok := attainment[s.Metric]; ok && !math.IsNaN(a) {
			s.Own, s.HasOwn = clamp(a), true
		}
		sum, wsum := 0.0, 0.0
		for _, j := range c.Children(i) {
			visit(j)
			var js float64
			switch {
			case state[j] == 2 && out[j].OK:
				js = out[j].Score
			case state[j] == 1 && out[j].HasOwn:
				// a loop closes at j, which is still being scored: j
				// counts by its own attainment
				js = out[j].Own
			default:
				continue
			}
			w := 1.0
			if x, ok := opt.Weights[c.ID(j)]; ok {
				w = x
			}
			if w <= 0 || math.IsNaN(w) {
				continue
			}
			sum += w * js
			wsum += w
			s.Children = append(s.Children, c.ID(j))
		}
		if wsum > 0 {
			s.Rolled, s.HasRolled = sum/wsum, true
		}
		switch {
		case s.HasOwn && !(opt.FromChildren && s.HasRolled):
			s.Score, s.OK = s.Own, true
		case s.HasRolled:
			s.Score, s.OK = s.Rolled, true
		}
		state[i] = 2
	}
	for i := range n {
		visit(i)
	}
	return out
}
