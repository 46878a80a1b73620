package sample

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

type mcInput struct {
	Dist     string  `json:"dist"`
	MuLog    float64 `json:"mu_log"`
	SigmaLog float64 `json:"sigma_log"`
	Mean     float64 `json:"mean"`
	SD       float64 `json:"sd"`
	Min      float64 `json:"min"`
	Mode     float64 `json:"mode"`
	Max      float64 `json:"max"`
}

type whatifMC struct {
	Model struct {
		Base map[string]float64 `json:"base"`
	} `json:"model"`
	MonteCarlo struct {
		Lognormal struct {
			Inputs     map[string]mcInput `json:"inputs"`
			Target     float64            `json:"target"`
			PExact     float64            `json:"p_exact"`
			LogRevMean float64            `json:"log_revenue_mean"`
			LogRevSD   float64            `json:"log_revenue_sd"`
			NumpyN     int                `json:"numpy_N"`
			NumpyPHat  float64            `json:"numpy_p_hat"`
			NumpySE    float64            `json:"numpy_se"`
		} `json:"lognormal_revenue"`
		Ge10000 mcEvent `json:"mixed_profit_ge_10000"`
		Ge12000 mcEvent `json:"mixed_profit_ge_12000"`
		Mixed   struct {
			Visits      mcInput            `json:"visits"`
			Conversion  mcInput            `json:"conversion"`
			AOV         mcInput            `json:"aov"`
			Fixed       map[string]float64 `json:"fixed"`
			EProfit     float64            `json:"E_profit_exact"`
			NumpyMean   float64            `json:"numpy_mean_profit"`
			NumpySD     float64            `json:"numpy_sd_profit"`
			NumpyMeanSE float64            `json:"numpy_mean_se"`
		} `json:"mixed_profit_inputs"`
	} `json:"monte_carlo"`
}

type mcEvent struct {
	Target    float64 `json:"target"`
	NumpyN    int     `json:"numpy_N"`
	NumpyPHat float64 `json:"numpy_p_hat"`
	NumpySE   float64 `json:"numpy_se"`
}

func loadMC(t *testing.T) whatifMC {
	t.Helper()
	b, err := os.ReadFile("testdata/whatif.json")
	if err != nil {
		t.Fatal(err)
	}
	var w whatifMC
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	return w
}

const block = 4096

// simulate runs n draws in blocks: fill(blocks) fills the input blocks and
// eval consumes them.
func simulate(n int, k int, fill func([][]float64), eval func([][]float64)) {
	blocks := make([][]float64, k)
	for j := range blocks {
		blocks[j] = make([]float64, block)
	}
	for done := 0; done < n; done += block {
		m := min(block, n-done)
		b := blocks
		if m < block {
			b = make([][]float64, k)
			for j := range b {
				b[j] = blocks[j][:m]
			}
		}
		fill(b)
		eval(b)
	}
}

