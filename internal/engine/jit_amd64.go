//go:build linux && amd64 && !purego && !race

package engine

import (
	"encoding/binary"
	"math"
	"runtime"
)

// The JIT turns runs of arithmetic instructions into straight-line x86-64
// machine code (SSE2 scalar double operations on the slots, addressed
// from one base register): no dispatch, no bounds checks, the same IEEE
// operations in the same order as the interpreter, so results are
// identical bit for bit, NaN payloads included.
//
// The machine code never runs long: Run executes it in chunks of at most
// chunkInstrs instructions, each a function called from a Go loop whose
// calls are preemption points, so a stop-the-world (a GC phase change)
// waits for one chunk, not a whole evaluation. Instructions the JIT does
// not handle (pow, log, round, registered functions, kernels) run in the
// interpreter between native chunks: one such node does not make the
// whole program interpreted.

// jitCode is a program's machine code in a shared code area.
type jitCode struct {
	blk  codeBlock
	base uintptr // address of the first byte, in the executable view
	size int
}

// jitCall runs code with slots in DI (jit_amd64.s). It is a preemption
// point: it checks for a pending preemption before the call.
//
//go:noescape
func jitCall(entry uintptr, slots *float64)

// jitRunNodes calls the node functions at base+offs[steps[i]] in order,
// while budget (instructions, from spans) lasts, and returns how many
// steps it ran. It stops before a step that is not a node (step >= nnodes
// or negative) or whose node has no machine code (offset -1); the caller
// handles those. See jit_amd64.s.
//
//go:noescape
func jitRunNodes(base uintptr, offs, spans *int32, nnodes int, steps *int32, n int, slots *float64, budget int) int

// jitSupported reports whether op can be compiled.
func jitSupported(op uint8) bool {
	switch op {
	case opMov, opAdd, opSub, opMul, opDiv, opNeg, opAbs, opSqrt, opMin, opMax,
		opLt, opLe, opGt, opGe, opEq, opNe, opAnd, opOr, opNot, opSelect:
		return true
	case opFloor, opCeil:
		return hasSSE41
	}
	return isCombo(op)
}

const (
	// chunkInstrs bounds the instructions of one uninterrupted stretch of
	// machine code: at worst a few ns each (cache misses at 1M nodes),
	// about 10 µs.
	chunkInstrs = 2048
	// minNativeRun: shorter runs of compilable instructions between
	// interpreted ones stay interpreted (switching costs more).
	minNativeRun = 4
	// minNativeInstrs: a program with fewer compilable instructions is
	// interpreted (Builder.MinNative changes it). Machine code takes
	// about as much memory as the program's Go heap (a model of 30 nodes:
	// 7 KB of each), and a small program gains little in absolute time
	// (under 0.2 µs per run).
	minNativeInstrs = 256
	maxSlot         = 1<<28 - 1 // slot*8 must fit a signed 32-bit displacement
)

// maxCodeBytes bounds a program's machine code: its constants are
// addressed RIP-relative with a 32-bit displacement. A variable so that a
// test can lower it.
var maxCodeBytes = 1<<31 - 1<<16

// segment is a range of the program run either as machine code (off is
// its entry offset) or by the interpreter (off < 0).
type segment struct {
	lo, hi int32
	off    int32
}

// CMPSD predicates: the comparisons' results for NaN match Go's (false,
// but true for !=).
const (
	cmpEQ  = 0 // ordered, NaN gives false
	cmpLT  = 1
	cmpLE  = 2
	cmpNEQ = 4 // unordered or not equal: NaN gives true
)

// x86 encodings of the scalar double operations "xmm op= m64/xmm".
var sseOp = [...]byte{opAdd: 0x58, opSub: 0x5C, opMul: 0x59, opDiv: 0x5E}

// comboParts decodes a two-operation opcode into its inner and outer
// operators (as opAdd..opDiv) and whether it is the right form.
func comboParts(op uint8) (inner, outer uint8, right bool) {
	k := op - opComboFirst // inner*8 + outer*2 + nest
	return opAdd + k/8, opAdd + (k/2)%4, k%2 == 1
}

type asm struct {
	b               []byte
	signFix, absFix []int // offsets of RIP-relative constant loads to patch
	oneFix          []int
}

func (a *asm) bytes(b ...byte) { a.b = append(a.b, b...) }

