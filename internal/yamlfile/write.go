package yamlfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Map builds a mapping node, keys in the order they are added.
type Map struct{ Node *yaml.Node }

// NewMap returns an empty mapping, in flow style ({a: 1}) if flow.
func NewMap(flow bool) Map {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return Map{n}
}

// Add adds key: v.
func (m Map) Add(key string, v *yaml.Node) {
	m.Node.Content = append(m.Node.Content, StrNode(key), v)
}

// Str adds key: s unless s is empty.
func (m Map) Str(key, s string) {
	if s != "" {
		m.Add(key, StrNode(s))
	}
}

// StrNode returns a string scalar.
func StrNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// StrSeq returns a flow-style list of strings ([a, b]).
func StrSeq(vals []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	for _, v := range vals {
		n.Content = append(n.Content, StrNode(v))
	}
	return n
}

// Seq returns a block-style list of items.
func Seq(items []*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

// IntNode returns an integer scalar.
func IntNode(v int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
}

// NumberNode writes v so that it parses back to exactly v, in the
// shortest form that does (strconv's -1 precision): integral values of
// moderate size as integers, other moderate values in decimal notation
// (320000000.5, not 3.200000005e+08), very large or small ones with an
// exponent. A NaN or an infinity is an error naming what.
func NumberNode(what string, v float64) (*yaml.Node, error) {
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

// EnumNode writes s, which must be one of names (an error naming what if
// not).
func EnumNode(what, s string, names []string) (*yaml.Node, error) {
	if !slices.Contains(names, s) {
		return nil, fmt.Errorf("%s: invalid value %q", what, s)
	}
	return StrNode(s), nil
}

// WriteYAML writes the document n as YAML indented by 2 spaces.
func WriteYAML(w io.Writer, n *yaml.Node) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return err
	}
	return enc.Close()
}

// JSONStyle selects the details in which the JSON output of the formats
// differs.
type JSONStyle struct {
	// EscapeHTML writes <, > and & in strings as \u003c, \u003e and
	// \u0026, as encoding/json.Marshal does.
	EscapeHTML bool
	// OpenEmpty writes an empty object or array over two lines, its
	// closing bracket indented as a non-empty one's ("{\n  }"), instead
	// of as "{}" or "[]".
	OpenEmpty bool
}

// WriteJSON writes the node tree n (mappings, sequences and scalars) as
// JSON indented by 2 spaces, keeping the key order, followed by a
// newline. Scalars tagged !!str are JSON strings; the text of other
// scalars is written as it is (numbers, true).
func WriteJSON(w io.Writer, n *yaml.Node, style JSONStyle) error {
	var b bytes.Buffer
	if err := writeJSON(&b, n, "", style); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

func writeJSON(b *bytes.Buffer, n *yaml.Node, indent string, style JSONStyle) error {
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		open, end, step := byte('['), byte(']'), 1
		if n.Kind == yaml.MappingNode {
			open, end, step = '{', '}', 2
		}
		b.WriteByte(open)
		if len(n.Content) == 0 && !style.OpenEmpty {
			b.WriteByte(end)
			return nil
		}
		for i := 0; i+step-1 < len(n.Content); i += step {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n" + indent + "  ")
			v := n.Content[i]
			if step == 2 {
				if err := writeJSONString(b, v.Value, style); err != nil {
					return err
				}
				b.WriteString(": ")
				v = n.Content[i+1]
			}
			if err := writeJSON(b, v, indent+"  ", style); err != nil {
				return err
			}
		}
		b.WriteString("\n" + indent)
		b.WriteByte(end)
	case yaml.ScalarNode:
		if n.Tag == "!!str" {
			return writeJSONString(b, n.Value, style)
		}
		b.WriteString(n.Value)
	default:
		return fmt.Errorf("cannot write node kind %v as JSON", n.Kind)
	}
	return nil
}

func writeJSONString(b *bytes.Buffer, s string, style JSONStyle) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("string %s is not valid UTF-8", strconv.Quote(Short(s)))
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(style.EscapeHTML)
	if err := enc.Encode(s); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}