// TestMonteCarloLognormalRevenue reproduces whatif.json's analytic
// probability P(visits*conversion*aov >= target) for lognormal inputs
// within 4 binomial standard errors (the file's test rule).
func TestMonteCarloLognormalRevenue(t *testing.T) {
	w := loadMC(t)
	ln := w.MonteCarlo.Lognormal
	names := []string{"visits", "conversion", "aov"}
	dists := make([]Dist, len(names))
	muSum, varSum := 0.0, 0.0
	for j, name := range names {
		in := ln.Inputs[name]
		if in.Dist != "lognormal" {
			t.Fatalf("%s: dist %q", name, in.Dist)
		}
		d, err := NewLogNormal(in.MuLog, in.SigmaLog)
		if err != nil {
			t.Fatal(err)
		}
		dists[j] = d
		muSum += in.MuLog
		varSum += in.SigmaLog * in.SigmaLog
	}
	// the analytic answer follows from the inputs
	if math.Abs(muSum-ln.LogRevMean) > 1e-12*math.Abs(ln.LogRevMean) || math.Abs(math.Sqrt(varSum)-ln.LogRevSD) > 1e-12 {
		t.Errorf("log revenue N(%v, %v), file says N(%v, %v)", muSum, math.Sqrt(varSum), ln.LogRevMean, ln.LogRevSD)
	}
	pExact := 0.5 * math.Erfc((math.Log(ln.Target)-muSum)/(math.Sqrt(varSum)*math.Sqrt2))
	if math.Abs(pExact-ln.PExact) > 1e-9*ln.PExact {
		t.Errorf("analytic p = %.17g, file %.17g", pExact, ln.PExact)
	}

	n := ln.NumpyN
	rng := NewRand(20240601)
	hits := 0
	simulate(n, 3, func(b [][]float64) {
		for j, d := range dists {
			d.Fill(b[j], rng)
		}
	}, func(b [][]float64) {
		for i := range b[0] {
			if b[0][i]*b[1][i]*b[2][i] >= ln.Target {
				hits++
			}
		}
	})
	pHat := float64(hits) / float64(n)
	se := math.Sqrt(ln.PExact * (1 - ln.PExact) / float64(n))
	t.Logf("N=%d p_hat=%.6f exact=%.6f (%.2f se)", n, pHat, ln.PExact, (pHat-ln.PExact)/se)
	if math.Abs(pHat-ln.PExact) > 4*se {
		t.Errorf("p_hat = %v, exact %v, |diff| = %.2f se", pHat, ln.PExact, math.Abs(pHat-ln.PExact)/se)
	}
	// and agrees with numpy's estimate under the two-sample rule
	seGo := math.Sqrt(pHat * (1 - pHat) / float64(n))
	if d := math.Abs(pHat - ln.NumpyPHat); d > 4*math.Hypot(seGo, ln.NumpySE) {
		t.Errorf("p_hat = %v, numpy %v", pHat, ln.NumpyPHat)
	}
}

// TestMonteCarloMixedProfit simulates the mixed-input profit model and
// compares the event probabilities with numpy's estimates and the mean with
// the exact expectation.
func TestMonteCarloMixedProfit(t *testing.T) {
	w := loadMC(t)
	mx := w.MonteCarlo.Mixed
	visits, err := NewNormal(mx.Visits.Mean, mx.Visits.SD)
	if err != nil {
		t.Fatal(err)
	}
	conv, err := NewTriangular(mx.Conversion.Min, mx.Conversion.Mode, mx.Conversion.Max)
	if err != nil {
		t.Fatal(err)
	}
	aov, err := NewUniform(mx.AOV.Min, mx.AOV.Max)
	if err != nil {
		t.Fatal(err)
	}
	cpv, cogs, fixed := mx.Fixed["cpv"], mx.Fixed["cogs_rate"], mx.Fixed["fixed_cost"]
	profit := func(v, c, a float64) float64 {
		rev := v * c * a
		return rev - (fixed + v*cpv + rev*cogs)
	}
	// exact expectation from the marginal means (independent inputs)
	eExact := profit(visits.Mean(), conv.Mean(), aov.Mean())
	if math.Abs(eExact-mx.EProfit) > 1e-9*math.Abs(mx.EProfit) {
		t.Errorf("E[profit] = %v, file %v", eExact, mx.EProfit)
	}

	const n = 1_000_000
	rng := NewRand(99)
	events := []mcEvent{w.MonteCarlo.Ge10000, w.MonteCarlo.Ge12000}
	hits := make([]int, len(events))
	var s, s2 float64
	simulate(n, 3, func(b [][]float64) {
		visits.Fill(b[0], rng)
		conv.Fill(b[1], rng)
		aov.Fill(b[2], rng)
	}, func(b [][]float64) {
		for i := range b[0] {
			p := profit(b[0][i], b[1][i], b[2][i])
			s += p
			s2 += p * p
			for e, ev := range events {
				if p >= ev.Target {
					hits[e]++
				}
			}
		}
	})
	mean := s / n
	sd := math.Sqrt((s2 - n*mean*mean) / (n - 1))
	se := sd / math.Sqrt(n)
	if math.Abs(mean-mx.EProfit) > 4*se {
		t.Errorf("mean profit %v, exact %v (se %v)", mean, mx.EProfit, se)
	}
	if math.Abs(mean-mx.NumpyMean) > 4*math.Hypot(se, mx.NumpyMeanSE) {
		t.Errorf("mean profit %v, numpy %v", mean, mx.NumpyMean)
	}
	if math.Abs(sd-mx.NumpySD)/mx.NumpySD > 0.01 {
		t.Errorf("sd profit %v, numpy %v", sd, mx.NumpySD)
	}
	for e, ev := range events {
		p := float64(hits[e]) / n
		seGo := math.Sqrt(p * (1 - p) / n)
		if math.Abs(p-ev.NumpyPHat) > 4*math.Hypot(seGo, ev.NumpySE) {
			t.Errorf("P(profit >= %v) = %v, numpy %v", ev.Target, p, ev.NumpyPHat)
		}
	}
}

