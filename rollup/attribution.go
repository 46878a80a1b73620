package rollup

import (
	"fmt"
	"math"
	"slices"

	"github.com/kpitree/kpitree/internal/attrib"
	"github.com/kpitree/kpitree/tree"
)

// AttribMethod is how Attribute splits a change among a node's inputs.
// Every method gives contributions that add up to the change (to
// rounding); they differ in how interactions are shared.
type AttribMethod uint8

const (
	// AttribAuto (the zero value) is AttribShapley: exact for any formula.
	AttribAuto AttribMethod = iota
	// AttribShapley credits each input with its Shapley value: the
	// effect of switching it from the first values to the second, averaged
	// over every order of switching the inputs (the formula is evaluated at
	// all 2^n mixtures; at most 20 inputs).
	AttribShapley
	// AttribDelta credits each input with the change its own switch
	// causes: the plain deltas of a sum or difference (coefficients
	// included). A node whose one-at-a-time effects do not add up to the
	// change is ErrNotAdditive.
	AttribDelta
	// AttribLMDI is the logarithmic mean Divisia index (LMDI-I) for a
	// product or ratio of inputs (any constant exponents): input j gets
	// L(V1, V0)·e_j·ln(x_j1/x_j0). Values must be positive; a node that is
	// not a monomial in its inputs is ErrNotProduct.
	AttribLMDI
)

// String returns the name used in messages.
func (m AttribMethod) String() string {
	switch m {
	case AttribAuto:
		return "auto"
	case AttribShapley:
		return "shapley"
	case AttribDelta:
		return "delta"
	case AttribLMDI:
		return "lmdi"
	}
	return fmt.Sprintf("AttribMethod(%d)", m)
}

// AttributeOptions configure Attribute. The zero value attributes a
// node's change to its direct inputs by Shapley values.
type AttributeOptions struct {
	Method AttribMethod
	// Chain explains the change down to the leaves: each derived input's
	// contribution is split further among that input's own inputs in
	// proportion to their Shapley attribution of its change, and so on
	// down to inputs (and prev() values). The leaf contributions still
	// add up to the node's change; each carries its path.
	Chain bool
}

// Contribution is one input's part of a change.
type Contribution struct {
	Input string
	Lag   int // > 0 for a prev(Input, Lag) value
	// Path runs from the attributed node down to Input (both included).
	Path  []string
	Value float64
	// Share is Value / change (NaN for no change).
	Share float64
	// Points is 100·Value/From: percentage points of the node's growth
	// (NaN when From is 0).
	Points float64
}

// Attribution explains a node's change between two sets of values.
type Attribution struct {
	Metric         string
	From, To       float64
	Change         float64 // To − From
	Growth         float64 // 100·Change/From, percent (NaN when From is 0)
	Method         AttribMethod
	Contributions  []Contribution
	Multiplicative []float64 // LMDI only: D_j per input, whose product is To/From
}

// Attribute explains the change of node id from the values of session
// from to those of session to (two periods, or two scenarios, of the same
// compiled model) as contributions of its inputs that add up to the
// change. The formula is evaluated through the model, so any formula
// works with the default method.
func Attribute(from, to *Session, id string, opt AttributeOptions) (*Attribution, error) {
	if from == nil || to == nil || from.c != to.c {
		return nil, fmt.Errorf("%w: attribution needs two sessions of the same compiled model", ErrInvalidArgument)
	}
	if opt.Method > AttribLMDI {
		return nil, fmt.Errorf("%w: attribution method %v", ErrInvalidArgument, opt.Method)
	}
	i, err := from.index(id)
	if err != nil {
		return nil, err
	}
	if from.c.IsInput(i) {
		return nil, fmt.Errorf("%w: %s is an input: nothing below it explains its change", ErrInvalidArgument, id)
	}
	a := newAttributor(from, to)
	v0, v1 := from.e.Values()[i], to.e.Values()[i]
	res := &Attribution{Metric: id, From: v0, To: v1, Change: v1 - v0, Method: opt.Method}
	if res.Method == AttribAuto {
		res.Method = AttribShapley
	}
	res.Growth = 100 * res.Change / v0
	if v0 == 0 {
		res.Growth = math.NaN()
	}
	phi, mult, err := a.split(i, res.Method)
	if err != nil {
		return nil, err
	}
	res.Multiplicative = mult
	for j, d := range a.c.Deps(i) {
		path := []string{id, a.c.ID(d.Node)}
		if opt.Chain && d.Lag == 0 && !a.c.IsInput(d.Node) {
			if err := a.chain(d.Node, phi[j], path, &res.Contributions); err != nil {
				return nil, err
			}
			continue
		}
		res.Contributions = append(res.Contributions, Contribution{Input: a.c.ID(d.Node), Lag: d.Lag, Path: path, Value: phi[j]})
	}
	for j := range res.Contributions {
		ct := &res.Contributions[j]
		ct.Share = ct.Value / res.Change
		if res.Change == 0 {
			ct.Share = math.NaN()
		}
		ct.Points = 100 * ct.Value / v0
		if v0 == 0 {
			ct.Points = math.NaN()
		}
	}
	return res, nil
}

