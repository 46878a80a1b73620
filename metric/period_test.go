package metric

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func mustParse(t testing.TB, c Calendar, s string) Period {
	t.Helper()
	p, err := c.Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return p
}

var (
	april   = Calendar{FiscalYearStart: time.April}
	october = Calendar{FiscalYearStart: time.October}
)

func TestParse(t *testing.T) {
	tests := []struct {
		cal        Calendar
		in, want   string
		grain      Grain
		start, end time.Time
		days       int
	}{
		{Calendar{}, "2026-07-14", "2026-07-14", Day, date(2026, 7, 14), date(2026, 7, 15), 1},
		{Calendar{}, "2024-02-29", "2024-02-29", Day, date(2024, 2, 29), date(2024, 3, 1), 1},
		{Calendar{}, "2000-02-29", "2000-02-29", Day, date(2000, 2, 29), date(2000, 3, 1), 1},
		{Calendar{}, "0001-01-01", "0001-01-01", Day, date(1, 1, 1), date(1, 1, 2), 1},
		{Calendar{}, "2026-W29", "2026-W29", Week, date(2026, 7, 13), date(2026, 7, 20), 7},
		{Calendar{}, "2026-W01", "2026-W01", Week, date(2025, 12, 29), date(2026, 1, 5), 7},
		{Calendar{}, "2026-w53", "2026-W53", Week, date(2026, 12, 28), date(2027, 1, 4), 7},
		{Calendar{}, "2020-W53", "2020-W53", Week, date(2020, 12, 28), date(2021, 1, 4), 7},
		{Calendar{}, "2021-W01", "2021-W01", Week, date(2021, 1, 4), date(2021, 1, 11), 7},
		{Calendar{}, "2015-W53", "2015-W53", Week, date(2015, 12, 28), date(2016, 1, 4), 7},
		{Calendar{}, "2026-07", "2026-07", Month, date(2026, 7, 1), date(2026, 8, 1), 31},
		{Calendar{}, "2024-02", "2024-02", Month, date(2024, 2, 1), date(2024, 3, 1), 29},
		{Calendar{}, "2100-02", "2100-02", Month, date(2100, 2, 1), date(2100, 3, 1), 28},
		{Calendar{}, "2026-Q3", "2026-Q3", Quarter, date(2026, 7, 1), date(2026, 10, 1), 92},
		{Calendar{}, "2026-q1", "2026-Q1", Quarter, date(2026, 1, 1), date(2026, 4, 1), 90},
		{Calendar{}, "2024-Q1", "2024-Q1", Quarter, date(2024, 1, 1), date(2024, 4, 1), 91},
		{Calendar{}, "2026", "2026", Year, date(2026, 1, 1), date(2027, 1, 1), 365},
		{Calendar{}, "2024", "2024", Year, date(2024, 1, 1), date(2025, 1, 1), 366},
		{Calendar{}, "  9999 ", "9999", Year, date(9999, 1, 1), date(10000, 1, 1), 365},
		{Calendar{}, "FY2026", "2026", Year, date(2026, 1, 1), date(2027, 1, 1), 365},
		{Calendar{FiscalYearStart: time.January}, "FY2026-Q2", "2026-Q2", Quarter, date(2026, 4, 1), date(2026, 7, 1), 91},
		// April fiscal year: FY2026 starts in 2026.
		{april, "FY2026", "FY2026", Year, date(2026, 4, 1), date(2027, 4, 1), 365},
		{april, "fy2027", "FY2027", Year, date(2027, 4, 1), date(2028, 4, 1), 366},
		{april, "FY2026-Q1", "FY2026-Q1", Quarter, date(2026, 4, 1), date(2026, 7, 1), 91},
		{april, "FY2026-Q4", "FY2026-Q4", Quarter, date(2027, 1, 1), date(2027, 4, 1), 90},
		{april, "2026-Q1", "2026-Q1", Quarter, date(2026, 1, 1), date(2026, 4, 1), 90}, // plain quarters stay calendar ones
		{april, "2026", "2026", Year, date(2026, 1, 1), date(2027, 1, 1), 365},
		{october, "FY2026", "FY2026", Year, date(2026, 10, 1), date(2027, 10, 1), 365},
		{october, "FY2026-Q2", "FY2026-Q2", Quarter, date(2027, 1, 1), date(2027, 4, 1), 90},
		// An explicit start month overrides the calendar.
		{Calendar{}, "FY2026@04", "FY2026", Year, date(2026, 4, 1), date(2027, 4, 1), 365},
		{april, "FY2026-Q3@10", "FY2026-Q3", Quarter, date(2027, 4, 1), date(2027, 7, 1), 91},
		{april, "FY2026@01", "2026", Year, date(2026, 1, 1), date(2027, 1, 1), 365},
	}
	for _, tt := range tests {
		p, err := tt.cal.Parse(tt.in)
		if err != nil {
			t.Errorf("%v.Parse(%q): %v", tt.cal, tt.in, err)
			continue
		}
		if got := p.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		if p.Grain() != tt.grain || !p.Start().Equal(tt.start) || !p.End().Equal(tt.end) || p.Days() != tt.days {
			t.Errorf("Parse(%q) = %s [%v, %v) %d days, want %s [%v, %v) %d days", tt.in, p.Grain(),
				p.Start(), p.End(), p.Days(), tt.grain, tt.start, tt.end, tt.days)
		}
		if p.Start().Location() != time.UTC {
			t.Errorf("Parse(%q).Start() not in UTC", tt.in)
		}
		if p.IsZero() {
			t.Errorf("Parse(%q).IsZero()", tt.in)
		}
	}
}

