package main

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
)

// The bad-input classes of the data readers, each with the exact message
// and position.
var badData = []struct {
	name, file, data, want string
}{
	{"empty file", "d.csv", "", "d.csv: empty file (expected a header line: metric,period,value (long) or period,<metric>,... (wide))"},
	{"blank file", "d.csv", "\n\n", "d.csv: empty file"},
	{"only a header", "d.csv", "metric,period,value\n", "d.csv:1: no data rows after the header"},
	{"unknown metric", "d.csv", "metric,period,value\nvisitors,2027-01,1\nvisiters,2027-02,2\n", `d.csv:3:1: unknown metric "visiters" (did you mean "visitors"?)`},
	{"unknown wide column", "d.csv", "period,visitors,ordres\n2027-01,1,2\n", `d.csv:1:17: unknown metric "ordres" (did you mean "orders"?)`},
	{"duplicate", "d.csv", "metric,period,value\nvisitors,2027-01,1\norders,2027-01,2\nvisitors,2027-01,3\n", "d.csv:4:1: duplicate value for visitors in 2027-01 (first given at d.csv:2:1; keep one row per metric and period)"},
	{"duplicate wide row", "d.csv", "period,visitors\n2027-01,1\n2027-01,2\n", "d.csv:3:9: duplicate value for visitors in 2027-01 (first given at d.csv:2:9"},
	{"duplicate column", "d.csv", "period,visitors,visitors\n2027-01,1,2\n", "d.csv:1:17: duplicate column visitors (it is also column 2)"},
	{"duplicate of an empty cell", "d.csv", "metric,period,value\nvisitors,2027-01,\nvisitors,2027-01,3\n", "d.csv:3:1: duplicate value for visitors in 2027-01 (first given (empty) at d.csv:2:1)"},
	{"bad period", "d.csv", "metric,period,value\nvisitors,2027-13,1\n", `d.csv:2:10: period "2027-13"`},
	{"wrong grain", "d.csv", "metric,period,value\nvisitors,2027-Q1,1\n", "d.csv:2:10: period 2027-Q1 is a quarter; the model is evaluated by month"},
	{"bad number", "d.csv", "metric,period,value\nvisitors,2027-01,12x\n", `d.csv:2:18: value "12x" is not a number`},
	{"decimal comma", "d.csv", "metric;period;value\nvisitors;2027-01;3,5\n", `d.csv:2:18: value "3,5" is not a number (use a decimal point: 3.5)`},
	{"thousands separator", "d.csv", "metric,period,value\nvisitors,2027-01,\"1,000\"\n", `d.csv:2:18: value "1,000" is not a number (write numbers without thousands separators`},
	{"NaN", "d.csv", "metric,period,value\nvisitors,2027-01,NaN\n", `d.csv:2:18: value "NaN" is not a finite number (leave the cell empty for a missing value)`},
	{"Inf", "d.csv", "metric,period,value\nvisitors,2027-01,-Inf\n", `d.csv:2:18: value "-Inf" is not a finite number`},
	{"out of range", "d.csv", "metric,period,value\nvisitors,2027-01,1e400\n", `d.csv:2:18: value "1e400" is out of the float64 range`},
	{"currency sign", "d.csv", "metric,period,value\nvisitors,2027-01,$5\n", `d.csv:2:18: value "$5" is not a number (write the bare number; the unit comes from the model)`},
	{"mixed separators", "d.csv", "metric,period,value\nvisitors;2027-01;1\n", "d.csv:2:9: mixed separators: a semicolon on a line of a file separated by commas"},
	{"mixed separators in the header", "d.csv", "metric,period;value\n", "d.csv:1:14: mixed separators in the header: comma and semicolon"},
	{"too many fields", "d.csv", "metric,period,value\nvisitors,2027-01,1,2\n", "d.csv:2:20: 4 fields, the header has 3"},
	{"too few fields", "d.csv", "metric,period,value\nvisitors,2027-01\n", "d.csv:2:17: 2 fields, the header has 3"},
	{"mixed line endings", "d.csv", "metric,period,value\r\nvisitors,2027-01,1\norders,2027-01,2\r\n", "d.csv:2:19: mixed line endings: this line ends in LF, the first line in CRLF"},
	{"lone CR", "d.csv", "metric,period,value\rvisitors,2027-01,1\r", `d.csv:1:20: a carriage return (\r) alone ends the line`},
	{"UTF-16", "d.csv", "\xff\xfem\x00e\x00", "d.csv:1:1: the file is UTF-16"},
	{"NUL byte", "d.csv", "metric,period,value\nvisitors,2027-01,1\x00\n", "d.csv:2:19: a NUL byte: this is not a text file"},
	{"bare quote", "d.csv", "metric,period,value\nvisi\"tors,2027-01,1\n", "d.csv:2:5: a quote inside an unquoted field"},
	{"open quote", "d.csv", "metric,period,value\n\"visitors,2027-01,1\n", "d.csv:2:1: a quoted field is never closed"},
	{"unknown header", "d.csv", "metrik,period,value\nvisitors,2027-01,1\n", `d.csv:1:1: unrecognised header "metrik,period,value" (did you mean "metric"?; expected metric,period,value (long) or period,<metric>,... (wide))`},
	{"one column", "d.csv", "metric\nvisitors\n", `d.csv:1:1: the header "metric" has one column`},
	{"json empty", "d.json", " \n", "d.json: empty file"},
	{"json unknown metric", "d.json", `[{"metric": "visiters", "period": "2027-01", "value": 1}]`, `d.json:1:13: unknown metric "visiters" (did you mean "visitors"?)`},
	{"json unknown field", "d.json", "[\n {\"metric\": \"visitors\", \"period\": \"2027-01\", \"valeu\": 1}\n]", `d.json:2:46: unknown field "valeu" in a row (did you mean "value"?)`},
	{"json missing field", "d.json", `[{"metric": "visitors", "period": "2027-01"}]`, `d.json:1:2: a row without "value"`},
	{"json string value", "d.json", `[{"metric": "visitors", "period": "2027-01", "value": "1"}]`, `d.json:1:55: "value" is a string (expected a number, or null for a missing value)`},
	{"json syntax", "d.json", "[{\"metric\": \"visitors\",\n \"period\" \"2027-01\"}]", "d.json:2:11: invalid JSON: invalid character '\"' after object key"},
	{"json truncated", "d.json", `[{"metric": "visitors"`, "d.json:1:23: the JSON ends too early"},
	{"json top-level", "d.json", `42`, "d.json:1:1: a JSON number at the top level"},
	{"json no rows", "d.json", `[]`, "d.json: no rows"},
	{"json document field", "d.json", `{"command": "eval", "rowz": []}`, `d.json:1:21: unknown field "rowz" (did you mean "rows"?)`},
	{"json duplicate", "d.json", "{\"metric\": \"orders\", \"period\": \"2027-01\", \"value\": 1}\n{\"metric\": \"orders\", \"period\": \"2027-01\", \"value\": 2}\n", "d.json:2:12: duplicate value for orders in 2027-01 (first given at d.json:1:12;"},
	{"parquet garbage", "d.parquet", "PAR1 not really", "d.parquet: not a readable Parquet file"},
	{"parquet empty", "d.parquet", "", "d.parquet: empty file"},
}

