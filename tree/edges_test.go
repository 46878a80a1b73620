package tree

import (
	"fmt"
	"slices"
	"testing"

	"github.com/kpitree/kpitree/metric"
)

func TestEdges(t *testing.T) {
	m := webshop()
	m.Metrics = append(m.Metrics,
		metric.Metric{ID: "site", Kind: metric.KSF},
		metric.Metric{ID: "orders_eu"}, metric.Metric{ID: "orders_us"})
	m.Links = []Link{{From: "site", To: "conversion_rate", Sign: SignPositive, Lag: 1}}
	m.Decompositions = []Decomposition{{Parent: "orders", Segments: []Segment{{Metric: "orders_eu"}, {Metric: "orders_us"}}}}
	c, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for e := range c.Edges() {
		got = append(got, fmt.Sprintf("%s-%s->%s/%d", c.ID(e.Child), e.Kind, c.ID(e.Parent), e.Lag))
	}
	want := []string{
		"visitors-formula->revenue/0", "conversion_rate-formula->revenue/0", "avg_order_value-formula->revenue/0",
		"orders-formula->conversion_rate/0", "visitors-formula->conversion_rate/0", "site-link->conversion_rate/1",
		"orders_eu-part->orders/0", "orders_us-part->orders/0",
		"revenue-formula->margin/0", "cost-formula->margin/0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("edges:\n got %q\nwant %q", got, want)
	}
	id := func(s string) int { i, _ := c.Index(s); return i }
	names := func(is []int) []string {
		var out []string
		for _, i := range is {
			out = append(out, c.ID(i))
		}
		return out
	}
	if ch := names(c.Children(id("conversion_rate"))); !slices.Equal(ch, []string{"orders", "visitors", "site"}) {
		t.Errorf("children = %v", ch)
	}
	if p := names(c.Parents(id("visitors"))); !slices.Equal(p, []string{"revenue", "conversion_rate"}) {
		t.Errorf("parents = %v", p)
	}
	path := c.PathUp(id("orders_eu"), func(j int) bool { return c.Metric(j).Kind == metric.KGI })
	if p := names(path); !slices.Equal(p, []string{"orders_eu", "orders", "conversion_rate", "revenue"}) {
		t.Errorf("path = %v", p)
	}
	if c.PathUp(id("cost"), func(j int) bool { return c.Metric(j).Kind == metric.KGI }) != nil {
		t.Error("cost reaches a KGI only through margin, which is no KGI")
	}
}
