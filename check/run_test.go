package check_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

var update = flag.Bool("update", false, "rewrite testdata/golden_findings.json")

// goldenModel has something for every family: a contradicted link, an
// overlapping split, a KPI without a KGI.
func goldenModel() *tree.Model {
	m := base()
	m.Metrics = append(m.Metrics, kpi("orphan", metric.KPI), kpi("visits_a", metric.KPI), kpi("visits_b", metric.KPI))
	m.Dimensions = []tree.Dimension{{Name: "channel", Values: []string{"web", "shop", "app"}}}
	m.Decompositions = []tree.Decomposition{{Parent: "visits", Segments: []tree.Segment{
		{Metric: "visits_a", Where: []tree.Condition{{Dimension: "channel", In: []string{"web", "shop"}}}},
		{Metric: "visits_b", Where: []tree.Condition{{Dimension: "channel", In: []string{"shop"}}}},
	}}}
	return m
}

func goldenData() map[string][]float64 {
	h := history(48, -8, 1, 42)
	a, b := make([]float64, 48), make([]float64, 48)
	for t, v := range h["visits"] {
		a[t] = float64(int(v * 0.7))
		b[t] = float64(int(v*0.3)) + 10
	}
	h["visits_a"], h["visits_b"], h["orphan"] = a, b, history(48, 0, 1, 43)["conv"]
	return h
}

func goldenRun(t testing.TB) []byte {
	c := compile(t, goldenModel())
	fs, err := check.Run(c, evaluate(t, c, goldenData()), check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoldenJSON pins the JSON form of a run's findings.
func TestGoldenJSON(t *testing.T) {
	got := goldenRun(t)
	const path = "testdata/golden_findings.json"
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Numbers are compared to 9 significant digits, so that a fused
	// multiply-add on another architecture does not fail the test.
	if g, w := normalize(t, got), normalize(t, want); g != w {
		t.Errorf("findings JSON differs from %s (run with -update after checking):\n%s", path, got)
	}
	for _, rule := range []string{"causal.contradicted", "mece.overlap", "mece.double-count", "structure.kpi-without-kgi"} {
		if !bytes.Contains(got, []byte(`"rule": "`+rule+`"`)) {
			t.Errorf("golden run lacks %s", rule)
		}
	}
}

// TestDeterministic runs the same input repeatedly and concurrently: the
// compiled model and the result are shared, the JSON must be identical.
func TestDeterministic(t *testing.T) {
	c := compile(t, goldenModel())
	data := evaluate(t, c, goldenData())
	first := goldenRun(t)
	var wg sync.WaitGroup
	outs := make([][]byte, 8)
	for k := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fs, err := check.Run(c, data, check.Options{SuggestLinks: true, CounterMetrics: true})
			if err != nil {
				t.Error(err)
				return
			}
			outs[k], _ = fs.JSON()
		}()
	}
	wg.Wait()
	for k := 1; k < len(outs); k++ {
		if !bytes.Equal(outs[k], outs[0]) {
			t.Fatalf("run %d differs from run 0", k)
		}
	}
	if again := goldenRun(t); !bytes.Equal(again, first) {
		t.Fatal("two runs of the same input differ")
	}
}

