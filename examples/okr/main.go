// Command okr builds a set of OKRs — product, marketing, sales and
// customer success, aligned to a company objective — checks them in weekly
// over 2026-Q3 with deterministic values, binds the customer-success
// meetings key result to a KPI of a small tree, and prints progress,
// grades, statuses, forecasts and findings. It then loads the web-shop
// tree, generates actuals in which the conversion rate lags its 8% target,
// and drafts a recovery OKR from the tree.
//
//	go run ./examples/okr
package main

import (
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/okr"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	cycle, err := metric.Parse("2026-Q3")
	if err != nil {
		return err
	}
	set := domainOKRs(cycle)
	checkIn(set, cycle)

	// The customer-success KPI tree, evaluated weekly.
	cs, data, err := csTree(cycle)
	if err != nil {
		return err
	}
	for _, asOf := range []time.Time{date("2026-08-24"), cycle.End()} {
		rep, err := okr.Evaluate(set, okr.Options{AsOf: asOf, Data: data})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "== OKRs as of %s (%.0f%% of %s gone)\n\n", asOf.Format(time.DateOnly), 100*cycle.Elapsed(asOf), cycle)
		printReport(w, set, rep)
		if asOf.Equal(cycle.End()) {
			fmt.Fprintln(w, "\nFindings:")
			for _, f := range rep.Findings {
				fmt.Fprintln(w, "  "+f.String())
			}
		}
		fmt.Fprintln(w)
	}
	_ = cs

	// A lagging KPI of the web shop calls for a recovery OKR.
	fmt.Fprintln(w, "== Recovery OKR drafted from the web-shop tree (as of 2027-09)")
	return recovery(w)
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// domainOKRs are the example OKRs (product, marketing, sales, customer
// success) with their key results,
// aligned to a company objective, plus one person's objective
// aligned to the customer-success meetings key result.
func domainOKRs(cycle metric.Period) *okr.Set {
	return &okr.Set{Name: "Q3 OKRs", Cycle: cycle, Objectives: []okr.Objective{
		{ID: "company", Title: "Become the product customers recommend", Owner: "CEO", Level: okr.Company,
			KeyResults: []okr.KeyResult{
				{ID: "nps", Title: "NPS from 40 to 70", From: 40, To: 70, Unit: "points"},
				{ID: "churn", Title: "Monthly churn from 8% to 5%", From: 8, To: 5, Unit: "percent"},
				{ID: "arpu", Title: "ARPU from 1,200 to 1,500 USD", From: 1200, To: 1500, Unit: "USD"},
			}},
		{ID: "product", Title: "Increase in-product engagement", Owner: "Head of product", Level: okr.Team, Parent: "company",
			KeyResults: []okr.KeyResult{
				{ID: "session", Title: "Average session from 10 to 25 minutes", From: 10, To: 25, Unit: "minutes"},
				{ID: "ideas", Title: "Analyse competitors' offers and ship the top 3 ideas", Kind: okr.Milestone,
					Milestones: []okr.Step{{Title: "competitor analysis"}, {Title: "idea 1"}, {Title: "idea 2"}, {Title: "idea 3"}}},
				{ID: "daily_activity", Title: "Average daily activity per user up to 12%", From: 7, To: 12, Unit: "percent"},
			},
			Initiatives: []okr.Initiative{{Title: "Redesign onboarding tour", Owner: "Design"}}},
		{ID: "marketing", Title: "Use word of mouth to build credibility", Owner: "Head of marketing", Level: okr.Team, Parent: "nps",
			Aspirational: true,
			KeyResults: []okr.KeyResult{
				{ID: "review_views", Title: "At least 15,000 views of the reviews page", From: 0, To: 15000, Unit: "views"},
				{ID: "ctr", Title: "Average click-through up to 20%", From: 12, To: 20, Unit: "percent"},
				{ID: "linkedin", Title: "LinkedIn shares from 30 to 1,000", From: 30, To: 1000, Unit: "count"},
				{ID: "cost_per_conversion", Title: "Cost per conversion from 100 to 20 USD", From: 100, To: 20, Unit: "USD"},
			},
			Initiatives: []okr.Initiative{{Title: "Customer review campaign", Owner: "Content team"}}},
		{ID: "sales", Title: "Personalise the approach and nurture new leads", Owner: "Head of sales", Level: okr.Team, Parent: "arpu",
			KeyResults: []okr.KeyResult{
				{ID: "touchpoints", Title: "Touchpoints per lead from 3 to 6", From: 3, To: 6, Unit: "count"},
				{ID: "open_rate", Title: "Follow-up e-mail open rate from 14% to 45%", From: 14, To: 45, Unit: "percent"},
				{ID: "satisfaction", Title: "Average satisfaction of 8/10 with at least 100 answers", Kind: okr.AtLeast, To: 8, Unit: "points"},
			},
			Initiatives: []okr.Initiative{{Title: "Nurture e-mail sequences", Owner: "Sales ops"}}},
		{ID: "cs", Title: "More engagement with new customers", Owner: "Head of customer success", Level: okr.Team, Parent: "churn",
			KeyResults: []okr.KeyResult{
				{ID: "msg_open", Title: "In-product message open rate from 4% to 15%", From: 4, To: 15, Unit: "percent"},
				{ID: "cs_meetings", Title: "Follow-up meetings from 7 to 21 a week", From: 7, To: 21, Unit: "count", Metric: "meetings"},
				{ID: "service_rating", Title: "Service rating of 9/10", Kind: okr.AtLeast, To: 9, Unit: "points"},
				{ID: "response_time", Title: "Average response time from 5 h to 1 h", From: 5, To: 1, Unit: "hours"},
			},
			Initiatives: []okr.Initiative{{Title: "Onboarding call programme", Owner: "CS team"}}},
		{ID: "alex", Title: "Own the onboarding calls", Owner: "Alex", Level: okr.Person, Parent: "cs_meetings",
			KeyResults: []okr.KeyResult{
				{ID: "alex_calls", Title: "Booked calls from 3 to 10 a week", From: 3, To: 10, Unit: "count"},
				{ID: "alex_show", Title: "Show rate from 50% to 70%", From: 50, To: 70, Unit: "percent"},
				{ID: "alex_notes", Title: "Hold a review of every call note", Kind: okr.Binary},
			}},
	}}
}

