package rollup

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"

	"github.com/kpitree/kpitree/internal/yamlfile"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
	"go.yaml.in/yaml/v3"
)

// ErrDecode is the sentinel every *DecodeError matches with errors.Is.
var ErrDecode = errors.New("rollup: invalid scenario or distribution file")

// DecodeError is a problem in a scenario or distribution file, with its
// position.
type DecodeError struct {
	File   string // file name given to the loader ("" if none)
	Line   int    // 1-based line
	Column int    // 1-based column, in characters
	Path   string // where in the document, e.g. scenarios[1].overrides[0].scale ("" for the whole file)
	Msg    string // what is wrong
	Hint   string // how to fix it, e.g. `did you mean "visitors"?` ("" if none)
}

// Error returns a message such as
//
//	plan.yaml:7:17: scenarios[0].overrides[1].metric: unknown metric "visiters" (did you mean "visitors"?)
func (e *DecodeError) Error() string { return (*yamlfile.Error)(e).Error() }

// Is reports whether target is ErrDecode.
func (e *DecodeError) Is(target error) bool { return target == ErrDecode }

// fileDecoder decodes the scenario and distribution formats.
type fileDecoder struct {
	*yamlfile.Decoder
	kind    string // "scenario" or "distribution", for messages
	version string // the version key, e.g. "kpiscenarios"
	c       *tree.Compiled
	cal     metric.Calendar
	ids     []string // the model's metric ids (nil without a model)
}

// decodeFile reads r and runs body on the root node of its one document.
func decodeFile(r io.Reader, name string, c *tree.Compiled, kind, version string, body func(d *fileDecoder, root *yaml.Node)) error {
	data, err := yamlfile.ReadAll(r)
	if err != nil {
		if name != "" {
			return fmt.Errorf("rollup: read %s: %w", name, err)
		}
		return fmt.Errorf("rollup: read %s file: %w", kind, err)
	}
	d := &fileDecoder{
		Decoder: yamlfile.NewDecoder(name, data, yamlfile.IsJSON(data), func(e *yamlfile.Error) error { return (*DecodeError)(e) }),
		kind:    kind, version: version, c: c,
	}
	if c != nil {
		d.cal = c.Model().Calendar
		d.ids = make([]string, c.Len())
		for i := range d.ids {
			d.ids[i] = c.ID(i)
		}
	}
	return d.Run(func() {
		root := d.Parse(yamlfile.ParseOptions{
			Empty:     fmt.Sprintf("empty %s file", kind),
			EmptyHint: fmt.Sprintf("a %s file starts with %s: %q", kind, version, FileFormatVersion),
			OneDoc:    "a file holds one document",
		})
		if root == nil || d.Failed() {
			return
		}
		body(d, root)
	})
}

// versionOf checks the version key of the root object.
func (d *fileDecoder) versionOf(obj map[string]*yaml.Node, root *yaml.Node) {
	n, ok := obj[d.version]
	if !ok {
		d.Errorf(root, "", fmt.Sprintf("add %s: %q as the first key", d.version, FileFormatVersion), "missing required key %q", d.version)
		return
	}
	hint := fmt.Sprintf("supported versions: %q", FileFormatVersion)
	var v string
	switch {
	case n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float"):
		f, ok := d.Number(n, d.version)
		if !ok {
			return
		}
		v = strconv.FormatFloat(f, 'g', -1, 64)
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str":
		v = n.Value
	default:
		d.Errorf(n, d.version, hint, "expected a format version string, found %s", d.Describe(n))
		return
	}
	if v != FileFormatVersion {
		d.Errorf(n, d.version, hint, "unsupported format version %s", yamlfile.Quote(v))
	}
}

// metricID reads a metric id; bound to a model, it must be one of the
// model's metrics (with a did-you-mean if not). It returns the node index
// (-1 without a model).
func (d *fileDecoder) metricID(n *yaml.Node, path string) (string, int, bool) {
	s, ok := d.Str(n, path)
	if !ok {
		return "", -1, false
	}
	if !idPattern.MatchString(s) {
		d.Errorf(n, path, "a metric id is a letter or _ followed by letters, digits or _", "invalid metric id %s", yamlfile.Quote(s))
		return "", -1, false
	}
	if d.c == nil {
		return s, -1, true
	}
	i, ok := d.c.Index(s)
	if !ok {
		hint := yamlfile.Suggest(s, d.ids, yamlfile.MaxTypo(s))
		if hint == "" {
			hint = "the model's metrics are listed by kpitree schema or in the model file"
			if len(d.ids) <= 12 {
				hint = "the model's metrics: " + yamlfile.OrList(d.ids)
			}
		}
		d.Errorf(n, path, hint, "unknown metric %q", s)
		return "", -1, false
	}
	return s, i, true
}

// idPattern is the form of a metric id and periodPattern the canonical
// form of a period, as in model files (the JSON Schemas use the same
// patterns).
var (
	idPattern     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	periodPattern = regexp.MustCompile(`^([0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?|-Q[1-4]|-W(0[1-9]|[1-4][0-9]|5[0-3]))?|FY[0-9]{4}(-Q[1-4])?(@(0[1-9]|1[0-2]))?)$`)
)

const periodHint = "want 2026, 2026-07, 2026-Q3, 2026-W29, 2026-07-14, FY2026 or FY2026-Q1"

// period reads a period: a string, or a year as an integer.
func (d *fileDecoder) period(n *yaml.Node, path string) (metric.Period, bool) {
	var s string
	if n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float") {
		y, ok := d.Integer(n, path, 1, 9999)
		if !ok {
			return metric.Period{}, false
		}
		s = fmt.Sprintf("%04d", y)
	} else {
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && n.ShortTag() != "!!timestamp") {
			d.Errorf(n, path, periodHint, "expected a period, found %s", d.Describe(n))
			return metric.Period{}, false
		}
		s = n.Value
	}
	p, err := d.cal.Parse(s)
	if err != nil {
		var pe *metric.ParseError
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = pe.Msg
		}
		d.Errorf(n, path, periodHint, "invalid period %s: %s", yamlfile.Quote(s), msg)
		return metric.Period{}, false
	}
	if !periodPattern.MatchString(s) {
		d.Errorf(n, path, fmt.Sprintf("write it as %q", p.String()), "invalid period %s: %s", yamlfile.Quote(s), periodHint)
		return metric.Period{}, false
	}
	return p, true
}

// periodNode writes p so that it parses back to p under any calendar.
func periodNode(p metric.Period) *yaml.Node {
	b, _ := p.MarshalText()
	return yamlfile.StrNode(string(b))
}

// writeFile writes the document root in format f.
func writeFile(w io.Writer, root *yaml.Node, f tree.Format) error {
	switch f {
	case tree.YAML:
		return yamlfile.WriteYAML(w, root)
	case tree.JSON:
		return yamlfile.WriteJSON(w, root, yamlfile.JSONStyle{})
	}
	return fmt.Errorf("%w: unknown format %v", ErrInvalidArgument, f)
}

// FileFormatVersion is the version of the scenario and distribution file
// formats that the loaders read and Save writes.
const FileFormatVersion = "1"

// keysOf lists the keys of the mapping n (for messages).
func keysOf(obj map[string]*yaml.Node, keys []string) []string {
	var out []string
	for _, k := range keys {
		if _, ok := obj[k]; ok {
			out = append(out, k)
		}
	}
	return slices.Clip(out)
}
