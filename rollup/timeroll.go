package rollup

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
)

// Rollup evaluates c over the coarse periods from..to (quarters or years,
// say, for a monthly model). Each input is first aggregated over the
// model-grain periods inside a coarse period by the metric's aggregation
// (sum by default; mean — weighted by the metric's Weight when it has
// one —, last, first, min, max); every derived metric is
// then recomputed from the aggregated inputs — never aggregated itself —
// so a quarterly conversion rate is quarterly orders over quarterly
// visitors, not the mean of monthly rates. prev() then means the previous
// coarse period.
//
// A coarse period with some fine periods missing is Missing (with an
// Issue naming the missing periods), unless opt.Partial asks to
// aggregate what is present. Fiscal quarters and years (a Calendar with a
// FiscalYearStart) are supported: the fine periods of a coarse period are
// those within its dates.
func Rollup(c *tree.Compiled, src Source, from, to metric.Period, opt Options) (*Result, error) {
	if src == nil {
		src = Data(nil)
	}
	fine := c.Model().GrainOrDefault()
	if from.Grain() < fine {
		return nil, fmt.Errorf("rollup: cannot roll %s data up to %s periods: %s is finer", fine, from.Grain(), from.Grain())
	}
	periods, err := periodRange(from, to)
	if err != nil {
		return nil, err
	}
	// Aggregate every metric that has observations (inputs, and derived
	// metrics for prev() history before from).
	agg := &aggregated{src: src, c: c, fine: fine, cal: c.Model().Calendar, opt: opt, cache: map[aggKey]aggVal{}}
	partial := func(node, t int) string {
		id := c.ID(node)
		if !agg.get(id, periods[t]).partial {
			return ""
		}
		return agg.whyMissing(id, periods[t])
	}
	return evaluate(c, agg, periods, opt, partial, nil)
}

type aggKey struct {
	id string
	p  metric.Period
}

type aggVal struct {
	v       float64
	ok      bool
	partial bool
}

type aggregated struct {
	src  Source
	c    *tree.Compiled
	fine metric.Grain
	cal  metric.Calendar
	opt  Options
	// The Result keeps the source for Window, which may run in many
	// goroutines at once.
	mu    sync.Mutex
	cache map[aggKey]aggVal
	// fine evaluations of coarse periods, for weights that are derived
	fineMu  sync.Mutex
	fineRes map[metric.Period]*Result
}

// Value implements Source over coarse periods.
func (a *aggregated) Value(id string, p metric.Period) (float64, bool) {
	v := a.get(id, p)
	return v.v, v.ok
}

func (a *aggregated) get(id string, p metric.Period) aggVal {
	key := aggKey{id, p}
	a.mu.Lock()
	defer a.mu.Unlock()
	if v, ok := a.cache[key]; ok {
		return v
	}
	var how metric.Aggregation = metric.Sum
	weight := ""
	if i, ok := a.c.Index(id); ok {
		how = a.c.Metric(i).AggregationOrDefault()
		if how == metric.Mean {
			weight = a.c.Metric(i).Weight
		}
	}
	var vals, weights []float64
	total, badWeight := 0, false
	for q := range finePeriods(a.cal, a.fine, p) {
		total++
		v, ok := a.src.Value(id, q)
		if !ok {
			continue
		}
		if weight != "" {
			w, wok := a.fineValue(weight, p, q)
			if !wok {
				continue // the pair is incomplete: the period counts as missing
			}
			if !(w >= 0) || math.IsInf(w, 0) {
				badWeight = true
				break
			}
			weights = append(weights, w)
		}
		vals = append(vals, v)
	}
	var out aggVal
	if !badWeight && len(vals) > 0 && (len(vals) == total || a.opt.Partial) {
		if weight != "" {
			out.v, out.ok = how.ApplyWeighted(vals, weights)
		} else {
			out.v, out.ok = how.Apply(vals)
		}
		out.partial = len(vals) < total
	}
	a.cache[key] = out
	return out
}

// fineValue returns metric id's value in the fine period q of the coarse
// period p: observed for an input, computed for a derived metric (the
// fine periods of p evaluated once).
func (a *aggregated) fineValue(id string, p, q metric.Period) (float64, bool) {
	i, ok := a.c.Index(id)
	if !ok || a.c.IsInput(i) {
		return a.src.Value(id, q)
	}
	a.fineMu.Lock()
	defer a.fineMu.Unlock()
	r, ok := a.fineRes[p]
	if !ok {
		var periods []metric.Period
		for q := range finePeriods(a.cal, a.fine, p) {
			periods = append(periods, q)
		}
		if len(periods) > 0 {
			r, _ = evaluate(a.c, a.src, periods, Options{}, nil, nil)
		}
		if a.fineRes == nil {
			a.fineRes = map[metric.Period]*Result{}
		}
		a.fineRes[p] = r
	}
	if r == nil {
		return 0, false
	}
	return r.Value(id, q)
}

// finePeriods yields the periods of grain g that lie within p.
func finePeriods(cal metric.Calendar, g metric.Grain, p metric.Period) func(func(metric.Period) bool) {
	return func(yield func(metric.Period) bool) {
		end := p.End()
		for q := cal.Of(g, p.Start()); q.Start().Before(end); q = q.Next() {
			if g == metric.Week {
				// An ISO week belongs to the period holding its Thursday.
				if !p.Contains(metric.Of(metric.Day, q.Start().AddDate(0, 0, 3))) {
					continue
				}
			} else if !p.Contains(q) {
				continue
			}
			if !yield(q) {
				return
			}
		}
	}
}

// whyMissing implements the explainer that evaluate uses for issue details.
func (a *aggregated) whyMissing(id string, p metric.Period) string {
	weight := ""
	if i, ok := a.c.Index(id); ok && a.c.Metric(i).AggregationOrDefault() == metric.Mean {
		weight = a.c.Metric(i).Weight
	}
	var missing, noWeight []string
	var wsum float64
	total := 0
	for q := range finePeriods(a.cal, a.fine, p) {
		total++
		if _, ok := a.src.Value(id, q); !ok {
			missing = append(missing, q.String())
			continue
		}
		if weight == "" {
			continue
		}
		w, ok := a.fineValue(weight, p, q)
		switch {
		case !ok:
			noWeight = append(noWeight, q.String())
			missing = append(missing, q.String())
		case !(w >= 0) || math.IsInf(w, 0):
			return fmt.Sprintf("its weight %s is %v in %s; weights must be non-negative", weight, w, q)
		default:
			wsum += w
		}
	}
	why := ""
	if len(noWeight) > 0 {
		why = fmt.Sprintf("; its weight %s has no value in %s", weight, strings.Join(noWeight, ", "))
	}
	if len(missing) == 0 && weight != "" && wsum == 0 {
		return fmt.Sprintf("its weight %s adds up to 0 over %s: the weighted mean is undefined", weight, p)
	}
	if len(missing) == total {
		return fmt.Sprintf("no observation in any of its %d %ss", total, a.fine) + why
	}
	if a.opt.Partial {
		return fmt.Sprintf("aggregated from %d of %d %ss (missing %s)", total-len(missing), total, a.fine, strings.Join(missing, ", ")) + why
	}
	return fmt.Sprintf("%d of %d %ss missing (%s)%s; set Options.Partial to aggregate the rest", len(missing), total, a.fine, strings.Join(missing, ", "), why)
}
