package rollup_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// wiDecompCase is a case of lmdi.json or shapley.json.
type wiDecompCase struct {
	Name     string
	Factors  []string
	Segments []string
	X0, X1   map[string][]float64
	LMDI     *struct {
		V0, V1         float64
		DeltaV         float64 `json:"delta_V"`
		Additive       map[string]float64
		BySegment      map[string][]float64 `json:"additive_by_segment"`
		Share          map[string]float64   `json:"additive_share_of_change"`
		Multiplicative map[string]float64
	} `json:"lmdi_I"`
	Shapley *struct {
		V0, V1 float64
		DeltaV float64 `json:"delta_V"`
		Phi    map[string]float64
		Share  map[string]float64 `json:"share_of_change"`
	}
}

// wiDecompModel builds the case as a KPI tree: factor inputs (one per
// segment, except a factor constant across segments, which is one shared
// input), a product per segment and their sum. It returns the model, the
// sessions of the two periods and the factors by segment.
func wiDecompModel(t *testing.T, k wiDecompCase) (*tree.Compiled, *rollup.Session, *rollup.Session, []rollup.Factor) {
	t.Helper()
	var ms []wiMetric
	factors := make([]rollup.Factor, len(k.Factors))
	in0, in1 := map[string]float64{}, map[string]float64{}
	for fi, f := range k.Factors {
		factors[fi].Name = f
		shared := len(k.Segments) > 1 && allEqual(k.X0[f]) && allEqual(k.X1[f])
		for si, seg := range k.Segments {
			id := f
			if len(k.Segments) > 1 && !shared {
				id = f + "_" + seg
			}
			if si == 0 || !shared {
				ms = append(ms, wiMetric{id: id})
				in0[id], in1[id] = k.X0[f][si], k.X1[f][si]
			}
			factors[fi].Metrics = append(factors[fi].Metrics, id)
		}
	}
	var terms []string
	for si, seg := range k.Segments {
		var fs []string
		for fi := range k.Factors {
			fs = append(fs, factors[fi].Metrics[si])
		}
		id := "v"
		if len(k.Segments) > 1 {
			id = "v_" + seg
			terms = append(terms, id)
		}
		ms = append(ms, wiMetric{id, strings.Join(fs, " * ")})
	}
	if len(terms) > 0 {
		ms = append(ms, wiMetric{"v", strings.Join(terms, " + ")})
	}
	c := wiCompile(t, ms...)
	return c, wiSession(t, c, in0), wiSession(t, c, in1), factors
}

func allEqual(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}

func TestAttributeLMDIReference(t *testing.T) {
	var ref struct{ Cases []wiDecompCase }
	wiLoad(t, "lmdi.json", &ref)
	for _, k := range ref.Cases {
		t.Run(k.Name, func(t *testing.T) {
			_, s0, s1, factors := wiDecompModel(t, k)
			want := k.LMDI
			fa, err := rollup.AttributeFactors(s0, s1, "v", factors, rollup.AttribLMDI)
			if err != nil {
				t.Fatal(err)
			}
			wiCheck(t, "V0", fa.From, want.V0, 1e-12)
			wiCheck(t, "V1", fa.To, want.V1, 1e-12)
			for fi, f := range k.Factors {
				ct := fa.Contributions[fi]
				wiCheck(t, f+" additive", ct.Value, want.Additive[f], 1e-9)
				wiCheck(t, f+" share", ct.Share, want.Share[f], 1e-9)
				wiCheck(t, f+" multiplicative", fa.Multiplicative[fi], want.Multiplicative[f], 1e-9)
				for si := range k.Segments {
					wiCheck(t, fmt.Sprintf("%s segment %d", f, si), fa.BySegment[fi][si], want.BySegment[f][si], 1e-9)
				}
			}
			if len(k.Segments) > 1 {
				return
			}
			// one segment: Attribute on the product node itself
			a, err := rollup.Attribute(s0, s1, "v", rollup.AttributeOptions{Method: rollup.AttribLMDI})
			if err != nil {
				t.Fatal(err)
			}
			sum := 0.0
			for fi, ct := range a.Contributions {
				f := k.Factors[fi]
				if ct.Input != f {
					t.Fatalf("contribution %d is %s, want %s", fi, ct.Input, f)
				}
				wiCheck(t, f+" additive", ct.Value, want.Additive[f], 1e-9)
				wiCheck(t, f+" multiplicative", a.Multiplicative[fi], want.Multiplicative[f], 1e-9)
				sum += ct.Value
			}
			wiCheck(t, "sum of contributions", sum, want.DeltaV, 1e-9)
		})
	}
}