// mem emits prefix 0F opc with a [rdi + 8*slot] operand and xmm register r.
func (a *asm) mem(prefix, opc byte, r int, slot int32) {
	a.bytes(prefix, 0x0F, opc, 0x80|byte(r)<<3|7)
	a.b = binary.LittleEndian.AppendUint32(a.b, uint32(slot)*8)
}

// reg emits prefix 0F opc with register operands: r op= s.
func (a *asm) reg(prefix, opc byte, r, s int) { a.bytes(prefix, 0x0F, opc, 0xC0|byte(r)<<3|byte(s)) }

func (a *asm) load(r int, slot int32)  { a.mem(0xF2, 0x10, r, slot) }
func (a *asm) store(slot int32, r int) { a.mem(0xF2, 0x11, r, slot) }
func (a *asm) movapd(r, s int)         { a.reg(0x66, 0x28, r, s) }

// ripConst loads the float64 at data offset off (patched later) into r.
func (a *asm) ripConst(r int, fix *[]int) {
	a.bytes(0xF2, 0x0F, 0x10, byte(r)<<3|5) // movsd r, [rip+disp32]
	*fix = append(*fix, len(a.b))
	a.b = append(a.b, 0, 0, 0, 0)
}

// minmax emits Go's min or max of xmm0 and xmm1 into xmm3 exactly as the
// Go compiler does on amd64, so that even NaN payloads agree:
// min(x, y) = MINSD(MINSD(x, y), x) | MINSD(x, y), and
// max(x, y) = -min(-x, -y).
func (a *asm) minmax(isMax bool) {
	if isMax {
		a.ripConst(4, &a.signFix)
		a.reg(0x66, 0x57, 0, 4) // xorpd: -x
		a.reg(0x66, 0x57, 1, 4) // -y
	}
	a.movapd(2, 0)
	a.reg(0xF2, 0x5D, 2, 1) // minsd xmm2, xmm1: m
	a.movapd(3, 2)
	a.reg(0xF2, 0x5D, 3, 0) // minsd xmm3, xmm0: MINSD(m, x)
	a.reg(0x66, 0x56, 3, 2) // orpd
	if isMax {
		a.reg(0x66, 0x57, 3, 4)
	}
}

// jitCompile compiles the program's compilable stretches into machine
// code and returns the plan Run follows, or reports false if too little
// of the program can be compiled or the platform refuses executable
// memory.
func jitCompile(code []Instr, minNative int) (*jitCode, []segment, bool) {
	if minNative <= 0 {
		minNative = minNativeInstrs
	}
	segs := planSegments(code, minNative)
	if segs == nil {
		return nil, nil, false
	}
	var a asm
	for i := range segs {
		g := &segs[i]
		if g.off < 0 {
			continue
		}
		g.off = int32(len(a.b))
		for k := g.lo; k < g.hi; k++ {
			a.instr(&code[k])
		}
		a.bytes(0xC3) // ret
	}
	j, ok := a.finish()
	if !ok {
		return nil, nil, false
	}
	return j, segs, true
}

// planSegments splits code into native and interpreted stretches, native
// ones cut every chunkInstrs instructions; nil if the program is better
// interpreted.
func planSegments(code []Instr, minNative int) []segment {
	var segs []segment
	native := 0
	add := func(lo, hi int32, nat bool) {
		if !nat {
			if n := len(segs); n > 0 && segs[n-1].off < 0 {
				segs[n-1].hi = hi
				return
			}
			segs = append(segs, segment{lo, hi, -1})
			return
		}
		native += int(hi - lo)
		for lo < hi {
			e := min(hi, lo+chunkInstrs)
			segs = append(segs, segment{lo, e, 0})
			lo = e
		}
	}
	for i := 0; i < len(code); {
		j := i
		nat := jitOK(&code[i])
		for j < len(code) && jitOK(&code[j]) == nat {
			j++
		}
		add(int32(i), int32(j), nat && j-i >= minNativeRun)
		i = j
	}
	if native < minNative {
		return nil
	}
	return segs
}

// jitOK reports whether one instruction can be compiled.
func jitOK(in *Instr) bool {
	if !jitSupported(in.Op) {
		return false
	}
	for _, x := range [...]int32{in.Dst, in.A, in.B, in.C} {
		if x < 0 || x > maxSlot {
			return false
		}
	}
	return true
}

