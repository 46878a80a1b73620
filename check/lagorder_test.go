package check_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/tree"
)

type lagOrderFile struct {
	Cases []struct {
		Name    string
		MaxLags int
		N       int
		Data    [][]float64
		ICs     map[string][]float64 `json:"ics"`
		Sel     map[string]int       `json:"selected"`
	}
}

// columns turns rows of observations into one slice per series.
func columns(rows [][]float64) [][]float64 {
	out := make([][]float64, len(rows[0]))
	for _, r := range rows {
		for j, v := range r {
			out[j] = append(out[j], v)
		}
	}
	return out
}

// TestSelectLagOrderReference compares SelectLagOrder with statsmodels'
// VAR.select_order on the cases of lagselect.json.
func TestSelectLagOrderReference(t *testing.T) {
	var ref lagOrderFile
	readJSON(t, "lagselect.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, tc := range ref.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			lo, err := check.SelectLagOrder(columns(tc.Data), tc.MaxLags)
			if err != nil {
				t.Fatal(err)
			}
			if lo.MaxLags != tc.MaxLags || lo.NObs != tc.N-tc.MaxLags {
				t.Errorf("max lags %d, nobs %d; want %d, %d", lo.MaxLags, lo.NObs, tc.MaxLags, tc.N-tc.MaxLags)
			}
			got := map[string][]float64{"aic": lo.AIC, "bic": lo.BIC, "hqic": lo.HQIC, "fpe": lo.FPE}
			sel := map[string]int{"aic": lo.SelectedAIC, "bic": lo.SelectedBIC, "hqic": lo.SelectedHQIC, "fpe": lo.SelectedFPE}
			if len(tc.ICs) != 4 || len(tc.Sel) != 4 {
				t.Fatalf("reference has %d criteria and %d selections, want 4 each", len(tc.ICs), len(tc.Sel))
			}
			for name, want := range tc.ICs {
				if len(got[name]) != len(want) {
					t.Fatalf("%s: %d values, want %d", name, len(got[name]), len(want))
				}
				for p, w := range want {
					if !closeRel(got[name][p], w, 1e-8) {
						t.Errorf("%s at lag %d = %.17g, want %.17g", name, p, got[name][p], w)
					}
				}
				if sel[name] != tc.Sel[name] {
					t.Errorf("selected by %s: %d, want %d", name, sel[name], tc.Sel[name])
				}
			}
		})
	}
}

func TestSelectLagOrderErrors(t *testing.T) {
	ramp := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = math.Sin(float64(i)) + 0.1*float64(i%3)
		}
		return s
	}
	tests := []struct {
		name    string
		series  [][]float64
		maxLags int
		want    string
	}{
		{"no series", nil, 2, "no series"},
		{"unequal lengths", [][]float64{ramp(30), ramp(29)}, 2, "series 1 has 29 values, series 0 has 30"},
		{"NaN", [][]float64{ramp(30), append(ramp(29), math.NaN())}, 2, "row 29, column 1"},
		{"constant", [][]float64{ramp(30), make([]float64, 30)}, 2, "column 1"},
		{"too many lags", [][]float64{ramp(12), ramp(12)}, 5, "at most 3 lags"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := check.SelectLagOrder(tc.series, tc.maxLags)
			if !errors.Is(err, check.ErrSeries) {
				t.Fatalf("error %v does not match ErrSeries", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

// TestCausalReportsLagOrder checks that the causal report carries the
// lag order SelectLagOrder gives on the tested series, and the evidence
// names it beside the declared lag.
func TestCausalReportsLagOrder(t *testing.T) {
	var ref lagOrderFile
	readJSON(t, "lagselect.json", &ref)
	tc := ref.Cases[0]
	cols := columns(tc.Data)
	c := compile(t, linkModel(tree.SignPositive, 1))
	data := evaluate(t, c, map[string][]float64{"cause": cols[0], "effect": cols[1]})
	reps, fs, err := check.Causal(c, data, check.Options{Transform: check.Transform{Kind: check.TransformNone}, MaxLag: 8})
	if err != nil {
		t.Fatal(err)
	}
	rep := reps[0]
	if rep.LagOrder == nil {
		t.Fatal("no lag order in the report")
	}
	want, err := check.SelectLagOrder(cols, 8)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(*rep.LagOrder) != fmt.Sprint(want) {
		t.Errorf("report's lag order %+v, want %+v", *rep.LagOrder, want)
	}
	if rep.LagOrder.SelectedAIC != tc.Sel["aic"] || rep.LagOrder.SelectedBIC != tc.Sel["bic"] {
		t.Errorf("selected AIC %d BIC %d, want %d %d", rep.LagOrder.SelectedAIC, rep.LagOrder.SelectedBIC, tc.Sel["aic"], tc.Sel["bic"])
	}
	for _, f := range fs {
		if f.Rule != "causal.supported" && f.Rule != "causal.inconclusive" && f.Rule != "causal.contradicted" {
			continue
		}
		for name, w := range map[string]float64{"declared_lag": 1, "selected_lag_aic": float64(tc.Sel["aic"]),
			"selected_lag_bic": float64(tc.Sel["bic"]), "selected_lag_hqic": float64(tc.Sel["hqic"]), "selected_lag_fpe": float64(tc.Sel["fpe"])} {
			if got := evidence(t, f, name); got != w {
				t.Errorf("evidence %s = %v, want %v", name, got, w)
			}
		}
		return
	}
	t.Fatalf("no verdict finding in %v", fs)
}
