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
	// MaxMemory bounds, in bytes, the memory the outputs' draws take
	// (zero: DefaultSimMemory, 256 MiB). When every draw of every output
	// fits (Draws × outputs × 8 bytes), the draws are kept, SimResult.Draws
	// returns them and the percentiles are exact. Otherwise the draws
	// stream through per-output accumulators in draw order: mean, SD and
	// P(meet) stay exact (up to rounding), the percentiles come from a
	// quantile sketch whose worst-case rank error is Summary.RankError
	// (about 0.3% of the draws for a million draws of a thousand outputs
	// in 256 MiB), and SimResult.Draws returns nil. The result is the same
	// at any number of workers either way. Blocks in flight take another
	// outputs × BlockSize × Workers × 8 bytes.
	MaxMemory int64
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
	// RankError is 0 when the percentiles are exact (numpy's default
	// quantiles of every draw). When the draws did not fit
	// Simulation.MaxMemory it bounds the percentiles' error in rank: P5 has
	// between (0.05 − RankError)·Draws and (0.05 + RankError)·Draws + 1
	// of the draws at or below it, and so on.
	RankError float64
}

// SimResult holds a simulation's draws and summaries.
type SimResult struct {
	c       *tree.Compiled
	outputs []string
	draws   [][]float64
	summary []Summary
	exact   bool
}

// Exact reports whether every draw was kept (the percentiles are exact
// and Draws returns them); see Simulation.MaxMemory.
func (r *SimResult) Exact() bool { return r.exact }

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

// Draws returns a copy of output id's draws, in draw order, or nil when
// the draws were not kept (see Simulation.MaxMemory).
func (r *SimResult) Draws(id string) []float64 {
	k := slices.Index(r.outputs, id)
	if k < 0 || !r.exact {
		return nil
	}
	return slices.Clone(r.draws[k])
}

// ErrSimulation is matched by errors from Simulation.Run about its setup.
var ErrSimulation = errors.New("rollup: invalid simulation")

