package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kpitree/kpitree/internal/formula"
	"github.com/kpitree/kpitree/metric"
	"go.yaml.in/yaml/v3"
)

// The keys of each object of the file format, in the order Save writes
// them. The JSON Schema lists the same keys (a test checks).
var (
	modelKeys         = []string{"kpitree", "name", "description", "grain", "fiscal_year_start", "metrics", "links", "dimensions", "decompositions"}
	metricKeys        = []string{"id", "name", "description", "kind", "unit", "direction", "aggregation", "formula", "initial", "owner", "frequency", "source", "labels", "targets"}
	targetKeys        = []string{"period", "value", "max", "baseline", "start", "note"}
	linkKeys          = []string{"from", "to", "sign", "lag", "confidence", "evidence"}
	dimensionKeys     = []string{"name", "values", "lo", "hi"}
	decompositionKeys = []string{"parent", "segments"}
	segmentKeys       = []string{"metric", "where"}
	rangeKeys         = []string{"lo", "hi"}
)

// Enumerations of the file format (canonical spellings only).
var (
	supportedVersions = []string{FormatVersion}
	grainNames        = []string{"day", "week", "month", "quarter", "year"}
	kindNamesFile     = []string{"KGI", "KPI", "KSF"}
	directionNames    = []string{"higher", "lower", "ceiling", "floor", "band"}
	aggregationNames  = []string{"sum", "mean", "last", "first", "min", "max"}
	signNames         = []string{"+", "-", "?"}
	monthNames        = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
)

// Patterns of the file format; kpitree.schema.json uses the same ones.
var (
	idPattern     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	periodPattern = regexp.MustCompile(`^([0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?|-Q[1-4]|-W(0[1-9]|[1-4][0-9]|5[0-3]))?|FY[0-9]{4}(-Q[1-4])?(@(0[1-9]|1[0-2]))?)$`)
)

const periodForms = "want 2026, 2026-07, 2026-Q3, 2026-W29, 2026-07-14, FY2026 or FY2026-Q1"

// errStop ends decoding once maxDecodeErrors problems are recorded.
var errStop = errors.New("too many errors")

type decoder struct {
	file string
	data []byte
	json bool
	errs []error
	cal  metric.Calendar
	src  *sourceMap
}

// decode parses data (YAML or JSON) into a Model.
func decode(data []byte, name string) (m *Model, err error) {
	d := &decoder{file: name, data: data, json: isJSON(data)}
	defer func() {
		if r := recover(); r != nil {
			if r != errStop { //nolint:errorlint // sentinel identity
				panic(r)
			}
			m, err = nil, errors.Join(d.errs...)
		}
	}()
	root := d.parse()
	if root == nil || len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	if !d.checkAliases(root, "") {
		return nil, errors.Join(d.errs...)
	}
	m = d.model(root)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return m, nil
}

// add records a problem at node n (or at line 1, column 1 if n is nil).
func (d *decoder) add(line, col int, path, hint, format string, args ...any) {
	d.errs = append(d.errs, &DecodeError{File: d.file, Line: line, Column: col, Path: path, Msg: fmt.Sprintf(format, args...), Hint: hint})
	if len(d.errs) >= maxDecodeErrors {
		panic(errStop)
	}
}

func (d *decoder) errorf(n *yaml.Node, path, hint, format string, args ...any) {
	line, col := 1, 1
	if n != nil {
		line, col = n.Line, n.Column
	}
	d.add(line, col, path, hint, format, args...)
}

