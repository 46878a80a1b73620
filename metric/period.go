package metric

import (
	"fmt"
	"iter"
	"strings"
	"time"
)

// Grain is the length of a period: a day, an ISO 8601 week, a month, a
// quarter or a year. Grains are ordered from fine to coarse, so g < h means
// g is finer than h. The zero Grain is invalid; it prints as "".
type Grain uint8

// The grains, from finest to coarsest.
const (
	// Day is one calendar day.
	Day Grain = iota + 1
	// Week is one ISO 8601 week: Monday to Sunday, numbered within the ISO
	// week-numbering year (week 1 is the week containing January 4).
	Week
	// Month is one calendar month.
	Month
	// Quarter is three months: a calendar quarter, or a fiscal quarter
	// under a Calendar with a fiscal year.
	Quarter
	// Year is twelve months: a calendar year, or a fiscal year under a
	// Calendar with a fiscal year.
	Year
)

var perGrainNames = [...]string{Day: "day", Week: "week", Month: "month", Quarter: "quarter", Year: "year"}

// String returns "day", "week", "month", "quarter" or "year"; "" for the
// zero Grain and "Grain(n)" for other invalid values.
func (g Grain) String() string {
	if int(g) < len(perGrainNames) {
		return perGrainNames[g]
	}
	return fmt.Sprintf("Grain(%d)", uint8(g))
}

func (g Grain) perValid() bool { return g >= Day && g <= Year }

// ParseGrain parses a grain name, ignoring case and surrounding space: the
// names String returns, and the adjectives "daily", "weekly", "monthly",
// "quarterly", "yearly" and "annual". The empty string is an error.
func ParseGrain(s string) (Grain, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "day", "daily":
		return Day, nil
	case "week", "weekly":
		return Week, nil
	case "month", "monthly":
		return Month, nil
	case "quarter", "quarterly":
		return Quarter, nil
	case "year", "yearly", "annual":
		return Year, nil
	}
	return 0, &ParseError{Input: s, Msg: "unknown grain; want day, week, month, quarter or year (or daily, weekly, monthly, quarterly, yearly, annual)"}
}

// MarshalText implements encoding.TextMarshaler. The zero Grain encodes as
// the empty string, so optional fields round-trip; other invalid values
// are an error.
func (g Grain) MarshalText() ([]byte, error) {
	if g != 0 && !g.perValid() {
		return nil, fmt.Errorf("metric: cannot encode invalid grain %d", uint8(g))
	}
	return []byte(g.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseGrain; the
// empty string decodes to the zero Grain.
func (g *Grain) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*g = 0
		return nil
	}
	v, err := ParseGrain(string(b))
	if err != nil {
		return err
	}
	*g = v
	return nil
}

// ParseError reports text that could not be parsed as a Period, Grain or
// Aggregation.
type ParseError struct {
	Input string // the text given
	Msg   string // what is wrong, with the accepted forms or a hint
}

// Error returns a message such as
//
//	metric: cannot parse "2026-W54": week 54 out of range: 2026 has 53 ISO weeks
func (e *ParseError) Error() string {
	return fmt.Sprintf("metric: cannot parse %q: %s", e.Input, e.Msg)
}

// Calendar fixes how years and quarters are counted. Its zero value is the
// calendar year: a fiscal year starting in January.
//
// A fiscal year is named after the calendar year in which it starts: with
// FiscalYearStart April, FY2026 runs from 2026-04-01 to 2027-03-31 and its
// first quarter FY2026-Q1 is April to June 2026. (Organisations that name
// a fiscal year after the year in which it ends, such as the US federal
// government, call that same year FY2027.)
//
// Days, weeks and months are the same under every Calendar.
type Calendar struct {
	// FiscalYearStart is the first month of the fiscal year; 0 means
	// January. Values outside 0..12 are invalid.
	FiscalYearStart time.Month
}

// perStart returns the fiscal start month as 1..12, or 0 if invalid.
func (c Calendar) perStart() int {
	switch {
	case c.FiscalYearStart == 0:
		return 1
	case c.FiscalYearStart >= time.January && c.FiscalYearStart <= time.December:
		return int(c.FiscalYearStart)
	}
	return 0
}