func TestBadData(t *testing.T) {
	for _, tt := range badData {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadString(t, shopModel, tt.file, tt.data)
			if err == nil {
				t.Fatalf("no error; want %s", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			if !errors.Is(err, errData) {
				t.Errorf("errors.Is(err, errData) is false for %v", err)
			}
			var de *dataError
			if !errors.As(err, &de) {
				t.Errorf("not a *dataError: %T", err)
			}
		})
	}
}

// The good inputs: every layout gives the same data.
func TestGoodData(t *testing.T) {
	want := map[string]float64{"visitors/2027-01": 300000, "orders/2027-01": 24000, "visitors/2027-02": 310000.5}
	inputs := []struct{ name, file, data string }{
		{"long", "d.csv", "metric,period,value\nvisitors,2027-01,300000\norders,2027-01,24000\nvisitors,2027-02,310000.5\norders,2027-02,\n"},
		{"long, other column order", "d.csv", "period,value,metric\n2027-01,300000,visitors\n2027-01,24000,orders\n2027-02,310000.5,visitors\n2027-02,,orders\n"},
		{"wide", "d.csv", "period,visitors,orders\n2027-01,300000,24000\n2027-02,310000.5,\n"},
		{"wide, semicolons, CRLF", "d.csv", "period;visitors;orders\r\n2027-01;300000;24000\r\n2027-02;310000.5;\r\n"},
		{"tabs, quotes, blank lines", "d.tsv", "\"period\"\tvisitors\torders\n\n2027-01\t\"300000\"\t24000\n2027-02\t310000.5\t\n\n"},
		{"BOM", "d.csv", "\xef\xbb\xbfmetric,period,value\nvisitors,2027-01,300000\norders,2027-01,24000\nvisitors,2027-02,310000.5\n"},
		{"spaces", "d.csv", "metric, period, value\nvisitors, 2027-01, 300000\norders,2027-01 ,24000\nvisitors,2027-02,3.100005e5\n"},
		{"json array", "d.json", `[{"metric":"visitors","period":"2027-01","value":300000},{"metric":"orders","period":"2027-01","value":24000},{"value":310000.5,"period":"2027-02","metric":"visitors"},{"metric":"orders","period":"2027-02","value":null}]`},
		{"json document", "d.json", `{"command":"eval","model":"Web shop","rows":[{"metric":"visitors","period":"2027-01","value":300000},{"metric":"orders","period":"2027-01","value":24000},{"metric":"visitors","period":"2027-02","value":310000.5}]}`},
		{"json lines", "d.jsonl", "{\"metric\":\"visitors\",\"period\":\"2027-01\",\"value\":300000}\n{\"metric\":\"orders\",\"period\":\"2027-01\",\"value\":24000}\n{\"metric\":\"visitors\",\"period\":\"2027-02\",\"value\":310000.5}\n"},
		{"json sniffed on stdin", "-", "[{\"metric\":\"visitors\",\"period\":\"2027-01\",\"value\":300000},{\"metric\":\"orders\",\"period\":\"2027-01\",\"value\":24000},{\"metric\":\"visitors\",\"period\":\"2027-02\",\"value\":310000.5}]"},
		{"csv sniffed on stdin", "-", "period,visitors,orders\n2027-01,300000,24000\n2027-02,310000.5,\n"},
		{"parquet long", "d.parquet", string(parquetLong(t))},
		{"parquet wide", "d.parquet", string(parquetWide(t))},
	}
	for _, tt := range inputs {
		t.Run(tt.name, func(t *testing.T) {
			l, err := loadString(t, shopModel, tt.file, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]float64{}
			for id, s := range l.data.values {
				for p, v := range s.All() {
					got[id+"/"+p.String()] = v
				}
			}
			if len(got) != len(want) {
				t.Errorf("got %v, want %v", got, want)
			}
			for k, v := range want {
				if math.Float64bits(got[k]) != math.Float64bits(v) {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
			if l.data.first.String() != "2027-01" || l.data.last.String() != "2027-02" {
				t.Errorf("span %s..%s", l.data.first, l.data.last)
			}
		})
	}
}

func TestDerivedValues(t *testing.T) {
	data := "metric,period,value\nrevenue,2026-12,1000\nvisitors,2027-01,10\nrevenue,2027-01,5\n"
	l, err := loadString(t, shopModel, "d.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	e := newEnv(evalCmd, system{stderr: &stderr})
	jan, _ := metric.Parse("2027-01")
	err = l.checkDerived(e, jan)
	want := "d.csv:4:1: revenue is derived (formula visitors * conversion_rate * avg_order_value): a value for it in 2027-01 would not be used"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %v\nwant %s", err, want)
	}
	feb := jan.Next()
	if err := l.checkDerived(e, feb); err != nil {
		t.Fatal(err)
	}
	if got := stderr.String(); !strings.Contains(got, "2 values of derived metrics (revenue) before 2027-02 are used only as recorded actuals") {
		t.Errorf("note: %q", got)
	}
}
