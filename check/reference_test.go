package check_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

const relTol = 1e-9

// linkModel is a cause and an effect with one declared link.
func linkModel(sign tree.Sign, lag int) *tree.Model {
	return &tree.Model{Name: "ref",
		Metrics: []metric.Metric{kpi("effect", metric.KGI), kpi("cause", metric.KPI)},
		Links:   []tree.Link{{From: "cause", To: "effect", Sign: sign, Lag: lag}}}
}

type grangerFile struct {
	Cases []struct {
		Name string
		Y, X []float64
		Lags map[string]struct {
			SumXLagCoefs struct {
				Estimate, SE, T float64
			} `json:"sum_x_lag_coefs"`
			SSRFTest struct {
				F, P    float64
				DFDenom int `json:"df_denom"`
				DFNum   int `json:"df_num"`
			} `json:"ssr_ftest"`
			SSRChi2 struct {
				Chi2, P float64
			} `json:"ssr_chi2test"`
			LR struct {
				LR, P float64
			} `json:"lrtest"`
		}
	}
}

// TestGrangerReference runs every granger.json case through Causal, the
// declared link at each lag 1..4, and compares the link report and the
// finding's evidence with statsmodels.
func TestGrangerReference(t *testing.T) {
	var ref grangerFile
	readJSON(t, "granger.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, tc := range ref.Cases {
		for lag := 1; lag <= 4; lag++ {
			t.Run(fmt.Sprintf("%s/lag%d", tc.Name, lag), func(t *testing.T) {
				c := compile(t, linkModel(tree.SignPositive, lag))
				data := evaluate(t, c, map[string][]float64{"effect": tc.Y, "cause": tc.X})
				reps, fs, err := check.Causal(c, data, check.Options{Transform: check.Transform{Kind: check.TransformNone}})
				if err != nil {
					t.Fatal(err)
				}
				rep := reps[0]
				if rep.Test != "granger" || len(rep.Granger) != 4 {
					t.Fatalf("test %q with %d Granger lags, want granger with 4", rep.Test, len(rep.Granger))
				}
				for _, g := range rep.Granger {
					want := tc.Lags[strconv.Itoa(g.Lag)]
					if g.DFNum != want.SSRFTest.DFNum || g.DFDenom != want.SSRFTest.DFDenom {
						t.Errorf("lag %d: df (%d, %d), want (%d, %d)", g.Lag, g.DFNum, g.DFDenom, want.SSRFTest.DFNum, want.SSRFTest.DFDenom)
					}
					for _, v := range []struct {
						name      string
						got, want float64
					}{
						{"F", g.F, want.SSRFTest.F}, {"p", g.P, want.SSRFTest.P},
						{"sum", g.Sum, want.SumXLagCoefs.Estimate}, {"sum se", g.SumSE, want.SumXLagCoefs.SE}, {"sum t", g.SumT, want.SumXLagCoefs.T},
						{"chi2", g.Chi2, want.SSRChi2.Chi2}, {"chi2 p", g.Chi2P, want.SSRChi2.P}, {"lr", g.LR, want.LR.LR}, {"lr p", g.LRP, want.LR.P},
					} {
						if !closeRel(v.got, v.want, relTol) {
							t.Errorf("lag %d %s = %.17g, want %.17g", g.Lag, v.name, v.got, v.want)
						}
					}
				}
				want := tc.Lags[strconv.Itoa(lag)]
				if !closeRel(rep.P, want.SSRFTest.P, relTol) {
					t.Errorf("primary p = %g, want %g", rep.P, want.SSRFTest.P)
				}
				// One link: every adjustment leaves p unchanged.
				if !closeRel(rep.PAdjusted, want.SSRFTest.P, relTol) {
					t.Errorf("adjusted p = %g, want %g", rep.PAdjusted, want.SSRFTest.P)
				}
				i := slices.IndexFunc(fs, func(f check.Finding) bool {
					return f.Rule == "causal.supported" || f.Rule == "causal.contradicted" || f.Rule == "causal.inconclusive"
				})
				if i < 0 {
					t.Fatalf("no verdict finding in %v", fs)
				}
				f := fs[i]
				for name, w := range map[string]float64{"granger_f": want.SSRFTest.F, "granger_p": want.SSRFTest.P,
					"granger_sum_coef": want.SumXLagCoefs.Estimate, "granger_df_denom": float64(want.SSRFTest.DFDenom),
					"granger_chi2": want.SSRChi2.Chi2, "granger_chi2_p": want.SSRChi2.P, "granger_lr": want.LR.LR, "granger_lr_p": want.LR.P} {
					if got := evidence(t, f, name); !closeRel(got, w, relTol) {
						t.Errorf("evidence %s = %.17g, want %.17g", name, got, w)
					}
				}
				// The verdict follows from p and the sign of the sum.
				wantRule := "causal.inconclusive"
				if want.SSRFTest.P <= 0.05 {
					wantRule = "causal.supported"
					if want.SumXLagCoefs.Estimate < 0 {
						wantRule = "causal.contradicted"
					}
				}
				if f.Rule != wantRule {
					t.Errorf("rule %s, want %s", f.Rule, wantRule)
				}
			})
		}
	}
}

