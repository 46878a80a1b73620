package stats

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat"
)

type achQuantiles struct {
	Probs                   []float64 `json:"probs"`
	Linear                  []float64 `json:"linear"`
	InterpolatedInvertedCDF []float64 `json:"interpolated_inverted_cdf"`
	InvertedCDF             []float64 `json:"inverted_cdf"`
}

type achRefFile struct {
	Cases []struct {
		Name       string       `json:"name"`
		Kind       string       `json:"kind"`
		Horizon    int          `json:"horizon"`
		Window     *int         `json:"window_h_obs"`
		Current    float64      `json:"current"`
		Series     []float64    `json:"series"`
		NHist      int          `json:"n_hist"`
		HistGrowth []float64    `json:"hist_h_growth"`
		HistDiff   []float64    `json:"hist_h_diff"`
		GrowthQ    achQuantiles `json:"hist_h_growth_quantiles"`
		DiffQ      achQuantiles `json:"hist_h_diff_quantiles"`
		SimpleMean float64      `json:"one_period_simple_growth_mean"`
		SimpleSD   float64      `json:"one_period_simple_growth_sd"`
		LogMean    float64      `json:"log_growth_mean"`
		LogSD      float64      `json:"log_growth_sd"`
		DiffMean   float64      `json:"hist_h_diff_mean"`
		DiffSD     float64      `json:"hist_h_diff_sd"`
		Targets    []struct {
			Target     float64  `json:"target"`
			GReq       *float64 `json:"g_req"`
			CAGRReq    *float64 `json:"cagr_req"`
			DReq       *float64 `json:"d_req"`
			EmpiricalP float64  `json:"empirical_p_achieve"`
			Percentile *struct {
				Rank, Weak, Strict, Mean float64
			} `json:"percentileofscore"`
			PercentileWeak *float64 `json:"percentileofscore_weak"`
			ZSimple        *float64 `json:"z_per_period_simple"`
			ZLog           *float64 `json:"z_log_normal_h"`
			PNormal        *float64 `json:"p_normal_h"`
			Z              *float64 `json:"z"`
			ExceedsMax     *bool    `json:"exceeds_historical_max"`
		} `json:"targets"`
	} `json:"cases"`
}

func achCheckSlice(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		adfCheck(t, fmt.Sprintf("%s[%d]", what, i), got[i], want[i], adfTol)
	}
}

func TestAchievabilityReference(t *testing.T) {
	var ref achRefFile
	adfLoadJSON(t, "achievability.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases in achievability.json")
	}
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if c.Window != nil {
				t.Fatalf("window_h_obs = %d is not supported; pass the trailing slice of the series", *c.Window)
			}
			var opt AchievabilityOptions
			var hist []float64
			var q achQuantiles
			switch c.Kind {
			case "ratio_growth_at_least":
				opt = AchievabilityOptions{Horizon: c.Horizon, Change: ChangeRatio, Direction: GoalAtLeast}
				hist, q = c.HistGrowth, c.GrowthQ
			case "difference_at_most":
				opt = AchievabilityOptions{Horizon: c.Horizon, Change: ChangeDifference, Direction: GoalAtMost}
				hist, q = c.HistDiff, c.DiffQ
			default:
				t.Fatalf("unknown kind %q", c.Kind)
			}
			if len(c.Targets) == 0 {
				t.Fatal("no targets")
			}
			for _, tg := range c.Targets {
				name := fmt.Sprintf("target %g", tg.Target)
				r, err := Achievability(c.Series, tg.Target, opt)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if r.Current != c.Current || len(r.History) != c.NHist {
					t.Fatalf("%s: current %g, n_hist %d; want %g, %d", name, r.Current, len(r.History), c.Current, c.NHist)
				}
				achCheckSlice(t, name+" history", r.History, hist)
				adfCheck(t, name+" empirical p", r.EmpiricalP, tg.EmpiricalP, adfTol)
				for i, p := range q.Probs {
					adfCheck(t, fmt.Sprintf("%s linear q%g", name, p), r.HistoryQuantile(p, QuantileLinear), q.Linear[i], adfTol)
					adfCheck(t, fmt.Sprintf("%s interpolated_inverted_cdf q%g", name, p), r.HistoryQuantile(p, QuantileInterpolatedInvertedCDF), q.InterpolatedInvertedCDF[i], adfTol)
					adfCheck(t, fmt.Sprintf("%s inverted_cdf q%g", name, p), r.HistoryQuantile(p, QuantileInvertedCDF), q.InvertedCDF[i], adfTol)
				}
				if opt.Change == ChangeRatio {
					adfCheck(t, name+" simple mean", r.PeriodMean, c.SimpleMean, adfTol)
					adfCheck(t, name+" simple sd", r.PeriodSD, c.SimpleSD, adfTol)
					adfCheck(t, name+" log mean", r.LogMean, c.LogMean, adfTol)
					adfCheck(t, name+" log sd", r.LogSD, c.LogSD, adfTol)
					adfCheck(t, name+" g_req", r.Required, *tg.GReq, adfTol)
					adfCheck(t, name+" cagr_req", r.RequiredPerPeriod, *tg.CAGRReq, adfTol)
					adfCheck(t, name+" pct rank", r.Percentile.Rank, tg.Percentile.Rank, adfTol)
					adfCheck(t, name+" pct weak", r.Percentile.Weak, tg.Percentile.Weak, adfTol)
					adfCheck(t, name+" pct strict", r.Percentile.Strict, tg.Percentile.Strict, adfTol)
					adfCheck(t, name+" pct mean", r.Percentile.Mean, tg.Percentile.Mean, adfTol)
					adfCheck(t, name+" z per period", r.Z, *tg.ZSimple, adfTol)
					adfCheck(t, name+" z log", r.ZLog, *tg.ZLog, adfTol)
					adfCheck(t, name+" p normal", r.PNormal, *tg.PNormal, adfTol)
					if r.ExceedsBest != *tg.ExceedsMax {
						t.Errorf("%s: exceeds best = %v, want %v", name, r.ExceedsBest, *tg.ExceedsMax)
					}
				} else {
					adfCheck(t, name+" diff mean", r.HistMean, c.DiffMean, adfTol)
					adfCheck(t, name+" diff sd", r.HistSD, c.DiffSD, adfTol)
					adfCheck(t, name+" d_req", r.Required, *tg.DReq, adfTol)
					adfCheck(t, name+" pct weak", r.Percentile.Weak, *tg.PercentileWeak, adfTol)
					adfCheck(t, name+" z", r.Z, *tg.Z, adfTol)
					if want := NormalSurvival(-r.Z); r.PNormal != want {
						t.Errorf("%s: p normal = %g, want Φ(z) = %g", name, r.PNormal, want)
					}
				}
				// The ratio to the best historical change and the flag agree.
				if r.ExceedsBest != (r.RequiredToBest > 1) {
					t.Errorf("%s: exceeds best %v but required/best = %g", name, r.ExceedsBest, r.RequiredToBest)
				}
			}
			// gonum's kinds: Empirical is numpy's inverted_cdf and LinInterp
			// is numpy's interpolated_inverted_cdf.
			sorted := append([]float64(nil), hist...)
			sort.Float64s(sorted)
			for i, p := range q.Probs {
				adfCheck(t, fmt.Sprintf("gonum Empirical q%g", p), stat.Quantile(p, stat.Empirical, sorted, nil), q.InvertedCDF[i], adfTol)
				adfCheck(t, fmt.Sprintf("gonum LinInterp q%g", p), stat.Quantile(p, stat.LinInterp, sorted, nil), q.InterpolatedInvertedCDF[i], adfTol)
			}
		})
	}
}

