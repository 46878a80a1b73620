//go:build linux && amd64 && !purego && !race

#include "textflag.h"

// These functions are not NOSPLIT: their prologue checks for a pending
// preemption, so the Go loops that call them chunk after chunk give the
// scheduler and the garbage collector a safe point between chunks.

// func jitCall(entry uintptr, slots *float64): runs JIT-compiled code,
// which reads and writes slots through DI and returns with RET.
TEXT ·jitCall(SB), $0-16
	MOVQ entry+0(FP), AX
	MOVQ slots+8(FP), DI
	CALL AX
	RET

// func jitRunNodes(base uintptr, offs, spans *int32, nnodes int, steps *int32, n int, slots *float64, budget int) int
// For each of the n steps, while budget > 0: checks that the step is a
// node (0 <= step < nnodes) with machine code (offs[step] >= 0), charges
// its instruction count (spans[step+1]-spans[step]) to budget and calls
// the node function at base + offs[step]. Returns the number of steps
// run. The node functions use DI and X0-X4 only.
TEXT ·jitRunNodes(SB), $0-72
	MOVQ base+0(FP), R8
	MOVQ offs+8(FP), R9
	MOVQ spans+16(FP), R12
	MOVQ nnodes+24(FP), R13
	MOVQ steps+32(FP), R10
	MOVQ n+40(FP), R11
	MOVQ slots+48(FP), DI
	MOVQ budget+56(FP), SI
	XORQ BX, BX
loop:
	CMPQ BX, R11
	JGE  out
	TESTQ SI, SI
	JLE  out
	MOVLQSX (R10)(BX*4), AX
	CMPQ AX, R13
	JAE  out // not a node (unsigned: negative too)
	MOVLQSX (R9)(AX*4), CX
	TESTQ CX, CX
	JS   out // interpreted node
	MOVLQSX 4(R12)(AX*4), DX
	MOVLQSX (R12)(AX*4), AX
	SUBQ AX, DX
	SUBQ DX, SI
	ADDQ R8, CX
	CALL CX
	INCQ BX
	JMP  loop
out:
	MOVQ BX, ret+64(FP)
	RET