// parse checks the syntax of data and returns the root node of its only
// document, or nil after recording an error.
func (d *decoder) parse() *yaml.Node {
	if d.json {
		if err := json.Unmarshal(d.data, new(json.RawMessage)); err != nil {
			var se *json.SyntaxError
			off := len(d.data)
			if errors.As(err, &se) {
				off = int(se.Offset)
			}
			if !strings.Contains(err.Error(), "unexpected end") {
				off-- // Offset is just past the offending character
			}
			line, col := d.offsetPos(off)
			msg := strings.TrimPrefix(err.Error(), "json: ")
			msg = strings.TrimPrefix(msg, "jsontext: ")
			d.add(line, col, "", "", "JSON syntax error: %s", msg)
			return nil
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(d.data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			d.add(1, 1, "", `a model file starts with kpitree: "1"`, "empty model file")
			return nil
		}
		d.syntaxError(err)
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == io.EOF:
	case err != nil:
		d.syntaxError(err)
		return nil
	default:
		d.errorf(&extra, "", "a model file holds one model", "more than one YAML document")
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		d.add(1, 1, "", `a model file starts with kpitree: "1"`, "empty model file")
		return nil
	}
	return doc.Content[0]
}

var (
	yamlLineRE      = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)
	unknownAnchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// yamlScannerErrors are the problems yaml.v3's scanner reports; it gives
// their lines 1-based, but those of its parser 0-based.
var yamlScannerErrors = []string{
	"block sequence entries are not allowed in this context",
	"could not find expected",
	"did not find expected alphabetic or numeric character",
	"did not find expected comment or line break",
	"did not find expected digit or '.' character",
	"did not find expected hexdecimal number",
	"did not find expected version number",
	"did not find expected whitespace",
	"did not find the expected '>'",
	"exceeded max depth of",
	"found a tab character",
	"found an indentation indicator equal to 0",
	"found character that cannot start any token",
	"found extremely long version number",
	"found invalid Unicode character escape code",
	"found unexpected document indicator",
	"found unexpected end of stream",
	"found unexpected non-alphabetical character",
	"found unknown directive name",
	"found unknown escape character",
	"mapping keys are not allowed in this context",
	"mapping values are not allowed in this context",
}

// syntaxError records a yaml.v3 parse error. yaml.v3 reports only a line
// (for some errors that of the construct the problem is in, such as an
// unclosed list); the column is that of the first tab on the line, if any
// (the usual cause), or of its first non-blank character.
func (d *decoder) syntaxError(err error) {
	msg := err.Error()
	line := 1
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if !slices.ContainsFunc(yamlScannerErrors, func(p string) bool { return strings.HasPrefix(msg, p) }) {
			line++
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if m := unknownAnchorRE.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(d.data, []byte("*"+m[1])); i >= 0 {
			l, c := d.offsetPos(i)
			d.add(l, c, "", "YAML anchors and aliases are not supported", "YAML alias *%s refers to no anchor", m[1])
			return
		}
	}
	lines := bytes.Split(d.data, []byte("\n"))
	if line < 1 || line > len(lines) {
		line = min(max(line, 1), len(lines))
	}
	text := string(bytes.TrimRight(lines[line-1], "\r"))
	col, hint := 1, ""
	if i := strings.IndexByte(text, '\t'); i >= 0 {
		col = utf8.RuneCountInString(text[:i]) + 1
		hint = "indent with spaces: YAML does not allow tabs for indentation"
	} else if t := strings.TrimLeft(text, " "); t != "" {
		col = utf8.RuneCountInString(text[:len(text)-len(t)]) + 1
	}
	if hint == "" && strings.HasPrefix(msg, "block sequence entries are not allowed") {
		hint = `a lone "-" starts a list item; quote it as a value: sign: "-"`
	}
	d.add(line, col, "", hint, "YAML syntax error: %s", msg)
}

// offsetPos converts a byte offset in d.data into a line and column.
func (d *decoder) offsetPos(off int) (line, col int) {
	off = max(0, min(off, len(d.data)))
	before := d.data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, utf8.RuneCount(before) + 1
}

// checkAliases rejects anchors and aliases anywhere in the tree. Aliased
// documents can expand exponentially ("billion laughs"), and a model file
// has no use for them.
func (d *decoder) checkAliases(n *yaml.Node, path string) bool {
	ok := true
	if n.Kind == yaml.AliasNode {
		d.errorf(n, path, "write the value out in full", "YAML aliases (*%s) are not supported", n.Value)
		return false
	}
	if n.Anchor != "" {
		d.errorf(n, path, "remove the anchor", "YAML anchors (&%s) are not supported", n.Anchor)
		ok = false
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := path
			if n.Content[i].Kind == yaml.ScalarNode {
				p = joinKey(path, n.Content[i].Value)
			}
			ok = d.checkAliases(n.Content[i], p) && ok
			ok = d.checkAliases(n.Content[i+1], p) && ok
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			ok = d.checkAliases(c, joinIndex(path, i)) && ok
		}
	}
	return ok
}

