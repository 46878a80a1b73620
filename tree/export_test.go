package tree

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
)

// exportModel is the web shop model with a KSF, a causal link, a
// same-period link and a decomposition of revenue by region.
func exportModel() *Model {
	m := webshop()
	m.Metrics = append(m.Metrics,
		metric.Metric{ID: "site_speed", Name: `Site "speed" <p95>`, Kind: metric.KSF, Unit: "s"},
		metric.Metric{ID: "revenue_eu", Unit: "USD"},
		metric.Metric{ID: "revenue_us", Unit: "USD"},
	)
	m.Links = []Link{
		{From: "site_speed", To: "conversion_rate", Sign: SignPositive, Lag: 1},
		{From: "cost", To: "margin", Sign: SignNegative},
	}
	m.Decompositions = []Decomposition{{Parent: "revenue", Segments: []Segment{{Metric: "revenue_eu"}, {Metric: "revenue_us"}}}}
	return m
}

const wantMermaid = `---
title: "web shop"
---
flowchart BT
  m_revenue(["revenue<br/>KGI · USD"]):::kgi
  m_visitors["visitors<br/>KPI · count"]:::kpi
  m_conversion_rate["conversion_rate<br/>KPI · ratio"]:::kpi
  m_orders["orders<br/>KPI · count"]:::kpi
  m_avg_order_value["avg_order_value<br/>KPI · USD"]:::kpi
  m_margin("margin<br/>USD")
  m_cost("cost<br/>USD")
  m_site_speed{{"Site #quot;speed#quot; #lt;p95#gt; (site_speed)<br/>KSF · s"}}:::ksf
  m_revenue_eu("revenue_eu<br/>USD")
  m_revenue_us("revenue_us<br/>USD")
  m_visitors --> m_revenue
  m_conversion_rate --> m_revenue
  m_avg_order_value --> m_revenue
  m_orders --> m_conversion_rate
  m_visitors --> m_conversion_rate
  m_revenue --> m_margin
  m_cost --> m_margin
  m_margin -.->|"prev 1"| m_margin
  m_site_speed ==>|"+ lag 1"| m_conversion_rate
  m_cost ==>|"-"| m_margin
  m_revenue_eu --o|"part of"| m_revenue
  m_revenue_us --o|"part of"| m_revenue
  classDef kgi fill:#fde68a,stroke:#b45309,stroke-width:2px
  classDef kpi fill:#bfdbfe,stroke:#1d4ed8
  classDef ksf fill:#bbf7d0,stroke:#15803d
`

const wantDOT = `digraph "web shop" {
  rankdir=BT;
  node [fontname="Helvetica", style=filled, fillcolor="#f3f4f6"];
  edge [fontname="Helvetica", fontsize=10];
  "revenue" [label="revenue\nKGI · USD", class="kgi", shape=box, style="rounded,filled,bold", fillcolor="#fde68a"];
  "visitors" [label="visitors\nKPI · count", class="kpi", shape=box, fillcolor="#bfdbfe"];
  "conversion_rate" [label="conversion_rate\nKPI · ratio", class="kpi", shape=box, fillcolor="#bfdbfe"];
  "orders" [label="orders\nKPI · count", class="kpi", shape=box, fillcolor="#bfdbfe"];
  "avg_order_value" [label="avg_order_value\nKPI · USD", class="kpi", shape=box, fillcolor="#bfdbfe"];
  "margin" [label="margin\nUSD", shape=ellipse];
  "cost" [label="cost\nUSD", shape=ellipse];
  "site_speed" [label="Site \"speed\" <p95> (site_speed)\nKSF · s", class="ksf", shape=hexagon, fillcolor="#bbf7d0"];
  "revenue_eu" [label="revenue_eu\nUSD", shape=ellipse];
  "revenue_us" [label="revenue_us\nUSD", shape=ellipse];
  "visitors" -> "revenue";
  "conversion_rate" -> "revenue";
  "avg_order_value" -> "revenue";
  "orders" -> "conversion_rate";
  "visitors" -> "conversion_rate";
  "revenue" -> "margin";
  "cost" -> "margin";
  "margin" -> "margin" [style=dashed, label="prev 1"];
  "site_speed" -> "conversion_rate" [class="link", style=bold, color="#7c3aed", fontcolor="#7c3aed", label="+ lag 1"];
  "cost" -> "margin" [class="link", style=bold, color="#7c3aed", fontcolor="#7c3aed", label="-"];
  "revenue_eu" -> "revenue" [class="part", style=dotted, arrowhead=odiamond, label="part of"];
  "revenue_us" -> "revenue" [class="part", style=dotted, arrowhead=odiamond, label="part of"];
}
`

func TestExportGolden(t *testing.T) {
	c, err := Compile(exportModel())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
		want  string
	}{
		{"mermaid", func(b *bytes.Buffer) error { return c.Mermaid(b, ExportOptions{}) }, wantMermaid},
		{"dot", func(b *bytes.Buffer) error { return c.DOT(b, ExportOptions{}) }, wantDOT},
	} {
		var b bytes.Buffer
		if err := tt.write(&b); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if b.String() != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.name, b.String(), tt.want)
		}
		// Deterministic: a second export is identical.
		var again bytes.Buffer
		if err := tt.write(&again); err != nil || again.String() != b.String() {
			t.Errorf("%s: second export differs", tt.name)
		}
	}
}

