package engine

import (
	"fmt"
	"math"

	"github.com/kpitree/kpitree/internal/formula"
)

const (
	tempTag  = 1 << 29
	constTag = 1 << 30
)

// Builder assembles a Program node by node, in evaluation order.
type Builder struct {
	// NoJIT keeps the program interpreted.
	NoJIT bool
	// MinNative, if positive, replaces the size below which a program is
	// interpreted (a count of compilable instructions); tests lower it.
	MinNative int
	nvalues   int
	code      []Instr
	consts    []float64
	cindex    map[uint64]int32
	funcs     []*formula.Func
	fidx      map[*formula.Func]int32
	kernels   []Kernel
	spans     []int32
	next      int32 // next free temporary
	ntemps    int32
	err       error
}

// NewBuilder starts a program over nvalues value slots (nodes and their
// lagged inputs), which the caller lays out.
func NewBuilder(nvalues int) *Builder {
	return &Builder{nvalues: nvalues, cindex: map[uint64]int32{}, fidx: map[*formula.Func]int32{}}
}

// Formula appends the code computing e into slot dst; slot maps each
// formula input to the value slot that holds it.
func (b *Builder) Formula(dst int, e *formula.Expr, slot func(formula.Input) int) {
	b.spans = append(b.spans, int32(len(b.code)))
	b.next = 0
	lookup := func(r *formula.Ref) int32 {
		return int32(slot(formula.Input{Index: r.Index, Lag: r.Lag, Name: r.Name}))
	}
	op := b.expr(e.Root, int32(dst), lookup)
	if op != int32(dst) {
		b.emit(Instr{Op: opMov, Dst: int32(dst), A: op})
	}
}

// Kernel appends a node whose value k computes.
func (b *Builder) Kernel(dst int, k Kernel) {
	b.spans = append(b.spans, int32(len(b.code)))
	b.kernels = append(b.kernels, k)
	b.emit(Instr{Op: opKernel, Dst: int32(dst), C: int32(len(b.kernels) - 1)})
}

// Copy appends a node whose value is the value of slot src.
func (b *Builder) Copy(dst, src int) {
	b.spans = append(b.spans, int32(len(b.code)))
	b.emit(Instr{Op: opMov, Dst: int32(dst), A: int32(src)})
}

func (b *Builder) emit(in Instr) { b.code = append(b.code, in) }

func (b *Builder) temp() int32 {
	t := b.next
	b.next++
	if b.next > b.ntemps {
		b.ntemps = b.next
	}
	return tempTag + t
}

func (b *Builder) constant(v float64) int32 {
	key := math.Float64bits(v)
	if i, ok := b.cindex[key]; ok {
		return constTag + i
	}
	i := int32(len(b.consts))
	b.consts = append(b.consts, v)
	b.cindex[key] = i
	return constTag + i
}

// dest returns the destination for a value: want if set, else a temporary.
func (b *Builder) dest(want int32) int32 {
	if want >= 0 {
		return want
	}
	return b.temp()
}

var binOps = [...]uint8{
	formula.OpAdd: opAdd, formula.OpSub: opSub, formula.OpMul: opMul, formula.OpDiv: opDiv,
	formula.OpPow: opPow, formula.OpLt: opLt, formula.OpLe: opLe, formula.OpGt: opGt,
	formula.OpGe: opGe, formula.OpEq: opEq, formula.OpNe: opNe, formula.OpAnd: opAnd, formula.OpOr: opOr,
}

var unaryBuiltins = map[formula.Builtin]uint8{
	formula.FnAbs: opAbs, formula.FnSqrt: opSqrt, formula.FnLog: opLog, formula.FnLog10: opLog10,
	formula.FnExp: opExp, formula.FnFloor: opFloor, formula.FnCeil: opCeil,
}