// ---- paths and descriptions ----

func joinKey(path, key string) string {
	if !idPattern.MatchString(key) {
		key = strconv.Quote(key)
		if path == "" {
			return "[" + key + "]"
		}
		return path + "[" + key + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func joinIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// describe names what node n is, for "expected X, found Y" messages.
func (d *decoder) describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		if d.json {
			return "an object"
		}
		return "a mapping"
	case yaml.SequenceNode:
		if d.json {
			return "an array"
		}
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str", "!!timestamp":
			return fmt.Sprintf("a string (%s)", quoteShort(n.Value))
		case "!!int":
			return "an integer (" + short(n.Value) + ")"
		case "!!float":
			return "a number (" + short(n.Value) + ")"
		case "!!bool":
			return "a boolean (" + n.Value + ")"
		case "!!null":
			return "null"
		}
		return "a value tagged " + n.ShortTag()
	}
	return "nothing"
}

func short(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		return string(r[:37]) + "..."
	}
	return s
}

func quoteShort(s string) string { return strconv.Quote(short(s)) }

func (d *decoder) mapWord() string {
	if d.json {
		return "an object"
	}
	return "a mapping"
}

func (d *decoder) listWord() string {
	if d.json {
		return "an array"
	}
	return "a list"
}

// ---- generic node readers ----

type field struct{ key, val *yaml.Node }

// mapping returns the key/value pairs of mapping n in order, reporting a
// wrong type, non-string keys and duplicate keys.
func (d *decoder) mapping(n *yaml.Node, path string) ([]field, bool) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "", "expected %s, found %s", d.mapWord(), d.describe(n))
		return nil, false
	}
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	out := make([]field, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || (k.ShortTag() != "!!str" && k.ShortTag() != "!!timestamp") {
			d.errorf(k, path, "", "expected a string key, found %s", d.describe(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, path, "", "duplicate key %q (first at %s)", k.Value, at(first, k))
			continue
		}
		seen[k.Value] = k
		out = append(out, field{k, v})
	}
	return out, true
}

// object reads a mapping whose keys must be among known, returning the
// values by key.
func (d *decoder) object(n *yaml.Node, path string, known []string) (map[string]*yaml.Node, bool) {
	fs, ok := d.mapping(n, path)
	if !ok {
		return nil, false
	}
	out := make(map[string]*yaml.Node, len(fs))
	for _, f := range fs {
		if !slices.Contains(known, f.key.Value) {
			hint := suggest(f.key.Value, known)
			if hint == "" {
				hint = "valid keys: " + strings.Join(known, ", ")
			}
			d.errorf(f.key, path, hint, "unknown key %q", f.key.Value)
			continue
		}
		out[f.key.Value] = f.val
	}
	return out, true
}

// require reports a missing required key of object n.
func (d *decoder) require(obj map[string]*yaml.Node, n *yaml.Node, path, key string) bool {
	if _, ok := obj[key]; ok {
		return true
	}
	d.errorf(n, path, "", "missing required key %q", key)
	return false
}

func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!str", "!!timestamp":
			return n.Value, true
		}
	}
	hint := ""
	if n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" && !d.json {
		hint = "quote it to make it a string"
	}
	d.errorf(n, path, hint, "expected a string, found %s", d.describe(n))
	return "", false
}

func (d *decoder) id(n *yaml.Node, path, what string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if !idPattern.MatchString(s) {
		d.errorf(n, path, "a letter or _ followed by letters, digits or _", "invalid %s %q", what, s)
		return "", false
	}
	return s, true
}