func TestExportOptions(t *testing.T) {
	c, err := Compile(exportModel())
	if err != nil {
		t.Fatal(err)
	}
	export := func(opt ExportOptions) (string, string) {
		t.Helper()
		var m, d bytes.Buffer
		if err := c.Mermaid(&m, opt); err != nil {
			t.Fatal(err)
		}
		if err := c.DOT(&d, opt); err != nil {
			t.Fatal(err)
		}
		return m.String(), d.String()
	}
	tests := []struct {
		name           string
		opt            ExportOptions
		mermaid, dot   []string // must appear
		nMermaid, nDOT []string // must not appear
	}{
		{"default direction", ExportOptions{}, []string{"flowchart BT\n"}, []string{"rankdir=BT;"}, nil, nil},
		{"left to right", ExportOptions{Direction: "LR"}, []string{"flowchart LR\n"}, []string{"rankdir=LR;"}, []string{"BT"}, []string{"BT"}},
		{"TD is TB", ExportOptions{Direction: "td"}, []string{"flowchart TB\n"}, []string{"rankdir=TB;"}, nil, nil},
		{"omit links", ExportOptions{OmitLinks: true},
			[]string{"m_margin -.->|\"prev 1\"| m_margin", "--o|"}, []string{"style=dashed", "part of"},
			[]string{"==>"}, []string{`class="link"`}},
		{"omit decompositions", ExportOptions{OmitDecompositions: true},
			[]string{"==>|\"+ lag 1\"|"}, []string{`class="link"`},
			[]string{"--o", "part of"}, []string{"part of", "odiamond"}},
		{"omit both", ExportOptions{OmitLinks: true, OmitDecompositions: true},
			[]string{"m_cost --> m_margin"}, []string{`"cost" -> "margin";`},
			[]string{"==>", "--o"}, []string{`class="link"`, `class="part"`}},
	}
	for _, tt := range tests {
		m, d := export(tt.opt)
		for _, s := range tt.mermaid {
			if !strings.Contains(m, s) {
				t.Errorf("%s: Mermaid lacks %q:\n%s", tt.name, s, m)
			}
		}
		for _, s := range tt.nMermaid {
			if strings.Contains(m, s) {
				t.Errorf("%s: Mermaid has %q:\n%s", tt.name, s, m)
			}
		}
		for _, s := range tt.dot {
			if !strings.Contains(d, s) {
				t.Errorf("%s: DOT lacks %q:\n%s", tt.name, s, d)
			}
		}
		for _, s := range tt.nDOT {
			if strings.Contains(d, s) {
				t.Errorf("%s: DOT has %q:\n%s", tt.name, s, d)
			}
		}
	}
	// Formula edges are kept whatever the options.
	m, d := export(ExportOptions{OmitLinks: true, OmitDecompositions: true})
	if strings.Count(m, " --> ") != 7 || strings.Count(d, " -> ") != 8 {
		t.Errorf("formula edges: %d in Mermaid (want 7 solid), %d in DOT (want 8)", strings.Count(m, " --> "), strings.Count(d, " -> "))
	}
	var b bytes.Buffer
	if err := c.Mermaid(&b, ExportOptions{Direction: "up"}); err == nil || b.Len() != 0 {
		t.Errorf("Mermaid with direction \"up\": err = %v, wrote %d bytes", err, b.Len())
	}
	if err := c.DOT(&b, ExportOptions{Direction: "sideways"}); err == nil || b.Len() != 0 {
		t.Errorf("DOT with direction \"sideways\": err = %v, wrote %d bytes", err, b.Len())
	}
}

func TestExportEscaping(t *testing.T) {
	m := &Model{
		Name: "q\"uote\\d\nmodel",
		Metrics: []metric.Metric{
			{ID: "end", Name: "a #1 | b & c", Unit: `x"y`},
			{ID: "graph", Name: `back\slash`, Kind: metric.KPI, Formula: "end * 2 + prev(end, 3)"},
		},
	}
	c, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	var mb, db bytes.Buffer
	if err := c.Mermaid(&mb, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.DOT(&db, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	wantM := "---\ntitle: \"q\\\"uote\\\\d model\"\n---\n" +
		"flowchart BT\n" +
		"  m_end(\"a #35;1 #124; b #amp; c (end)<br/>x#quot;y\")\n" +
		"  m_graph[\"back\\slash (graph)<br/>KPI\"]:::kpi\n" +
		"  m_end --> m_graph\n" +
		"  m_end -.->|\"prev 3\"| m_graph\n"
	if !strings.HasPrefix(mb.String(), wantM) {
		t.Errorf("Mermaid:\n%s\nwant prefix\n%s", mb.String(), wantM)
	}
	wantD := "digraph \"q\\\"uote\\\\d model\" {\n" +
		"  rankdir=BT;\n" +
		"  node [fontname=\"Helvetica\", style=filled, fillcolor=\"#f3f4f6\"];\n" +
		"  edge [fontname=\"Helvetica\", fontsize=10];\n" +
		"  \"end\" [label=\"a #1 | b & c (end)\\nx\\\"y\", shape=ellipse];\n" +
		"  \"graph\" [label=\"back\\\\slash (graph)\\nKPI\", class=\"kpi\", shape=box, fillcolor=\"#bfdbfe\"];\n" +
		"  \"end\" -> \"graph\";\n" +
		"  \"end\" -> \"graph\" [style=dashed, label=\"prev 3\"];\n" +
		"}\n"
	if db.String() != wantD {
		t.Errorf("DOT:\n%s\nwant\n%s", db.String(), wantD)
	}
}

type failWriter struct{}

var errWrite = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestExportWriteError(t *testing.T) {
	c, err := Compile(webshop())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Mermaid(failWriter{}, ExportOptions{}); !errors.Is(err, errWrite) {
		t.Errorf("Mermaid: err = %v", err)
	}
	if err := c.DOT(failWriter{}, ExportOptions{}); !errors.Is(err, errWrite) {
		t.Errorf("DOT: err = %v", err)
	}
}
