package stats

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

type lagselRefFile struct {
	Cases []struct {
		Name    string               `json:"name"`
		MaxLags int                  `json:"maxlags"`
		N       int                  `json:"n"`
		Data    [][]float64          `json:"data"`
		ICs     map[string][]float64 `json:"ics"`
		Sel     map[string]int       `json:"selected"`
	} `json:"cases"`
}

func TestLagSelectReference(t *testing.T) {
	var ref lagselRefFile
	adfLoadJSON(t, "lagselect.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases in lagselect.json")
	}
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if len(c.Data) != c.N {
				t.Fatalf("len(data) = %d, want %d", len(c.Data), c.N)
			}
			got, err := LagSelect(c.Data, c.MaxLags)
			if err != nil {
				t.Fatal(err)
			}
			if got.NObs != c.N-c.MaxLags || got.MaxLags != c.MaxLags {
				t.Errorf("nobs, maxlags = %d, %d", got.NObs, got.MaxLags)
			}
			crit := map[string][]float64{"aic": got.AIC, "bic": got.BIC, "hqic": got.HQIC, "fpe": got.FPE}
			sel := map[string]int{"aic": got.SelectedAIC, "bic": got.SelectedBIC, "hqic": got.SelectedHQIC, "fpe": got.SelectedFPE}
			for name, want := range c.ICs {
				g, ok := crit[name]
				if !ok {
					t.Fatalf("criterion %q not computed", name)
				}
				if len(g) != len(want) {
					t.Fatalf("%s: %d values, want %d", name, len(g), len(want))
				}
				for p := range want {
					adfCheck(t, fmt.Sprintf("%s lag %d", name, p), g[p], want[p], adfTol)
				}
			}
			for name, want := range c.Sel {
				if sel[name] != want {
					t.Errorf("selected %s = %d, want %d", name, sel[name], want)
				}
			}
		})
	}
}

func TestLagSelectDefaultMaxLags(t *testing.T) {
	var ref lagselRefFile
	adfLoadJSON(t, "lagselect.json", &ref)
	c := ref.Cases[0]
	got, err := LagSelect(c.Data, -1)
	if err != nil {
		t.Fatal(err)
	}
	// round(12·(202/100)^¼) = 14.
	if got.MaxLags != 14 || len(got.AIC) != 15 {
		t.Errorf("default max lags = %d (%d values), want 14", got.MaxLags, len(got.AIC))
	}
}

func TestLagSelectErrors(t *testing.T) {
	rows := func(n int) [][]float64 {
		d := make([][]float64, n)
		for i := range d {
			d[i] = []float64{math.Sin(float64(i)), math.Cos(1.7 * float64(i))}
		}
		return d
	}
	nan := rows(30)
	nan[5][1] = math.NaN()
	ragged := rows(30)
	ragged[3] = []float64{1}
	constant := rows(30)
	for i := range constant {
		constant[i][0] = 4
	}
	tests := []struct {
		name    string
		data    [][]float64
		maxLags int
		want    error
	}{
		{"empty", nil, 2, ErrTooFewObservations},
		{"too many lags", rows(12), 4, ErrTooFewObservations},
		{"NaN", nan, 2, ErrNaN},
		{"ragged", ragged, 2, ErrLengthMismatch},
		{"constant column", constant, 2, ErrConstantSeries},
		{"no variables", [][]float64{{}, {}}, 1, ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LagSelect(tt.data, tt.maxLags); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