func (d *decoder) number(n *yaml.Node, path string) (float64, bool) {
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!int", "!!float":
			var f float64
			if err := n.Decode(&f); err != nil {
				d.errorf(n, path, "", "invalid number %s", quoteShort(n.Value))
				return 0, false
			}
			if math.IsNaN(f) || math.IsInf(f, 0) {
				d.errorf(n, path, "", "expected a finite number, found %s", n.Value)
				return 0, false
			}
			return f, true
		}
	}
	if n.Kind == yaml.ScalarNode && n.Style == 0 && n.ShortTag() == "!!str" {
		if _, err := strconv.ParseFloat(n.Value, 64); errors.Is(err, strconv.ErrRange) {
			d.errorf(n, path, "", "number %s out of range", short(n.Value))
			return 0, false
		}
	}
	d.errorf(n, path, "", "expected a number, found %s", d.describe(n))
	return 0, false
}

// integer reads an integer in [lo, hi]; a number with an integral value
// (2.0) counts, as in JSON Schema.
func (d *decoder) integer(n *yaml.Node, path string, lo, hi int) (int, bool) {
	f, ok := 0.0, false
	if n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float") {
		f, ok = d.number(n, path)
		if !ok {
			return 0, false
		}
		if f != math.Trunc(f) {
			d.errorf(n, path, "", "expected an integer, found %s", d.describe(n))
			return 0, false
		}
	} else {
		d.errorf(n, path, "", "expected an integer, found %s", d.describe(n))
		return 0, false
	}
	if f < float64(lo) || f > float64(hi) {
		d.errorf(n, path, "", "%s out of range %d..%d", n.Value, lo, hi)
		return 0, false
	}
	return int(f), true
}

// enum reads a string that must be one of names and returns its index.
func (d *decoder) enum(n *yaml.Node, path, what string, names []string) (int, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return 0, false
	}
	if i := slices.Index(names, s); i >= 0 {
		return i, true
	}
	d.errorf(n, path, suggest(s, names), "invalid %s %q: want %s", what, s, orList(names))
	return 0, false
}

func (d *decoder) grain(n *yaml.Node, path string) (metric.Grain, bool) {
	i, ok := d.enum(n, path, "grain", grainNames)
	if !ok {
		return 0, false
	}
	g, err := metric.ParseGrain(grainNames[i])
	if err != nil {
		d.errorf(n, path, "", "%v", err)
		return 0, false
	}
	return g, true
}

// period reads a period: a string in one of the forms of periodPattern,
// or a year as an integer.
func (d *decoder) period(n *yaml.Node, path string) (metric.Period, bool) {
	var s string
	if n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float") {
		y, ok := d.integer(n, path, 1, 9999)
		if !ok {
			return metric.Period{}, false
		}
		s = fmt.Sprintf("%04d", y)
	} else {
		var ok bool
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && n.ShortTag() != "!!timestamp") {
			d.errorf(n, path, periodForms, "expected a period, found %s", d.describe(n))
			return metric.Period{}, false
		}
		if s, ok = d.str(n, path); !ok {
			return metric.Period{}, false
		}
	}
	p, err := d.cal.Parse(s)
	if err != nil {
		var pe *metric.ParseError
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = pe.Msg
		}
		d.errorf(n, path, "", "invalid period %s: %s", quoteShort(s), msg)
		return metric.Period{}, false
	}
	if !periodPattern.MatchString(s) {
		d.errorf(n, path, fmt.Sprintf("write it as %q", p.String()), "invalid period %s: %s", quoteShort(s), periodForms)
		return metric.Period{}, false
	}
	return p, true
}

// seq returns the items of sequence n.
func (d *decoder) seq(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "", "expected %s, found %s", d.listWord(), d.describe(n))
		return nil, false
	}
	return n.Content, true
}

// ---- the model ----

