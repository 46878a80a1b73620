package rollup

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/kpitree/kpitree/internal/sample"
	"github.com/kpitree/kpitree/internal/stats"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// Distribution is the uncertainty of an input in a Simulation. Build one
// with Normal, LogNormal, LogNormalMeanSD, Uniform, Triangular, PERT,
// Beta or Empirical; the constructors validate their parameters.
type Distribution struct {
	d    sample.Dist
	name string
	spec *distSpec // the family and parameters, for distribution files
}

// distSpec is a Distribution as a distribution file writes it: the
// family, its parameters' keys in file order and their values (the
// history of an empirical one).
type distSpec struct {
	family string
	keys   []string
	vals   []float64
}

// String describes the distribution.
func (d Distribution) String() string { return d.name }

// Mean is the distribution's mean.
func (d Distribution) Mean() float64 { return d.d.Mean() }

// Quantile is the inverse CDF at p.
func (d Distribution) Quantile(p float64) float64 { return d.d.Quantile(p) }

func dist(d sample.Dist, err error, spec *distSpec, format string, args ...any) (Distribution, error) {
	if err != nil {
		return Distribution{}, err
	}
	return Distribution{d: d, name: fmt.Sprintf(format, args...), spec: spec}, nil
}

func spec(family string, keys []string, vals ...float64) *distSpec {
	return &distSpec{family: family, keys: keys, vals: vals}
}

// Normal is N(mean, sd²).
func Normal(mean, sd float64) (Distribution, error) {
	d, err := sample.NewNormal(mean, sd)
	return dist(d, err, spec("normal", []string{"mean", "sd"}, mean, sd), "normal(%g, %g)", mean, sd)
}

// LogNormal is exp(N(mu, sigma²)).
func LogNormal(mu, sigma float64) (Distribution, error) {
	d, err := sample.NewLogNormal(mu, sigma)
	return dist(d, err, spec("lognormal", []string{"mu", "sigma"}, mu, sigma), "lognormal(mu=%g, sigma=%g)", mu, sigma)
}

// LogNormalMeanSD is the lognormal with the given mean and standard deviation.
func LogNormalMeanSD(mean, sd float64) (Distribution, error) {
	d, err := sample.NewLogNormalMeanSD(mean, sd)
	return dist(d, err, spec("lognormal", []string{"mean", "sd"}, mean, sd), "lognormal(mean=%g, sd=%g)", mean, sd)
}

// Uniform is uniform on [lo, hi).
func Uniform(lo, hi float64) (Distribution, error) {
	d, err := sample.NewUniform(lo, hi)
	return dist(d, err, spec("uniform", []string{"lo", "hi"}, lo, hi), "uniform(%g, %g)", lo, hi)
}

// Triangular has its density peak at mode within [lo, hi].
func Triangular(lo, mode, hi float64) (Distribution, error) {
	d, err := sample.NewTriangular(lo, mode, hi)
	return dist(d, err, spec("triangular", []string{"lo", "mode", "hi"}, lo, mode, hi), "triangular(%g, %g, %g)", lo, mode, hi)
}

// PERT is the beta-PERT distribution (lambda 4) of a three-point
// estimate: optimistic lo, most likely mode, pessimistic hi.
func PERT(lo, mode, hi float64) (Distribution, error) {
	d, err := sample.NewPERT(lo, mode, hi)
	return dist(d, err, spec("pert", []string{"lo", "mode", "hi"}, lo, mode, hi), "pert(%g, %g, %g)", lo, mode, hi)
}

// Beta is the beta distribution on [0, 1] (rates, shares).
func Beta(alpha, beta float64) (Distribution, error) {
	d, err := sample.NewBeta(alpha, beta)
	return dist(d, err, spec("beta", []string{"alpha", "beta"}, alpha, beta), "beta(%g, %g)", alpha, beta)
}

// Empirical resamples history (with replacement): a metric's own past
// values, e.g. Result.Series(id).Values().
func Empirical(history []float64) (Distribution, error) {
	d, err := sample.NewEmpirical(history)
	return dist(d, err, spec("empirical", []string{"values"}, slices.Clone(history)...), "empirical(%d values)", len(history))
}

