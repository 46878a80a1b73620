package metric_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kpitree/kpitree/metric"
)

func ExampleParse() {
	for _, s := range []string{"2026-07-14", "2026-W29", "2026-07", "2026-Q3", "2026"} {
		p, err := metric.Parse(s)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-10s %-7s %s .. %s (%d days)\n", p, p.Grain(),
			p.Start().Format(time.DateOnly), p.End().AddDate(0, 0, -1).Format(time.DateOnly), p.Days())
	}
	// Output:
	// 2026-07-14 day     2026-07-14 .. 2026-07-14 (1 days)
	// 2026-W29   week    2026-07-13 .. 2026-07-19 (7 days)
	// 2026-07    month   2026-07-01 .. 2026-07-31 (31 days)
	// 2026-Q3    quarter 2026-07-01 .. 2026-09-30 (92 days)
	// 2026       year    2026-01-01 .. 2026-12-31 (365 days)
}

func ExampleParse_errors() {
	for _, s := range []string{"2026-W54", "2026-02-29", "2026-13", "July 2026"} {
		_, err := metric.Parse(s)
		var pe *metric.ParseError
		if errors.As(err, &pe) {
			fmt.Println(pe.Msg)
		}
	}
	// Output:
	// week 54 out of range: 2026 has 53 ISO weeks
	// 2026-02-29 does not exist: 2026 is not a leap year
	// month 13 out of range 01..12
	// unrecognized period; want 2026-07-14, 2026-W29, 2026-07, 2026-Q3, 2026, FY2026 or FY2026-Q1 (FY forms may end in @MM, the fiscal start month)
}

// A fiscal year is named after the calendar year in which it starts.
func ExampleCalendar_Parse() {
	fiscal := metric.Calendar{FiscalYearStart: time.April}
	for _, s := range []string{"FY2026", "FY2026-Q1", "FY2026-Q4", "2026-Q1"} {
		p, err := fiscal.Parse(s)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-9s %s .. %s\n", p, p.Start().Format(time.DateOnly), p.End().AddDate(0, 0, -1).Format(time.DateOnly))
	}
	// Output:
	// FY2026    2026-04-01 .. 2027-03-31
	// FY2026-Q1 2026-04-01 .. 2026-06-30
	// FY2026-Q4 2027-01-01 .. 2027-03-31
	// 2026-Q1   2026-01-01 .. 2026-03-31
}

func ExampleCalendar_Of() {
	fiscal := metric.Calendar{FiscalYearStart: time.October}
	t := time.Date(2027, time.February, 15, 0, 0, 0, 0, time.UTC)
	fmt.Println(fiscal.Of(metric.Quarter, t), fiscal.Of(metric.Year, t))
	fmt.Println(metric.Of(metric.Quarter, t), metric.Of(metric.Year, t), metric.Of(metric.Week, t))
	// Output:
	// FY2026-Q2 FY2026
	// 2027-Q1 2027 2027-W07
}

// An ISO week belongs to the month that contains its Thursday.
func ExamplePeriod_In() {
	w, _ := metric.Parse("2026-W01")
	m, _ := w.In(metric.Month)
	fmt.Println(w, "starts", w.Start().Format(time.DateOnly), "and is in", m)

	q, _ := metric.Calendar{FiscalYearStart: time.April}.Parse("FY2026-Q4")
	y, _ := q.In(metric.Year)
	fmt.Println(q, "is in", y)

	_, err := y.In(metric.Month)
	fmt.Println(err)
	// Output:
	// 2026-W01 starts 2025-12-29 and is in 2026-01
	// FY2026-Q4 is in FY2026
	// metric: year FY2026 is not within a single month: month is finer than year
}

func ExampleRange() {
	from, _ := metric.Parse("2026-W52")
	to, _ := metric.Parse("2027-W02")
	for p := range metric.Range(from, to) {
		fmt.Println(p)
	}
	fmt.Println(to.Sub(from), "weeks from", from, "to", to)
	// Output:
	// 2026-W52
	// 2026-W53
	// 2027-W01
	// 2027-W02
	// 3 weeks from 2026-W52 to 2027-W02
}

func ExamplePeriod_Elapsed() {
	q, _ := metric.Parse("2026-Q3")
	now := time.Date(2026, time.August, 16, 0, 0, 0, 0, time.UTC) // 46 of 92 days
	fmt.Printf("%.1f%% of %s has elapsed\n", 100*q.Elapsed(now), q)
	// Output:
	// 50.0% of 2026-Q3 has elapsed
}

// Fiscal periods keep their start month in text form.
func ExamplePeriod_MarshalText() {
	p, _ := metric.Calendar{FiscalYearStart: time.April}.Parse("FY2026-Q2")
	b, _ := json.Marshal(map[string]metric.Period{"due": p})
	fmt.Println(p, string(b))
	// Output:
	// FY2026-Q2 {"due":"FY2026-Q2@04"}
}

func ExampleSeries_Rollup() {
	var revenue metric.Series
	for m, v := range map[string]float64{"2026-01": 10, "2026-02": 12, "2026-03": 15, "2026-04": 11} {
		p, _ := metric.Parse(m)
		if err := revenue.Set(p, v); err != nil {
			panic(err)
		}
	}
	quarterly, incomplete, err := revenue.Rollup(metric.Quarter, metric.Sum)
	if err != nil {
		panic(err)
	}
	for p, v := range quarterly.All() {
		fmt.Println(p, v)
	}
	fmt.Println("incomplete:", incomplete)
	// Output:
	// 2026-Q1 37
	// 2026-Q2 11
	// incomplete: [2026-Q2]
}

func ExampleSeries_MarshalJSON() {
	var s metric.Series
	jan, _ := metric.Parse("2026-01")
	_ = s.Set(jan.Next(), 2.5)
	_ = s.Set(jan, 1)
	b, _ := json.Marshal(&s)
	fmt.Println(string(b))

	var back metric.Series
	if err := json.Unmarshal([]byte(`{"2026-03": 4, "2026-02": null}`), &back); err != nil {
		panic(err)
	}
	fmt.Println(back.Len(), back.Periods())
	// Output:
	// {"2026-01":1,"2026-02":2.5}
	// 1 [2026-03]
}

func ExampleAggregation_Apply() {
	vals := []float64{3, 1, 4, 1, 5}
	for _, a := range []metric.Aggregation{metric.Sum, metric.Mean, metric.First, metric.Last, metric.Min, metric.Max} {
		v, _ := a.Apply(vals)
		fmt.Printf("%s=%g\n", a, v)
	}
	_, ok := metric.Sum.Apply(nil)
	fmt.Println(ok)
	// Output:
	// sum=14
	// mean=2.8
	// first=3
	// last=5
	// min=1
	// max=5
	// false
}