// jitCompileNodes compiles each node's code (spans) into a function of
// its own, ending in RET, and returns the offsets of their entries: -1
// for a node left to the interpreter (one with an instruction the JIT
// does not handle, or longer than a chunk).
func jitCompileNodes(code []Instr, spans []int32) (*jitCode, []int32, bool) {
	var a asm
	offs := make([]int32, len(spans)-1)
	for k := range offs {
		offs[k] = -1
		lo, hi := spans[k], spans[k+1]
		if hi-lo > chunkInstrs || hi == lo {
			continue
		}
		ok := true
		for i := lo; i < hi && ok; i++ {
			ok = jitOK(&code[i])
		}
		if !ok {
			continue
		}
		offs[k] = int32(len(a.b))
		for i := lo; i < hi; i++ {
			a.instr(&code[i])
		}
		a.bytes(0xC3)
	}
	j, ok := a.finish()
	return j, offs, ok
}

// instr emits one instruction.
func (a *asm) instr(in *Instr) {
	switch op := in.Op; {
	case op == opMov:
		a.load(0, in.A)
		a.store(in.Dst, 0)
	case op >= opAdd && op <= opDiv:
		a.load(0, in.A)
		a.mem(0xF2, sseOp[op], 0, in.B)
		a.store(in.Dst, 0)
	case op == opNeg:
		a.load(0, in.A)
		a.ripConst(1, &a.signFix)
		a.reg(0x66, 0x57, 0, 1) // xorpd
		a.store(in.Dst, 0)
	case op == opAbs:
		a.load(0, in.A)
		a.ripConst(1, &a.absFix)
		a.reg(0x66, 0x54, 0, 1) // andpd
		a.store(in.Dst, 0)
	case op == opSqrt:
		a.mem(0xF2, 0x51, 0, in.A) // sqrtsd xmm0, m64
		a.store(in.Dst, 0)
	case op == opMin || op == opMax:
		a.load(0, in.A)
		a.load(1, in.B)
		a.minmax(op == opMax)
		a.store(in.Dst, 3)
	case op >= opLt && op <= opNe:
		// a comparison: an all-ones mask ANDed with 1.0 gives 1 or 0
		x, y, pred := in.A, in.B, byte(cmpEQ)
		switch op {
		case opLt:
			pred = cmpLT
		case opLe:
			pred = cmpLE
		case opGt:
			x, y, pred = in.B, in.A, cmpLT
		case opGe:
			x, y, pred = in.B, in.A, cmpLE
		case opNe:
			pred = cmpNEQ
		}
		a.load(0, x)
		a.mem(0xF2, 0xC2, 0, y) // cmpsd xmm0, m64, pred
		a.bytes(pred)
		a.ripConst(1, &a.oneFix)
		a.reg(0x66, 0x54, 0, 1) // andpd
		a.store(in.Dst, 0)
	case op == opAnd || op == opOr || op == opNot:
		// operands are 0 or 1 (or NaN): "true" is != 0, NaN included
		a.reg(0x66, 0x57, 2, 2) // xorpd xmm2, xmm2: 0.0
		a.load(0, in.A)
		pred := byte(cmpNEQ)
		if op == opNot {
			pred = cmpEQ
		}
		a.reg(0xF2, 0xC2, 0, 2)
		a.bytes(pred)
		if op != opNot {
			a.load(1, in.B)
			a.reg(0xF2, 0xC2, 1, 2)
			a.bytes(cmpNEQ)
			if op == opAnd {
				a.reg(0x66, 0x54, 0, 1) // andpd
			} else {
				a.reg(0x66, 0x56, 0, 1) // orpd
			}
		}
		a.ripConst(1, &a.oneFix)
		a.reg(0x66, 0x54, 0, 1)
		a.store(in.Dst, 0)
	case op == opSelect:
		// dst = C != 0 ? A : B, as a bitwise blend under the mask C != 0
		a.reg(0x66, 0x57, 2, 2) // 0.0
		a.load(3, in.C)
		a.reg(0xF2, 0xC2, 3, 2)
		a.bytes(cmpNEQ)
		a.load(0, in.A)
		a.reg(0x66, 0x54, 0, 3) // andpd: A where true
		a.load(1, in.B)
		a.reg(0x66, 0x55, 3, 1) // andnpd: xmm3 = ~mask & B
		a.reg(0x66, 0x56, 0, 3) // orpd
		a.store(in.Dst, 0)
	case op == opFloor || op == opCeil:
		mode := byte(0x9) // round down, no precision exception
		if op == opCeil {
			mode = 0xA
		}
		a.bytes(0x66, 0x0F, 0x3A, 0x0B, 0x80|7) // roundsd xmm0, [rdi+disp32], imm8
		a.b = binary.LittleEndian.AppendUint32(a.b, uint32(in.A)*8)
		a.bytes(mode)
		a.store(in.Dst, 0)
	default: // two-operation forms
		inner, outer, right := comboParts(op)
		a.load(0, in.A)
		a.mem(0xF2, sseOp[inner], 0, in.B)
		if !right {
			a.mem(0xF2, sseOp[outer], 0, in.C)
			a.store(in.Dst, 0)
		} else {
			a.load(1, in.C)
			a.reg(0xF2, sseOp[outer], 1, 0) // C op t
			a.store(in.Dst, 1)
		}
	}
}

