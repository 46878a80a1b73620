package attrib

import (
	"errors"
	"math"
	"testing"
)

type sumFile struct {
	Data struct {
		Years    []int       `json:"years"`
		Children [][]float64 `json:"children_invest"`
		Parent   []float64   `json:"parent_total"`
	} `json:"data"`
	TwoPeriod struct {
		From      int `json:"from_year"`
		To        int `json:"to_year"`
		P0, P1    float64
		DeltaP    float64   `json:"delta_P"`
		DeltaC    []float64 `json:"delta_C"`
		Share     []float64 `json:"share_of_change"`
		PP        []float64 `json:"pp_contribution_to_growth"`
		ParentPct float64   `json:"parent_growth_pct"`
	} `json:"two_period"`
	Variance struct {
		Years []int     `json:"changes_years"`
		Var   float64   `json:"var_delta_P_ddof1"`
		Cov   []float64 `json:"cov_delta_C_delta_P_ddof1"`
		Share []float64 `json:"share"`
	} `json:"variance_decomposition"`
}

func TestSumContributionsReference(t *testing.T) {
	var f sumFile
	load(t, "sum_contrib.json", &f)
	d := f.Data
	if len(d.Children) != len(d.Years) || len(d.Parent) != len(d.Years) {
		t.Fatal("inconsistent data")
	}
	for i, row := range d.Children {
		checkNum(t, "parent total", sum(row), d.Parent[i])
	}
	year := func(y int) int {
		for i, v := range d.Years {
			if v == y {
				return i
			}
		}
		t.Fatalf("year %d missing", y)
		return -1
	}
	tp := f.TwoPeriod
	c0, c1 := d.Children[year(tp.From)], d.Children[year(tp.To)]
	checkNum(t, "P0", sum(c0), tp.P0)
	checkNum(t, "P1", sum(c1), tp.P1)
	dc, err := Deltas(c0, c1)
	if err != nil {
		t.Fatal(err)
	}
	checkVecRel(t, "delta_C", dc, tp.DeltaC)
	dP := sum(c1) - sum(c0)
	checkNum(t, "delta_P", dP, tp.DeltaP)
	sh, err := Shares(dc, dP)
	if err != nil {
		t.Fatal(err)
	}
	checkVecRel(t, "share_of_change", sh, tp.Share)
	pp, pct, err := GrowthContributions(c0, c1)
	if err != nil {
		t.Fatal(err)
	}
	checkVecRel(t, "pp contribution", pp, tp.PP)
	checkNum(t, "parent growth pct", pct, tp.ParentPct)
	if math.Abs(sum(pp)-pct) > 1e-12 {
		t.Errorf("pp contributions sum %v, growth %v", sum(pp), pct)
	}

	v := f.Variance
	if len(v.Years) != len(d.Years)-1 || v.Years[0] != d.Years[1] {
		t.Fatalf("changes years %v", v.Years)
	}
	r, err := VarianceDecomposition(d.Children)
	if err != nil {
		t.Fatal(err)
	}
	checkNum(t, "var dP", r.VarDeltaP, v.Var)
	checkVecRel(t, "cov", r.Cov, v.Cov)
	checkVecRel(t, "variance share", r.Share, v.Share)
	if math.Abs(sum(r.Share)-1) > 1e-12 {
		t.Errorf("variance shares sum to %v", sum(r.Share))
	}
}

func TestSumErrors(t *testing.T) {
	if _, err := Deltas([]float64{1}, []float64{1, 2}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Deltas lengths: %v", err)
	}
	if _, err := Deltas(nil, nil); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Deltas empty: %v", err)
	}
	if _, err := Deltas([]float64{1}, []float64{math.NaN()}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Deltas NaN: %v", err)
	}
	if _, err := Shares([]float64{1, -1}, 0); !errors.Is(err, ErrZeroChange) {
		t.Errorf("Shares zero: %v", err)
	}
	if _, err := Shares([]float64{1}, math.NaN()); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Shares NaN: %v", err)
	}
	if _, _, err := GrowthContributions([]float64{1, -1}, []float64{2, 2}); !errors.Is(err, ErrZeroChange) {
		t.Errorf("GrowthContributions zero base: %v", err)
	}
	if _, _, err := GrowthContributions([]float64{1}, nil); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("GrowthContributions lengths: %v", err)
	}
	tests := []struct {
		name   string
		levels [][]float64
		want   error
	}{
		{"too short", [][]float64{{1}, {2}}, ErrTooFewObservations},
		{"no children", [][]float64{{}, {}, {}}, ErrInvalidInput},
		{"ragged", [][]float64{{1, 2}, {2}, {3, 4}}, ErrInvalidInput},
		{"nan", [][]float64{{1}, {math.NaN()}, {3}}, ErrInvalidInput},
		{"constant changes", [][]float64{{1, 1}, {2, 2}, {3, 3}}, ErrConstant},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := VarianceDecomposition(tc.levels); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