// pace gives each key result a share of its planned path reached by the
// end of the quarter (1 = on plan); wiggle adds deterministic noise.
var pace = map[string]float64{
	"nps": 0.8, "churn": 1.05, "arpu": 0.9, "session": 1.1, "daily_activity": 0.75,
	"review_views": 0.65, "ctr": 0.9, "linkedin": 0.55, "cost_per_conversion": 0.85,
	"touchpoints": 1.0, "open_rate": 0.6, "msg_open": 0.95, "response_time": 0.7,
	"alex_calls": 1.0, "alex_show": 0.8,
}

// checkIn records thirteen weekly check-ins, Monday 6 July to 28 September.
func checkIn(s *okr.Set, cycle metric.Period) {
	for oi := range s.Objectives {
		o := &s.Objectives[oi]
		for ki := range o.KeyResults {
			kr := &o.KeyResults[ki]
			for k := range 13 {
				d := date("2026-07-06").AddDate(0, 0, 7*k)
				f := cycle.Elapsed(d)
				var v float64
				switch kr.Kind {
				case okr.Measured:
					p, ok := pace[kr.ID]
					if !ok {
						continue
					}
					v = kr.From + (kr.To-kr.From)*p*f*(1+0.04*math.Sin(float64(3*k+ki)))
				case okr.AtLeast:
					v = kr.To - 0.6 + 0.1*float64(k%4) + 0.05*float64(k)
				default:
					continue
				}
				conf := math.Round(100*math.Min(0.9, 0.4+0.5*pace[kr.ID]*(1-f/3))) / 100
				if kr.Kind == okr.AtLeast {
					conf = 0.7
				}
				kr.CheckIns = append(kr.CheckIns, okr.CheckIn{Date: d, Value: math.Round(v*100) / 100, Confidence: &conf})
			}
		}
	}
	// Milestones and the binary key result.
	p := s.Objective("product")
	p.KeyResults[1].Milestones[0].Done = true
	p.KeyResults[1].Milestones[1].Done = true
	s.Objective("alex").KeyResults[2].Done = true
}

// csTree is a small weekly KPI tree: activated customers (KGI) =
// meetings × activation rate; meetings = booked calls × show rate; the
// meetings KPI has a target of 21 a week in 2026-Q3.
func csTree(cycle metric.Period) (*tree.Compiled, *rollup.Result, error) {
	m := &tree.Model{Name: "Customer success", Grain: metric.Week, Metrics: []metric.Metric{
		{ID: "activated", Name: "Activated new customers", Kind: metric.KGI, Unit: "count", Formula: "meetings * activation_rate", Additive: true, Owner: "Head of customer success"},
		{ID: "meetings", Name: "Follow-up meetings held", Kind: metric.KPI, Unit: "count", Formula: "booked_calls * show_rate", Additive: true, Owner: "CS team",
			Targets: []metric.Target{{Period: cycle, Value: 21}}},
		{ID: "booked_calls", Kind: metric.KPI, Unit: "count", Owner: "CS reps"},
		{ID: "show_rate", Kind: metric.KPI, Unit: "ratio", Aggregation: metric.Mean, Weight: "booked_calls", Owner: "CS reps"},
		{ID: "activation_rate", Kind: metric.KPI, Unit: "ratio", Aggregation: metric.Mean, Weight: "meetings", Owner: "Product"},
		{ID: "reminders", Name: "Meeting reminders sent", Kind: metric.KSF, Unit: "count", Owner: "CS ops"},
	}, Links: []tree.Link{{From: "reminders", To: "show_rate", Sign: tree.SignPositive}}}
	c, err := tree.Compile(m)
	if err != nil {
		return nil, nil, err
	}
	data := rollup.Data{}
	first := metric.Of(metric.Week, cycle.Start())
	last := metric.Of(metric.Week, cycle.End().AddDate(0, 0, -1))
	for p := range metric.Range(first, last) {
		k := float64(p.Sub(first))
		for id, v := range map[string]float64{
			"booked_calls":    12 + 1.2*k + math.Sin(k),
			"show_rate":       0.6 + 0.01*k,
			"activation_rate": 0.3,
			"reminders":       20 + 2*k,
		} {
			if err := data.Set(id, p, v); err != nil {
				return nil, nil, err
			}
		}
	}
	res, err := rollup.Evaluate(c, data, first, last, rollup.Options{})
	return c, res, err
}

