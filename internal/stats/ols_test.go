package stats

import (
	"errors"
	"math"
	"testing"
)

type olsCase struct {
	Names         []string    `json:"names"`
	Description   string      `json:"description"`
	Y             []float64   `json:"y"`
	X             [][]float64 `json:"X"`
	SimpleX       []float64   `json:"x"` // present for the simple regression case
	Params        []float64   `json:"params"`
	BSE           []float64   `json:"bse"`
	TValues       []float64   `json:"tvalues"`
	PValues       []float64   `json:"pvalues"`
	RSquared      float64     `json:"rsquared"`
	RSquaredAdj   float64     `json:"rsquared_adj"`
	SSR           float64     `json:"ssr"`
	CenteredTSS   float64     `json:"centered_tss"`
	NObs          int         `json:"nobs"`
	DFModel       int         `json:"df_model"`
	DFResid       int         `json:"df_resid"`
	FValue        float64     `json:"fvalue"`
	FPValue       float64     `json:"f_pvalue"`
	LLF           float64     `json:"llf"`
	AIC           float64     `json:"aic"`
	BIC           float64     `json:"bic"`
	ScaleSigma2   float64     `json:"scale_sigma2"`
	NISTCertified *struct {
		Params   []float64 `json:"params"`
		BSE      []float64 `json:"bse"`
		RSquared float64   `json:"rsquared"`
		SSR      float64   `json:"ssr"`
		FValue   float64   `json:"fvalue"`
	} `json:"nist_certified"`
}

func TestOLSReference(t *testing.T) {
	var ref struct {
		Cases []olsCase `json:"cases"`
	}
	loadJSON(t, "ols.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases in ols.json")
	}
	for _, c := range ref.Cases {
		t.Run(c.Description, func(t *testing.T) {
			if c.SimpleX != nil {
				// The simple regression also gives its regressor alone:
				// the design must be [1, x].
				for i, xi := range c.SimpleX {
					if c.X[i][0] != 1 || c.X[i][1] != xi {
						t.Fatalf("row %d of X = %v, want [1 %g]", i, c.X[i], xi)
					}
				}
			}
			r, err := OLS(c.Y, c.X)
			if err != nil {
				t.Fatal(err)
			}
			checkVec(t, "params", r.Params, c.Params, relTol, 0)
			checkVec(t, "bse", r.BSE, c.BSE, relTol, 0)
			checkVec(t, "tvalues", r.TValues, c.TValues, relTol, 0)
			checkVec(t, "pvalues", r.PValues, c.PValues, relTol, 0)
			checkVal(t, "rsquared", r.RSquared, c.RSquared, relTol, 0)
			checkVal(t, "rsquared_adj", r.RSquaredAdj, c.RSquaredAdj, relTol, 0)
			checkVal(t, "ssr", r.SSR, c.SSR, relTol, 0)
			checkVal(t, "centered_tss", r.CenteredTSS, c.CenteredTSS, relTol, 0)
			checkVal(t, "fvalue", r.FValue, c.FValue, relTol, 0)
			checkVal(t, "f_pvalue", r.FPValue, c.FPValue, relTol, 0)
			checkVal(t, "llf", r.LLF, c.LLF, relTol, 0)
			checkVal(t, "aic", r.AIC, c.AIC, relTol, 0)
			checkVal(t, "bic", r.BIC, c.BIC, relTol, 0)
			checkVal(t, "scale", r.Scale, c.ScaleSigma2, relTol, 0)
			if r.NObs != c.NObs || r.DFModel != c.DFModel || r.DFResid != c.DFResid {
				t.Errorf("nobs/df_model/df_resid = %d/%d/%d, want %d/%d/%d", r.NObs, r.DFModel, r.DFResid, c.NObs, c.DFModel, c.DFResid)
			}
			if !r.HasConst {
				t.Errorf("constant column not detected")
			}
			// The covariance diagonal must reproduce the standard errors and
			// the matrix must be symmetric.
			for i := range r.Cov {
				checkVal(t, "sqrt(cov diag)", math.Sqrt(r.Cov[i][i]), c.BSE[i], relTol, 0)
				for j := range r.Cov {
					if r.Cov[i][j] != r.Cov[j][i] {
						t.Errorf("cov not symmetric at (%d,%d)", i, j)
					}
				}
			}
			if nist := c.NISTCertified; nist != nil {
				checkVec(t, "NIST params", r.Params, nist.Params, relTol, 0)
				checkVec(t, "NIST bse", r.BSE, nist.BSE, relTol, 0)
				checkVal(t, "NIST rsquared", r.RSquared, nist.RSquared, relTol, 0)
				checkVal(t, "NIST ssr", r.SSR, nist.SSR, relTol, 0)
				checkVal(t, "NIST fvalue", r.FValue, nist.FValue, relTol, 0)
			}
		})
	}
}