// TestCopulaLognormalAnalytic: with correlated lognormal inputs the log of
// revenue is normal with variance s' R s, so P(revenue >= T) is known
// exactly; the copula simulation must reproduce it within 4 se. The
// identity copula must reproduce whatif.json's p_exact.
func TestCopulaLognormalAnalytic(t *testing.T) {
	w := loadMC(t)
	ln := w.MonteCarlo.Lognormal
	names := []string{"visits", "conversion", "aov"}
	mus := make([]float64, 3)
	sig := make([]float64, 3)
	dists := make([]Dist, 3)
	for j, name := range names {
		in := ln.Inputs[name]
		mus[j], sig[j] = in.MuLog, in.SigmaLog
		d, err := NewLogNormal(in.MuLog, in.SigmaLog)
		if err != nil {
			t.Fatal(err)
		}
		dists[j] = d
	}
	tests := []struct {
		name string
		corr [][]float64
	}{
		{"identity", [][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}},
		{"correlated", [][]float64{{1, -0.4, 0.2}, {-0.4, 1, 0.3}, {0.2, 0.3, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cop, err := NewGaussianCopula(tc.corr)
			if err != nil {
				t.Fatal(err)
			}
			mu, v := 0.0, 0.0
			for i := range sig {
				mu += mus[i]
				for j := range sig {
					v += sig[i] * sig[j] * tc.corr[i][j]
				}
			}
			pExact := 0.5 * math.Erfc((math.Log(ln.Target)-mu)/(math.Sqrt(v)*math.Sqrt2))
			if tc.name == "identity" && math.Abs(pExact-ln.PExact) > 1e-9*ln.PExact {
				t.Errorf("identity analytic p %v, file %v", pExact, ln.PExact)
			}
			const n = 200000
			rng := NewRand(5)
			hits := 0
			simulate(n, 3, func(b [][]float64) {
				if err := cop.Fill(b, dists, rng); err != nil {
					t.Fatal(err)
				}
			}, func(b [][]float64) {
				for i := range b[0] {
					if b[0][i]*b[1][i]*b[2][i] >= ln.Target {
						hits++
					}
				}
			})
			p := float64(hits) / n
			se := math.Sqrt(pExact * (1 - pExact) / n)
			if math.Abs(p-pExact) > 4*se {
				t.Errorf("p_hat %v, exact %v (%.2f se)", p, pExact, math.Abs(p-pExact)/se)
			}
		})
	}
}

func TestCopulaCorrelation(t *testing.T) {
	corr := [][]float64{{1, 0.8, -0.5, 0}, {0.8, 1, -0.3, 0.1}, {-0.5, -0.3, 1, 0.2}, {0, 0.1, 0.2, 1}}
	cop, err := NewGaussianCopula(corr)
	if err != nil {
		t.Fatal(err)
	}
	if cop.Dim() != 4 {
		t.Fatalf("Dim = %d", cop.Dim())
	}
	const n = 100000
	z := make([][]float64, 4)
	for j := range z {
		z[j] = make([]float64, n)
	}
	if err := cop.FillNormal(z, NewRand(11)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		mi, vi, _ := moments(z[i])
		if math.Abs(mi) > k/math.Sqrt(n) || math.Abs(vi-1) > k*math.Sqrt(2.0/n) {
			t.Errorf("z[%d]: mean %v var %v", i, mi, vi)
		}
		for j := 0; j < i; j++ {
			r := pearson(z[i], z[j])
			rho := corr[i][j]
			if se := (1 - rho*rho) / math.Sqrt(n); math.Abs(r-rho) > k*se+1e-12 {
				t.Errorf("corr[%d][%d] = %v, want %v (se %v)", i, j, r, rho, se)
			}
		}
	}
	if err := cop.FillUniform(z, NewRand(12)); err != nil {
		t.Fatal(err)
	}
	for j := range z {
		m, v, _ := moments(z[j])
		if math.Abs(m-0.5) > k*math.Sqrt(1.0/12/n) || math.Abs(v-1.0/12) > k*math.Sqrt((1.0/80-1.0/144)/n) {
			t.Errorf("uniform %d: mean %v var %v", j, m, v)
		}
		for _, u := range z[j] {
			if !(u > 0 && u < 1) {
				t.Fatalf("uniform %d outside (0,1): %v", j, u)
			}
		}
	}
	// the Spearman correlation of the uniforms is (6/pi) asin(rho/2)
	r := pearson(z[0], z[1])
	want := 6 / math.Pi * math.Asin(corr[0][1]/2)
	if math.Abs(r-want) > k/math.Sqrt(n) {
		t.Errorf("rank correlation %v, want %v", r, want)
	}
}

func pearson(x, y []float64) float64 {
	mx, vx, _ := moments(x)
	my, vy, _ := moments(y)
	s := 0.0
	for i := range x {
		s += (x[i] - mx) * (y[i] - my)
	}
	return s / float64(len(x)-1) / math.Sqrt(vx*vy)
}

func TestCopulaErrors(t *testing.T) {
	tests := []struct {
		name string
		corr [][]float64
		want error
	}{
		{"empty", nil, ErrInvalidParameter},
		{"not square", [][]float64{{1, 0}, {0}}, ErrInvalidParameter},
		{"diagonal", [][]float64{{1, 0}, {0, 2}}, ErrInvalidParameter},
		{"out of range", [][]float64{{1, 1.5}, {1.5, 1}}, ErrInvalidParameter},
		{"asymmetric", [][]float64{{1, 0.2}, {0.3, 1}}, ErrInvalidParameter},
		{"nan", [][]float64{{1, math.NaN()}, {math.NaN(), 1}}, ErrInvalidParameter},
		{"perfect correlation", [][]float64{{1, 1}, {1, 1}}, ErrNotPositiveDefinite},
		{"inconsistent", [][]float64{{1, 0.9, -0.9}, {0.9, 1, 0.9}, {-0.9, 0.9, 1}}, ErrNotPositiveDefinite},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewGaussianCopula(tc.corr)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	_, err := NewGaussianCopula([][]float64{{1, 0.9, -0.9}, {0.9, 1, 0.9}, {-0.9, 0.9, 1}})
	if err == nil || !strings.Contains(err.Error(), "leading minor of order 3") {
		t.Errorf("error should name the failing minor: %v", err)
	}

	cop, _ := NewGaussianCopula([][]float64{{1, 0.5}, {0.5, 1}})
	rng := NewRand(1)
	if err := cop.FillNormal([][]float64{make([]float64, 3)}, rng); !errors.Is(err, ErrDimension) {
		t.Errorf("block count: %v", err)
	}
	if err := cop.FillUniform([][]float64{make([]float64, 3), make([]float64, 2)}, rng); !errors.Is(err, ErrDimension) {
		t.Errorf("block lengths: %v", err)
	}
	nd, _ := NewNormal(0, 1)
	blocks := [][]float64{make([]float64, 3), make([]float64, 3)}
	if err := cop.Fill(blocks, []Dist{nd}, rng); !errors.Is(err, ErrDimension) {
		t.Errorf("marginal count: %v", err)
	}
	if err := cop.Fill(blocks, []Dist{nd, nil}, rng); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("nil marginal: %v", err)
	}
}

func BenchmarkNormalFill(b *testing.B) {
	d, err := NewNormal(0, 1)
	if err != nil {
		b.Fatal(err)
	}
	x := make([]float64, block)
	rng := NewRand(1)
	b.ReportAllocs()
	for b.Loop() {
		d.Fill(x, rng)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*block), "ns/draw")
}

func BenchmarkCopulaFill(b *testing.B) {
	cop, err := NewGaussianCopula([][]float64{{1, 0.3, 0}, {0.3, 1, 0.2}, {0, 0.2, 1}})
	if err != nil {
		b.Fatal(err)
	}
	n1, _ := NewNormal(0, 1)
	l1, _ := NewLogNormal(0, 1)
	t1, _ := NewTriangular(0, 1, 2)
	margs := []Dist{n1, l1, t1}
	blocks := [][]float64{make([]float64, block), make([]float64, block), make([]float64, block)}
	rng := NewRand(1)
	b.ReportAllocs()
	for b.Loop() {
		_ = cop.Fill(blocks, margs, rng)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*block), "ns/draw")
}
