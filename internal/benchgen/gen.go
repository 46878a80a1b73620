package benchgen

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
)

// DefaultSeed is the seed of the benchmark models and of the generated
// evaluators.
const DefaultSeed = 20260101

// shape is a formula template over up to four operands a, b, c, d.
type shape struct {
	arity   int
	formula string // kpitree syntax; %[1]s … %[4]s are the operand ids
	goexpr  string // Go syntax; %[1]s … %[4]s are v[i] operands
	eval    func(a, b, c, d float64) float64
}

// The Go expressions must evaluate exactly as kpitree's engine does:
// float64(x*y) stops the compiler from fusing a product into an FMA.
var shapes = [...]shape{
	{3, "%[1]s * %[2]s + %[3]s", "float64(%[1]s*%[2]s) + %[3]s",
		func(a, b, c, _ float64) float64 { return float64(a*b) + c }},
	{3, "max(0, %[1]s - %[2]s) / %[3]s", "max(0, %[1]s-%[2]s) / %[3]s",
		func(a, b, c, _ float64) float64 { return max(0, a-b) / c }},
	{3, "(%[1]s + %[2]s) / %[3]s", "(%[1]s + %[2]s) / %[3]s",
		func(a, b, c, _ float64) float64 { return (a + b) / c }},
	{4, "%[1]s * %[2]s - %[3]s * %[4]s", "float64(%[1]s*%[2]s) - float64(%[3]s*%[4]s)",
		func(a, b, c, d float64) float64 { return float64(a*b) - float64(c*d) }},
	{4, "min(%[1]s, %[2]s) + abs(%[3]s - %[4]s)", "min(%[1]s, %[2]s) + math.Abs(%[3]s-%[4]s)",
		func(a, b, c, d float64) float64 { return min(a, b) + math.Abs(c-d) }},
	{3, "sqrt(%[1]s * %[2]s) + %[3]s", "math.Sqrt(%[1]s*%[2]s) + %[3]s",
		func(a, b, c, _ float64) float64 { return math.Sqrt(a*b) + c }},
	{2, "%[1]s / %[2]s", "%[1]s / %[2]s",
		func(a, b, _, _ float64) float64 { return a / b }},
	{4, "(%[1]s - %[2]s) * %[3]s + %[4]s", "float64((%[1]s-%[2]s)*%[3]s) + %[4]s",
		func(a, b, c, d float64) float64 { return float64((a-b)*c) + d }},
	{3, "max(%[1]s, %[2]s) * %[3]s", "max(%[1]s, %[2]s) * %[3]s",
		func(a, b, c, _ float64) float64 { return max(a, b) * c }},
	{3, "abs(%[1]s - %[2]s) + sqrt(%[3]s)", "math.Abs(%[1]s-%[2]s) + math.Sqrt(%[3]s)",
		func(a, b, c, _ float64) float64 { return math.Abs(a-b) + math.Sqrt(c) }},
	{3, "%[1]s * %[2]s * %[3]s", "%[1]s * %[2]s * %[3]s",
		func(a, b, c, _ float64) float64 { return a * b * c }},
	{4, "%[1]s * %[2]s / (%[3]s + %[4]s)", "%[1]s * %[2]s / (%[3]s + %[4]s)",
		func(a, b, c, d float64) float64 { return a * b / (c + d) }},
	{2, "%[1]s - %[2]s", "%[1]s - %[2]s",
		func(a, b, _, _ float64) float64 { return a - b }},
}

// fallback (the shape index after the random ones) is used when no
// random shape keeps the value in range: the minimum of two in-range
// values is in range.
const fallback = uint8(len(shapes))

var fallbackShape = shape{2, "min(%[1]s, %[2]s)", "min(%[1]s, %[2]s)",
	func(a, b, _, _ float64) float64 { return min(a, b) }}

func shapeOf(k uint8) *shape {
	if k == fallback {
		return &fallbackShape
	}
	return &shapes[k]
}

// Node is one node of a DAG: an input, or a formula of shape Shape over
// the earlier nodes Args[:arity].
type Node struct {
	Input bool
	Shape uint8
	Args  [4]int32
}

// DAG is a synthetic model: nodes in evaluation order (every formula
// uses earlier nodes only) and the values of its inputs.
type DAG struct {
	Nodes []Node
	// Values holds the input values (and, as computed by Generate, the
	// derived values) by node index.
	Values []float64
}

const (
	window = 64 // "recent" operands come from this many previous nodes
	lo, hi = 1e-3, 1e4
)

// Generate returns the DAG of n nodes (n >= 4) for seed. The same n and
// seed always give the same DAG, on every platform.
func Generate(n int, seed uint64) *DAG {
	if n < 4 {
		n = 4
	}
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	d := &DAG{Nodes: make([]Node, n), Values: make([]float64, n)}
	var pick [4]int32
	for i := range n {
		if i < 4 || r.IntN(10) == 0 {
			d.Nodes[i] = Node{Input: true}
			d.Values[i] = 0.5 + 1.5*r.Float64()
			continue
		}
		ok := false
		for try := 0; try < 8 && !ok; try++ {
			k := uint8(r.IntN(len(shapes)))
			s := &shapes[k]
			pickDistinct(r, i, s.arity, pick[:])
			v := s.eval(d.Values[pick[0]], d.Values[pick[1]], d.Values[pick[2]], d.Values[pick[3]])
			if inRange(v) {
				d.Nodes[i] = Node{Shape: k, Args: pick}
				d.Values[i] = v
				ok = true
			}
		}
		if !ok {
			pickDistinct(r, i, 2, pick[:])
			d.Nodes[i] = Node{Shape: fallback, Args: pick}
			d.Values[i] = min(d.Values[pick[0]], d.Values[pick[1]])
		}
	}
	return d
}

