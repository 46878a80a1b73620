package main

import (
	"bytes"
	"testing"

	"github.com/parquet-go/parquet-go"
)

type longRow struct {
	Metric string   `parquet:"metric"`
	Period string   `parquet:"period"`
	Value  *float64 `parquet:"value,optional"`
}

type wideRow struct {
	Period   string   `parquet:"period"`
	Visitors *float64 `parquet:"visitors,optional"`
	Orders   *int64   `parquet:"orders,optional"`
}

func ptr[T any](v T) *T { return &v }

func writeParquet[T any](t testing.TB, rows []T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := parquet.Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parquetLong(t testing.TB) []byte {
	return writeParquet(t, []longRow{
		{"visitors", "2027-01", ptr(300000.0)},
		{"orders", "2027-01", ptr(24000.0)},
		{"visitors", "2027-02", ptr(310000.5)},
		{"orders", "2027-02", nil},
	})
}

func parquetWide(t testing.TB) []byte {
	return writeParquet(t, []wideRow{
		{"2027-01", ptr(300000.0), ptr(int64(24000))},
		{"2027-02", ptr(310000.5), nil},
	})
}

func TestParquetErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"unknown metric", writeParquet(t, []longRow{{"visitors", "2027-01", ptr(1.0)}, {"visiters", "2027-02", ptr(2.0)}}), `d.parquet: row 2, column metric: unknown metric "visiters" (did you mean "visitors"?)`},
		{"bad period", writeParquet(t, []longRow{{"visitors", "2027-1", ptr(1.0)}}), `d.parquet: row 1, column period: period "2027-1"`},
		{"duplicate", writeParquet(t, []longRow{{"visitors", "2027-01", ptr(1.0)}, {"visitors", "2027-01", ptr(2.0)}}), "d.parquet: row 2, column value: duplicate value for visitors in 2027-01 (first given at d.parquet: row 1, column value"},
		{"big integer", writeParquet(t, []wideRow{{"2027-01", nil, ptr(int64(1<<53 + 1))}}), "d.parquet: row 1, column orders: value 9007199254740993 has no exact float64"},
		{"string value", writeParquet(t, []struct {
			Period string `parquet:"period"`
			Orders string `parquet:"orders"`
		}{{"2027-01", "1"}}), "d.parquet: column orders: a BYTE_ARRAY column (values are DOUBLE, FLOAT, INT32 or INT64)"},
		{"unknown column", writeParquet(t, []struct {
			Period string  `parquet:"period"`
			Ordres float64 `parquet:"ordres"`
		}{{"2027-01", 1}}), `d.parquet: column ordres: unknown metric "ordres" (did you mean "orders"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadString(t, shopModel, "d.parquet", string(tt.data))
			if err == nil || len(err.Error()) < len(tt.want) || err.Error()[:len(tt.want)] != tt.want {
				t.Errorf("error\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}
