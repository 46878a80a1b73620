package tree

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kpitree/kpitree/metric"
)

// ExportOptions configures Mermaid and DOT. The zero value exports
// everything, drawn bottom to top (causes below their effects).
type ExportOptions struct {
	// Direction is the direction of the drawing: "BT" (the default,
	// inputs at the bottom), "TB" (or "TD"), "LR" or "RL".
	Direction string
	// OmitLinks leaves out the declared causal links.
	OmitLinks bool
	// OmitDecompositions leaves out the decomposition edges.
	OmitDecompositions bool
}

func (o ExportOptions) direction() (string, error) {
	switch d := strings.ToUpper(strings.TrimSpace(o.Direction)); d {
	case "":
		return "BT", nil
	case "TD":
		return "TB", nil
	case "BT", "TB", "LR", "RL":
		return d, nil
	}
	return "", fmt.Errorf("tree: export direction %q: want BT, TB, LR or RL", o.Direction)
}

// exportEdge is one edge of an exported drawing.
type exportEdge struct {
	from, to int
	kind     edgeKind
	label    string
}

type edgeKind uint8

const (
	formulaEdge edgeKind = iota // an input of a formula or Go function, same period
	laggedEdge                  // an input read through prev()
	linkEdge                    // a declared causal link
	partEdge                    // a segment of a decomposition
)

// edges lists the drawing's edges: formula inputs (node by node in
// declaration order, inputs in the order the formula uses them), then
// causal links, then decompositions, each in declaration order.
func (c *Compiled) edges(opt ExportOptions) []exportEdge {
	var out []exportEdge
	for i := range c.ids {
		for _, d := range c.Deps(i) {
			e := exportEdge{from: d.Node, to: i, kind: formulaEdge}
			if d.Lag > 0 {
				e.kind, e.label = laggedEdge, "prev "+strconv.Itoa(d.Lag)
			}
			out = append(out, e)
		}
	}
	m := c.model
	if !opt.OmitLinks {
		for _, l := range m.Links {
			from, _ := c.Index(l.From)
			to, _ := c.Index(l.To)
			label := l.Sign.String()
			if l.Lag > 0 {
				label += " lag " + strconv.Itoa(l.Lag)
			}
			out = append(out, exportEdge{from: from, to: to, kind: linkEdge, label: label})
		}
	}
	if !opt.OmitDecompositions {
		for _, d := range m.Decompositions {
			parent, _ := c.Index(d.Parent)
			for _, s := range d.Segments {
				seg, _ := c.Index(s.Metric)
				out = append(out, exportEdge{from: seg, to: parent, kind: partEdge, label: "part of"})
			}
		}
	}
	return out
}