func (d *decoder) model(root *yaml.Node) *Model {
	obj, ok := d.object(root, "", modelKeys)
	if !ok {
		return nil
	}
	m := &Model{}
	d.src = &sourceMap{file: d.file, metric: map[string]pos{}, formula: map[string]pos{}}
	m.src = d.src
	if v, ok := obj["kpitree"]; ok {
		d.version(v)
	} else {
		d.errorf(root, "", `add kpitree: "1" as the first key`, "missing required key %q", "kpitree")
	}
	// fiscal_year_start first: it fixes how FY periods parse.
	if v, ok := obj["fiscal_year_start"]; ok {
		if mo, ok := d.month(v, "fiscal_year_start"); ok {
			m.Calendar.FiscalYearStart = mo
			d.cal = m.Calendar
		}
	}
	if v, ok := obj["name"]; ok {
		m.Name, _ = d.str(v, "name")
	}
	if v, ok := obj["description"]; ok {
		m.Description, _ = d.str(v, "description")
	}
	if v, ok := obj["grain"]; ok {
		m.Grain, _ = d.grain(v, "grain")
	}
	if v, ok := obj["metrics"]; ok {
		m.Metrics = d.metrics(v, "metrics")
	}
	if v, ok := obj["links"]; ok {
		if items, ok := d.seq(v, "links"); ok {
			for i, it := range items {
				if l, ok := d.link(it, joinIndex("links", i)); ok {
					m.Links = append(m.Links, l)
				}
			}
		}
	}
	if v, ok := obj["dimensions"]; ok {
		if items, ok := d.seq(v, "dimensions"); ok {
			for i, it := range items {
				if dim, ok := d.dimension(it, joinIndex("dimensions", i)); ok {
					m.Dimensions = append(m.Dimensions, dim)
				}
			}
		}
	}
	if v, ok := obj["decompositions"]; ok {
		if items, ok := d.seq(v, "decompositions"); ok {
			for i, it := range items {
				if dc, ok := d.decomposition(it, joinIndex("decompositions", i)); ok {
					m.Decompositions = append(m.Decompositions, dc)
				}
			}
		}
	}
	return m
}

func (d *decoder) version(n *yaml.Node) {
	hint := "supported versions: " + quoteList(supportedVersions)
	var v string
	switch {
	case n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float"):
		f, ok := d.number(n, "kpitree")
		if !ok {
			return
		}
		v = strconv.FormatFloat(f, 'g', -1, 64)
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str":
		v = n.Value
	default:
		d.errorf(n, "kpitree", hint, "expected a format version string, found %s", d.describe(n))
		return
	}
	if !slices.Contains(supportedVersions, v) {
		d.errorf(n, "kpitree", hint, "unsupported format version %s", quoteShort(v))
	}
}

// month reads a month number 1..12 or an English month name.
func (d *decoder) month(n *yaml.Node, path string) (time.Month, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		for i, name := range monthNames {
			if n.Value == name || n.Value == strings.ToUpper(name[:1])+name[1:] {
				return time.Month(i + 1), true
			}
		}
		d.errorf(n, path, suggest(strings.ToLower(n.Value), monthNames), "invalid month %s: want 1..12 or a month name such as \"april\"", quoteShort(n.Value))
		return 0, false
	}
	v, ok := d.integer(n, path, 1, 12)
	return time.Month(v), ok
}

func (d *decoder) metrics(n *yaml.Node, path string) []metric.Metric {
	items, ok := d.seq(n, path)
	if !ok {
		return nil
	}
	var out []metric.Metric
	firstLine := map[string]*yaml.Node{}
	for i, it := range items {
		p := joinIndex(path, i)
		obj, ok := d.object(it, p, metricKeys)
		if !ok {
			continue
		}
		var mt metric.Metric
		if v, ok := obj["id"]; ok {
			if id, ok := d.id(v, joinKey(p, "id"), "metric id"); ok {
				if l, dup := firstLine[id]; dup {
					d.errorf(v, joinKey(p, "id"), "", "duplicate metric id %q (first defined at %s)", id, at(l, v))
				} else {
					firstLine[id] = v
					d.src.metric[id] = pos{it.Line, it.Column}
				}
				mt.ID = id
			}
		} else {
			d.errorf(it, p, "", "missing required key %q", "id")
		}
		d.metricFields(&mt, obj, p)
		if v, ok := obj["formula"]; ok && mt.ID != "" {
			if _, dup := d.src.formula[mt.ID]; !dup {
				d.src.formula[mt.ID] = d.contentPos(v)
			}
		}
		out = append(out, mt)
	}
	return out
}

