//go:build linux && amd64 && !purego

#include "textflag.h"

// func jitCall(entry uintptr, slots *float64): runs JIT-compiled code,
// which reads and writes slots through DI and returns with RET.
TEXT ·jitCall(SB), NOSPLIT, $0-16
	MOVQ entry+0(FP), AX
	MOVQ slots+8(FP), DI
	CALL AX
	RET
