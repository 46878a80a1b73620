// Command saas evaluates a SaaS revenue model built on prev(): MRR and
// the customer count are stocks carried from month to month and moved by
// flows (new, expansion, churned and contraction MRR; new and churned
// customers). ARR = MRR x 12 is the KGI.
//
// It loads model.yaml, generates 24 months of actuals (2027-01 to
// 2028-12) and prints the monthly table, quarterly and yearly rollups
// (stocks carried, flows summed, rates recomputed: a quarter's churn rate
// is the quarter's churned customers over the customers at the end of the
// previous quarter), every target's status as of December 2028, and what
// the two missing-data policies do when one month of new MRR is lost,
// and, as a plan over 2028, the monthly new MRR that makes December's ARR
// reach its 2.4M target.
//
//	go run ./examples/saas
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
	return filepath.Join("examples", "saas", "model.yaml")
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// The evaluated range and the month whose new MRR goes missing in the demo.
const (
	firstMonth = "2027-01"
	lastMonth  = "2028-12"
	lostMonth  = "2027-06"
)

// actuals generates 24 months of billing data from a small simulation:
// new customers grow, monthly churn falls from about 2.4% to 1.7%,
// expansion runs at about 1.2% of MRR and contraction at 0.4%. It starts
// from the model's initial stocks (500 customers, 50,000 USD MRR), so
// the flows are consistent with the stocks the model recomputes.
func actuals(months int) (rollup.Data, error) {
	d := rollup.Data{}
	first, err := metric.Parse(firstMonth)
	if err != nil {
		return nil, err
	}
	cust, mrr := 500.0, 50000.0
	for k := range months {
		p := first.Add(k)
		f := float64(k)
		newCust := math.Round(45 + 1.8*f + 4*math.Sin(f))
		churned := math.Round(cust * (0.024 - 0.0003*f + 0.002*math.Sin(1.3*f)))
		newMRR := math.Round(newCust * (110 + 1.5*f))
		expansion := math.Round(mrr * (0.012 + 0.001*math.Sin(f)))
		contraction := math.Round(mrr * 0.004)
		churnedMRR := math.Round(churned * mrr / cust * 0.9) // smaller accounts churn more
		vals := []struct {
			id string
			v  float64
		}{
			{"new_customers", newCust}, {"churned_customers", churned},
			{"new_mrr", newMRR}, {"expansion_mrr", expansion},
			{"churned_mrr", churnedMRR}, {"contraction_mrr", contraction},
			{"onboarding_calls", math.Round(newCust * (0.6 + 0.015*f))},
		}
		for _, x := range vals {
			if err := d.Set(x.id, p, x.v); err != nil {
				return nil, err
			}
		}
		cust += newCust - churned
		mrr += newMRR + expansion - churnedMRR - contraction
	}
	return d, nil
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
	data, err := actuals(24)
	if err != nil {
		return err
	}
	from, _ := metric.Parse(firstMonth)
	to, _ := metric.Parse(lastMonth)
	res, err := rollup.Evaluate(c, data, from, to, rollup.Options{Policy: rollup.Fail})
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "%s — %s\n\n", m.Name, m.Description)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\tnew\tchurned\tcustomers\tchurn\tnew MRR\texpansion\tchurned MRR\tcontraction\tMRR\tARPA\tNRR\tARR\t")
	for _, p := range res.Periods() {
		v := values(res, p)
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.2f%%\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f\t%.2f%%\t%.0f\t\n", p,
			v["new_customers"], v["churned_customers"], v["customers"], 100*v["churn_rate"],
			v["new_mrr"], v["expansion_mrr"], v["churned_mrr"], v["contraction_mrr"], v["mrr"], v["arpa"],
			100*v["net_revenue_retention"], v["arr"])
	}
	tw.Flush()

	if err := printRollup(w, c, data, "2027-Q1", "2028-Q4", "Quarterly"); err != nil {
		return err
	}
	if err := printRollup(w, c, data, "2027", "2028", "Yearly"); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nTargets as of %s:\n", to)
	prog, err := rollup.TrackAll(res, to, rollup.Thresholds{})
	if err != nil {
		return err
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tdirection\ttarget\tperiod\tactual\tattainment\tstatus\tnote")
	for _, p := range prog {
		dir := c.Model().Metric(p.Metric).Direction
		actual, att := num(p.ToDate), fmt.Sprintf("%.1f%%", 100*p.Attainment)
		if p.Status == rollup.NoData {
			actual, att = "-", "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Metric, dir, num(p.Target.Value), p.Target.Period,
			actual, att, p.Status, note(p))
	}
	tw.Flush()

	if err := missingDemo(w, c, data, from, to); err != nil {
		return err
	}
	return planDemo(w, c, data)
}

