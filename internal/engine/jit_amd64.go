//go:build linux && amd64 && !purego

package engine

import (
	"encoding/binary"
	"math"
	"runtime"
	"syscall"
	"unsafe"
)

// The JIT turns a program of arithmetic instructions into straight-line
// x86-64 machine code (SSE2 scalar double operations on the slots,
// addressed from one base register): no dispatch, no bounds checks, the
// same IEEE operations in the same order as the interpreter, so results
// are identical bit for bit. Programs with other instructions (functions,
// comparisons, kernels) stay interpreted.

// jitCode is executable machine code in its own mapping.
type jitCode struct {
	mem   []byte
	entry uintptr
}

// jitCall runs code with slots in DI (vec_amd64.s).
//
//go:noescape
func jitCall(entry uintptr, slots *float64)

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

// hasSSE41 reports ROUNDSD (floor and ceil).
var hasSSE41 = func() bool {
	_, _, ecx, _ := cpuid(1, 0)
	return ecx&(1<<19) != 0
}()

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

// minmax emits Go's min or max of xmm0 and xmm1 into xmm2: both operand
// orders of MINSD/MAXSD combined (OR for min: -0 wins; AND for max: +0
// wins), and all ones (a NaN) where either is NaN.
func (a *asm) minmax(isMax bool) {
	opc, comb := byte(0x5D), byte(0x56) // minsd, orpd
	if isMax {
		opc, comb = 0x5F, 0x54 // maxsd, andpd
	}
	a.movapd(2, 0)
	a.reg(0xF2, opc, 2, 1)
	a.movapd(3, 1)
	a.reg(0xF2, opc, 3, 0)
	a.reg(0x66, comb, 2, 3)
	a.movapd(4, 0)
	a.reg(0xF2, 0xC2, 4, 1) // cmpsd xmm4, xmm1, imm8
	a.bytes(3)              // unordered
	a.reg(0x66, 0x56, 2, 4) // orpd
}

// jitCompile compiles code into one straight-line function, or reports
// false if it holds an instruction the JIT does not handle or the
// platform refuses executable memory.
func jitCompile(code []Instr) (*jitCode, bool) {
	if !jitAll(code) {
		return nil, false
	}
	var a asm
	for i := range code {
		a.instr(&code[i])
	}
	a.bytes(0xC3) // ret
	return a.finish()
}

// jitCompileNodes compiles each node's code (spans) into a function of
// its own, ending in RET, and returns the offsets of their entries.
func jitCompileNodes(code []Instr, spans []int32) (*jitCode, []int32, bool) {
	if !jitAll(code) {
		return nil, nil, false
	}
	var a asm
	offs := make([]int32, len(spans)-1)
	for k := range offs {
		offs[k] = int32(len(a.b))
		for i := spans[k]; i < spans[k+1]; i++ {
			a.instr(&code[i])
		}
		a.bytes(0xC3)
	}
	j, ok := a.finish()
	return j, offs, ok
}

func jitAll(code []Instr) bool {
	if len(code) == 0 {
		return false
	}
	const maxSlot = 1<<28 - 1 // slot*8 must fit a signed 32-bit displacement
	for i := range code {
		in := &code[i]
		if !jitSupported(in.Op) {
			return false
		}
		for _, x := range [...]int32{in.Dst, in.A, in.B, in.C} {
			if x < 0 || x > maxSlot {
				return false
			}
		}
	}
	return true
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
		a.store(in.Dst, 2)
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

// finish appends the constants, resolves their addresses and maps the
// code executable.
func (a *asm) finish() (*jitCode, bool) {
	for len(a.b)%16 != 0 {
		a.bytes(0xCC)
	}
	data := len(a.b)
	a.b = binary.LittleEndian.AppendUint64(a.b, math.Float64bits(math.Copysign(0, -1))) // sign mask
	a.b = binary.LittleEndian.AppendUint64(a.b, ^uint64(0)>>1)                          // abs mask
	a.b = binary.LittleEndian.AppendUint64(a.b, math.Float64bits(1))                    // 1.0
	patch := func(fix []int, target int) {
		for _, at := range fix {
			binary.LittleEndian.PutUint32(a.b[at:], uint32(int32(target-(at+4))))
		}
	}
	patch(a.signFix, data)
	patch(a.absFix, data+8)
	patch(a.oneFix, data+16)
	size := (len(a.b) + syscall.Getpagesize() - 1) &^ (syscall.Getpagesize() - 1)
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, false
	}
	if size >= 4<<20 {
		// Large code: ask for huge pages, so that a long straight run of
		// instructions does not miss the instruction TLB on every page.
		_ = syscall.Madvise(mem, 14) // MADV_HUGEPAGE; advisory
	}
	copy(mem, a.b)
	if err := syscall.Mprotect(mem, syscall.PROT_READ|syscall.PROT_EXEC); err != nil {
		syscall.Munmap(mem)
		return nil, false
	}
	j := &jitCode{mem: mem, entry: uintptr(unsafe.Pointer(&mem[0]))}
	runtime.AddCleanup(j, func(m []byte) { syscall.Munmap(m) }, mem)
	return j, true
}

// jitRunNodes calls the node functions at base+offs[steps[i]] in order
// (jit_amd64.s).
//
//go:noescape
func jitRunNodes(base uintptr, offs *int32, steps *int32, n int, slots *float64)

// runNodesJIT runs the nodes at the given emission positions through the
// per-node machine code, compiled on first use.
func (p *Program) runNodesJIT(s []float64, steps []int32) bool {
	if p.jit == nil || len(steps) == 0 {
		return false
	}
	p.nodeOnce.Do(func() {
		p.nodeJIT, p.nodeOffs, _ = jitCompileNodes(p.code, p.spans)
	})
	if p.nodeJIT == nil {
		return false
	}
	_ = s[p.nslots-1]
	jitRunNodes(p.nodeJIT.entry, &p.nodeOffs[0], &steps[0], len(steps), &s[0])
	runtime.KeepAlive(p.nodeJIT)
	return true
}

// runJIT runs the compiled code on s if there is any.
func (p *Program) runJIT(s []float64) bool {
	if p.jit == nil {
		return false
	}
	_ = s[p.nslots-1] // the machine code does no bounds checks
	jitCall(p.jit.entry, &s[0])
	runtime.KeepAlive(p.jit)
	return true
}

// JITBytes is the size of the machine code (0 when interpreted).
func (p *Program) JITBytes() int {
	if p.jit == nil {
		return 0
	}
	return len(p.jit.mem)
}
