// Command checks runs kpitree's checks on the web-shop KPI tree with 48
// months of generated history (January 2024 to December 2027) and prints
// the findings grouped by severity.
//
// The history is generated so that the checks have something to find:
//
//   - site_structure raises conversion one month later and new_pages
//     raise organic visits two months later, as the model declares;
//     branded search drives direct visits in the same month;
//
//   - bounce_rate rises with conversion, contradicting the declared
//     negative link;
//
//   - orders are split by device, and the mobile segment includes tablet
//     orders, which are also a segment of their own: double counting;
//
//   - in 2027 every KPI meets its target while revenue misses 500M USD,
//     because nobody set a target for the average order value.
//
//     go run ./examples/checks
package main

import (
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// modelPath finds the web-shop model beside this file, wherever the
// command runs from.
func modelPath() string {
	if _, file, _, ok := runtime.Caller(0); ok {
		p := filepath.Join(filepath.Dir(file), "..", "webshop", "model.yaml")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join("examples", "webshop", "model.yaml")
}

// addDeviceSplit splits orders by device, with a mobile segment that
// also takes in tablets.
func addDeviceSplit(m *tree.Model) {
	for _, id := range []string{"orders_desktop", "orders_mobile", "orders_tablet"} {
		m.Metrics = append(m.Metrics, metric.Metric{ID: id, Name: "Orders (" + id[len("orders_"):] + ")",
			Kind: metric.KPI, Unit: "count", Owner: "Operations", Frequency: metric.Month, Source: "order system"})
	}
	m.Dimensions = append(m.Dimensions, tree.Dimension{Name: "device", Values: []string{"desktop", "mobile", "tablet"}})
	m.Decompositions = append(m.Decompositions, tree.Decomposition{Parent: "orders", Segments: []tree.Segment{
		{Metric: "orders_desktop", Where: []tree.Condition{{Dimension: "device", In: []string{"desktop"}}}},
		{Metric: "orders_mobile", Where: []tree.Condition{{Dimension: "device", In: []string{"mobile", "tablet"}}}},
		{Metric: "orders_tablet", Where: []tree.Condition{{Dimension: "device", In: []string{"tablet"}}}},
	}})
}

// history generates 48 months of inputs from a fixed seed.
func history(first metric.Period) (rollup.Data, error) {
	rng := rand.New(rand.NewPCG(2024, 48))
	const n = 48
	site := make([]float64, n)
	pages := make([]float64, n)
	conv := make([]float64, n)
	d := rollup.Data{}
	for t := range n {
		p := first.Add(t)
		year := float64(t / 12)
		site[t] = math.Round(4 + year + 4*rng.Float64())
		pages[t] = math.Round(5 + 10*rng.Float64())
		prevSite := 6.0
		if t >= 1 {
			prevSite = site[t-1]
		}
		prevPages := 10.0
		if t >= 2 {
			prevPages = pages[t-2]
		}
		conv[t] = 0.05 + 0.004*prevSite + 0.001*rng.NormFloat64()
		organic := 45000 + 5000*year + 2500*prevPages + 1500*rng.NormFloat64()
		paid := 160000 + 1000*year + 5000*rng.NormFloat64()
		branded := 6500 + 800*year + 600*rng.NormFloat64()
		direct := 25000 + 4*branded + 1500*rng.NormFloat64()
		visitors := organic + paid + direct
		orders := math.Round(visitors * conv[t])
		desktop := math.Round(orders * (0.5 + 0.02*rng.NormFloat64()))
		tablet := math.Round(orders * 0.1)
		mobile := orders - desktop // includes the tablet orders
		vals := map[string]float64{
			"organic_visits": organic, "paid_visits": paid, "direct_visits": direct,
			"branded_search": branded, "orders": orders,
			"avg_order_value": 1500 + 40*rng.NormFloat64(),
			"bounce_rate":     0.30 + 0.8*(conv[t]-0.07) + 0.002*rng.NormFloat64(),
			"site_structure":  site[t], "new_pages": pages[t],
			"orders_desktop": desktop, "orders_mobile": mobile, "orders_tablet": tablet,
		}
		for id, v := range vals {
			if err := d.Set(id, p, v); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

func run(w io.Writer) error {
	m, err := tree.LoadFile(modelPath())
	if err != nil {
		return err
	}
	addDeviceSplit(m)
	c, err := tree.Compile(m)
	if err != nil {
		return err
	}
	first, err := metric.Parse("2024-01")
	if err != nil {
		return err
	}
	data, err := history(first)
	if err != nil {
		return err
	}
	res, err := rollup.Evaluate(c, data, first, first.Add(47), rollup.Options{})
	if err != nil {
		return err
	}
	fs, err := check.Run(c, res, check.Options{SuggestLinks: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d findings over %s..%s\n", m.Name, len(fs), first, first.Add(47))
	for _, sev := range []check.Severity{check.Error, check.Warning, check.Info} {
		var group check.Findings
		for _, f := range fs {
			if f.Severity == sev {
				group = append(group, f)
			}
		}
		if len(group) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d)\n", sev, len(group))
		for _, f := range group {
			fmt.Fprintf(w, "  %-32s %s\n", f.Rule, f.Message)
		}
	}
	return nil
}