func TestParseJanuaryFiscalIsCalendar(t *testing.T) {
	for _, pair := range [][2]string{{"FY2026", "2026"}, {"FY2026-Q3", "2026-Q3"}, {"FY2026@01", "2026"}} {
		for _, c := range []Calendar{{}, {FiscalYearStart: time.January}} {
			if a, b := mustParse(t, c, pair[0]), mustParse(t, Calendar{}, pair[1]); a != b {
				t.Errorf("%v.Parse(%q) = %#v, want it equal to %q = %#v", c, pair[0], a, pair[1], b)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		cal       Calendar
		in, want  string
		wantInput string
	}{
		{Calendar{}, "", "empty period; want 2026-07-14", ""},
		{Calendar{}, "2026-W54", "week 54 out of range: 2026 has 53 ISO weeks", "2026-W54"},
		{Calendar{}, "2027-W53", "week 53 out of range: 2027 has 52 ISO weeks", "2027-W53"},
		{Calendar{}, "2021-W53", "2021 has 52 ISO weeks", "2021-W53"},
		{Calendar{}, "2026-W00", "week 00 out of range", "2026-W00"},
		{Calendar{}, "2026-W1x", "ISO week must be two digits", "2026-W1x"},
		{Calendar{}, "2026-13", "month 13 out of range 01..12", "2026-13"},
		{Calendar{}, "2026-00-10", "month 00 out of range", "2026-00-10"},
		{Calendar{}, "2026-02-29", "2026-02-29 does not exist: 2026 is not a leap year", "2026-02-29"},
		{Calendar{}, "1900-02-29", "1900 is not a leap year", "1900-02-29"},
		{Calendar{}, "2026-04-31", "day 31 out of range: 2026-04 has 30 days", "2026-04-31"},
		{Calendar{}, "2026-04-00", "day 00 out of range", "2026-04-00"},
		{Calendar{}, "2026-Q5", `quarter "5" out of range 1..4`, "2026-Q5"},
		{Calendar{}, "0000", "year 0000 out of range 0001..9999", "0000"},
		{Calendar{}, "FY0000", "year 0000 out of range", "FY0000"},
		{Calendar{}, "26", "unrecognized period", "26"},
		{Calendar{}, "2026/07", "unrecognized period", "2026/07"},
		{Calendar{}, "2026-7", "unrecognized period", "2026-7"},
		{Calendar{}, "2026-07-1", "unrecognized period", "2026-07-1"},
		{Calendar{}, "2026-07-14T00:00", "unrecognized period", "2026-07-14T00:00"},
		{Calendar{}, "12026", "unrecognized period", "12026"},
		{Calendar{}, "FY2026-07", "unrecognized fiscal period", "FY2026-07"},
		{Calendar{}, "FY2026@13", "fiscal start month 13 out of range", "FY2026@13"},
		{Calendar{}, "FY2026@4", "must be two digits", "FY2026@4"},
		{Calendar{}, "2026@04", "allowed only after FY forms", "2026@04"},
		{Calendar{FiscalYearStart: 13}, "2026", "invalid Calendar.FiscalYearStart 13", "2026"},
	}
	for _, tt := range tests {
		_, err := tt.cal.Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want a *ParseError", tt.in, err)
			continue
		}
		if pe.Input != tt.wantInput || !strings.Contains(pe.Msg, tt.want) {
			t.Errorf("Parse(%q) error = %+v, want Input %q and Msg containing %q", tt.in, pe, tt.wantInput, tt.want)
		}
		if !strings.HasPrefix(err.Error(), "metric: cannot parse ") {
			t.Errorf("Parse(%q) error text %q lacks the package prefix", tt.in, err)
		}
	}
}

// TestWeekMatchesStdlib checks ISO weeks against time.Time.ISOWeek for
// every day of 1999 to 2032 and a few far-off years.
func TestWeekMatchesStdlib(t *testing.T) {
	check := func(d time.Time) {
		p := Of(Week, d)
		y, w := d.ISOWeek()
		want := mustParse(t, Calendar{}, strings.ReplaceAll(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")+"-W", " ", "")+twoDigits(w))
		if p != want {
			t.Fatalf("Of(Week, %v) = %s, want %s", d.Format(time.DateOnly), p, want)
		}
		if d.Before(p.Start()) || !d.Before(p.End()) || p.Start().Weekday() != time.Monday {
			t.Fatalf("Of(Week, %v) = [%v, %v)", d, p.Start(), p.End())
		}
	}
	for d := date(1999, 1, 1); d.Year() < 2033; d = d.AddDate(0, 0, 1) {
		check(d)
	}
	for _, y := range []int{1, 2, 400, 1600, 1969, 1970, 9998, 9999} {
		for d := date(y, 1, 1); d.Year() == y; d = d.AddDate(0, 0, 1) {
			check(d)
		}
	}
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func TestOf(t *testing.T) {
	// Only the wall-clock date matters, not the instant.
	tokyo := time.FixedZone("JST", 9*3600)
	late := time.Date(2026, 3, 31, 23, 30, 0, 0, time.FixedZone("HST", -10*3600)) // 2026-04-01 UTC
	tests := []struct {
		cal  Calendar
		g    Grain
		t    time.Time
		want string
	}{
		{Calendar{}, Day, time.Date(2026, 1, 1, 0, 30, 0, 0, tokyo), "2026-01-01"}, // 2025-12-31 in UTC
		{Calendar{}, Month, late, "2026-03"},
		{april, Year, late, "FY2025"},
		{april, Quarter, late, "FY2025-Q4"},
		{april, Quarter, date(2026, 4, 1), "FY2026-Q1"},
		{april, Year, date(2027, 2, 15), "FY2026"},
		{april, Quarter, date(2027, 2, 15), "FY2026-Q4"},
		{october, Year, date(2026, 9, 30), "FY2025"},
		{october, Year, date(2026, 10, 1), "FY2026"},
		{october, Quarter, date(2026, 12, 31), "FY2026-Q1"},
		{october, Quarter, date(2027, 9, 30), "FY2026-Q4"},
		{october, Month, date(2027, 9, 30), "2027-09"},
		{october, Week, date(2027, 1, 1), "2026-W53"},
		{Calendar{}, Week, date(2027, 1, 3), "2026-W53"},
		{Calendar{}, Week, date(2027, 1, 4), "2027-W01"},
		{Calendar{}, Week, date(2024, 12, 30), "2025-W01"},
		{Calendar{}, Quarter, date(-5, 12, 31), "-005-Q4"},
	}
	for _, tt := range tests {
		if got := tt.cal.Of(tt.g, tt.t).String(); got != tt.want {
			t.Errorf("%v.Of(%s, %v) = %s, want %s", tt.cal, tt.g, tt.t, got, tt.want)
		}
	}
	if p := Of(0, date(2026, 1, 1)); !p.IsZero() {
		t.Errorf("Of(0, ...) = %v, want zero", p)
	}
	if p := (Calendar{FiscalYearStart: 13}).Of(Day, date(2026, 1, 1)); !p.IsZero() {
		t.Errorf("invalid calendar Of = %v, want zero", p)
	}
}

// TestIn checks Period.In for every pair of grains and several calendars
// against Of applied to a representative day, over four years of days.
func TestIn(t *testing.T) {
	grains := []Grain{Day, Week, Month, Quarter, Year}
	for _, c := range []Calendar{{}, april, october} {
		for d := date(2025, 11, 1); d.Before(date(2029, 2, 1)); d = d.AddDate(0, 0, 1) {
			for _, g := range grains {
				p := c.Of(g, d)
				for _, h := range grains {
					got, err := p.In(h)
					if h < g {
						if err == nil {
							t.Fatalf("%s.In(%s) = %s, want an error", p, h, got)
						}
						continue
					}
					if err != nil {
						t.Fatalf("%s.In(%s): %v", p, h, err)
					}
					// The expected coarse period: fiscal only if p is.
					ref, rc := d, Calendar{}
					if g == Week {
						ref = p.Start().AddDate(0, 0, 3)
					}
					if g >= Quarter {
						rc = c
					}
					if want := rc.Of(h, ref); got != want {
						t.Fatalf("%s.In(%s) = %s, want %s", p, h, got, want)
					}
					if g != Week && !got.Contains(p) {
						t.Fatalf("%s.In(%s) = %s does not contain it", p, h, got)
					}
				}
			}
		}
	}
}

func TestInExamples(t *testing.T) {
	tests := []struct {
		cal    Calendar
		p      string
		g      Grain
		want   string
		errMsg string
	}{
		{Calendar{}, "2026-W01", Month, "2026-01", ""}, // starts 2025-12-29, Thursday 2026-01-01
		{Calendar{}, "2026-W01", Year, "2026", ""},
		{Calendar{}, "2026-W53", Year, "2026", ""}, // ends 2027-01-03
		{Calendar{}, "2025-W01", Year, "2025", ""}, // starts 2024-12-30
		{Calendar{}, "2026-W14", Month, "2026-04", ""},
		{Calendar{}, "2026-W14", Quarter, "2026-Q2", ""}, // 2026-03-30..04-05, Thursday 04-02
		{april, "FY2026-Q4", Year, "FY2026", ""},
		{april, "FY2026", Year, "FY2026", ""},
		{april, "2027-02", Year, "2027", ""},
		{Calendar{}, "2026-07", Week, "", "week is finer than month"},
		{Calendar{}, "2026", Quarter, "", "quarter is finer than year"},
		{Calendar{}, "2026", 0, "", "invalid grain"},
		{Calendar{}, "2026", 9, "", "invalid grain"},
	}
	for _, tt := range tests {
		got, err := mustParse(t, tt.cal, tt.p).In(tt.g)
		if tt.errMsg != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errMsg) {
				t.Errorf("%s.In(%s) error = %v, want one containing %q", tt.p, tt.g, err, tt.errMsg)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("%s.In(%s) = %s, %v; want %s", tt.p, tt.g, got, err, tt.want)
		}
	}
	if _, err := (Period{}).In(Year); err == nil {
		t.Error("zero Period.In(Year) succeeded")
	}
}

func TestArithmetic(t *testing.T) {
	tests := []struct {
		cal        Calendar
		p          string
		k          int
		want       string
		prev, next string
	}{
		{Calendar{}, "2026-12-31", 1, "2027-01-01", "2026-12-30", "2027-01-01"},
		{Calendar{}, "2024-02-28", 2, "2024-03-01", "2024-02-27", "2024-02-29"},
		{Calendar{}, "2026-W53", 1, "2027-W01", "2026-W52", "2027-W01"},
		{Calendar{}, "2027-W01", -53, "2026-W01", "2026-W53", "2027-W02"},
		{Calendar{}, "2026-11", 14, "2028-01", "2026-10", "2026-12"},
		{Calendar{}, "2026-01", -1, "2025-12", "2025-12", "2026-02"},
		{Calendar{}, "2026-Q4", 5, "2028-Q1", "2026-Q3", "2027-Q1"},
		{april, "FY2026-Q4", 1, "FY2027-Q1", "FY2026-Q3", "FY2027-Q1"},
		{october, "FY2026", -3, "FY2023", "FY2025", "FY2027"},
		{Calendar{}, "2026", 0, "2026", "2025", "2027"},
	}
	for _, tt := range tests {
		p := mustParse(t, tt.cal, tt.p)
		q := p.Add(tt.k)
		if q.String() != tt.want || p.Prev().String() != tt.prev || p.Next().String() != tt.next {
			t.Errorf("%s: Add(%d), Prev, Next = %s, %s, %s; want %s, %s, %s", tt.p, tt.k, q, p.Prev(), p.Next(), tt.want, tt.prev, tt.next)
		}
		if q != mustParse(t, tt.cal, tt.want) {
			t.Errorf("%s.Add(%d) = %#v, not equal to the parsed %s", tt.p, tt.k, q, tt.want)
		}
		if d := q.Sub(p); d != tt.k {
			t.Errorf("%s.Sub(%s) = %d, want %d", q, p, d, tt.k)
		}
		if !p.Next().Start().Equal(p.End()) {
			t.Errorf("%s: Next().Start() != End()", tt.p)
		}
	}
	if z := (Period{}).Add(3); !z.IsZero() || z.String() != "" || z.Days() != 0 || !z.Start().IsZero() || !z.End().IsZero() {
		t.Errorf("zero Period arithmetic = %#v", z)
	}
}

func TestSubPanics(t *testing.T) {
	tests := []struct {
		p, q Period
		msg  string
	}{
		{mustParse(t, Calendar{}, "2026-07"), mustParse(t, Calendar{}, "2026-Q3"), "different grains"},
		{mustParse(t, Calendar{}, "2026-Q3"), mustParse(t, april, "FY2026-Q1"), "different calendars"},
		{mustParse(t, Calendar{}, "2026"), Period{}, "zero Period"},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.HasPrefix(s, "metric: ") || !strings.Contains(s, tt.msg) {
					t.Errorf("%s.Sub(%s) panic = %v, want one containing %q", tt.p, tt.q, r, tt.msg)
				}
			}()
			tt.p.Sub(tt.q)
		}()
	}
}

func TestCompare(t *testing.T) {
	in := []string{"2026", "2026-07-01", "2026-Q3", "2026-07", "2026-W27", "FY2026-Q1@07", "2025-12-31", "2026-W01", "FY2025@10"}
	want := []string{"FY2025@10", "2026-W01", "2025-12-31", "2026", "2026-W27", "2026-07-01", "2026-07", "2026-Q3", "FY2026-Q1@07"}
	ps := make([]Period, len(in))
	for i, s := range in {
		ps[i] = mustParse(t, Calendar{}, s)
	}
	ps = append(ps, Period{})
	slices.SortFunc(ps, Period.Compare)
	if !ps[0].IsZero() {
		t.Errorf("zero Period not sorted first: %v", ps)
	}
	for i, p := range ps[1:] {
		b, _ := p.MarshalText()
		if string(b) != want[i] {
			t.Errorf("sorted[%d] = %s, want %s", i, b, want[i])
		}
	}
	a, b := mustParse(t, Calendar{}, "2026-03"), mustParse(t, Calendar{}, "2026-04")
	if !a.Before(b) || b.Before(a) || a.Before(a) || a.Compare(a) != 0 || b.Compare(a) != 1 {
		t.Error("Before/Compare inconsistent for 2026-03, 2026-04")
	}
	if (Period{}).Compare(Period{}) != 0 || a.Compare(Period{}) != 1 {
		t.Error("Compare with zero Period")
	}
}

func TestContains(t *testing.T) {
	tests := []struct {
		cal  Calendar
		p, q string
		want bool
	}{
		{Calendar{}, "2026", "2026-07-14", true},
		{Calendar{}, "2026", "2026", true},
		{Calendar{}, "2026-Q3", "2026-07", true},
		{Calendar{}, "2026-07", "2026-Q3", false},
		{Calendar{}, "2026", "2026-W01", false}, // starts 2025-12-29
		{Calendar{}, "2026-01", "2026-W02", true},
		{Calendar{}, "2026-W02", "2026-01-05", true},
		{april, "FY2026", "2027-03", true},
		{april, "FY2026", "2026-Q2", true},
		{april, "FY2026", "2026-Q1", false},
		{april, "FY2026", "2026", false},
	}
	for _, tt := range tests {
		if got := mustParse(t, tt.cal, tt.p).Contains(mustParse(t, tt.cal, tt.q)); got != tt.want {
			t.Errorf("%s.Contains(%s) = %v, want %v", tt.p, tt.q, got, tt.want)
		}
	}
	if (Period{}).Contains(Period{}) || mustParse(t, Calendar{}, "2026").Contains(Period{}) {
		t.Error("Contains with the zero Period")
	}
}

func TestRange(t *testing.T) {
	collect := func(from, to string, c Calendar) []string {
		var out []string
		for p := range Range(mustParse(t, c, from), mustParse(t, c, to)) {
			out = append(out, p.String())
		}
		return out
	}
	tests := []struct {
		cal      Calendar
		from, to string
		want     []string
	}{
		{Calendar{}, "2026-11", "2027-02", []string{"2026-11", "2026-12", "2027-01", "2027-02"}},
		{Calendar{}, "2026-W52", "2027-W01", []string{"2026-W52", "2026-W53", "2027-W01"}},
		{Calendar{}, "2024-02-28", "2024-03-01", []string{"2024-02-28", "2024-02-29", "2024-03-01"}},
		{april, "FY2025-Q4", "FY2026-Q1", []string{"FY2025-Q4", "FY2026-Q1"}},
		{Calendar{}, "2026", "2026", []string{"2026"}},
		{Calendar{}, "2027", "2026", nil},
	}
	for _, tt := range tests {
		if got := collect(tt.from, tt.to, tt.cal); !slices.Equal(got, tt.want) {
			t.Errorf("Range(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	n := 0
	for range Range(mustParse(t, Calendar{}, "2026-01-01"), mustParse(t, Calendar{}, "2026-12-31")) {
		n++
		if n == 10 {
			break
		}
	}
	if n != 10 {
		t.Errorf("break after 10 iterations gave %d", n)
	}
	for range Range(Period{}, Period{}) {
		t.Error("Range of zero periods yielded")
	}
	for _, pair := range [][2]Period{
		{mustParse(t, Calendar{}, "2026-01"), mustParse(t, Calendar{}, "2026-Q4")},
		{mustParse(t, Calendar{}, "2026-Q1"), mustParse(t, april, "FY2026-Q4")},
		{mustParse(t, Calendar{}, "2026-Q1"), {}},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("Range(%s, %s) did not panic", pair[0], pair[1])
				}
			}()
			Range(pair[0], pair[1])
		}()
	}
}

func TestElapsed(t *testing.T) {
	july := mustParse(t, Calendar{}, "2026-07")
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		p    Period
		t    time.Time
		want float64
	}{
		{july, date(2026, 6, 1), 0},
		{july, date(2026, 7, 1), 0},
		{july, time.Date(2026, 7, 16, 12, 0, 0, 0, time.UTC), 0.5},
		{july, time.Date(2026, 7, 16, 12, 0, 0, 0, tokyo), 0.5}, // wall clock, not instant
		{july, date(2026, 7, 31), 30.0 / 31},
		{july, date(2026, 8, 1), 1},
		{july, date(2030, 1, 1), 1},
		{mustParse(t, Calendar{}, "2024"), date(2024, 3, 1), 60.0 / 366},
		{mustParse(t, april, "FY2026"), date(2026, 10, 1), 183.0 / 365},
		{mustParse(t, Calendar{}, "2026-07-14"), time.Date(2026, 7, 14, 6, 0, 0, 0, time.UTC), 0.25},
		{Period{}, date(2026, 1, 1), 0},
	}
	for _, tt := range tests {
		if got := tt.p.Elapsed(tt.t); got != tt.want {
			t.Errorf("%s.Elapsed(%v) = %v, want %v", tt.p, tt.t, got, tt.want)
		}
	}
}

