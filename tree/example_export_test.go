package tree_test

import (
	"fmt"
	"os"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// Export a small tree as a Mermaid flowchart, ready to paste into a
// ```mermaid block of a GitHub markdown file.
func ExampleCompiled_Mermaid() {
	m := &tree.Model{
		Metrics: []metric.Metric{
			{ID: "revenue", Kind: metric.KGI, Unit: "USD", Formula: "orders * avg_order_value"},
			{ID: "orders", Kind: metric.KPI, Unit: "count", Formula: "visitors * conversion_rate"},
			{ID: "visitors", Kind: metric.KPI, Unit: "count"},
			{ID: "conversion_rate", Kind: metric.KPI, Unit: "ratio"},
			{ID: "avg_order_value", Kind: metric.KPI, Unit: "USD"},
			{ID: "ad_spend", Name: "Ad spend", Kind: metric.KSF, Unit: "USD"},
		},
		Links: []tree.Link{{From: "ad_spend", To: "visitors", Sign: tree.SignPositive, Lag: 1}},
	}
	c, err := tree.Compile(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Mermaid(os.Stdout, tree.ExportOptions{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// flowchart BT
	//   m_revenue(["revenue<br/>KGI · USD"]):::kgi
	//   m_orders["orders<br/>KPI · count"]:::kpi
	//   m_visitors["visitors<br/>KPI · count"]:::kpi
	//   m_conversion_rate["conversion_rate<br/>KPI · ratio"]:::kpi
	//   m_avg_order_value["avg_order_value<br/>KPI · USD"]:::kpi
	//   m_ad_spend{{"Ad spend (ad_spend)<br/>KSF · USD"}}:::ksf
	//   m_orders --> m_revenue
	//   m_avg_order_value --> m_revenue
	//   m_visitors --> m_orders
	//   m_conversion_rate --> m_orders
	//   m_ad_spend ==>|"+ lag 1"| m_visitors
	//   classDef kgi fill:#fde68a,stroke:#b45309,stroke-width:2px
	//   classDef kpi fill:#bfdbfe,stroke:#1d4ed8
	//   classDef ksf fill:#bbf7d0,stroke:#15803d
}

// The same tree for Graphviz, left to right, without the causal links:
// pipe it to dot -Tsvg.
func ExampleCompiled_DOT() {
	m := &tree.Model{
		Name: "shop",
		Metrics: []metric.Metric{
			{ID: "revenue", Kind: metric.KGI, Unit: "USD", Formula: "revenue_eu + revenue_us"},
			{ID: "revenue_eu", Unit: "USD"},
			{ID: "revenue_us", Unit: "USD"},
		},
		Decompositions: []tree.Decomposition{{Parent: "revenue", Segments: []tree.Segment{{Metric: "revenue_eu"}, {Metric: "revenue_us"}}}},
	}
	c, err := tree.Compile(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.DOT(os.Stdout, tree.ExportOptions{Direction: "LR", OmitLinks: true}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// digraph "shop" {
	//   rankdir=LR;
	//   node [fontname="Helvetica", style=filled, fillcolor="#f3f4f6"];
	//   edge [fontname="Helvetica", fontsize=10];
	//   "revenue" [label="revenue\nKGI · USD", class="kgi", shape=box, style="rounded,filled,bold", fillcolor="#fde68a"];
	//   "revenue_eu" [label="revenue_eu\nUSD", shape=ellipse];
	//   "revenue_us" [label="revenue_us\nUSD", shape=ellipse];
	//   "revenue_eu" -> "revenue";
	//   "revenue_us" -> "revenue";
	//   "revenue_eu" -> "revenue" [class="part", style=dotted, arrowhead=odiamond, label="part of"];
	//   "revenue_us" -> "revenue" [class="part", style=dotted, arrowhead=odiamond, label="part of"];
	// }
}
