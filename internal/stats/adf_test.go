package stats

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
)

// adfLoadJSON decodes a reference file from testdata.
func adfLoadJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// adfClose reports whether got matches want to a relative tolerance (with an
// absolute floor of tol for values at zero).
func adfClose(got, want, tol float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), 1e-300) || math.Abs(got-want) <= tol*1e-300
}

func adfCheck(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !adfClose(got, want, tol) {
		t.Errorf("%s = %.17g, want %.17g (rel err %.3g)", what, got, want, math.Abs(got-want)/math.Abs(want))
	}
}

type adfRefResult struct {
	Stat    float64            `json:"stat"`
	PValue  float64            `json:"pvalue"`
	UsedLag int                `json:"usedlag"`
	NObs    int                `json:"nobs"`
	ICBest  *float64           `json:"icbest"`
	Crit    map[string]float64 `json:"crit"`
}

type adfRefFile struct {
	Cases []struct {
		Name     string                  `json:"name"`
		N        int                     `json:"n"`
		X        []float64               `json:"x"`
		FixedLag map[string]adfRefResult `json:"fixed_lag"`
		AutoLag  adfRefResult            `json:"autolag_aic_default_maxlag"`
	} `json:"cases"`
	PSamples []struct {
		Stat float64 `json:"stat"`
		P    float64 `json:"p"`
	} `json:"mackinnonp_c_N1_samples"`
	Crit map[string][3]float64 `json:"mackinnoncrit_c_N1_1_5_10pct_by_nobs"`
}

const adfTol = 1e-9

func adfCompare(t *testing.T, name string, got ADFResult, want adfRefResult) {
	t.Helper()
	adfCheck(t, name+" stat", got.Stat, want.Stat, adfTol)
	adfCheck(t, name+" pvalue", got.PValue, want.PValue, adfTol)
	if got.UsedLag != want.UsedLag || got.NObs != want.NObs {
		t.Errorf("%s usedlag, nobs = %d, %d; want %d, %d", name, got.UsedLag, got.NObs, want.UsedLag, want.NObs)
	}
	for i, lvl := range []string{"1%", "5%", "10%"} {
		adfCheck(t, name+" crit "+lvl, got.Critical[i], want.Crit[lvl], adfTol)
	}
	if want.ICBest != nil {
		adfCheck(t, name+" icbest", got.ICBest, *want.ICBest, adfTol)
	} else if !math.IsNaN(got.ICBest) {
		t.Errorf("%s icbest = %g, want NaN for a fixed lag", name, got.ICBest)
	}
}

func TestADFReference(t *testing.T) {
	var ref adfRefFile
	adfLoadJSON(t, "stationarity.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases in stationarity.json")
	}
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if len(c.X) != c.N {
				t.Fatalf("len(x) = %d, want %d", len(c.X), c.N)
			}
			lags := make([]string, 0, len(c.FixedLag))
			for k := range c.FixedLag {
				lags = append(lags, k)
			}
			sort.Strings(lags)
			for _, k := range lags {
				lag, err := strconv.Atoi(k)
				if err != nil {
					t.Fatal(err)
				}
				got, err := ADF(c.X, ADFOptions{Method: LagFixed, Lag: lag})
				if err != nil {
					t.Fatalf("lag %d: %v", lag, err)
				}
				adfCompare(t, "fixed lag "+k, got, c.FixedLag[k])
			}
			got, err := ADF(c.X, ADFOptions{})
			if err != nil {
				t.Fatal(err)
			}
			adfCompare(t, "autolag AIC", got, c.AutoLag)
			if wantMax := int(math.Ceil(12 * math.Pow(float64(c.N)/100, 0.25))); got.MaxLag != wantMax {
				t.Errorf("default max lag = %d, want %d", got.MaxLag, wantMax)
			}
		})
	}
}

func TestMackinnonPReference(t *testing.T) {
	var ref adfRefFile
	adfLoadJSON(t, "stationarity.json", &ref)
	if len(ref.PSamples) == 0 {
		t.Fatal("no mackinnonp samples")
	}
	for _, s := range ref.PSamples {
		got, err := MackinnonP(s.Stat, RegressionConstant)
		if err != nil {
			t.Fatal(err)
		}
		adfCheck(t, fmt.Sprintf("MackinnonP(%g)", s.Stat), got, s.P, adfTol)
	}
}

func TestMackinnonCritReference(t *testing.T) {
	var ref adfRefFile
	adfLoadJSON(t, "stationarity.json", &ref)
	if len(ref.Crit) == 0 {
		t.Fatal("no mackinnoncrit samples")
	}
	for k, want := range ref.Crit {
		nobs, err := strconv.Atoi(k)
		if err != nil {
			t.Fatal(err)
		}
		got, err := MackinnonCrit(RegressionConstant, nobs)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			adfCheck(t, fmt.Sprintf("MackinnonCrit(c, %d)[%d]", nobs, i), got[i], want[i], adfTol)
		}
	}
}

