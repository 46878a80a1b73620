package check_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

type meceFile struct {
	Domain  map[string]json.RawMessage
	Numeric []struct {
		Name         string
		Parent       []float64
		Children     [][]float64
		RelTol       float64   `json:"rel_tol"`
		AbsTol       float64   `json:"abs_tol"`
		SumChildren  []float64 `json:"sum_children"`
		Residual     []float64
		Relative     []float64 `json:"relative_residual"`
		MaxAbs       float64   `json:"max_abs_residual"`
		MaxAbsRel    float64   `json:"max_abs_relative_residual"`
		PassByPeriod []bool    `json:"pass_by_period"`
		AllPass      bool      `json:"all_pass"`
		Diagnosis    string
	}
	Structural []struct {
		Name     string
		Segments orderedSegments
		Pairs    []struct {
			Pair    []string
			Example map[string]any
		} `json:"overlapping_pairs"`
		NUncovered int              `json:"n_uncovered_points"`
		Examples   []map[string]any `json:"uncovered_examples"`
		ME         bool             `json:"mutually_exclusive"`
		CE         bool             `json:"collectively_exhaustive"`
	}
}

// orderedSegments keeps the segments of a JSON object in file order.
type orderedSegments struct {
	names []string
	where map[string]map[string]json.RawMessage
}

func (o *orderedSegments) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytesReader(b))
	if _, err := dec.Token(); err != nil {
		return err
	}
	o.where = map[string]map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name := tok.(string)
		var w map[string]json.RawMessage
		if err := dec.Decode(&w); err != nil {
			return err
		}
		o.names = append(o.names, name)
		o.where[name] = w
	}
	return nil
}

// meceDims is the domain of mece.json: channel, device, order_value [0, inf).
func meceDims(t *testing.T, dom map[string]json.RawMessage) []tree.Dimension {
	var dims []tree.Dimension
	for _, name := range []string{"channel", "device"} {
		var vals []string
		if err := json.Unmarshal(dom[name], &vals); err != nil {
			t.Fatal(err)
		}
		dims = append(dims, tree.Dimension{Name: name, Values: vals})
	}
	var ov struct{ Lo float64 }
	if err := json.Unmarshal(dom["order_value"], &ov); err != nil {
		t.Fatal(err)
	}
	return append(dims, tree.Dimension{Name: "order_value", Numeric: true, Lo: ov.Lo})
}

