package tree

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/kpitree/kpitree/metric"
	"go.yaml.in/yaml/v3"
)

// encode renders m in format f.
func (m *Model) encode(f Format) ([]byte, error) {
	root, err := m.node()
	if err != nil {
		return nil, fmt.Errorf("tree: save: %w", err)
	}
	switch f {
	case YAML:
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(root); err != nil {
			return nil, fmt.Errorf("tree: save: %w", err)
		}
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("tree: save: %w", err)
		}
		return buf.Bytes(), nil
	case JSON:
		var compact bytes.Buffer
		if err := writeJSON(&compact, root); err != nil {
			return nil, fmt.Errorf("tree: save: %w", err)
		}
		var out bytes.Buffer
		if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
			return nil, fmt.Errorf("tree: save: %w", err)
		}
		out.WriteByte('\n')
		return out.Bytes(), nil
	}
	return nil, fmt.Errorf("tree: save: unknown format %v", f)
}

// ---- node building ----

type mapNode struct{ n *yaml.Node }

func newMap(flow bool) mapNode {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return mapNode{n}
}

func (m mapNode) add(key string, v *yaml.Node) {
	m.n.Content = append(m.n.Content, strNode(key), v)
}

// str adds key: s unless s is empty.
func (m mapNode) str(key, s string) {
	if s != "" {
		m.add(key, strNode(s))
	}
}

func strNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func strSeq(vals []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	for _, v := range vals {
		n.Content = append(n.Content, strNode(v))
	}
	return n
}

// numNode writes v so that it parses back to exactly v, in the shortest
// form that does (strconv's -1 precision): integral values of moderate
// size as integers, other moderate values in decimal notation
// (320000000.5, not 3.200000005e+08), very large or small ones with an
// exponent.
func numNode(what string, v float64) (*yaml.Node, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("%s: %v is not a finite number", what, v)
	}
	switch {
	case v == 0 && math.Signbit(v):
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: "-0.0"}, nil
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatFloat(v, 'f', -1, 64)}, nil
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if a := math.Abs(v); a >= 1e-6 && a < 1e15 {
		s = strconv.FormatFloat(v, 'f', -1, 64)
	}
	if !bytes.ContainsAny([]byte(s), ".e") {
		s += ".0"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: s}, nil
}

func intNode(v int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
}

func textNode(what string, v interface{ MarshalText() ([]byte, error) }) (*yaml.Node, error) {
	b, err := v.MarshalText()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return strNode(string(b)), nil
}

// enumNode writes an enumeration value that must be one of names.
func enumNode(what string, s string, names []string) (*yaml.Node, error) {
	if !slices.Contains(names, s) {
		return nil, fmt.Errorf("%s: invalid value %q", what, s)
	}
	return strNode(s), nil
}

// periodText writes p in the model's calendar: "FY2026" when that parses
// back to p under cal, else with the fiscal start month ("FY2026@04").
func periodText(cal metric.Calendar, p metric.Period) (string, error) {
	s := p.String()
	if q, err := cal.Parse(s); err == nil && q == p {
		return s, nil
	}
	b, err := p.MarshalText()
	return string(b), err
}

func (m *Model) node() (*yaml.Node, error) {
	root := newMap(false)
	root.add("kpitree", strNode(FormatVersion))
	root.str("name", m.Name)
	root.str("description", m.Description)
	if m.Grain != 0 {
		n, err := enumNode("grain", m.Grain.String(), grainNames)
		if err != nil {
			return nil, err
		}
		root.add("grain", n)
	}
	if fy := m.Calendar.FiscalYearStart; fy != 0 {
		if fy < time.January || fy > time.December {
			return nil, fmt.Errorf("fiscal_year_start: invalid month %d", int(fy))
		}
		root.add("fiscal_year_start", intNode(int(fy)))
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
		root.add("metrics", seq)
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
		root.add("links", seq)
	}
	if len(m.Dimensions) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i, dim := range m.Dimensions {
			n := newMap(true)
			n.add("name", strNode(dim.Name))
			if dim.Numeric {
				if err := addRange(n, dim.Lo, dim.Hi, dim.HasHi); err != nil {
					return nil, fmt.Errorf("dimensions[%d]: %w", i, err)
				}
			} else {
				n.add("values", strSeq(dim.Values))
			}
			seq.Content = append(seq.Content, n.n)
		}
		root.add("dimensions", seq)
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
		root.add("decompositions", seq)
	}
	return root.n, nil
}

func addRange(n mapNode, lo, hi float64, hasHi bool) error {
	l, err := numNode("lo", lo)
	if err != nil {
		return err
	}
	n.add("lo", l)
	if hasHi {
		h, err := numNode("hi", hi)
		if err != nil {
			return err
		}
		n.add("hi", h)
	}
	return nil
}

