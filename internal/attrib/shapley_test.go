package attrib

import (
	"errors"
	"math"
	"testing"
)

type shapleyFile struct {
	Cases []struct {
		decompCase
		Shapley struct {
			V0, V1 float64
			DeltaV float64            `json:"delta_V"`
			Phi    map[string]float64 `json:"phi"`
			Share  map[string]float64 `json:"share_of_change"`
		} `json:"shapley"`
		Orderings []struct {
			Order         []string           `json:"order"`
			Contributions map[string]float64 `json:"contributions"`
		} `json:"sequential_orderings"`
	} `json:"cases"`
}

func indexOf(t *testing.T, names []string, order []string) []int {
	t.Helper()
	idx := make([]int, len(order))
	for p, o := range order {
		idx[p] = -1
		for k, n := range names {
			if n == o {
				idx[p] = k
			}
		}
		if idx[p] < 0 {
			t.Fatalf("unknown factor %q", o)
		}
	}
	return idx
}

func TestShapleyReference(t *testing.T) {
	var f shapleyFile
	load(t, "shapley.json", &f)
	if len(f.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			x0, x1 := c.matrices(t)
			r, err := ShapleyProduct(x0, x1)
			if err != nil {
				t.Fatal(err)
			}
			w := c.Shapley
			checkNum(t, "V0", r.V0, w.V0)
			checkNum(t, "V1", r.V1, w.V1)
			checkNum(t, "delta_V", r.V1-r.V0, w.DeltaV)
			checkVecRel(t, "phi", r.Phi, byName(t, c.Factors, w.Phi))
			if w.Share != nil {
				s, err := Shares(r.Phi, r.V1-r.V0)
				if err != nil {
					t.Fatal(err)
				}
				checkVecRel(t, "share", s, byName(t, c.Factors, w.Share))
			}
			if d := r.V1 - r.V0 - sum(r.Phi); math.Abs(d) > 1e-12*math.Abs(r.V1) {
				t.Errorf("efficiency residual %g", d)
			}
			for k := range r.Phi {
				if !near(sum(r.BySegment[k]), r.Phi[k], 1e-15, 0) {
					t.Errorf("segments of factor %d do not sum", k)
				}
			}
			// The general Shapley over the product-sum function agrees.
			m := len(c.Segments)
			// Players are factors; s[k] is a 0/1 switch between the x0 and x1 rows.
			g := func(s []float64) float64 {
				tot := 0.0
				for i := 0; i < m; i++ {
					p := 1.0
					for k := range s {
						if s[k] == 1 {
							p *= x1[k][i]
						} else {
							p *= x0[k][i]
						}
					}
					tot += p
				}
				return tot
			}
			zeros := make([]float64, len(c.Factors))
			ones := make([]float64, len(c.Factors))
			for k := range ones {
				ones[k] = 1
			}
			phi, err := Shapley(g, zeros, ones)
			if err != nil {
				t.Fatal(err)
			}
			checkVecRel(t, "general phi", phi, byName(t, c.Factors, w.Phi))

			if len(c.Orderings) == 0 {
				return
			}
			n := len(c.Factors)
			if nf := factorial(n); len(c.Orderings) != nf {
				t.Errorf("%d orderings, want all %d", len(c.Orderings), nf)
			}
			avg := make([]float64, n)
			for _, o := range c.Orderings {
				order := indexOf(t, c.Factors, o.Order)
				s, err := SequentialProduct(x0, x1, order)
				if err != nil {
					t.Fatal(err)
				}
				want := byName(t, c.Factors, o.Contributions)
				for k := range want {
					// contributions like -10000.000000000015 vs -10000 differ by rounding only
					if !near(s.Phi[k], want[k], relTol, 0) {
						t.Errorf("order %v factor %s = %.17g, want %.17g", o.Order, c.Factors[k], s.Phi[k], want[k])
					}
					avg[k] += s.Phi[k] / float64(len(c.Orderings))
				}
				sg, err := Sequential(g, zeros, ones, order)
				if err != nil {
					t.Fatal(err)
				}
				checkVecRel(t, "general sequential", sg, want)
			}
			// Shapley is the average over all orderings.
			checkVecRel(t, "mean of orderings", avg, r.Phi)
		})
	}
}

func factorial(n int) int {
	f := 1
	for i := 2; i <= n; i++ {
		f *= i
	}
	return f
}

