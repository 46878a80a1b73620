package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
)

// TestNumbersReadBack checks that csv and json numbers parse back to the
// same float64, bit for bit.
func TestNumbersReadBack(t *testing.T) {
	values := []float64{0, 1, -1, 0.1, 1.0 / 3, 39600000, 1e21, 1e-7, math.MaxFloat64, math.SmallestNonzeroFloat64, -2.5e-300, 123456789.123456789}
	tb := newTable("test", column{"n", colInt}, column{"x", colNumber})
	for i, v := range values {
		tb.add(intCell(int64(i)), numCell(v, "USD"))
	}
	tb.add(intCell(-1), missingCell("USD"))
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if err := writeCSV(w, tb); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range values {
		got, err := strconv.ParseFloat(recs[i+1][1], 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(v) {
			t.Errorf("csv: %v read back as %v (%v)", v, got, err)
		}
	}
	if recs[len(recs)-1][1] != "" {
		t.Errorf("csv: a missing value is %q, want an empty field", recs[len(recs)-1][1])
	}
	buf.Reset()
	w.Reset(&buf)
	if err := writeJSON(w, tb); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	var doc struct {
		Command string
		Rows    []struct{ X *float64 }
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	for i, v := range values {
		if got := doc.Rows[i].X; got == nil || math.Float64bits(*got) != math.Float64bits(v) {
			t.Errorf("json: %v read back as %v", v, got)
		}
	}
	if doc.Rows[len(values)].X != nil {
		t.Errorf("json: a missing value is %v, want null", *doc.Rows[len(values)].X)
	}
}

func TestHumanCells(t *testing.T) {
	tests := []struct {
		name string
		c    cell
		k    colKind
		want string
	}{
		{"currency", numCell(39600000, "USD"), colNumber, "39,600,000 USD"},
		{"currency cents", numCell(1650.5, "EUR"), colNumber, "1,650.5 EUR"},
		{"ratio as percent", numCell(0.08, "ratio"), colNumber, "8%"},
		{"percent", numCell(12.345, "%"), colNumber, "12.35%"},
		{"count", numCell(24000, "count"), colNumber, "24,000"},
		{"custom unit", numCell(300000, "visits"), colNumber, "300,000 visits"},
		{"negative", numCell(-1234567.25, "USD"), colNumber, "-1,234,567.25 USD"},
		{"small", numCell(0.000123, ""), colNumber, "0.0001"},
		{"tiny", numCell(1.5e-9, ""), colNumber, "1.5e-09"},
		{"missing", missingCell("USD"), colNumber, "-"},
		{"int", intCell(10000), colInt, "10,000"},
		{"bool", boolCell(true), colBool, "yes"},
		{"text", textCell("on track"), colStatus, "on track"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.human(tt.k); got != tt.want {
				t.Errorf("human = %q, want %q", got, tt.want)
			}
		})
	}
	if got := intCell(-5).machine(colInt); got != "-5" {
		t.Errorf("int machine = %q", got)
	}
	if got := boolCell(false).machine(colBool); got != "false" {
		t.Errorf("bool machine = %q", got)
	}
}

func TestTextTableAligned(t *testing.T) {
	tb := newTable("test", column{"metric", colText}, column{"value", colNumber}, column{"status", colStatus})
	tb.add(textCell("revenue"), numCell(39600000, "USD"), textCell("off track"))
	tb.add(textCell("conversion_rate"), numCell(0.08, metric.Unit("ratio")), textCell("achieved"))
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if err := writeText(w, tb, true); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	want := "METRIC                    VALUE  STATUS\n" +
		"revenue          39,600,000 USD  \033[31moff track\033[0m\n" +
		"conversion_rate              8%  \033[32machieved\033[0m\n"
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(want, "\t") {
		t.Error("tabs in the table")
	}
}
