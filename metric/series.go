package metric

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"slices"
	"strconv"
	"time"
)

// Series maps periods to values: the observations of one metric over time.
//
// A missing observation is absent, never zero: Get reports whether a
// period is present. NaN and infinite values may be stored; Get reports
// them as present, and the caller decides what they mean.
//
// All periods of a series share one grain and calendar, fixed by the first
// Set (and freed again when the series becomes empty); Set returns an error
// for a period of another grain or calendar.
//
// The zero Series is empty and ready to use. Read methods also accept a
// nil *Series, which is empty. A Series is not safe for concurrent use if
// any goroutine mutates it.
type Series struct {
	pts []serPoint // sorted by period
}

type serPoint struct {
	p Period
	v float64
}

func (s *Series) serFind(p Period) (int, bool) {
	return slices.BinarySearchFunc(s.pts, p, func(x serPoint, p Period) int { return perCmp(x.p.idx, p.idx) })
}

// serMatches reports whether p has the grain and calendar of the series.
func (s *Series) serMatches(p Period) bool {
	return len(s.pts) == 0 || (s.pts[0].p.grain == p.grain && s.pts[0].p.fy == p.fy)
}

// Set records v for period p, replacing any value p had. It returns an
// error if p is the zero Period, or if p's grain or calendar differs from
// the series'.
func (s *Series) Set(p Period, v float64) error {
	if p.IsZero() {
		return errors.New("metric: cannot set a value for the zero Period")
	}
	if !s.serMatches(p) {
		q := s.pts[0].p
		if q.grain != p.grain {
			return fmt.Errorf("metric: cannot set %s: it is a %s, the series holds %s values", p, p.grain, q.grain)
		}
		return fmt.Errorf("metric: cannot set %s: its fiscal year starts in %s, the series' in %s",
			p, time.Month(p.perStartMonth()), time.Month(q.perStartMonth()))
	}
	i, ok := s.serFind(p)
	if ok {
		s.pts[i].v = v
		return nil
	}
	s.pts = slices.Insert(s.pts, i, serPoint{p, v})
	return nil
}

// Delete removes period p from the series, if present.
func (s *Series) Delete(p Period) {
	if !s.serMatches(p) {
		return
	}
	if i, ok := s.serFind(p); ok {
		s.pts = slices.Delete(s.pts, i, i+1)
	}
}

// Get returns the value for period p and whether p is present.
func (s *Series) Get(p Period) (float64, bool) {
	if s == nil || !s.serMatches(p) {
		return 0, false
	}
	if i, ok := s.serFind(p); ok {
		return s.pts[i].v, true
	}
	return 0, false
}

// Len returns the number of periods present.
func (s *Series) Len() int {
	if s == nil {
		return 0
	}
	return len(s.pts)
}

// Grain returns the grain of the series' periods, or 0 if it is empty.
func (s *Series) Grain() Grain {
	if s.Len() == 0 {
		return 0
	}
	return s.pts[0].p.grain
}

// First returns the earliest period present; false if the series is empty.
func (s *Series) First() (Period, bool) {
	if s.Len() == 0 {
		return Period{}, false
	}
	return s.pts[0].p, true
}

// Last returns the latest period present; false if the series is empty.
func (s *Series) Last() (Period, bool) {
	if s.Len() == 0 {
		return Period{}, false
	}
	return s.pts[len(s.pts)-1].p, true
}

// All returns the periods present and their values in ascending period
// order. The series must not be mutated during the iteration.
func (s *Series) All() iter.Seq2[Period, float64] {
	return func(yield func(Period, float64) bool) {
		if s == nil {
			return
		}
		for _, pt := range s.pts {
			if !yield(pt.p, pt.v) {
				return
			}
		}
	}
}

// Periods returns the periods present, in ascending order, in a new slice.
func (s *Series) Periods() []Period {
	out := make([]Period, s.Len())
	for i := range out {
		out[i] = s.pts[i].p
	}
	return out
}

// Values returns the values in ascending period order, in a new slice.
func (s *Series) Values() []float64 {
	out := make([]float64, s.Len())
	for i := range out {
		out[i] = s.pts[i].v
	}
	return out
}

// Clone returns an independent copy of s.
func (s *Series) Clone() *Series {
	if s.Len() == 0 {
		return &Series{}
	}
	return &Series{pts: slices.Clone(s.pts)}
}

// Rollup aggregates s into periods of the coarser grain g with agg: daily
// revenue into monthly revenue with Sum, a monthly balance into a
// quarterly one with Last. Each fine period goes into the coarse period
// Period.In returns (so weeks go to the month containing their Thursday,
// and fiscal quarters to their fiscal year). The values of each coarse
// period are aggregated in time order, as Aggregation.Apply describes.
//
// A coarse period is complete when every fine period within it is present.
// Coarse periods with some but not all fine periods present are still
// aggregated over what is present, and are also listed, in order, in
// incomplete: a Sum over them is a partial sum, and a Last is the last
// value present. Coarse periods with no fine period present are absent
// from the result (and not listed).
//
// g may equal the series' grain, which copies the series. Rollup returns
// an error if g is invalid or finer than the series' grain, or agg is
// invalid. An empty series rolls up to an empty series.
func (s *Series) Rollup(g Grain, agg Aggregation) (rolled *Series, incomplete []Period, err error) {
	return s.serRollup(g, agg, func(p Period) (Period, error) { return p.In(g) })
}

