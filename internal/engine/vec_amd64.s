//go:build amd64 && !purego && !race

#include "textflag.h"

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func vaddAVX2(d, a, b *float64, n int): d[i] = a[i] VADDPD b[i], n a multiple of 4.
TEXT ·vaddAVX2(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $2, CX
	JZ   done
loop:
	VMOVUPD (SI), Y0
	VADDPD (DX), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func vsubAVX2(d, a, b *float64, n int): d[i] = a[i] VSUBPD b[i], n a multiple of 4.
TEXT ·vsubAVX2(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $2, CX
	JZ   done
loop:
	VMOVUPD (SI), Y0
	VSUBPD (DX), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func vmulAVX2(d, a, b *float64, n int): d[i] = a[i] VMULPD b[i], n a multiple of 4.
TEXT ·vmulAVX2(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $2, CX
	JZ   done
loop:
	VMOVUPD (SI), Y0
	VMULPD (DX), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func vdivAVX2(d, a, b *float64, n int): d[i] = a[i] VDIVPD b[i], n a multiple of 4.
TEXT ·vdivAVX2(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $2, CX
	JZ   done
loop:
	VMOVUPD (SI), Y0
	VDIVPD (DX), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func vmulAddAVX2(d, a, b, c *float64, n int): d[i] = (a[i] * b[i]) VADDPD c[i],
// rounding the product first (no fused multiply-add).
TEXT ·vmulAddAVX2(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ c+24(FP), R8
	MOVQ n+32(FP), CX
	SHRQ $2, CX
	JZ   done
loop:
	VMOVUPD (SI), Y0
	VMULPD  (DX), Y0, Y0
	VADDPD  (R8), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, R8
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func vmulMulAVX2(d, a, b, c *float64, n int): d[i] = (a[i] * b[i]) VMULPD c[i],
// rounding the product first (no fused multiply-add).
TEXT ·vmulMulAVX2(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ c+24(FP), R8
	MOVQ n+32(FP), CX
	SHRQ $2, CX
	JZ   done
loop:
	VMOVUPD (SI), Y0
	VMULPD  (DX), Y0, Y0
	VMULPD  (R8), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, R8
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func vsqrtAVX2(d, a *float64, n int): d[i] = sqrt(a[i]), n a multiple of 4.
TEXT ·vsqrtAVX2(SB), NOSPLIT, $0-24
	MOVQ d+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ   done
loop:
	VSQRTPD (SI), Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func vminAVX2(d, a, b *float64, n int): d[i] = min(a[i], b[i]) with Go's
// semantics: NaN if either is NaN; -0 below +0. VMINPD alone returns its
// second operand for NaNs and equal values, so both operand orders are
// combined (VORPD) and unordered lanes set to an all-ones NaN.
TEXT ·vminAVX2(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $2, CX
	JZ   done
loop:
	VMOVUPD (SI), Y0
	VMOVUPD (DX), Y1
	VMINPD Y1, Y0, Y2
	VMINPD Y0, Y1, Y3
	VORPD Y3, Y2, Y2
	VCMPPD $3, Y1, Y0, Y4
	VORPD Y4, Y2, Y2
	VMOVUPD Y2, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET

// func vmaxAVX2(d, a, b *float64, n int): d[i] = max(a[i], b[i]) with Go's
// semantics: NaN if either is NaN; +0 above -0. VMAXPD alone returns its
// second operand for NaNs and equal values, so both operand orders are
// combined (VANDPD) and unordered lanes set to an all-ones NaN.
TEXT ·vmaxAVX2(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $2, CX
	JZ   done
loop:
	VMOVUPD (SI), Y0
	VMOVUPD (DX), Y1
	VMAXPD Y1, Y0, Y2
	VMAXPD Y0, Y1, Y3
	VANDPD Y3, Y2, Y2
	VCMPPD $3, Y1, Y0, Y4
	VORPD Y4, Y2, Y2
	VMOVUPD Y2, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ  loop
done:
	VZEROUPPER
	RET