func condition(t *testing.T, dim string, raw json.RawMessage) tree.Condition {
	var vals []string
	if json.Unmarshal(raw, &vals) == nil {
		return tree.Condition{Dimension: dim, In: vals}
	}
	var r struct {
		Lo float64
		Hi *float64
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	c := tree.Condition{Dimension: dim, Numeric: true, Lo: r.Lo}
	if r.Hi != nil {
		c.Hi, c.HasHi = *r.Hi, true
	}
	return c
}

// TestMECEStructuralReference checks every structural case of mece.json.
func TestMECEStructuralReference(t *testing.T) {
	var ref meceFile
	readJSON(t, "mece.json", &ref)
	if len(ref.Structural) == 0 {
		t.Fatal("no cases")
	}
	for _, tc := range ref.Structural {
		t.Run(tc.Name, func(t *testing.T) {
			m := &tree.Model{Metrics: []metric.Metric{kpi("total", metric.KGI)}, Dimensions: meceDims(t, ref.Domain)}
			dec := tree.Decomposition{Parent: "total"}
			for _, name := range tc.Segments.names {
				m.Metrics = append(m.Metrics, kpi(name, metric.KPI))
				seg := tree.Segment{Metric: name}
				for _, dim := range []string{"channel", "device", "order_value"} {
					if raw, ok := tc.Segments.where[name][dim]; ok {
						seg.Where = append(seg.Where, condition(t, dim, raw))
					}
				}
				dec.Segments = append(dec.Segments, seg)
			}
			m.Decompositions = []tree.Decomposition{dec}
			c := compile(t, m)
			reps, fs, err := check.MECE(c, nil, check.Options{})
			if err != nil {
				t.Fatal(err)
			}
			rep := reps[0]
			if rep.MutuallyExclusive != tc.ME || rep.CollectivelyExhaustive != tc.CE {
				t.Errorf("ME %v CE %v, want %v %v", rep.MutuallyExclusive, rep.CollectivelyExhaustive, tc.ME, tc.CE)
			}
			if len(rep.Overlaps) != len(tc.Pairs) {
				t.Fatalf("%d overlaps %v, want %d", len(rep.Overlaps), rep.Overlaps, len(tc.Pairs))
			}
			for k, w := range tc.Pairs {
				got := rep.Overlaps[k]
				if got.A != w.Pair[0] || got.B != w.Pair[1] {
					t.Errorf("pair %d = %s, %s; want %v", k, got.A, got.B, w.Pair)
				}
				if d := pointDiff(got.Example, w.Example); d != "" {
					t.Errorf("pair %d example: %s", k, d)
				}
			}
			if rep.Uncovered != tc.NUncovered {
				t.Errorf("uncovered %d, want %d", rep.Uncovered, tc.NUncovered)
			}
			if len(rep.UncoveredExamples) != len(tc.Examples) {
				t.Fatalf("%d examples, want %d", len(rep.UncoveredExamples), len(tc.Examples))
			}
			for k, w := range tc.Examples {
				if d := pointDiff(rep.UncoveredExamples[k], w); d != "" {
					t.Errorf("example %d: %s", k, d)
				}
			}
			// The findings mirror the report.
			if got := len(fs.ByRule("mece.overlap")); got != len(tc.Pairs) {
				t.Errorf("%d mece.overlap findings, want %d", got, len(tc.Pairs))
			}
			if got, want := len(fs.ByRule("mece.gap")) > 0, !tc.CE; got != want {
				t.Errorf("mece.gap reported %v, want %v", got, want)
			}
			if g := fs.ByRule("mece.gap"); len(g) > 0 {
				if n := evidence(t, g[0], "uncovered_points"); n != float64(tc.NUncovered) {
					t.Errorf("evidence uncovered_points %v, want %d", n, tc.NUncovered)
				}
			}
		})
	}
}

func pointDiff(p check.Point, want map[string]any) string {
	if len(p) != len(want) {
		return fmt.Sprintf("%v has %d coordinates, want %v", p, len(p), want)
	}
	for _, c := range p {
		if w, ok := want[c.Dimension]; !ok || fmt.Sprint(w) != fmt.Sprint(c.Value) {
			return fmt.Sprintf("%v, want %v", p, want)
		}
	}
	return ""
}

// TestMECENumericReference checks every numeric case of mece.json through
// MECE and Run.
func TestMECENumericReference(t *testing.T) {
	var ref meceFile
	readJSON(t, "mece.json", &ref)
	if len(ref.Numeric) == 0 {
		t.Fatal("no cases")
	}
	diag := map[string]string{"ok": "ok", "gap (children < parent)": "gap", "overlap/double count (children > parent)": "double-count"}
	for _, tc := range ref.Numeric {
		t.Run(tc.Name, func(t *testing.T) {
			m := &tree.Model{Metrics: []metric.Metric{kpi("parent", metric.KGI)}}
			dec := tree.Decomposition{Parent: "parent"}
			series := map[string][]float64{"parent": tc.Parent}
			for k, ch := range tc.Children {
				id := fmt.Sprintf("c%02d", k)
				m.Metrics = append(m.Metrics, kpi(id, metric.KPI))
				dec.Segments = append(dec.Segments, tree.Segment{Metric: id})
				series[id] = ch
			}
			m.Decompositions = []tree.Decomposition{dec}
			c := compile(t, m)
			data := evaluate(t, c, series)
			opt := check.Options{MECETolerance: check.Tolerance{Rel: tc.RelTol, Abs: tc.AbsTol}}
			reps, fs, err := check.MECE(c, data, opt)
			if err != nil {
				t.Fatal(err)
			}
			rep := reps[0]
			if len(rep.Residuals) != len(tc.Parent) {
				t.Fatalf("%d periods, want %d", len(rep.Residuals), len(tc.Parent))
			}
			for k, r := range rep.Residuals {
				if r.Sum != tc.SumChildren[k] || !closeRel(r.Residual, tc.Residual[k], relTol) || !closeRel(r.Relative, tc.Relative[k], relTol) || r.Pass != tc.PassByPeriod[k] {
					t.Errorf("period %d: sum %v residual %v relative %v pass %v; want %v %v %v %v", k, r.Sum, r.Residual, r.Relative, r.Pass,
						tc.SumChildren[k], tc.Residual[k], tc.Relative[k], tc.PassByPeriod[k])
				}
			}
			if !closeRel(rep.MaxAbsResidual, tc.MaxAbs, relTol) || !closeRel(rep.MaxAbsRelative, tc.MaxAbsRel, relTol) {
				t.Errorf("max |residual| %v |relative| %v, want %v %v", rep.MaxAbsResidual, rep.MaxAbsRelative, tc.MaxAbs, tc.MaxAbsRel)
			}
			if rep.Diagnosis != diag[tc.Diagnosis] {
				t.Errorf("diagnosis %q, want %q (%s)", rep.Diagnosis, diag[tc.Diagnosis], tc.Diagnosis)
			}
			wantRule := map[string]string{"gap": "mece.numeric-gap", "double-count": "mece.double-count"}[diag[tc.Diagnosis]]
			for _, rule := range []string{"mece.numeric-gap", "mece.double-count"} {
				got := fs.ByRule(rule)
				if (len(got) > 0) != (rule == wantRule) {
					t.Errorf("%s findings %v, want present %v", rule, got, rule == wantRule)
				}
				if len(got) == 0 {
					continue
				}
				// The evidence carries the worst period's residual.
				worst := slices.MaxFunc(tc.Residual, func(a, b float64) int { return cmpAbs(a, b) })
				if r := evidence(t, got[0], "residual"); !closeRel(r, worst, relTol) {
					t.Errorf("evidence residual %v, want %v", r, worst)
				}
				if n := evidence(t, got[0], "periods_failing"); int(n) != countFalse(tc.PassByPeriod) {
					t.Errorf("periods_failing %v, want %d", n, countFalse(tc.PassByPeriod))
				}
			}
		})
	}
}

func cmpAbs(a, b float64) int {
	switch {
	case math.Abs(a) < math.Abs(b):
		return -1
	case math.Abs(a) > math.Abs(b):
		return 1
	}
	return 0
}

func countFalse(bs []bool) int {
	n := 0
	for _, b := range bs {
		if !b {
			n++
		}
	}
	return n
}

// TestMECERelativeResidualSign checks that the relative residual keeps the
// residual's sign (a gap positive, a double count negative) for negative
// and zero parents, and stays finite.
func TestMECERelativeResidualSign(t *testing.T) {
	tests := []struct {
		name          string
		parent, a, b  float64
		wantRel       float64
		wantDiagnosis string
	}{
		{"positive parent, gap", 100, 40, 50, 0.1, "gap"},
		{"positive parent, double count", 100, 60, 50, -0.1, "double-count"},
		{"negative parent, children add up to more", -100, -40, -50, -0.1, "double-count"},
		{"negative parent, children add up to less", -100, -60, -50, 0.1, "gap"},
		{"zero parent, children positive", 0, 30, 20, -1, "double-count"},
		{"zero parent, children negative", 0, -30, -20, 1, "gap"},
		{"zero parent, children cancel", 0, 30, -30, 0, "ok"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &tree.Model{Metrics: []metric.Metric{kpi("parent", metric.KGI), kpi("a", metric.KPI), kpi("b", metric.KPI)},
				Decompositions: []tree.Decomposition{{Parent: "parent", Segments: []tree.Segment{{Metric: "a"}, {Metric: "b"}}}}}
			c := compile(t, m)
			data := evaluate(t, c, map[string][]float64{"parent": {tc.parent}, "a": {tc.a}, "b": {tc.b}})
			reps, _, err := check.MECE(c, data, check.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := reps[0].Residuals[0]
			if !closeRel(r.Relative, tc.wantRel, 1e-12) || math.IsInf(reps[0].MaxAbsRelative, 0) {
				t.Errorf("relative %v (max %v), want %v", r.Relative, reps[0].MaxAbsRelative, tc.wantRel)
			}
			if math.Signbit(r.Relative) != math.Signbit(r.Residual) && r.Residual != 0 {
				t.Errorf("relative %v and residual %v differ in sign", r.Relative, r.Residual)
			}
			if reps[0].Diagnosis != tc.wantDiagnosis {
				t.Errorf("diagnosis %q, want %q", reps[0].Diagnosis, tc.wantDiagnosis)
			}
		})
	}
}
