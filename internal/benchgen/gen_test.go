package benchgen

import (
	"bytes"
	"go/format"
	"math"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

func TestGenerateDeterministic(t *testing.T) {
	a, b := Generate(5000, DefaultSeed), Generate(5000, DefaultSeed)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, different DAGs (-first +second):\n%s", diff)
	}
	c := Generate(5000, DefaultSeed+1)
	if cmp.Equal(a.Nodes, c.Nodes) {
		t.Fatal("different seeds gave the same DAG")
	}
}

func TestGenerateShape(t *testing.T) {
	for _, n := range []int{4, 100, 1000, 100_000} {
		d := Generate(n, DefaultSeed)
		if d.Len() != n {
			t.Fatalf("n=%d: Len = %d", n, d.Len())
		}
		if n >= 1000 {
			if f := float64(d.Inputs()) / float64(n); f < 0.08 || f > 0.12 {
				t.Errorf("n=%d: input fraction %.3f, want about 0.10", n, f)
			}
		}
		for i, nd := range d.Nodes {
			if nd.Input {
				if !inRange(d.Values[i]) {
					t.Fatalf("n=%d: input %d = %v out of range", n, i, d.Values[i])
				}
				continue
			}
			k := d.Arity(i)
			if k < 2 || k > 4 {
				t.Fatalf("n=%d: node %d has %d operands", n, i, k)
			}
			for j, a := range nd.Args[:k] {
				if int(a) >= i {
					t.Fatalf("n=%d: node %d uses later node %d", n, i, a)
				}
				for _, b := range nd.Args[:j] {
					if a == b {
						t.Fatalf("n=%d: node %d uses node %d twice", n, i, a)
					}
				}
			}
			if !inRange(d.Values[i]) {
				t.Fatalf("n=%d: node %d = %v out of range", n, i, d.Values[i])
			}
		}
	}
}

func TestRender(t *testing.T) {
	d := &DAG{Nodes: []Node{{Input: true}, {Input: true}, {Input: true}, {Input: true},
		{Shape: 1, Args: [4]int32{3, 0, 2}}, {Shape: 0, Args: [4]int32{4, 1, 2}}}}
	tests := []struct {
		i          int
		formula, g string
	}{
		{0, "", ""},
		{4, "max(0, n3 - n0) / n2", "max(0, v[3]-v[0]) / v[2]"},
		{5, "n4 * n1 + n2", "float64(v[4]*v[1]) + v[2]"},
	}
	for _, tt := range tests {
		if got := d.Formula(tt.i); got != tt.formula {
			t.Errorf("Formula(%d) = %q, want %q", tt.i, got, tt.formula)
		}
		if got := d.GoExpr(tt.i); got != tt.g {
			t.Errorf("GoExpr(%d) = %q, want %q", tt.i, got, tt.g)
		}
	}
}

var generated = []struct {
	n    int
	name string
	tags string
	eval func([]float64)
}{
	{1000, "1k", "", Eval1k},
	{100_000, "100k", "benchbig", Eval100k},
}

// TestGeneratedUpToDate regenerates the checked-in evaluators and
// compares them byte for byte.
func TestGeneratedUpToDate(t *testing.T) {
	for _, g := range generated {
		file := "generated_" + g.name + ".go"
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		d := Generate(g.n, DefaultSeed)
		gen := "go run ./cmd/gengo -n " + itoa(g.n) + " -name " + g.name + " -o " + file
		if g.tags != "" {
			gen = "go run ./cmd/gengo -n " + itoa(g.n) + " -name " + g.name + " -tags " + g.tags + " -o " + file
		}
		if err := d.WriteGo(&buf, "benchgen", "Eval"+g.name, gen, g.tags); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s is stale: run go generate ./internal/benchgen", file)
		}
		if g.n <= 1000 {
			f, err := format.Source(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(f, buf.Bytes()) {
				t.Errorf("WriteGo output is not gofmt-clean")
			}
		}
	}
}

func itoa(n int) string { return ID(n)[1:] }

// TestGeneratedMatchesEval checks the generated Go, the interpreter and
// the values Generate computed agree bit for bit.
func TestGeneratedMatchesEval(t *testing.T) {
	for _, g := range generated {
		if g.eval == nil {
			t.Logf("%s: built without -tags %s; not compared", g.name, g.tags)
			continue
		}
		d := Generate(g.n, DefaultSeed)
		v, ref := inputs(d), inputs(d)
		g.eval(v)
		d.Eval(ref)
		for i := range v {
			if math.Float64bits(v[i]) != math.Float64bits(ref[i]) || v[i] != d.Values[i] {
				t.Fatalf("%s: node %d: generated %v, interpreted %v, generator %v", g.name, i, v[i], ref[i], d.Values[i])
			}
		}
	}
}

func inputs(d *DAG) []float64 {
	v := make([]float64, d.Len())
	for i, nd := range d.Nodes {
		if nd.Input {
			v[i] = d.Values[i]
		} else {
			v[i] = math.NaN()
		}
	}
	return v
}

// TestEngineMatches compiles a generated DAG with kpitree and checks the
// default engine computes what the generated Go computes.
func TestEngineMatches(t *testing.T) {
	d := Generate(1000, DefaultSeed)
	m := &tree.Model{Metrics: make([]metric.Metric, d.Len())}
	for i := range m.Metrics {
		m.Metrics[i] = metric.Metric{ID: ID(i), Formula: d.Formula(i)}
	}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	var e tree.Evaluator
	e.Bind(c)
	copy(e.Values(), inputs(d))
	e.Run()
	want := inputs(d)
	Eval1k(want)
	for i, got := range e.Values() {
		if got != want[i] {
			t.Fatalf("node %d (%s): engine %v, Go %v", i, d.Formula(i), got, want[i])
		}
	}
}
