package check

import (
	"errors"
	"fmt"
	"math"

	"github.com/kpitree/kpitree/internal/stats"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// ErrModelMismatch is returned when the data was evaluated for a different
// compiled model than the one checked.
var ErrModelMismatch = errors.New("check: data belongs to a different model")

// Verdict is the conclusion about one causal link.
type Verdict uint8

// The verdicts.
const (
	// NotEnoughData: the link could not be tested (too few periods, a
	// constant series, no data).
	NotEnoughData Verdict = iota
	// Supported: significant after adjustment, in the expected direction.
	Supported
	// Contradicted: significant after adjustment, in the opposite direction.
	Contradicted
	// Inconclusive: tested, but not significant after adjustment.
	Inconclusive
)

func (v Verdict) String() string {
	switch v {
	case NotEnoughData:
		return "not-enough-data"
	case Supported:
		return "supported"
	case Contradicted:
		return "contradicted"
	case Inconclusive:
		return "inconclusive"
	}
	return fmt.Sprintf("Verdict(%d)", v)
}

// MarshalText implements encoding.TextMarshaler with String.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// GrangerResult is statsmodels' grangercausalitytests ssr F test of "the
// cause Granger-causes the effect" for one lag order, with the summed
// cause-lag coefficients that give the direction of the effect.
//
// The three tests statsmodels reports for the same pair of regressions are
// all here: the ssr F test (F, P on DFNum and DFDenom degrees of freedom,
// the one the verdict uses), the ssr chi² test (Chi2, Chi2P) and the
// likelihood-ratio test (LR, LRP), both chi² with Lag degrees of freedom.
type GrangerResult struct {
	Lag            int
	F, P           float64
	DFNum, DFDenom int
	Chi2, Chi2P    float64
	LR, LRP        float64
	// Sum is the sum of the cause's lag coefficients in the unrestricted
	// regression, SumSE its standard error and SumT its t statistic.
	Sum, SumSE, SumT float64
}

// LagCorrelation is the association of cause_t with effect_{t+Lag} on the
// overlapping pairs: Pearson and Spearman with one-sided p-values in the
// link's expected direction (two-sided when the sign is unknown), and
// statsmodels' ccf (full-sample means, adjusted denominator).
type LagCorrelation struct {
	Lag int
	N   int
	// PearsonP and SpearmanP are one-sided in the expected direction;
	// the TwoSided fields are the two-sided p-values.
	Pearson, PearsonP, PearsonTwoSided float64
	// PearsonCILow and PearsonCIHigh bound the 95% Fisher-z confidence
	// interval of the Pearson correlation: tanh(atanh(r) ± 1.96/√(N−3))
	// (NaN with fewer than 4 pairs).
	PearsonCILow, PearsonCIHigh           float64
	Spearman, SpearmanP, SpearmanTwoSided float64
	CCF                                   float64
}

// LinkReport is the test of one declared causal link.
type LinkReport struct {
	Link tree.Link
	// Periods is the span tested ("2023-01..2026-12"); N the number of
	// periods before transforming.
	Periods string
	N       int
	// Transform is the transform applied to both series.
	Transform Transform
	// ADF tests on the levels and on the tested (transformed) series.
	CauseADF, EffectADF                       ADFSummary
	CauseADFTransformed, EffectADFTransformed ADFSummary
	// Correlations at the declared lag (one-sided in the expected
	// direction), with the 95% Fisher-z confidence interval of Pearson's r.
	Pearson, PearsonP, Spearman, SpearmanP float64
	PearsonCILow, PearsonCIHigh            float64
	// Lags holds the lagged correlations for lags −K..K, K the larger of
	// MaxLag and the declared lag, or fewer as far as the data allows
	// (enough pairs, and no constant overlap at a searched lag).
	Lags []LagCorrelation
	// BestLag is the lag in 0..MaxLag with the strongest correlation in the
	// expected direction (largest |r| when the sign is unknown).
	BestLag int
	// Granger holds the tests for lags 1..max(MaxLag, declared lag) as far
	// as the data allows.
	Granger []GrangerResult
	// LagOrder is the lag order of a vector autoregression of the two
	// tested series chosen by information criteria (SelectLagOrder with
	// MaxLags the larger of Options.MaxLag and the declared lag, or fewer
	// as far as the data allows), to set beside the declared lag; nil when
	// the series are too short or degenerate.
	LagOrder *LagOrder
	// Test is the primary test: "granger" at the declared lag (lag ≥ 1)
	// or "correlation" (lag 0, Pearson).
	Test string
	// P is the primary test's p-value, PAdjusted after adjustment over all
	// tested links; Sign the estimated direction (+1, −1, 0).
	P, PAdjusted float64
	Sign         int
	Verdict      Verdict
	Reason       string
	// NotStationary is set when a tested series still has a unit root.
	NotStationary bool
	// LagMismatch is set when the data shows the effect at BestLag and not
	// at the declared lag.
	LagMismatch bool

	prep prepared
}

// Causal tests every declared causal link on the history in data and
// returns one report per link (in declaration order) and the causal.*
// findings. data may be nil: every link is then not-enough-data. Invalid
// options and data evaluated for another model are errors.
func Causal(c *tree.Compiled, data *rollup.Result, opt Options) ([]LinkReport, Findings, error) {
	o, err := opt.resolve()
	if err != nil {
		return nil, nil, err
	}
	if data != nil && data.Compiled() != c {
		return nil, nil, ErrModelMismatch
	}
	reports, fs := causal(c, data, o)
	if o.SuggestLinks && data != nil {
		fs = append(fs, suggest(c, newGraph(c), data, o)...)
	}
	Sort(fs)
	return reports, fs, nil
}

func causal(c *tree.Compiled, data *rollup.Result, o resolved) ([]LinkReport, Findings) {
	links := c.Model().Links
	reports := make([]LinkReport, len(links))
	var ps []float64
	var idx []int
	for k, l := range links {
		rep := &reports[k]
		rep.Link = l
		if data == nil {
			rep.Verdict, rep.Reason = NotEnoughData, "no data was given"
			continue
		}
		testLink(rep, prepare(data, l.From, l.To, o), o)
		if rep.Test != "" {
			ps = append(ps, rep.P)
			idx = append(idx, k)
		}
	}
	if len(ps) > 0 {
		adj, _, err := stats.Adjust(ps, o.method, o.Alpha)
		if err != nil { // p-values come from the tests and lie in [0, 1]
			adj = ps
		}
		for j, k := range idx {
			rep := &reports[k]
			rep.PAdjusted = adj[j]
			want := int(rep.Link.Sign)
			switch {
			case rep.PAdjusted > o.Alpha:
				rep.Verdict = Inconclusive
				rep.Reason = fmt.Sprintf("not significant: adjusted p = %.3g > %g", rep.PAdjusted, o.Alpha)
			case want == 0 || rep.Sign == want:
				rep.Verdict = Supported
				rep.Reason = fmt.Sprintf("significant (adjusted p = %.3g) with sign %s", rep.PAdjusted, signStr(rep.Sign))
			default:
				rep.Verdict = Contradicted
				rep.Reason = fmt.Sprintf("significant (adjusted p = %.3g) with sign %s, opposite to the declared %s", rep.PAdjusted, signStr(rep.Sign), rep.Link.Sign)
			}
		}
	}
	var out Findings
	emit := func(f Finding) {
		if o.Rules.Enabled(f.Rule) {
			out = append(out, f)
		}
	}
	for k := range reports {
		linkFindings(c, &reports[k], o, emit)
	}
	return reports, out
}

func signStr(s int) string { return tree.Sign(s).String() }

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// testLink fills a report from a prepared pair (From = a, To = b); the
// verdict is set later, after adjustment, unless the link is untestable.
func testLink(rep *LinkReport, pr prepared, o resolved) {
	rep.prep = pr
	rep.Periods, rep.N, rep.Transform = pr.periods(), pr.n, pr.transform
	rep.CauseADF, rep.EffectADF = pr.adfA, pr.adfB
	rep.CauseADFTransformed, rep.EffectADFTransformed = pr.adfTA, pr.adfTB
	rep.Pearson, rep.PearsonP, rep.Spearman, rep.SpearmanP = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	rep.P, rep.PAdjusted = math.NaN(), math.NaN()
	if pr.problem != "" {
		rep.Verdict, rep.Reason = NotEnoughData, pr.problem
		return
	}
	if pr.adfTA.Err == "" && pr.adfTB.Err == "" && (!pr.adfTA.Stationary || !pr.adfTB.Stationary) {
		rep.NotStationary = true
	}
	L := rep.Link.Lag
	want := int(rep.Link.Sign)
	n := len(pr.x)
	maxLag := max(o.MaxLag, L)
	// Lagged correlations, as far as the data allows.
	if cl := min(maxLag, n-3); cl >= L {
		lags, err := stats.LaggedCorrelation(pr.x, pr.y, cl)
		// A series that moves only at one end has a constant overlap at
		// the larger lags: search fewer lags, down to the declared one.
		for err != nil && errors.Is(err, stats.ErrConstantSeries) && cl > L {
			cl--
			lags, err = stats.LaggedCorrelation(pr.x, pr.y, cl)
		}
		if err == nil {
			for _, lc := range lags {
				rep.Lags = append(rep.Lags, LagCorrelation{Lag: lc.Lag, N: lc.NPairs,
					Pearson: lc.Pearson.R, PearsonP: lc.Pearson.POneSided(want), PearsonTwoSided: lc.Pearson.PTwoSided,
					PearsonCILow: lc.Pearson.CILow, PearsonCIHigh: lc.Pearson.CIHigh,
					Spearman: lc.Spearman.Rho, SpearmanP: lc.Spearman.POneSided(want), SpearmanTwoSided: lc.Spearman.PTwoSided,
					CCF: lc.CCF})
				if lc.Lag == L {
					rep.Pearson, rep.PearsonP = lc.Pearson.R, lc.Pearson.POneSided(want)
					rep.Spearman, rep.SpearmanP = lc.Spearman.Rho, lc.Spearman.POneSided(want)
					rep.PearsonCILow, rep.PearsonCIHigh = lc.Pearson.CILow, lc.Pearson.CIHigh
					if L == 0 {
						rep.Test, rep.P, rep.Sign = "correlation", lc.Pearson.PTwoSided, sign(lc.Pearson.R)
					}
				}
			}
			if best, err := stats.BestLag(lags, 0, cl, want); err == nil {
				rep.BestLag = best.Lag
				// Bonferroni over the lags searched, so that noise at one
				// of many lags does not count.
				if best.Lag != L && best.Pearson.POneSided(want)*float64(cl+1) <= o.Alpha && !(rep.PearsonP <= o.Alpha) {
					rep.LagMismatch = true
				}
			}
		} else if L == 0 {
			rep.Verdict, rep.Reason = NotEnoughData, "correlation failed: "+err.Error()
			return
		}
	}
	// Granger tests.
	if gl := min(maxLag, (n-2)/3); gl >= 1 {
		if gs, err := granger(pr.y, pr.x, gl, max(L, 1)); err == nil {
			for _, g := range gs {
				rep.Granger = append(rep.Granger, GrangerResult{Lag: g.Lag, F: g.F, P: g.FPValue, DFNum: g.DFNum, DFDenom: g.DFDenom,
					Chi2: g.Chi2, Chi2P: g.Chi2PValue, LR: g.LR, LRP: g.LRPValue,
					Sum: g.SumX.Estimate, SumSE: g.SumX.SE, SumT: g.SumX.T})
				if g.Lag == L {
					rep.Test, rep.P, rep.Sign = "granger", g.FPValue, sign(g.SumX.Estimate)
				}
			}
		} else if L >= 1 {
			rep.Verdict, rep.Reason = NotEnoughData, "Granger test failed: "+err.Error()
			return
		}
	}
	// VAR lag order of the pair, to set beside the declared lag.
	if ml := min(maxLag, (n-3)/3); ml >= 1 {
		if lo, err := SelectLagOrder([][]float64{pr.x, pr.y}, ml); err == nil {
			rep.LagOrder = &lo
		}
	}
	if rep.Test == "" {
		rep.Verdict = NotEnoughData
		rep.Reason = fmt.Sprintf("%d periods after %v are too few to test lag %d (a Granger test at lag p needs 3p+2)", n, pr.transform, L)
	}
}

func linkFindings(c *tree.Compiled, rep *LinkReport, o resolved, emit func(Finding)) {
	l := rep.Link
	nodes := []string{l.From, l.To}
	what := fmt.Sprintf("%s -> %s (sign %s, lag %d)", l.From, l.To, l.Sign, l.Lag)
	ev := rep.evidence(o)
	switch rep.Verdict {
	case NotEnoughData:
		if rep.prep.constantID != 0 {
			emit(Finding{Rule: "causal.constant-series", Severity: Warning, Nodes: nodes,
				Message:  fmt.Sprintf("The link %s cannot be tested: %s.", what, rep.Reason),
				Hint:     "check that the metric is really measured; a metric that never moves cannot drive anything",
				Evidence: ev})
		} else {
			emit(Finding{Rule: "causal.not-enough-data", Severity: Info, Nodes: nodes,
				Message:  fmt.Sprintf("The link %s cannot be tested: %s.", what, rep.Reason),
				Hint:     "collect more history; the link stays a hypothesis until then",
				Evidence: ev})
		}
		return
	case Supported:
		emit(Finding{Rule: "causal.supported", Severity: Info, Nodes: nodes,
			Message: fmt.Sprintf("History supports the link %s: %s.", what, rep.Reason), Evidence: ev})
	case Contradicted:
		emit(Finding{Rule: "causal.contradicted", Severity: Error, Nodes: nodes,
			Message:  fmt.Sprintf("History contradicts the link %s: %s.", what, rep.Reason),
			Hint:     "revisit the hypothesis: the cause moves the effect the other way, or a third factor drives both",
			Evidence: ev})
	case Inconclusive:
		emit(Finding{Rule: "causal.inconclusive", Severity: Warning, Nodes: nodes,
			Message:  fmt.Sprintf("History neither supports nor contradicts the link %s: %s.", what, rep.Reason),
			Hint:     "the link may be weak, slower than declared, or wrong; gather evidence before relying on it",
			Evidence: ev})
	}
	if rep.NotStationary {
		emit(Finding{Rule: "causal.not-stationary", Severity: Warning, Nodes: nodes,
			Message: fmt.Sprintf("For the link %s the tested series still trend (no ADF rejection of a unit root after %v): two trends can look like cause and effect.", what, rep.Transform),
			Hint:    "test differences or growth rates (Transform), or a seasonal difference",
			Evidence: []Evidence{E("transform", rep.Transform.String()),
				E("adf_cause_p", num(rep.CauseADFTransformed.PValue)), E("adf_effect_p", num(rep.EffectADFTransformed.PValue)), E("alpha", o.Alpha)}})
	}
	if rep.LagMismatch && rep.Verdict != Contradicted {
		var best LagCorrelation
		for _, lc := range rep.Lags {
			if lc.Lag == rep.BestLag {
				best = lc
			}
		}
		emit(Finding{Rule: "causal.lag-mismatch", Severity: Warning, Nodes: nodes,
			Message:  fmt.Sprintf("For the link %s the data shows the effect after %s, not the declared %d.", what, plural(rep.BestLag, "period"), l.Lag),
			Hint:     fmt.Sprintf("set lag: %d if that matches how the business works", rep.BestLag),
			Evidence: lagMismatchEvidence(rep, best)})
	}
}

// lagMismatchEvidence lists the lags a causal.lag-mismatch finding
// compares: declared, best correlated and, when the data allows, chosen by
// the VAR's information criteria.
func lagMismatchEvidence(rep *LinkReport, best LagCorrelation) []Evidence {
	ev := []Evidence{E("declared_lag", rep.Link.Lag), E("best_lag", rep.BestLag), E("best_lag_r", num(best.Pearson)), E("best_lag_p", num(best.PearsonP)),
		E("declared_lag_r", num(rep.Pearson)), E("declared_lag_p", num(rep.PearsonP))}
	if lo := rep.LagOrder; lo != nil {
		ev = append(ev, E("selected_lag_aic", lo.SelectedAIC), E("selected_lag_bic", lo.SelectedBIC))
	}
	return ev
}

// evidence lists a report's numbers for a finding.
func (rep *LinkReport) evidence(o resolved) []Evidence {
	ev := []Evidence{E("expected_sign", rep.Link.Sign.String()), E("declared_lag", rep.Link.Lag)}
	if lo := rep.LagOrder; lo != nil {
		ev = append(ev, E("selected_lag_aic", lo.SelectedAIC), E("selected_lag_bic", lo.SelectedBIC),
			E("selected_lag_hqic", lo.SelectedHQIC), E("selected_lag_fpe", lo.SelectedFPE), E("lag_order_max", lo.MaxLags))
	}
	if rep.Periods != "" {
		ev = append(ev, E("periods", rep.Periods), E("n", rep.N))
	}
	if rep.Verdict == NotEnoughData && rep.Test == "" {
		ev = append(ev, E("reason", rep.Reason))
		return ev
	}
	ev = append(ev, E("transform", rep.Transform.String()),
		E("adf_cause_p", num(rep.CauseADFTransformed.PValue)), E("adf_effect_p", num(rep.EffectADFTransformed.PValue)),
		E("pearson_r", num(rep.Pearson)), E("pearson_p", num(rep.PearsonP)),
		E("pearson_ci95_low", num(rep.PearsonCILow)), E("pearson_ci95_high", num(rep.PearsonCIHigh)),
		E("spearman_rho", num(rep.Spearman)), E("spearman_p", num(rep.SpearmanP)),
		E("best_lag", rep.BestLag))
	for _, g := range rep.Granger {
		if g.Lag == max(rep.Link.Lag, 1) {
			ev = append(ev, E("granger_lag", g.Lag), E("granger_f", num(g.F)), E("granger_p", num(g.P)),
				E("granger_df_num", g.DFNum), E("granger_df_denom", g.DFDenom),
				E("granger_chi2", num(g.Chi2)), E("granger_chi2_p", num(g.Chi2P)),
				E("granger_lr", num(g.LR)), E("granger_lr_p", num(g.LRP)), E("granger_sum_coef", num(g.Sum)))
		}
	}
	ev = append(ev, E("test", rep.Test), E("p", num(rep.P)), E("p_adjusted", num(rep.PAdjusted)),
		E("adjustment", o.method.String()), E("alpha", o.Alpha))
	return ev
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// granger runs the Granger tests for lags 1..k, retrying with fewer lags
// (down to minK) when the largest models are singular or too large.
func granger(y, x []float64, k, minK int) ([]stats.GrangerLag, error) {
	for {
		gs, err := stats.Granger(y, x, k)
		if err == nil || k <= minK || !(errors.Is(err, stats.ErrSingular) || errors.Is(err, stats.ErrTooFewObservations)) {
			return gs, err
		}
		k--
	}
}

// LagOrder is the choice of a lag order for a vector autoregression with a
// constant, by information criteria, as statsmodels'
// VAR(data).select_order(maxlags, trend="c") reports it.
type LagOrder struct {
	// MaxLags is the largest order considered; NObs the observations every
	// order is fitted on (the first MaxLags are dropped for all orders,
	// so the criteria are comparable).
	MaxLags, NObs int
	// AIC, BIC, HQIC and FPE hold the criteria; index p is lag order p
	// (0..MaxLags). With Σ the maximum-likelihood residual covariance, K
	// series, T = NObs and m = pK² + K parameters: AIC = ln|Σ| + 2m/T,
	// BIC = ln|Σ| + m·ln(T)/T, HQIC = ln|Σ| + 2m·ln(ln T)/T and
	// FPE = ((T + Kp + 1)/(T − Kp − 1))^K·|Σ|.
	AIC, BIC, HQIC, FPE []float64
	// The orders that minimise each criterion (the smallest on ties).
	SelectedAIC, SelectedBIC, SelectedHQIC, SelectedFPE int
}

// ErrSeries is matched (errors.Is) by the errors of SelectLagOrder: series
// that are too short, ragged, not finite, constant or collinear.
var ErrSeries = errors.New("check: series cannot be tested")

// SelectLagOrder chooses the lag order of a vector autoregression of the
// given series (one slice per series, oldest first, all of one length) by
// AIC, BIC, HQIC and FPE for orders 0..maxLags, reproducing statsmodels'
// select_order. A negative maxLags takes statsmodels' default,
// round(12·(n/100)^¼), capped at the largest order the data can estimate,
// (n − K − 1)/(K + 1) for n observations of K series.
//
// Errors match ErrSeries and say what is wrong: no series or unequal
// lengths, a NaN or infinity (with its series and position), a constant
// series, too few observations for maxLags (with the largest possible),
// or collinear series.
func SelectLagOrder(series [][]float64, maxLags int) (LagOrder, error) {
	if len(series) == 0 {
		return LagOrder{}, fmt.Errorf("%w: no series", ErrSeries)
	}
	n := len(series[0])
	for j, s := range series {
		if len(s) != n {
			return LagOrder{}, fmt.Errorf("%w: series %d has %d values, series 0 has %d", ErrSeries, j, len(s), n)
		}
	}
	rows := make([][]float64, n)
	flat := make([]float64, n*len(series))
	for i := range rows {
		rows[i] = flat[i*len(series) : (i+1)*len(series)]
		for j, s := range series {
			rows[i][j] = s[i]
		}
	}
	ls, err := stats.LagSelect(rows, maxLags)
	if err != nil {
		// the statistics speak of rows (observations) and columns (series)
		return LagOrder{}, fmt.Errorf("%w: %v (rows are observations, columns series)", ErrSeries, err)
	}
	return LagOrder{MaxLags: ls.MaxLags, NObs: ls.NObs, AIC: ls.AIC, BIC: ls.BIC, HQIC: ls.HQIC, FPE: ls.FPE,
		SelectedAIC: ls.SelectedAIC, SelectedBIC: ls.SelectedBIC, SelectedHQIC: ls.SelectedHQIC, SelectedFPE: ls.SelectedFPE}, nil
}