func TestAttributeShapleyReference(t *testing.T) {
	var ref struct{ Cases []wiDecompCase }
	wiLoad(t, "shapley.json", &ref)
	for _, k := range ref.Cases {
		t.Run(k.Name, func(t *testing.T) {
			_, s0, s1, factors := wiDecompModel(t, k)
			want := k.Shapley
			fa, err := rollup.AttributeFactors(s0, s1, "v", factors, rollup.AttribAuto)
			if err != nil {
				t.Fatal(err)
			}
			for fi, f := range k.Factors {
				wiCheck(t, f+" phi", fa.Contributions[fi].Value, want.Phi[f], 1e-9)
				if want.Share != nil {
					wiCheck(t, f+" share", fa.Contributions[fi].Share, want.Share[f], 1e-9)
				}
			}
			if len(k.Segments) > 1 {
				return
			}
			a, err := rollup.Attribute(s0, s1, "v", rollup.AttributeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Method != rollup.AttribShapley {
				t.Errorf("default method %v", a.Method)
			}
			wiCheck(t, "change", a.Change, want.DeltaV, 1e-12)
			for fi, ct := range a.Contributions {
				wiCheck(t, ct.Input+" phi", ct.Value, want.Phi[k.Factors[fi]], 1e-9)
			}
		})
	}
}

// TestAttributeChain explains revenue = visits × rev_per_visit, with
// rev_per_visit = conversion × aov, down to the leaves: visits gets its
// two-factor Shapley value (shapley.json, revenue_2factor), and
// rev_per_visit's is split by its own Shapley attribution.
func TestAttributeChain(t *testing.T) {
	var ref struct{ Cases []wiDecompCase }
	wiLoad(t, "shapley.json", &ref)
	var two wiDecompCase
	for _, k := range ref.Cases {
		if k.Name == "revenue_2factor_visits_x_rev_per_visit" {
			two = k
		}
	}
	c := wiCompile(t, wiMetric{id: "visits"}, wiMetric{id: "conversion"}, wiMetric{id: "aov"},
		wiMetric{"rev_per_visit", "conversion * aov"}, wiMetric{"revenue", "visits * rev_per_visit"})
	s0 := wiSession(t, c, map[string]float64{"visits": 100000, "conversion": 0.02, "aov": 50})
	s1 := wiSession(t, c, map[string]float64{"visits": 120000, "conversion": 0.018, "aov": 55})
	a, err := rollup.Attribute(s0, s1, "revenue", rollup.AttributeOptions{Chain: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	sum := 0.0
	for _, ct := range a.Contributions {
		got[strings.Join(ct.Path, ">")] = ct.Value
		sum += ct.Value
	}
	wiCheck(t, "visits", got["revenue>visits"], two.Shapley.Phi["visits"], 1e-9)
	rpv := two.Shapley.Phi["rev_per_visit"]
	// rev_per_visit: 1 -> 0.99; Shapley of conversion×aov: Δc·(a0+a1)/2, Δa·(c0+c1)/2
	wantConv := (0.018 - 0.02) * (50 + 55) / 2
	wantAov := (55 - 50) * (0.02 + 0.018) / 2
	dr := 0.018*55 - 0.02*50
	wiCheck(t, "conversion", got["revenue>rev_per_visit>conversion"], rpv*wantConv/dr, 1e-9)
	wiCheck(t, "aov", got["revenue>rev_per_visit>aov"], rpv*wantAov/dr, 1e-9)
	wiCheck(t, "sum", sum, a.Change, 1e-12)
	if len(a.Contributions) != 3 {
		t.Errorf("%d contributions: %+v", len(a.Contributions), a.Contributions)
	}
}

func TestAttributeMixRateReference(t *testing.T) {
	var ref struct {
		Cases []struct {
			Name           string
			Segments       []string
			N0, D0, N1, D1 []float64
			Share0, Share1 []float64
			Rate0, Rate1   []float64
			R0, R1         float64
			DeltaR         float64 `json:"delta_R"`
			Kitagawa       struct {
				Rate       []float64 `json:"rate_by_segment"`
				Mix        []float64 `json:"mix_by_segment"`
				RateTotal  float64   `json:"rate_total"`
				MixTotal   float64   `json:"mix_total"`
				MixCentred []float64 `json:"mix_centred_by_segment"`
			}
			Laspeyres struct {
				Rate       []float64 `json:"rate_by_segment"`
				Mix        []float64 `json:"mix_by_segment"`
				Inter      []float64 `json:"interaction_by_segment"`
				RateTotal  float64   `json:"rate_total"`
				MixTotal   float64   `json:"mix_total"`
				InterTotal float64   `json:"interaction_total"`
			}
			ND struct {
				FromN float64 `json:"from_numerator"`
				FromD float64 `json:"from_denominator"`
			} `json:"numerator_denominator_lmdi"`
		}
	}
	wiLoad(t, "mixrate.json", &ref)
	for _, k := range ref.Cases {
		t.Run(k.Name, func(t *testing.T) {
			ms := []wiMetric{}
			var ns, ds []string
			in0, in1 := map[string]float64{}, map[string]float64{}
			for i, seg := range k.Segments {
				n, d := "orders_"+seg, "visits_"+seg
				ms = append(ms, wiMetric{id: n}, wiMetric{id: d})
				ns, ds = append(ns, n), append(ds, d)
				in0[n], in0[d], in1[n], in1[d] = k.N0[i], k.D0[i], k.N1[i], k.D1[i]
			}
			ms = append(ms, wiMetric{"orders", strings.Join(ns, " + ")}, wiMetric{"visits", strings.Join(ds, " + ")},
				wiMetric{"conversion", "orders / visits"})
			c := wiCompile(t, ms...)
			s0, s1 := wiSession(t, c, in0), wiSession(t, c, in1)
			m, err := rollup.AttributeMix(s0, s1, ns, ds)
			if err != nil {
				t.Fatal(err)
			}
			wiCheck(t, "R0", m.R0, k.R0, 1e-12)
			wiCheck(t, "R1", m.R1, k.R1, 1e-12)
			wiCheck(t, "change", m.Change, k.DeltaR, 1e-9)
			wiCheck(t, "rate total", m.RateTotal, k.Kitagawa.RateTotal, 1e-9)
			wiCheck(t, "mix total", m.MixTotal, k.Kitagawa.MixTotal, 1e-9)
			wiCheck(t, "laspeyres rate", m.LaspeyresRateTotal, k.Laspeyres.RateTotal, 1e-9)
			wiCheck(t, "laspeyres mix", m.LaspeyresMixTotal, k.Laspeyres.MixTotal, 1e-9)
			wiCheck(t, "laspeyres interaction", m.LaspeyresInteractionTotal, k.Laspeyres.InterTotal, 1e-9)
			for i := range k.Segments {
				wiCheck(t, "share0", m.Share0[i], k.Share0[i], 1e-12)
				wiCheck(t, "rate1", m.Rate1[i], k.Rate1[i], 1e-12)
				wiCheck(t, "rate", m.Rate[i], k.Kitagawa.Rate[i], 1e-9)
				wiCheck(t, "mix", m.Mix[i], k.Kitagawa.Mix[i], 1e-9)
				wiCheck(t, "mix centred", m.MixCentred[i], k.Kitagawa.MixCentred[i], 1e-9)
				wiCheck(t, "laspeyres rate", m.LaspeyresRate[i], k.Laspeyres.Rate[i], 1e-9)
				wiCheck(t, "laspeyres mix", m.LaspeyresMix[i], k.Laspeyres.Mix[i], 1e-9)
				wiCheck(t, "laspeyres interaction", m.LaspeyresInteraction[i], k.Laspeyres.Inter[i], 1e-9)
			}
			wiCheck(t, "from numerator", m.FromNumerator, k.ND.FromN, 1e-9)
			wiCheck(t, "from denominator", m.FromDenominator, k.ND.FromD, 1e-9)
			// the same split through the ratio node itself, by LMDI
			a, err := rollup.Attribute(s0, s1, "conversion", rollup.AttributeOptions{Method: rollup.AttribLMDI})
			if err != nil {
				t.Fatal(err)
			}
			wiCheck(t, "orders", a.Contributions[0].Value, k.ND.FromN, 1e-9)
			wiCheck(t, "visits", a.Contributions[1].Value, k.ND.FromD, 1e-9)
			// and chained by Shapley to the segments: adds up exactly
			a, err = rollup.Attribute(s0, s1, "conversion", rollup.AttributeOptions{Chain: true})
			if err != nil {
				t.Fatal(err)
			}
			sum := 0.0
			for _, ct := range a.Contributions {
				sum += ct.Value
				if len(ct.Path) != 3 {
					t.Errorf("path %v", ct.Path)
				}
			}
			wiCheck(t, "chained sum", sum, k.DeltaR, 1e-9)
		})
	}
}

func TestAttributeSumReference(t *testing.T) {
	var ref struct {
		Data struct {
			Firms  []string
			Years  []int
			Invest [][]float64 `json:"children_invest"`
		}
		Two struct {
			FromYear, ToYear int
			P0, P1           float64
			DeltaP           float64   `json:"delta_P"`
			DeltaC           []float64 `json:"delta_C"`
			Share            []float64 `json:"share_of_change"`
			PP               []float64 `json:"pp_contribution_to_growth"`
			Growth           float64   `json:"parent_growth_pct"`
		} `json:"two_period"`
		Var struct {
			VarDP float64   `json:"var_delta_P_ddof1"`
			Cov   []float64 `json:"cov_delta_C_delta_P_ddof1"`
			Share []float64
		} `json:"variance_decomposition"`
	}
	wiLoad(t, "sum_contrib.json", &ref)
	m := &tree.Model{Name: "grunfeld", Grain: metric.Year}
	var ids []string
	for _, f := range ref.Data.Firms {
		id := strings.ToLower(strings.ReplaceAll(f, " ", "_"))
		ids = append(ids, id)
		m.Metrics = append(m.Metrics, metric.Metric{ID: id, Name: f})
	}
	m.Metrics = append(m.Metrics, metric.Metric{ID: "invest", Kind: metric.KGI, Formula: strings.Join(ids, " + ")})
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	d := rollup.Data{}
	year := func(y int) metric.Period { p, _ := metric.Parse(fmt.Sprint(y)); return p }
	for t0, y := range ref.Data.Years {
		for j, id := range ids {
			d.Set(id, year(y), ref.Data.Invest[t0][j])
		}
	}
	first, last := ref.Data.Years[0], ref.Data.Years[len(ref.Data.Years)-1]
	r, err := rollup.Evaluate(c, d, year(first), year(last), rollup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s0, _ := rollup.SessionAt(r, year(1953))
	s1, _ := rollup.SessionAt(r, year(1954))
	for _, method := range []rollup.AttribMethod{rollup.AttribDelta, rollup.AttribAuto} {
		a, err := rollup.Attribute(s0, s1, "invest", rollup.AttributeOptions{Method: method})
		if err != nil {
			t.Fatal(err)
		}
		wiCheck(t, "P0", a.From, ref.Two.P0, 1e-12)
		wiCheck(t, "change", a.Change, ref.Two.DeltaP, 1e-9)
		wiCheck(t, "growth", a.Growth, ref.Two.Growth, 1e-9)
		for j, ct := range a.Contributions {
			wiCheck(t, method.String()+" "+ct.Input, ct.Value, ref.Two.DeltaC[j], 1e-9)
			wiCheck(t, ct.Input+" share", ct.Share, ref.Two.Share[j], 1e-9)
			wiCheck(t, ct.Input+" pp", ct.Points, ref.Two.PP[j], 1e-9)
		}
	}
	va, err := rollup.AttributeVariance(r, "invest")
	if err != nil {
		t.Fatal(err)
	}
	wiCheck(t, "var", va.VarChange, ref.Var.VarDP, 1e-9)
	for j := range ids {
		wiCheck(t, ids[j]+" cov", va.Cov[j], ref.Var.Cov[j], 1e-9)
		wiCheck(t, ids[j]+" share", va.Share[j], ref.Var.Share[j], 1e-9)
	}
}

func TestAttributeErrors(t *testing.T) {
	c, ref := wiProfit(t)
	s0 := wiSession(t, c, ref.Model.Base)
	s1 := s0.Clone()
	s1.Set("visits", 120000)
	s1.Set("cpv", 0.25)
	s1.Set("conversion", 0.025)
	other, _ := wiProfit(t)
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"delta on a product", func() error {
			_, err := rollup.Attribute(s0, s1, "revenue", rollup.AttributeOptions{Method: rollup.AttribDelta})
			return err
		}, rollup.ErrNotAdditive},
		{"lmdi on a difference", func() error {
			_, err := rollup.Attribute(s0, s1, "cost", rollup.AttributeOptions{Method: rollup.AttribLMDI})
			return err
		}, rollup.ErrNotProduct},
		{"input", func() error { _, err := rollup.Attribute(s0, s1, "visits", rollup.AttributeOptions{}); return err }, rollup.ErrInvalidArgument},
		{"other model", func() error {
			_, err := rollup.Attribute(s0, wiSession(t, other, ref.Model.Base), "profit", rollup.AttributeOptions{})
			return err
		}, rollup.ErrInvalidArgument},
		{"pinned", func() error {
			s2 := s1.Clone()
			s2.Set("revenue", 1)
			_, err := rollup.Attribute(s0, s2, "revenue", rollup.AttributeOptions{})
			return err
		}, rollup.ErrInvalidArgument},
		{"factors that do not multiply", func() error {
			_, err := rollup.AttributeFactors(s0, s1, "revenue", []rollup.Factor{{Name: "v", Metrics: []string{"aov"}}}, rollup.AttribLMDI)
			return err
		}, rollup.ErrNotProduct},
	}
	for _, tt := range tests {
		if err := tt.do(); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	// profit: Shapley over revenue and cost adds up; chained to leaves too
	for _, chain := range []bool{false, true} {
		a, err := rollup.Attribute(s0, s1, "profit", rollup.AttributeOptions{Chain: chain})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, ct := range a.Contributions {
			sum += ct.Value
		}
		if math.Abs(sum-a.Change) > 1e-9*math.Abs(a.Change) {
			t.Errorf("chain %v: contributions add up to %v, change %v", chain, sum, a.Change)
		}
	}
}