func (d *decoder) metricFields(mt *metric.Metric, obj map[string]*yaml.Node, p string) {
	strField := func(key string, dst *string) {
		if v, ok := obj[key]; ok {
			*dst, _ = d.str(v, joinKey(p, key))
		}
	}
	strField("name", &mt.Name)
	strField("description", &mt.Description)
	strField("formula", &mt.Formula)
	strField("owner", &mt.Owner)
	strField("source", &mt.Source)
	if v, ok := obj["unit"]; ok {
		s, _ := d.str(v, joinKey(p, "unit"))
		mt.Unit = metric.Unit(s)
	}
	if v, ok := obj["kind"]; ok {
		if i, ok := d.enum(v, joinKey(p, "kind"), "kind", kindNamesFile); ok {
			mt.Kind, _ = metric.ParseKind(kindNamesFile[i])
		}
	}
	if v, ok := obj["direction"]; ok {
		if i, ok := d.enum(v, joinKey(p, "direction"), "direction", directionNames); ok {
			mt.Direction, _ = metric.ParseDirection(directionNames[i])
		}
	}
	if v, ok := obj["aggregation"]; ok {
		if i, ok := d.enum(v, joinKey(p, "aggregation"), "aggregation", aggregationNames); ok {
			mt.Aggregation, _ = metric.ParseAggregation(aggregationNames[i])
		}
	}
	if v, ok := obj["initial"]; ok {
		if f, ok := d.number(v, joinKey(p, "initial")); ok {
			mt.Initial = &f
		}
	}
	if v, ok := obj["frequency"]; ok {
		mt.Frequency, _ = d.grain(v, joinKey(p, "frequency"))
	}
	if v, ok := obj["labels"]; ok {
		lp := joinKey(p, "labels")
		if fs, ok := d.mapping(v, lp); ok {
			for _, f := range fs {
				if s, ok := d.str(f.val, joinKey(lp, f.key.Value)); ok {
					if mt.Labels == nil {
						mt.Labels = make(map[string]string, len(fs))
					}
					mt.Labels[f.key.Value] = s
				}
			}
		}
	}
	if v, ok := obj["targets"]; ok {
		tp := joinKey(p, "targets")
		if items, ok := d.seq(v, tp); ok {
			for i, it := range items {
				if t, ok := d.target(it, joinIndex(tp, i)); ok {
					mt.Targets = append(mt.Targets, t)
				}
			}
		}
	}
}

// contentPos returns the position of the first character of scalar n's
// text: after the opening quote of a quoted scalar, on the first content
// line of a block scalar.
func (d *decoder) contentPos(n *yaml.Node) pos {
	p := pos{n.Line, n.Column}
	switch {
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		p.col++
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		lines := bytes.Split(d.data, []byte("\n"))
		for l := n.Line; l < len(lines); l++ { // lines[l] is line l+1
			text := bytes.TrimRight(lines[l], "\r")
			t := bytes.TrimLeft(text, " ")
			if len(t) > 0 {
				return pos{l + 1, len(text) - len(t) + 1}
			}
		}
	}
	return p
}

