package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kpitree/kpitree/metric"
)

// The output layer. A subcommand builds a *table — typed columns and rows
// — and calls e.emit; the --format decides how it is written:
//
//	text      an aligned table for people: numbers with their units
//	          (12,345 USD, 8.00%), statuses in colour on a terminal
//	csv       a header line and one line per row; numbers in Go's shortest
//	          exact form (strconv 'g', -1), so they read back bit for bit;
//	          a missing value is an empty field
//	json      one document: {"command": NAME, <meta fields>, "rows": [...]},
//	          each row an object keyed by the column names, in column
//	          order; a missing value is null
//	jsonl     one row object per line, nothing else
//	markdown  a GitHub-flavoured table, numbers as in text
//
// Subcommands whose output is not a table (graph, fmt, schema, check's
// sarif) write to e.stdout directly.

// colKind is the type of a column's values.
type colKind uint8

const (
	colText   colKind = iota // a string
	colNumber                // a float64, possibly missing; shown with the cell's unit
	colInt                   // an integer count
	colBool                  // true or false
	colStatus                // a status word, coloured in text output
)

type column struct {
	name string
	kind colKind
}

// cell is one value of a table.
type cell struct {
	s    string  // text, status; the integer or bool in text form
	f    float64 // number
	i    int64   // integer
	b    bool    // bool
	ok   bool    // the number is present (false: missing)
	unit metric.Unit
}

func textCell(s string) cell                { return cell{s: s, ok: true} }
func numCell(f float64, u metric.Unit) cell { return cell{f: f, ok: !math.IsNaN(f), unit: u} }
func missingCell(u metric.Unit) cell        { return cell{unit: u} }
func intCell(i int64) cell                  { return cell{i: i, ok: true} }
func boolCell(b bool) cell                  { return cell{b: b, ok: true} }
func optNum(f float64, ok bool, u metric.Unit) cell {
	if !ok {
		return missingCell(u)
	}
	return numCell(f, u)
}

// kv is one top-level field of a JSON document, in order.
type kv struct {
	key   string
	value any
}

// table is the result of a subcommand.
type table struct {
	command string
	columns []column
	rows    [][]cell
	// meta are fields of the json document before "rows": the model,
	// the periods, the options that shaped the result.
	meta []kv
}

func newTable(command string, cols ...column) *table {
	return &table{command: command, columns: cols}
}

// add appends a row; it must have one cell per column.
func (t *table) add(cells ...cell) {
	if len(cells) != len(t.columns) {
		panic(fmt.Sprintf("kpitree: table %s: row of %d cells for %d columns", t.command, len(cells), len(t.columns)))
	}
	t.rows = append(t.rows, cells)
}

// emit writes t to stdout in the --format.
func (e *env) emit(t *table) error {
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	var err error
	switch e.format {
	case "csv":
		err = writeCSV(w, t)
	case "json":
		err = writeJSON(w, t)
	case "jsonl":
		err = writeJSONL(w, t)
	case "markdown":
		err = writeMarkdown(w, t)
	default:
		err = writeText(w, t, e.colored())
	}
	if err != nil {
		return err
	}
	return w.Flush()
}

