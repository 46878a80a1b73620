//go:build linux && amd64 && !purego

#include "textflag.h"

// func jitCall(entry uintptr, slots *float64): runs JIT-compiled code,
// which reads and writes slots through DI and returns with RET.
TEXT ·jitCall(SB), NOSPLIT, $0-16
	MOVQ entry+0(FP), AX
	MOVQ slots+8(FP), DI
	CALL AX
	RET

// func jitRunNodes(base uintptr, offs *int32, steps *int32, n int, slots *float64):
// for each of the n steps, calls the node function at base + offs[step].
// The node functions use DI and X0-X4 only.
TEXT ·jitRunNodes(SB), NOSPLIT, $0-40
	MOVQ base+0(FP), R8
	MOVQ offs+8(FP), R9
	MOVQ steps+16(FP), R10
	MOVQ n+24(FP), R11
	MOVQ slots+32(FP), DI
loop:
	TESTQ R11, R11
	JZ    done
	MOVLQSX (R10), AX
	MOVLQSX (R9)(AX*4), AX
	ADDQ  R8, AX
	CALL  AX
	ADDQ  $4, R10
	DECQ  R11
	JMP   loop
done:
	RET