// planDemo asks what monthly new MRR over 2028 makes December 2028's ARR
// reach the 2.4M target, keeping the monthly shape of new MRR, and what
// flat monthly amount would do it.
func planDemo(w io.Writer, c *tree.Compiled, data rollup.Data) error {
	from, _ := metric.Parse("2028-01")
	to, _ := metric.Parse(lastMonth)
	plan := rollup.Plan{Compiled: c, Base: data, From: from, To: to}
	goal := rollup.Goal{Metric: "arr", Value: 2400000, Period: to}
	res, err := plan.GoalSeek(goal, rollup.PlanLever{Input: "new_mrr"}, rollup.SeekOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nPlan: ARR in %s is %.0f; to reach %.0f, new MRR over 2028 must be %.2f times its actual values (%s %.0f, %s %.0f).\n",
		to, res.Before, res.Reached, res.Scale, res.Lever[0].Period, res.Lever[0].Value, res.Lever[11].Period, res.Lever[11].Value)
	flat := make([]float64, 12)
	for i := range flat {
		flat[i] = 1
	}
	res, err = plan.GoalSeek(goal, rollup.PlanLever{Input: "new_mrr", Profile: flat}, rollup.SeekOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Or a flat %.0f USD of new MRR every month of 2028.\n", res.Scale)
	return nil
}

// values reads every metric of r in period p (NaN where not usable).
func values(r *rollup.Result, p metric.Period) map[string]float64 {
	out := map[string]float64{}
	for cell, v := range r.All() {
		if cell.Period == p {
			out[cell.Metric] = v
		}
	}
	return out
}

// printRollup rolls the months up to quarters or years and shows that
// the churn rate is recomputed, not averaged.
func printRollup(w io.Writer, c *tree.Compiled, data rollup.Data, fromS, toS, title string) error {
	from, err := metric.Parse(fromS)
	if err != nil {
		return err
	}
	to, err := metric.Parse(toS)
	if err != nil {
		return err
	}
	r, err := rollup.Rollup(c, data, from, to, rollup.Options{Policy: rollup.Fail})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s (MRR and customers carried over, flows summed, rates recomputed):\n", title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "period\tnew\tchurned\topening\tcustomers\tchurn rate\t= churned / opening\tMRR\tARR\t")
	opening := *c.Model().Metric("customers").Initial
	for _, p := range r.Periods() {
		v := values(r, p)
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f%%\t%.0f / %.0f = %.2f%%\t%.0f\t%.0f\t\n", p,
			v["new_customers"], v["churned_customers"], opening, v["customers"], 100*v["churn_rate"],
			v["churned_customers"], opening, 100*v["churned_customers"]/opening, v["mrr"], v["arr"])
		opening = v["customers"]
	}
	return tw.Flush()
}

// missingDemo drops one month of new MRR and compares the policies.
func missingDemo(w io.Writer, c *tree.Compiled, data rollup.Data, from, to metric.Period) error {
	lost, _ := metric.Parse(lostMonth)
	gap := rollup.Data{}
	for id, s := range data {
		gap[id] = s.Clone()
	}
	lostValue, _ := gap["new_mrr"].Get(lost)
	gap["new_mrr"].Delete(lost)

	fmt.Fprintf(w, "\nMissing data: new_mrr for %s (%.0f USD) removed from the data.\n", lost, lostValue)
	prop, err := rollup.Evaluate(c, gap, from, to, rollup.Options{Policy: rollup.Propagate})
	if err != nil {
		return err
	}
	zero, err := rollup.Evaluate(c, gap, from, to, rollup.Options{Policy: rollup.Zero})
	if err != nil {
		return err
	}
	full, err := rollup.Evaluate(c, data, from, to, rollup.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nPropagate (the default) reports:")
	for _, is := range prop.Issues() {
		fmt.Fprintf(w, "  issue: %s\n", is)
	}
	fmt.Fprintf(w, "  why arr %s is %s: %s\n", to, prop.State("arr", to), prop.Why("arr", to))
	fmt.Fprintf(w, "  why churn_rate %s is %s: customers do not depend on new_mrr\n", to, prop.State("churn_rate", to))
	fmt.Fprintln(w, "\nZero fills the gap with 0, still records the issue, and marks what it touched:")
	for _, is := range zero.Issues() {
		fmt.Fprintf(w, "  issue: %s\n", is)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\tMRR (all data)\tpropagate\tstate\tzero\tstate\tzero understates by\t")
	for _, p := range []metric.Period{lost.Prev(), lost, lost.Next(), to} {
		a, _ := full.Value("mrr", p)
		b, _ := prop.Value("mrr", p)
		z, _ := zero.Value("mrr", p)
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%s\t%.0f\t%s\t%.0f\t\n", p, a, b, prop.State("mrr", p), z, zero.State("mrr", p), a-z)
	}
	return tw.Flush()
}

func num(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case a >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case a < 2:
		return fmt.Sprintf("%.2f%%", 100*v)
	}
	return fmt.Sprintf("%.0f", v)
}

// note is the target's note, or why its status could not be computed.
func note(p rollup.Progress) string {
	if p.Status == rollup.NoData {
		return p.Note
	}
	return p.Target.Note
}
