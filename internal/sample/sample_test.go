package sample

import (
	"errors"
	"math"
	"slices"
	"testing"
)

const k = 5.0 // tolerance in standard errors for moment checks

func mustDist(t *testing.T, d Dist, err error) Dist {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func moments(x []float64) (mean, variance, m4 float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		d := (v - mean) * (v - mean)
		variance += d
		m4 += d * d
	}
	return mean, variance / float64(len(x)-1), m4 / float64(len(x))
}

func distCases(t *testing.T) []struct {
	name string
	d    Dist
} {
	mk := func(d Dist, err error) Dist { return mustDist(t, d, err) }
	hist := []float64{3, -1, 4, 1, 5, 9, 2, 6, 5, 3, 5}
	return []struct {
		name string
		d    Dist
	}{
		{"normal", mk(NewNormal(100000, 8000))},
		{"lognormal", mk(NewLogNormal(-3.912023005428146, 0.15))},
		{"lognormal mean sd", mk(NewLogNormalMeanSD(50, 20))},
		{"uniform", mk(NewUniform(45, 56))},
		{"triangular", mk(NewTriangular(0.015, 0.02, 0.026))},
		{"triangular mode at lo", mk(NewTriangular(0, 0, 1))},
		{"beta", mk(NewBeta(2.5, 0.7))},
		{"beta small shapes", mk(NewBeta(0.3, 0.4))},
		{"pert", mk(NewPERT(10, 12, 20))},
		{"pert lambda 2", mk(NewPERTLambda(-5, 0, 1, 2))},
		{"empirical", mk(NewEmpirical(hist))},
	}
}

// TestMomentsAndQuantiles checks the sample mean and variance against the
// analytic values within k standard errors, and the empirical CDF at the
// analytic quantiles within k binomial standard errors.
func TestMomentsAndQuantiles(t *testing.T) {
	const n = 200000
	x := make([]float64, n)
	for i, c := range distCases(t) {
		t.Run(c.name, func(t *testing.T) {
			rng := NewRand(uint64(1000 + i))
			c.d.Fill(x, rng)
			mean, variance, m4 := moments(x)
			seMean := math.Sqrt(c.d.Variance() / n)
			if math.Abs(mean-c.d.Mean()) > k*seMean {
				t.Errorf("mean %v, want %v (se %v)", mean, c.d.Mean(), seMean)
			}
			seVar := math.Sqrt((m4 - variance*variance) / n)
			if math.Abs(variance-c.d.Variance()) > k*seVar {
				t.Errorf("variance %v, want %v (se %v)", variance, c.d.Variance(), seVar)
			}
			sorted := slices.Clone(x)
			slices.Sort(sorted)
			for _, p := range []float64{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99} {
				q := c.d.Quantile(p)
				// fraction of draws <= q; for the discrete empirical case also < q
				le := float64(upperBound(sorted, q)) / n
				lt := float64(lowerBound(sorted, q)) / n
				se := math.Sqrt(p * (1 - p) / n)
				if le < p-k*se || lt > p+k*se {
					t.Errorf("p=%v: quantile %v has P(X<q)=%v, P(X<=q)=%v (se %v)", p, q, lt, le, se)
				}
			}
		})
	}
}

func upperBound(s []float64, v float64) int {
	i, _ := slices.BinarySearchFunc(s, v, func(a, b float64) int {
		if a <= b {
			return -1
		}
		return 1
	})
	return i
}

func lowerBound(s []float64, v float64) int {
	i, _ := slices.BinarySearch(s, v)
	return i
}