// Period is one day, ISO 8601 week, month, quarter or year; quarters and
// years may be fiscal (see Calendar). Periods are small values: they are
// comparable with == (two periods are equal when they have the same grain,
// calendar and position, so a Period works as a map key) and ordered by
// Compare.
//
// The zero Period is invalid: IsZero reports it and its String is "". Its
// other methods return zero values (Start and End the zero time, Next and
// Add the zero Period).
//
// Periods are written and parsed in these forms:
//
//	2026-07-14    day
//	2026-W29      ISO 8601 week (its ISO year can differ from the calendar year of some of its days)
//	2026-07       month
//	2026-Q3       calendar quarter
//	2026          calendar year
//	FY2026-Q1     fiscal quarter
//	FY2026        fiscal year
//
// Parsing supports years 0001 to 9999. Of and Add may produce periods
// outside that range; they compute correctly but their String ("10000",
// "-001-Q4") does not parse. A fiscal year whose start month is
// January is the calendar year itself: FY2026 under the zero Calendar is
// equal to 2026 and is written "2026".
type Period struct {
	idx   int64 // position since the epoch of its grain (see Calendar.Of)
	grain Grain
	fy    uint8 // fiscal start month 2..12 for fiscal quarters and years, otherwise 0
}

// Of returns the calendar period of grain g that contains the date of t.
// Only t's year, month and day in t's own location are used, so the result
// does not depend on time zones. Of returns the zero Period if g is invalid.
func Of(g Grain, t time.Time) Period { return Calendar{}.Of(g, t) }

// Of returns the period of grain g that contains the date of t, counting
// quarters and years with c's fiscal year. Only t's year, month and day in
// t's own location are used. Of returns the zero Period if g is invalid or
// c.FiscalYearStart is outside 0..12.
func (c Calendar) Of(g Grain, t time.Time) Period {
	y, m, d := t.Date()
	return c.perOf(g, y, m, d)
}

func (c Calendar) perOf(g Grain, y int, m time.Month, d int) Period {
	start := c.perStart()
	if start == 0 || !g.perValid() {
		return Period{}
	}
	months := int64(y)*12 + int64(m) - 1
	var fy uint8
	if start != 1 {
		fy = uint8(start)
	}
	switch g {
	case Day:
		return Period{idx: perDays(y, m, d), grain: Day}
	case Week:
		return Period{idx: perFloorDiv(perDays(y, m, d)+3, 7), grain: Week}
	case Month:
		return Period{idx: months, grain: Month}
	case Quarter:
		return Period{idx: perFloorDiv(months-int64(start-1), 3), grain: Quarter, fy: fy}
	default:
		return Period{idx: perFloorDiv(months-int64(start-1), 12), grain: Year, fy: fy}
	}
}

// perDays returns the number of days from 1970-01-01 to the given date.
func perDays(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// perDate returns UTC midnight of the day days after 1970-01-01.
func perDate(days int64) time.Time { return time.Unix(days*86400, 0).UTC() }

func perFloorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func perFloorMod(a, b int64) int64 { return a - perFloorDiv(a, b)*b }

// perStartMonth is the fiscal start month as 1..12.
func (p Period) perStartMonth() int64 {
	if p.fy == 0 {
		return 1
	}
	return int64(p.fy)
}

// perStartDay returns the first day of p as days since 1970-01-01.
func (p Period) perStartDay() int64 {
	switch p.grain {
	case Day:
		return p.idx
	case Week:
		return p.idx*7 - 3 // week 0 starts on Monday 1969-12-29
	case Month:
		return perMonthDay(p.idx)
	case Quarter:
		return perMonthDay(p.idx*3 + p.perStartMonth() - 1)
	case Year:
		return perMonthDay(p.idx*12 + p.perStartMonth() - 1)
	}
	return 0
}

// perMonthDay returns the first day of month index m (year*12 + month-1).
func perMonthDay(m int64) int64 {
	return perDays(int(perFloorDiv(m, 12)), time.Month(perFloorMod(m, 12)+1), 1)
}

// Grain returns the grain of p, or 0 for the zero Period.
func (p Period) Grain() Grain { return p.grain }

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p.grain == 0 }

// String returns p in the canonical form Parse accepts (see Period), or ""
// for the zero Period. A fiscal period is written without its start month
// ("FY2026"), so it parses back only under the same Calendar; MarshalText
// includes the start month.
func (p Period) String() string {
	switch p.grain {
	case Day:
		t := perDate(p.idx)
		return fmt.Sprintf("%04d-%02d-%02d", t.Year(), int(t.Month()), t.Day())
	case Week:
		y, w := p.perISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case Month:
		return fmt.Sprintf("%04d-%02d", perFloorDiv(p.idx, 12), perFloorMod(p.idx, 12)+1)
	case Quarter:
		return fmt.Sprintf("%s%04d-Q%d", p.perPrefix(), perFloorDiv(p.idx, 4), perFloorMod(p.idx, 4)+1)
	case Year:
		return fmt.Sprintf("%s%04d", p.perPrefix(), p.idx)
	}
	return ""
}

