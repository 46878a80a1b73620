// Command webshop evaluates a web-shop KPI tree:
// revenue (KGI, 500M USD in 2027) = visitors x conversion rate x average
// order value. It loads model.yaml, generates nine months of actuals,
// and prints the monthly values, a quarterly rollup, every target's
// status as of September and a scorecard.
//
//	go run ./examples/webshop
package main

import (
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// modelPath finds model.yaml beside this file, wherever the command runs from.
func modelPath() string {
	_, file, _, ok := runtime.Caller(0)
	if ok {
		if p := filepath.Join(filepath.Dir(file), "model.yaml"); exists(p) {
			return p
		}
	}
	return filepath.Join("examples", "webshop", "model.yaml")
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// actuals generates January to September 2027: traffic grows, conversion
// climbs from 6% but lags its path to 8%, organic traffic trails.
func actuals() rollup.Data {
	d := rollup.Data{}
	jan := metric.Of(metric.Month, mustDate("2027-01"))
	for k := range 9 {
		p := jan.Add(k)
		f := float64(k)
		organic := 70000 + 2500*f
		paid := 150000 + 3000*f
		direct := 60000 + 1000*f
		visitors := organic + paid + direct
		conv := 0.060 + 0.0015*f + 0.001*math.Sin(f)
		set := func(id string, v float64) {
			if err := d.Set(id, p, v); err != nil {
				panic(err)
			}
		}
		set("organic_visits", organic)
		set("paid_visits", paid)
		set("direct_visits", direct)
		set("orders", math.Round(visitors*conv))
		set("avg_order_value", 1650+10*f)
		set("branded_search", 11500+300*f)
		set("bounce_rate", 0.33+0.002*f)
		set("site_structure", 4+f)
		set("new_pages", 10)
	}
	return d
}

func mustDate(s string) time.Time {
	p, err := metric.Parse(s)
	if err != nil {
		panic(err)
	}
	return p.Start()
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
	data := actuals()
	from, _ := metric.Parse("2027-01")
	to, _ := metric.Parse("2027-09")
	res, err := rollup.Evaluate(c, data, from, to, rollup.Options{Policy: rollup.Fail})
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "%s — %s\n\n", m.Name, m.Description)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\tvisitors\tconversion\tAOV (USD)\trevenue (USD)\t")
	for _, p := range res.Periods() {
		v, _ := res.Value("visitors", p)
		cr, _ := res.Value("conversion_rate", p)
		aov, _ := res.Value("avg_order_value", p)
		rev, _ := res.Value("revenue", p)
		fmt.Fprintf(tw, "%s\t%.0f\t%.2f%%\t%.0f\t%.0f\t\n", p, v, 100*cr, aov, rev)
	}
	tw.Flush()

	q1, _ := metric.Parse("2027-Q1")
	q3, _ := metric.Parse("2027-Q3")
	qr, err := rollup.Rollup(c, data, q1, q3, rollup.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nQuarterly (inputs summed, AOV averaged weighted by orders, conversion recomputed as orders / visitors; revenue adds up):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "quarter\tvisitors\torders\tconversion\trevenue (USD)\t")
	for _, p := range qr.Periods() {
		v, _ := qr.Value("visitors", p)
		o, _ := qr.Value("orders", p)
		cr, _ := qr.Value("conversion_rate", p)
		rev, _ := qr.Value("revenue", p)
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.2f%%\t%.0f\t\n", p, v, o, 100*cr, rev)
	}
	tw.Flush()

	fmt.Fprintf(w, "\nTargets as of %s:\n", to)
	prog, err := rollup.TrackAll(res, to, rollup.Thresholds{})
	if err != nil {
		return err
	}
	att := map[string]float64{}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\ttarget\tto date\texpected now\tprojected\tattainment\tpace\tstatus")
	for _, p := range prog {
		att[p.Metric] = p.Outlook // judge each target on where the year will end
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%s\t%.0f%%\t%.2f\t%s\n", p.Metric, num(p.Target.Value), p.Target.Period,
			num(p.ToDate), num(p.Expected), num(p.Projected), 100*p.Attainment, p.Pace, p.Status)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nScorecard (outlook attainment capped at 100%; a metric without a target is scored from its children):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\town\trolled up\tscore\tchildren")
	for _, s := range rollup.Scores(c, att, rollup.ScoreOptions{}) {
		if !s.OK {
			continue
		}
		own := "-"
		if s.HasOwn {
			own = fmt.Sprintf("%.1f%%", 100*s.Own)
		}
		rolled := "-"
		if s.HasRolled {
			rolled = fmt.Sprintf("%.1f%%", 100*s.Rolled)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f%%\t%v\n", s.Metric, own, rolled, 100*s.Score, s.Children)
	}
	tw.Flush()
	return nil
}

func num(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case a >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case a < 1:
		return fmt.Sprintf("%.2f%%", 100*v)
	}
	return fmt.Sprintf("%.0f", v)
}
