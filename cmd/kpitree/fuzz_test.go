package main

import (
	"errors"
	"math"
	"testing"
)

// fuzzRead reads data and checks the readers' contract on any input: no
// panic, every error a positioned *dataError, every value stored finite.
func fuzzRead(t *testing.T, name string, data []byte) {
	l, err := loadString(t, shopModel, name, string(data))
	if err != nil {
		var de *dataError
		if !errors.As(err, &de) || !errors.Is(err, errData) {
			t.Fatalf("error %v is not a *dataError", err)
		}
		if de.File != name {
			t.Fatalf("error names file %q, want %q", de.File, name)
		}
		return
	}
	n := 0
	for _, s := range l.data.values {
		for _, v := range s.All() {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite value stored: %v", v)
			}
			n++
		}
	}
	if n != l.data.count {
		t.Fatalf("%d values stored, %d counted", n, l.data.count)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, tt := range badData {
		if tt.file == "d.csv" {
			f.Add([]byte(tt.data))
		}
	}
	f.Add([]byte("metric,period,value\nvisitors,2027-01,300000\norders,2027-01,24000\n"))
	f.Add([]byte("period;visitors;orders\r\n2027-01;300000;\r\n"))
	f.Add([]byte("\"period\"\t\"visitors\"\n\"2027-01\"\t\"1\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "d.csv", data) })
}

func FuzzReadJSON(f *testing.F) {
	for _, tt := range badData {
		if tt.file == "d.json" {
			f.Add([]byte(tt.data))
		}
	}
	f.Add([]byte(`{"command":"eval","rows":[{"metric":"visitors","period":"2027-01","value":1}]}`))
	f.Add([]byte("{\"metric\":\"visitors\",\"period\":\"2027-01\",\"value\":null}\n{\"metric\":\"orders\",\"period\":\"2027-01\",\"value\":2e3}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "d.json", data) })
}

func FuzzReadParquet(f *testing.F) {
	f.Add(parquetLong(f))
	f.Add(parquetWide(f))
	f.Add([]byte("PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "d.parquet", data) })
}
