// Command whatif asks the web-shop KPI tree (examples/webshop/model.yaml)
// the questions a planner asks: what if paid traffic grows, how many
// visitors does the revenue goal need, what must every KPI reach for the
// KGI, which input matters most, how likely is the monthly target under
// uncertainty, and why did revenue change between January and September.
//
//	go run ./examples/whatif
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"runtime"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func modelPath() string {
	if _, file, _, ok := runtime.Caller(0); ok {
		p := filepath.Join(filepath.Dir(file), "..", "webshop", "model.yaml")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join("examples", "webshop", "model.yaml")
}

// actuals are nine months of the web shop, as in examples/webshop.
func actuals(from metric.Period) rollup.Data {
	d := rollup.Data{}
	for k := range 9 {
		p := from.Add(k)
		f := float64(k)
		organic, paid, direct := 70000+2500*f, 150000+3000*f, 60000+1000*f
		conv := 0.060 + 0.0015*f + 0.001*math.Sin(f)
		for _, o := range []struct {
			id string
			v  float64
		}{
			{"organic_visits", organic}, {"paid_visits", paid}, {"direct_visits", direct},
			{"orders", math.Round((organic + paid + direct) * conv)}, {"avg_order_value", 1650 + 10*f},
			{"branded_search", 11500 + 300*f}, {"bounce_rate", 0.33 + 0.002*f}, {"site_structure", 4 + f}, {"new_pages", 10},
		} {
			if err := d.Set(o.id, p, o.v); err != nil {
				panic(err)
			}
		}
	}
	return d
}

func run(w io.Writer) error {
	m, err := tree.LoadFile(modelPath())
	if err != nil {
		return err
	}
	c, err := tree.Compile(m)
	if err != nil {
		return err
	}
	jan, _ := metric.Parse("2027-01")
	sep := jan.Add(8)
	data := actuals(jan)

	// 1. Scenarios side by side. conversion_rate is a driver: measured
	// as orders / visitors, held at its measured value in what-if, with
	// orders following traffic. So more traffic brings more orders, and
	// a better checkout raises the conversion itself.
	fmt.Fprintln(w, "1. Scenarios for Q3 revenue (USD)")
	q3 := rollup.Span{From: jan.Add(6), To: sep}
	traffic := rollup.NewScenario("paid +10%", nil).Scale("paid_visits", 10, q3)
	checkout := rollup.NewScenario("checkout", nil).Scale("conversion_rate", 10, q3)
	bundles := rollup.NewScenario("+ bundles", checkout).Add("avg_order_value", 60, q3)
	cmp, err := rollup.Compare(c, data, []*rollup.Scenario{traffic, checkout, bundles}, jan.Add(6), sep, rollup.Options{})
	if err != nil {
		return err
	}
	for d := range cmp.All() {
		if d.Metric == "revenue" {
			fmt.Fprintf(w, "   %s %-11s %12.0f -> %12.0f  %+6.1f%%\n", d.Period, d.Scenario, d.Base, d.Value, 100*d.Rel)
		}
	}

	// 2. Goal seek: the paid traffic September would need for revenue of
	// 45M (to catch up on the 500M year), new visitors converting like
	// today's.
	s, err := rollup.NewSession(c, data, sep, rollup.Options{})
	if err != nil {
		return err
	}
	goal := 45e6
	fmt.Fprintf(w, "\n2. Goal seek: revenue %.2fM in %s\n", goal/1e6, sep)
	conv, _ := s.Value("conversion_rate")
	seek, err := s.GoalSeek("revenue", goal, "paid_visits", rollup.SeekOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   conversion held at %.2f%%: paid visits %.0f -> %.0f (%v)\n", 100*conv, seek.Start, seek.Value, seek.Method)
	_, err = s.GoalSeek("revenue", goal, "paid_visits", rollup.SeekOptions{Lo: 0, Hi: 180000})
	fmt.Fprintf(w, "   with paid visits capped at 180k: %v\n", err)

	// 3. Work backwards from the KGI.
	fmt.Fprintf(w, "\n3. Cascade: what every KPI must reach for revenue %.1fM in %s\n", goal/1e6, sep)
	ts, err := s.Cascade("revenue", goal, rollup.CascadeOptions{})
	if err != nil {
		return err
	}
	for _, t := range ts {
		fmt.Fprintf(w, "   %-16s %12.4g -> %12.4g\n", t.Metric, t.Current, t.Target.Value)
	}

	// 4. Which input matters most?
	fmt.Fprintln(w, "\n4. Tornado: revenue when each input moves ±10%")
	tor, err := s.Tornado("revenue", rollup.TornadoOptions{Pct: 10})
	if err != nil {
		return err
	}
	for _, b := range tor.Bars {
		if b.Swing > 1e-9*math.Abs(b.AtHigh) {
			fmt.Fprintf(w, "   %d %-16s %12.0f .. %12.0f  swing %11.0f\n", b.Rank, b.Input, b.AtLow, b.AtHigh, b.Swing)
		}
	}

	// 5. Monte Carlo: how likely is October's revenue target?
	oct := sep.Add(1)
	must := func(d rollup.Distribution, err error) rollup.Distribution {
		if err != nil {
			panic(err)
		}
		return d
	}
	next := rollup.Data{} // October starts from September's values
	for i := range c.Inputs() {
		if v, ok := data.Value(c.ID(i), sep); ok {
			next.Set(c.ID(i), oct, v)
		}
	}
	sim := rollup.Simulation{
		Draws: 20000, Seed: 2027,
		Inputs: []rollup.Uncertain{
			{Metric: "paid_visits", Dist: must(rollup.PERT(160000, 180000, 210000))},
			{Metric: "organic_visits", Dist: must(rollup.Normal(92000, 6000))},
			{Metric: "conversion_rate", Dist: must(rollup.Normal(0.073, 0.004))},
			{Metric: "avg_order_value", Dist: must(rollup.Triangular(1650, 1740, 1800))},
		},
		Correlations: []rollup.Correlation{{A: "paid_visits", B: "conversion_rate", Rho: -0.3}},
		Outputs:      []string{"revenue", "orders"},
		Targets:      map[string]metric.Target{"revenue": {Period: oct, Value: goal}},
	}
	res, err := sim.Run(context.Background(), c, next, oct)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n5. Monte Carlo, %s, %d draws:\n", oct, sim.Draws)
	for _, sm := range res.Summaries() {
		fmt.Fprintf(w, "   %-16s mean %12.4g  P5 %12.4g  P50 %12.4g  P95 %12.4g", sm.Metric, sm.Mean, sm.P5, sm.P50, sm.P95)
		if sm.HasTarget {
			fmt.Fprintf(w, "  P(>= %.4g) = %.3f ± %.3f", sm.Target.Value, sm.PMeet, sm.PMeetSE)
		}
		fmt.Fprintln(w)
	}

	// 6. Why did revenue change from January to September?
	r, err := rollup.Evaluate(c, data, jan, sep, rollup.Options{})
	if err != nil {
		return err
	}
	s0, _ := rollup.SessionAt(r, jan)
	s1, _ := rollup.SessionAt(r, sep)
	a, err := rollup.Attribute(s0, s1, "revenue", rollup.AttributeOptions{Chain: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n6. Revenue %s -> %s: %.1fM -> %.1fM (%+.1fM), down to the inputs:\n", jan, sep, a.From/1e6, a.To/1e6, a.Change/1e6)
	sum := 0.0
	for _, ct := range a.Contributions {
		sum += ct.Value
		fmt.Fprintf(w, "   %+8.2fM %v\n", ct.Value/1e6, ct.Path)
	}
	fmt.Fprintf(w, "   contributions add up to %+.2fM\n", sum/1e6)
	return nil
}
