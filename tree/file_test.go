package tree

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/kpitree/kpitree/metric"
	"go.yaml.in/yaml/v3"
)

// modelCmp compares models ignoring source positions; periods compare
// with ==, and nil and empty slices and maps are equal.
var modelCmp = []cmp.Option{
	cmpopts.IgnoreUnexported(Model{}),
	cmp.Comparer(func(a, b metric.Period) bool { return a == b }),
	cmpopts.EquateEmpty(),
}

func mustLoadFile(t *testing.T, path string) *Model {
	t.Helper()
	m, err := LoadFile(path)
	if err != nil {
		t.Fatalf("LoadFile(%s): %v", path, err)
	}
	return m
}

func save(t *testing.T, m *Model, f Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := m.Save(&buf, f); err != nil {
		t.Fatalf("Save(%v): %v", f, err)
	}
	return buf.Bytes()
}

func load(t *testing.T, b []byte, name string) *Model {
	t.Helper()
	m, err := Load(bytes.NewReader(b), name)
	if err != nil {
		t.Fatalf("Load(%s): %v\n%s", name, err, b)
	}
	return m
}

func TestLoadFull(t *testing.T) {
	m := mustLoadFile(t, "testdata/full.yaml")
	pp := func(s string) metric.Period {
		p, err := metric.Calendar{FiscalYearStart: time.April}.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	f := func(v float64) *float64 { return &v }
	if m.Name != "Web shop" || m.Grain != metric.Month || m.Calendar.FiscalYearStart != time.April {
		t.Errorf("header: got %q %v %v", m.Name, m.Grain, m.Calendar)
	}
	if !strings.HasPrefix(m.Description, "Revenue of the web shop") || !strings.HasSuffix(m.Description, "segments.\n") {
		t.Errorf("description %q", m.Description)
	}
	want := metric.Metric{
		ID: "revenue", Name: "Revenue", Description: "Net revenue after returns.",
		Kind: metric.KGI, Unit: "USD", Direction: metric.HigherIsBetter, Aggregation: metric.Sum, Additive: true,
		Formula: "visitors * conversion_rate * avg_order_value",
		Owner:   "Head of e-commerce", Frequency: metric.Month, Source: "finance warehouse",
		Labels: map[string]string{"finance": "financial", "timing": "lagging"},
		Targets: []metric.Target{
			{Period: pp("2027"), Value: 500000000, Baseline: f(320000000.5), Start: pp("2026-01"), Note: "FY plan"},
			{Period: pp("FY2026"), Value: 420000000},
			{Period: pp("FY2026-Q1"), Value: 95000000},
			{Period: pp("2026-Q3"), Value: 110000000},
		},
	}
	if d := cmp.Diff(want, m.Metrics[0], modelCmp...); d != "" {
		t.Errorf("metrics[0] (-want +got):\n%s", d)
	}
	if got := m.Metrics[0].Targets[1].Period.Start(); !got.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("FY2026 under April starts %v", got)
	}
	if m.Metrics[2].Direction != metric.Band || m.Metrics[2].Targets[0].Max != 0.04 || m.Metrics[2].Weight != "visitors" {
		t.Errorf("conversion_rate: %+v", m.Metrics[2])
	}
	if m.Metrics[4].Initial == nil || *m.Metrics[4].Initial != 0 {
		t.Errorf("mrr initial: %v", m.Metrics[4].Initial)
	}
	if last := m.Metrics[len(m.Metrics)-1]; last.ID != "order_rate" || !last.Driver || last.Weight != "visitors" {
		t.Errorf("order_rate: %+v", last)
	}
	wantLinks := []Link{
		{From: "site_structure", To: "conversion_rate", Sign: SignPositive, Lag: 1, Confidence: 0.7, Evidence: "A/B test 2025-11"},
		{From: "page_load_time", To: "conversion_rate", Sign: SignNegative},
		{From: "visitors", To: "revenue", Sign: SignUnknown},
	}
	if d := cmp.Diff(wantLinks, m.Links); d != "" {
		t.Errorf("links (-want +got):\n%s", d)
	}
	wantDims := []Dimension{
		{Name: "region", Values: []string{"DE", "FR", "US"}},
		{Name: "order_value", Numeric: true, Lo: 0, Hi: 500, HasHi: true},
		{Name: "basket_items", Numeric: true, Lo: 1},
	}
	if d := cmp.Diff(wantDims, m.Dimensions); d != "" {
		t.Errorf("dimensions (-want +got):\n%s", d)
	}
	wantDecomp := []Decomposition{
		{Parent: "revenue", Segments: []Segment{
			{Metric: "revenue_eu", Where: []Condition{{Dimension: "region", In: []string{"DE", "FR"}}}},
			{Metric: "revenue_us", Where: []Condition{{Dimension: "region", In: []string{"US"}}}},
		}},
		{Parent: "revenue", Segments: []Segment{
			{Metric: "revenue_small", Where: []Condition{{Dimension: "order_value", Numeric: true, Lo: 0, Hi: 50, HasHi: true}}},
			{Metric: "revenue_large", Where: []Condition{
				{Dimension: "order_value", Numeric: true, Lo: 50},
				{Dimension: "basket_items", Numeric: true, Lo: 1, Hi: 100, HasHi: true},
			}},
		}},
	}
	if d := cmp.Diff(wantDecomp, m.Decompositions); d != "" {
		t.Errorf("decompositions (-want +got):\n%s", d)
	}
}