func TestAnalyticQuantiles(t *testing.T) {
	mk := func(d Dist, err error) Dist { return mustDist(t, d, err) }
	tests := []struct {
		name    string
		d       Dist
		p, want float64
	}{
		{"normal 97.5%", mk(NewNormal(0, 1)), 0.975, 1.959963984540054},
		{"normal 1e-10", mk(NewNormal(0, 1)), 1e-10, -6.361340902404056},
		{"normal scaled", mk(NewNormal(10, 2)), 0.5, 10},
		{"lognormal median", mk(NewLogNormal(math.Log(50), 0.3)), 0.5, 50},
		{"uniform", mk(NewUniform(45, 56)), 0.25, 47.75},
		{"triangular below mode", mk(NewTriangular(0, 1, 4)), 0.0625, 0.5},
		{"triangular above mode", mk(NewTriangular(0, 1, 4)), 1 - 0.1875, 2.5},
		{"beta(1,1)", mk(NewBeta(1, 1)), 0.3, 0.3},
		{"beta(2,1) sqrt", mk(NewBeta(2, 1)), 0.49, 0.7},
		{"pert symmetric median", mk(NewPERT(0, 5, 10)), 0.5, 5},
		{"empirical first", mk(NewEmpirical([]float64{3, 1, 2, 4})), 0.25, 1},
		{"empirical just above", mk(NewEmpirical([]float64{3, 1, 2, 4})), 0.2500001, 2},
		{"empirical min", mk(NewEmpirical([]float64{3, 1, 2, 4})), 0, 1},
		{"empirical max", mk(NewEmpirical([]float64{3, 1, 2, 4})), 1, 4},
	}
	for _, tc := range tests {
		got := tc.d.Quantile(tc.p)
		if math.Abs(got-tc.want) > 1e-12*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("%s: Quantile(%v) = %.17g, want %.17g", tc.name, tc.p, got, tc.want)
		}
		for _, bad := range []float64{-0.1, 1.1, math.NaN()} {
			if !math.IsNaN(tc.d.Quantile(bad)) {
				t.Errorf("%s: Quantile(%v) should be NaN", tc.name, bad)
			}
		}
	}
}

func TestParameterisations(t *testing.T) {
	d, err := NewLogNormalMeanSD(50, 20)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(d.Mean()-50) > 1e-12 || math.Abs(math.Sqrt(d.Variance())-20) > 1e-12 {
		t.Errorf("mean/sd = %v/%v, want 50/20", d.Mean(), math.Sqrt(d.Variance()))
	}
	mu, sigma := d.MuSigma()
	if wantS := math.Sqrt(math.Log(1 + 0.16)); math.Abs(sigma-wantS) > 1e-15 || math.Abs(mu-(math.Log(50)-wantS*wantS/2)) > 1e-14 {
		t.Errorf("mu, sigma = %v, %v", mu, sigma)
	}
	p, err := NewPERT(10, 12, 20)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := p.Shapes(); math.Abs(a-1.8) > 1e-15 || math.Abs(b-4.2) > 1e-15 {
		t.Errorf("PERT shapes %v %v, want 1.8 4.2", a, b)
	}
	if want := (10 + 4*12 + 20) / 6.0; math.Abs(p.Mean()-want) > 1e-12 {
		t.Errorf("PERT mean %v, want %v", p.Mean(), want)
	}
}

func TestEmpiricalResamples(t *testing.T) {
	hist := []float64{2, 7, 7, 11}
	d, err := NewEmpirical(hist)
	if err != nil {
		t.Fatal(err)
	}
	hist[0] = 1000 // the distribution keeps its own copy
	x := make([]float64, 40000)
	d.Fill(x, NewRand(3))
	counts := map[float64]int{}
	for _, v := range x {
		counts[v]++
	}
	if len(counts) != 3 || counts[1000] != 0 {
		t.Fatalf("support %v", counts)
	}
	for v, p := range map[float64]float64{2: 0.25, 7: 0.5, 11: 0.25} {
		f := float64(counts[v]) / float64(len(x))
		if se := math.Sqrt(p * (1 - p) / float64(len(x))); math.Abs(f-p) > k*se {
			t.Errorf("P(%v) = %v, want %v", v, f, p)
		}
	}
}

