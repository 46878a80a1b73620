package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kpitree/kpitree/internal/yamlfile"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

var (
	schemaOnce     sync.Once
	compiledSchema *jsonschema.Schema
	schemaErr      error
)

// loadSchema compiles Schema() once.
func loadSchema(tb testing.TB) *jsonschema.Schema {
	tb.Helper()
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("kpitree.schema.json", doc); err != nil {
			schemaErr = err
			return
		}
		compiledSchema, schemaErr = c.Compile("kpitree.schema.json")
	})
	if schemaErr != nil {
		tb.Fatalf("schema: %v", schemaErr)
	}
	return compiledSchema
}

// instance converts a YAML or JSON document into the JSON value the schema
// validates: YAML is read as the equivalent JSON document (timestamps as
// strings; NaN and infinities, which JSON lacks, as strings).
func instance(data []byte) (any, error) {
	if isJSON(data) {
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
			// read as Load reads it (YAML 1.2), exactly as written, so
			// that the schema compares the number the file holds
			f, err := yamlfile.ParseNumber(n.Value)
			switch {
			case err != nil:
				return n.Value, nil // not a number for YAML 1.2 or JSON
			case !json.Valid([]byte(n.Value)): // 0o17, 0x1F, 010, +1, .5, 1.
				return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
			}
			return json.Number(n.Value), nil
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

// isModelDoc reports whether v is an object with a "kpitree" key.
func isModelDoc(v any) bool {
	m, ok := v.(map[string]any)
	_, has := m["kpitree"]
	return ok && has
}

// TestSchemaAcceptsFiles validates every model file under testdata and
// ../examples against the schema, and checks Load accepts it too.
func TestSchemaAcceptsFiles(t *testing.T) {
	sch := loadSchema(t)
	n := 0
	for _, root := range []string{"testdata", filepath.Join("..", "examples")} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
			default:
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			inst, err := instance(data)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				return nil
			}
			if !isModelDoc(inst) {
				t.Logf("%s: not a model file (no kpitree key); skipped", path)
				return nil
			}
			n++
			if err := sch.Validate(inst); err != nil {
				t.Errorf("%s: schema: %v", path, err)
			}
			if _, err := Load(bytes.NewReader(data), path); err != nil {
				t.Errorf("%s: Load: %v", path, err)
			}
			return nil
		})
		if errors.Is(err, fs.ErrNotExist) && root != "testdata" {
			t.Logf("%s: not present", root)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 2 {
		t.Errorf("validated %d files, want at least testdata/full.yaml and full.json", n)
	}
}