func (d *decoder) target(n *yaml.Node, p string) (metric.Target, bool) {
	var t metric.Target
	obj, ok := d.object(n, p, targetKeys)
	if !ok {
		return t, false
	}
	ok = d.require(obj, n, p, "period")
	ok = d.require(obj, n, p, "value") && ok
	if v, has := obj["period"]; has {
		var pok bool
		t.Period, pok = d.period(v, joinKey(p, "period"))
		ok = ok && pok
	}
	if v, has := obj["value"]; has {
		var vok bool
		t.Value, vok = d.number(v, joinKey(p, "value"))
		ok = ok && vok
	}
	if v, has := obj["max"]; has {
		t.Max, _ = d.number(v, joinKey(p, "max"))
	}
	if v, has := obj["baseline"]; has {
		if f, ok := d.number(v, joinKey(p, "baseline")); ok {
			t.Baseline = &f
		}
	}
	if v, has := obj["start"]; has {
		t.Start, _ = d.period(v, joinKey(p, "start"))
	}
	if v, has := obj["note"]; has {
		t.Note, _ = d.str(v, joinKey(p, "note"))
	}
	return t, ok
}

func (d *decoder) link(n *yaml.Node, p string) (Link, bool) {
	var l Link
	obj, ok := d.object(n, p, linkKeys)
	if !ok {
		return l, false
	}
	ok = d.require(obj, n, p, "from")
	ok = d.require(obj, n, p, "to") && ok
	if v, has := obj["from"]; has {
		l.From, _ = d.id(v, joinKey(p, "from"), "metric id")
	}
	if v, has := obj["to"]; has {
		l.To, _ = d.id(v, joinKey(p, "to"), "metric id")
	}
	if v, has := obj["sign"]; has {
		if i, ok := d.enum(v, joinKey(p, "sign"), "sign", signNames); ok {
			l.Sign = [...]Sign{SignPositive, SignNegative, SignUnknown}[i]
		}
	}
	if v, has := obj["lag"]; has {
		l.Lag, _ = d.integer(v, joinKey(p, "lag"), 0, math.MaxInt32)
	}
	if v, has := obj["confidence"]; has {
		if f, ok := d.number(v, joinKey(p, "confidence")); ok {
			if f < 0 || f > 1 {
				d.errorf(v, joinKey(p, "confidence"), "", "confidence %s out of range 0..1", v.Value)
			} else {
				l.Confidence = f
			}
		}
	}
	if v, has := obj["evidence"]; has {
		l.Evidence, _ = d.str(v, joinKey(p, "evidence"))
	}
	return l, ok
}

func (d *decoder) dimension(n *yaml.Node, p string) (Dimension, bool) {
	var dim Dimension
	obj, ok := d.object(n, p, dimensionKeys)
	if !ok {
		return dim, false
	}
	if v, has := obj["name"]; has {
		dim.Name, _ = d.str(v, joinKey(p, "name"))
	} else {
		d.errorf(n, p, "", "missing required key %q", "name")
	}
	vals, hasVals := obj["values"]
	lo, hasLo := obj["lo"]
	hi, hasHi := obj["hi"]
	switch {
	case hasVals && (hasLo || hasHi):
		k := hi
		if hasLo {
			k = lo
		}
		d.errorf(k, p, "a dimension is categorical (values) or numeric (lo, hi), not both", "both values and a numeric range")
	case hasVals:
		dim.Values, _ = d.strList(vals, joinKey(p, "values"))
	case hasLo:
		dim.Numeric = true
		dim.Lo, dim.Hi, dim.HasHi = d.bounds(lo, hi, hasHi, p)
	case hasHi:
		d.errorf(n, p, "add lo: the lower bound of the range", "missing required key %q", "lo")
	default:
		d.errorf(n, p, "give values: [...] for a categorical dimension or lo: (and hi:) for a numeric one", "missing values or lo")
	}
	return dim, true
}

func (d *decoder) bounds(lo, hi *yaml.Node, hasHi bool, p string) (l, h float64, has bool) {
	l, lok := d.number(lo, joinKey(p, "lo"))
	if hasHi {
		var hok bool
		if h, hok = d.number(hi, joinKey(p, "hi")); hok {
			has = true
			if lok && h <= l {
				d.errorf(hi, joinKey(p, "hi"), "", "hi %s is not above lo %s", hi.Value, lo.Value)
			}
		}
	}
	return l, h, has
}