// TestFullCoversFormat checks that testdata/full.yaml uses every key of
// the format and every enumeration value, so the round-trip tests on it
// cover everything.
func TestFullCoversFormat(t *testing.T) {
	data, err := os.ReadFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	keys, values := map[string]bool{}, map[string]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				keys[n.Content[i].Value] = true
			}
		}
		if n.Kind == yaml.ScalarNode {
			values[n.Value] = true
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	for _, list := range [][]string{modelKeys, metricKeys, targetKeys, linkKeys, dimensionKeys, decompositionKeys, segmentKeys, rangeKeys} {
		for _, k := range list {
			if !keys[k] {
				t.Errorf("full.yaml does not use key %q", k)
			}
		}
	}
	for _, list := range [][]string{grainNames[1:4], kindNamesFile, directionNames, aggregationNames, signNames} {
		for _, v := range list {
			if !values[v] {
				t.Errorf("full.yaml does not use value %q", v)
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	orig := mustLoadFile(t, "testdata/full.yaml")
	y1 := save(t, orig, YAML)
	fromYAML := load(t, y1, "saved.yaml")
	if d := cmp.Diff(orig, fromYAML, modelCmp...); d != "" {
		t.Errorf("YAML round trip (-orig +reloaded):\n%s", d)
	}
	j := save(t, orig, JSON)
	fromJSON := load(t, j, "saved.json")
	if d := cmp.Diff(orig, fromJSON, modelCmp...); d != "" {
		t.Errorf("JSON round trip (-orig +reloaded):\n%s", d)
	}
	// YAML -> JSON -> YAML gives the same bytes.
	if y2 := save(t, fromJSON, YAML); !bytes.Equal(y1, y2) {
		t.Errorf("YAML -> JSON -> YAML changed the output:\n%s\n----\n%s", y1, y2)
	}
	// Saving is stable.
	if j2 := save(t, fromYAML, JSON); !bytes.Equal(j, j2) {
		t.Errorf("JSON output not stable:\n%s\n----\n%s", j, j2)
	}
	// The committed JSON twin of full.yaml is what Save writes.
	twin, err := os.ReadFile("testdata/full.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(twin, j) {
		t.Errorf("testdata/full.json differs from Save(JSON) of full.yaml; got:\n%s", j)
	}
}

func TestRoundTripNumbers(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.0 / 3, 2.5e-7, 1e-300, 5e-324, 123456789012345, 1e15, 1e21,
		9007199254740993, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 320000000.5, 0.04}
	for _, v := range vals {
		lo, hi := math.Nextafter(v, math.Inf(-1)), v
		if v < 0 {
			lo, hi = v, math.Nextafter(v, math.Inf(1))
		}
		m := &Model{Metrics: []metric.Metric{{ID: "x", Initial: &v, Targets: []metric.Target{{Period: metric.Of(metric.Year, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), Value: v, Max: v}}}},
			Dimensions: []Dimension{{Name: "d", Numeric: true, Lo: lo, Hi: hi, HasHi: true}},
			Links:      []Link{{From: "x", To: "x", Confidence: math.Abs(math.Mod(v, 1))}}}
		for _, f := range []Format{YAML, JSON} {
			out := save(t, m, f)
			back := load(t, out, f.String())
			if d := cmp.Diff(m, back, modelCmp...); d != "" {
				t.Errorf("%v %g: (-want +got):\n%s\n%s", f, v, d, out)
			}
			if got := *back.Metrics[0].Initial; math.Float64bits(got) != math.Float64bits(v) {
				t.Errorf("%v: %g (bits %x) read back as %g (bits %x)", f, v, math.Float64bits(v), got, math.Float64bits(got))
			}
		}
	}
}

func TestRoundTripStrings(t *testing.T) {
	strs := []string{"", "true", "no", "null", "~", "123", "1e5", "0x1F", "- a", "a: b", "#x", "'q'", "\"dq\"", "multi\nline\n", "trailing  \n", " lead", "tab\there",
		"* ptr", "&anchor", "!tag", "{a}", "[b]", "%pct", "@at", "`bt`", "|", ">", "ünïcödé ✓", strings.Repeat("long words ", 20), "\x01ctl", "2026-07-14"}
	for _, s := range strs {
		m := &Model{Name: s, Description: s, Metrics: []metric.Metric{{ID: "a", Name: s, Formula: s, Labels: map[string]string{s: s, "k": s}}},
			Dimensions:     []Dimension{{Name: s, Values: []string{s, "v"}}},
			Decompositions: []Decomposition{{Parent: "a", Segments: []Segment{{Metric: "a", Where: []Condition{{Dimension: s, In: []string{s}}}}}}}}
		for _, f := range []Format{YAML, JSON} {
			out := save(t, m, f)
			back := load(t, out, f.String())
			if d := cmp.Diff(m, back, modelCmp...); d != "" {
				t.Errorf("%v %q: (-want +got):\n%s\n%s", f, s, d, out)
			}
		}
	}
}

func TestSaveOmitsZeroFields(t *testing.T) {
	m := &Model{Metrics: []metric.Metric{{ID: "a"}}}
	got := string(save(t, m, YAML))
	want := "kpitree: \"1\"\nmetrics:\n  - id: a\n"
	if got != want {
		t.Errorf("YAML:\n%s\nwant:\n%s", got, want)
	}
	got = string(save(t, m, JSON))
	want = "{\n  \"kpitree\": \"1\",\n  \"metrics\": [\n    {\n      \"id\": \"a\"\n    }\n  ]\n}\n"
	if got != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", got, want)
	}
}

func TestSaveFiscalPeriodOfOtherCalendar(t *testing.T) {
	// A period of another fiscal calendar than the model's keeps its start month.
	p, err := metric.Calendar{FiscalYearStart: time.October}.Parse("FY2026")
	if err != nil {
		t.Fatal(err)
	}
	m := &Model{Calendar: metric.Calendar{FiscalYearStart: time.April}, Metrics: []metric.Metric{{ID: "a", Targets: []metric.Target{{Period: p, Value: 1}}}}}
	out := save(t, m, YAML)
	if !bytes.Contains(out, []byte("FY2026@10")) {
		t.Errorf("want FY2026@10 in\n%s", out)
	}
	if d := cmp.Diff(m, load(t, out, ""), modelCmp...); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestSaveErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		m    *Model
		want string
	}{
		{"nan initial", &Model{Metrics: []metric.Metric{{ID: "a", Initial: &nan}}}, "tree: save: metrics[0]: initial: NaN is not a finite number"},
		{"inf target", &Model{Metrics: []metric.Metric{{ID: "a", Targets: []metric.Target{{Value: math.Inf(1)}}}}}, "tree: save: metrics[0]: targets[0]: value: +Inf is not a finite number"},
		{"bad kind", &Model{Metrics: []metric.Metric{{ID: "a", Kind: 9}}}, `tree: save: metrics[0]: kind: invalid value "Kind(9)"`},
		{"bad sign", &Model{Links: []Link{{From: "a", To: "b", Sign: 3}}}, "tree: save: links[0]: sign: invalid value 3"},
		{"bad month", &Model{Calendar: metric.Calendar{FiscalYearStart: 13}}, "tree: save: fiscal_year_start: invalid month 13"},
		{"inf range", &Model{Dimensions: []Dimension{{Name: "d", Numeric: true, Lo: math.Inf(-1)}}}, "tree: save: dimensions[0]: lo: -Inf is not a finite number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []Format{YAML, JSON} {
				err := tt.m.Save(&bytes.Buffer{}, f)
				if err == nil || err.Error() != tt.want {
					t.Errorf("%v: got %v, want %s", f, err, tt.want)
				}
			}
		})
	}
	if err := (&Model{}).Save(&bytes.Buffer{}, Format(7)); err == nil {
		t.Error("unknown format: no error")
	}
}

