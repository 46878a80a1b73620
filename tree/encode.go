package tree

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/kpitree/kpitree/internal/yamlfile"
	"github.com/kpitree/kpitree/metric"
	"go.yaml.in/yaml/v3"
)

// encode renders m in format f.
func (m *Model) encode(f Format) ([]byte, error) {
	root, err := m.node()
	if err != nil {
		return nil, fmt.Errorf("tree: save: %w", err)
	}
	var buf bytes.Buffer
	switch f {
	case YAML:
		err = yamlfile.WriteYAML(&buf, root)
	case JSON:
		err = yamlfile.WriteJSON(&buf, root, yamlfile.JSONStyle{})
	default:
		return nil, fmt.Errorf("tree: save: unknown format %v", f)
	}
	if err != nil {
		return nil, fmt.Errorf("tree: save: %w", err)
	}
	return buf.Bytes(), nil
}

// periodText writes p in the model's calendar: "FY2026" when that parses
// back to p under cal, else with the fiscal start month ("FY2026@04").
// A period that no text in the file format reads back as (a year before
// 1 or after 9999) is an error.
func periodText(cal metric.Calendar, p metric.Period) (string, error) {
	s := p.String()
	if q, err := cal.Parse(s); err == nil && q == p && periodPattern.MatchString(s) {
		return s, nil
	}
	b, err := p.MarshalText()
	if err != nil {
		return "", err
	}
	if q, err := cal.Parse(string(b)); err != nil || q != p || !periodPattern.MatchString(string(b)) {
		return "", fmt.Errorf("period %s is outside the years 1..9999 a model file can hold", p)
	}
	return string(b), nil
}

func (m *Model) node() (*yaml.Node, error) {
	root := yamlfile.NewMap(false)
	root.Add("kpitree", yamlfile.StrNode(FormatVersion))
	root.Str("name", m.Name)
	root.Str("description", m.Description)
	if m.Grain != 0 {
		n, err := yamlfile.EnumNode("grain", m.Grain.String(), grainNames)
		if err != nil {
			return nil, err
		}
		root.Add("grain", n)
	}
	if fy := m.Calendar.FiscalYearStart; fy != 0 {
		if fy < time.January || fy > time.December {
			return nil, fmt.Errorf("fiscal_year_start: invalid month %d", int(fy))
		}
		root.Add("fiscal_year_start", yamlfile.IntNode(int(fy)))
	}
	if len(m.Metrics) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i := range m.Metrics {
			n, err := metricNode(m.Calendar, &m.Metrics[i])
			if err != nil {
				return nil, fmt.Errorf("metrics[%d]: %w", i, err)
			}
			seq.Content = append(seq.Content, n)
		}
		root.Add("metrics", seq)
	}
	if len(m.Links) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i, l := range m.Links {
			n, err := linkNode(l)
			if err != nil {
				return nil, fmt.Errorf("links[%d]: %w", i, err)
			}
			seq.Content = append(seq.Content, n)
		}
		root.Add("links", seq)
	}
	if len(m.Dimensions) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i, dim := range m.Dimensions {
			n := yamlfile.NewMap(true)
			n.Add("name", yamlfile.StrNode(dim.Name))
			if dim.Numeric {
				if err := addRange(n, dim.Lo, dim.Hi, dim.HasHi); err != nil {
					return nil, fmt.Errorf("dimensions[%d]: %w", i, err)
				}
			} else {
				n.Add("values", yamlfile.StrSeq(dim.Values))
			}
			seq.Content = append(seq.Content, n.Node)
		}
		root.Add("dimensions", seq)
	}
	if len(m.Decompositions) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i, dc := range m.Decompositions {
			n, err := decompositionNode(dc)
			if err != nil {
				return nil, fmt.Errorf("decompositions[%d]: %w", i, err)
			}
			seq.Content = append(seq.Content, n)
		}
		root.Add("decompositions", seq)
	}
	return root.Node, nil
}

func addRange(n yamlfile.Map, lo, hi float64, hasHi bool) error {
	l, err := yamlfile.NumberNode("lo", lo)
	if err != nil {
		return err
	}
	n.Add("lo", l)
	if hasHi {
		h, err := yamlfile.NumberNode("hi", hi)
		if err != nil {
			return err
		}
		n.Add("hi", h)
	}
	return nil
}

