package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// errData is the sentinel every dataError matches with errors.Is.
var errData = errors.New("invalid data")

// dataError is a problem in a data file, with its position: line and
// column for text files, row and column name for Parquet.
type dataError struct {
	File   string
	Line   int    // 1-based line (text files); 0 if none
	Column int    // 1-based column in characters (text files); 0 if none
	Row    int    // 1-based row (Parquet); 0 if none
	Field  string // column name (Parquet)
	Msg    string
	Hint   string
}

func (e *dataError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	switch {
	case e.Line > 0 && e.Column > 0:
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	case e.Line > 0:
		fmt.Fprintf(&b, ":%d", e.Line)
	case e.Row > 0 && e.Field != "":
		fmt.Fprintf(&b, ": row %d, column %s", e.Row, e.Field)
	case e.Row > 0:
		fmt.Fprintf(&b, ": row %d", e.Row)
	case e.Field != "":
		fmt.Fprintf(&b, ": column %s", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

func (e *dataError) Is(target error) bool { return target == errData }

// dataset is the data of the --data files, validated against the model.
type dataset struct {
	values rollup.Data
	files  []string
	count  int // values stored
	empty  int // cells given as missing (empty or null)
	first  metric.Period
	last   metric.Period
	// derived are the values given for derived metrics: kept as recorded
	// actuals, read by prev() before the first evaluated period.
	derived []located
}

// located is one observation and where it was given.
type located struct {
	id string
	p  metric.Period
	at where
}

// where is the position of a cell: line and byte offset in a text file,
// or row and column name in a Parquet file.
type where struct {
	file  string
	buf   []byte
	off   int
	line  int
	row   int
	field string
}

// err makes a positioned error.
func (w where) err(msg, hint string) error {
	if w.buf != nil || w.line > 0 {
		return &dataError{File: w.file, Line: w.line, Column: charColumn(w.buf, w.off), Msg: msg, Hint: hint}
	}
	return &dataError{File: w.file, Row: w.row, Field: w.field, Msg: msg, Hint: hint}
}

// String is the position as file:line:column or file: row N, column C.
func (w where) String() string {
	e := w.err("", "").(*dataError)
	s := e.Error()
	return strings.TrimSuffix(s, ": ")
}

// obsKey identifies an observation.
type obsKey struct {
	i int
	p metric.Period
}

// ingest reads data files into a dataset for one compiled model.
type ingest struct {
	c       *tree.Compiled
	cal     metric.Calendar
	grain   metric.Grain
	ids     map[string]int
	idList  []string
	series  []*metric.Series
	periods map[string]metric.Period
	ds      *dataset
	empties map[obsKey]where // explicit missing cells, with their position
	// raw are the files read so far, rescanned on the error path to say
	// where a duplicated observation was first given.
	raw   []rawFile
	watch *obsKey // set on a rescan: stop at this observation
	found where
	notef func(format string, args ...any)
	lastP metric.Period // the last period tracked
}

type rawFile struct {
	display, name string
	buf           []byte
}

// errFound stops a rescan at the watched observation.
var errFound = errors.New("found")

func newIngest(c *tree.Compiled) *ingest {
	m := c.Model()
	in := &ingest{
		c:       c,
		cal:     m.Calendar,
		grain:   m.GrainOrDefault(),
		ids:     make(map[string]int, c.Len()),
		idList:  make([]string, c.Len()),
		series:  make([]*metric.Series, c.Len()),
		periods: make(map[string]metric.Period),
		ds:      &dataset{values: rollup.Data{}},
		empties: map[obsKey]where{},
	}
	for i := range c.Len() {
		id := c.ID(i)
		in.ids[id] = i
		in.idList[i] = id
	}
	return in
}

// readDataFile reads one --data argument ("-" is stdin).
func (in *ingest) readDataFile(name string, stdin io.Reader) error {
	var (
		buf []byte
		err error
	)
	display := name
	if name == "-" {
		display = "<stdin>"
		if stdin == nil {
			return &dataError{File: display, Msg: "no standard input"}
		}
		buf, err = io.ReadAll(stdin)
	} else {
		buf, err = os.ReadFile(name)
	}
	if err != nil {
		return fmt.Errorf("reading data: %w", err)
	}
	in.ds.files = append(in.ds.files, display)
	return in.readData(display, name, buf)
}

// locate finds where observation k was first given, rescanning the files
// read so far.
func (in *ingest) locate(k obsKey) (where, bool) {
	re := newIngest(in.c)
	re.watch = &k
	for _, f := range in.raw {
		if err := re.readData(f.display, f.name, f.buf); errors.Is(err, errFound) {
			return re.found, true
		}
	}
	return where{}, false
}

// readData reads one data file's bytes, choosing the format by its name's
// extension (.csv, .tsv, .json, .jsonl, .ndjson, .parquet), else by its
// content.
func (in *ingest) readData(display, name string, buf []byte) error {
	if in.watch == nil {
		in.raw = append(in.raw, rawFile{display, name, buf})
	}
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".parquet"):
		return in.readParquet(display, buf)
	case strings.HasSuffix(lower, ".json"), strings.HasSuffix(lower, ".jsonl"), strings.HasSuffix(lower, ".ndjson"):
		return in.readJSON(display, buf)
	case strings.HasSuffix(lower, ".csv"), strings.HasSuffix(lower, ".tsv"), strings.HasSuffix(lower, ".txt"):
		return in.readCSV(display, buf)
	}
	if bytes.HasPrefix(buf, []byte("PAR1")) {
		return in.readParquet(display, buf)
	}
	t := bytes.TrimLeft(buf, " \t\r\n")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return in.readJSON(display, buf)
	}
	return in.readCSV(display, buf)
}

