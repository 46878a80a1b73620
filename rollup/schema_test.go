package rollup

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/kpitree/kpitree/internal/yamlfile"
)

// compileSchema compiles one of the embedded schemas.
func compileSchema(tb testing.TB, name string, schema []byte) *jsonschema.Schema {
	tb.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		tb.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name, doc); err != nil {
		tb.Fatal(err)
	}
	s, err := c.Compile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// instance converts a YAML or JSON document into the JSON value a schema
// validates: YAML is read as the equivalent JSON document (timestamps as
// strings; NaN and infinities, which JSON lacks, as strings).
func instance(data []byte) (any, error) {
	if yamlfile.IsJSON(data) {
		return jsonschema.UnmarshalJSON(bytes.NewReader(data))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	v, err := yamlValue(doc.Content[0])
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

func yamlValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := yamlValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValue(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.AliasNode:
		return yamlValue(n.Alias)
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!int", "!!float":
			var f float64
			if err := n.Decode(&f); err != nil {
				return nil, err
			}
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return n.Value, nil
			}
			return f, nil
		case "!!bool":
			var b bool
			err := n.Decode(&b)
			return b, err
		case "!!null":
			return nil, nil
		}
		return n.Value, nil
	}
	return nil, errors.New("unexpected node")
}

// TestSchemasAcceptFiles validates every scenario and distribution file
// under testdata and ../examples against its schema, and checks the loader accepts it
// too.
func TestSchemasAcceptFiles(t *testing.T) {
	scen := compileSchema(t, "scenarios.schema.json", ScenarioSchema())
	dist := compileSchema(t, "distributions.schema.json", DistributionSchema())
	files, err := filepath.Glob(filepath.Join("testdata", "files", "*"))
	if err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Glob(filepath.Join("..", "examples", "*", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, examples...)
	n := map[string]int{}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := instance(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		m, _ := inst.(map[string]any)
		switch {
		case m["kpiscenarios"] != nil:
			n["scenarios"]++
			if err := scen.Validate(inst); err != nil {
				t.Errorf("%s: schema: %v", path, err)
			}
			if _, err := LoadScenarios(bytes.NewReader(data), path, nil); err != nil {
				t.Errorf("%s: %v", path, err)
			}
		case m["kpidistributions"] != nil:
			n["distributions"]++
			if err := dist.Validate(inst); err != nil {
				t.Errorf("%s: schema: %v", path, err)
			}
			if _, err := LoadDistributions(bytes.NewReader(data), path, nil); err != nil {
				t.Errorf("%s: %v", path, err)
			}
		default:
			t.Logf("%s: neither format; skipped", path)
		}
	}
	if n["scenarios"] < 3 || n["distributions"] < 3 {
		t.Errorf("validated %v, want at least a YAML and a JSON file of each format and the examples", n)
	}
}

// TestSchemasMatchDecoder checks the schemas list the same keys,
// families and patterns as the decoders.
func TestSchemasMatchDecoder(t *testing.T) {
	type object struct {
		Properties map[string]json.RawMessage
	}
	var sc struct {
		object
		Defs map[string]struct {
			object
			Pattern string
			OneOf   []struct{ Pattern string }
		} `json:"$defs"`
	}
	if err := json.Unmarshal(ScenarioSchema(), &sc); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]json.RawMessage) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	sorted := func(in []string) []string { out := slices.Clone(in); slices.Sort(out); return out }
	for _, c := range []struct {
		what      string
		want, got []string
	}{
		{"scenario file", scenarioFileKeys, keys(sc.Properties)},
		{"scenario", scenarioKeys, keys(sc.Defs["scenario"].Properties)},
		{"override", overrideKeys, keys(sc.Defs["override"].Properties)},
	} {
		if d := cmp.Diff(sorted(c.want), c.got); d != "" {
			t.Errorf("%s keys (-decoder +schema):\n%s", c.what, d)
		}
	}
	if got := sc.Defs["id"].Pattern; got != idPattern.String() {
		t.Errorf("id pattern %s, decoder %s", got, idPattern)
	}
	if got := sc.Defs["period"].OneOf[0].Pattern; got != periodPattern.String() {
		t.Errorf("period pattern %s, decoder %s", got, periodPattern)
	}

	var ds struct {
		object
		Defs struct {
			Input struct {
				OneOf []struct {
					object
					Required []string
				}
			}
			Correlation object
			ID          struct{ Pattern string }
		} `json:"$defs"`
	}
	if err := json.Unmarshal(DistributionSchema(), &ds); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(sorted(distFileKeys), keys(ds.Properties)); d != "" {
		t.Errorf("distribution file keys (-decoder +schema):\n%s", d)
	}
	if d := cmp.Diff(sorted(correlationKeys), keys(ds.Defs.Correlation.Properties)); d != "" {
		t.Errorf("correlation keys (-decoder +schema):\n%s", d)
	}
	if ds.Defs.ID.Pattern != idPattern.String() {
		t.Errorf("id pattern %s, decoder %s", ds.Defs.ID.Pattern, idPattern)
	}
	// one variant per parameter set, with exactly its keys
	var want, got []string
	for _, f := range distFamilies {
		for _, set := range distParams[f] {
			want = append(want, f+": "+strings.Join(sorted(append([]string{"metric", "dist"}, set...)), " "))
		}
	}
	for _, v := range ds.Defs.Input.OneOf {
		var family string
		if err := json.Unmarshal(v.Properties["dist"], &struct{ Const *string }{&family}); err != nil {
			t.Fatal(err)
		}
		got = append(got, family+": "+strings.Join(keys(v.Properties), " "))
		if d := cmp.Diff(keys(v.Properties), sorted(v.Required)); d != "" {
			t.Errorf("%s: every key is required (-properties +required):\n%s", family, d)
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("input variants (-decoder +schema):\n%s", d)
	}
	var all []string
	for _, v := range ds.Defs.Input.OneOf {
		for k := range v.Properties {
			if !slices.Contains(all, k) {
				all = append(all, k)
			}
		}
	}
	if d := cmp.Diff(sorted(inputKeys), sorted(all)); d != "" {
		t.Errorf("input keys (-decoder +schema):\n%s", d)
	}
}

