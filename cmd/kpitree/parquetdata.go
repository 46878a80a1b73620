package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// readParquet reads Parquet data: long (columns metric and period as
// strings, value as a number) or wide (period, then one numeric column per
// metric). A null value is missing. Positions are row numbers (1-based,
// over the whole file) and column names.
func (in *ingest) readParquet(file string, buf []byte) (err error) {
	defer func() {
		// The Parquet decoder reads untrusted bytes; a malformed file must
		// be an error, never a crash.
		if r := recover(); r != nil {
			err = &dataError{File: file, Msg: fmt.Sprintf("malformed Parquet file: %v", r)}
		}
	}()
	if len(buf) == 0 {
		return &dataError{File: file, Msg: "empty file", Hint: "expected a Parquet file with columns metric, period, value (long) or period, <metric>... (wide)"}
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf), int64(len(buf)))
	if err != nil {
		return &dataError{File: file, Msg: "not a readable Parquet file: " + err.Error()}
	}
	schema := f.Schema()
	var names []string
	var kinds []parquet.Kind
	for _, fld := range schema.Fields() {
		if !fld.Leaf() {
			return &dataError{File: file, Field: fld.Name(), Msg: "a nested column", Hint: "give flat columns: metric, period, value (long) or period, <metric>... (wide)"}
		}
		if fld.Repeated() {
			return &dataError{File: file, Field: fld.Name(), Msg: "a repeated (list) column", Hint: "give one value per row"}
		}
		names = append(names, fld.Name())
		kinds = append(kinds, fld.Type().Kind())
	}
	// Leaf column index of each field, by name.
	leaf := map[string]int{}
	for i, path := range schema.Columns() {
		leaf[strings.Join(path, ".")] = i
	}
	isString := func(i int) bool { return kinds[i] == parquet.ByteArray || kinds[i] == parquet.FixedLenByteArray }
	isNumber := func(i int) bool {
		switch kinds[i] {
		case parquet.Double, parquet.Float, parquet.Int32, parquet.Int64:
			return true
		}
		return false
	}
	long := isLongHeader(names)
	if !long && (len(names) == 0 || !strings.EqualFold(names[0], "period")) {
		return &dataError{File: file, Msg: fmt.Sprintf("unrecognised columns %s", strings.Join(names, ", ")), Hint: "expected metric, period, value (long) or period, <metric>... (wide)"}
	}
	// col[k] is the metric index of wide column k; role for long.
	type colRole struct {
		role   byte // 'm' metric, 'p' period, 'v' value
		metric int
		name   string
	}
	roles := make([]colRole, len(schema.Columns()))
	for k, n := range names {
		li := leaf[n]
		r := colRole{name: n}
		switch {
		case long && strings.EqualFold(n, "metric"), long && strings.EqualFold(n, "period"), !long && k == 0:
			if !isString(k) {
				return &dataError{File: file, Field: n, Msg: fmt.Sprintf("a %s column", kinds[k]), Hint: "metric and period columns hold strings (BYTE_ARRAY, UTF8)"}
			}
			r.role = 'm'
			if strings.EqualFold(n, "period") {
				r.role = 'p'
			}
		default:
			if !isNumber(k) {
				return &dataError{File: file, Field: n, Msg: fmt.Sprintf("a %s column", kinds[k]), Hint: "values are DOUBLE, FLOAT, INT32 or INT64"}
			}
			r.role = 'v'
			if !long {
				i, msg, hint := in.metricIndex([]byte(n))
				if msg != "" {
					return &dataError{File: file, Field: n, Msg: msg, Hint: hint}
				}
				r.metric = i
			}
		}
		roles[li] = r
	}
	rowNo := 0
	rows := make([]parquet.Row, 256)
	for _, rg := range f.RowGroups() {
		rr := rg.Rows()
		for {
			n, rerr := rr.ReadRows(rows)
			for _, row := range rows[:n] {
				rowNo++
				if err := in.parquetRow(file, rowNo, row, long, func(c int) (byte, int, string) {
					r := roles[c]
					return r.role, r.metric, r.name
				}); err != nil {
					rr.Close()
					return err
				}
			}
			if errors.Is(rerr, io.EOF) {
				break
			}
			if rerr != nil {
				rr.Close()
				return &dataError{File: file, Row: rowNo + 1, Msg: "reading Parquet: " + rerr.Error()}
			}
		}
		rr.Close()
	}
	if rowNo == 0 {
		return &dataError{File: file, Msg: "no rows", Hint: "the Parquet file has a schema but no data"}
	}
	return nil
}

// parquetRow stores one row.
func (in *ingest) parquetRow(file string, rowNo int, row parquet.Row, long bool, role func(c int) (byte, int, string)) error {
	at := func(name string) where { return where{file: file, row: rowNo, field: name} }
	if long {
		var (
			idv, pv, vv          parquet.Value
			idName, pName, vName string
		)
		for _, v := range row {
			r, _, name := role(v.Column())
			switch r {
			case 'm':
				idv, idName = v, name
			case 'p':
				pv, pName = v, name
			case 'v':
				vv, vName = v, name
			}
		}
		if idv.IsNull() {
			return at(idName).err("no metric id (null)", "every row names a metric of the model")
		}
		i, msg, hint := in.metricIndex(idv.ByteArray())
		if msg != "" {
			return at(idName).err(msg, hint)
		}
		if pv.IsNull() {
			return at(pName).err("no period (null)", periodHint(in.grain))
		}
		p, msg, hint := in.parsePeriod(pv.ByteArray())
		if msg != "" {
			return at(pName).err(msg, hint)
		}
		x, ok, msg := parquetNumber(vv)
		if msg != "" {
			return at(vName).err(msg, "leave the value null for a missing value")
		}
		return in.add(i, p, x, ok, at(vName))
	}
	var pv parquet.Value
	var pName string
	for _, v := range row {
		if r, _, name := role(v.Column()); r == 'p' || r == 'm' {
			pv, pName = v, name
		}
	}
	if pv.IsNull() {
		return at(pName).err("no period (null)", periodHint(in.grain))
	}
	p, msg, hint := in.parsePeriod(pv.ByteArray())
	if msg != "" {
		return at(pName).err(msg, hint)
	}
	for _, v := range row {
		r, mi, name := role(v.Column())
		if r != 'v' {
			continue
		}
		x, ok, msg := parquetNumber(v)
		if msg != "" {
			return at(name).err(msg, "leave the value null for a missing value")
		}
		if err := in.add(mi, p, x, ok, at(name)); err != nil {
			return err
		}
	}
	return nil
}

// parquetNumber converts a numeric Parquet value; null is missing.
func parquetNumber(v parquet.Value) (float64, bool, string) {
	if v.IsNull() {
		return 0, false, ""
	}
	var x float64
	switch v.Kind() {
	case parquet.Double:
		x = v.Double()
	case parquet.Float:
		x = float64(v.Float())
	case parquet.Int32:
		x = float64(v.Int32())
	case parquet.Int64:
		n := v.Int64()
		x = float64(n)
		if n != int64(x) || x == math.MaxInt64+1.0 {
			return 0, false, fmt.Sprintf("value %d has no exact float64: it would be rounded to %s", n, formatNumber(x))
		}
	default:
		return 0, false, fmt.Sprintf("a %s value where a number was expected", v.Kind())
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false, fmt.Sprintf("value %v is not a finite number", x)
	}
	return x, true, ""
}
