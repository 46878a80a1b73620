package sample

import (
	"math"
	"math/bits"
)

// Rand is the random generator of every draw: xoshiro256++ (Blackman and
// Vigna), seeded through SplitMix64, with a ziggurat normal sampler. It is
// small, fast (about 1 ns per Uint64) and statistically strong, and
// independent streams come from NewRandStream. Its zero value is not
// usable: build one with NewRand or NewRandStream. A Rand is not safe for
// concurrent use.
type Rand struct {
	s0, s1, s2, s3 uint64
}

// NewRand returns the generator for seed; the same seed always gives the
// same stream.
func NewRand(seed uint64) *Rand { return NewRandStream(seed, 0) }

// NewRandStream returns stream number stream of seed: different streams
// of one seed are independent for every practical purpose, so parallel
// workers can each draw block k from NewRandStream(seed, k) and give the
// same result in any order.
func NewRandStream(seed, stream uint64) *Rand {
	x := seed ^ bits.RotateLeft64(stream*0x9e3779b97f4a7c15, 29) ^ stream
	r := &Rand{}
	r.s0 = splitmix(&x)
	r.s1 = splitmix(&x)
	r.s2 = splitmix(&x)
	r.s3 = splitmix(&x)
	return r
}

func splitmix(x *uint64) uint64 {
	*x += 0x9e3779b97f4a7c15
	z := *x
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Uint64 returns 64 uniformly random bits.
func (r *Rand) Uint64() uint64 {
	res := bits.RotateLeft64(r.s0+r.s3, 23) + r.s0
	t := r.s1 << 17
	r.s2 ^= r.s0
	r.s3 ^= r.s1
	r.s1 ^= r.s2
	r.s0 ^= r.s3
	r.s2 ^= t
	r.s3 = bits.RotateLeft64(r.s3, 45)
	return res
}

// Float64 returns a uniform value in [0, 1) with 53 random bits.
func (r *Rand) Float64() float64 { return float64(r.Uint64()>>11) * 0x1p-53 }

// IntN returns a uniform integer in [0, n); n must be positive.
func (r *Rand) IntN(n int) int {
	// Lemire's multiply-shift with rejection: exact, no modulo bias.
	un := uint64(n)
	hi, lo := bits.Mul64(r.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(r.Uint64(), un)
		}
	}
	return int(hi)
}

// The ziggurat of Marsaglia and Tsang (2000) for the standard normal, in
// Doornik's formulation (2005) with 128 layers: one 64-bit draw gives the
// layer, the sign and a 53-bit uniform, and about 98.8% of draws need
// nothing else.
const (
	zigN = 128
	zigR = 3.442619855899
	zigV = 9.91256303526217e-3
)

var zigX, zigRatio = func() (x [zigN + 1]float64, ratio [zigN]float64) {
	f := math.Exp(-0.5 * zigR * zigR)
	x[0] = zigV / f
	x[1] = zigR
	x[zigN] = 0
	for i := 2; i < zigN; i++ {
		x[i] = math.Sqrt(-2 * math.Log(zigV/x[i-1]+f))
		f = math.Exp(-0.5 * x[i] * x[i])
	}
	for i := range ratio {
		ratio[i] = x[i+1] / x[i]
	}
	return
}()

// NormFloat64 returns a standard normal value.
func (r *Rand) NormFloat64() float64 {
	for {
		if z, ok := r.zig(r.Uint64()); ok {
			return z
		}
	}
}

// zig runs one ziggurat trial on the draw b; ok is false when the trial
// is rejected and a new draw is needed.
func (r *Rand) zig(b uint64) (z float64, ok bool) {
	i := b & (zigN - 1)
	u := float64(int64(b)>>11) * 0x1p-52 // uniform in [-1, 1)
	if math.Abs(u) < zigRatio[i] {
		return u * zigX[i], true
	}
	if i == 0 {
		return r.normTail(u < 0), true
	}
	x := u * zigX[i]
	f0 := math.Exp(-0.5 * (zigX[i]*zigX[i] - x*x))
	f1 := math.Exp(-0.5 * (zigX[i+1]*zigX[i+1] - x*x))
	if f1+r.Float64()*(f0-f1) < 1 {
		return x, true
	}
	return 0, false
}

// FillNormal fills dst with mu + sigma*Z for standard normal Z — the
// same values, draw for draw, as calling NormFloat64 len(dst) times, but
// with the generator's state kept in registers for the common case.
func (r *Rand) FillNormal(dst []float64, mu, sigma float64) {
	s0, s1, s2, s3 := r.s0, r.s1, r.s2, r.s3
	for j := range dst {
		b := bits.RotateLeft64(s0+s3, 23) + s0
		t := s1 << 17
		s2 ^= s0
		s3 ^= s1
		s1 ^= s2
		s0 ^= s3
		s2 ^= t
		s3 = bits.RotateLeft64(s3, 45)
		i := b & (zigN - 1)
		u := float64(int64(b)>>11) * 0x1p-52
		if math.Abs(u) < zigRatio[i] {
			dst[j] = mu + sigma*(u*zigX[i])
			continue
		}
		r.s0, r.s1, r.s2, r.s3 = s0, s1, s2, s3
		z, ok := r.zig(b)
		if !ok {
			z = r.NormFloat64()
		}
		dst[j] = mu + sigma*z
		s0, s1, s2, s3 = r.s0, r.s1, r.s2, r.s3
	}
	r.s0, r.s1, r.s2, r.s3 = s0, s1, s2, s3
}

// normTail samples beyond zigR (Marsaglia 1964).
func (r *Rand) normTail(neg bool) float64 {
	for {
		x := math.Log(1-r.Float64()) / zigR
		y := math.Log(1 - r.Float64())
		if -2*y >= x*x {
			if neg {
				return x - zigR
			}
			return zigR - x
		}
	}
}
