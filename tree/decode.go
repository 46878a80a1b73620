package tree

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kpitree/kpitree/internal/yamlfile"
	"github.com/kpitree/kpitree/metric"
	"go.yaml.in/yaml/v3"
)

// The keys of each object of the file format, in the order Save writes
// them. The JSON Schema lists the same keys (a test checks).
var (
	modelKeys         = []string{"kpitree", "name", "description", "grain", "fiscal_year_start", "metrics", "links", "dimensions", "decompositions"}
	metricKeys        = []string{"id", "name", "description", "kind", "unit", "direction", "aggregation", "weight", "additive", "formula", "driver", "initial", "owner", "frequency", "source", "labels", "targets"}
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

type decoder struct {
	*yamlfile.Decoder
	cal metric.Calendar
	src *sourceMap
}

// decode parses data (YAML or JSON) into a Model.
func decode(data []byte, name string) (*Model, error) {
	d := &decoder{Decoder: yamlfile.NewDecoder(name, data, isJSON(data), func(e *yamlfile.Error) error { return (*DecodeError)(e) })}
	var m *Model
	err := d.Run(func() {
		if root := d.Parse(parseOptions); root != nil {
			m = d.model(root)
		}
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

var parseOptions = yamlfile.ParseOptions{Empty: "empty model file", EmptyHint: `a model file starts with kpitree: "1"`, OneDoc: "a model file holds one model"}

func (d *decoder) id(n *yaml.Node, path, what string) (string, bool) {
	s, ok := d.Str(n, path)
	if !ok {
		return "", false
	}
	if len(s) > MaxIDLength {
		d.Errorf(n, path, "use a shorter id", "%s %s is %d bytes long, more than %d", what, yamlfile.Quote(s), len(s), MaxIDLength)
		return "", false
	}
	if !idPattern.MatchString(s) {
		d.Errorf(n, path, "a letter or _ followed by letters, digits or _", "invalid %s %s", what, yamlfile.Quote(s))
		return "", false
	}
	return s, true
}

func (d *decoder) grain(n *yaml.Node, path string) (metric.Grain, bool) {
	i, ok := d.Enum(n, path, "grain", grainNames)
	if !ok {
		return 0, false
	}
	g, err := metric.ParseGrain(grainNames[i])
	if err != nil {
		d.Errorf(n, path, "", "%v", err)
		return 0, false
	}
	return g, true
}

// period reads a period: a string in one of the forms of periodPattern,
// or a year as an integer.
func (d *decoder) period(n *yaml.Node, path string) (metric.Period, bool) {
	var s string
	if n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float") {
		y, ok := d.Integer(n, path, 1, 9999)
		if !ok {
			return metric.Period{}, false
		}
		s = fmt.Sprintf("%04d", y)
	} else {
		var ok bool
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && n.ShortTag() != "!!timestamp") {
			d.Errorf(n, path, periodForms, "expected a period, found %s", d.Describe(n))
			return metric.Period{}, false
		}
		if s, ok = d.Str(n, path); !ok {
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
		d.Errorf(n, path, "", "invalid period %s: %s", yamlfile.Quote(s), msg)
		return metric.Period{}, false
	}
	if !periodPattern.MatchString(s) {
		d.Errorf(n, path, fmt.Sprintf("write it as %q", p.String()), "invalid period %s: %s", yamlfile.Quote(s), periodForms)
		return metric.Period{}, false
	}
	return p, true
}

// ---- the model ----

func (d *decoder) model(root *yaml.Node) *Model {
	obj, ok := d.Object(root, "", modelKeys)
	if !ok {
		return nil
	}
	m := &Model{}
	d.src = &sourceMap{file: d.File, data: d.Data, json: d.JSON, metric: map[string]pos{}, formula: map[string]pos{}}
	m.src = d.src
	if v, ok := obj["kpitree"]; ok {
		d.version(v)
	} else {
		d.Errorf(root, "", `add kpitree: "1" as the first key`, "missing required key %q", "kpitree")
	}
	// fiscal_year_start first: it fixes how FY periods parse.
	if v, ok := obj["fiscal_year_start"]; ok {
		if mo, ok := d.month(v, "fiscal_year_start"); ok {
			m.Calendar.FiscalYearStart = mo
			d.cal = m.Calendar
		}
	}
	if v, ok := obj["name"]; ok {
		m.Name, _ = d.Str(v, "name")
	}
	if v, ok := obj["description"]; ok {
		m.Description, _ = d.Str(v, "description")
	}
	if v, ok := obj["grain"]; ok {
		m.Grain, _ = d.grain(v, "grain")
	}
	if v, ok := obj["metrics"]; ok {
		m.Metrics = d.metrics(v, "metrics")
	}
	if v, ok := obj["links"]; ok {
		if items, ok := d.Seq(v, "links"); ok {
			for i, it := range items {
				if l, ok := d.link(it, yamlfile.Index("links", i)); ok {
					m.Links = append(m.Links, l)
				}
			}
		}
	}
	if v, ok := obj["dimensions"]; ok {
		if items, ok := d.Seq(v, "dimensions"); ok {
			for i, it := range items {
				if dim, ok := d.dimension(it, yamlfile.Index("dimensions", i)); ok {
					m.Dimensions = append(m.Dimensions, dim)
				}
			}
		}
	}
	if v, ok := obj["decompositions"]; ok {
		if items, ok := d.Seq(v, "decompositions"); ok {
			for i, it := range items {
				if dc, ok := d.decomposition(it, yamlfile.Index("decompositions", i)); ok {
					m.Decompositions = append(m.Decompositions, dc)
				}
			}
		}
	}
	return m
}

func (d *decoder) version(n *yaml.Node) {
	hint := "supported versions: " + yamlfile.QuoteList(supportedVersions)
	var v string
	switch {
	case n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float"):
		f, ok := d.Number(n, "kpitree")
		if !ok {
			return
		}
		v = strconv.FormatFloat(f, 'g', -1, 64)
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str":
		v = n.Value
	default:
		d.Errorf(n, "kpitree", hint, "expected a format version string, found %s", d.Describe(n))
		return
	}
	if !slices.Contains(supportedVersions, v) {
		d.Errorf(n, "kpitree", hint, "unsupported format version %s", yamlfile.Quote(v))
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
		l := strings.ToLower(n.Value)
		d.Errorf(n, path, yamlfile.Suggest(l, monthNames, yamlfile.MaxTypo(l)), "invalid month %s: want 1..12 or a month name such as \"april\"", yamlfile.Quote(n.Value))
		return 0, false
	}
	v, ok := d.Integer(n, path, 1, 12)
	return time.Month(v), ok
}

func (d *decoder) metrics(n *yaml.Node, path string) []metric.Metric {
	items, ok := d.Seq(n, path)
	if !ok {
		return nil
	}
	var out []metric.Metric
	firstLine := map[string]*yaml.Node{}
	for i, it := range items {
		p := yamlfile.Index(path, i)
		obj, ok := d.Object(it, p, metricKeys)
		if !ok {
			continue
		}
		var mt metric.Metric
		if v, ok := obj["id"]; ok {
			if id, ok := d.id(v, yamlfile.Key(p, "id"), "metric id"); ok {
				if l, dup := firstLine[id]; dup {
					d.Errorf(v, yamlfile.Key(p, "id"), "", "duplicate metric id %q (first defined at %s)", id, yamlfile.At(l, v))
				} else {
					firstLine[id] = v
					d.src.metric[id] = pos{it.Line, it.Column}
				}
				mt.ID = id
			}
		} else {
			d.Errorf(it, p, "", "missing required key %q", "id")
		}
		d.metricFields(&mt, obj, p)
		if v, ok := obj["formula"]; ok && mt.ID != "" {
			if _, dup := d.src.formula[mt.ID]; !dup {
				line, col := d.ContentPos(v)
				d.src.formula[mt.ID] = pos{line, col}
			}
		}
		out = append(out, mt)
	}
	return out
}

func (d *decoder) metricFields(mt *metric.Metric, obj map[string]*yaml.Node, p string) {
	strField := func(key string, dst *string) {
		if v, ok := obj[key]; ok {
			*dst, _ = d.Str(v, yamlfile.Key(p, key))
		}
	}
	strField("name", &mt.Name)
	strField("description", &mt.Description)
	strField("formula", &mt.Formula)
	strField("owner", &mt.Owner)
	strField("source", &mt.Source)
	if v, ok := obj["unit"]; ok {
		s, _ := d.Str(v, yamlfile.Key(p, "unit"))
		mt.Unit = metric.Unit(s)
	}
	if v, ok := obj["kind"]; ok {
		if i, ok := d.Enum(v, yamlfile.Key(p, "kind"), "kind", kindNamesFile); ok {
			mt.Kind, _ = metric.ParseKind(kindNamesFile[i])
		}
	}
	if v, ok := obj["direction"]; ok {
		if i, ok := d.Enum(v, yamlfile.Key(p, "direction"), "direction", directionNames); ok {
			mt.Direction, _ = metric.ParseDirection(directionNames[i])
		}
	}
	if v, ok := obj["aggregation"]; ok {
		if i, ok := d.Enum(v, yamlfile.Key(p, "aggregation"), "aggregation", aggregationNames); ok {
			mt.Aggregation, _ = metric.ParseAggregation(aggregationNames[i])
		}
	}
	strField("weight", &mt.Weight)
	if v, ok := obj["additive"]; ok {
		mt.Additive, _ = d.boolean(v, yamlfile.Key(p, "additive"))
	}
	if v, ok := obj["driver"]; ok {
		mt.Driver, _ = d.boolean(v, yamlfile.Key(p, "driver"))
	}
	if v, ok := obj["initial"]; ok {
		if f, ok := d.Number(v, yamlfile.Key(p, "initial")); ok {
			mt.Initial = &f
		}
	}
	if v, ok := obj["frequency"]; ok {
		mt.Frequency, _ = d.grain(v, yamlfile.Key(p, "frequency"))
	}
	if v, ok := obj["labels"]; ok {
		lp := yamlfile.Key(p, "labels")
		if fs, ok := d.Mapping(v, lp); ok {
			for _, f := range fs {
				if s, ok := d.Str(f.Val, yamlfile.Key(lp, f.Key.Value)); ok {
					if mt.Labels == nil {
						mt.Labels = make(map[string]string, len(fs))
					}
					mt.Labels[f.Key.Value] = s
				}
			}
		}
	}
	if v, ok := obj["targets"]; ok {
		tp := yamlfile.Key(p, "targets")
		if items, ok := d.Seq(v, tp); ok {
			for i, it := range items {
				if t, ok := d.target(it, yamlfile.Index(tp, i)); ok {
					mt.Targets = append(mt.Targets, t)
				}
			}
		}
	}
}

// boolean reads true or false.
func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		switch n.Value {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	d.Errorf(n, path, "write true or false", "expected true or false, found %s", d.Describe(n))
	return false, false
}

func (d *decoder) target(n *yaml.Node, p string) (metric.Target, bool) {
	var t metric.Target
	obj, ok := d.Object(n, p, targetKeys)
	if !ok {
		return t, false
	}
	ok = d.Require(obj, n, p, "period")
	ok = d.Require(obj, n, p, "value") && ok
	if v, has := obj["period"]; has {
		var pok bool
		t.Period, pok = d.period(v, yamlfile.Key(p, "period"))
		ok = ok && pok
	}
	if v, has := obj["value"]; has {
		var vok bool
		t.Value, vok = d.Number(v, yamlfile.Key(p, "value"))
		ok = ok && vok
	}
	if v, has := obj["max"]; has {
		t.Max, _ = d.Number(v, yamlfile.Key(p, "max"))
	}
	if v, has := obj["baseline"]; has {
		if f, ok := d.Number(v, yamlfile.Key(p, "baseline")); ok {
			t.Baseline = &f
		}
	}
	if v, has := obj["start"]; has {
		t.Start, _ = d.period(v, yamlfile.Key(p, "start"))
	}
	if v, has := obj["note"]; has {
		t.Note, _ = d.Str(v, yamlfile.Key(p, "note"))
	}
	return t, ok
}

func (d *decoder) link(n *yaml.Node, p string) (Link, bool) {
	var l Link
	obj, ok := d.Object(n, p, linkKeys)
	if !ok {
		return l, false
	}
	ok = d.Require(obj, n, p, "from")
	ok = d.Require(obj, n, p, "to") && ok
	if v, has := obj["from"]; has {
		l.From, _ = d.id(v, yamlfile.Key(p, "from"), "metric id")
	}
	if v, has := obj["to"]; has {
		l.To, _ = d.id(v, yamlfile.Key(p, "to"), "metric id")
	}
	if v, has := obj["sign"]; has {
		if i, ok := d.Enum(v, yamlfile.Key(p, "sign"), "sign", signNames); ok {
			l.Sign = [...]Sign{SignPositive, SignNegative, SignUnknown}[i]
		}
	}
	if v, has := obj["lag"]; has {
		l.Lag, _ = d.Integer(v, yamlfile.Key(p, "lag"), 0, math.MaxInt32)
	}
	if v, has := obj["confidence"]; has {
		if f, ok := d.Number(v, yamlfile.Key(p, "confidence")); ok {
			if yamlfile.Compare(v, 0) < 0 || yamlfile.Compare(v, 1) > 0 {
				d.Errorf(v, yamlfile.Key(p, "confidence"), "", "confidence %s out of range 0..1", yamlfile.Short(v.Value))
			} else {
				l.Confidence = f
			}
		}
	}
	if v, has := obj["evidence"]; has {
		l.Evidence, _ = d.Str(v, yamlfile.Key(p, "evidence"))
	}
	return l, ok
}

func (d *decoder) dimension(n *yaml.Node, p string) (Dimension, bool) {
	var dim Dimension
	obj, ok := d.Object(n, p, dimensionKeys)
	if !ok {
		return dim, false
	}
	if v, has := obj["name"]; has {
		dim.Name, _ = d.Str(v, yamlfile.Key(p, "name"))
	} else {
		d.Errorf(n, p, "", "missing required key %q", "name")
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
		d.Errorf(k, p, "a dimension is categorical (values) or numeric (lo, hi), not both", "both values and a numeric range")
	case hasVals:
		dim.Values, _ = d.StrList(vals, yamlfile.Key(p, "values"))
	case hasLo:
		dim.Numeric = true
		dim.Lo, dim.Hi, dim.HasHi = d.bounds(lo, hi, hasHi, p)
	case hasHi:
		d.Errorf(n, p, "add lo: the lower bound of the range", "missing required key %q", "lo")
	default:
		d.Errorf(n, p, "give values: [...] for a categorical dimension or lo: (and hi:) for a numeric one", "missing values or lo")
	}
	return dim, true
}

func (d *decoder) bounds(lo, hi *yaml.Node, hasHi bool, p string) (l, h float64, has bool) {
	l, lok := d.Number(lo, yamlfile.Key(p, "lo"))
	if hasHi {
		var hok bool
		if h, hok = d.Number(hi, yamlfile.Key(p, "hi")); hok {
			has = true
			if lok && h <= l {
				d.Errorf(hi, yamlfile.Key(p, "hi"), "", "hi %s is not above lo %s", hi.Value, lo.Value)
			}
		}
	}
	return l, h, has
}

func (d *decoder) decomposition(n *yaml.Node, p string) (Decomposition, bool) {
	var dc Decomposition
	obj, ok := d.Object(n, p, decompositionKeys)
	if !ok {
		return dc, false
	}
	if v, has := obj["parent"]; has {
		dc.Parent, _ = d.id(v, yamlfile.Key(p, "parent"), "metric id")
	} else {
		d.Errorf(n, p, "", "missing required key %q", "parent")
	}
	if v, has := obj["segments"]; has {
		sp := yamlfile.Key(p, "segments")
		if items, ok := d.Seq(v, sp); ok {
			for i, it := range items {
				if s, ok := d.segment(it, yamlfile.Index(sp, i)); ok {
					dc.Segments = append(dc.Segments, s)
				}
			}
		}
	}
	return dc, true
}

func (d *decoder) segment(n *yaml.Node, p string) (Segment, bool) {
	var s Segment
	obj, ok := d.Object(n, p, segmentKeys)
	if !ok {
		return s, false
	}
	if v, has := obj["metric"]; has {
		s.Metric, _ = d.id(v, yamlfile.Key(p, "metric"), "metric id")
	} else {
		d.Errorf(n, p, "", "missing required key %q", "metric")
	}
	if v, has := obj["where"]; has {
		wp := yamlfile.Key(p, "where")
		if fs, ok := d.Mapping(v, wp); ok {
			for _, f := range fs {
				if c, ok := d.condition(f, yamlfile.Key(wp, f.Key.Value)); ok {
					s.Where = append(s.Where, c)
				}
			}
		}
	}
	return s, true
}

// condition reads "dim: [a, b]" (categorical) or "dim: {lo: 0, hi: 50}".
func (d *decoder) condition(f yamlfile.Field, p string) (Condition, bool) {
	c := Condition{Dimension: f.Key.Value}
	switch f.Val.Kind {
	case yaml.SequenceNode:
		in, ok := d.StrList(f.Val, p)
		c.In = in
		return c, ok
	case yaml.MappingNode:
		obj, ok := d.Object(f.Val, p, rangeKeys)
		if !ok {
			return c, false
		}
		lo, hasLo := obj["lo"]
		if !hasLo {
			d.Errorf(f.Val, p, "a range is {lo: x} or {lo: x, hi: y}", "missing required key %q", "lo")
			return c, false
		}
		hi, hasHi := obj["hi"]
		c.Numeric = true
		c.Lo, c.Hi, c.HasHi = d.bounds(lo, hi, hasHi, p)
		return c, true
	}
	d.Errorf(f.Val, p, "a list of values is a categorical condition, {lo: x, hi: y} a numeric one",
		"expected %s or %s, found %s", d.ListWord(), d.MapWord(), d.Describe(f.Val))
	return c, false
}