// parsePeriod parses a period cell of the model's grain and calendar.
func (in *ingest) parsePeriod(b []byte) (metric.Period, string, string) {
	if p, ok := in.periods[string(b)]; ok {
		return p, "", ""
	}
	s := string(b)
	p, err := in.cal.Parse(s)
	if err != nil {
		var pe *metric.ParseError
		if errors.As(err, &pe) {
			return metric.Period{}, fmt.Sprintf("period %q: %s", s, pe.Msg), periodHint(in.grain)
		}
		return metric.Period{}, fmt.Sprintf("period %q: %v", s, err), periodHint(in.grain)
	}
	if p.Grain() != in.grain {
		return metric.Period{}, fmt.Sprintf("period %s is a %s; the model is evaluated by %s", s, p.Grain(), in.grain),
			"give " + in.grain.String() + " periods, e.g. " + periodHint(in.grain)[len("expected "):] + "; the model's grain is set by its grain: key"
	}
	if len(in.periods) < 1<<16 {
		in.periods[s] = p
	}
	return p, "", ""
}

func periodHint(g metric.Grain) string {
	switch g {
	case metric.Day:
		return "expected 2027-01-31"
	case metric.Week:
		return "expected 2027-W05"
	case metric.Quarter:
		return "expected 2027-Q1"
	case metric.Year:
		return "expected 2027"
	}
	return "expected 2027-01"
}

// parseValue parses a number cell. An empty cell is missing (ok=false,
// msg=""); anything else that is not a finite number is an error.
func parseValue(b []byte) (v float64, ok bool, msg, hint string) {
	b = trimSpace(b)
	if len(b) == 0 {
		return 0, false, "", ""
	}
	v, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
	if err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
		return v, true, "", ""
	}
	s := string(b)
	switch {
	case err == nil:
		return 0, false, fmt.Sprintf("value %q is not a finite number", s), "leave the cell empty for a missing value"
	case errors.Is(err, strconv.ErrRange):
		return 0, false, fmt.Sprintf("value %q is out of the float64 range", s), ""
	case strings.Count(s, ",") == 1 && !strings.Contains(s, ".") && len(s)-strings.IndexByte(s, ',') != 4:
		return 0, false, fmt.Sprintf("value %q is not a number", s), "use a decimal point: " + strings.Replace(s, ",", ".", 1)
	case strings.ContainsAny(s, ",_ '"):
		return 0, false, fmt.Sprintf("value %q is not a number", s), "write numbers without thousands separators and with a decimal point"
	case strings.ContainsAny(s, "$€£¥%"):
		return 0, false, fmt.Sprintf("value %q is not a number", s), "write the bare number; the unit comes from the model"
	}
	return 0, false, fmt.Sprintf("value %q is not a number", s), "expected a decimal number such as 1250.5 or 1.2e6, or an empty cell for a missing value"
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// metricIndex resolves a metric id cell.
func (in *ingest) metricIndex(b []byte) (int, string, string) {
	if i, ok := in.ids[string(trimSpace(b))]; ok {
		return i, "", ""
	}
	s := string(b)
	if s == "" {
		return -1, "empty metric id", "every row names a metric of the model"
	}
	return -1, fmt.Sprintf("unknown metric %q%s", s, didYouMean(s, in.idList)), "the model's metrics are listed by 'kpitree graph MODEL'"
}

// add stores one observation; at is where it was given.
func (in *ingest) add(i int, p metric.Period, v float64, present bool, at where) error {
	k := obsKey{i, p}
	if in.watch != nil && *in.watch == k {
		in.found = at
		return errFound
	}
	s := in.series[i]
	if s == nil {
		s = &metric.Series{}
		in.series[i] = s
		in.ds.values[in.idList[i]] = s
	}
	if _, dup := s.Get(p); dup {
		return at.err(fmt.Sprintf("duplicate value for %s in %s", in.idList[i], p), in.firstHint(k))
	}
	if len(in.empties) > 0 {
		if first, dup := in.empties[k]; dup {
			return at.err(fmt.Sprintf("duplicate value for %s in %s", in.idList[i], p), "first given (empty) at "+first.String())
		}
	}
	if !present {
		in.empties[k] = at
		in.ds.empty++
		in.track(p)
		return nil
	}
	if err := s.Set(p, v); err != nil {
		return at.err(err.Error(), "")
	}
	in.ds.count++
	in.track(p)
	if in.c.Metric(i).Derived() {
		in.ds.derived = append(in.ds.derived, located{id: in.idList[i], p: p, at: at})
	}
	return nil
}

func (in *ingest) firstHint(k obsKey) string {
	if in.watch == nil {
		if at, ok := in.locate(k); ok {
			return "first given at " + at.String() + "; keep one row per metric and period"
		}
	}
	return "keep one row per metric and period"
}

func (in *ingest) track(p metric.Period) {
	if p == in.lastP {
		return
	}
	in.lastP = p
	if in.ds.first.IsZero() || p.Before(in.ds.first) {
		in.ds.first = p
	}
	if in.ds.last.IsZero() || in.ds.last.Before(p) {
		in.ds.last = p
	}
}
