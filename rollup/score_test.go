package rollup_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// scoreTree: revenue = visitors * conversion * aov, visitors = organic +
// paid, and a declared link site_structure -> conversion.
func scoreTree(t *testing.T) *tree.Compiled {
	t.Helper()
	c, err := tree.Compile(&tree.Model{
		Metrics: []metric.Metric{
			{ID: "revenue", Kind: metric.KGI, Formula: "visitors * conversion * aov"},
			{ID: "visitors", Formula: "organic + paid"},
			{ID: "organic"},
			{ID: "paid"},
			{ID: "conversion", Aggregation: metric.Mean},
			{ID: "aov", Aggregation: metric.Mean},
			{ID: "site_structure", Kind: metric.KSF},
			{ID: "unrelated"},
		},
		Links: []tree.Link{{From: "site_structure", To: "conversion", Sign: tree.SignPositive}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type scoreWant struct {
	score   float64 // NaN: not OK
	own     float64 // NaN: no own
	rolled  float64 // NaN: none
	childen string
}

func checkScores(t *testing.T, got []rollup.Score, want map[string]scoreWant) {
	t.Helper()
	for _, s := range got {
		w, ok := want[s.Metric]
		if !ok {
			continue
		}
		if s.OK == math.IsNaN(w.score) || s.OK && !sameFloat(s.Score, w.score) {
			t.Errorf("%s: score %v (ok %v), want %v", s.Metric, s.Score, s.OK, w.score)
		}
		if s.HasOwn == math.IsNaN(w.own) || s.HasOwn && !sameFloat(s.Own, w.own) {
			t.Errorf("%s: own %v (%v), want %v", s.Metric, s.Own, s.HasOwn, w.own)
		}
		if s.HasRolled == math.IsNaN(w.rolled) || s.HasRolled && !sameFloat(s.Rolled, w.rolled) {
			t.Errorf("%s: rolled %v (%v), want %v", s.Metric, s.Rolled, s.HasRolled, w.rolled)
		}
		if got := strings.Join(s.Children, ","); got != w.childen {
			t.Errorf("%s: children %q, want %q", s.Metric, got, w.childen)
		}
	}
}

func TestScores(t *testing.T) {
	c := scoreTree(t)
	nan := math.NaN()
	att := map[string]float64{"organic": 0.8, "paid": 1.2, "conversion": 0.9, "aov": 1.1, "site_structure": 0.5}
	tests := []struct {
		name string
		att  map[string]float64
		opt  rollup.ScoreOptions
		want map[string]scoreWant
	}{
		{
			name: "defaults: equal weights, cap 1, own attainment first",
			att:  att,
			want: map[string]scoreWant{
				"organic":        {0.8, 0.8, nan, ""},
				"paid":           {1, 1, nan, ""},
				"visitors":       {0.9, nan, 0.9, "organic,paid"},
				"conversion":     {0.9, 0.9, 0.5, "site_structure"},
				"aov":            {1, 1, nan, ""},
				"revenue":        {2.8 / 3, nan, 2.8 / 3, "visitors,conversion,aov"},
				"site_structure": {0.5, 0.5, nan, ""},
				"unrelated":      {nan, nan, nan, ""},
			},
		},
		{
			name: "weights; a weight of 0 leaves a child out",
			att:  att,
			opt:  rollup.ScoreOptions{Weights: map[string]float64{"visitors": 2, "aov": 0}},
			want: map[string]scoreWant{
				"revenue": {0.9, nan, 0.9, "visitors,conversion"}, // (2*0.9 + 0.9) / 3
			},
		},
		{
			name: "cap",
			att:  att,
			opt:  rollup.ScoreOptions{Cap: 1.2},
			want: map[string]scoreWant{
				"paid":     {1.2, 1.2, nan, ""},
				"visitors": {1, nan, 1, "organic,paid"},
				"revenue":  {1, nan, 1, "visitors,conversion,aov"}, // (1 + 0.9 + 1.1) / 3
			},
		},
		{
			name: "FromChildren",
			att:  att,
			opt:  rollup.ScoreOptions{FromChildren: true},
			want: map[string]scoreWant{
				"conversion": {0.5, 0.9, 0.5, "site_structure"},
				"revenue":    {0.8, nan, 0.8, "visitors,conversion,aov"}, // (0.9 + 0.5 + 1) / 3
				"organic":    {0.8, 0.8, nan, ""},
			},
		},
		{
			name: "negative attainment counts as 0, NaN as none",
			att:  map[string]float64{"organic": -0.5, "paid": nan, "revenue": 0.7},
			want: map[string]scoreWant{
				"organic":  {0, 0, nan, ""},
				"paid":     {nan, nan, nan, ""},
				"visitors": {0, nan, 0, "organic"},
				"revenue":  {0.7, 0.7, 0, "visitors"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := rollup.Scores(c, tc.att, tc.opt)
			var ids []string
			for _, s := range got {
				ids = append(ids, s.Metric)
			}
			if want := []string{"revenue", "visitors", "organic", "paid", "conversion", "aov", "site_structure", "unrelated"}; !slices.Equal(ids, want) {
				t.Errorf("order %v, want declaration order", ids)
			}
			checkScores(t, got, tc.want)
		})
	}
}

func TestScoresLoopThroughLinks(t *testing.T) {
	nan := math.NaN()
	// a and b drive each other; c is driven by b. Whatever the declaration
	// order, b (no attainment of its own) is scored from a.
	for _, order := range [][]string{{"a", "b", "c"}, {"b", "a", "c"}, {"c", "b", "a"}} {
		var ms []metric.Metric
		for _, id := range order {
			ms = append(ms, metric.Metric{ID: id})
		}
		c, err := tree.Compile(&tree.Model{Metrics: ms, Links: []tree.Link{
			{From: "a", To: "b"}, {From: "b", To: "a"}, {From: "b", To: "c"},
		}})
		if err != nil {
			t.Fatal(err)
		}
		got := rollup.Scores(c, map[string]float64{"a": 0.6}, rollup.ScoreOptions{})
		// a -> b -> back to a: b counts a's own attainment. When b or c is
		// scored first, the loop closes at b, which has none, so a has no
		// scored children; its score is its own either way.
		aWant := scoreWant{0.6, 0.6, nan, ""}
		if order[0] == "a" {
			aWant = scoreWant{0.6, 0.6, 0.6, "b"}
		}
		checkScores(t, got, map[string]scoreWant{
			"a": aWant,
			"b": {0.6, nan, 0.6, "a"},
			"c": {0.6, nan, 0.6, "b"},
		})
	}
}

func TestChildren(t *testing.T) {
	c, err := tree.Compile(&tree.Model{
		Metrics: []metric.Metric{
			{ID: "revenue", Formula: "revenue_eu + revenue_us + prev(revenue) * 0"},
			{ID: "revenue_eu"}, {ID: "revenue_us"}, {ID: "revenue_apac"}, {ID: "brand"},
		},
		Links:      []tree.Link{{From: "brand", To: "revenue"}, {From: "revenue_eu", To: "revenue"}},
		Dimensions: []tree.Dimension{{Name: "region", Values: []string{"eu", "us", "apac"}}},
		Decompositions: []tree.Decomposition{{Parent: "revenue", Segments: []tree.Segment{
			{Metric: "revenue_eu", Where: []tree.Condition{{Dimension: "region", In: []string{"eu"}}}},
			{Metric: "revenue_us", Where: []tree.Condition{{Dimension: "region", In: []string{"us"}}}},
			{Metric: "revenue_apac", Where: []tree.Condition{{Dimension: "region", In: []string{"apac"}}}},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	i, _ := c.Index("revenue")
	var got []string
	for _, j := range c.Children(i) {
		got = append(got, c.ID(j))
	}
	// formula inputs (not prev of itself), then link causes, then segments; each once
	if want := []string{"revenue_eu", "revenue_us", "brand", "revenue_apac"}; !slices.Equal(got, want) {
		t.Errorf("Children = %v, want %v", got, want)
	}
}