func TestErrors(t *testing.T) {
	c := compile(t, base())
	other := compile(t, base())
	data := evaluate(t, other, good())
	for _, tc := range []struct {
		name string
		opt  check.Options
		data bool
		want error
	}{
		{"alpha", check.Options{Alpha: 2}, false, check.ErrOptions},
		{"adjustment", check.Options{Adjust: "sidak"}, false, check.ErrOptions},
		{"seasonal period", check.Options{Transform: check.SeasonalDiff(0)}, false, check.ErrOptions},
		{"tolerance", check.Options{MECETolerance: check.Tolerance{Rel: -1}}, false, check.ErrOptions},
		{"duplicate correlation", check.Options{DuplicateCorrelation: 1.5}, false, check.ErrOptions},
		{"other model's data", check.Options{}, true, check.ErrModelMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d = data
			if !tc.data {
				d = nil
			}
			if _, err := check.Run(c, d, tc.opt); !errors.Is(err, tc.want) {
				t.Errorf("Run: %v, want %v", err, tc.want)
			}
			if _, _, err := check.Causal(c, d, tc.opt); !errors.Is(err, tc.want) {
				t.Errorf("Causal: %v, want %v", err, tc.want)
			}
			if _, _, err := check.MECE(c, d, tc.opt); !errors.Is(err, tc.want) {
				t.Errorf("MECE: %v, want %v", err, tc.want)
			}
			if _, err := check.Duplicates(c, d, tc.opt); !errors.Is(err, tc.want) {
				t.Errorf("Duplicates: %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := check.TargetLogic(c, evaluate(t, c, good()), mustPeriod("2001"), check.Options{}); !errors.Is(err, check.ErrOptions) {
		t.Errorf("TargetLogic with a yearly asOf on a monthly model: %v", err)
	}
}

// TestBadData: nil data, short, constant, gappy and NaN-free-but-missing
// series give findings, never a failure.
func TestBadData(t *testing.T) {
	c := compile(t, base())
	reps, fs, err := check.Causal(c, nil, check.Options{})
	if err != nil || len(reps) != 1 || reps[0].Verdict != check.NotEnoughData || len(fs.ByRule("causal.not-enough-data")) != 1 {
		t.Fatalf("nil data: %v %v %v", reps, fs, err)
	}
	if fs, err := check.Run(c, nil, check.Options{}); err != nil || fs == nil {
		t.Fatalf("Run without data: %v %v", fs, err)
	}
	gappy := good()
	for _, k := range []int{5, 17, 29, 41, 53} {
		gappy["campaign"][k] = nanValue
	}
	linear := good()
	for k := range linear["campaign"] {
		linear["campaign"][k] = float64(k)
	}
	for _, tc := range []struct {
		name string
		data map[string][]float64
		opt  check.Options
		rule string
	}{
		{"three periods", history(3, 8, 1, 1), check.Options{}, "causal.not-enough-data"},
		{"gaps leave short runs", gappy, check.Options{}, "causal.not-enough-data"},
		{"straight line", linear, check.Options{Transform: check.Transform{Kind: check.TransformDiff}}, "causal.constant-series"},
		{"log of negatives", func() map[string][]float64 {
			h := good()
			h["campaign"][3] = -1
			return h
		}(), check.Options{Transform: check.Transform{Kind: check.TransformLogDiff}}, "causal.not-enough-data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := check.Run(c, evaluate(t, c, tc.data), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs.ByRule(tc.rule)) == 0 {
				t.Errorf("no %s in %v", tc.rule, fs)
			}
		})
	}
}

func TestTransforms(t *testing.T) {
	c := compile(t, base())
	for _, tr := range []check.Transform{{Kind: check.TransformNone}, {Kind: check.TransformDiff}, {Kind: check.TransformLogDiff},
		{Kind: check.TransformPctChange}, check.SeasonalDiff(12)} {
		reps, _, err := check.Causal(c, evaluate(t, c, good()), check.Options{Transform: tr})
		if err != nil {
			t.Fatal(err)
		}
		want := 60 - 1
		switch tr.Kind {
		case check.TransformNone:
			want = 60
		case check.TransformSeasonalDiff:
			want = 48
		}
		if reps[0].Transform != tr || reps[0].Granger[0].DFDenom != want-1-3 {
			t.Errorf("%v: transform %v, df %d, want %d", tr, reps[0].Transform, reps[0].Granger[0].DFDenom, want-4)
		}
	}
}

func TestRulesSelection(t *testing.T) {
	c := compile(t, goldenModel())
	data := evaluate(t, c, goldenData())
	fs, err := check.Run(c, data, check.Options{Rules: check.Rules{Only: []string{"mece"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) == 0 || len(fs.ByRule("mece")) != len(fs) {
		t.Errorf("Only mece gave %v", fs)
	}
	fs, _ = check.Run(c, data, check.Options{Rules: check.Rules{Disable: []string{"causal", "structure"}}})
	if len(fs.ByRule("causal"))+len(fs.ByRule("structure")) != 0 {
		t.Errorf("disabled families still report: %v", fs)
	}
}

func normalize(t *testing.T, b []byte) string {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case float64:
			return strconv.FormatFloat(x, 'g', 9, 64)
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		case map[string]any:
			for k := range x {
				x[k] = walk(x[k])
			}
		}
		return v
	}
	out, err := json.Marshal(walk(v))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
