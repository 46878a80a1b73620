//go:build !amd64 || purego || race

package engine

const useAVX2 = false

func vadd(d, a, b []float64)       { addGo(d, a, b) }
func vsub(d, a, b []float64)       { subGo(d, a, b) }
func vmul(d, a, b []float64)       { mulGo(d, a, b) }
func vdiv(d, a, b []float64)       { divGo(d, a, b) }
func vmin(d, a, b []float64)       { minGo(d, a, b) }
func vmax(d, a, b []float64)       { maxGo(d, a, b) }
func vmulAdd(d, a, b, c []float64) { mulAddGo(d, a, b, c) }
func vmulMul(d, a, b, c []float64) { mulMulGo(d, a, b, c) }
func vsqrt(d, a []float64)         { sqrtGo(d, a) }
