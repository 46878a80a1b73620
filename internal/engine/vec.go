package engine

import "math"

// The lane kernels of RunBlock. Each computes d[j] = op(a[j], b[j]...) for
// every j; the slices have equal length. On amd64 with AVX2 the bulk runs
// four lanes per instruction in assembly (vec_amd64.s), with exactly the
// rounding of the scalar code: products are never fused with additions.

func addGo(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for j := range d {
		d[j] = a[j] + b[j]
	}
}

func subGo(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for j := range d {
		d[j] = a[j] - b[j]
	}
}

func mulGo(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for j := range d {
		d[j] = a[j] * b[j]
	}
}

func divGo(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for j := range d {
		d[j] = a[j] / b[j]
	}
}

func mulAddGo(d, a, b, c []float64) {
	a, b, c = a[:len(d)], b[:len(d)], c[:len(d)]
	for j := range d {
		d[j] = float64(a[j]*b[j]) + c[j]
	}
}

func mulMulGo(d, a, b, c []float64) {
	a, b, c = a[:len(d)], b[:len(d)], c[:len(d)]
	for j := range d {
		d[j] = float64(a[j]*b[j]) * c[j]
	}
}

func sqrtGo(d, a []float64) {
	a = a[:len(d)]
	for j := range d {
		d[j] = math.Sqrt(a[j])
	}
}

func minGo(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for j := range d {
		d[j] = min(a[j], b[j])
	}
}

func maxGo(d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for j := range d {
		d[j] = max(a[j], b[j])
	}
}