func TestOLSCombine(t *testing.T) {
	var ref struct {
		Cases []olsCase `json:"cases"`
	}
	loadJSON(t, "ols.json", &ref)
	c := ref.Cases[0]
	r, err := OLS(c.Y, c.X)
	if err != nil {
		t.Fatal(err)
	}
	// A unit vector reproduces the coefficient's own t test.
	for j := range c.Params {
		w := make([]float64, len(c.Params))
		w[j] = 1
		lc, err := r.Combine(w)
		if err != nil {
			t.Fatal(err)
		}
		checkVal(t, "estimate", lc.Estimate, c.Params[j], relTol, 0)
		checkVal(t, "se", lc.SE, c.BSE[j], relTol, 0)
		checkVal(t, "t", lc.T, c.TValues[j], relTol, 0)
		checkVal(t, "p", lc.PTwoSided, c.PValues[j], relTol, 0)
		checkVal(t, "p_greater+p_less", lc.PGreater+lc.PLess, 1, 1e-15, 0)
	}
	if _, err := r.Combine([]float64{1}); !errors.Is(err, ErrLengthMismatch) {
		t.Errorf("Combine with wrong length: err = %v, want ErrLengthMismatch", err)
	}
}

func TestOLSNoConstant(t *testing.T) {
	// Regression through the origin: uncentered R², DFModel = K.
	y := []float64{1.1, 1.9, 3.2, 3.9, 5.1}
	X := [][]float64{{1}, {2}, {3}, {4}, {5}}
	r, err := OLS(y, X)
	if err != nil {
		t.Fatal(err)
	}
	var sxy, sxx, syy float64
	for i := range y {
		sxy += X[i][0] * y[i]
		sxx += X[i][0] * X[i][0]
		syy += y[i] * y[i]
	}
	b := sxy / sxx
	checkVal(t, "slope", r.Params[0], b, 1e-14, 0)
	ssr := syy - b*sxy
	checkVal(t, "ssr", r.SSR, ssr, 1e-10, 0)
	checkVal(t, "uncentered rsquared", r.RSquared, 1-ssr/syy, 1e-12, 0)
	if r.HasConst || r.DFModel != 1 || r.DFResid != 4 {
		t.Errorf("HasConst/DFModel/DFResid = %v/%d/%d, want false/1/4", r.HasConst, r.DFModel, r.DFResid)
	}
}

func TestOLSErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		y    []float64
		X    [][]float64
		want error
	}{
		{"no observations", nil, nil, ErrTooFewObservations},
		{"rows mismatch", []float64{1, 2, 3}, [][]float64{{1}, {1}}, ErrLengthMismatch},
		{"ragged X", []float64{1, 2, 3}, [][]float64{{1, 2}, {1}, {1, 3}}, ErrLengthMismatch},
		{"no columns", []float64{1, 2}, [][]float64{{}, {}}, ErrInvalidArgument},
		{"n equals k", []float64{1, 2}, [][]float64{{1, 1}, {1, 2}}, ErrTooFewObservations},
		{"NaN in y", []float64{1, nan, 3, 4}, [][]float64{{1, 1}, {1, 2}, {1, 3}, {1, 4}}, ErrNaN},
		{"Inf in X", []float64{1, 2, 3, 4}, [][]float64{{1, 1}, {1, math.Inf(1)}, {1, 3}, {1, 4}}, ErrNaN},
		{"zero column", []float64{1, 2, 3, 4}, [][]float64{{1, 0}, {1, 0}, {1, 0}, {1, 0}}, ErrSingular},
		{"duplicate column", []float64{1, 2, 3, 5}, [][]float64{{1, 1, 1}, {1, 2, 2}, {1, 3, 3}, {1, 4, 4}}, ErrSingular},
		{"constant regressor with intercept", []float64{1, 2, 3, 5}, [][]float64{{1, 7}, {1, 7}, {1, 7}, {1, 7}}, ErrSingular},
		{"exact linear combination", []float64{1, 2, 3, 5, 4}, [][]float64{{1, 1, 3}, {1, 2, 5}, {1, 3, 7}, {1, 4, 9}, {1, 0.5, 2}}, ErrSingular},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := OLS(tc.y, tc.X)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if r != nil {
				t.Errorf("result = %+v, want nil on error", r)
			}
		})
	}
}