// Run simulates period p (of the model's grain) of c's what-if model
// (tree.Compiled.WhatIf): a driver such as a conversion rate can be
// uncertain, and is otherwise held at its value measured from base. A nil
// base is an empty source. Inputs not listed as uncertain take their
// values from base in period p. prev() reads what a Session at p reads
// (NewSession): the value recorded in base for the earlier period, then
// the metric's Initial value; only when neither exists, the value
// recomputed from base's inputs of the earlier periods (with Evaluate).
// So a derived metric whose history is recorded (MRR from the billing
// system) is carried from its recorded value, in a simulation as in a
// session. Run stops early with ctx's error when ctx is cancelled.
func (s Simulation) Run(ctx context.Context, c *tree.Compiled, base Source, p metric.Period) (*SimResult, error) {
	if base == nil {
		base = Data(nil)
	}
	c, base = whatIf(c, base)
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
		// What a Session reads: the recorded value, then Initial; only
		// when neither exists, the value recomputed from earlier inputs.
		hp := p.Add(-l.Lag)
		if v, st := historyValue(c, base, l.Node, hp, Options{}); st == OK {
			lagVals[k] = v
			continue
		}
		if tt := t - l.Lag; tt >= 0 && hist.state[tt*c.Len()+l.Node] == OK {
			lagVals[k] = hist.vals[tt*c.Len()+l.Node]
			continue
		}
		return nil, fmt.Errorf("%w: prev(%s, %d) has no value in %s: record %s for %s, give it an initial value, or give the inputs it is computed from",
			ErrSimulation, c.ID(l.Node), l.Lag, hp, c.ID(l.Node), hp)
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
	budget := s.MaxMemory
	if budget == 0 {
		budget = DefaultSimMemory
	}
	if budget < 0 {
		return nil, fmt.Errorf("%w: MaxMemory %d is negative", ErrSimulation, budget)
	}
	res := &SimResult{c: c, outputs: slices.Clone(outs)}
	// targets of the outputs
	targets := make([]metric.Target, len(outs))
	hasTarget := make([]bool, len(outs))
	for k, id := range outs {
		tg, ok := s.Targets[id]
		if !ok {
			tg, ok = c.Metric(outIdx[k]).TargetFor(p)
		}
		targets[k], hasTarget[k] = tg, ok
	}
	// the work of one block: draw the uncertain inputs, run the program
	nblocks := (n + bs - 1) / bs
	var done atomic.Int64
	var mu sync.Mutex
	type worker struct {
		be    tree.BlockEvaluator
		gdst  [][]float64
		gmarg []sample.Dist
	}
	newWorker := func() *worker {
		w := &worker{gdst: make([][]float64, len(group)), gmarg: make([]sample.Dist, len(group))}
		w.be.Bind(c, bs)
		for i := range c.Inputs() {
			fillConst(w.be.Lanes(i), fixed[i])
		}
		for k := range lags {
			fillConst(w.be.LaggedLanes(k), lagVals[k])
		}
		for j, k := range group {
			w.gmarg[j] = s.Inputs[k].Dist.d
		}
		return w
	}
	runBlock := func(w *worker, b int) (int, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		m := min(bs, n-b*bs)
		rng := sample.NewRandStream(s.Seed, uint64(b))
		for k, u := range s.Inputs {
			if slices.Contains(group, k) {
				continue
			}
			u.Dist.d.Fill(w.be.Lanes(unc[k])[:m], rng)
		}
		if copula != nil {
			for j, k := range group {
				w.gdst[j] = w.be.Lanes(unc[k])[:m]
			}
			if err := copula.Fill(w.gdst, w.gmarg, rng); err != nil {
				return 0, err
			}
		}
		w.be.Run()
		d := done.Add(int64(m))
		if s.Progress != nil {
			mu.Lock()
			s.Progress(int(d), n)
			mu.Unlock()
		}
		return m, nil
	}
	if int64(n)*int64(len(outs))*8 <= budget {
		// every draw kept: exact percentiles
		res.exact = true
		res.draws = make([][]float64, len(outs))
		for k := range res.draws {
			res.draws[k] = make([]float64, n)
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		errc := make(chan error, workers)
		for range min(workers, max(nblocks, 1)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := newWorker()
				for {
					b := int(next.Add(1) - 1)
					if b >= nblocks {
						return
					}
					m, err := runBlock(w, b)
					if err != nil {
						errc <- err
						return
					}
					for k, i := range outIdx {
						copy(res.draws[k][b*bs:b*bs+m], w.be.Lanes(i)[:m])
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
			if hasTarget[k] {
				m := c.Metric(outIdx[k])
				sum.HasTarget, sum.Target = true, targets[k]
				met := 0
				for _, v := range res.draws[k] {
					if !math.IsNaN(v) && Met(m.Direction, targets[k], v) {
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
	// Streaming: the draws pass through per-output accumulators in draw
	// order, round by round of one block per worker, so the result does
	// not depend on the number of workers.
	nw := min(workers, nblocks)
	k := sketchSize(budget, n, len(outs))
	accs := make([]streamAcc, len(outs))
	for j := range accs {
		accs[j].sk = stats.NewQuantileSketch(k)
		if hasTarget[j] {
			accs[j].dir, accs[j].target, accs[j].hasTarget = c.Metric(outIdx[j]).Direction, targets[j], true
		}
	}
	ws := make([]*worker, nw)
	bufs := make([][]float64, nw)
	ms := make([]int, nw)
	errs := make([]error, nw)
	for j := range ws {
		ws[j] = newWorker()
		bufs[j] = make([]float64, len(outs)*bs)
	}
	for first := 0; first < nblocks; first += nw {
		nb := min(nw, nblocks-first)
		var wg sync.WaitGroup
		for j := range nb {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m, err := runBlock(ws[j], first+j)
				ms[j], errs[j] = m, err
				if err != nil {
					return
				}
				for o, i := range outIdx {
					copy(bufs[j][o*bs:o*bs+m], ws[j].be.Lanes(i)[:m])
				}
			}()
		}
		wg.Wait()
		for _, err := range errs[:nb] {
			if err != nil {
				return nil, err
			}
		}
		for g := range nw {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for o := g; o < len(outs); o += nw {
					for j := range nb {
						accs[o].add(bufs[j][o*bs : o*bs+ms[j]])
					}
				}
			}()
		}
		wg.Wait()
	}
	res.summary = make([]Summary, len(outs))
	for o, id := range outs {
		res.summary[o] = accs[o].summary(id)
	}
	return res, nil
}

// DefaultSimMemory is the memory Simulation.Run gives the outputs' draws
// when Simulation.MaxMemory is zero: 256 MiB, 32 million draws.
const DefaultSimMemory = 256 << 20

// sketchSize is the number of values a level of each output's sketch
// holds so that every sketch, at its largest, fits the budget (with a
// floor of 64 values a level). It does not depend on the number of
// workers, so neither do the results.
func sketchSize(budget int64, n, outs int) int {
	per := budget / 8 / int64(max(outs, 1))
	k := 64
	for c := 128; int64(c*stats.SketchLevels(n, c)) <= per; c += 64 {
		k = c
	}
	return k
}

// streamAcc summarises one output's draws as they stream by: Welford's
// mean and variance, a quantile sketch and the count meeting the target.
type streamAcc struct {
	sk        *stats.QuantileSketch
	cnt       int
	mean, m2  float64
	hasTarget bool
	dir       metric.Direction
	target    metric.Target
	met       int
}

func (a *streamAcc) add(vs []float64) {
	a.sk.AddAll(vs)
	for _, v := range vs {
		if math.IsNaN(v) {
			continue
		}
		a.cnt++
		d := v - a.mean
		a.mean += d / float64(a.cnt)
		a.m2 += d * (v - a.mean)
		if a.hasTarget && Met(a.dir, a.target, v) {
			a.met++
		}
	}
}

func (a *streamAcc) summary(id string) Summary {
	s := Summary{Metric: id, Draws: a.cnt, NaN: a.sk.NaN(), Mean: a.mean, SD: math.NaN(), RankError: a.sk.RankError()}
	if a.cnt > 1 {
		s.SD = math.Sqrt(a.m2 / float64(a.cnt-1))
	}
	if a.cnt == 0 {
		s.Mean = math.NaN()
	}
	q := a.sk.Quantiles([]float64{0.05, 0.10, 0.50, 0.90, 0.95})
	s.P5, s.P10, s.P50, s.P90, s.P95 = q[0], q[1], q[2], q[3], q[4]
	if a.hasTarget {
		s.HasTarget, s.Target = true, a.target
		if a.cnt > 0 {
			pm := float64(a.met) / float64(a.cnt)
			s.PMeet, s.PMeetSE = pm, math.Sqrt(pm*(1-pm)/float64(a.cnt))
		}
	}
	return s
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
