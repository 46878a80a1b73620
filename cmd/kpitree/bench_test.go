package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/kpitree/kpitree/internal/benchgen"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// The ingest and eval benchmarks use a synthetic model (package benchgen)
// with 36 months of data for each of its inputs, and compare kpitree with
// Go's encoding/csv reading the same bytes (DuckDB's CLI is not part of the
// build; encoding/csv is the baseline):
//
//	go test -run '^$' -bench 'Ingest|EvalEndToEnd' -benchtime 3x -count 3 ./cmd/kpitree

const benchMonths = 36

type benchData struct {
	model   *tree.Model
	c       *tree.Compiled
	yaml    []byte
	csv     []byte
	parquet []byte
	values  int
}

var (
	benchMu    sync.Mutex
	benchCache = map[int]*benchData{}
)

func getBenchData(tb testing.TB, n int) *benchData {
	tb.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if d, ok := benchCache[n]; ok {
		return d
	}
	dag := benchgen.Generate(n, benchgen.DefaultSeed)
	m := &tree.Model{Name: "synthetic", Metrics: make([]metric.Metric, dag.Len())}
	for i := range m.Metrics {
		m.Metrics[i] = metric.Metric{ID: benchgen.ID(i), Formula: dag.Formula(i)}
	}
	var y bytes.Buffer
	if err := m.Save(&y, tree.YAML); err != nil {
		tb.Fatal(err)
	}
	c, err := tree.Compile(m)
	if err != nil {
		tb.Fatal(err)
	}
	jan, _ := metric.Parse("2027-01")
	var b bytes.Buffer
	b.WriteString("metric,period,value\n")
	var rows []longRow
	values := 0
	for i, nd := range dag.Nodes {
		if !nd.Input {
			continue
		}
		for k := range benchMonths {
			v := dag.Values[i] * (1 + 0.01*float64(k))
			p := jan.Add(k).String()
			b.WriteString(benchgen.ID(i) + "," + p + "," + strconv.FormatFloat(v, 'g', -1, 64) + "\n")
			rows = append(rows, longRow{benchgen.ID(i), p, ptr(v)})
			values++
		}
	}
	d := &benchData{model: m, c: c, yaml: y.Bytes(), csv: b.Bytes(), parquet: writeParquet(tb, rows), values: values}
	benchCache[n] = d
	return d
}

func reportValues(b *testing.B, values int) {
	b.ReportMetric(float64(values)*float64(b.N)/b.Elapsed().Seconds(), "values/s")
}

// BenchmarkIngest reads 360,000 values (10,000 inputs x 36 months) into
// the model's data: parse, validate (metric ids, periods, duplicates) and
// store. The encoding/csv baselines only split the same bytes into
// records, and split plus parse the numbers.
func BenchmarkIngest(b *testing.B) {
	d := getBenchData(b, 100_000)
	b.Run("kpitree-csv", func(b *testing.B) {
		b.SetBytes(int64(len(d.csv)))
		for b.Loop() {
			in := newIngest(d.c)
			if err := in.readData("bench.csv", "bench.csv", d.csv); err != nil {
				b.Fatal(err)
			}
		}
		reportValues(b, d.values)
	})
	b.Run("kpitree-parquet", func(b *testing.B) {
		b.SetBytes(int64(len(d.parquet)))
		for b.Loop() {
			in := newIngest(d.c)
			if err := in.readData("bench.parquet", "bench.parquet", d.parquet); err != nil {
				b.Fatal(err)
			}
		}
		reportValues(b, d.values)
	})
	b.Run("encoding-csv-split", func(b *testing.B) {
		b.SetBytes(int64(len(d.csv)))
		for b.Loop() {
			r := csv.NewReader(bytes.NewReader(d.csv))
			r.ReuseRecord = true
			for {
				_, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		reportValues(b, d.values)
	})
	b.Run("encoding-csv-split-parse", func(b *testing.B) {
		b.SetBytes(int64(len(d.csv)))
		sum := 0.0
		for b.Loop() {
			r := csv.NewReader(bytes.NewReader(d.csv))
			r.ReuseRecord = true
			if _, err := r.Read(); err != nil {
				b.Fatal(err)
			}
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				v, err := strconv.ParseFloat(rec[2], 64)
				if err != nil {
					b.Fatal(err)
				}
				sum += v
			}
		}
		reportValues(b, d.values)
		_ = sum
	})
}

// BenchmarkEvalEndToEnd runs "kpitree eval MODEL --data FILE --format
// csv" on a 100,000-node model with 36 months of data: read the model
// file, compile it, read the CSV, evaluate 3.6 million values and write
// them as CSV (to a discarded stdout). The baseline reads the same CSV file
// with encoding/csv alone.
func BenchmarkEvalEndToEnd(b *testing.B) {
	d := getBenchData(b, 100_000)
	dir := b.TempDir()
	model := filepath.Join(dir, "model.yaml")
	data := filepath.Join(dir, "data.csv")
	if err := os.WriteFile(model, d.yaml, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(data, d.csv, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Run("kpitree-eval", func(b *testing.B) {
		for b.Loop() {
			var stderr bytes.Buffer
			code := run(context.Background(), []string{"eval", model, "--data", data, "--format", "csv"}, system{stdout: io.Discard, stderr: &stderr})
			if code != 0 {
				b.Fatalf("exit %d: %s", code, stderr.String())
			}
		}
	})
	b.Run("encoding-csv-read", func(b *testing.B) {
		for b.Loop() {
			f, err := os.Open(data)
			if err != nil {
				b.Fatal(err)
			}
			r := csv.NewReader(f)
			r.ReuseRecord = true
			for {
				_, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			f.Close()
		}
	})
}
