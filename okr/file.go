package okr

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kpitree/kpitree/internal/yamlfile"
	"github.com/kpitree/kpitree/metric"
	"go.yaml.in/yaml/v3"
)

// Limits of the OKR format. Load reports a file beyond one of them as a
// *DecodeError at the line and column where the limit is crossed.
const (
	// MaxFileSize is the largest file Load reads, in bytes.
	MaxFileSize = yamlfile.MaxFileSize
	// MaxDepth is the deepest nesting of lists and mappings.
	MaxDepth = yamlfile.MaxDepth
	// MaxValues is the most values (scalars, lists, mappings) in a file.
	MaxValues = yamlfile.MaxNodes
	// MaxIDLength is the longest objective or key result id, in bytes.
	MaxIDLength = 256
)

// FormatVersion is the value of the top-level "kpiokr" key that Load
// reads and Save writes.
const FormatVersion = "1"

// ErrDecode is matched by every *DecodeError.
var ErrDecode = errors.New("okr: invalid OKR file")

// DecodeError is a problem in an OKR file, with its position.
type DecodeError struct {
	File   string // name given to Load ("" if none)
	Line   int    // 1-based
	Column int    // 1-based
	Path   string // e.g. objectives[1].key_results[0].from
	Msg    string
	Hint   string
}

// Error returns "okrs.yaml:12:7: objectives[0]: unknown key "titel" (did you mean "title"?)".
func (e *DecodeError) Error() string { return (*yamlfile.Error)(e).Error() }

// Is reports whether target is ErrDecode.
func (e *DecodeError) Is(target error) bool { return target == ErrDecode }

// The keys of each object, in the order Save writes them.
var (
	setKeys        = []string{"kpiokr", "name", "cycle", "objectives"}
	objectiveKeys  = []string{"id", "title", "owner", "level", "parent", "aspirational", "cycle", "weight", "key_results", "initiatives"}
	keyResultKeys  = []string{"id", "title", "owner", "kind", "from", "to", "unit", "metric", "weight", "done", "milestones", "check_ins"}
	stepKeys       = []string{"title", "done"}
	checkInKeys    = []string{"date", "value", "confidence", "note"}
	initiativeKeys = []string{"title", "owner", "done"}
)

type decoder struct{ *yamlfile.Decoder }

var parseOptions = yamlfile.ParseOptions{Empty: "empty OKR file", EmptyHint: `an OKR file starts with kpiokr: "1"`, OneDoc: "an OKR file holds one OKR set"}

// Load decodes an OKR set from YAML or JSON (input starting with '{').
// name is used in error messages. Decoding is strict, like the model
// format: unknown keys (with a "did you mean"), values of the wrong type,
// duplicate keys and ids, unknown enumeration values, invalid periods and
// dates, non-finite numbers, anchors and aliases are errors. Every problem
// (up to 20) is reported, joined; each is a *DecodeError with line and
// column matching ErrDecode. Load does not run Set.Validate.
func Load(r io.Reader, name string) (*Set, error) {
	data, err := yamlfile.ReadAll(r)
	if err != nil {
		return nil, err
	}
	d := &decoder{yamlfile.NewDecoder(name, data, yamlfile.IsJSON(data), func(e *yamlfile.Error) error { return (*DecodeError)(e) })}
	var s *Set
	err = d.Run(func() {
		if root := d.Parse(parseOptions); root != nil {
			s = d.set(root)
		}
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// LoadFile reads and decodes the OKR file at path.
func LoadFile(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Load(f, path)
}

// fields checks that n is a mapping with only allowed keys, each once, and
// the required ones present; it returns the values by key.
func (d *decoder) fields(n *yaml.Node, path string, allowed, required []string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, path, "", "want an object, got %s", kindName(n))
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.Errorf(k, path, "", "keys must be strings")
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			d.Errorf(k, path, suggest(k.Value, allowed), "unknown key %s", yamlfile.Quote(k.Value))
			continue
		}
		if _, dup := out[k.Value]; dup {
			d.Errorf(k, path, "", "duplicate key %q", k.Value)
			continue
		}
		out[k.Value] = v
	}
	for _, r := range required {
		if _, ok := out[r]; !ok {
			d.Errorf(n, path, "", "missing required key %q", r)
		}
	}
	return out
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!str", "!!timestamp":
			return fmt.Sprintf("the string %q", n.Value)
		case "!!null":
			return "null"
		}
		return n.Value
	}
	return "nothing"
}

func (d *decoder) str(n *yaml.Node, path string) string {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		d.Errorf(n, path, "quote it", "want a string, got %s", kindName(n))
		return ""
	}
	return n.Value
}

func (d *decoder) num(n *yaml.Node, path string) float64 {
	v, _ := d.Number(n, path)
	return v
}