type attributor struct {
	c        *tree.Compiled
	from, to *Session
	e        tree.Evaluator
	lagIdx   map[tree.Lag]int
}

func newAttributor(from, to *Session) *attributor {
	a := &attributor{c: from.c, from: from, to: to, lagIdx: map[tree.Lag]int{}}
	a.e.Bind(a.c)
	for k, l := range a.c.Lags() {
		a.lagIdx[l] = k
	}
	return a
}

// depValues returns node i's input values in session s.
func (a *attributor) depValues(s *Session, i int) []float64 {
	deps := a.c.Deps(i)
	x := make([]float64, len(deps))
	for j, d := range deps {
		if d.Lag == 0 {
			x[j] = s.e.Values()[d.Node]
		} else {
			x[j] = s.e.Lagged()[a.lagIdx[tree.Lag(d)]]
		}
	}
	return x
}

// formula returns node i's formula as a function of its inputs.
func (a *attributor) formula(i int) func([]float64) float64 {
	deps := a.c.Deps(i)
	pos := int(a.from.pos[i])
	vals, lagged := a.e.Values(), a.e.Lagged()
	return func(x []float64) float64 {
		for j, d := range deps {
			if d.Lag == 0 {
				vals[d.Node] = x[j]
			} else {
				lagged[a.lagIdx[tree.Lag(d)]] = x[j]
			}
		}
		a.e.RunNode(pos)
		return vals[i]
	}
}

// split attributes node i's change to its direct inputs.
func (a *attributor) split(i int, m AttribMethod) (phi, mult []float64, err error) {
	id := a.c.ID(i)
	f := a.formula(i)
	x0, x1 := a.depValues(a.from, i), a.depValues(a.to, i)
	v0, v1 := a.from.e.Values()[i], a.to.e.Values()[i]
	for _, v := range [...]float64{v0, v1} {
		if !finite(v) {
			return nil, nil, fmt.Errorf("%w: %s is %v", ErrNonFinite, id, v)
		}
	}
	for j, x := range append(slices.Clone(x0), x1...) {
		if !finite(x) {
			d := a.c.Deps(i)[j%len(x0)]
			return nil, nil, fmt.Errorf("%w: %s's input %s is %v", ErrNonFinite, id, a.c.ID(d.Node), x)
		}
	}
	if !closeRel(f(x0), v0) || !closeRel(f(x1), v1) {
		return nil, nil, fmt.Errorf("%w: %s's values are not its formula's (pinned by a scenario?)", ErrInvalidArgument, id)
	}
	dv := v1 - v0
	switch m {
	case AttribShapley, AttribAuto:
		phi, err = attrib.Shapley(f, x0, x1)
		if err != nil {
			return nil, nil, fmt.Errorf("rollup: attributing %s: %w", id, err)
		}
	case AttribDelta:
		phi = make([]float64, len(x0))
		z := slices.Clone(x0)
		base := f(z)
		sum := 0.0
		for j := range x0 {
			z[j] = x1[j]
			phi[j] = f(z) - base
			z[j] = x0[j]
			sum += phi[j]
		}
		if !closeRel(sum, dv) {
			return nil, nil, fmt.Errorf("%w: %s: its inputs' separate effects add up to %g, not to the change %g (use Shapley or LMDI)", ErrNotAdditive, id, sum, dv)
		}
	case AttribLMDI:
		if !(v0 > 0 && v1 > 0) {
			return nil, nil, fmt.Errorf("%w: LMDI needs positive values: %s is %g then %g", ErrNotProduct, id, v0, v1)
		}
		lm := attrib.LogMean(v1, v0)
		phi = make([]float64, len(x0))
		mult = make([]float64, len(x0))
		z := slices.Clone(x0)
		logRatio := 0.0
		for j := range x0 {
			if !(x0[j] > 0 && x1[j] > 0) {
				return nil, nil, fmt.Errorf("%w: LMDI needs positive values: %s's input %s is %g then %g", ErrNotProduct, id, a.c.ID(a.c.Deps(i)[j].Node), x0[j], x1[j])
			}
			// the exponent of input j: how a doubling of it scales the node
			z[j] = 2 * x0[j]
			ex := math.Log(f(z)/v0) / math.Ln2
			z[j] = x0[j]
			if !finite(ex) {
				return nil, nil, fmt.Errorf("%w: %s", ErrNotProduct, id)
			}
			if r := math.Round(ex); math.Abs(ex-r) < 1e-9 {
				ex = r
			}
			l := ex * math.Log(x1[j]/x0[j])
			phi[j] = lm * l
			mult[j] = math.Exp(l)
			logRatio += l
		}
		if math.Abs(logRatio-math.Log(v1/v0)) > 1e-9*math.Max(1, math.Abs(math.Log(v1/v0))) {
			return nil, nil, fmt.Errorf("%w: %s does not change as a product of its inputs would (use Shapley)", ErrNotProduct, id)
		}
	}
	return phi, mult, nil
}

