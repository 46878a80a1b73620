package stats

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"testing"
)

type grangerRefTest struct {
	F       float64 `json:"F"`
	Chi2    float64 `json:"chi2"`
	LR      float64 `json:"lr"`
	P       float64 `json:"p"`
	DF      int     `json:"df"`
	DFNum   int     `json:"df_num"`
	DFDenom int     `json:"df_denom"`
}

type grangerRefLag struct {
	SumX struct {
		Estimate  float64 `json:"estimate"`
		SE        float64 `json:"se"`
		T         float64 `json:"t"`
		PTwoSided float64 `json:"p_two_sided"`
		PGreater  float64 `json:"p_greater"`
		DF        int     `json:"df"`
	} `json:"sum_x_lag_coefs"`
	SSRFTest           grangerRefTest `json:"ssr_ftest"`
	SSRChi2Test        grangerRefTest `json:"ssr_chi2test"`
	LRTest             grangerRefTest `json:"lrtest"`
	ParamsFTest        grangerRefTest `json:"params_ftest"`
	NObs               int            `json:"nobs"`
	SSRRestricted      float64        `json:"ssr_restricted"`
	SSRUnrestricted    float64        `json:"ssr_unrestricted"`
	ParamsUnrestricted []float64      `json:"params_unrestricted"`
	ParamsRestricted   []float64      `json:"params_restricted"`
}

type grangerRef struct {
	RAnchor struct {
		Case    string  `json:"case"`
		Lag     int     `json:"lag"`
		F       float64 `json:"F"`
		P       float64 `json:"p"`
		DFDenom int     `json:"df_denom"`
		DFNum   int     `json:"df_num"`
	} `json:"r_anchor"`
	Cases []struct {
		Name string                   `json:"name"`
		N    int                      `json:"n"`
		Y    []float64                `json:"y"`
		X    []float64                `json:"x"`
		Lags map[string]grangerRefLag `json:"lags"`
	} `json:"cases"`
}

