package okr_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/okr"
)

// Progress is direction-aware and clamped; a baseline equal to the
// target is an error.
func ExampleKeyResult_Progress() {
	down := okr.KeyResult{ID: "cpc", Title: "Cost per conversion from 100 to 20 USD", From: 100, To: 20}
	p, _ := down.Progress(60)
	fmt.Println(p)
	flat := okr.KeyResult{ID: "flat", From: 5, To: 5}
	_, err := flat.Progress(5)
	fmt.Println(err)
	// Output:
	// 0.5
	// key result "flat": okr: baseline equals target (5): progress is undefined
}

func ExampleGrade() {
	for _, p := range []float64{0.25, 0.55, 0.72} {
		g, c := okr.Grade(p)
		fmt.Println(g, c)
	}
	// Output:
	// 0.3 red
	// 0.6 yellow
	// 0.7 green
}

func ExampleEvaluate() {
	cycle, _ := metric.Parse("2026-Q3")
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	s := &okr.Set{Cycle: cycle, Objectives: []okr.Objective{{
		ID: "cs", Title: "More engagement with new customers", Owner: "CS lead", Level: okr.Company,
		KeyResults: []okr.KeyResult{
			{ID: "open", Title: "Message open rate from 4% to 15%", From: 4, To: 15, Unit: "percent", CheckIns: []okr.CheckIn{
				{Date: day("2026-07-06"), Value: 4.5}, {Date: day("2026-07-13"), Value: 5.8}, {Date: day("2026-07-20"), Value: 7.1}}},
			{ID: "rating", Title: "Service rating at or above 9", Kind: okr.AtLeast, To: 9, CheckIns: []okr.CheckIn{{Date: day("2026-07-20"), Value: 9.2}}},
			{ID: "response", Title: "Response time from 5 h to 1 h", From: 5, To: 1, Unit: "hours", CheckIns: []okr.CheckIn{{Date: day("2026-07-20"), Value: 4}}},
		},
	}}}
	rep, err := okr.Evaluate(s, okr.Options{AsOf: day("2026-07-21")})
	if err != nil {
		fmt.Println(err)
		return
	}
	o := rep.Objectives[0]
	fmt.Printf("objective %.2f, grade %.1f %s, %s\n", o.Progress, o.Grade, o.Color, o.Status)
	for _, kr := range o.KeyResults {
		fmt.Printf("%s: %.2f %s\n", kr.ID, kr.Progress, kr.Status)
	}
	f := o.KeyResults[0].Forecast
	fmt.Printf("open rate forecast at %s: %.1f (P = %.2f)\n", f.At.Format(time.DateOnly), f.Value, f.Probability)
	// Output:
	// objective 0.51, grade 0.5 yellow, on track
	// open: 0.28 on track
	// rating: 1.00 on track
	// response: 0.25 on track
	// open rate forecast at 2026-10-01: 20.7 (P = 1.00)
}

// Load reports every problem with its line and column.
func ExampleLoad_error() {
	_, err := okr.Load(strings.NewReader(`kpiokr: "1"
cycle: 2026-Q3
objectives:
  - id: cs
    title: More engagement with new customers
    levl: team
`), "okrs.yaml")
	fmt.Println(err)
	// Output:
	// okrs.yaml:6:5: objectives[0]: unknown key "levl" (did you mean "level"?)
}

func ExampleSet_Save() {
	cycle, _ := metric.Parse("2026-Q3")
	s := &okr.Set{Cycle: cycle, Objectives: []okr.Objective{{ID: "cs", Title: "More engagement", Level: okr.Team, Parent: "company",
		KeyResults: []okr.KeyResult{{ID: "meet", Title: "Follow-up meetings from 7 to 21 a week", From: 7, To: 21, Metric: "meetings"}}}}}
	_ = s.Save(os.Stdout, okr.YAML)
	// Output:
	// kpiokr: "1"
	// cycle: 2026-Q3
	// objectives:
	//   - id: cs
	//     title: More engagement
	//     level: team
	//     parent: company
	//     key_results:
	//       - id: meet
	//         title: Follow-up meetings from 7 to 21 a week
	//         from: 7
	//         to: 21
	//         metric: meetings
}