// Uncertain gives an input metric a distribution.
type Uncertain struct {
	Metric string
	Dist   Distribution
}

// Correlation correlates two uncertain inputs (Gaussian copula, Pearson
// correlation of the underlying normals).
type Correlation struct {
	A, B string
	Rho  float64
}

// Simulation is a Monte Carlo run of a model for one period. The zero
// value of each field is its default.
type Simulation struct {
	// Draws is the number of draws (default 10,000).
	Draws int
	// Seed makes the run reproducible: the same seed gives the same
	// result whatever the number of workers.
	Seed uint64
	// Inputs are the uncertain inputs; other inputs keep their value from
	// the base source.
	Inputs []Uncertain
	// Correlations between uncertain inputs.
	Correlations []Correlation
	// Outputs are the metrics to summarise. Empty means every metric with
	// a target for the period plus every KGI, or, if there are none,
	// every derived metric.
	Outputs []string
	// Targets override or add the target an output is judged against;
	// by default an output's target is the metric's target for exactly
	// the simulated period.
	Targets map[string]metric.Target
	// Workers is the number of goroutines (default GOMAXPROCS).
	Workers int
	// BlockSize is the number of draws evaluated together (default 256).
	BlockSize int
	// Progress, if set, is called after each block with the draws done so
	// far; calls are serialised.
	Progress func(done, total int)
}

// Summary describes the distribution of one output.
type Summary struct {
	Metric string
	// Draws is the number of usable (non-NaN) draws.
	Draws int
	// NaN counts draws where the output could not be computed.
	NaN                    int
	Mean, SD               float64
	P5, P10, P50, P90, P95 float64
	HasTarget              bool
	Target                 metric.Target
	// PMeet is the probability of meeting the target and PMeetSE its
	// standard error, sqrt(p(1−p)/n).
	PMeet, PMeetSE float64
}

// SimResult holds a simulation's draws and summaries.
type SimResult struct {
	c       *tree.Compiled
	outputs []string
	draws   [][]float64
	summary []Summary
}

// Summaries returns one Summary per output, in output order.
func (r *SimResult) Summaries() []Summary { return slices.Clone(r.summary) }

// Summary returns the summary of output id.
func (r *SimResult) Summary(id string) (Summary, bool) {
	for _, s := range r.summary {
		if s.Metric == id {
			return s, true
		}
	}
	return Summary{}, false
}

// Draws returns a copy of output id's draws, in draw order.
func (r *SimResult) Draws(id string) []float64 {
	k := slices.Index(r.outputs, id)
	if k < 0 {
		return nil
	}
	return slices.Clone(r.draws[k])
}

// ErrSimulation is matched by errors from Simulation.Run about its setup.
var ErrSimulation = errors.New("rollup: invalid simulation")

