package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

var updateActuals = flag.Bool("update", false, "rewrite actuals.csv from the program's data")

// TestActualsCSV keeps actuals.csv, the data the kpitree command reads
// ("kpitree eval model.yaml --data actuals.csv"), equal to the data this
// program generates: the CSV written from it must be the file, byte for
// byte. go test -update rewrites the file.
func TestActualsCSV(t *testing.T) {
	data, err := actuals(), error(nil) // the same data run() evaluates
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range data {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var b bytes.Buffer
	b.WriteString("metric,period,value\n")
	for _, id := range ids {
		for p, v := range data[id].All() {
			b.WriteString(id + "," + p.String() + "," + strconv.FormatFloat(v, 'g', -1, 64) + "\n")
		}
	}
	path := filepath.Join(filepath.Dir(modelPath()), "actuals.csv")
	if *updateActuals {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Errorf("%s differs from the data the program generates; run go test ./examples/webshop -update", path)
	}
}