func TestPeriodText(t *testing.T) {
	tests := []struct {
		cal        Calendar
		in, marsh  string
		equalsText bool // String == MarshalText
	}{
		{Calendar{}, "2026-07-14", "2026-07-14", true},
		{Calendar{}, "2026-W01", "2026-W01", true},
		{Calendar{}, "2026-Q3", "2026-Q3", true},
		{Calendar{}, "FY2026", "2026", true},
		{april, "FY2026", "FY2026@04", false},
		{october, "FY2026-Q1", "FY2026-Q1@10", false},
	}
	for _, tt := range tests {
		p := mustParse(t, tt.cal, tt.in)
		b, err := p.MarshalText()
		if err != nil || string(b) != tt.marsh {
			t.Errorf("%s.MarshalText() = %q, %v; want %q", tt.in, b, err, tt.marsh)
		}
		var q Period
		if err := q.UnmarshalText(b); err != nil || q != p {
			t.Errorf("UnmarshalText(%q) = %#v, %v; want %#v", b, q, err, p)
		}
		if (p.String() == string(b)) != tt.equalsText {
			t.Errorf("%s: String %q vs MarshalText %q", tt.in, p, b)
		}
	}

	// As struct fields and map keys in JSON; the zero Period is "".
	type doc struct {
		P, Z   Period
		ByYear map[Period]int
	}
	in := doc{P: mustParse(t, april, "FY2026-Q2"), ByYear: map[Period]int{mustParse(t, Calendar{}, "2026"): 1, mustParse(t, october, "FY2026"): 2}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"P":"FY2026-Q2@04","Z":"","ByYear":{"2026":1,"FY2026@10":2}}`
	if string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil || out.P != in.P || !out.Z.IsZero() || len(out.ByYear) != 2 || out.ByYear[mustParse(t, october, "FY2026")] != 2 {
		t.Errorf("json round trip = %+v, %v", out, err)
	}
	var p Period
	if err := p.UnmarshalText([]byte("2026-13")); err == nil {
		t.Error("UnmarshalText(2026-13) succeeded")
	}
}

func TestGrain(t *testing.T) {
	for g := Day; g <= Year; g++ {
		for _, s := range []string{g.String(), strings.ToUpper(g.String()), " " + g.String() + " "} {
			if got, err := ParseGrain(s); err != nil || got != g {
				t.Errorf("ParseGrain(%q) = %v, %v; want %v", s, got, err, g)
			}
		}
		b, err := g.MarshalText()
		var h Grain
		if err != nil || h.UnmarshalText(b) != nil || h != g {
			t.Errorf("%v text round trip = %v, %v", g, h, err)
		}
	}
	aliases := map[string]Grain{"daily": Day, "Weekly": Week, "monthly": Month, "QUARTERLY": Quarter, "yearly": Year, "annual": Year}
	for s, want := range aliases {
		if got, err := ParseGrain(s); err != nil || got != want {
			t.Errorf("ParseGrain(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "fortnight", "days", "annually "} {
		_, err := ParseGrain(s)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Input != s || !strings.Contains(pe.Msg, "want day, week, month, quarter or year") {
			t.Errorf("ParseGrain(%q) error = %v", s, err)
		}
	}
	if Grain(0).String() != "" || Grain(9).String() != "Grain(9)" {
		t.Errorf("invalid grain strings %q, %q", Grain(0), Grain(9))
	}
	if b, err := Grain(0).MarshalText(); err != nil || len(b) != 0 {
		t.Errorf("Grain(0).MarshalText() = %q, %v", b, err)
	}
	if _, err := Grain(9).MarshalText(); err == nil {
		t.Error("Grain(9).MarshalText() succeeded")
	}
	g := Week
	if err := g.UnmarshalText(nil); err != nil || g != 0 {
		t.Errorf("UnmarshalText(empty) = %v, %v", g, err)
	}
	if err := g.UnmarshalText([]byte("hourly")); err == nil {
		t.Error("UnmarshalText(hourly) succeeded")
	}
}

// FuzzParse checks that Parse never panics and that whatever it accepts
// round-trips through String (under the same calendar) and MarshalText.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-07-14", "2026-W29", "2026-W53", "2026-07", "2026-Q3", "2026", "FY2026", "FY2026-Q1",
		"FY2026@04", "FY2026-Q4@10", "0001-W01", "9999-12-31", "2024-02-29", "fy2026-q2", " 2026 ", "2026-W54", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range []Calendar{{}, april, october} {
			p, err := c.Parse(s)
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Input != s {
					t.Fatalf("Parse(%q) error %v is not a *ParseError for the input", s, err)
				}
				continue
			}
			if p.IsZero() {
				t.Fatalf("Parse(%q) = zero Period without error", s)
			}
			b, _ := p.MarshalText()
			var q Period
			if err := q.UnmarshalText(b); err != nil || q != p {
				t.Fatalf("Parse(%q) = %#v; MarshalText %q decodes to %#v, %v", s, p, b, q, err)
			}
			r, err := c.Parse(p.String())
			if err != nil {
				t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, p, err)
			}
			if !strings.Contains(s, "@") && r != p {
				t.Fatalf("Parse(%q) = %#v, String %q parses to %#v", s, p, p, r)
			}
			if !p.Start().Before(p.End()) || p.Start().Add(time.Duration(p.Days())*24*time.Hour) != p.End() {
				t.Fatalf("Parse(%q): bad bounds [%v, %v) %d days", s, p.Start(), p.End(), p.Days())
			}
		}
	})
}