// expr compiles n; the result lands in want (if >= 0) or in a returned
// operand (a value slot, constant or temporary). Temporaries used by
// operands are released before the result's is taken, so a formula needs
// as many temporaries as its tree is deep.
func (b *Builder) expr(n formula.Node, want int32, ref func(*formula.Ref) int32) int32 {
	mark := b.next
	switch n := n.(type) {
	case *formula.Num:
		return b.constant(n.Value)
	case *formula.Ref:
		return ref(n)
	case *formula.Unary:
		x := b.expr(n.X, -1, ref)
		b.next = mark
		d := b.dest(want)
		op := opNeg
		if n.Op == formula.OpNot {
			op = opNot
		}
		b.emit(Instr{Op: op, Dst: d, A: x})
		return d
	case *formula.Binary:
		// Fuse two arithmetic operations into one instruction:
		// (x op1 y) op2 z, or z op2 (x op1 y).
		if arith(n.Op) {
			if m, ok := n.L.(*formula.Binary); ok && arith(m.Op) {
				return b.fused(comboOps[[3]uint8{uint8(m.Op), uint8(n.Op), 0}], m.L, m.R, n.R, want, mark, ref)
			}
			if m, ok := n.R.(*formula.Binary); ok && arith(m.Op) {
				return b.fused(comboOps[[3]uint8{uint8(m.Op), uint8(n.Op), 1}], m.L, m.R, n.L, want, mark, ref)
			}
		}
		l := b.expr(n.L, -1, ref)
		r := b.expr(n.R, -1, ref)
		b.next = mark
		d := b.dest(want)
		b.emit(Instr{Op: binOps[n.Op], Dst: d, A: l, B: r})
		return d
	case *formula.Cond:
		c := b.expr(n.C, -1, ref)
		t := b.expr(n.T, -1, ref)
		f := b.expr(n.F, -1, ref)
		b.next = mark
		d := b.dest(want)
		b.emit(Instr{Op: opSelect, Dst: d, A: t, B: f, C: c})
		return d
	case *formula.Call:
		return b.call(n, want, mark, ref)
	}
	b.err = fmt.Errorf("engine: unknown node %T", n)
	return b.constant(math.NaN())
}

// arith reports whether op is + - * or /.
func arith(op formula.Op) bool {
	return op == formula.OpAdd || op == formula.OpSub || op == formula.OpMul || op == formula.OpDiv
}

// fused emits a two-operation instruction over x, y (the inner operation)
// and z. Formula operations are pure, so the order in which the operands
// are computed does not change the result.
func (b *Builder) fused(op uint8, x, y, z formula.Node, want, mark int32, ref func(*formula.Ref) int32) int32 {
	a := b.expr(x, -1, ref)
	bb := b.expr(y, -1, ref)
	c := b.expr(z, -1, ref)
	b.next = mark
	d := b.dest(want)
	b.emit(Instr{Op: op, Dst: d, A: a, B: bb, C: c})
	return d
}

