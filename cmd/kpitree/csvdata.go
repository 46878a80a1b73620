package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/kpitree/kpitree/metric"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readCSV reads CSV data, long (metric,period,value) or wide
// (period,<metric>,...), with ',', ';' or tab as the separator.
func (in *ingest) readCSV(file string, buf []byte) error {
	errAt := func(off, line int, msg, hint string) error {
		return &dataError{File: file, Line: line, Column: charColumn(buf, off), Msg: msg, Hint: hint}
	}
	switch {
	case len(buf) == 0 || len(bytes.TrimSpace(buf)) == 0:
		return &dataError{File: file, Msg: "empty file", Hint: "expected a header line: metric,period,value (long) or period,<metric>,... (wide)"}
	case bytes.HasPrefix(buf, []byte{0xFF, 0xFE}), bytes.HasPrefix(buf, []byte{0xFE, 0xFF}):
		return &dataError{File: file, Line: 1, Column: 1, Msg: "the file is UTF-16 (it starts with a UTF-16 byte-order mark)", Hint: "save it as UTF-8"}
	case bytes.HasPrefix(buf, utf8BOM):
		// A UTF-8 byte-order mark carries no data; say that it was skipped.
		buf = buf[len(utf8BOM):]
		if in.notef != nil {
			in.notef("%s: skipped the UTF-8 byte-order mark at the start of the file", file)
		}
		if len(bytes.TrimSpace(buf)) == 0 {
			return &dataError{File: file, Msg: "empty file (only a byte-order mark)", Hint: "expected a header line: metric,period,value (long) or period,<metric>,... (wide)"}
		}
	}
	if i := bytes.IndexByte(buf, 0); i >= 0 {
		line := bytes.Count(buf[:i], []byte{'\n'}) + 1
		return errAt(i, line, "a NUL byte: this is not a text file", "give CSV text, JSON or a .parquet file")
	}
	// The separator is the one the header uses.
	headerEnd := bytes.IndexAny(buf, "\r\n")
	if headerEnd < 0 {
		headerEnd = len(buf)
	}
	header := buf[:headerEnd]
	seps := []byte{}
	for _, c := range []byte{',', ';', '\t'} {
		if bytes.IndexByte(header, c) >= 0 {
			seps = append(seps, c)
		}
	}
	switch len(seps) {
	case 0:
		return errAt(0, 1, fmt.Sprintf("the header %q has one column", truncate(string(header), 60)), "expected metric,period,value (long) or period,<metric>,... (wide), separated by commas")
	case 2, 3:
		k := bytes.IndexByte(header, seps[1])
		return errAt(k, 1, fmt.Sprintf("mixed separators in the header: %s and %s", sepName(seps[0]), sepName(seps[1])), "separate every column with the same character")
	}
	s := &csvScanner{buf: buf, line: 1, sep: seps[0]}
	ok, serr := s.next()
	if serr != nil {
		return errAt(serr.off, serr.line, serr.msg, serr.hint)
	}
	if !ok {
		return &dataError{File: file, Msg: "empty file"}
	}
	names := make([]string, len(s.fields))
	offs := make([]int, len(s.fields))
	for i, f := range s.fields {
		names[i] = strings.TrimSpace(string(f.text))
		offs[i] = f.off
	}
	if isLongHeader(names) {
		return in.readLong(file, buf, s, names, offs, errAt)
	}
	if strings.EqualFold(names[0], "period") {
		return in.readWide(file, buf, s, names, offs, errAt)
	}
	hint := "expected metric,period,value (long) or period,<metric>,... (wide)"
	if d := didYouMean(names[0], []string{"metric", "period"}); d != "" {
		hint = strings.Trim(d, " ()") + "; " + hint
	}
	return errAt(offs[0], 1, fmt.Sprintf("unrecognised header %q", truncate(string(header), 60)), hint)
}