func (d *decoder) boolean(n *yaml.Node, path string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.Errorf(n, path, "", "want true or false, got %s", kindName(n))
		return false
	}
	return n.Value == "true"
}

func (d *decoder) period(n *yaml.Node, path string) metric.Period {
	text := n.Value
	switch {
	case n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float"):
		// a year written as a number, read as the model format reads it
		y, ok := d.Integer(n, path, 1, 9999)
		if !ok {
			return metric.Period{}
		}
		text = fmt.Sprintf("%04d", y)
	case n.Kind != yaml.ScalarNode || n.Tag != "!!str":
		d.Errorf(n, path, "", "want a period such as 2026-Q3, got %s", kindName(n))
		return metric.Period{}
	}
	p, err := metric.Parse(text)
	if err != nil {
		d.Errorf(n, path, "want 2026-Q3, 2026-07, 2026 or FY2026-Q1", "invalid period %s", yamlfile.Quote(text))
	}
	return p
}

func (d *decoder) date(n *yaml.Node, path string) time.Time {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!timestamp") {
		d.Errorf(n, path, "", "want a date such as 2026-07-06, got %s", kindName(n))
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, n.Value)
	if err != nil {
		d.Errorf(n, path, "want YYYY-MM-DD", "invalid date %q", n.Value)
	}
	return t
}

func (d *decoder) enum(n *yaml.Node, path string, names []string) int {
	s := d.str(n, path)
	if s == "" && n.Tag != "!!str" {
		return 0
	}
	i := slices.Index(names, s)
	if i < 0 || s == "" {
		valid := slices.DeleteFunc(slices.Clone(names), func(x string) bool { return x == "" })
		d.Errorf(n, path, suggest(s, valid), "unknown value %q: want one of %s", s, strings.Join(valid, ", "))
		return 0
	}
	return i
}

func (d *decoder) list(n *yaml.Node, path string, each func(i int, item *yaml.Node, path string)) {
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, path, "", "want a list, got %s", kindName(n))
		return
	}
	for i, c := range n.Content {
		each(i, c, yamlfile.Index(path, i))
	}
}

func (d *decoder) set(root *yaml.Node) *Set {
	f := d.fields(root, "", setKeys, []string{"kpiokr"})
	if f == nil {
		return nil
	}
	s := &Set{}
	if v, ok := f["kpiokr"]; ok {
		if ver := d.str(v, "kpiokr"); v.Tag == "!!str" && ver != FormatVersion {
			d.Errorf(v, "kpiokr", `write kpiokr: "1"`, "unsupported version %s", yamlfile.Quote(ver))
		}
	}
	if v, ok := f["name"]; ok {
		s.Name = d.str(v, "name")
	}
	if v, ok := f["cycle"]; ok {
		s.Cycle = d.period(v, "cycle")
	}
	ids := map[string]*yaml.Node{}
	id := func(n *yaml.Node, path string) string {
		v := d.str(n, path)
		if prev, dup := ids[v]; dup && v != "" {
			d.Errorf(n, path, fmt.Sprintf("first used at line %d", prev.Line), "duplicate id %q", v)
		}
		if v == "" && n.Tag == "!!str" {
			d.Errorf(n, path, "", "empty id")
		}
		if len(v) > MaxIDLength {
			d.Errorf(n, path, "use a shorter id", "id %s is %d bytes long, more than %d", yamlfile.Quote(v), len(v), MaxIDLength)
		}
		ids[v] = n
		return v
	}
	if v, ok := f["objectives"]; ok {
		d.list(v, "objectives", func(_ int, item *yaml.Node, path string) {
			s.Objectives = append(s.Objectives, d.objective(item, path, id))
		})
	}
	return s
}

func (d *decoder) objective(n *yaml.Node, path string, id func(*yaml.Node, string) string) Objective {
	var o Objective
	f := d.fields(n, path, objectiveKeys, []string{"id", "title"})
	for _, k := range objectiveKeys {
		v, ok := f[k]
		if !ok {
			continue
		}
		p := yamlfile.Key(path, k)
		switch k {
		case "id":
			o.ID = id(v, p)
		case "title":
			o.Title = d.str(v, p)
		case "owner":
			o.Owner = d.str(v, p)
		case "level":
			o.Level = Level(d.enum(v, p, levelNames))
		case "parent":
			o.Parent = d.str(v, p)
		case "aspirational":
			o.Aspirational = d.boolean(v, p)
		case "cycle":
			o.Cycle = d.period(v, p)
		case "weight":
			o.Weight = d.num(v, p)
		case "key_results":
			d.list(v, p, func(_ int, item *yaml.Node, ip string) {
				o.KeyResults = append(o.KeyResults, d.keyResult(item, ip, id))
			})
		case "initiatives":
			d.list(v, p, func(_ int, item *yaml.Node, ip string) {
				g := d.fields(item, ip, initiativeKeys, []string{"title"})
				var in Initiative
				if x, ok := g["title"]; ok {
					in.Title = d.str(x, yamlfile.Key(ip, "title"))
				}
				if x, ok := g["owner"]; ok {
					in.Owner = d.str(x, yamlfile.Key(ip, "owner"))
				}
				if x, ok := g["done"]; ok {
					in.Done = d.boolean(x, yamlfile.Key(ip, "done"))
				}
				o.Initiatives = append(o.Initiatives, in)
			})
		}
	}
	return o
}