func (b *Builder) call(n *formula.Call, want, mark int32, ref func(*formula.Ref) int32) int32 {
	fn := n.Fn
	switch fn.Builtin {
	case formula.FnMin, formula.FnMax:
		op := opMin
		if fn.Builtin == formula.FnMax {
			op = opMax
		}
		acc := b.expr(n.Args[0], -1, ref)
		if len(n.Args) == 1 {
			// min(x) is x, but NaN-preserving like the rest.
			b.next = mark
			d := b.dest(want)
			b.emit(Instr{Op: op, Dst: d, A: acc, B: acc})
			return d
		}
		for i, a := range n.Args[1:] {
			x := b.expr(a, -1, ref)
			var d int32
			if i == len(n.Args)-2 {
				b.next = mark
				d = b.dest(want)
			} else {
				b.next = mark
				d = b.temp()
			}
			b.emit(Instr{Op: op, Dst: d, A: acc, B: x})
			acc = d
		}
		return acc
	case formula.FnPow:
		x := b.expr(n.Args[0], -1, ref)
		y := b.expr(n.Args[1], -1, ref)
		b.next = mark
		d := b.dest(want)
		b.emit(Instr{Op: opPow, Dst: d, A: x, B: y})
		return d
	case formula.FnRound:
		x := b.expr(n.Args[0], -1, ref)
		if len(n.Args) == 2 {
			y := b.expr(n.Args[1], -1, ref)
			b.next = mark
			d := b.dest(want)
			b.emit(Instr{Op: opRoundTo, Dst: d, A: x, B: y})
			return d
		}
		b.next = mark
		d := b.dest(want)
		b.emit(Instr{Op: opRound, Dst: d, A: x})
		return d
	case formula.FnClamp:
		x := b.expr(n.Args[0], -1, ref)
		lo := b.expr(n.Args[1], -1, ref)
		hi := b.expr(n.Args[2], -1, ref)
		b.next = mark
		d := b.dest(want)
		b.emit(Instr{Op: opClamp, Dst: d, A: x, B: lo, C: hi})
		return d
	}
	if op, ok := unaryBuiltins[fn.Builtin]; ok {
		x := b.expr(n.Args[0], -1, ref)
		b.next = mark
		d := b.dest(want)
		b.emit(Instr{Op: op, Dst: d, A: x})
		return d
	}
	// A registered function: its arguments go to consecutive temporaries.
	args := make([]int32, len(n.Args))
	for i := range n.Args {
		args[i] = b.temp()
	}
	for i, a := range n.Args {
		v := b.expr(a, args[i], ref)
		if v != args[i] {
			b.emit(Instr{Op: opMov, Dst: args[i], A: v})
		}
	}
	fi, ok := b.fidx[fn]
	if !ok {
		fi = int32(len(b.funcs))
		b.funcs = append(b.funcs, fn)
		b.fidx[fn] = fi
	}
	first := int32(0)
	if len(args) > 0 {
		first = args[0]
	}
	// Keep the argument temporaries reserved while the call reads them.
	d := b.temp()
	if want >= 0 {
		d = want
	}
	b.emit(Instr{Op: opCall, Dst: d, A: first, B: int32(len(args)), C: fi})
	if want < 0 {
		// The result temp sits above the arguments; move it down to free them.
		b.next = mark
		r := b.temp()
		if r != d {
			b.emit(Instr{Op: opMov, Dst: r, A: d})
		}
		return r
	}
	b.next = mark
	return d
}

// Finish lays out constants and temporaries after the value slots and
// returns the program.
func (b *Builder) Finish() (*Program, error) {
	if b.err != nil {
		return nil, b.err
	}
	base := int32(b.nvalues)
	tbase := base + int32(len(b.consts))
	reloc := func(x int32) int32 {
		switch {
		case x >= constTag:
			return base + (x - constTag)
		case x >= tempTag:
			return tbase + (x - tempTag)
		}
		return x
	}
	code := make([]Instr, len(b.code))
	for i, in := range b.code {
		in.Dst = reloc(in.Dst)
		switch in.Op {
		case opKernel:
			// no operands
		case opCall:
			in.A = reloc(in.A)
		default:
			in.A, in.B = reloc(in.A), reloc(in.B)
			if in.Op == opSelect || in.Op == opClamp || isCombo(in.Op) {
				in.C = reloc(in.C)
			}
		}
		code[i] = in
	}
	spans := append(b.spans[:len(b.spans):len(b.spans)], int32(len(code)))
	var jit *jitCode
	var segs []segment
	if !b.NoJIT {
		jit, segs, _ = jitCompile(code, b.MinNative)
	}
	return &Program{
		code:    code,
		jit:     jit,
		segs:    segs,
		consts:  b.consts,
		base:    int(base),
		nslots:  int(tbase + b.ntemps),
		funcs:   b.funcs,
		kernels: b.kernels,
		spans:   spans,
	}, nil
}