func sepName(c byte) string {
	switch c {
	case ',':
		return "comma"
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	}
	return strconv.QuoteRune(rune(c))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// isLongHeader reports whether the header is metric, period, value in any
// order.
func isLongHeader(names []string) bool {
	if len(names) != 3 {
		return false
	}
	seen := 0
	for _, n := range names {
		switch strings.ToLower(n) {
		case "metric":
			seen |= 1
		case "period":
			seen |= 2
		case "value":
			seen |= 4
		}
	}
	return seen == 7
}

// checkWidth reports a record whose number of fields differs from the
// header's, saying so when another separator is the likely cause.
func checkWidth(s *csvScanner, want int, errAt func(off, line int, msg, hint string) error) error {
	got := len(s.fields)
	if got == want {
		return nil
	}
	first := s.fields[0]
	for _, c := range []byte{',', ';', '\t'} {
		if c == s.sep {
			continue
		}
		for _, f := range s.fields {
			if f.quoted {
				continue
			}
			if k := bytes.IndexByte(f.text, c); k >= 0 {
				return errAt(f.off+k, f.line, fmt.Sprintf("mixed separators: a %s on a line of a file separated by %ss", sepName(c), sepName(s.sep)),
					"separate every column with the same character; quote a field that contains the separator")
			}
		}
	}
	if got > want {
		f := s.fields[want]
		return errAt(f.off, f.line, fmt.Sprintf("%d fields, the header has %d", got, want), "remove the extra fields, or quote a field that contains the separator")
	}
	last := s.fields[got-1]
	return errAt(last.off+len(last.text), first.line, fmt.Sprintf("%d fields, the header has %d", got, want), "every line has one field per header column; leave a field empty for a missing value")
}

func (in *ingest) readLong(file string, buf []byte, s *csvScanner, names []string, offs []int, errAt func(off, line int, msg, hint string) error) error {
	var im, ip, iv int
	for i, n := range names {
		switch strings.ToLower(n) {
		case "metric":
			im = i
		case "period":
			ip = i
		case "value":
			iv = i
		}
	}
	rows := 0
	for {
		ok, serr := s.next()
		if serr != nil {
			return errAt(serr.off, serr.line, serr.msg, serr.hint)
		}
		if !ok {
			break
		}
		if err := checkWidth(s, 3, errAt); err != nil {
			return err
		}
		rows++
		fm, fp, fv := s.fields[im], s.fields[ip], s.fields[iv]
		i, msg, hint := in.metricIndex(fm.text)
		if msg != "" {
			return errAt(fm.off, fm.line, msg, hint)
		}
		p, msg, hint := in.parsePeriod(trimSpace(fp.text))
		if msg != "" {
			return errAt(fp.off, fp.line, msg, hint)
		}
		v, present, msg, hint := parseValue(fv.text)
		if msg != "" {
			return errAt(fv.off, fv.line, msg, hint)
		}
		if err := in.add(i, p, v, present, where{file: file, buf: buf, off: fm.off, line: fm.line}); err != nil {
			return err
		}
	}
	if rows == 0 {
		return &dataError{File: file, Line: 1, Msg: "no data rows after the header", Hint: "add rows such as visitors,2027-01,300000"}
	}
	return nil
}

func (in *ingest) readWide(file string, buf []byte, s *csvScanner, names []string, offs []int, errAt func(off, line int, msg, hint string) error) error {
	cols := make([]int, len(names))
	seen := map[string]int{}
	for k := 1; k < len(names); k++ {
		i, msg, hint := in.metricIndex([]byte(names[k]))
		if msg != "" {
			if names[k] == "" {
				msg, hint = "empty column name", "every column after period names a metric of the model"
			}
			return errAt(offs[k], 1, msg, hint)
		}
		if prev, dup := seen[names[k]]; dup {
			return errAt(offs[k], 1, fmt.Sprintf("duplicate column %s", names[k]), fmt.Sprintf("it is also column %d", prev+1))
		}
		seen[names[k]] = k
		cols[k] = i
	}
	rows := 0
	for {
		ok, serr := s.next()
		if serr != nil {
			return errAt(serr.off, serr.line, serr.msg, serr.hint)
		}
		if !ok {
			break
		}
		if err := checkWidth(s, len(names), errAt); err != nil {
			return err
		}
		rows++
		fp := s.fields[0]
		p, msg, hint := in.parsePeriod(trimSpace(fp.text))
		if msg != "" {
			return errAt(fp.off, fp.line, msg, hint)
		}
		for k := 1; k < len(names); k++ {
			f := s.fields[k]
			v, present, msg, hint := parseValue(f.text)
			if msg != "" {
				return errAt(f.off, f.line, msg, hint)
			}
			if err := in.add(cols[k], p, v, present, where{file: file, buf: buf, off: f.off, line: f.line}); err != nil {
				return err
			}
		}
	}
	if rows == 0 {
		return &dataError{File: file, Line: 1, Msg: "no data rows after the header", Hint: "add rows such as 2027-01,300000,..."}
	}
	return nil
}

var _ = metric.Month