func metricNode(cal metric.Calendar, mt *metric.Metric) (*yaml.Node, error) {
	n := newMap(false)
	n.add("id", strNode(mt.ID))
	n.str("name", mt.Name)
	n.str("description", mt.Description)
	if mt.Kind != 0 {
		v, err := enumNode("kind", mt.Kind.String(), kindNamesFile)
		if err != nil {
			return nil, err
		}
		n.add("kind", v)
	}
	n.str("unit", string(mt.Unit))
	if mt.Direction != 0 {
		v, err := enumNode("direction", mt.Direction.String(), directionNames)
		if err != nil {
			return nil, err
		}
		n.add("direction", v)
	}
	if mt.Aggregation != 0 {
		v, err := enumNode("aggregation", mt.Aggregation.String(), aggregationNames)
		if err != nil {
			return nil, err
		}
		n.add("aggregation", v)
	}
	n.str("formula", mt.Formula)
	if mt.Initial != nil {
		v, err := numNode("initial", *mt.Initial)
		if err != nil {
			return nil, err
		}
		n.add("initial", v)
	}
	n.str("owner", mt.Owner)
	if mt.Frequency != 0 {
		v, err := enumNode("frequency", mt.Frequency.String(), grainNames)
		if err != nil {
			return nil, err
		}
		n.add("frequency", v)
	}
	n.str("source", mt.Source)
	if len(mt.Labels) > 0 {
		ln := newMap(true)
		keys := make([]string, 0, len(mt.Labels))
		for k := range mt.Labels {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ln.add(k, strNode(mt.Labels[k]))
		}
		n.add("labels", ln.n)
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
		n.add("targets", seq)
	}
	return n.n, nil
}

func targetNode(cal metric.Calendar, t metric.Target) (*yaml.Node, error) {
	n := newMap(false)
	if !t.Period.IsZero() {
		s, err := periodText(cal, t.Period)
		if err != nil {
			return nil, fmt.Errorf("period: %w", err)
		}
		n.add("period", strNode(s))
	}
	v, err := numNode("value", t.Value)
	if err != nil {
		return nil, err
	}
	n.add("value", v)
	if t.Max != 0 {
		if v, err = numNode("max", t.Max); err != nil {
			return nil, err
		}
		n.add("max", v)
	}
	if t.Baseline != nil {
		if v, err = numNode("baseline", *t.Baseline); err != nil {
			return nil, err
		}
		n.add("baseline", v)
	}
	if !t.Start.IsZero() {
		s, err := periodText(cal, t.Start)
		if err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
		n.add("start", strNode(s))
	}
	n.str("note", t.Note)
	return n.n, nil
}

func linkNode(l Link) (*yaml.Node, error) {
	n := newMap(true)
	n.add("from", strNode(l.From))
	n.add("to", strNode(l.To))
	switch l.Sign {
	case SignPositive:
		n.add("sign", strNode("+"))
	case SignNegative:
		n.add("sign", strNode("-"))
	case SignUnknown:
	default:
		return nil, fmt.Errorf("sign: invalid value %d", l.Sign)
	}
	if l.Lag != 0 {
		if l.Lag < 0 {
			return nil, fmt.Errorf("lag: %d is negative", l.Lag)
		}
		n.add("lag", intNode(l.Lag))
	}
	if l.Confidence != 0 {
		v, err := numNode("confidence", l.Confidence)
		if err != nil {
			return nil, err
		}
		n.add("confidence", v)
	}
	n.str("evidence", l.Evidence)
	return n.n, nil
}

func decompositionNode(dc Decomposition) (*yaml.Node, error) {
	n := newMap(false)
	n.add("parent", strNode(dc.Parent))
	if len(dc.Segments) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i, s := range dc.Segments {
			sn := newMap(false)
			sn.add("metric", strNode(s.Metric))
			if len(s.Where) > 0 {
				w := newMap(true)
				for _, c := range s.Where {
					if c.Numeric {
						r := newMap(true)
						if err := addRange(r, c.Lo, c.Hi, c.HasHi); err != nil {
							return nil, fmt.Errorf("segments[%d].where.%s: %w", i, c.Dimension, err)
						}
						w.add(c.Dimension, r.n)
					} else {
						w.add(c.Dimension, strSeq(c.In))
					}
				}
				sn.add("where", w.n)
			}
			seq.Content = append(seq.Content, sn.n)
		}
		n.add("segments", seq)
	}
	return n.n, nil
}

// writeJSON writes the node tree built by Model.node as compact JSON,
// keeping the key order.
func writeJSON(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, n.Content[i]); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := writeJSON(buf, n.Content[i+1]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, c); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			buf.WriteString(n.Value)
		default:
			enc := json.NewEncoder(buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(n.Value); err != nil {
				return err
			}
			buf.Truncate(buf.Len() - 1) // Encode's newline
		}
	default:
		return fmt.Errorf("cannot write node kind %v as JSON", n.Kind)
	}
	return nil
}