func TestSaveFileLoadFile(t *testing.T) {
	m := mustLoadFile(t, "testdata/full.yaml")
	dir := t.TempDir()
	for _, name := range []string{"m.yaml", "m.yml", "m.json", "M.JSON"} {
		path := filepath.Join(dir, name)
		if err := m.SaveFile(path); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		if isJSON(data) != strings.EqualFold(filepath.Ext(name), ".json") {
			t.Errorf("%s: wrong format:\n%.40s", name, data)
		}
		if d := cmp.Diff(m, mustLoadFile(t, path), modelCmp...); d != "" {
			t.Errorf("%s (-want +got):\n%s", name, d)
		}
	}
	if err := m.SaveFile(filepath.Join(dir, "m.txt")); err == nil || !strings.Contains(err.Error(), `unknown extension ".txt"`) {
		t.Errorf("SaveFile(.txt): %v", err)
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile(missing): %v", err)
	}
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestLoadReadError(t *testing.T) {
	_, err := Load(failReader{}, "x.yaml")
	if err == nil || err.Error() != "tree: read x.yaml: disk on fire" || errors.Is(err, ErrDecode) {
		t.Errorf("got %v", err)
	}
}

func TestPositions(t *testing.T) {
	src := "kpitree: \"1\"\nmetrics:\n  - id: a\n    formula: b + 1\n  -   id: b\n      formula: \"c * 2\"\n  - formula: |\n      a +\n      c\n    id: c\n  - id: d\n"
	m := load(t, []byte(src), "p.yaml")
	tests := []struct {
		id        string
		formula   bool
		line, col int
		ok        bool
	}{
		{"a", false, 3, 5, true},
		{"a", true, 4, 14, true},
		{"b", false, 5, 7, true},
		{"b", true, 6, 17, true}, // after the quote
		{"c", false, 7, 5, true},
		{"c", true, 8, 7, true}, // first content line of the block scalar
		{"d", false, 11, 5, true},
		{"d", true, 0, 0, false},
		{"zz", false, 0, 0, false},
	}
	for _, tt := range tests {
		file, line, col, ok := m.position(tt.id, tt.formula)
		if ok != tt.ok || line != tt.line || col != tt.col || (ok && file != "p.yaml") {
			t.Errorf("position(%q, %v) = %q %d:%d %v, want %d:%d %v", tt.id, tt.formula, file, line, col, ok, tt.line, tt.col, tt.ok)
		}
	}
	if _, _, _, ok := (&Model{}).position("a", false); ok {
		t.Error("position on a model not loaded from a file: ok")
	}
	// Positions in JSON too.
	mj := load(t, []byte("{\"kpitree\": \"1\",\n \"metrics\": [{\"id\": \"a\", \"formula\": \"b\"}]}"), "p.json")
	if _, line, col, ok := mj.position("a", true); !ok || line != 2 || col != 38 {
		t.Errorf("JSON formula position %d:%d %v, want 2:38", line, col, ok)
	}
}

// TestDecodeErrors checks exact messages, with positions, for bad input.
func TestDecodeErrors(t *testing.T) {
	const hdr = "kpitree: \"1\"\n"
	tests := []struct {
		name, in string
		want     []string
	}{
		{"unknown key", hdr + "metrics:\n  - id: a\n    unti: USD\n",
			[]string{`m.yaml:4:5: metrics[0]: unknown key "unti" (did you mean "unit"?)`}},
		{"unknown key no suggestion", hdr + "colour: red\n",
			[]string{`m.yaml:2:1: unknown key "colour" (valid keys: kpitree, name, description, grain, fiscal_year_start, metrics, links, dimensions, decompositions)`}},
		{"wrong type", hdr + "metrics:\n  - id: a\n    targets: {period: 2026, value: 1}\n",
			[]string{`m.yaml:4:14: metrics[0].targets: expected a list, found a mapping`}},
		{"wrong scalar type", hdr + "metrics:\n  - id: a\n    initial: lots\n",
			[]string{`m.yaml:4:14: metrics[0].initial: expected a number, found a string ("lots")`}},
		{"number as string", hdr + "name: 2026\n",
			[]string{`m.yaml:2:7: name: expected a string, found an integer (2026) (quote it to make it a string)`}},
		{"duplicate key", hdr + "metrics:\n  - id: a\n    name: A\n    name: B\n",
			[]string{`m.yaml:5:5: metrics[0]: duplicate key "name" (first at line 4)`}},
		{"duplicate id", hdr + "metrics:\n  - id: a\n  - id: b\n  - id: a\n",
			[]string{`m.yaml:5:9: metrics[2].id: duplicate metric id "a" (first defined at line 3)`}},
		{"additive not a boolean", hdr + "metrics:\n  - id: a\n    additive: yes please\n",
			[]string{`m.yaml:4:15: metrics[0].additive: expected true or false, found a string ("yes please") (write true or false)`}},
		{"driver not a boolean", hdr + "metrics:\n  - id: a\n    driver: 1\n",
			[]string{`m.yaml:4:13: metrics[0].driver: expected true or false, found an integer (1) (write true or false)`}},
		{"bad enum", hdr + "metrics:\n  - id: a\n    kind: KPl\n",
			[]string{`m.yaml:4:11: metrics[0].kind: invalid kind "KPl": want KGI, KPI or KSF (did you mean "KPI"?)`}},
		{"bad direction", hdr + "metrics:\n  - id: a\n    direction: up\n",
			[]string{`m.yaml:4:16: metrics[0].direction: invalid direction "up": want higher, lower, ceiling, floor or band`}},
		{"bad grain", hdr + "grain: monthly\n",
			[]string{`m.yaml:2:8: grain: invalid grain "monthly": want day, week, month, quarter or year (did you mean "month"?)`}},
		{"bad period", hdr + "metrics:\n  - id: a\n    targets:\n      - {period: 2026-13, value: 1}\n",
			[]string{`m.yaml:5:18: metrics[0].targets[0].period: invalid period "2026-13": month 13 out of range 01..12`}},
		{"non-canonical period", hdr + "metrics:\n  - id: a\n    targets:\n      - {period: 2026-q3, value: 1}\n",
			[]string{`m.yaml:5:18: metrics[0].targets[0].period: invalid period "2026-q3": want 2026, 2026-07, 2026-Q3, 2026-W29, 2026-07-14, FY2026 or FY2026-Q1 (write it as "2026-Q3")`}},
		{"period wrong type", hdr + "metrics:\n  - id: a\n    targets:\n      - {period: [2026], value: 1}\n",
			[]string{`m.yaml:5:18: metrics[0].targets[0].period: expected a period, found a list (want 2026, 2026-07, 2026-Q3, 2026-W29, 2026-07-14, FY2026 or FY2026-Q1)`}},
		{"missing target fields", hdr + "metrics:\n  - id: a\n    targets:\n      - note: x\n",
			[]string{`m.yaml:5:9: metrics[0].targets[0]: missing required key "period"`, `m.yaml:5:9: metrics[0].targets[0]: missing required key "value"`}},
		{"missing id", hdr + "metrics:\n  - name: A\n",
			[]string{`m.yaml:3:5: metrics[0]: missing required key "id"`}},
		{"bad id", hdr + "metrics:\n  - id: 1st\n",
			[]string{`m.yaml:3:9: metrics[0].id: invalid metric id "1st" (a letter or _ followed by letters, digits or _)`}},
		{"missing kpitree", "name: x\n",
			[]string{`m.yaml:1:1: missing required key "kpitree" (add kpitree: "1" as the first key)`}},
		{"unsupported version", "kpitree: 2\n",
			[]string{`m.yaml:1:10: kpitree: unsupported format version "2" (supported versions: "1")`}},
		{"nan", hdr + "metrics:\n  - id: a\n    initial: .nan\n",
			[]string{`m.yaml:4:14: metrics[0].initial: expected a finite number, found .nan`}},
		{"inf", hdr + "links:\n  - {from: a, to: b, confidence: -.inf}\n",
			[]string{`m.yaml:3:34: links[0].confidence: expected a finite number, found -.inf`}},
		{"confidence range", hdr + "links:\n  - {from: a, to: b, confidence: 1.5}\n",
			[]string{`m.yaml:3:34: links[0].confidence: confidence 1.5 out of range 0..1`}},
		{"bad sign", hdr + "links:\n  - {from: a, to: b, sign: 1}\n",
			[]string{`m.yaml:3:28: links[0].sign: expected a string, found an integer (1) (quote it to make it a string)`}},
		{"negative lag", hdr + "links:\n  - {from: a, to: b, lag: -1}\n",
			[]string{`m.yaml:3:27: links[0].lag: -1 out of range 0..2147483647`}},
		{"fractional lag", hdr + "links:\n  - {from: a, to: b, lag: 1.5}\n",
			[]string{`m.yaml:3:27: links[0].lag: expected an integer, found a number (1.5)`}},
		{"month name", hdr + "fiscal_year_start: apirl\n",
			[]string{`m.yaml:2:20: fiscal_year_start: invalid month "apirl": want 1..12 or a month name such as "april" (did you mean "april"?)`}},
		{"month number", hdr + "fiscal_year_start: 13\n",
			[]string{`m.yaml:2:20: fiscal_year_start: 13 out of range 1..12`}},
		{"dimension both", hdr + "dimensions:\n  - {name: d, values: [a], lo: 0}\n",
			[]string{`m.yaml:3:32: dimensions[0]: both values and a numeric range (a dimension is categorical (values) or numeric (lo, hi), not both)`}},
		{"dimension neither", hdr + "dimensions:\n  - {name: d}\n",
			[]string{`m.yaml:3:5: dimensions[0]: missing values or lo (give values: [...] for a categorical dimension or lo: (and hi:) for a numeric one)`}},
		{"dimension hi only", hdr + "dimensions:\n  - {name: d, hi: 3}\n",
			[]string{`m.yaml:3:5: dimensions[0]: missing required key "lo" (add lo: the lower bound of the range)`}},
		{"empty values", hdr + "dimensions:\n  - {name: d, values: []}\n",
			[]string{`m.yaml:3:23: dimensions[0].values: empty list: give at least one value`}},
		{"hi not above lo", hdr + "dimensions:\n  - {name: d, lo: 5, hi: 5}\n",
			[]string{`m.yaml:3:26: dimensions[0].hi: hi 5 is not above lo 5`}},
		{"bad condition", hdr + "decompositions:\n  - parent: a\n    segments:\n      - metric: b\n        where: {region: DE}\n",
			[]string{`m.yaml:6:25: decompositions[0].segments[0].where.region: expected a list or a mapping, found a string ("DE") (a list of values is a categorical condition, {lo: x, hi: y} a numeric one)`}},
		{"range key typo", hdr + "decompositions:\n  - parent: a\n    segments:\n      - metric: b\n        where: {size: {lo: 0, high: 5}}\n",
			[]string{`m.yaml:6:31: decompositions[0].segments[0].where.size: unknown key "high" (did you mean "hi"?)`}},
		{"alias", hdr + "name: &n x\ndescription: *n\n",
			[]string{`m.yaml:2:7: name: YAML anchors (&n) are not supported (remove the anchor)`, `m.yaml:3:14: description: YAML aliases (*n) are not supported (write the value out in full)`}},
		{"tab indent", hdr + "metrics:\n\t- id: a\n",
			[]string{`m.yaml:3:1: YAML syntax error: found character that cannot start any token (indent with spaces: YAML does not allow tabs for indentation)`}},
		{"garbage", hdr + "metrics: [a, b\n",
			[]string{`m.yaml:2:1: YAML syntax error: did not find expected ',' or ']'`}},
		{"lone dash", hdr + "links:\n  - from: a\n    to: b\n    sign: -\n",
			[]string{`m.yaml:5:5: YAML syntax error: block sequence entries are not allowed in this context (a lone "-" starts a list item; quote it as a value: sign: "-")`}},
		{"undefined alias", hdr + "metrics: *m\n",
			[]string{`m.yaml:2:10: YAML alias *m refers to no anchor (YAML anchors and aliases are not supported)`}},
		{"json number out of range", "{\"kpitree\": \"1\", \"metrics\": [{\"id\": \"a\", \"initial\": -1e999}]}",
			[]string{`m.yaml:1:53: metrics[0].initial: number -1e999 out of range`}},
		{"two documents", hdr + "---\nkpitree: \"1\"\n",
			[]string{`m.yaml:2:1: more than one YAML document (a model file holds one model)`}},
		{"empty", "", []string{`m.yaml:1:1: empty model file (a model file starts with kpitree: "1")`}},
		{"comments only", "# nothing\n", []string{`m.yaml:1:1: empty model file (a model file starts with kpitree: "1")`}},
		{"not a mapping", "- a\n", []string{`m.yaml:1:1: expected a mapping, found a list`}},
		{"null value", hdr + "name:\n", []string{`m.yaml:2:6: name: expected a string, found null`}},
		{"several", hdr + "grain: hourly\nmetrics:\n  - id: a\n    kind: kpi\n    unti: x\n",
			[]string{
				`m.yaml:2:8: grain: invalid grain "hourly": want day, week, month, quarter or year`,
				`m.yaml:6:5: metrics[0]: unknown key "unti" (did you mean "unit"?)`,
				`m.yaml:5:11: metrics[0].kind: invalid kind "kpi": want KGI, KPI or KSF (did you mean "KPI"?)`,
			}},
		{"label value type", hdr + "metrics:\n  - id: a\n    labels: {tier: 1, \"odd key\": [x]}\n",
			[]string{
				`m.yaml:4:20: metrics[0].labels.tier: expected a string, found an integer (1) (quote it to make it a string)`,
				`m.yaml:4:34: metrics[0].labels["odd key"]: expected a string, found a list`,
			}},
		// JSON input.
		{"json syntax", "{\n  \"kpitree\": \"1\",\n  \"name\": \"x\",,\n}", []string{`m.yaml:3:15: JSON syntax error: invalid character ',' looking for beginning of object key string`}},
		{"json truncated", "{\"kpitree\": \"1\"", []string{`m.yaml:1:16: JSON syntax error: unexpected end of JSON input`}},
		{"json unknown key", "{\"kpitree\": \"1\",\n \"metrics\": [{\"id\": \"a\", \"unti\": \"USD\"}]}",
			[]string{`m.yaml:2:26: metrics[0]: unknown key "unti" (did you mean "unit"?)`}},
		{"json wrong type", "{\"kpitree\": \"1\", \"metrics\": {}}",
			[]string{`m.yaml:1:29: metrics: expected an array, found an object`}},
		{"json duplicate key", "{\"kpitree\": \"1\", \"name\": \"a\", \"name\": \"b\"}",
			[]string{`m.yaml:1:31: duplicate key "name" (first at line 1, column 18)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Load(strings.NewReader(tt.in), "m.yaml")
			if err == nil {
				t.Fatalf("no error; model %+v", m)
			}
			if m != nil {
				t.Errorf("model returned with an error")
			}
			if !errors.Is(err, ErrDecode) {
				t.Errorf("errors.Is(err, ErrDecode) = false")
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.Line == 0 || de.Column == 0 {
				t.Errorf("errors.As: %v %+v", err, de)
			}
			got := strings.Split(err.Error(), "\n")
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("errors (-want +got):\n%s", d)
			}
		})
	}
}

func TestDecodeErrorLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("kpitree: \"1\"\nmetrics:\n")
	for i := 0; i < 50; i++ {
		b.WriteString("  - id: a\n    bogus: 1\n")
	}
	_, err := Load(strings.NewReader(b.String()), "")
	if err == nil {
		t.Fatal("no error")
	}
	u, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("not a joined error: %T", err)
	}
	errs := u.Unwrap()
	if len(errs) != maxDecodeErrors {
		t.Errorf("%d errors, want %d", len(errs), maxDecodeErrors)
	}
	if got, want := errs[0].Error(), `4:5: metrics[0]: unknown key "bogus" (valid keys: id, name, description, kind, unit, direction, aggregation, weight, additive, formula, driver, initial, owner, frequency, source, labels, targets)`; got != want {
		t.Errorf("first error %q, want %q", got, want)
	}
}

func TestDecodeErrorString(t *testing.T) {
	e := &DecodeError{File: "webshop.yaml", Line: 12, Column: 7, Path: "metrics[3]", Msg: `unknown key "unti"`, Hint: `did you mean "unit"?`}
	if got, want := e.Error(), `webshop.yaml:12:7: metrics[3]: unknown key "unti" (did you mean "unit"?)`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	e = &DecodeError{Line: 1, Column: 1, Msg: "empty model file"}
	if got, want := e.Error(), "1:1: empty model file"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if !errors.Is(e, ErrDecode) || errors.Is(e, os.ErrNotExist) {
		t.Error("Is")
	}
}

func TestLoadAccepts(t *testing.T) {
	const hdr = "kpitree: \"1\"\n"
	tests := []struct {
		name, in string
		check    func(*Model) bool
	}{
		{"integer version", "kpitree: 1\n", func(m *Model) bool { return m != nil }},
		{"month number", hdr + "fiscal_year_start: 10\n", func(m *Model) bool { return m.Calendar.FiscalYearStart == time.October }},
		{"month name capitalised", hdr + "fiscal_year_start: October\n", func(m *Model) bool { return m.Calendar.FiscalYearStart == time.October }},
		{"year as float", hdr + "metrics:\n  - id: a\n    targets: [{period: 2026.0, value: 1}]\n", func(m *Model) bool { return m.Metrics[0].Targets[0].Period.String() == "2026" }},
		{"quoted day", hdr + "metrics:\n  - id: a\n    targets: [{period: \"2026-07-14\", value: 0x10}]\n", func(m *Model) bool { return m.Metrics[0].Targets[0].Value == 16 }},
		{"fiscal with start", hdr + "metrics:\n  - id: a\n    targets: [{period: FY2026@10, value: 1}]\n", func(m *Model) bool { return m.Metrics[0].Targets[0].Period.Start().Month() == time.October }},
		{"empty lists", hdr + "metrics: []\nlinks: []\n", func(m *Model) bool { return len(m.Metrics) == 0 }},
		{"document marker", "---\n" + hdr + "...\n", func(m *Model) bool { return m != nil }},
		{"json with tabs", "{\n\t\"kpitree\": \"1\",\n\t\"name\": \"x\"\n}", func(m *Model) bool { return m.Name == "x" }},
		{"json escapes", `{"kpitree": "1", "name": "a\u00e9\"\\/\n"}`, func(m *Model) bool { return m.Name == "aé\"\\/\n" }},
		{"timestamp as string", hdr + "name: 2026-01-01\n", func(m *Model) bool { return m.Name == "2026-01-01" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Load(strings.NewReader(tt.in), "")
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(m) {
				t.Errorf("unexpected model %+v", m)
			}
		})
	}
}

func TestBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("kpitree: \"1\"\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("x" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	_, err := Load(strings.NewReader(b.String()), "")
	if err == nil || !strings.Contains(err.Error(), "anchors (&a0) are not supported") {
		t.Fatalf("got %v", err)
	}
}

func TestKeyListsSorted(t *testing.T) {
	// The key lists are also the order Save writes; check Save follows them.
	m := mustLoadFile(t, "testdata/full.yaml")
	var doc yaml.Node
	if err := yaml.Unmarshal(save(t, m, YAML), &doc); err != nil {
		t.Fatal(err)
	}
	order := func(n *yaml.Node, keys []string) {
		t.Helper()
		var got []int
		for i := 0; i < len(n.Content); i += 2 {
			got = append(got, slices.Index(keys, n.Content[i].Value))
		}
		if !slices.IsSorted(got) || slices.Contains(got, -1) {
			t.Errorf("keys out of order: %v", got)
		}
	}
	root := doc.Content[0]
	order(root, modelKeys)
	order(root.Content[11].Content[0], metricKeys)
	order(root.Content[11].Content[0].Content[len(root.Content[11].Content[0].Content)-1].Content[0], targetKeys)
}