func printReport(w io.Writer, s *okr.Set, rep *okr.Report) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "objective / key result\tcurrent\tprogress\tgrade\tstatus\tforecast\tP(target)\t")
	for _, or := range rep.Objectives {
		o := s.Objective(or.ID)
		kind := "committed"
		if o.Aspirational {
			kind = "aspirational"
		}
		fmt.Fprintf(tw, "%s (%s, %s)\t\t%.2f\t%.1f %s\t%s\t\t\t\n", o.Title, o.Level, kind, or.Progress, or.Grade, or.Color, or.Status)
		for i, kr := range or.KeyResults {
			fc, pr := "", ""
			if kr.Forecast != nil {
				fc = fmt.Sprintf("%.4g", kr.Forecast.Value)
				pr = fmt.Sprintf("%.0f%%", 100*kr.Forecast.Probability)
			}
			cur := ""
			if !math.IsNaN(kr.Current) {
				cur = fmt.Sprintf("%.4g", kr.Current)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%.2f\t\t%s\t%s\t%s\t\n", trim(o.KeyResults[i].Title, 52), cur, kr.Progress, kr.Status, fc, pr)
		}
		if or.Rolled != or.Progress && !math.IsNaN(or.Rolled) {
			fmt.Fprintf(tw, "  rolled up with aligned objectives\t\t%.2f\t\t\t\t\t\n", or.Rolled)
		}
	}
	tw.Flush()
}

func trim(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// webshopPath finds examples/webshop/model.yaml beside this example.
func webshopPath() string {
	if _, file, _, ok := runtime.Caller(0); ok {
		p := filepath.Join(filepath.Dir(file), "..", "webshop", "model.yaml")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join("examples", "webshop", "model.yaml")
}

// recovery generates January–September 2027 for the web shop with the
// conversion rate stuck near 6.2% against a path from 6% to 8%, and
// drafts the recovery OKR.
func recovery(w io.Writer) error {
	m, err := tree.LoadFile(webshopPath())
	if err != nil {
		return err
	}
	c, err := tree.Compile(m)
	if err != nil {
		return err
	}
	d := rollup.Data{}
	jan, _ := metric.Parse("2027-01")
	for k := range 9 {
		p, f := jan.Add(k), float64(k)
		organic, paid, direct := 90000+2500*f, 150000+3000*f, 60000+1000*f
		conv := 0.060 + 0.0003*f + 0.0005*math.Sin(f)
		for id, v := range map[string]float64{
			"organic_visits": organic, "paid_visits": paid, "direct_visits": direct,
			"orders": math.Round((organic + paid + direct) * conv), "avg_order_value": 1650 + 10*f,
			"branded_search": 11500 + 300*f, "bounce_rate": 0.33 + 0.002*f, "site_structure": 4 + f, "new_pages": 10,
		} {
			if err := d.Set(id, p, v); err != nil {
				return err
			}
		}
	}
	sep := jan.Add(8)
	res, err := rollup.Evaluate(c, d, jan, sep, rollup.Options{})
	if err != nil {
		return err
	}
	drafts, findings, err := okr.DraftRecovery(res, sep, okr.RecoveryOptions{})
	if err != nil {
		return err
	}
	for _, f := range findings {
		fmt.Fprintln(w, "  "+f.String())
	}
	for _, dr := range drafts {
		fmt.Fprintln(w)
		fmt.Fprint(w, indent(dr.String()))
		for _, kr := range dr.Objective.KeyResults {
			v, _ := res.Value(kr.Metric, sep)
			fmt.Fprintf(w, "    %s now %.4g in %s\n", kr.Metric, v, sep)
		}
		for _, n := range dr.Notes {
			fmt.Fprintln(w, "    note: "+n)
		}
	}
	return nil
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}