// TestSchemaMatchesDecoder checks the schema lists the same keys, enums and
// patterns as the decoder.
func TestSchemaMatchesDecoder(t *testing.T) {
	var s struct {
		Properties map[string]json.RawMessage
		Defs       map[string]struct {
			Properties map[string]struct {
				Enum    []any
				Pattern string
			}
			Enum    []string
			Pattern string
			OneOf   []struct{ Pattern string }
		} `json:"$defs"`
	}
	if err := json.Unmarshal(Schema(), &s); err != nil {
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
	if d := cmp.Diff(sorted(modelKeys), keys(s.Properties)); d != "" {
		t.Errorf("top-level keys (-decoder +schema):\n%s", d)
	}
	for def, want := range map[string][]string{"metric": metricKeys, "target": targetKeys, "link": linkKeys, "dimension": dimensionKeys,
		"decomposition": decompositionKeys, "segment": segmentKeys, "range": rangeKeys} {
		var got []string
		for k := range s.Defs[def].Properties {
			got = append(got, k)
		}
		slices.Sort(got)
		if d := cmp.Diff(sorted(want), got); d != "" {
			t.Errorf("%s keys (-decoder +schema):\n%s", def, d)
		}
	}
	enum := func(vals []any) []string {
		var out []string
		for _, v := range vals {
			out = append(out, v.(string))
		}
		return out
	}
	if d := cmp.Diff(grainNames, s.Defs["grain"].Enum); d != "" {
		t.Errorf("grain enum: %s", d)
	}
	for _, c := range []struct {
		def, prop string
		want      []string
	}{{"metric", "kind", kindNamesFile}, {"metric", "direction", directionNames}, {"metric", "aggregation", aggregationNames}, {"link", "sign", signNames}} {
		if d := cmp.Diff(c.want, enum(s.Defs[c.def].Properties[c.prop].Enum)); d != "" {
			t.Errorf("%s.%s enum: %s", c.def, c.prop, d)
		}
	}
	if got := s.Defs["id"].Pattern; got != idPattern.String() {
		t.Errorf("id pattern %s, decoder %s", got, idPattern)
	}
	if got := s.Defs["period"].OneOf[0].Pattern; got != periodPattern.String() {
		t.Errorf("period pattern %s, decoder %s", got, periodPattern)
	}
}

// badDocs are rejected by both Load and the schema.
var badDocs = []struct{ name, doc string }{
	{"missing kpitree", "name: x\n"},
	{"wrong version", "kpitree: \"2\"\n"},
	{"unknown top key", "kpitree: \"1\"\nnmae: x\n"},
	{"unknown metric key", "kpitree: \"1\"\nmetrics:\n  - id: a\n    unti: USD\n"},
	{"unknown target key", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 2026, value: 1, goal: 2}]\n"},
	{"unknown link key", "kpitree: \"1\"\nlinks: [{from: a, to: b, weight: 1}]\n"},
	{"unknown dimension key", "kpitree: \"1\"\ndimensions: [{name: d, values: [x], label: y}]\n"},
	{"unknown segment key", "kpitree: \"1\"\ndecompositions: [{parent: a, segments: [{metric: b, when: {}}]}]\n"},
	{"unknown range key", "kpitree: \"1\"\ndecompositions: [{parent: a, segments: [{metric: b, where: {s: {lo: 0, max: 1}}}]}]\n"},
	{"metrics not a list", "kpitree: \"1\"\nmetrics: {id: a}\n"},
	{"name not a string", "kpitree: \"1\"\nname: 12\n"},
	{"value not a number", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 2026, value: lots}]\n"},
	{"label not a string", "kpitree: \"1\"\nmetrics:\n  - id: a\n    labels: {x: [1]}\n"},
	{"lag not an integer", "kpitree: \"1\"\nlinks: [{from: a, to: b, lag: 1.5}]\n"},
	{"negative lag", "kpitree: \"1\"\nlinks: [{from: a, to: b, lag: -1}]\n"},
	{"confidence above 1", "kpitree: \"1\"\nlinks: [{from: a, to: b, confidence: 2}]\n"},
	{"condition a string", "kpitree: \"1\"\ndecompositions: [{parent: a, segments: [{metric: b, where: {r: DE}}]}]\n"},
	{"condition empty list", "kpitree: \"1\"\ndecompositions: [{parent: a, segments: [{metric: b, where: {r: []}}]}]\n"},
	{"condition without lo", "kpitree: \"1\"\ndecompositions: [{parent: a, segments: [{metric: b, where: {r: {hi: 3}}}]}]\n"},
	{"bad kind", "kpitree: \"1\"\nmetrics:\n  - id: a\n    kind: kpi\n"},
	{"bad direction", "kpitree: \"1\"\nmetrics:\n  - id: a\n    direction: up\n"},
	{"bad aggregation", "kpitree: \"1\"\nmetrics:\n  - id: a\n    aggregation: avg\n"},
	{"bad grain", "kpitree: \"1\"\ngrain: monthly\n"},
	{"bad frequency", "kpitree: \"1\"\nmetrics:\n  - id: a\n    frequency: hourly\n"},
	{"bad sign", "kpitree: \"1\"\nlinks: [{from: a, to: b, sign: positive}]\n"},
	{"bad fiscal month", "kpitree: \"1\"\nfiscal_year_start: 13\n"},
	{"bad fiscal month name", "kpitree: \"1\"\nfiscal_year_start: Apirl\n"},
	{"period with slash", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 2026/07, value: 1}]\n"},
	{"period lower case", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 2026-q3, value: 1}]\n"},
	{"period month 13", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 2026-13, value: 1}]\n"},
	{"period short year", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 26-07, value: 1}]\n"},
	{"period year 0", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 0, value: 1}]\n"},
	{"start bad", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 2026, value: 1, start: July}]\n"},
	{"missing id", "kpitree: \"1\"\nmetrics:\n  - name: A\n"},
	{"bad id", "kpitree: \"1\"\nmetrics:\n  - id: my-metric\n"},
	{"bad reference", "kpitree: \"1\"\nlinks: [{from: a b, to: c}]\n"},
	{"missing target value", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 2026}]\n"},
	{"missing target period", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{value: 1}]\n"},
	{"missing link to", "kpitree: \"1\"\nlinks: [{from: a}]\n"},
	{"missing parent", "kpitree: \"1\"\ndecompositions: [{segments: []}]\n"},
	{"missing segment metric", "kpitree: \"1\"\ndecompositions: [{parent: a, segments: [{where: {}}]}]\n"},
	{"dimension both", "kpitree: \"1\"\ndimensions: [{name: d, values: [x], lo: 0}]\n"},
	{"dimension neither", "kpitree: \"1\"\ndimensions: [{name: d}]\n"},
	{"dimension hi only", "kpitree: \"1\"\ndimensions: [{name: d, hi: 1}]\n"},
	{"dimension no name", "kpitree: \"1\"\ndimensions: [{values: [x]}]\n"},
	{"dimension empty values", "kpitree: \"1\"\ndimensions: [{name: d, values: []}]\n"},
	{"nan", "kpitree: \"1\"\nmetrics:\n  - id: a\n    initial: .nan\n"},
	{"infinity", "kpitree: \"1\"\nmetrics:\n  - id: a\n    targets: [{period: 2026, value: .inf}]\n"},
	{"null", "kpitree: \"1\"\ndescription: null\n"},
	{"not an object", "- kpitree\n"},
	{"json unknown key", `{"kpitree": "1", "metrics": [{"id": "a", "Unit": "USD"}]}`},
	{"json string number", `{"kpitree": "1", "links": [{"from": "a", "to": "b", "lag": "1"}]}`},
}