func metricNode(cal metric.Calendar, mt *metric.Metric) (*yaml.Node, error) {
	n := yamlfile.NewMap(false)
	n.Add("id", yamlfile.StrNode(mt.ID))
	n.Str("name", mt.Name)
	n.Str("description", mt.Description)
	if mt.Kind != 0 {
		v, err := yamlfile.EnumNode("kind", mt.Kind.String(), kindNamesFile)
		if err != nil {
			return nil, err
		}
		n.Add("kind", v)
	}
	n.Str("unit", string(mt.Unit))
	if mt.Direction != 0 {
		v, err := yamlfile.EnumNode("direction", mt.Direction.String(), directionNames)
		if err != nil {
			return nil, err
		}
		n.Add("direction", v)
	}
	if mt.Aggregation != 0 {
		v, err := yamlfile.EnumNode("aggregation", mt.Aggregation.String(), aggregationNames)
		if err != nil {
			return nil, err
		}
		n.Add("aggregation", v)
	}
	n.Str("weight", mt.Weight)
	if mt.Additive {
		n.Add("additive", boolNode())
	}
	n.Str("formula", mt.Formula)
	if mt.Driver {
		n.Add("driver", boolNode())
	}
	if mt.Initial != nil {
		v, err := yamlfile.NumberNode("initial", *mt.Initial)
		if err != nil {
			return nil, err
		}
		n.Add("initial", v)
	}
	n.Str("owner", mt.Owner)
	if mt.Frequency != 0 {
		v, err := yamlfile.EnumNode("frequency", mt.Frequency.String(), grainNames)
		if err != nil {
			return nil, err
		}
		n.Add("frequency", v)
	}
	n.Str("source", mt.Source)
	if len(mt.Labels) > 0 {
		ln := yamlfile.NewMap(true)
		keys := make([]string, 0, len(mt.Labels))
		for k := range mt.Labels {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ln.Add(k, yamlfile.StrNode(mt.Labels[k]))
		}
		n.Add("labels", ln.Node)
	}
	if len(mt.Targets) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i, t := range mt.Targets {
			tn, err := targetNode(cal, t)
			if err != nil {
				return nil, fmt.Errorf("targets[%d]: %w", i, err)
			}
			seq.Content = append(seq.Content, tn)
		}
		n.Add("targets", seq)
	}
	return n.Node, nil
}

func targetNode(cal metric.Calendar, t metric.Target) (*yaml.Node, error) {
	n := yamlfile.NewMap(false)
	if !t.Period.IsZero() {
		s, err := periodText(cal, t.Period)
		if err != nil {
			return nil, fmt.Errorf("period: %w", err)
		}
		n.Add("period", yamlfile.StrNode(s))
	}
	v, err := yamlfile.NumberNode("value", t.Value)
	if err != nil {
		return nil, err
	}
	n.Add("value", v)
	if t.Max != 0 || math.Signbit(t.Max) {
		if v, err = yamlfile.NumberNode("max", t.Max); err != nil {
			return nil, err
		}
		n.Add("max", v)
	}
	if t.Baseline != nil {
		if v, err = yamlfile.NumberNode("baseline", *t.Baseline); err != nil {
			return nil, err
		}
		n.Add("baseline", v)
	}
	if !t.Start.IsZero() {
		s, err := periodText(cal, t.Start)
		if err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
		n.Add("start", yamlfile.StrNode(s))
	}
	n.Str("note", t.Note)
	return n.Node, nil
}

func linkNode(l Link) (*yaml.Node, error) {
	n := yamlfile.NewMap(true)
	n.Add("from", yamlfile.StrNode(l.From))
	n.Add("to", yamlfile.StrNode(l.To))
	switch l.Sign {
	case SignPositive:
		n.Add("sign", yamlfile.StrNode("+"))
	case SignNegative:
		n.Add("sign", yamlfile.StrNode("-"))
	case SignUnknown:
	default:
		return nil, fmt.Errorf("sign: invalid value %d", l.Sign)
	}
	if l.Lag != 0 {
		if l.Lag < 0 {
			return nil, fmt.Errorf("lag: %d is negative", l.Lag)
		}
		n.Add("lag", yamlfile.IntNode(l.Lag))
	}
	if l.Confidence != 0 || math.Signbit(l.Confidence) {
		v, err := yamlfile.NumberNode("confidence", l.Confidence)
		if err != nil {
			return nil, err
		}
		n.Add("confidence", v)
	}
	n.Str("evidence", l.Evidence)
	return n.Node, nil
}

func decompositionNode(dc Decomposition) (*yaml.Node, error) {
	n := yamlfile.NewMap(false)
	n.Add("parent", yamlfile.StrNode(dc.Parent))
	if len(dc.Segments) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i, s := range dc.Segments {
			sn := yamlfile.NewMap(false)
			sn.Add("metric", yamlfile.StrNode(s.Metric))
			if len(s.Where) > 0 {
				w := yamlfile.NewMap(true)
				for _, c := range s.Where {
					if c.Numeric {
						r := yamlfile.NewMap(true)
						if err := addRange(r, c.Lo, c.Hi, c.HasHi); err != nil {
							return nil, fmt.Errorf("segments[%d].where.%s: %w", i, c.Dimension, err)
						}
						w.Add(c.Dimension, r.Node)
					} else {
						w.Add(c.Dimension, yamlfile.StrSeq(c.In))
					}
				}
				sn.Add("where", w.Node)
			}
			seq.Content = append(seq.Content, sn.Node)
		}
		n.Add("segments", seq)
	}
	return n.Node, nil
}

// boolNode is the scalar true (false is the default and never written).
func boolNode() *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"}
}