// Run simulates period p (of the model's grain) of c; a nil base is an
// empty source. Inputs not listed as uncertain take their
// values from base in period p; prev() values come from base's history
// (evaluated with Evaluate). Run stops early with ctx's error when ctx is
// cancelled.
func (s Simulation) Run(ctx context.Context, c *tree.Compiled, base Source, p metric.Period) (*SimResult, error) {
	if base == nil {
		base = Data(nil)
	}
	if g := c.Model().GrainOrDefault(); p.IsZero() || p.Grain() != g {
		return nil, fmt.Errorf("%w: period %q is not a %s of the model", ErrSimulation, p, g)
	}
	n := s.Draws
	if n == 0 {
		n = 10000
	}
	if n < 0 {
		return nil, fmt.Errorf("%w: %d draws", ErrSimulation, n)
	}
	bs := s.BlockSize
	if bs <= 0 {
		bs = tree.DefaultBlockWidth
	}
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// uncertain inputs
	unc := make([]int, len(s.Inputs))
	for k, u := range s.Inputs {
		i, ok := c.Index(u.Metric)
		switch {
		case !ok:
			return nil, fmt.Errorf("%w: unknown input %q", ErrSimulation, u.Metric)
		case !c.IsInput(i):
			return nil, fmt.Errorf("%w: %q has a formula; only inputs can be uncertain", ErrSimulation, u.Metric)
		case u.Dist.d == nil:
			return nil, fmt.Errorf("%w: %q has no distribution", ErrSimulation, u.Metric)
		case slices.Contains(unc[:k], i):
			return nil, fmt.Errorf("%w: %q is listed twice", ErrSimulation, u.Metric)
		}
		unc[k] = i
	}
	// correlated group
	var group []int // indices into s.Inputs
	var copula *sample.GaussianCopula
	if len(s.Correlations) > 0 {
		idx := func(id string) (int, error) {
			k := slices.IndexFunc(s.Inputs, func(u Uncertain) bool { return u.Metric == id })
			if k < 0 {
				return 0, fmt.Errorf("%w: correlation names %q, which is not an uncertain input", ErrSimulation, id)
			}
			return k, nil
		}
		type pair struct{ a, b int }
		var pairs []pair
		for _, cr := range s.Correlations {
			a, err := idx(cr.A)
			if err != nil {
				return nil, err
			}
			b, err := idx(cr.B)
			if err != nil {
				return nil, err
			}
			for _, k := range []int{a, b} {
				if !slices.Contains(group, k) {
					group = append(group, k)
				}
			}
			pairs = append(pairs, pair{a, b})
		}
		slices.Sort(group)
		corr := make([][]float64, len(group))
		for i := range corr {
			corr[i] = make([]float64, len(group))
			corr[i][i] = 1
		}
		for k, pr := range pairs {
			a, b := slices.Index(group, pr.a), slices.Index(group, pr.b)
			rho := s.Correlations[k].Rho
			if a == b || rho < -1 || rho > 1 || math.IsNaN(rho) {
				return nil, fmt.Errorf("%w: correlation %s~%s = %v", ErrSimulation, s.Correlations[k].A, s.Correlations[k].B, rho)
			}
			corr[a][b], corr[b][a] = rho, rho
		}
		cp, err := sample.NewGaussianCopula(corr)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSimulation, err)
		}
		copula = cp
	}
	// fixed values and history from the base source
	from := p.Add(-c.MaxLag())
	hist, _ := evaluate(c, base, slices.Collect(metric.Range(from, p)), Options{}, nil, nil)
	t := len(hist.periods) - 1
	fixed := make([]float64, c.Len())
	var missing []string
	for i := range c.Inputs() {
		fixed[i] = hist.vals[t*c.Len()+i]
		if hist.state[t*c.Len()+i] != OK && !slices.Contains(unc, i) {
			missing = append(missing, c.ID(i))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: no value in %s for inputs %v; give them a value or a distribution", ErrSimulation, p, missing)
	}
	lags := c.Lags()
	lagVals := make([]float64, len(lags))
	for k, l := range lags {
		tt := t - l.Lag
		if tt >= 0 && hist.state[tt*c.Len()+l.Node] == OK {
			lagVals[k] = hist.vals[tt*c.Len()+l.Node]
			continue
		}
		// before the window: the source, then Initial
		hp := p.Add(-l.Lag)
		if v, ok := base.Value(c.ID(l.Node), hp); ok && finite(v) {
			lagVals[k] = v
		} else if init := c.Metric(l.Node).Initial; init != nil {
			lagVals[k] = *init
		} else {
			return nil, fmt.Errorf("%w: prev(%s, %d) has no value in %s", ErrSimulation, c.ID(l.Node), l.Lag, hp)
		}
	}
	// outputs and targets
	outs := s.Outputs
	if len(outs) == 0 {
		for i := range c.Len() {
			m := c.Metric(i)
			if _, ok := m.TargetFor(p); ok || m.Kind == metric.KGI {
				outs = append(outs, m.ID)
			}
		}
		if len(outs) == 0 {
			for i := range c.Order() {
				outs = append(outs, c.ID(i))
			}
		}
	}
	outIdx := make([]int, len(outs))
	for k, id := range outs {
		i, ok := c.Index(id)
		if !ok {
			return nil, fmt.Errorf("%w: unknown output %q", ErrSimulation, id)
		}
		outIdx[k] = i
	}
	res := &SimResult{c: c, outputs: slices.Clone(outs), draws: make([][]float64, len(outs))}
	for k := range res.draws {
		res.draws[k] = make([]float64, n)
	}
	// run blocks
	nblocks := (n + bs - 1) / bs
	var next atomic.Int64
	var done atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for range min(workers, max(nblocks, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var be tree.BlockEvaluator
			be.Bind(c, bs)
			for i := range c.Inputs() {
				fillConst(be.Lanes(i), fixed[i])
			}
			for k := range lags {
				fillConst(be.LaggedLanes(k), lagVals[k])
			}
			gdst := make([][]float64, len(group))
			gmarg := make([]sample.Dist, len(group))
			for j, k := range group {
				gmarg[j] = s.Inputs[k].Dist.d
			}
			for {
				b := int(next.Add(1) - 1)
				if b >= nblocks {
					return
				}
				if err := ctx.Err(); err != nil {
					errc <- err
					return
				}
				lo := b * bs
				m := min(bs, n-lo)
				rng := sample.NewRandStream(s.Seed, uint64(b))
				for k, u := range s.Inputs {
					if slices.Contains(group, k) {
						continue
					}
					u.Dist.d.Fill(be.Lanes(unc[k])[:m], rng)
				}
				if copula != nil {
					for j, k := range group {
						gdst[j] = be.Lanes(unc[k])[:m]
					}
					if err := copula.Fill(gdst, gmarg, rng); err != nil {
						errc <- err
						return
					}
				}
				be.Run()
				for k, i := range outIdx {
					copy(res.draws[k][lo:lo+m], be.Lanes(i)[:m])
				}
				d := done.Add(int64(m))
				if s.Progress != nil {
					mu.Lock()
					s.Progress(int(d), n)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return nil, err
	}
	res.summary = make([]Summary, len(outs))
	for k, id := range outs {
		sum := summarize(res.draws[k])
		sum.Metric = id
		m := c.Metric(outIdx[k])
		tg, ok := s.Targets[id]
		if !ok {
			tg, ok = m.TargetFor(p)
		}
		if ok {
			sum.HasTarget, sum.Target = true, tg
			met := 0
			for _, v := range res.draws[k] {
				if !math.IsNaN(v) && Met(m.Direction, tg, v) {
					met++
				}
			}
			if sum.Draws > 0 {
				pm := float64(met) / float64(sum.Draws)
				sum.PMeet, sum.PMeetSE = pm, math.Sqrt(pm*(1-pm)/float64(sum.Draws))
			}
		}
		res.summary[k] = sum
	}
	return res, nil
}

func fillConst(d []float64, v float64) {
	for j := range d {
		d[j] = v
	}
}

// summarize computes moments and type-7 (numpy default) percentiles of the
// non-NaN draws, selecting the order statistics instead of sorting.
func summarize(draws []float64) Summary {
	vals := make([]float64, 0, len(draws))
	for _, v := range draws {
		if !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	s := Summary{Draws: len(vals), NaN: len(draws) - len(vals)}
	if len(vals) == 0 {
		nan := math.NaN()
		s.Mean, s.SD, s.P5, s.P10, s.P50, s.P90, s.P95 = nan, nan, nan, nan, nan, nan, nan
		return s
	}
	mean := 0.0
	for _, v := range vals {
		mean += v
	}
	mean /= float64(len(vals))
	ss := 0.0
	for _, v := range vals {
		ss += (v - mean) * (v - mean)
	}
	s.Mean = mean
	s.SD = math.NaN()
	if len(vals) > 1 {
		s.SD = math.Sqrt(ss / float64(len(vals)-1))
	}
	q := stats.Quantiles(vals, []float64{0.05, 0.10, 0.50, 0.90, 0.95})
	s.P5, s.P10, s.P50, s.P90, s.P95 = q[0], q[1], q[2], q[3], q[4]
	return s
}
