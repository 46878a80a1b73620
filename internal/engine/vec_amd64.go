//go:build amd64 && !purego && !race

package engine

// Assembly kernels: n must be a multiple of 4.
//
//go:noescape
func vaddAVX2(d, a, b *float64, n int)

//go:noescape
func vsubAVX2(d, a, b *float64, n int)

//go:noescape
func vmulAVX2(d, a, b *float64, n int)

//go:noescape
func vdivAVX2(d, a, b *float64, n int)

//go:noescape
func vmulAddAVX2(d, a, b, c *float64, n int)

//go:noescape
func vmulMulAVX2(d, a, b, c *float64, n int)

//go:noescape
func vsqrtAVX2(d, a *float64, n int)

//go:noescape
func vminAVX2(d, a, b *float64, n int)

//go:noescape
func vmaxAVX2(d, a, b *float64, n int)

// vecChunk bounds the lanes of one assembly call (a few µs): the
// assembly kernels cannot be preempted, and a block may be wide.
const vecChunk = 4096

func vec2(d, a, b []float64, asm func(d, a, b *float64, n int), tail func(d, a, b []float64)) {
	a, b = a[:len(d)], b[:len(d)]
	n := len(d) &^ 3
	if useAVX2 && n > 0 {
		for i := 0; i < n; i += vecChunk {
			call2(asm, &d[i], &a[i], &b[i], min(vecChunk, n-i))
		}
		tail(d[n:], a[n:], b[n:])
		return
	}
	tail(d, a, b)
}

func vec3(d, a, b, c []float64, asm func(d, a, b, c *float64, n int), tail func(d, a, b, c []float64)) {
	a, b, c = a[:len(d)], b[:len(d)], c[:len(d)]
	n := len(d) &^ 3
	if useAVX2 && n > 0 {
		for i := 0; i < n; i += vecChunk {
			call3(asm, &d[i], &a[i], &b[i], &c[i], min(vecChunk, n-i))
		}
		tail(d[n:], a[n:], b[n:], c[n:])
		return
	}
	tail(d, a, b, c)
}

// call2 and call3 are preemption points between chunks: a Go function
// that calls checks for a pending preemption in its prologue.
//
//go:noinline
func call2(asm func(d, a, b *float64, n int), d, a, b *float64, n int) { asm(d, a, b, n) }

//go:noinline
func call3(asm func(d, a, b, c *float64, n int), d, a, b, c *float64, n int) { asm(d, a, b, c, n) }

func vadd(d, a, b []float64)       { vec2(d, a, b, vaddAVX2, addGo) }
func vsub(d, a, b []float64)       { vec2(d, a, b, vsubAVX2, subGo) }
func vmul(d, a, b []float64)       { vec2(d, a, b, vmulAVX2, mulGo) }
func vdiv(d, a, b []float64)       { vec2(d, a, b, vdivAVX2, divGo) }
func vmin(d, a, b []float64)       { vec2(d, a, b, vminAVX2, minGo) }
func vmax(d, a, b []float64)       { vec2(d, a, b, vmaxAVX2, maxGo) }
func vmulAdd(d, a, b, c []float64) { vec3(d, a, b, c, vmulAddAVX2, mulAddGo) }
func vmulMul(d, a, b, c []float64) { vec3(d, a, b, c, vmulMulAVX2, mulMulGo) }

func vsqrt(d, a []float64) {
	a = a[:len(d)]
	n := len(d) &^ 3
	if useAVX2 && n > 0 {
		for i := 0; i < n; i += vecChunk {
			call1(vsqrtAVX2, &d[i], &a[i], min(vecChunk, n-i))
		}
		sqrtGo(d[n:], a[n:])
		return
	}
	sqrtGo(d, a)
}

//go:noinline
func call1(asm func(d, a *float64, n int), d, a *float64, n int) { asm(d, a, n) }