// badFiles are rejected by both the loader and the schema.
var badFiles = []struct{ name, doc string }{
	{"scenarios: wrong version", "kpiscenarios: \"2\"\nscenarios: []\n"},
	{"scenarios: no scenarios", "kpiscenarios: \"1\"\n"},
	{"scenarios: unknown key", "kpiscenarios: \"1\"\nscenarios: [{name: a, nmae: b}]\n"},
	{"scenarios: no name", "kpiscenarios: \"1\"\nscenarios: [{overrides: []}]\n"},
	{"scenarios: name base", "kpiscenarios: \"1\"\nscenarios: [{name: base}]\n"},
	{"scenarios: parent base", "kpiscenarios: \"1\"\nscenarios: [{name: a, parent: base}]\n"},
	{"scenarios: name a number", "kpiscenarios: \"1\"\nscenarios: [{name: 1}]\n"},
	{"scenarios: no op", "kpiscenarios: \"1\"\nscenarios: [{name: a, overrides: [{metric: x}]}]\n"},
	{"scenarios: two ops", "kpiscenarios: \"1\"\nscenarios: [{name: a, overrides: [{metric: x, set: 1, scale: 2}]}]\n"},
	{"scenarios: scale below -100", "kpiscenarios: \"1\"\nscenarios: [{name: a, overrides: [{metric: x, scale: -101}]}]\n"},
	{"scenarios: period and from", "kpiscenarios: \"1\"\nscenarios: [{name: a, overrides: [{metric: x, set: 1, period: 2026, from: 2026}]}]\n"},
	{"scenarios: period and to", "kpiscenarios: \"1\"\nscenarios: [{name: a, overrides: [{metric: x, set: 1, period: 2026, to: 2026}]}]\n"},
	{"scenarios: bad period", "kpiscenarios: \"1\"\nscenarios: [{name: a, overrides: [{metric: x, set: 1, period: 2026-q1}]}]\n"},
	{"scenarios: bad id", "kpiscenarios: \"1\"\nscenarios: [{name: a, overrides: [{metric: a-b, set: 1}]}]\n"},
	{"scenarios: string value", "kpiscenarios: \"1\"\nscenarios: [{name: a, overrides: [{metric: x, set: \"1\"}]}]\n"},
	{"scenarios: nan", "kpiscenarios: \"1\"\nscenarios: [{name: a, overrides: [{metric: x, set: .nan}]}]\n"},
	{"scenarios: json unknown key", `{"kpiscenarios": "1", "scenarios": [{"name": "a", "Overrides": []}]}`},
	{"distributions: wrong version", "kpidistributions: \"2\"\ninputs: [{metric: a, dist: normal, mean: 1, sd: 1}]\n"},
	{"distributions: no inputs", "kpidistributions: \"1\"\n"},
	{"distributions: empty inputs", "kpidistributions: \"1\"\ninputs: []\n"},
	{"distributions: unknown family", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: gamma, mean: 1, sd: 1}]\n"},
	{"distributions: no dist", "kpidistributions: \"1\"\ninputs: [{metric: a, mean: 1, sd: 1}]\n"},
	{"distributions: foreign parameter", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: normal, mean: 1, sd: 1, lo: 0}]\n"},
	{"distributions: missing parameter", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: triangular, lo: 1, hi: 2}]\n"},
	{"distributions: lognormal mixed", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: lognormal, mu: 1, sd: 2}]\n"},
	{"distributions: negative sd", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: normal, mean: 1, sd: -1}]\n"},
	{"distributions: zero alpha", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: beta, alpha: 0, beta: 1}]\n"},
	{"distributions: empty values", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: empirical, values: []}]\n"},
	{"distributions: string value", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: empirical, values: [\"1\"]}]\n"},
	{"distributions: rho above 1", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: normal, mean: 1, sd: 1}, {metric: b, dist: normal, mean: 1, sd: 1}]\ncorrelations: [{a: a, b: b, rho: 1.1}]\n"},
	{"distributions: no rho", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: normal, mean: 1, sd: 1}, {metric: b, dist: normal, mean: 1, sd: 1}]\ncorrelations: [{a: a, b: b}]\n"},
	{"distributions: unknown correlation key", "kpidistributions: \"1\"\ninputs: [{metric: a, dist: normal, mean: 1, sd: 1}, {metric: b, dist: normal, mean: 1, sd: 1}]\ncorrelations: [{a: a, b: b, rho: 0.1, r: 1}]\n"},
}

func TestBadFilesRejected(t *testing.T) {
	scen := compileSchema(t, "scenarios.schema.json", ScenarioSchema())
	dist := compileSchema(t, "distributions.schema.json", DistributionSchema())
	for _, tt := range badFiles {
		t.Run(tt.name, func(t *testing.T) {
			sch := scen
			var err error
			if strings.HasPrefix(tt.name, "scenarios") {
				_, err = LoadScenarios(strings.NewReader(tt.doc), "", nil)
			} else {
				sch = dist
				_, err = LoadDistributions(strings.NewReader(tt.doc), "", nil)
			}
			if !errors.Is(err, ErrDecode) {
				t.Errorf("loader accepted it (err %v)", err)
			}
			inst, err := instance([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err == nil {
				t.Errorf("schema accepted it")
			}
		})
	}
}

func TestSchemasAreCopies(t *testing.T) {
	for _, f := range []func() []byte{ScenarioSchema, DistributionSchema} {
		a := f()
		a[0] = 'x'
		if f()[0] != '{' {
			t.Error("schema function returns shared bytes")
		}
	}
}