// TestShapleyClosedForms checks the n=2 and n=3 closed forms from shapley.json's formulas.
func TestShapleyClosedForms(t *testing.T) {
	x0 := []float64{3, 5, 7}
	x1 := []float64{4, 2, 11}
	phi, err := Shapley(product, x0[:2], x1[:2])
	if err != nil {
		t.Fatal(err)
	}
	if want := (x1[0] - x0[0]) * (x0[1] + x1[1]) / 2; !near(phi[0], want, 1e-14, 0) {
		t.Errorf("n=2 phi1 = %v, want %v", phi[0], want)
	}
	phi, err = Shapley(product, x0, x1)
	if err != nil {
		t.Fatal(err)
	}
	want := (x1[0] - x0[0]) * ((x0[1]*x0[2]+x1[1]*x1[2])/3 + (x0[1]*x1[2]+x1[1]*x0[2])/6)
	if !near(phi[0], want, 1e-14, 0) {
		t.Errorf("n=3 phi1 = %v, want %v", phi[0], want)
	}
}

// TestShapleyGeneralFormula checks efficiency and symmetry for a non-product
// formula with many factors (the KPI-tree profit model plus extra drivers).
func TestShapleyGeneralFormula(t *testing.T) {
	// profit = v*c*a*(1-cogs) - fixed - v*cpv, plus a nonlinear extra term
	f := func(x []float64) float64 {
		rev := x[0] * x[1] * x[2]
		return rev - (x[5] + x[0]*x[3] + rev*x[4]) + math.Sqrt(x[6]*x[7]) - x[8]*x[8]
	}
	x0 := []float64{100000, 0.02, 50, 0.3, 0.4, 20000, 4, 9, 3}
	x1 := []float64{120000, 0.018, 55, 0.25, 0.42, 21000, 9, 4, -3}
	phi, err := Shapley(f, x0, x1)
	if err != nil {
		t.Fatal(err)
	}
	if d := f(x1) - f(x0) - sum(phi); math.Abs(d) > 1e-9 {
		t.Errorf("efficiency residual %g", d)
	}
	// x[8] goes 3 -> -3: -x^2 unchanged, dummy player gets 0
	if math.Abs(phi[8]) > 1e-9 {
		t.Errorf("dummy factor phi = %v", phi[8])
	}
	// additively separable fixed cost gets exactly its own change
	if !near(phi[5], -1000, 1e-12, 0) {
		t.Errorf("fixed cost phi = %v, want -1000", phi[5])
	}
	// sqrt(x6*x7) with x6, x7 swapping 4 and 9: the term is unchanged, the two players offset
	if !near(phi[6], -phi[7], 1e-12, 1) {
		t.Errorf("sqrt players %v %v", phi[6], phi[7])
	}
}

func TestShapleyErrors(t *testing.T) {
	big := make([]float64, MaxFactors+1)
	tests := []struct {
		name   string
		f      func([]float64) float64
		x0, x1 []float64
		want   error
	}{
		{"nil f", nil, []float64{1}, []float64{2}, ErrInvalidInput},
		{"empty", product, nil, nil, ErrInvalidInput},
		{"length", product, []float64{1}, []float64{1, 2}, ErrInvalidInput},
		{"nan", product, []float64{math.NaN()}, []float64{1}, ErrInvalidInput},
		{"too many", product, big, big, ErrTooManyFactors},
		{"nan value", func([]float64) float64 { return math.NaN() }, []float64{1}, []float64{2}, ErrInvalidInput},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Shapley(tc.f, tc.x0, tc.x1); !errors.Is(err, tc.want) {
				t.Errorf("Shapley err = %v, want %v", err, tc.want)
			}
			if tc.want == ErrTooManyFactors {
				return
			}
			if _, err := Sequential(tc.f, tc.x0, tc.x1, []int{0}); !errors.Is(err, tc.want) {
				t.Errorf("Sequential err = %v, want %v", err, tc.want)
			}
		})
	}
	for _, order := range [][]int{{0}, {0, 0}, {0, 2}, {1, -1}} {
		if _, err := Sequential(product, []float64{1, 2}, []float64{3, 4}, order); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("order %v: err = %v", order, err)
		}
		if _, err := SequentialProduct([][]float64{{1}, {2}}, [][]float64{{3}, {4}}, order); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("product order %v: err = %v", order, err)
		}
	}
	if _, err := ShapleyProduct([][]float64{{1}}, [][]float64{{1, 2}}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("ShapleyProduct ragged: %v", err)
	}
	bigM := make([][]float64, MaxFactors+1)
	for k := range bigM {
		bigM[k] = []float64{1}
	}
	if _, err := ShapleyProduct(bigM, bigM); !errors.Is(err, ErrTooManyFactors) {
		t.Errorf("ShapleyProduct too many: %v", err)
	}
}