// RollupIn is Rollup with quarters and years counted in calendar c: a
// monthly series rolls into fiscal quarters and years ("FY2026" with an
// April start holds 2026-04 to 2027-03). A fine period that lies in no
// single coarse period of c (a calendar quarter across a fiscal year
// boundary) is an error.
func (s *Series) RollupIn(c Calendar, g Grain, agg Aggregation) (rolled *Series, incomplete []Period, err error) {
	if c.perStart() == 0 {
		return nil, nil, fmt.Errorf("metric: invalid fiscal year start %d", int(c.FiscalYearStart))
	}
	return s.serRollup(g, agg, func(p Period) (Period, error) { return c.In(p, g) })
}

func (s *Series) serRollup(g Grain, agg Aggregation, in func(Period) (Period, error)) (rolled *Series, incomplete []Period, err error) {
	switch {
	case !g.perValid():
		return nil, nil, fmt.Errorf("metric: cannot roll up to invalid grain %d", uint8(g))
	case !agg.aggValid():
		return nil, nil, fmt.Errorf("metric: cannot roll up with invalid aggregation %d", uint8(agg))
	case s.Len() > 0 && g < s.Grain():
		return nil, nil, fmt.Errorf("metric: cannot roll up a %s series to %s: %s is finer", s.Grain(), g, g)
	}
	out := &Series{}
	var vals []float64
	for i := 0; i < s.Len(); {
		coarse, err := in(s.pts[i].p)
		if err != nil {
			return nil, nil, err
		}
		vals = vals[:0]
		for ; i < s.Len(); i++ {
			c, err := in(s.pts[i].p)
			if err != nil {
				return nil, nil, err
			}
			if c != coarse {
				break // in is monotone, so each coarse period is one run
			}
			vals = append(vals, s.pts[i].v)
		}
		v, _ := agg.Apply(vals)
		out.pts = append(out.pts, serPoint{coarse, v})
		if len(vals) < serCount(coarse, s.pts[0].p, in) {
			incomplete = append(incomplete, coarse)
		}
	}
	return out, incomplete, nil
}

// serCount returns how many periods with the grain and calendar of fine
// lie in coarse (by in).
func serCount(coarse, fine Period, in func(Period) (Period, error)) int {
	if fine.grain == coarse.grain {
		return 1
	}
	cal := Calendar{FiscalYearStart: time.Month(fine.perStartMonth())}
	n := 0
	end := coarse.Next().perStartDay()
	for q := cal.Of(fine.grain, coarse.Start().AddDate(0, 0, -6)); q.perStartDay() < end; q = q.Next() {
		if c, err := in(q); err == nil && c == coarse {
			n++
		}
	}
	return n
}

// MarshalJSON encodes s as a JSON object mapping each period, written as
// by Period.MarshalText, to its value, in ascending period order:
//
//	{"2026-01":1.5,"2026-02":2}
//
// JSON has no NaN or infinities, so a NaN or infinite value is an error
// naming its period. An empty series encodes as {}.
func (s *Series) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i := 0; i < s.Len(); i++ {
		pt := s.pts[i]
		if math.IsNaN(pt.v) || math.IsInf(pt.v, 0) {
			return nil, fmt.Errorf("metric: cannot encode series value %v for %s as JSON", pt.v, pt.p)
		}
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := pt.p.MarshalText()
		b = strconv.AppendQuote(b, string(k))
		b = append(b, ':')
		b = strconv.AppendFloat(b, pt.v, 'g', -1, 64)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON decodes a JSON object of the form MarshalJSON writes,
// replacing the contents of s. Keys are parsed with Period.UnmarshalText
// and may appear in any order; a null value means the period is absent.
// It returns an error, leaving s unchanged, for a key that is not a
// period, a duplicate period, periods of different grains or calendars,
// or a value that is not a number or null. The JSON literal null leaves s
// unchanged.
func (s *Series) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("metric: decoding series: %w", err)
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("metric: decoding series: want a JSON object of period keys, got %v", tok)
	}
	out := &Series{}
	seen := make(map[Period]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("metric: decoding series: %w", err)
		}
		key := tok.(string) // object keys are always strings
		var p Period
		if err := p.UnmarshalText([]byte(key)); err != nil {
			return fmt.Errorf("metric: decoding series: %w", err)
		}
		if p.IsZero() {
			return errors.New(`metric: decoding series: empty period key ""`)
		}
		if seen[p] {
			return fmt.Errorf("metric: decoding series: period %s appears twice", p)
		}
		seen[p] = true
		tok, err = dec.Token()
		if err != nil {
			return fmt.Errorf("metric: decoding series: %w", err)
		}
		switch v := tok.(type) {
		case nil:
			continue
		case json.Number:
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil {
				return fmt.Errorf("metric: decoding series: value %s for %s is out of range", v, p)
			}
			if err := out.Set(p, f); err != nil {
				return fmt.Errorf("metric: decoding series: %w", err)
			}
		default:
			return fmt.Errorf("metric: decoding series: value for %s must be a number or null, got %v", p, tok)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return fmt.Errorf("metric: decoding series: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("metric: decoding series: data after the JSON object")
	}
	*s = *out
	return nil
}