func TestAchievabilityBestRatio(t *testing.T) {
	series := []float64{100, 102, 101, 105, 104, 108}
	// Two-period growths: 1%, 2.94%, 2.97%, 2.86% -> best 104/101 - 1.
	r, err := Achievability(series, 108*1.1, AchievabilityOptions{Horizon: 2})
	if err != nil {
		t.Fatal(err)
	}
	best := 104.0/101 - 1
	adfCheck(t, "best", r.Best, best, 1e-15)
	adfCheck(t, "required/best", r.RequiredToBest, (108*1.1/108-1)/best, 1e-12)
	if !r.ExceedsBest || r.EmpiricalP != 0 {
		t.Errorf("exceeds %v, p %g", r.ExceedsBest, r.EmpiricalP)
	}
	// A reduction target on a rising series: no decline ever seen.
	r, err = Achievability(series, 100, AchievabilityOptions{Horizon: 2, Direction: GoalAtMost})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(r.RequiredToBest) || !r.ExceedsBest {
		t.Errorf("at-most on rising series: required/best %g, exceeds %v", r.RequiredToBest, r.ExceedsBest)
	}
	if want := NormalSurvival(-r.ZLog); r.PNormal != want {
		t.Errorf("p normal %g, want %g", r.PNormal, want)
	}
}

func TestAchievabilityErrors(t *testing.T) {
	good := []float64{5, 6, 5.5, 7, 6.5, 8}
	tests := []struct {
		name   string
		series []float64
		target float64
		opt    AchievabilityOptions
		want   error
	}{
		{"zero horizon", good, 9, AchievabilityOptions{}, ErrInvalidArgument},
		{"too few", []float64{1, 2, 3}, 4, AchievabilityOptions{Horizon: 2}, ErrTooFewObservations},
		{"NaN", []float64{1, 2, math.NaN(), 3, 4}, 4, AchievabilityOptions{Horizon: 1}, ErrNaN},
		{"constant", []float64{3, 3, 3, 3, 3}, 4, AchievabilityOptions{Horizon: 1}, ErrConstantSeries},
		{"constant difference", []float64{1, 2, 3, 4, 5}, 4, AchievabilityOptions{Horizon: 1, Change: ChangeDifference}, ErrConstantSeries},
		{"non-positive ratio", []float64{1, -2, 3, 4, 5}, 4, AchievabilityOptions{Horizon: 1}, ErrInvalidArgument},
		{"non-positive target", good, 0, AchievabilityOptions{Horizon: 1}, ErrInvalidArgument},
		{"NaN target", good, math.NaN(), AchievabilityOptions{Horizon: 1}, ErrInvalidArgument},
		{"bad kind", good, 9, AchievabilityOptions{Horizon: 1, Change: 5}, ErrInvalidArgument},
		{"bad direction", good, 9, AchievabilityOptions{Horizon: 1, Direction: 5}, ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Achievability(tt.series, tt.target, tt.opt); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
