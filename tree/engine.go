package tree

import (
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/kpitree/kpitree/internal/formula"
)

// Engine turns a parsed formula into a Kernel that computes the node's
// value. The default (no WithEngine option) is kpitree's own compiler,
// which lays every formula of the model into one flat program over a
// []float64 and evaluates with no allocation; ExprEngine runs expr's
// virtual machine instead. Custom engines (a JIT, a tracer, a remote
// evaluator) implement this interface.
//
// Compile is called once per derived node, in evaluation order, during
// tree.Compile. The returned Kernel must be safe for concurrent use.
type Engine interface {
	// Name identifies the engine in error messages.
	Name() string
	// Compile prepares f for evaluation.
	Compile(f *Formula) (Kernel, error)
}

// Kernel computes one node's value. slots holds the values of the
// current evaluation; f.Inputs tells which slot holds which input.
type Kernel interface {
	Eval(slots []float64) float64
}

// Formula is a parsed, type-checked formula handed to an Engine.
type Formula struct {
	metric string
	expr   *formula.Expr
	slot   func(formula.Input) int
}

// Input is one value a formula reads: metric ID, Lag periods earlier
// (0 for the current period), found in slots[Slot] during evaluation.
type Input struct {
	ID   string
	Lag  int
	Slot int
}

// Metric is the id of the metric whose formula this is.
func (f *Formula) Metric() string { return f.metric }

// Source is the formula as written.
func (f *Formula) Source() string { return f.expr.Source }

// Inputs lists the distinct values the formula reads, in order of first
// use.
func (f *Formula) Inputs() []Input {
	out := make([]Input, len(f.expr.Inputs))
	for i, in := range f.expr.Inputs {
		out[i] = Input{ID: in.Name, Lag: in.Lag, Slot: f.slot(in)}
	}
	return out
}

// Canonical returns the formula in canonical expr syntax: fully
// parenthesised, numbers as float literals, and each input written as
// name(input) — by default its id, or prev(id, k) for lagged inputs.
// Engines that compile source text (expr, SQL) start from it.
func (f *Formula) Canonical(name func(Input) string) string {
	var nf func(*formula.Ref) string
	if name != nil {
		nf = func(r *formula.Ref) string {
			in := formula.Input{Index: r.Index, Lag: r.Lag, Name: r.Name}
			return name(Input{ID: r.Name, Lag: r.Lag, Slot: f.slot(in)})
		}
	}
	return formula.Print(f.expr.Root, nf)
}

// Eval computes the formula with kpitree's reference semantics (a tree
// walk), reading inputs from slots. It is slow; engines use it as a
// fallback or an oracle.
func (f *Formula) Eval(slots []float64) float64 {
	return formula.Eval(f.expr.Root, func(r *formula.Ref) float64 {
		return slots[f.slot(formula.Input{Index: r.Index, Lag: r.Lag, Name: r.Name})]
	})
}

// ExprEngine returns an Engine that runs each formula on expr's virtual
// machine (github.com/expr-lang/expr), with kpitree's functions
// (NaN-aware min and max, clamp, prev...) installed. It is much slower
// than the default engine and allocates on every evaluation; it serves
// as an independent implementation for differential testing and as an
// example of a custom engine.
func ExprEngine() Engine { return exprEngine{} }

type exprEngine struct{}

func (exprEngine) Name() string { return "expr" }

var exprFuncOptions = func() []expr.Option {
	var opts []expr.Option
	for _, fn := range formula.Builtins() {
		opts = append(opts, exprFunc(fn))
	}
	return opts
}()

func exprFunc(fn *formula.Func) expr.Option {
	f := fn
	return expr.Function(f.Name, func(params ...any) (any, error) {
		var buf [8]float64
		args := buf[:0]
		for _, p := range params {
			v, ok := p.(float64)
			if !ok {
				return nil, fmt.Errorf("%s: argument %v is %T, not float64", f.Name, p, p)
			}
			args = append(args, v)
		}
		return f.Call(args), nil
	})
}

func (exprEngine) Compile(f *Formula) (Kernel, error) {
	ins := f.Inputs()
	env := map[string]float64{}
	names := make([]string, len(ins))
	for i := range ins {
		names[i] = "v" + strconv.Itoa(i)
		env[names[i]] = 0
	}
	src := f.Canonical(func(in Input) string {
		for i := range ins {
			if ins[i].Slot == in.Slot {
				return names[i]
			}
		}
		return "nan"
	})
	// The optimizer folds constants through a map keyed by value, where
	// -0.0 == 0.0, losing the sign of zero: keep it off.
	opts := append([]expr.Option{expr.Env(env), expr.AsFloat64(), expr.Optimize(false)}, exprFuncOptions...)
	// Registered functions used by this formula.
	seen := map[string]bool{}
	formula.Walk(f.expr.Root, func(n formula.Node) bool {
		if c, ok := n.(*formula.Call); ok && c.Fn.Builtin == 0 && !seen[c.Fn.Name] {
			seen[c.Fn.Name] = true
			opts = append(opts, exprFunc(c.Fn))
		}
		return true
	})
	prog, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, fmt.Errorf("expr rejected %q: %v", src, err)
	}
	k := &exprKernel{prog: prog, names: names, slots: make([]int, len(ins))}
	for i, in := range ins {
		k.slots[i] = in.Slot
	}
	k.pool.New = func() any { return &exprRun{env: make(map[string]any, len(names))} }
	return k, nil
}

type exprKernel struct {
	prog  *vm.Program
	names []string
	slots []int
	pool  sync.Pool
}

type exprRun struct {
	vm  vm.VM
	env map[string]any
}

func (k *exprKernel) Eval(s []float64) float64 {
	r := k.pool.Get().(*exprRun)
	defer k.pool.Put(r)
	for i, name := range k.names {
		r.env[name] = s[k.slots[i]]
	}
	out, err := r.vm.Run(k.prog, r.env)
	if err != nil {
		return math.NaN()
	}
	v, ok := out.(float64)
	if !ok {
		return math.NaN()
	}
	return v
}