// TestMackinnonOtherRegressions checks the "n" and "ct" tables against the
// published asymptotic values and the p-value continuity at tau*.
func TestMackinnonOtherRegressions(t *testing.T) {
	tests := []struct {
		reg  Regression
		asym [3]float64
	}{
		{RegressionNone, [3]float64{-2.56574, -1.94100, -1.61682}},
		{RegressionConstant, [3]float64{-3.43035, -2.86154, -2.56677}},
		{RegressionConstantTrend, [3]float64{-3.95877, -3.41049, -3.12705}},
	}
	for _, tt := range tests {
		got, err := MackinnonCrit(tt.reg, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.asym {
			t.Errorf("MackinnonCrit(%q, inf) = %v, want %v", tt.reg, got, tt.asym)
		}
		// At the asymptotic 5% critical value the asymptotic p-value is
		// about 0.05 (MacKinnon's surfaces agree to about 1e-3 there).
		p, err := MackinnonP(got[1], tt.reg)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(p-0.05) > 2e-3 {
			t.Errorf("MackinnonP(%q, %g) = %g, want about 0.05", tt.reg, got[1], p)
		}
		tab := mackinnonTables[tt.reg]
		below, _ := MackinnonP(tab.tauStar, tt.reg)
		above, _ := MackinnonP(math.Nextafter(tab.tauStar, 0), tt.reg)
		if math.Abs(below-above) > 5e-3 {
			t.Errorf("%q: p jumps at tau* from %g to %g", tt.reg, below, above)
		}
	}
}

func TestMackinnonErrors(t *testing.T) {
	if _, err := MackinnonP(-2, "ctt"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unknown regression: err = %v", err)
	}
	if _, err := MackinnonP(math.NaN(), RegressionConstant); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("NaN stat: err = %v", err)
	}
	if _, err := MackinnonCrit("x", 100); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unknown regression: err = %v", err)
	}
	if p, _ := MackinnonP(-30, RegressionConstant); p != 0 {
		t.Errorf("p below tau_min = %g, want 0", p)
	}
	if p, _ := MackinnonP(3, RegressionConstant); p != 1 {
		t.Errorf("p above tau_max = %g, want 1", p)
	}
}

func TestADFVariants(t *testing.T) {
	var ref adfRefFile
	adfLoadJSON(t, "stationarity.json", &ref)
	x := ref.Cases[0].X
	for _, reg := range []Regression{RegressionNone, RegressionConstant, RegressionConstantTrend} {
		for _, m := range []LagMethod{LagAIC, LagBIC} {
			r, err := ADF(x, ADFOptions{Regression: reg, Method: m, MaxLag: 6})
			if err != nil {
				t.Fatalf("%q/%d: %v", reg, m, err)
			}
			if r.UsedLag < 0 || r.UsedLag > 6 || r.NObs != len(x)-1-r.UsedLag {
				t.Errorf("%q/%d: usedlag %d nobs %d", reg, m, r.UsedLag, r.NObs)
			}
			if !(r.PValue >= 0 && r.PValue <= 1) || math.IsNaN(r.ICBest) {
				t.Errorf("%q/%d: p %g icbest %g", reg, m, r.PValue, r.ICBest)
			}
			// The selected lag, refitted with a fixed lag, gives the same test.
			f, err := ADF(x, ADFOptions{Regression: reg, Method: LagFixed, Lag: r.UsedLag})
			if err != nil {
				t.Fatal(err)
			}
			if f.Stat != r.Stat || f.PValue != r.PValue {
				t.Errorf("%q/%d: fixed refit %g/%g differs from %g/%g", reg, m, f.Stat, f.PValue, r.Stat, r.PValue)
			}
		}
	}
}

func TestADFErrors(t *testing.T) {
	short := []float64{1, 2, 1}
	trendy := make([]float64, 40)
	for i := range trendy {
		trendy[i] = float64(i)
	}
	tests := []struct {
		name string
		x    []float64
		opt  ADFOptions
		want error
	}{
		{"empty", nil, ADFOptions{}, ErrTooFewObservations},
		{"three points", short, ADFOptions{}, ErrTooFewObservations},
		{"lag too long", []float64{1, 3, 2, 5, 4, 6, 5, 8, 7, 9}, ADFOptions{Method: LagFixed, Lag: 4}, ErrTooFewObservations},
		{"constant", []float64{2, 2, 2, 2, 2, 2, 2, 2}, ADFOptions{}, ErrConstantSeries},
		{"NaN", []float64{1, 2, math.NaN(), 3, 2, 4, 3, 5}, ADFOptions{}, ErrNaN},
		{"Inf", []float64{1, 2, math.Inf(1), 3, 2, 4, 3, 5}, ADFOptions{}, ErrNaN},
		{"negative lag", []float64{1, 3, 2, 5, 4, 6, 5, 8, 7, 9}, ADFOptions{Method: LagFixed, Lag: -1}, ErrInvalidArgument},
		{"bad regression", []float64{1, 3, 2, 5, 4, 6, 5, 8, 7, 9}, ADFOptions{Regression: "ctt"}, ErrInvalidArgument},
		{"bad method", []float64{1, 3, 2, 5, 4, 6, 5, 8, 7, 9}, ADFOptions{Method: 7}, ErrInvalidArgument},
		{"linear trend", trendy, ADFOptions{Method: LagFixed, Lag: 1}, ErrSingular},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ADF(tt.x, tt.opt)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