type corrFile struct {
	Cases []struct {
		Name         string
		X, Y         []float64
		ExpectedSign int `json:"expected_sign"`
		Pearson      struct {
			R         float64
			PTwoSided float64    `json:"p_two_sided"`
			PGreater  float64    `json:"p_greater"`
			PLess     float64    `json:"p_less"`
			CI95      [2]float64 `json:"fisher_ci95"`
		}
		Spearman struct {
			Rho       float64
			PTwoSided float64 `json:"p_two_sided"`
			PGreater  float64 `json:"p_greater"`
		}
		Lagged []struct {
			Lag      int
			NPairs   int     `json:"n_pairs"`
			R        float64 `json:"pearson_overlap_r"`
			P        float64 `json:"pearson_overlap_p"`
			PGreater float64 `json:"pearson_overlap_p_greater"`
			Rho      float64 `json:"spearman_overlap_rho"`
			RhoP     float64 `json:"spearman_overlap_p"`
			CCF      float64 `json:"sm_ccf_adjusted"`
		}
		BestLag int `json:"best_lag_0to4_by_expected_sign_overlap_pearson"`
	}
}

// TestCorrelationReference declares a same-period link in the expected
// direction for every correlation.json case and compares the report and
// the evidence with scipy and statsmodels.
func TestCorrelationReference(t *testing.T) {
	var ref corrFile
	readJSON(t, "correlation.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, tc := range ref.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			c := compile(t, linkModel(tree.Sign(tc.ExpectedSign), 0))
			data := evaluate(t, c, map[string][]float64{"effect": tc.Y, "cause": tc.X})
			reps, fs, err := check.Causal(c, data, check.Options{Transform: check.Transform{Kind: check.TransformNone}})
			if err != nil {
				t.Fatal(err)
			}
			rep := reps[0]
			wantP := tc.Pearson.PGreater
			if tc.ExpectedSign < 0 {
				wantP = tc.Pearson.PLess
			}
			type cmp struct {
				name      string
				got, want float64
			}
			checks := []cmp{{"r", rep.Pearson, tc.Pearson.R}, {"p one-sided", rep.PearsonP, wantP},
				{"rho", rep.Spearman, tc.Spearman.Rho}, {"primary p", rep.P, tc.Pearson.PTwoSided},
				{"ci low", rep.PearsonCILow, tc.Pearson.CI95[0]}, {"ci high", rep.PearsonCIHigh, tc.Pearson.CI95[1]}}
			if tc.ExpectedSign > 0 {
				checks = append(checks, cmp{"spearman p one-sided", rep.SpearmanP, tc.Spearman.PGreater})
			}
			if len(rep.Lags) != len(tc.Lagged) {
				t.Fatalf("%d lags, want %d", len(rep.Lags), len(tc.Lagged))
			}
			for k, w := range tc.Lagged {
				g := rep.Lags[k]
				if g.Lag != w.Lag || g.N != w.NPairs {
					t.Fatalf("lag %d n %d, want lag %d n %d", g.Lag, g.N, w.Lag, w.NPairs)
				}
				l := fmt.Sprintf("lag %d ", w.Lag)
				checks = append(checks, cmp{l + "r", g.Pearson, w.R}, cmp{l + "p", g.PearsonTwoSided, w.P},
					cmp{l + "rho", g.Spearman, w.Rho}, cmp{l + "rho p", g.SpearmanTwoSided, w.RhoP}, cmp{l + "ccf", g.CCF, w.CCF})
				if tc.ExpectedSign > 0 {
					checks = append(checks, cmp{l + "p greater", g.PearsonP, w.PGreater})
				}
			}
			for _, v := range checks {
				if !closeRel(v.got, v.want, relTol) {
					t.Errorf("%s = %.17g, want %.17g", v.name, v.got, v.want)
				}
			}
			if rep.BestLag != tc.BestLag {
				t.Errorf("best lag %d, want %d", rep.BestLag, tc.BestLag)
			}
			i := slices.IndexFunc(fs, func(f check.Finding) bool {
				return f.Rule == "causal.supported" || f.Rule == "causal.inconclusive" || f.Rule == "causal.contradicted"
			})
			if i < 0 {
				t.Fatalf("no verdict finding in %v", fs)
			}
			for name, w := range map[string]float64{"pearson_r": tc.Pearson.R, "pearson_p": wantP, "spearman_rho": tc.Spearman.Rho, "best_lag": float64(tc.BestLag),
				"pearson_ci95_low": tc.Pearson.CI95[0], "pearson_ci95_high": tc.Pearson.CI95[1]} {
				if got := evidence(t, fs[i], name); !closeRel(got, w, relTol) {
					t.Errorf("evidence %s = %.17g, want %.17g", name, got, w)
				}
			}
		})
	}
}
