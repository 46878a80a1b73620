package metric

import (
	"fmt"
	"math"
	"strings"
)

// Aggregation says how a metric combines over time, for example how daily
// values make a monthly one: revenue sums, a conversion rate averages, an
// account balance takes the last value. The zero Aggregation is invalid;
// it prints as "".
type Aggregation uint8

// The aggregations.
const (
	// Sum adds the values (revenue, orders, visitors).
	Sum Aggregation = iota + 1
	// Mean is the arithmetic mean of the values (rates, scores).
	Mean
	// Last takes the latest value (balances, head counts, MRR).
	Last
	// First takes the earliest value (opening balances).
	First
	// Min takes the smallest value.
	Min
	// Max takes the largest value (peak load).
	Max
)

var aggNames = [...]string{Sum: "sum", Mean: "mean", Last: "last", First: "first", Min: "min", Max: "max"}

// String returns "sum", "mean", "last", "first", "min" or "max"; "" for
// the zero Aggregation and "Aggregation(n)" for other invalid values.
func (a Aggregation) String() string {
	if int(a) < len(aggNames) {
		return aggNames[a]
	}
	return fmt.Sprintf("Aggregation(%d)", uint8(a))
}

func (a Aggregation) aggValid() bool { return a >= Sum && a <= Max }

// ParseAggregation parses the names String returns, ignoring case and
// surrounding space; "avg" and "average" are accepted for Mean. The empty
// string is an error.
func ParseAggregation(s string) (Aggregation, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "avg", "average":
		return Mean, nil
	default:
		for a := Sum; a <= Max; a++ {
			if v == aggNames[a] {
				return a, nil
			}
		}
	}
	return 0, &ParseError{Input: s, Msg: "unknown aggregation; want sum, mean (or avg, average), last, first, min or max"}
}

// MarshalText implements encoding.TextMarshaler. The zero Aggregation
// encodes as the empty string, so optional fields round-trip; other
// invalid values are an error.
func (a Aggregation) MarshalText() ([]byte, error) {
	if a != 0 && !a.aggValid() {
		return nil, fmt.Errorf("metric: cannot encode invalid aggregation %d", uint8(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseAggregation;
// the empty string decodes to the zero Aggregation.
func (a *Aggregation) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*a = 0
		return nil
	}
	v, err := ParseAggregation(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Apply combines vals, given in time order, and reports whether it could:
// it returns false for empty input or an invalid Aggregation.
//
// NaN values are not skipped. Sum and Mean are NaN if any value is NaN (as
// floating-point arithmetic gives); Min and Max are NaN if any value is
// NaN, wherever it appears; First and Last return the first or last value
// even if it is NaN. Remove NaN values first to ignore them.
func (a Aggregation) Apply(vals []float64) (float64, bool) {
	if len(vals) == 0 || !a.aggValid() {
		return 0, false
	}
	switch a {
	case Sum, Mean:
		sum := 0.0
		for _, v := range vals {
			sum += v
		}
		if a == Mean {
			return sum / float64(len(vals)), true
		}
		return sum, true
	case First:
		return vals[0], true
	case Last:
		return vals[len(vals)-1], true
	}
	r := vals[0]
	for _, v := range vals[1:] {
		if a == Min {
			r = math.Min(r, v)
		} else {
			r = math.Max(r, v)
		}
	}
	return r, true
}

// ApplyWeighted combines vals with one weight per value: for Mean the
// weighted mean Σ wᵢvᵢ / Σ wᵢ, for every other aggregation the same as
// Apply (weights do not change a sum, a first or a last value). It
// reports false for empty input, an invalid Aggregation, lengths that
// differ, a negative or non-finite weight, or weights that sum to zero.
func (a Aggregation) ApplyWeighted(vals, weights []float64) (float64, bool) {
	if a != Mean {
		return a.Apply(vals)
	}
	if len(vals) == 0 || len(vals) != len(weights) {
		return 0, false
	}
	var sw, swv float64
	for i, w := range weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return 0, false
		}
		sw += w
		swv += w * vals[i]
	}
	if sw == 0 {
		return 0, false
	}
	return swv / sw, true
}