// chain distributes contribution c of derived node i down to the leaves.
func (a *attributor) chain(i int, c float64, path []string, out *[]Contribution) error {
	v0, v1 := a.from.e.Values()[i], a.to.e.Values()[i]
	dv := v1 - v0
	if dv == 0 {
		*out = append(*out, Contribution{Input: a.c.ID(i), Path: slices.Clone(path), Value: c})
		return nil
	}
	phi, _, err := a.split(i, AttribShapley)
	if err != nil {
		return err
	}
	for j, d := range a.c.Deps(i) {
		p := append(slices.Clone(path), a.c.ID(d.Node))
		v := c * phi[j] / dv
		if d.Lag == 0 && !a.c.IsInput(d.Node) {
			if err := a.chain(d.Node, v, p, out); err != nil {
				return err
			}
			continue
		}
		*out = append(*out, Contribution{Input: a.c.ID(d.Node), Lag: d.Lag, Path: p, Value: v})
	}
	return nil
}

// closeRel reports whether a and b agree to a relative 1e-9.
func closeRel(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// Factor is one factor of a node that is a sum over segments of products
// of factors: Metrics holds the factor's metric in each segment, in
// segment order (the same metric may repeat, like total visits shared by
// every channel).
type Factor struct {
	Name    string
	Metrics []string
}

// FactorAttribution splits a change among factors shared across segments.
type FactorAttribution struct {
	Metric        string
	From, To      float64
	Change        float64
	Method        AttribMethod
	Contributions []Contribution // per factor (Input is the factor's name)
	// BySegment[k][i] is factor k's contribution in segment i; it sums
	// over i to Contributions[k].Value.
	BySegment [][]float64
	// Multiplicative (LMDI) holds D_k per factor, whose product is To/From.
	Multiplicative []float64
}

// AttributeFactors explains the change of node id, which must equal
// Σ_i Π_k factors[k].Metrics[i] at both sessions (a sum over segments of
// products of factors, such as revenue = Σ channels of total visits ×
// visit share × conversion × order value), as contributions of the
// factors — activity, mix, rate and value effects — with their share in
// each segment. Method AttribLMDI uses LMDI-I (values non-negative),
// AttribShapley (and AttribAuto) the Shapley value with the factors as
// players shared across segments.
func AttributeFactors(from, to *Session, id string, factors []Factor, method AttribMethod) (*FactorAttribution, error) {
	if from == nil || to == nil || from.c != to.c {
		return nil, fmt.Errorf("%w: attribution needs two sessions of the same compiled model", ErrInvalidArgument)
	}
	if method == AttribDelta || method > AttribLMDI {
		return nil, fmt.Errorf("%w: factor attribution by %v (use Shapley or LMDI)", ErrInvalidArgument, method)
	}
	i, err := from.index(id)
	if err != nil {
		return nil, err
	}
	if len(factors) == 0 || len(factors[0].Metrics) == 0 {
		return nil, fmt.Errorf("%w: no factors", ErrInvalidArgument)
	}
	nseg := len(factors[0].Metrics)
	x0 := make([][]float64, len(factors))
	x1 := make([][]float64, len(factors))
	for k, f := range factors {
		if len(f.Metrics) != nseg {
			return nil, fmt.Errorf("%w: factor %s has %d segments, not %d", ErrInvalidArgument, f.Name, len(f.Metrics), nseg)
		}
		for _, m := range f.Metrics {
			j, err := from.index(m)
			if err != nil {
				return nil, err
			}
			x0[k] = append(x0[k], from.e.Values()[j])
			x1[k] = append(x1[k], to.e.Values()[j])
		}
	}
	v0, v1 := from.e.Values()[i], to.e.Values()[i]
	for _, c := range [...]struct {
		x [][]float64
		v float64
	}{{x0, v0}, {x1, v1}} {
		sum := 0.0
		for s := range nseg {
			p := 1.0
			for k := range factors {
				p *= c.x[k][s]
			}
			sum += p
		}
		if !closeRel(sum, c.v) {
			return nil, fmt.Errorf("%w: the factors give %s = %g, the model %g", ErrNotProduct, id, sum, c.v)
		}
	}
	res := &FactorAttribution{Metric: id, From: v0, To: v1, Change: v1 - v0, Method: method}
	if method == AttribAuto {
		res.Method = AttribShapley
	}
	var phi []float64
	if res.Method == AttribLMDI {
		r, err := attrib.LMDI(x0, x1)
		if err != nil {
			return nil, fmt.Errorf("rollup: attributing %s: %w", id, err)
		}
		phi, res.BySegment, res.Multiplicative = r.Additive, r.AdditiveBySegment, r.Multiplicative
	} else {
		r, err := attrib.ShapleyProduct(x0, x1)
		if err != nil {
			return nil, fmt.Errorf("rollup: attributing %s: %w", id, err)
		}
		phi, res.BySegment = r.Phi, r.BySegment
	}
	for k, f := range factors {
		c := Contribution{Input: f.Name, Value: phi[k], Share: phi[k] / res.Change, Points: 100 * phi[k] / v0}
		if res.Change == 0 {
			c.Share = math.NaN()
		}
		if v0 == 0 {
			c.Points = math.NaN()
		}
		res.Contributions = append(res.Contributions, c)
	}
	return res, nil
}

// MixRate splits the change of a ratio over segments, R = ΣN_i / ΣD_i
// (orders per visit over devices), into rate effects (the segments'
// own ratios N_i/D_i) and mix effects (the segments' shares D_i/ΣD).
// Slices are per segment.
type MixRate struct {
	R0, R1, Change float64
	Share0, Share1 []float64
	Rate0, Rate1   []float64
	// Kitagawa's symmetric split: Rate_i = s̄_i Δr_i, Mix_i = Δs_i r̄_i;
	// RateTotal + MixTotal = Change.
	Rate, Mix           []float64
	RateTotal, MixTotal float64
	// MixCentred_i = Δs_i (r̄_i − R̄): each segment's mix effect against the
	// average ratio (same total as Mix).
	MixCentred []float64
	// Laspeyres split: rate s0 Δr, mix Δs r0 and their interaction Δs Δr.
	LaspeyresRate, LaspeyresMix, LaspeyresInteraction []float64
	LaspeyresRateTotal, LaspeyresMixTotal             float64
	LaspeyresInteractionTotal                         float64
	// FromNumerator and FromDenominator split Change between ΣN and ΣD
	// (LMDI): L(R1,R0)·ln(N1/N0) and −L(R1,R0)·ln(D1/D0).
	FromNumerator, FromDenominator float64
}

// AttributeMix explains the change of the ratio Σ numerators / Σ
// denominators (metric ids per segment, in the same order) between two
// sessions by mix and rate effects — the analysis that reveals a
// Simpson's paradox, where every segment improves and the total worsens.
// Denominators must be positive.
func AttributeMix(from, to *Session, numerators, denominators []string) (*MixRate, error) {
	if from == nil || to == nil || from.c != to.c {
		return nil, fmt.Errorf("%w: attribution needs two sessions of the same compiled model", ErrInvalidArgument)
	}
	if len(numerators) == 0 || len(numerators) != len(denominators) {
		return nil, fmt.Errorf("%w: %d numerators and %d denominators", ErrInvalidArgument, len(numerators), len(denominators))
	}
	get := func(s *Session, ids []string) ([]float64, error) {
		out := make([]float64, len(ids))
		for j, id := range ids {
			i, err := s.index(id)
			if err != nil {
				return nil, err
			}
			out[j] = s.e.Values()[i]
		}
		return out, nil
	}
	n0, err := get(from, numerators)
	if err != nil {
		return nil, err
	}
	d0, _ := get(from, denominators)
	n1, _ := get(to, numerators)
	d1, err := get(to, denominators)
	if err != nil {
		return nil, err
	}
	r, err := attrib.MixRate(n0, d0, n1, d1)
	if err != nil {
		return nil, fmt.Errorf("rollup: mix and rate: %w", err)
	}
	m := &MixRate{R0: r.R0, R1: r.R1, Change: r.DeltaR, Share0: r.Share0, Share1: r.Share1, Rate0: r.Rate0, Rate1: r.Rate1,
		Rate: r.KitagawaRate, Mix: r.KitagawaMix, RateTotal: r.KitagawaRateTotal, MixTotal: r.KitagawaMixTotal, MixCentred: r.MixCentred,
		LaspeyresRate: r.LaspeyresRate, LaspeyresMix: r.LaspeyresMix, LaspeyresInteraction: r.LaspeyresInteraction,
		LaspeyresRateTotal: r.LaspeyresRateTotal, LaspeyresMixTotal: r.LaspeyresMixTotal, LaspeyresInteractionTotal: r.LaspeyresInteractionTotal}
	sum := func(x []float64) float64 {
		t := 0.0
		for _, v := range x {
			t += v
		}
		return t
	}
	if re, err := attrib.RatioLMDI(sum(n0), sum(d0), sum(n1), sum(d1)); err == nil {
		m.FromNumerator, m.FromDenominator = re.FromNumerator, re.FromDenominator
	} else {
		m.FromNumerator, m.FromDenominator = math.NaN(), math.NaN()
	}
	return m, nil
}

// VarianceAttribution splits the variance of a sum's period-to-period
// changes among its terms.
type VarianceAttribution struct {
	Metric string
	Inputs []string
	// VarChange is the sample variance (n−1) of the node's changes.
	VarChange float64
	// Cov[j] is the covariance of input j's changes with the node's; they
	// add up to VarChange. Share[j] = Cov[j]/VarChange adds up to 1.
	Cov, Share []float64
}

// AttributeVariance explains which inputs drive the ups and downs of node
// id, a sum of its inputs (same period), over the periods of r: the
// variance of its changes is split into each input's covariance with
// them. It needs at least three periods with usable values.
func AttributeVariance(r *Result, id string) (*VarianceAttribution, error) {
	c := r.c
	i, ok := c.Index(id)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownMetric, id)
	}
	deps := c.Deps(i)
	if len(deps) == 0 {
		return nil, fmt.Errorf("%w: %s is an input", ErrInvalidArgument, id)
	}
	n := c.Len()
	va := &VarianceAttribution{Metric: id}
	for _, d := range deps {
		if d.Lag != 0 {
			return nil, fmt.Errorf("%w: %s uses prev(%s)", ErrNotAdditive, id, c.ID(d.Node))
		}
		va.Inputs = append(va.Inputs, c.ID(d.Node))
	}
	var levels [][]float64
	for t, p := range r.periods {
		if !usable(r.state[t*n+i]) {
			return nil, fmt.Errorf("%w: %s has no usable value in %s", ErrNonFinite, id, p)
		}
		row := make([]float64, len(deps))
		sum := 0.0
		for j, d := range deps {
			row[j] = r.vals[t*n+d.Node]
			sum += row[j]
		}
		if !closeRel(sum, r.vals[t*n+i]) {
			return nil, fmt.Errorf("%w: %s = %g in %s, its inputs add up to %g", ErrNotAdditive, id, r.vals[t*n+i], p, sum)
		}
		levels = append(levels, row)
	}
	vr, err := attrib.VarianceDecomposition(levels)
	if err != nil {
		return nil, fmt.Errorf("rollup: variance of %s: %w", id, err)
	}
	va.VarChange, va.Cov, va.Share = vr.VarDeltaP, vr.Cov, vr.Share
	return va, nil
}