// strList reads a non-empty list of strings.
func (d *decoder) strList(n *yaml.Node, p string) ([]string, bool) {
	items, ok := d.seq(n, p)
	if !ok {
		return nil, false
	}
	if len(items) == 0 {
		d.errorf(n, p, "", "empty list: give at least one value")
		return nil, false
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		if s, ok := d.str(it, joinIndex(p, i)); ok {
			out = append(out, s)
		}
	}
	return out, true
}

func (d *decoder) decomposition(n *yaml.Node, p string) (Decomposition, bool) {
	var dc Decomposition
	obj, ok := d.object(n, p, decompositionKeys)
	if !ok {
		return dc, false
	}
	if v, has := obj["parent"]; has {
		dc.Parent, _ = d.id(v, joinKey(p, "parent"), "metric id")
	} else {
		d.errorf(n, p, "", "missing required key %q", "parent")
	}
	if v, has := obj["segments"]; has {
		sp := joinKey(p, "segments")
		if items, ok := d.seq(v, sp); ok {
			for i, it := range items {
				if s, ok := d.segment(it, joinIndex(sp, i)); ok {
					dc.Segments = append(dc.Segments, s)
				}
			}
		}
	}
	return dc, true
}

func (d *decoder) segment(n *yaml.Node, p string) (Segment, bool) {
	var s Segment
	obj, ok := d.object(n, p, segmentKeys)
	if !ok {
		return s, false
	}
	if v, has := obj["metric"]; has {
		s.Metric, _ = d.id(v, joinKey(p, "metric"), "metric id")
	} else {
		d.errorf(n, p, "", "missing required key %q", "metric")
	}
	if v, has := obj["where"]; has {
		wp := joinKey(p, "where")
		if fs, ok := d.mapping(v, wp); ok {
			for _, f := range fs {
				if c, ok := d.condition(f, joinKey(wp, f.key.Value)); ok {
					s.Where = append(s.Where, c)
				}
			}
		}
	}
	return s, true
}

// condition reads "dim: [a, b]" (categorical) or "dim: {lo: 0, hi: 50}".
func (d *decoder) condition(f field, p string) (Condition, bool) {
	c := Condition{Dimension: f.key.Value}
	switch f.val.Kind {
	case yaml.SequenceNode:
		in, ok := d.strList(f.val, p)
		c.In = in
		return c, ok
	case yaml.MappingNode:
		obj, ok := d.object(f.val, p, rangeKeys)
		if !ok {
			return c, false
		}
		lo, hasLo := obj["lo"]
		if !hasLo {
			d.errorf(f.val, p, "a range is {lo: x} or {lo: x, hi: y}", "missing required key %q", "lo")
			return c, false
		}
		hi, hasHi := obj["hi"]
		c.Numeric = true
		c.Lo, c.Hi, c.HasHi = d.bounds(lo, hi, hasHi, p)
		return c, true
	}
	d.errorf(f.val, p, "a list of values is a categorical condition, {lo: x, hi: y} a numeric one",
		"expected %s or %s, found %s", d.listWord(), d.mapWord(), d.describe(f.val))
	return c, false
}

// at names the position of first, relative to a later node: "line 4",
// or "line 1, column 18" if both are on the same line.
func at(first, later *yaml.Node) string {
	if first.Line == later.Line {
		return fmt.Sprintf("line %d, column %d", first.Line, first.Column)
	}
	return fmt.Sprintf("line %d", first.Line)
}

// ---- suggestions ----

// suggest returns `did you mean "x"?` for the closest of names to s, if
// it is close enough to be a likely typo, and "" otherwise.
func suggest(s string, names []string) string {
	best, bestD := "", 1<<30
	for _, n := range names {
		dist := formula.Distance(strings.ToLower(s), strings.ToLower(n))
		if dist < bestD {
			best, bestD = n, dist
		}
	}
	limit := 2
	if l := utf8.RuneCountInString(s); l <= 3 {
		limit = 1
	}
	if best == "" || bestD > limit || best == s {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best)
}

// orList writes names as "a, b or c".
func orList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