func (p Period) perPrefix() string {
	if p.fy != 0 {
		return "FY"
	}
	return ""
}

// perISOWeek returns the ISO year and week number of a Week period.
func (p Period) perISOWeek() (year, week int) {
	thu := perDate(p.idx * 7) // Thursday of the week
	return thu.Year(), (thu.YearDay()-1)/7 + 1
}

// Start returns UTC midnight at the start of the first day of p.
func (p Period) Start() time.Time {
	if p.IsZero() {
		return time.Time{}
	}
	return perDate(p.perStartDay())
}

// End returns UTC midnight at the start of the day after the last day of
// p: periods are half-open intervals [Start, End), and p.End() equals
// p.Next().Start().
func (p Period) End() time.Time {
	if p.IsZero() {
		return time.Time{}
	}
	return perDate(p.Next().perStartDay())
}

// Days returns the number of days in p: 1, 7, 28 to 31, 90 to 92, or 365
// or 366.
func (p Period) Days() int {
	if p.IsZero() {
		return 0
	}
	return int(p.Next().perStartDay() - p.perStartDay())
}

// Next returns the period after p, of the same grain and calendar.
func (p Period) Next() Period { return p.Add(1) }

// Prev returns the period before p, of the same grain and calendar.
func (p Period) Prev() Period { return p.Add(-1) }

// Add returns the period k periods after p (before p if k is negative), of
// the same grain and calendar. Add on the zero Period returns the zero
// Period.
func (p Period) Add(k int) Period {
	if p.IsZero() {
		return p
	}
	p.idx += int64(k)
	return p
}

// Sub returns the number of periods from q to p, so that q.Add(p.Sub(q))
// == p. Sub panics if p and q differ in grain or calendar, or either is
// zero: that is a programming error, not a data error.
func (p Period) Sub(q Period) int {
	perMustMatch("Sub", p, q)
	return int(p.idx - q.idx)
}

func perMustMatch(op string, p, q Period) {
	if p.IsZero() || q.IsZero() {
		panic(fmt.Sprintf("metric: %s of the zero Period", op))
	}
	if p.grain != q.grain {
		panic(fmt.Sprintf("metric: %s of periods of different grains: %s is a %s, %s is a %s", op, p, p.grain, q, q.grain))
	}
	if p.fy != q.fy {
		panic(fmt.Sprintf("metric: %s of periods of different calendars: %s has a fiscal year starting in %s, %s in %s",
			op, p, time.Month(p.perStartMonth()), q, time.Month(q.perStartMonth())))
	}
}

// Compare returns -1, 0 or +1 as p is ordered before, equal to or after
// q. Periods are ordered by start date, then by grain (finer first), then
// by fiscal start month; the zero Period comes first. Compare suits
// slices.SortFunc.
func (p Period) Compare(q Period) int {
	if p.IsZero() || q.IsZero() {
		return perBool(!p.IsZero()) - perBool(!q.IsZero())
	}
	if c := perCmp(p.perStartDay(), q.perStartDay()); c != 0 {
		return c
	}
	if c := perCmp(int64(p.grain), int64(q.grain)); c != 0 {
		return c
	}
	if c := perCmp(int64(p.fy), int64(q.fy)); c != 0 {
		return c
	}
	return perCmp(p.idx, q.idx)
}

func perBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