func TestBadDocsRejected(t *testing.T) {
	sch := loadSchema(t)
	for _, tt := range badDocs {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Load(strings.NewReader(tt.doc), ""); !errors.Is(err, ErrDecode) {
				t.Errorf("Load accepted it (err %v)", err)
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

func TestSchemaIsCopy(t *testing.T) {
	a := Schema()
	a[0] = 'x'
	if Schema()[0] != '{' {
		t.Error("Schema returns shared bytes")
	}
}

// schemaBlind are the problems Load reports that the schema cannot
// express: syntax, encoding, YAML features, duplicates, limits of size,
// and relations between values.
var schemaBlind = []string{
	"syntax error", "invalid UTF-8", "is not allowed in YAML", "unpaired surrogate", "more than one YAML document",
	"YAML aliases", "YAML anchors", "refers to no anchor", "explicit YAML tag", "duplicate key", "duplicate metric id",
	"nested deeper than", "more than 2000000 values", "file larger than", "empty model file",
	"is not above lo", "invalid period", "is not a number in YAML 1.2",
}

// TestSchemaAgreesWithLoad runs the corpus of FuzzLoad (its seeds and
// the stored failures under testdata/fuzz) through Load and the schema:
// whatever loads must be valid under the schema, and whatever the schema
// accepts must load unless Load's reason is one the schema cannot
// express (schemaBlind).
func TestSchemaAgreesWithLoad(t *testing.T) {
	var corpus [][]byte
	examples, _ := filepath.Glob(filepath.Join("..", "examples", "*", "*.yaml"))
	stored, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzLoad", "*"))
	for _, name := range append(append([]string{"testdata/full.yaml", "testdata/full.json"}, examples...), stored...) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(name, "fuzz") {
			// the stored form: "go test fuzz v1" and one []byte("...") line
			_, v, ok := strings.Cut(string(data), "[]byte(")
			if !ok {
				continue
			}
			q, err := strconv.Unquote(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), ")")))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			data = []byte(q)
		}
		corpus = append(corpus, data)
	}
	for _, tt := range badDocs {
		corpus = append(corpus, []byte(tt.doc))
	}
	for _, tt := range hostileDocs {
		corpus = append(corpus, []byte(tt.doc))
	}
	for _, h := range hostile {
		corpus = append(corpus, h.make(50))
	}
	sch := loadSchema(t)
	for _, data := range corpus {
		_, loadErr := Load(bytes.NewReader(data), "c")
		inst, err := instance(data)
		if err != nil {
			if loadErr == nil {
				t.Errorf("loaded, but not convertible for the schema: %v\n%.300s", err, data)
			}
			continue
		}
		schemaErr := sch.Validate(inst)
		switch {
		case loadErr == nil && schemaErr != nil:
			t.Errorf("Load accepts, the schema rejects: %v\n%.300s", schemaErr, data)
		case loadErr != nil && schemaErr == nil:
			for _, e := range loadErr.(interface{ Unwrap() []error }).Unwrap() {
				if !slices.ContainsFunc(schemaBlind, func(s string) bool { return strings.Contains(e.Error(), s) }) {
					t.Errorf("the schema accepts, Load rejects: %v\n%.300s", e, data)
				}
			}
		}
	}
}