func TestGrangerReference(t *testing.T) {
	var ref grangerRef
	loadJSON(t, "granger.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases in granger.json")
	}
	anchored := false
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			lagKeys := make([]int, 0, len(c.Lags))
			for k := range c.Lags {
				p, err := strconv.Atoi(k)
				if err != nil {
					t.Fatalf("lag key %q: %v", k, err)
				}
				lagKeys = append(lagKeys, p)
			}
			sort.Ints(lagKeys)
			maxLag := lagKeys[len(lagKeys)-1]
			if len(c.Y) != c.N || len(c.X) != c.N {
				t.Fatalf("case data length %d/%d, want %d", len(c.Y), len(c.X), c.N)
			}
			got, err := Granger(c.Y, c.X, maxLag)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != maxLag {
				t.Fatalf("got %d lags, want %d", len(got), maxLag)
			}
			for _, p := range lagKeys {
				want := c.Lags[strconv.Itoa(p)]
				g := got[p-1]
				name := func(s string) string { return "lag " + strconv.Itoa(p) + " " + s }
				if g.Lag != p || g.NObs != want.NObs {
					t.Errorf("%s: Lag/NObs = %d/%d, want %d/%d", name(""), g.Lag, g.NObs, p, want.NObs)
				}
				checkVal(t, name("ssr_restricted"), g.SSRRestricted, want.SSRRestricted, relTol, 0)
				checkVal(t, name("ssr_unrestricted"), g.SSRUnrestricted, want.SSRUnrestricted, relTol, 0)
				checkVec(t, name("params_restricted"), g.ParamsRestricted, want.ParamsRestricted, relTol, 0)
				checkVec(t, name("params_unrestricted"), g.ParamsUnrestricted, want.ParamsUnrestricted, relTol, 0)

				checkVal(t, name("ssr_ftest F"), g.F, want.SSRFTest.F, relTol, 0)
				checkVal(t, name("ssr_ftest p"), g.FPValue, want.SSRFTest.P, relTol, 0)
				if g.DFNum != want.SSRFTest.DFNum || g.DFDenom != want.SSRFTest.DFDenom {
					t.Errorf("%s: df = (%d, %d), want (%d, %d)", name("ssr_ftest"), g.DFNum, g.DFDenom, want.SSRFTest.DFNum, want.SSRFTest.DFDenom)
				}
				checkVal(t, name("ssr_chi2test chi2"), g.Chi2, want.SSRChi2Test.Chi2, relTol, 0)
				checkVal(t, name("ssr_chi2test p"), g.Chi2PValue, want.SSRChi2Test.P, relTol, 0)
				checkVal(t, name("lrtest lr"), g.LR, want.LRTest.LR, relTol, 0)
				checkVal(t, name("lrtest p"), g.LRPValue, want.LRTest.P, relTol, 0)
				if want.SSRChi2Test.DF != p || want.LRTest.DF != p {
					t.Errorf("%s: reference chi2/LR df = %d/%d, want %d", name(""), want.SSRChi2Test.DF, want.LRTest.DF, p)
				}
				checkVal(t, name("params_ftest F"), g.WaldF, want.ParamsFTest.F, relTol, 0)
				checkVal(t, name("params_ftest p"), g.WaldPValue, want.ParamsFTest.P, relTol, 0)
				if want.ParamsFTest.DFDenom != g.DFDenom || want.ParamsFTest.DFNum != g.DFNum {
					t.Errorf("%s: params_ftest df mismatch", name(""))
				}

				s := g.SumX
				checkVal(t, name("sum_x estimate"), s.Estimate, want.SumX.Estimate, relTol, 0)
				checkVal(t, name("sum_x se"), s.SE, want.SumX.SE, relTol, 0)
				checkVal(t, name("sum_x t"), s.T, want.SumX.T, relTol, 0)
				checkVal(t, name("sum_x p_two_sided"), s.PTwoSided, want.SumX.PTwoSided, relTol, 0)
				checkVal(t, name("sum_x p_greater"), s.PGreater, want.SumX.PGreater, relTol, 0)
				if s.DF != want.SumX.DF {
					t.Errorf("%s: df = %d, want %d", name("sum_x"), s.DF, want.SumX.DF)
				}
			}
			if c.Name == ref.RAnchor.Case {
				// R lmtest::grangertest publishes 7 significant digits.
				g := got[ref.RAnchor.Lag-1]
				anchored = true
				checkVal(t, "R anchor F", g.F, ref.RAnchor.F, 5e-6, 0)
				checkVal(t, "R anchor p", g.FPValue, ref.RAnchor.P, 5e-7, 0)
				if g.DFNum != ref.RAnchor.DFNum || g.DFDenom != ref.RAnchor.DFDenom {
					t.Errorf("R anchor df = (%d, %d), want (%d, %d)", g.DFNum, g.DFDenom, ref.RAnchor.DFNum, ref.RAnchor.DFDenom)
				}
			}
		})
	}
	if !anchored {
		t.Errorf("R anchor case %q not found", ref.RAnchor.Case)
	}
}

func TestGrangerErrors(t *testing.T) {
	ramp := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = math.Sin(float64(i)*1.3) + 0.1*float64(i%5)
		}
		return v
	}
	nan := ramp(30)
	nan[7] = math.NaN()
	inf := ramp(30)
	inf[3] = math.Inf(-1)
	constant := make([]float64, 30)
	for i := range constant {
		constant[i] = 2.5
	}
	tests := []struct {
		name   string
		y, x   []float64
		maxLag int
		want   error
	}{
		{"mismatched lengths", ramp(30), ramp(29), 2, ErrLengthMismatch},
		{"zero lag", ramp(30), ramp(30), 0, ErrInvalidArgument},
		{"negative lag", ramp(30), ramp(30), -1, ErrInvalidArgument},
		{"empty", nil, nil, 1, ErrTooFewObservations},
		{"too short for lag 4", ramp(13), ramp(13), 4, ErrTooFewObservations},
		{"too short for lag 1", ramp(4), ramp(4), 1, ErrTooFewObservations},
		{"NaN in y", nan, ramp(30), 2, ErrNaN},
		{"Inf in x", ramp(30), inf, 2, ErrNaN},
		{"constant y", constant, ramp(30), 2, ErrConstantSeries},
		{"constant x", ramp(30), constant, 2, ErrConstantSeries},
		{"x equals y", ramp(30), ramp(30), 2, ErrSingular},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Granger(tc.y, tc.x, tc.maxLag)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if got != nil {
				t.Errorf("result = %v, want nil on error", got)
			}
		})
	}
	// The smallest admissible sample works: N = 3·maxLag + 2.
	x14 := make([]float64, 14)
	for i := range x14 {
		x14[i] = math.Cos(float64(i*i) * 0.7)
	}
	if _, err := Granger(ramp(14), x14, 4); err != nil {
		t.Errorf("N = 14, maxLag = 4: %v", err)
	}
}