func (d *decoder) keyResult(n *yaml.Node, path string, id func(*yaml.Node, string) string) KeyResult {
	var kr KeyResult
	f := d.fields(n, path, keyResultKeys, []string{"id", "title"})
	for _, k := range keyResultKeys {
		v, ok := f[k]
		if !ok {
			continue
		}
		p := yamlfile.Key(path, k)
		switch k {
		case "id":
			kr.ID = id(v, p)
		case "title":
			kr.Title = d.str(v, p)
		case "owner":
			kr.Owner = d.str(v, p)
		case "kind":
			kr.Kind = Kind(d.enum(v, p, kindNames))
		case "from":
			kr.From = d.num(v, p)
		case "to":
			kr.To = d.num(v, p)
		case "unit":
			kr.Unit = metric.Unit(d.str(v, p))
		case "metric":
			kr.Metric = d.str(v, p)
		case "weight":
			kr.Weight = d.num(v, p)
		case "done":
			kr.Done = d.boolean(v, p)
		case "milestones":
			d.list(v, p, func(_ int, item *yaml.Node, ip string) {
				g := d.fields(item, ip, stepKeys, []string{"title"})
				var st Step
				if x, ok := g["title"]; ok {
					st.Title = d.str(x, yamlfile.Key(ip, "title"))
				}
				if x, ok := g["done"]; ok {
					st.Done = d.boolean(x, yamlfile.Key(ip, "done"))
				}
				kr.Milestones = append(kr.Milestones, st)
			})
		case "check_ins":
			d.list(v, p, func(_ int, item *yaml.Node, ip string) {
				g := d.fields(item, ip, checkInKeys, []string{"date", "value"})
				var c CheckIn
				if x, ok := g["date"]; ok {
					c.Date = d.date(x, yamlfile.Key(ip, "date"))
				}
				if x, ok := g["value"]; ok {
					c.Value = d.num(x, yamlfile.Key(ip, "value"))
				}
				if x, ok := g["confidence"]; ok {
					cf, _ := d.NumberIn(x, yamlfile.Key(ip, "confidence"), 0, 1)
					c.Confidence = &cf
				}
				if x, ok := g["note"]; ok {
					c.Note = d.str(x, yamlfile.Key(ip, "note"))
				}
				kr.CheckIns = append(kr.CheckIns, c)
			})
		}
	}
	if _, ok := f["kind"]; ok && (kr.Kind == Binary || kr.Kind == Milestone) {
		for _, k := range []string{"from", "to"} {
			if v, ok := f[k]; ok {
				d.Errorf(v, yamlfile.Key(path, k), "remove it", "a %s key result has no %q", kr.Kind, k)
			}
		}
	} else if _, ok := f["to"]; !ok && f != nil {
		d.Errorf(n, path, "", "missing required key %q for a %s key result", "to", kr.Kind)
	}
	return kr
}

// suggest returns `did you mean "x"?` for the closest of names within an
// edit distance of 2, or "".
func suggest(s string, names []string) string { return yamlfile.Suggest(s, names, 2) }

// Format is an OKR file format.
type Format uint8

// The formats.
const (
	YAML Format = iota
	JSON
)

// Save writes s as YAML or JSON: keys in a fixed order ("kpiokr" first),
// optional fields omitted when empty or zero, numbers written so they read
// back exactly. Load of the output gives a set equal to s. Save fails for
// a non-finite number or an unknown level or kind.
func (s *Set) Save(w io.Writer, f Format) error {
	root, err := encodeSet(s)
	if err != nil {
		return err
	}
	if f == JSON {
		return yamlfile.WriteJSON(w, root, yamlfile.JSONStyle{EscapeHTML: true, OpenEmpty: true})
	}
	return yamlfile.WriteYAML(w, root)
}

// SaveFile writes s to path as JSON (".json") or YAML (".yaml", ".yml").
func (s *Set) SaveFile(path string) error {
	var f Format
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		f = JSON
	case ".yaml", ".yml":
		f = YAML
	default:
		return fmt.Errorf("okr: save %s: want a .yaml, .yml or .json file name", path)
	}
	var b bytes.Buffer
	if err := s.Save(&b, f); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