// finish appends the constants, resolves their addresses and copies the
// code into a shared code area.
func (a *asm) finish() (*jitCode, bool) {
	if len(a.b) == 0 {
		return nil, false
	}
	for len(a.b)%16 != 0 {
		a.bytes(0xCC)
	}
	data := len(a.b)
	a.b = binary.LittleEndian.AppendUint64(a.b, math.Float64bits(math.Copysign(0, -1))) // sign mask
	a.b = binary.LittleEndian.AppendUint64(a.b, ^uint64(0)>>1)                          // abs mask
	a.b = binary.LittleEndian.AppendUint64(a.b, math.Float64bits(1))                    // 1.0
	if len(a.b) > maxCodeBytes {
		// RIP-relative displacements would not reach the constants.
		return nil, false
	}
	patch := func(fix []int, target int) {
		for _, at := range fix {
			binary.LittleEndian.PutUint32(a.b[at:], uint32(int32(target-(at+4))))
		}
	}
	patch(a.signFix, data)
	patch(a.absFix, data+8)
	patch(a.oneFix, data+16)
	blk, base, err := allocCode(a.b)
	if err != nil {
		return nil, false
	}
	j := &jitCode{blk: blk, base: base, size: blk.size}
	runtime.AddCleanup(j, freeCode, blk)
	return j, true
}

// runJIT runs the program through its plan: machine code chunks and
// interpreted stretches in order.
func (p *Program) runJIT(s []float64) bool {
	j := p.jit
	if j == nil {
		return false
	}
	_ = s[p.nslots-1] // the machine code does no bounds checks
	for i := range p.segs {
		g := &p.segs[i]
		if g.off < 0 {
			p.run(s, p.code[g.lo:g.hi])
			continue
		}
		jitCall(j.base+uintptr(g.off), &s[0])
	}
	runtime.KeepAlive(j)
	return true
}

// runNodesJIT runs the nodes at the given emission positions through the
// per-node machine code, compiled on first use, checking every position
// before any jump.
func (p *Program) runNodesJIT(s []float64, steps []int32) (bool, error) {
	if p.jit == nil || len(steps) == 0 {
		return false, nil
	}
	p.nodeOnce.Do(func() {
		p.nodeJIT, p.nodeOffs, _ = jitCompileNodes(p.code, p.spans)
		if p.nodeJIT != nil {
			p.nodeBytes.Store(int64(p.nodeJIT.size))
		}
	})
	j := p.nodeJIT
	if j == nil {
		return false, nil
	}
	_ = s[p.nslots-1]
	n := len(p.nodeOffs)
	done := 0
	for len(steps) > 0 {
		d := jitRunNodes(j.base, &p.nodeOffs[0], &p.spans[0], n, &steps[0], len(steps), &s[0], chunkInstrs)
		steps = steps[d:]
		done += d
		if len(steps) == 0 {
			break
		}
		k := steps[0]
		if uint(k) >= uint(n) {
			runtime.KeepAlive(j)
			return true, stepError(done, k, n)
		}
		if p.nodeOffs[k] < 0 {
			p.run(s, p.code[p.spans[k]:p.spans[k+1]])
			steps = steps[1:]
			done++
		}
	}
	runtime.KeepAlive(j)
	return true, nil
}

// JITBytes is the size of the machine code held for the program: the code
// for Run and, once compiled, the per-node code for RunNodes (0 when
// interpreted).
func (p *Program) JITBytes() int {
	n := 0
	if p.jit != nil {
		n += p.jit.size
	}
	return n + int(p.nodeBytes.Load())
}

func hasNativeFloor() bool { return hasSSE41 }