func TestDeterminism(t *testing.T) {
	for _, c := range distCases(t) {
		a := make([]float64, 257)
		b := make([]float64, 257)
		c.d.Fill(a, NewRand(42))
		c.d.Fill(b, NewRand(42))
		if !slices.Equal(a, b) {
			t.Errorf("%s: same seed, different draws", c.name)
		}
		c.d.Fill(b, NewRand(43))
		if slices.Equal(a, b) {
			t.Errorf("%s: different seeds, same draws", c.name)
		}
	}
	cop, err := NewGaussianCopula([][]float64{{1, 0.5}, {0.5, 1}})
	if err != nil {
		t.Fatal(err)
	}
	a := [][]float64{make([]float64, 100), make([]float64, 100)}
	b := [][]float64{make([]float64, 100), make([]float64, 100)}
	_ = cop.FillUniform(a, NewRand(7))
	_ = cop.FillUniform(b, NewRand(7))
	if !slices.Equal(a[0], b[0]) || !slices.Equal(a[1], b[1]) {
		t.Error("copula: same seed, different draws")
	}
}

func TestFillDoesNotAllocate(t *testing.T) {
	x := make([]float64, 1024)
	rng := NewRand(1)
	for _, c := range distCases(t) {
		if a := testing.AllocsPerRun(20, func() { c.d.Fill(x, rng) }); a != 0 {
			t.Errorf("%s: Fill allocates %v times", c.name, a)
		}
	}
	cop, err := NewGaussianCopula([][]float64{{1, 0.3, 0}, {0.3, 1, 0.2}, {0, 0.2, 1}})
	if err != nil {
		t.Fatal(err)
	}
	n1, _ := NewNormal(0, 1)
	u1, _ := NewUniform(0, 1)
	t1, _ := NewTriangular(0, 1, 2)
	margs := []Dist{n1, u1, t1}
	blocks := [][]float64{make([]float64, 512), make([]float64, 512), make([]float64, 512)}
	if a := testing.AllocsPerRun(20, func() { _ = cop.Fill(blocks, margs, rng) }); a != 0 {
		t.Errorf("copula Fill allocates %v times", a)
	}
}

func TestParameterErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	var names []string
	var errs []error
	add := func(name string, err error) { names = append(names, name); errs = append(errs, err) }
	add("normal sigma 0", errOf(NewNormal(0, 0)))
	add("normal sigma<0", errOf(NewNormal(0, -1)))
	add("normal nan mu", errOf(NewNormal(nan, 1)))
	add("lognormal sigma 0", errOf(NewLogNormal(0, 0)))
	add("lognormal inf", errOf(NewLogNormal(inf, 1)))
	add("lognormal mean<=0", errOf(NewLogNormalMeanSD(0, 1)))
	add("lognormal sd<=0", errOf(NewLogNormalMeanSD(1, 0)))
	add("uniform lo>=hi", errOf(NewUniform(1, 1)))
	add("uniform nan", errOf(NewUniform(nan, 1)))
	add("triangular lo>=hi", errOf(NewTriangular(2, 2, 1)))
	add("triangular mode low", errOf(NewTriangular(0, -1, 1)))
	add("triangular mode high", errOf(NewTriangular(0, 2, 1)))
	add("beta alpha 0", errOf(NewBeta(0, 1)))
	add("beta beta<0", errOf(NewBeta(1, -1)))
	add("pert lo>=hi", errOf(NewPERT(1, 1, 1)))
	add("pert mode", errOf(NewPERT(0, 3, 1)))
	add("pert lambda", errOf(NewPERTLambda(0, 0.5, 1, 0)))
	add("empirical empty", errOf(NewEmpirical(nil)))
	add("empirical nan", errOf(NewEmpirical([]float64{1, nan})))
	for i, err := range errs {
		if !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("%s: err = %v, want ErrInvalidParameter", names[i], err)
		}
	}
}

func errOf[T any](_ T, err error) error { return err }