// labelLines returns a node's label: its name (or id) and a line with its
// kind and unit, when it has either.
func (c *Compiled) labelLines(i int) []string {
	mt := &c.model.Metrics[i]
	title := mt.ID
	if name := oneLine(mt.Name); name != "" && name != mt.ID {
		title = name + " (" + mt.ID + ")"
	}
	var meta []string
	if mt.Kind != 0 {
		meta = append(meta, mt.Kind.String())
	}
	if u := oneLine(string(mt.Unit)); u != "" {
		meta = append(meta, u)
	}
	if len(meta) == 0 {
		return []string{title}
	}
	return []string{title, strings.Join(meta, " · ")}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func kindClass(k metric.Kind) string {
	switch k {
	case metric.KGI:
		return "kgi"
	case metric.KPI:
		return "kpi"
	case metric.KSF:
		return "ksf"
	}
	return ""
}

// Mermaid writes the tree as a Mermaid flowchart (it renders in GitHub
// markdown inside a ```mermaid block). Each metric is a node labelled
// with its name or id, kind and unit; KGIs are stadiums, KPIs rectangles,
// KSFs hexagons, other metrics rounded boxes, each kind with its own
// class. Edges run from cause to effect: solid arrows for formula inputs,
// dotted arrows labelled "prev k" for lagged inputs, thick arrows
// labelled with sign and lag for declared causal links, and arrows with a
// circle head labelled "part of" from each segment to its parent. Node
// ids are "m_" followed by the metric id. The output is deterministic, in
// declaration order.
func (c *Compiled) Mermaid(w io.Writer, opt ExportOptions) error {
	dir, err := opt.direction()
	if err != nil {
		return err
	}
	var b strings.Builder
	if name := oneLine(c.model.Name); name != "" {
		b.WriteString("---\ntitle: " + strconv.Quote(name) + "\n---\n")
	}
	b.WriteString("flowchart " + dir + "\n")
	for i := range c.ids {
		lines := c.labelLines(i)
		for k := range lines {
			lines[k] = mermaidEscape(lines[k])
		}
		label := `"` + strings.Join(lines, "<br/>") + `"`
		id := mermaidID(c.ids[i])
		kind := c.model.Metrics[i].Kind
		switch kind {
		case metric.KGI:
			fmt.Fprintf(&b, "  %s([%s])", id, label)
		case metric.KPI:
			fmt.Fprintf(&b, "  %s[%s]", id, label)
		case metric.KSF:
			fmt.Fprintf(&b, "  %s{{%s}}", id, label)
		default:
			fmt.Fprintf(&b, "  %s(%s)", id, label)
		}
		if cl := kindClass(kind); cl != "" {
			b.WriteString(":::" + cl)
		}
		b.WriteString("\n")
	}
	for _, e := range c.edges(opt) {
		from, to := mermaidID(c.ids[e.from]), mermaidID(c.ids[e.to])
		switch e.kind {
		case formulaEdge:
			fmt.Fprintf(&b, "  %s --> %s\n", from, to)
		case laggedEdge:
			fmt.Fprintf(&b, "  %s -.->|\"%s\"| %s\n", from, mermaidEscape(e.label), to)
		case linkEdge:
			fmt.Fprintf(&b, "  %s ==>|\"%s\"| %s\n", from, mermaidEscape(e.label), to)
		case partEdge:
			fmt.Fprintf(&b, "  %s --o|\"%s\"| %s\n", from, mermaidEscape(e.label), to)
		}
	}
	b.WriteString("  classDef kgi fill:#fde68a,stroke:#b45309,stroke-width:2px\n")
	b.WriteString("  classDef kpi fill:#bfdbfe,stroke:#1d4ed8\n")
	b.WriteString("  classDef ksf fill:#bbf7d0,stroke:#15803d\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// mermaidID is the Mermaid node id of a metric: a prefix keeps ids such as
// "end" or "graph" from reading as keywords.
func mermaidID(id string) string { return "m_" + id }

// mermaidEscape makes s safe inside a double-quoted Mermaid label, with
// HTML entity codes for the characters Mermaid would interpret.
func mermaidEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '#':
			b.WriteString("#35;")
		case '"':
			b.WriteString("#quot;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '|':
			b.WriteString("#124;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// DOT writes the tree as a Graphviz digraph (render it with dot -Tsvg).
// Nodes carry the same labels as in Mermaid and a class attribute (kgi,
// kpi, ksf); KGIs are bold rounded boxes, KPIs boxes, KSFs hexagons and
// other metrics ellipses. Formula inputs are solid edges, lagged inputs
// dashed edges labelled "prev k", declared causal links bold purple edges
// labelled with sign and lag, and decomposition edges dotted, labelled
// "part of", with a diamond head at the parent. Node ids are the quoted
// metric ids. The output is deterministic, in declaration order.
func (c *Compiled) DOT(w io.Writer, opt ExportOptions) error {
	dir, err := opt.direction()
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("digraph " + dotQuote(oneLine(c.model.Name)) + " {\n")
	b.WriteString("  rankdir=" + dir + ";\n")
	b.WriteString("  node [fontname=\"Helvetica\", style=filled, fillcolor=\"#f3f4f6\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for i := range c.ids {
		lines := c.labelLines(i)
		for k := range lines {
			lines[k] = dotEscape(lines[k])
		}
		label := `"` + strings.Join(lines, `\n`) + `"`
		var attrs string
		switch c.model.Metrics[i].Kind {
		case metric.KGI:
			attrs = `, class="kgi", shape=box, style="rounded,filled,bold", fillcolor="#fde68a"`
		case metric.KPI:
			attrs = `, class="kpi", shape=box, fillcolor="#bfdbfe"`
		case metric.KSF:
			attrs = `, class="ksf", shape=hexagon, fillcolor="#bbf7d0"`
		default:
			attrs = `, shape=ellipse`
		}
		fmt.Fprintf(&b, "  %s [label=%s%s];\n", dotQuote(c.ids[i]), label, attrs)
	}
	for _, e := range c.edges(opt) {
		from, to := dotQuote(c.ids[e.from]), dotQuote(c.ids[e.to])
		switch e.kind {
		case formulaEdge:
			fmt.Fprintf(&b, "  %s -> %s;\n", from, to)
		case laggedEdge:
			fmt.Fprintf(&b, "  %s -> %s [style=dashed, label=%s];\n", from, to, dotQuote(e.label))
		case linkEdge:
			fmt.Fprintf(&b, "  %s -> %s [class=\"link\", style=bold, color=\"#7c3aed\", fontcolor=\"#7c3aed\", label=%s];\n", from, to, dotQuote(e.label))
		case partEdge:
			fmt.Fprintf(&b, "  %s -> %s [class=\"part\", style=dotted, arrowhead=odiamond, label=%s];\n", from, to, dotQuote(e.label))
		}
	}
	b.WriteString("}\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// dotQuote returns s as a DOT double-quoted string.
func dotQuote(s string) string { return `"` + dotEscape(s) + `"` }

// dotEscape escapes s for the inside of a DOT double-quoted string: a
// backslash would start an escape sequence in a label and a quote would
// end the string.
func dotEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ", "\r", " ").Replace(s)
}