// formatNumber is the exact, shortest form of f: it parses back to the
// same float64.
func formatNumber(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// machine is a cell as text in csv: exact numbers, empty when missing.
func (c cell) machine(k colKind) string {
	switch k {
	case colNumber:
		if !c.ok {
			return ""
		}
		return formatNumber(c.f)
	case colInt:
		return strconv.FormatInt(c.i, 10)
	case colBool:
		return strconv.FormatBool(c.b)
	}
	return c.s
}

func writeCSV(w *bufio.Writer, t *table) error {
	for i, c := range t.columns {
		if i > 0 {
			w.WriteByte(',')
		}
		writeCSVField(w, c.name)
	}
	w.WriteByte('\n')
	for _, r := range t.rows {
		for i, c := range t.columns {
			if i > 0 {
				w.WriteByte(',')
			}
			writeCSVField(w, r[i].machine(c.kind))
		}
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}

func writeCSVField(w *bufio.Writer, s string) {
	if !strings.ContainsAny(s, ",\"\r\n;\t") && (s == "" || (s[0] != ' ' && s[len(s)-1] != ' ')) {
		w.WriteString(s)
		return
	}
	w.WriteByte('"')
	w.WriteString(strings.ReplaceAll(s, `"`, `""`))
	w.WriteByte('"')
}

// jsonValue is a cell as JSON.
func (c cell) jsonValue(k colKind) any {
	switch k {
	case colNumber:
		if !c.ok || math.IsInf(c.f, 0) {
			return nil
		}
		return json.RawMessage(formatNumber(c.f))
	case colInt:
		return c.i
	case colBool:
		return c.b
	}
	return c.s
}

func writeRowJSON(w *bufio.Writer, t *table, r []cell) error {
	w.WriteByte('{')
	for i, c := range t.columns {
		if i > 0 {
			w.WriteByte(',')
		}
		k, _ := json.Marshal(c.name)
		w.Write(k)
		w.WriteByte(':')
		v, err := json.Marshal(r[i].jsonValue(c.kind))
		if err != nil {
			return err
		}
		w.Write(v)
	}
	return w.WriteByte('}')
}

func writeJSON(w *bufio.Writer, t *table) error {
	w.WriteString("{\n  \"command\": ")
	name, _ := json.Marshal(t.command)
	w.Write(name)
	for _, m := range t.meta {
		k, _ := json.Marshal(m.key)
		v, err := json.Marshal(m.value)
		if err != nil {
			return fmt.Errorf("json field %s: %w", m.key, err)
		}
		fmt.Fprintf(w, ",\n  %s: %s", k, v)
	}
	w.WriteString(",\n  \"rows\": [")
	for i, r := range t.rows {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n    ")
		if err := writeRowJSON(w, t, r); err != nil {
			return err
		}
	}
	if len(t.rows) > 0 {
		w.WriteString("\n  ")
	}
	_, err := w.WriteString("]\n}\n")
	return err
}

func writeJSONL(w *bufio.Writer, t *table) error {
	for _, r := range t.rows {
		if err := writeRowJSON(w, t, r); err != nil {
			return err
		}
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}

// human is a cell as people read it: numbers grouped and with their unit.
func (c cell) human(k colKind) string {
	switch k {
	case colNumber:
		if !c.ok {
			return "-"
		}
		return humanNumber(c.f, c.unit)
	case colInt:
		return groupDigits(strconv.FormatInt(c.i, 10))
	case colBool:
		if c.b {
			return "yes"
		}
		return "no"
	}
	return c.s
}

// humanNumber formats f for a person: ratios as percentages, currencies
// with their code, counts grouped by thousands, up to 4 significant
// decimals for small values.
func humanNumber(f float64, u metric.Unit) string {
	if math.IsInf(f, 0) {
		if f > 0 {
			return "+Inf"
		}
		return "-Inf"
	}
	switch u.Kind() {
	case metric.UnitRatio:
		return trimFloat(100*f, 2) + "%"
	case metric.UnitPercent:
		return trimFloat(f, 2) + "%"
	case metric.UnitCurrency:
		return trimFloat(f, 2) + " " + string(u)
	case metric.UnitCount, metric.UnitNone:
		return trimFloat(f, 4)
	}
	return trimFloat(f, 4) + " " + string(u)
}

// trimFloat writes f with thousands separators and at most dec decimals
// (more significant digits for values below 1), without trailing zeros.
func trimFloat(f float64, dec int) string {
	a := math.Abs(f)
	if a != 0 && (a >= 1e15 || a < 1e-4) {
		return strconv.FormatFloat(f, 'g', 4, 64)
	}
	if a < 1 && a != 0 {
		dec = max(dec, 4)
	}
	s := strconv.FormatFloat(f, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	intPart, frac, _ := strings.Cut(s, ".")
	out := groupDigits(intPart)
	if frac != "" {
		out += "." + frac
	}
	return out
}

func groupDigits(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if len(s) <= 3 {
		if neg {
			return "-" + s
		}
		return s
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 && !(neg && b.Len() == 1) {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// statusColor is the ANSI colour of a status word.
func statusColor(s string) string {
	switch s {
	case "achieved", "on track", "pass", "ok", "met":
		return "\033[32m"
	case "at risk", "warning", "warn":
		return "\033[33m"
	case "off track", "error", "missed", "fail":
		return "\033[31m"
	case "no data", "info":
		return "\033[2m"
	}
	return ""
}

func rightAligned(k colKind) bool { return k == colNumber || k == colInt }

func writeText(w *bufio.Writer, t *table, color bool) error {
	if len(t.rows) == 0 {
		_, err := w.WriteString("(no rows)\n")
		return err
	}
	cells := make([][]string, len(t.rows))
	width := make([]int, len(t.columns))
	for i, c := range t.columns {
		width[i] = utf8.RuneCountInString(c.name)
	}
	for r, row := range t.rows {
		cells[r] = make([]string, len(row))
		for i, c := range row {
			s := c.human(t.columns[i].kind)
			cells[r][i] = s
			width[i] = max(width[i], utf8.RuneCountInString(s))
		}
	}
	pad := func(s string, i int) string {
		n := width[i] - utf8.RuneCountInString(s)
		if n <= 0 {
			return s
		}
		if rightAligned(t.columns[i].kind) {
			return strings.Repeat(" ", n) + s
		}
		if i == len(t.columns)-1 {
			return s
		}
		return s + strings.Repeat(" ", n)
	}
	for i, c := range t.columns {
		if i > 0 {
			w.WriteString("  ")
		}
		w.WriteString(pad(strings.ToUpper(c.name), i))
	}
	w.WriteByte('\n')
	var line strings.Builder
	for _, row := range cells {
		line.Reset()
		for i, s := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			p := pad(s, i)
			if color && t.columns[i].kind == colStatus {
				if code := statusColor(s); code != "" {
					p = code + p + "\033[0m"
				}
			}
			line.WriteString(p)
		}
		w.WriteString(strings.TrimRight(line.String(), " "))
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}

func writeMarkdown(w *bufio.Writer, t *table) error {
	w.WriteByte('|')
	for _, c := range t.columns {
		w.WriteString(" " + mdEscape(c.name) + " |")
	}
	w.WriteString("\n|")
	for _, c := range t.columns {
		if rightAligned(c.kind) {
			w.WriteString(" ---: |")
		} else {
			w.WriteString(" --- |")
		}
	}
	w.WriteByte('\n')
	for _, r := range t.rows {
		w.WriteByte('|')
		for i, c := range t.columns {
			w.WriteString(" " + mdEscape(r[i].human(c.kind)) + " |")
		}
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

var _ io.Writer