func perCmp(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether p is ordered before q by Compare.
func (p Period) Before(q Period) bool { return p.Compare(q) < 0 }

// Contains reports whether q lies entirely within p (every day of q is a
// day of p). A period contains itself. Contains is false if either period
// is zero.
func (p Period) Contains(q Period) bool {
	if p.IsZero() || q.IsZero() {
		return false
	}
	return p.perStartDay() <= q.perStartDay() && q.Next().perStartDay() <= p.Next().perStartDay()
}

// In returns the period of grain g, in p's calendar, that contains p: the
// month of a day, the fiscal year of a fiscal quarter. An ISO week belongs
// to the month, quarter and year that contain its Thursday (so 2026-W01,
// which starts on 2025-12-29, is in 2026-01). Days, weeks and months have
// no fiscal calendar: their quarters and years are calendar ones (use
// Calendar.Of with p.Start() for fiscal ones).
//
// In returns p itself if g is p's grain, and an error if g is invalid, finer
// than p's grain, or p is zero.
func (p Period) In(g Grain) (Period, error) {
	return Calendar{FiscalYearStart: time.Month(p.perStartMonth())}.In(p, g)
}

// In returns the period of grain g that contains p, counting quarters and
// years in c: with an April fiscal year, 2026-05 is in FY2026-Q1 and
// FY2026. Like Period.In, an ISO week belongs to the period holding its
// Thursday, and it is an error if g is finer than p's grain.
func (c Calendar) In(p Period, g Grain) (Period, error) {
	switch {
	case p.IsZero():
		return Period{}, fmt.Errorf("metric: the zero Period is in no %s", g)
	case !g.perValid():
		return Period{}, fmt.Errorf("metric: invalid grain %d", uint8(g))
	case g < p.grain:
		return Period{}, fmt.Errorf("metric: %s %s is not within a single %s: %s is finer than %s", p.grain, p, g, g, p.grain)
	case g == p.grain && (g < Quarter || int(p.perStartMonth()) == c.perStart()):
		return p, nil
	}
	day := p.perStartDay()
	if p.grain == Week {
		day += 3 // the Thursday
	}
	y, m, d := perDate(day).Date()
	q := c.perOf(g, y, m, d)
	if q.IsZero() {
		return Period{}, fmt.Errorf("metric: invalid fiscal year start %d", int(c.FiscalYearStart))
	}
	if p.grain != Week && !q.Contains(p) {
		return Period{}, fmt.Errorf("metric: %s %s is not within a single %s of this calendar", p.grain, p, g)
	}
	return q, nil
}

// Elapsed returns the fraction of p that has elapsed at t, between 0 (t at
// or before Start) and 1 (t at or after End). Like Of, it reads t's wall
// clock in t's own location: noon on the first day of a month is 0.5 days
// into it in every time zone. Elapsed of the zero Period is 0.
func (p Period) Elapsed(t time.Time) float64 {
	if p.IsZero() {
		return 0
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	u := time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)
	start, end := p.Start(), p.End()
	switch {
	case !u.After(start):
		return 0
	case !u.Before(end):
		return 1
	}
	return float64(u.Sub(start)) / float64(end.Sub(start))
}

// MarshalText implements encoding.TextMarshaler. It writes String, with the
// fiscal start month appended to fiscal periods ("FY2026@04",
// "FY2026-Q1@10") so they decode to the same Period. The zero Period
// encodes as the empty string.
func (p Period) MarshalText() ([]byte, error) {
	s := p.String()
	if p.fy != 0 {
		s += fmt.Sprintf("@%02d", p.fy)
	}
	return []byte(s), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with Parse, so "FY"
// forms without an "@MM" suffix are fiscal years starting in January
// (calendar years). The empty string decodes to the zero Period.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Range returns the periods from from to to, both included, in order. It
// yields nothing if to is before from or both are zero. Range panics if
// from and to differ in grain or calendar: that is a programming error.
func Range(from, to Period) iter.Seq[Period] {
	if !from.IsZero() || !to.IsZero() {
		perMustMatch("Range", from, to)
	}
	return func(yield func(Period) bool) {
		if from.IsZero() {
			return
		}
		for p := from; p.idx <= to.idx; p.idx++ {
			if !yield(p) {
				return
			}
		}
	}
}

const perForms = "want 2026-07-14, 2026-W29, 2026-07, 2026-Q3, 2026, FY2026 or FY2026-Q1 (FY forms may end in @MM, the fiscal start month)"

// Parse parses a period under the calendar year; it is Calendar{}.Parse.
func Parse(s string) (Period, error) { return Calendar{}.Parse(s) }

// Parse parses a period in one of the forms listed under Period, ignoring
// surrounding space and the case of the letters. Plain years and quarters
// ("2026", "2026-Q3") are always calendar ones; the "FY" forms ("FY2026",
// "FY2026-Q1") are fiscal years and quarters under c. An "FY" form may end
// in "@MM", the fiscal start month as two digits, which overrides c: this
// is how MarshalText writes fiscal periods.
//
// Errors are *ParseError values naming the problem, for example
// "week 54 out of range: 2026 has 53 ISO weeks" or
// "2026-02-29 does not exist: 2026 is not a leap year". Parse also fails
// if c.FiscalYearStart is outside 0..12.
func (c Calendar) Parse(s string) (Period, error) {
	fail := func(msg string, args ...any) (Period, error) {
		return Period{}, &ParseError{Input: s, Msg: fmt.Sprintf(msg, args...)}
	}
	if c.perStart() == 0 {
		return fail("invalid Calendar.FiscalYearStart %d; want 1..12, or 0 for January", int(c.FiscalYearStart))
	}
	t := strings.ToUpper(strings.TrimSpace(s))
	if t == "" {
		return fail("empty period; %s", perForms)
	}
	if rest, ok := strings.CutPrefix(t, "FY"); ok {
		if body, mm, ok := strings.Cut(rest, "@"); ok {
			m, ok := perDigits(mm, 2)
			if !ok {
				return fail("fiscal start month %q after @ must be two digits 01..12", mm)
			}
			if m < 1 || m > 12 {
				return fail("fiscal start month %02d out of range 01..12", m)
			}
			c.FiscalYearStart, rest = time.Month(m), body
		}
		y, ok := perDigits(rest, 4)
		if ok {
			if y < 1 {
				return fail("year %04d out of range 0001..9999", y)
			}
			return c.perOf(Year, y, time.Month(c.perStart()), 1), nil
		}
		if len(rest) == 7 && rest[4:6] == "-Q" {
			return perParseQuarter(c, rest, fail)
		}
		return fail("unrecognized fiscal period; want FY2026 or FY2026-Q1, optionally followed by @MM")
	}
	if strings.Contains(t, "@") {
		return fail("an @MM fiscal start month is allowed only after FY forms such as FY2026@04")
	}
	y, ok := perDigits(t[:min(4, len(t))], 4)
	if !ok || (len(t) > 4 && t[4] != '-') {
		return fail("unrecognized period; %s", perForms)
	}
	if y < 1 {
		return fail("year %04d out of range 0001..9999", y)
	}
	switch {
	case len(t) == 4:
		return Of(Year, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)), nil
	case len(t) == 7 && t[5] == 'Q':
		return perParseQuarter(Calendar{}, t, fail)
	case len(t) == 8 && t[5] == 'W':
		w, ok := perDigits(t[6:], 2)
		if !ok {
			return fail("ISO week must be two digits, as in 2026-W05")
		}
		n := perWeeksIn(y)
		if w < 1 || w > n {
			return fail("week %02d out of range: %04d has %d ISO weeks", w, y, n)
		}
		jan4 := perDays(y, time.January, 4)
		monday := jan4 - perFloorMod(jan4+3, 7)
		return Period{idx: (monday+3)/7 + int64(w-1), grain: Week}, nil
	case len(t) == 7 || len(t) == 10:
		m, ok := perDigits(t[5:7], 2)
		if !ok {
			return fail("unrecognized period; %s", perForms)
		}
		if m < 1 || m > 12 {
			return fail("month %02d out of range 01..12", m)
		}
		if len(t) == 7 {
			return Of(Month, time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)), nil
		}
		d, ok := perDigits(t[8:], 2)
		if t[7] != '-' || !ok {
			return fail("unrecognized period; %s", perForms)
		}
		n := perDaysIn(y, time.Month(m))
		switch {
		case m == 2 && d == 29 && n == 28:
			return fail("%04d-02-29 does not exist: %04d is not a leap year", y, y)
		case d < 1 || d > n:
			return fail("day %02d out of range: %04d-%02d has %d days", d, y, m, n)
		}
		return Of(Day, time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)), nil
	}
	return fail("unrecognized period; %s", perForms)
}

// perParseQuarter parses "YYYY-QN" under c.
func perParseQuarter(c Calendar, t string, fail func(string, ...any) (Period, error)) (Period, error) {
	y, ok := perDigits(t[:4], 4)
	if !ok {
		return fail("unrecognized quarter; want 2026-Q3 or FY2026-Q1")
	}
	if y < 1 {
		return fail("year %04d out of range 0001..9999", y)
	}
	q := int(t[6] - '0')
	if q < 1 || q > 4 {
		return fail("quarter %q out of range 1..4", t[6:])
	}
	first := c.perOf(Year, y, time.Month(c.perStart()), 1)
	return Period{idx: first.idx*4 + int64(q-1), grain: Quarter, fy: first.fy}, nil
}

// perDigits parses s as exactly n ASCII digits.
func perDigits(s string, n int) (int, bool) {
	if len(s) != n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// perWeeksIn returns the number of ISO weeks in ISO year y (52 or 53): the
// week number of December 28.
func perWeeksIn(y int) int {
	_, w := Of(Week, time.Date(y, time.December, 28, 0, 0, 0, 0, time.UTC)).perISOWeek()
	return w
}

func perDaysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
