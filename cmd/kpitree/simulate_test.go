package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kpitree/kpitree/internal/benchgen"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// TestSimulateInterrupted: cancelling the context (what Ctrl-C does)
// stops a long simulation with exit 130, nothing on stdout and a message
// on stderr that the output is incomplete.
func TestSimulateInterrupted(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	model := write("model.yaml", shopModel)
	data := write("actuals.csv", "metric,period,value\nvisitors,2027-01,300000\norders,2027-01,24000\navg_order_value,2027-01,1650\n")
	dist := write("dist.yaml", "kpidistributions: \"1\"\ninputs:\n  - {metric: visitors, dist: normal, mean: 300000, sd: 30000}\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout bytes.Buffer
	// stderr is a terminal, so progress is drawn there: the first progress
	// line (after the first block of draws) presses Ctrl-C.
	stderr := &cancelOnWrite{after: "simulating", cancel: cancel}
	code := run(ctx, []string{"simulate", model, "--data", data, "--dist", dist, "--draws", "2000000", "--workers", "1"},
		system{stdout: &stdout, stderr: stderr, stderrTTY: true, getenv: func(string) string { return "" }})
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr: %s", code, exitInterrupted, stderr.String())
	}
	if !stderr.cancelled {
		t.Fatal("no progress was drawn, so the run was not interrupted while simulating")
	}
	if stdout.Len() != 0 {
		t.Errorf("partial output on stdout: %q", stdout.String())
	}
	if !strings.Contains(stderr.String(), "interrupted; the output is incomplete") {
		t.Errorf("stderr %q does not say the run was interrupted", stderr.String())
	}
}

// cancelOnWrite is a stderr that cancels when text containing after is
// written to it.
type cancelOnWrite struct {
	bytes.Buffer
	after     string
	cancel    func()
	cancelled bool
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	if !w.cancelled && strings.Contains(string(p), w.after) {
		w.cancelled = true
		w.cancel()
	}
	return w.Buffer.Write(p)
}

// simBench is the Monte Carlo benchmark of rollup (the 1k-node benchgen
// DAG, every input normal with a 5% SD, 10,000 draws, the last 10 nodes
// as outputs with a target at their deterministic value), written as the
// files the command reads.
type simBench struct {
	dir, model, data, dist string
	args                   []string
	period                 metric.Period
}