func inRange(v float64) bool {
	a := math.Abs(v)
	return v == 0 || (a >= lo && a <= hi)
}

// pickDistinct fills out[:k] with distinct nodes before i (i >= 4) and
// zeroes the rest.
func pickDistinct(r *rand.Rand, i, k int, out []int32) {
	for j := range out {
		out[j] = 0
	}
	for j := 0; j < k; {
		var x int
		if r.IntN(2) == 0 {
			x = i - 1 - r.IntN(min(window, i))
		} else {
			x = r.IntN(i)
		}
		dup := false
		for _, y := range out[:j] {
			if int(y) == x {
				dup = true
			}
		}
		if !dup {
			out[j] = int32(x)
			j++
		}
	}
}

// Len is the number of nodes.
func (d *DAG) Len() int { return len(d.Nodes) }

// Inputs is the number of input nodes.
func (d *DAG) Inputs() int {
	k := 0
	for _, nd := range d.Nodes {
		if nd.Input {
			k++
		}
	}
	return k
}

// ID returns node i's id, "n" followed by i.
func ID(i int) string { return "n" + strconv.Itoa(i) }

// Arity is the number of operands of node i (0 for an input).
func (d *DAG) Arity(i int) int {
	if d.Nodes[i].Input {
		return 0
	}
	return shapeOf(d.Nodes[i].Shape).arity
}

// Formula returns node i's formula in kpitree syntax (also valid expr
// syntax), or "" for an input.
func (d *DAG) Formula(i int) string {
	return d.render(i, func(x int32) any { return ID(int(x)) }, false)
}

// GoExpr returns node i's formula as a Go expression over v, or "" for
// an input.
func (d *DAG) GoExpr(i int) string {
	return d.render(i, func(x int32) any { return "v[" + strconv.Itoa(int(x)) + "]" }, true)
}

func (d *DAG) render(i int, name func(int32) any, gosyntax bool) string {
	nd := &d.Nodes[i]
	if nd.Input {
		return ""
	}
	s := shapeOf(nd.Shape)
	args := make([]any, s.arity)
	for j := range args {
		args[j] = name(nd.Args[j])
	}
	if gosyntax {
		return fmt.Sprintf(s.goexpr, args...)
	}
	return fmt.Sprintf(s.formula, args...)
}

// Eval computes every derived node of v (by node index) from its inputs
// with an interpreter in Go; it is the reference the engines are checked
// against.
func (d *DAG) Eval(v []float64) {
	for i := range d.Nodes {
		nd := &d.Nodes[i]
		if nd.Input {
			continue
		}
		a := nd.Args
		v[i] = shapeOf(nd.Shape).eval(v[a[0]], v[a[1]], v[a[2]], v[a[3]])
	}
}

// ChunkSize is how many statements each generated Go function holds:
// very large functions compile slowly, so WriteGo splits the DAG.
const ChunkSize = 1000

// WriteGo writes a Go source file of package pkg that defines
// func fn(v []float64), which computes every derived node of d into v
// (indexed by node), one assignment per node, in node order. gen is the
// command line recorded in the file's header; tags, if not empty, is a
// build constraint expression for the file. The output is gofmt-clean.
func (d *DAG) WriteGo(w io.Writer, pkg, fn, gen, tags string) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	n := d.Len()
	fmt.Fprintf(bw, "// Code generated by %s; DO NOT EDIT.\n\n", gen)
	if tags != "" {
		fmt.Fprintf(bw, "//go:build %s\n\n", tags)
	}
	fmt.Fprintf(bw, "package %s\n\nimport \"math\"\n\n", pkg)
	fmt.Fprintf(bw, "var _ = math.Abs\n\n")
	fmt.Fprintf(bw, "// %s computes the %d-node benchmark DAG (seed %d) into v, which\n// must have at least %d elements and hold the input values.\n", fn, n, DefaultSeed, n)
	fmt.Fprintf(bw, "func %s(v []float64) {\n", fn)
	nchunks := (n + ChunkSize - 1) / ChunkSize
	for c := range nchunks {
		fmt.Fprintf(bw, "\t%s_%d(v)\n", lowerFirst(fn), c)
	}
	fmt.Fprintf(bw, "}\n")
	for c := range nchunks {
		fmt.Fprintf(bw, "\nfunc %s_%d(v []float64) {\n\t_ = v[%d]\n", lowerFirst(fn), c, n-1)
		for i := c * ChunkSize; i < min(n, (c+1)*ChunkSize); i++ {
			if d.Nodes[i].Input {
				continue
			}
			// float64(): the value is rounded before a later node uses it,
			// so no architecture fuses it into that node's operation.
			fmt.Fprintf(bw, "\tv[%d] = float64(%s)\n", i, d.GoExpr(i))
		}
		fmt.Fprintf(bw, "}\n")
	}
	return bw.Flush()
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
