package rollup_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// fileShop is webShop with two more inputs the distribution files name.
func fileShop(t testing.TB) *tree.Compiled {
	t.Helper()
	m := webShop().Model()
	m2 := *m
	m2.Metrics = append(append([]metric.Metric(nil), m.Metrics...), metric.Metric{ID: "conversion_target"}, metric.Metric{ID: "returns"})
	c, err := tree.Compile(&m2)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "files", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// scenarioView is what a loaded scenario holds, for comparison.
type scenarioView struct {
	Name, Parent string
	Overrides    []rollup.Override
}

func views(ss []*rollup.Scenario) []scenarioView {
	var out []scenarioView
	for _, s := range ss {
		v := scenarioView{Name: s.Name(), Overrides: s.Overrides()}
		if s.Parent() != nil {
			v.Parent = s.Parent().Name()
		}
		out = append(out, v)
	}
	return out
}

var cmpPeriods = cmpopts.EquateComparable(metric.Period{})

func TestLoadScenarios(t *testing.T) {
	p := func(s string) metric.Period { return per(t, s) }
	growth := []rollup.Override{
		{Metric: "visitors", Kind: rollup.ScaleBy, Value: 10},
		{Metric: "aov", Kind: rollup.SetValue, Value: 55.5, When: rollup.During(p("2026-03"))},
	}
	fy, err := metric.Calendar{FiscalYearStart: 4}.Parse("FY2026")
	if err != nil {
		t.Fatal(err)
	}
	cheap := []rollup.Override{
		{Metric: "visitors", Kind: rollup.SetValue, Value: 3000, When: rollup.During(p("2026"))},
		{Metric: "orders", Kind: rollup.ScaleBy, Value: -100, When: rollup.During(fy)},
	}
	tests := []struct {
		file string
		want []scenarioView
	}{
		{"scenarios.yaml", []scenarioView{
			{Name: "growth", Overrides: growth},
			{Name: "stretch", Parent: "growth", Overrides: append(growth[:2:2],
				rollup.Override{Metric: "orders", Kind: rollup.AddTo, Value: 20, When: rollup.Span{From: p("2026-02")}},
				rollup.Override{Metric: "conversion", Kind: rollup.SetValue, Value: 0.05, When: rollup.Span{From: p("2026-01"), To: p("2026-02")}},
				rollup.Override{Metric: "revenue", Kind: rollup.ScaleBy, Value: -2.5, When: rollup.During(p("2026-Q1"))},
			)},
			{Name: "empty"},
		}},
		{"scenarios.json", []scenarioView{
			{Name: "lean", Parent: "cheap traffic", Overrides: append(cheap[:2:2],
				rollup.Override{Metric: "aov", Kind: rollup.AddTo, Value: -1.25, When: rollup.Span{To: p("2026-02")}})},
			{Name: "cheap traffic", Overrides: cheap},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			for _, c := range []*tree.Compiled{nil, fileShop(t)} {
				ss, err := rollup.LoadScenarios(bytes.NewReader(readFile(t, tt.file)), tt.file, c)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(tt.want, views(ss), cmpPeriods, cmpopts.EquateEmpty()); d != "" {
					t.Errorf("bound %v (-want +got):\n%s", c != nil, d)
				}
			}
		})
	}
}

// TestScenarioFileRoundTrip: Load → Save → Load gives the same
// scenarios, in YAML and JSON, and saving again gives the same bytes.
func TestScenarioFileRoundTrip(t *testing.T) {
	for _, file := range []string{"scenarios.yaml", "scenarios.json"} {
		first, err := rollup.LoadScenarios(bytes.NewReader(readFile(t, file)), file, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []tree.Format{tree.YAML, tree.JSON} {
			var b1 bytes.Buffer
			if err := rollup.SaveScenarios(&b1, first, f); err != nil {
				t.Fatal(err)
			}
			second, err := rollup.LoadScenarios(bytes.NewReader(b1.Bytes()), "saved", nil)
			if err != nil {
				t.Fatalf("%s as %v: %v\n%s", file, f, err, b1.String())
			}
			// a parent listed after its child is written first
			want := views(first)
			if file == "scenarios.json" {
				want[0], want[1] = want[1], want[0]
			}
			if d := cmp.Diff(want, views(second), cmpPeriods, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("%s as %v (-first +second):\n%s", file, f, d)
			}
			var b2 bytes.Buffer
			if err := rollup.SaveScenarios(&b2, second, f); err != nil {
				t.Fatal(err)
			}
			if b1.String() != b2.String() {
				t.Errorf("%s as %v: saving again changed the output:\n%s\n---\n%s", file, f, b1.String(), b2.String())
			}
		}
	}
}

// TestScenarioFileEvaluates: scenarios from a file evaluate exactly as
// the same scenarios built in Go.
func TestScenarioFileEvaluates(t *testing.T) {
	c := webShop()
	jan, mar := per(t, "2026-01"), per(t, "2026-03")
	ss, err := rollup.LoadScenarios(bytes.NewReader(readFile(t, "scenarios.yaml")), "scenarios.yaml", c)
	if err != nil {
		t.Fatal(err)
	}
	growth := rollup.NewScenario("growth", nil).Scale("visitors", 10, rollup.Span{}).Set("aov", 55.5, rollup.During(mar))
	stretch := rollup.NewScenario("stretch", growth).
		Add("orders", 20, rollup.Span{From: per(t, "2026-02")}).
		Set("conversion", 0.05, rollup.Span{From: jan, To: per(t, "2026-02")}).
		Scale("revenue", -2.5, rollup.During(per(t, "2026-Q1")))
	empty := rollup.NewScenario("empty", nil)
	got, err := rollup.Compare(c, shopData(), ss, jan, mar, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := rollup.Compare(c, shopData(), []*rollup.Scenario{growth, stretch, empty}, jan, mar, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var g, w []rollup.Diff
	for d := range got.All() {
		g = append(g, d)
	}
	for d := range want.All() {
		w = append(w, d)
	}
	if d := cmp.Diff(w, g, cmpPeriods, cmpopts.EquateNaNs()); d != "" {
		t.Errorf("(-go +file):\n%s", d)
	}
	if len(g) != 3*5*3 {
		t.Errorf("%d diffs, want 45", len(g))
	}
}

func TestSaveScenariosErrors(t *testing.T) {
	a := rollup.NewScenario("a", nil)
	tests := []struct {
		name string
		ss   []*rollup.Scenario
		want string
	}{
		{"nil", []*rollup.Scenario{nil}, "scenario 0 is nil"},
		{"reserved", []*rollup.Scenario{rollup.NewScenario("base", nil)}, `"base" is empty or reserved`},
		{"empty name", []*rollup.Scenario{rollup.NewScenario("", nil)}, "empty or reserved"},
		{"same name", []*rollup.Scenario{a, rollup.NewScenario("a", nil)}, `two different scenarios are named "a"`},
		{"nan", []*rollup.Scenario{rollup.NewScenario("x", nil).Set("v", math.NaN(), rollup.Span{})}, "not a finite number"},
		{"kind", []*rollup.Scenario{rollup.NewScenario("x", nil).Scale("v", 1, rollup.Span{}).Add("", 1, rollup.Span{})}, "no metric"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rollup.SaveScenarios(&bytes.Buffer{}, tt.ss, tree.YAML)
			if !errors.Is(err, rollup.ErrInvalidArgument) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want ErrInvalidArgument with %q", err, tt.want)
			}
		})
	}
	// the same scenario twice, and a parent not in the list, are fine
	b := rollup.NewScenario("b", a)
	var buf bytes.Buffer
	if err := rollup.SaveScenarios(&buf, []*rollup.Scenario{b, b}, tree.YAML); err != nil {
		t.Fatal(err)
	}
	want := "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n  - name: b\n    parent: a\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

// scenarioErrors are scenario files LoadScenarios rejects, with the
// message of the first problem (bound to fileShop).
var scenarioErrors = []struct{ name, doc, want string }{
	{"empty", "", `s.yaml:1:1: empty scenario file (a scenario file starts with kpiscenarios: "1")`},
	{"comment only", "# nothing\n", "s.yaml:1:1: empty scenario file"},
	{"not a mapping", "- a\n", "s.yaml:1:1: expected a mapping, found a list"},
	{"syntax", "kpiscenarios: \"1\"\nscenarios: [\n", "s.yaml:3:1: YAML syntax error: did not find expected node content"},
	{"tab", "kpiscenarios: \"1\"\nscenarios:\n\t- name: a\n", "s.yaml:3:1: YAML syntax error: found character that cannot start any token (indent with spaces: YAML does not allow tabs for indentation)"},
	{"json syntax", `{"kpiscenarios": "1", "scenarios": [}`, "s.yaml:1:37: JSON syntax error"},
	{"two documents", "kpiscenarios: \"1\"\nscenarios: []\n---\nx: 1\n", "s.yaml:3:1: more than one YAML document"},
	{"missing version", "scenarios: []\n", `s.yaml:1:1: missing required key "kpiscenarios" (add kpiscenarios: "1" as the first key)`},
	{"wrong version", "kpiscenarios: \"2\"\nscenarios: []\n", `s.yaml:1:15: kpiscenarios: unsupported format version "2" (supported versions: "1")`},
	{"missing scenarios", "kpiscenarios: \"1\"\n", `s.yaml:1:1: missing required key "scenarios"`},
	{"unknown top key", "kpiscenarios: \"1\"\nscenario: []\n", `s.yaml:2:1: unknown key "scenario" (did you mean "scenarios"?)`},
	{"scenarios not a list", "kpiscenarios: \"1\"\nscenarios: {name: a}\n", "s.yaml:2:12: scenarios: expected a list, found a mapping"},
	{"unknown scenario key", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overides: []\n", `s.yaml:4:5: scenarios[0]: unknown key "overides" (did you mean "overrides"?)`},
	{"no name", "kpiscenarios: \"1\"\nscenarios:\n  - overrides: []\n", `s.yaml:3:5: scenarios[0]: missing required key "name"`},
	{"name base", "kpiscenarios: \"1\"\nscenarios:\n  - name: base\n", `s.yaml:3:11: scenarios[0].name: scenario name "base" is reserved`},
	{"empty name", "kpiscenarios: \"1\"\nscenarios:\n  - name: \"\"\n", `s.yaml:3:11: scenarios[0].name: empty scenario name`},
	{"name a number", "kpiscenarios: \"1\"\nscenarios:\n  - name: 12\n", `s.yaml:3:11: scenarios[0].name: expected a string, found an integer (12) (quote it to make it a string)`},
	{"duplicate name", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n  - name: a\n", `s.yaml:4:5: scenarios[1]: duplicate scenario name "a" (first at line 3)`},
	{"unknown parent", "kpiscenarios: \"1\"\nscenarios:\n  - name: growth\n  - name: b\n    parent: growht\n", `s.yaml:5:13: scenarios[1].parent: unknown scenario "growht" (did you mean "growth"?)`},
	{"parent base", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    parent: base\n", `s.yaml:4:13: scenarios[0].parent: parent "base" is the base itself`},
	{"self parent", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    parent: a\n", `s.yaml:4:13: scenarios[0].parent: cycle of parents: a -> a`},
	{"cycle", "kpiscenarios: \"1\"\nscenarios:\n  - {name: a, parent: b}\n  - {name: b, parent: a}\n", `s.yaml:3:23: scenarios[0].parent: cycle of parents: a -> b -> a`},
	{"unknown metric", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: visiters, scale: 10}\n", `s.yaml:5:18: scenarios[0].overrides[0].metric: unknown metric "visiters" (did you mean "visitors"?)`},
	{"metric far off", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: zzz, scale: 10}\n", `unknown metric "zzz" (the model's metrics: revenue, visitors, orders, conversion, aov, conversion_target or returns)`},
	{"bad metric id", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: my-metric, scale: 10}\n", `s.yaml:5:18: scenarios[0].overrides[0].metric: invalid metric id "my-metric"`},
	{"no op", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: aov}\n", `s.yaml:5:9: scenarios[0].overrides[0]: an override needs one of set, scale or add`},
	{"two ops", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: aov, set: 1, add: 2}\n", `s.yaml:5:36: scenarios[0].overrides[0].add: an override has one of set, scale or add, found set or add`},
	{"op not a number", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: aov, set: lots}\n", `s.yaml:5:28: scenarios[0].overrides[0].set: expected a number, found a string ("lots")`},
	{"nan", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: aov, add: .nan}\n", `s.yaml:5:28: scenarios[0].overrides[0].add: expected a finite number, found .nan`},
	{"scale below -100", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: aov, scale: -150}\n", `scale -150% would flip the value's sign`},
	{"bad period", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: aov, set: 1, period: 2026-13}\n", `s.yaml:5:39: scenarios[0].overrides[0].period: invalid period "2026-13"`},
	{"lower-case period", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: aov, set: 1, period: 2026-q1}\n", `invalid period "2026-q1"`},
	{"period and from", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: aov, set: 1, period: 2026-01, from: 2026-02}\n", `s.yaml:5:54: scenarios[0].overrides[0].from: period and from cannot both be given`},
	{"span backwards", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: aov, set: 1, from: 2026-03, to: 2026-01}\n", `s.yaml:5:50: scenarios[0].overrides[0].to: span 2026-03..2026-01 ends before it starts`},
	{"unknown override key", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: aov, set: 1, perod: 2026-01}\n", `s.yaml:5:31: scenarios[0].overrides[0]: unknown key "perod" (did you mean "period"?)`},
	{"duplicate key", "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    name: b\n", `s.yaml:4:5: scenarios[0]: duplicate key "name" (first at line 3)`},
	{"anchor", "kpiscenarios: \"1\"\nscenarios:\n  - &a {name: a}\n", `s.yaml:3:5: scenarios[0]: YAML anchors (&a) are not supported`},
	{"json unknown key", `{"kpiscenarios": "1", "scenarios": [{"name": "a", "Parent": "b"}]}`, `s.yaml:1:51: scenarios[0]: unknown key "Parent" (did you mean "parent"?)`},
}

func TestLoadScenariosErrors(t *testing.T) {
	c := fileShop(t)
	for _, tt := range scenarioErrors {
		t.Run(tt.name, func(t *testing.T) {
			ss, err := rollup.LoadScenarios(strings.NewReader(tt.doc), "s.yaml", c)
			if err == nil {
				t.Fatalf("accepted: %v", views(ss))
			}
			if !errors.Is(err, rollup.ErrDecode) {
				t.Errorf("%v does not match ErrDecode", err)
			}
			var de *rollup.DecodeError
			if !errors.As(err, &de) || de.Line < 1 || de.Column < 1 {
				t.Errorf("no positioned *DecodeError: %#v", de)
			}
			first := strings.SplitN(err.Error(), "\n", 2)[0]
			if !strings.Contains(first, tt.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", first, tt.want)
			}
		})
	}
}

// TestLoadScenariosManyErrors: one pass reports every problem.
func TestLoadScenariosManyErrors(t *testing.T) {
	doc := "kpiscenarios: \"1\"\nscenarios:\n  - name: a\n    overrides:\n      - {metric: visiters, scale: 10}\n      - {metric: aov}\n  - {name: b, colour: red}\n"
	_, err := rollup.LoadScenarios(strings.NewReader(doc), "s.yaml", fileShop(t))
	want := `s.yaml:5:18: scenarios[0].overrides[0].metric: unknown metric "visiters" (did you mean "visitors"?)
s.yaml:6:9: scenarios[0].overrides[1]: an override needs one of set, scale or add (add set: VALUE, scale: PERCENT or add: DELTA)
s.yaml:7:15: scenarios[1]: unknown key "colour" (valid keys: name, parent, overrides)`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func TestSeekScenario(t *testing.T) {
	c := webShop()
	mar := per(t, "2026-03")
	s, err := rollup.NewSession(c, shopData(), mar, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seek, err := s.GoalSeek("revenue", 150000, "orders", rollup.SeekOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rollup.SaveScenarios(&buf, []*rollup.Scenario{seek.Scenario("seek", mar)}, tree.YAML); err != nil {
		t.Fatal(err)
	}
	ss, err := rollup.LoadScenarios(&buf, "seek.yaml", c)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ss[0].Evaluate(c, shopData(), mar, mar, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Value("revenue", mar); got != seek.Reached {
		t.Errorf("revenue under the saved seek %v, seek reached %v", got, seek.Reached)
	}
	many, err := s.GoalSeekMany("revenue", 150000, []rollup.Lever{{Input: "orders"}, {Input: "aov"}}, rollup.EqualChange)
	if err != nil {
		t.Fatal(err)
	}
	r, err = many.Scenario("many", mar).Evaluate(c, shopData(), mar, mar, rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Value("revenue", mar); got != many.Reached {
		t.Errorf("revenue under the seek's scenario %v, seek reached %v", got, many.Reached)
	}
}

// ---- distributions ----

func TestLoadDistributions(t *testing.T) {
	tests := []struct {
		file string
		want []string // metric: distribution
		corr []rollup.Correlation
	}{
		{"distributions.yaml",
			[]string{"visitors: normal(2500, 250)", "orders: pert(80, 100, 140)", "aov: lognormal(mean=56, sd=4)"},
			[]rollup.Correlation{{A: "visitors", B: "orders", Rho: 0.6}}},
		{"distributions.json",
			[]string{"visitors: uniform(2000, 3000)", "orders: triangular(80, 100, 140)", "aov: lognormal(mu=4, sigma=0.1)",
				"conversion_target: beta(40, 960)", "returns: empirical(4 values)"},
			[]rollup.Correlation{{A: "orders", B: "aov", Rho: -0.25}, {A: "visitors", B: "returns", Rho: 0.1}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			for _, c := range []*tree.Compiled{nil, fileShop(t)} {
				ds, err := rollup.LoadDistributions(bytes.NewReader(readFile(t, tt.file)), tt.file, c)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, u := range ds.Inputs {
					got = append(got, u.Metric+": "+u.Dist.String())
				}
				if d := cmp.Diff(tt.want, got); d != "" {
					t.Errorf("inputs (-want +got):\n%s", d)
				}
				if d := cmp.Diff(tt.corr, ds.Correlations); d != "" {
					t.Errorf("correlations (-want +got):\n%s", d)
				}
			}
		})
	}
}

// TestDistributionFileSimulates: a simulation from the file gives the
// same draws as one built in Go with the same seed.
func TestDistributionFileSimulates(t *testing.T) {
	c := webShop()
	ds, err := rollup.LoadDistributions(bytes.NewReader(readFile(t, "distributions.yaml")), "distributions.yaml", c)
	if err != nil {
		t.Fatal(err)
	}
	must := func(d rollup.Distribution, err error) rollup.Distribution {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	inGo := rollup.Simulation{Draws: 2000, Seed: 7, Outputs: []string{"revenue"},
		Inputs: []rollup.Uncertain{
			{Metric: "visitors", Dist: must(rollup.Normal(2500, 250))},
			{Metric: "orders", Dist: must(rollup.PERT(80, 100, 140))},
			{Metric: "aov", Dist: must(rollup.LogNormalMeanSD(56, 4))},
		},
		Correlations: []rollup.Correlation{{A: "visitors", B: "orders", Rho: 0.6}}}
	fromFile := inGo
	fromFile.Inputs, fromFile.Correlations = ds.Inputs, ds.Correlations
	mar := per(t, "2026-03")
	a, err := inGo.Run(context.Background(), c, shopData(), mar)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fromFile.Run(context.Background(), c, shopData(), mar)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(a.Draws("revenue"), b.Draws("revenue")); d != "" {
		t.Errorf("draws differ:\n%s", d)
	}
}

func TestDistributionFileRoundTrip(t *testing.T) {
	for _, file := range []string{"distributions.yaml", "distributions.json"} {
		first, err := rollup.LoadDistributions(bytes.NewReader(readFile(t, file)), file, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []tree.Format{tree.YAML, tree.JSON} {
			var b1 bytes.Buffer
			if err := first.Save(&b1, f); err != nil {
				t.Fatal(err)
			}
			second, err := rollup.LoadDistributions(bytes.NewReader(b1.Bytes()), "saved", nil)
			if err != nil {
				t.Fatalf("%s as %v: %v\n%s", file, f, err, b1.String())
			}
			if d := cmp.Diff(distView(first), distView(second)); d != "" {
				t.Errorf("%s as %v (-first +second):\n%s", file, f, d)
			}
			var b2 bytes.Buffer
			if err := second.Save(&b2, f); err != nil {
				t.Fatal(err)
			}
			if b1.String() != b2.String() {
				t.Errorf("%s as %v: saving again changed the output:\n%s\n---\n%s", file, f, b1.String(), b2.String())
			}
		}
	}
}

// distView describes distributions by name, mean and quartiles.
func distView(ds *rollup.Distributions) []any {
	var out []any
	for _, u := range ds.Inputs {
		out = append(out, u.Metric, u.Dist.String(), u.Dist.Mean(), u.Dist.Quantile(0.25), u.Dist.Quantile(0.75))
	}
	for _, c := range ds.Correlations {
		out = append(out, c)
	}
	return out
}

func TestSaveDistributionsErrors(t *testing.T) {
	n, _ := rollup.Normal(1, 1)
	tests := []struct {
		name string
		ds   rollup.Distributions
		want string
	}{
		{"no inputs", rollup.Distributions{}, "no inputs"},
		{"zero distribution", rollup.Distributions{Inputs: []rollup.Uncertain{{Metric: "a"}}}, `input 0 ("a") has no distribution`},
		{"no metric", rollup.Distributions{Inputs: []rollup.Uncertain{{Dist: n}}}, "no metric"},
		{"rho", rollup.Distributions{Inputs: []rollup.Uncertain{{Metric: "a", Dist: n}}, Correlations: []rollup.Correlation{{A: "a", B: "b", Rho: 2}}}, "correlation a~b = 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.ds.Save(&bytes.Buffer{}, tree.JSON)
			if !errors.Is(err, rollup.ErrInvalidArgument) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want ErrInvalidArgument with %q", err, tt.want)
			}
		})
	}
}

var distErrors = []struct{ name, doc, want string }{
	{"empty", "", `d.yaml:1:1: empty distribution file (a distribution file starts with kpidistributions: "1")`},
	{"missing version", "inputs: []\n", `missing required key "kpidistributions"`},
	{"missing inputs", "kpidistributions: \"1\"\n", `d.yaml:1:1: missing required key "inputs"`},
	{"empty inputs", "kpidistributions: \"1\"\ninputs: []\n", `d.yaml:2:9: inputs: empty list (give at least one uncertain input)`},
	{"unknown top key", "kpidistributions: \"1\"\ninputs: [{metric: aov, dist: normal, mean: 1, sd: 1}]\ncorrelation: []\n", `d.yaml:3:1: unknown key "correlation" (did you mean "correlations"?)`},
	{"unknown metric", "kpidistributions: \"1\"\ninputs:\n  - {metric: ordres, dist: normal, mean: 1, sd: 1}\n", `d.yaml:3:14: inputs[0].metric: unknown metric "ordres" (did you mean "orders"?)`},
	{"derived metric", "kpidistributions: \"1\"\ninputs:\n  - {metric: conversion, dist: beta, alpha: 1, beta: 9}\n", `d.yaml:3:14: inputs[0].metric: "conversion" is derived from its formula (orders / visitors) in what-if; only inputs can be uncertain`},
	{"unknown dist", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: normall, mean: 1, sd: 1}\n", `d.yaml:3:25: inputs[0].dist: invalid distribution "normall": want normal, lognormal, uniform, triangular, pert, beta or empirical (did you mean "normal"?)`},
	{"missing dist", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, mean: 1, sd: 1}\n", `d.yaml:3:5: inputs[0]: missing required key "dist"`},
	{"wrong parameter", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: normal, mean: 1, sd: 1, mode: 2}\n", `d.yaml:3:55: inputs[0].mode: "mode" is not a parameter of a normal distribution (a normal distribution takes mean, sd)`},
	{"missing parameter", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: pert, lo: 1, hi: 3}\n", `d.yaml:3:5: inputs[0]: missing parameter "mode" (a pert distribution takes lo, mode, hi)`},
	{"lognormal mixed", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: lognormal, mu: 1, sd: 1}\n", `inputs[0].sd: "sd" is not a parameter of a lognormal distribution (a lognormal distribution takes mu, sigma or mean, sd)`},
	{"unknown input key", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: normal, mean: 1, stdev: 1}\n", `d.yaml:3:42: inputs[0]: unknown key "stdev"`},
	{"bad sd", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: normal, mean: 1, sd: -1}\n", `d.yaml:3:25: inputs[0].dist: invalid normal distribution: normal needs finite mu and sigma > 0, got mu=1 sigma=-1`},
	{"mode outside", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: triangular, lo: 1, mode: 5, hi: 3}\n", `d.yaml:3:25: inputs[0].dist: invalid triangular distribution`},
	{"parameter a string", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: uniform, lo: one, hi: 3}\n", `d.yaml:3:38: inputs[0].lo: expected a number, found a string ("one")`},
	{"empirical empty", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: empirical, values: []}\n", `d.yaml:3:44: inputs[0].values: empty list`},
	{"empirical nan", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: empirical, values: [1, .nan]}\n", `d.yaml:3:48: inputs[0].values[1]: expected a finite number, found .nan`},
	{"duplicate input", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: normal, mean: 1, sd: 1}\n  - {metric: aov, dist: normal, mean: 2, sd: 1}\n", `d.yaml:4:14: inputs[1].metric: duplicate input "aov" (first at line 3)`},
	{"correlation of a non-input", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: normal, mean: 1, sd: 1}\ncorrelations:\n  - {a: aov, b: orders, rho: 0.5}\n", `d.yaml:5:17: correlations[0].b: "orders" is not an uncertain input of the file (correlate two of the inputs listed under inputs)`},
	{"correlation with itself", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: normal, mean: 1, sd: 1}\ncorrelations:\n  - {a: aov, b: aov, rho: 0.5}\n", `d.yaml:5:17: correlations[0].b: a correlation joins two different inputs, found "aov" twice`},
	{"rho out of range", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: normal, mean: 1, sd: 1}\n  - {metric: orders, dist: normal, mean: 1, sd: 1}\ncorrelations:\n  - {a: aov, b: orders, rho: 1.5}\n", `d.yaml:6:30: correlations[0].rho: rho 1.5 out of range (a correlation lies in -1..1)`},
	{"duplicate pair", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: normal, mean: 1, sd: 1}\n  - {metric: orders, dist: normal, mean: 1, sd: 1}\ncorrelations:\n  - {a: aov, b: orders, rho: 0.5}\n  - {a: orders, b: aov, rho: 0.2}\n", `d.yaml:7:5: correlations[1]: duplicate correlation of "orders" and "aov" (first at line 6)`},
	{"missing rho", "kpidistributions: \"1\"\ninputs:\n  - {metric: aov, dist: normal, mean: 1, sd: 1}\n  - {metric: orders, dist: normal, mean: 1, sd: 1}\ncorrelations:\n  - {a: aov, b: orders}\n", `d.yaml:6:5: correlations[0]: missing required key "rho"`},
	{"alias", "kpidistributions: \"1\"\ninputs:\n  - &x {metric: aov, dist: normal, mean: 1, sd: 1}\n  - *x\n", `YAML anchors (&x) are not supported`},
	{"json", `{"kpidistributions": "1", "inputs": [{"metric": "aov", "dist": "beta", "alpha": 0, "beta": 1}]}`, `d.yaml:1:64: inputs[0].dist: invalid beta distribution`},
}

func TestLoadDistributionsErrors(t *testing.T) {
	c := fileShop(t)
	for _, tt := range distErrors {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := rollup.LoadDistributions(strings.NewReader(tt.doc), "d.yaml", c)
			if err == nil {
				t.Fatalf("accepted: %v", distView(ds))
			}
			if !errors.Is(err, rollup.ErrDecode) {
				t.Errorf("%v does not match ErrDecode", err)
			}
			var de *rollup.DecodeError
			if !errors.As(err, &de) || de.Line < 1 || de.Column < 1 {
				t.Errorf("no positioned *DecodeError: %#v", de)
			}
			first := strings.SplitN(err.Error(), "\n", 2)[0]
			if !strings.Contains(first, tt.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", first, tt.want)
			}
		})
	}
}