func newSimBench(tb testing.TB) *simBench {
	tb.Helper()
	const nodes, draws, outs, sd = 1000, 10000, 10, 0.05
	dag := benchgen.Generate(nodes, benchgen.DefaultSeed)
	m := &tree.Model{Name: "bench 1k", Metrics: make([]metric.Metric, dag.Len())}
	for i := range dag.Len() {
		m.Metrics[i] = metric.Metric{ID: benchgen.ID(i), Formula: dag.Formula(i)}
	}
	b := &simBench{dir: tb.TempDir()}
	b.period, _ = metric.Parse("2026-01")
	b.model = filepath.Join(b.dir, "model.yaml")
	if err := m.SaveFile(b.model); err != nil {
		tb.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("metric,period,value\n")
	ds := &rollup.Distributions{}
	for i := range dag.Len() {
		if dag.Nodes[i].Input {
			v := dag.Values[i]
			fmt.Fprintf(&csv, "%s,2026-01,%s\n", benchgen.ID(i), strconv.FormatFloat(v, 'g', -1, 64))
			d, err := rollup.Normal(v, sd*v)
			if err != nil {
				tb.Fatal(err)
			}
			ds.Inputs = append(ds.Inputs, rollup.Uncertain{Metric: benchgen.ID(i), Dist: d})
		}
	}
	b.data = filepath.Join(b.dir, "actuals.csv")
	if err := os.WriteFile(b.data, []byte(csv.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	var db bytes.Buffer
	if err := ds.Save(&db, tree.YAML); err != nil {
		tb.Fatal(err)
	}
	b.dist = filepath.Join(b.dir, "dist.yaml")
	if err := os.WriteFile(b.dist, db.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	b.args = []string{"simulate", b.model, "--data", b.data, "--period", "2026-01", "--dist", b.dist,
		"--draws", strconv.Itoa(draws), "--seed", "1", "--format", "csv"}
	for i := dag.Len() - outs; i < dag.Len(); i++ {
		b.args = append(b.args, "--target", benchgen.ID(i)+"="+strconv.FormatFloat(dag.Values[i], 'g', -1, 64))
	}
	return b
}

// library is what a Go program does for the same answer: the library
// calls the command wraps, from the same files (the data as in-memory
// rollup.Data, since the library has no CSV reader).
func (b *simBench) library(tb testing.TB, workers int, runOnly bool) func() {
	load := func() (*tree.Compiled, rollup.Simulation) {
		m, err := tree.LoadFile(b.model)
		if err != nil {
			tb.Fatal(err)
		}
		c, err := tree.Compile(m)
		if err != nil {
			tb.Fatal(err)
		}
		f, err := os.Open(b.dist)
		if err != nil {
			tb.Fatal(err)
		}
		defer f.Close()
		ds, err := rollup.LoadDistributions(f, b.dist, c)
		if err != nil {
			tb.Fatal(err)
		}
		sim := rollup.Simulation{Draws: 10000, Seed: 1, Workers: workers, Inputs: ds.Inputs, Correlations: ds.Correlations, Targets: map[string]metric.Target{}}
		for k := len(b.args) - 20; k < len(b.args); k += 2 {
			id, v, _ := strings.Cut(b.args[k+1], "=")
			x, _ := strconv.ParseFloat(v, 64)
			sim.Outputs = append(sim.Outputs, id)
			sim.Targets[id] = metric.Target{Period: b.period, Value: x}
		}
		return c, sim
	}
	data := rollup.Data{}
	raw, err := os.ReadFile(b.data)
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n")[1:] {
		f := strings.Split(line, ",")
		v, _ := strconv.ParseFloat(f[2], 64)
		data.Set(f[0], b.period, v)
	}
	c, sim := load()
	return func() {
		if !runOnly {
			c, sim = load()
		}
		if _, err := sim.Run(context.Background(), c, data, b.period); err != nil {
			tb.Fatal(err)
		}
	}
}

// command runs "kpitree simulate" in process, as the binary does.
func (b *simBench) command(tb testing.TB, workers int) func() {
	args := append(append([]string(nil), b.args...), "--workers", strconv.Itoa(workers))
	sys := system{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	return func() {
		if code := run(context.Background(), args, sys); code != 0 {
			var errb bytes.Buffer
			sys.stderr = &errb
			run(context.Background(), args, sys)
			tb.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}

// TestSimBenchSameAnswer: the benchmark's command and library runs give
// the same numbers (the command writes what the library computed).
func TestSimBenchSameAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("a 1k-node model with 10,000 draws")
	}
	b := newSimBench(t)
	var out bytes.Buffer
	args := append(append([]string(nil), b.args...), "--workers", "1")
	if code := run(context.Background(), args, system{stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" }}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 11 {
		t.Fatalf("%d lines, want a header and 10 outputs:\n%s", len(lines), out.String())
	}
	m, err := tree.LoadFile(b.model)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	// the mean of the first output, recomputed by the library
	first := strings.Split(lines[1], ",")
	f, err := os.Open(b.dist)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ds, err := rollup.LoadDistributions(f, b.dist, cc)
	if err != nil {
		t.Fatal(err)
	}
	data := rollup.Data{}
	raw, _ := os.ReadFile(b.data)
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n")[1:] {
		fs := strings.Split(line, ",")
		v, _ := strconv.ParseFloat(fs[2], 64)
		data.Set(fs[0], b.period, v)
	}
	sim := rollup.Simulation{Draws: 10000, Seed: 1, Workers: 1, Inputs: ds.Inputs, Outputs: []string{first[0]}}
	r, err := sim.Run(context.Background(), cc, data, b.period)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := r.Summary(first[0])
	if got := first[3]; got != formatNumber(s.Mean) {
		t.Errorf("command mean %s, library %s", got, formatNumber(s.Mean))
	}
}

// BenchmarkSimulateCommand measures the command's overhead on simulate:
// the whole command in process (read and compile the model, read the
// CSV data and the distribution file, simulate, write CSV) against the
// library call it wraps (Simulation.Run on a compiled model and
// in-memory data) and against the same library pipeline from the files
// (LoadFile, Compile, LoadDistributions, Run). Compare ns/op side by side:
//
//	go test ./cmd/kpitree/ -run '^$' -bench SimulateCommand -benchtime 20x -count 3
func BenchmarkSimulateCommand(b *testing.B) {
	sb := newSimBench(b)
	for _, w := range []int{1, 2} {
		for _, c := range []struct {
			name string
			f    func() func()
		}{
			{"library-run", func() func() { return sb.library(b, w, true) }},
			{"library-pipeline", func() func() { return sb.library(b, w, false) }},
			{"command", func() func() { return sb.command(b, w) }},
		} {
			b.Run(fmt.Sprintf("workers=%d/%s", w, c.name), func(b *testing.B) {
				f := c.f()
				b.ResetTimer()
				for range b.N {
					f()
				}
			})
		}
	}
}

// BenchmarkSimulateOverhead runs the three variants of
// BenchmarkSimulateCommand in turn within each iteration, so that they
// share the machine's load, and reports the time of each (ms/run,
// ms/pipeline, ms/command) and the ratios command/run and
// command/pipeline over the whole run (other work on a shared machine
// shifts separate benchmarks by more than the difference measured):
//
//	go test ./cmd/kpitree/ -run '^$' -bench SimulateOverhead -benchtime 30x -count 3
func BenchmarkSimulateOverhead(b *testing.B) {
	sb := newSimBench(b)
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			fs := []func(){sb.library(b, w, true), sb.library(b, w, false), sb.command(b, w)}
			var total [3]time.Duration
			b.ResetTimer()
			for i := range b.N {
				for k := range fs {
					k = (k + i) % len(fs) // rotate the order
					t0 := time.Now()
					fs[k]()
					total[k] += time.Since(t0)
				}
			}
			ms := func(d time.Duration) float64 { return d.Seconds() * 1e3 / float64(b.N) }
			b.ReportMetric(ms(total[0]), "ms/run")
			b.ReportMetric(ms(total[1]), "ms/pipeline")
			b.ReportMetric(ms(total[2]), "ms/command")
			b.ReportMetric(float64(total[2])/float64(total[0]), "command/run")
			b.ReportMetric(float64(total[2])/float64(total[1]), "command/pipeline")
		})
	}
}