type mapBuilder struct {
	yamlfile.Map
	err error
}

func newMap() *mapBuilder { return &mapBuilder{Map: yamlfile.NewMap(false)} }

func (m *mapBuilder) numAlways(k string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		m.err = fmt.Errorf("okr: save: %s = %v is not a finite number", k, v)
		return
	}
	m.Add(k, &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatFloat(v, 'g', -1, 64)})
}

func (m *mapBuilder) num(k string, v float64) {
	if v != 0 || math.Signbit(v) {
		m.numAlways(k, v)
	}
}

func (m *mapBuilder) boolean(k string, v bool) {
	if v {
		m.Add(k, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	}
}

func (m *mapBuilder) period(k string, p metric.Period) {
	if !p.IsZero() {
		b, err := p.MarshalText()
		if err != nil {
			m.err = err
		}
		m.Str(k, string(b))
	}
}

func encodeSet(s *Set) (*yaml.Node, error) {
	m := newMap()
	m.Str("kpiokr", FormatVersion)
	m.Str("name", s.Name)
	m.period("cycle", s.Cycle)
	var errs []error
	if len(s.Objectives) > 0 {
		var objs []*yaml.Node
		for _, o := range s.Objectives {
			om := newMap()
			om.Str("id", o.ID)
			om.Str("title", o.Title)
			om.Str("owner", o.Owner)
			if o.Level != 0 {
				if o.Level > Person {
					errs = append(errs, fmt.Errorf("okr: save: objective %q: unknown level %d", o.ID, o.Level))
				}
				om.Str("level", o.Level.String())
			}
			om.Str("parent", o.Parent)
			om.boolean("aspirational", o.Aspirational)
			om.period("cycle", o.Cycle)
			om.num("weight", o.Weight)
			if len(o.KeyResults) > 0 {
				var krs []*yaml.Node
				for _, kr := range o.KeyResults {
					km := newMap()
					km.Str("id", kr.ID)
					km.Str("title", kr.Title)
					km.Str("owner", kr.Owner)
					if kr.Kind > Milestone {
						errs = append(errs, fmt.Errorf("okr: save: key result %q: unknown kind %d", kr.ID, kr.Kind))
					}
					if kr.Kind != Measured {
						km.Str("kind", kr.Kind.String())
					}
					if kr.Kind != Binary && kr.Kind != Milestone {
						if kr.Kind == Measured {
							km.numAlways("from", kr.From)
						} else {
							km.num("from", kr.From)
						}
						km.numAlways("to", kr.To)
					}
					km.Str("unit", string(kr.Unit))
					km.Str("metric", kr.Metric)
					km.num("weight", kr.Weight)
					km.boolean("done", kr.Done)
					if len(kr.Milestones) > 0 {
						var st []*yaml.Node
						for _, x := range kr.Milestones {
							sm := newMap()
							sm.Str("title", x.Title)
							sm.boolean("done", x.Done)
							st = append(st, sm.Node)
						}
						km.Add("milestones", yamlfile.Seq(st))
					}
					if len(kr.CheckIns) > 0 {
						var cs []*yaml.Node
						for _, c := range kr.CheckIns {
							cm := newMap()
							cm.Str("date", c.Date.Format(time.DateOnly))
							cm.numAlways("value", c.Value)
							if c.Confidence != nil {
								cm.numAlways("confidence", *c.Confidence)
							}
							cm.Str("note", c.Note)
							if cm.err != nil {
								errs = append(errs, fmt.Errorf("key result %q: %w", kr.ID, cm.err))
							}
							cs = append(cs, cm.Node)
						}
						km.Add("check_ins", yamlfile.Seq(cs))
					}
					if km.err != nil {
						errs = append(errs, fmt.Errorf("key result %q: %w", kr.ID, km.err))
					}
					krs = append(krs, km.Node)
				}
				om.Add("key_results", yamlfile.Seq(krs))
			}
			if len(o.Initiatives) > 0 {
				var ins []*yaml.Node
				for _, in := range o.Initiatives {
					im := newMap()
					im.Str("title", in.Title)
					im.Str("owner", in.Owner)
					im.boolean("done", in.Done)
					ins = append(ins, im.Node)
				}
				om.Add("initiatives", yamlfile.Seq(ins))
			}
			if om.err != nil {
				errs = append(errs, fmt.Errorf("objective %q: %w", o.ID, om.err))
			}
			objs = append(objs, om.Node)
		}
		m.Add("objectives", yamlfile.Seq(objs))
	}
	if m.err != nil {
		errs = append(errs, m.err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m.Node, nil
}
