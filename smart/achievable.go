package smart

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/internal/stats"
	"github.com/kpitree/kpitree/metric"
)

// Achievability compares the change a goal requires by its deadline with
// the metric's own history of changes over the same number of periods.
//
// The history is the overlapping windows x[t]→x[t+h], so consecutive
// changes share h-1 periods: the empirical figures describe the past
// rather than give calibrated probabilities.
type Achievability struct {
	// Current is the last observed value, in period Last; Target the goal.
	Current float64 `json:"current"`
	Target  float64 `json:"target"`
	// Last is the last observation; Horizon the number of series periods
	// from it to the deadline.
	Last    metric.Period `json:"last"`
	Horizon int           `json:"horizon"`
	// Ratio reports growth ratios (x[t+h]/x[t] - 1); false means
	// differences (x[t+h] - x[t]).
	Ratio bool `json:"ratio"`
	// AtMost reports a goal met at or below the target (lower is better).
	AtMost bool `json:"at_most"`
	// Required is the change the target needs over the horizon;
	// RequiredPerPeriod its compound (ratio) or even (difference) share
	// per period.
	Required          float64 `json:"required"`
	RequiredPerPeriod float64 `json:"required_per_period"`
	// History holds the past h-period changes, oldest first; HistMean,
	// HistSD (n-1), HistMin and HistMax summarise them.
	History                            []float64 `json:"history"`
	HistMean, HistSD, HistMin, HistMax float64
	// EmpiricalP is the share of past changes that would have met the goal.
	EmpiricalP float64 `json:"empirical_p"`
	// Percentile locates Required among the past changes (scipy's
	// percentileofscore: rank, weak, strict, mean), in percent.
	Percentile Percentile `json:"percentile"`
	// Best is the most favourable past change; ExceedsBest reports a
	// target beyond it; RequiredToBest is Required/Best ("needs 3.2× the
	// best growth ever seen"), NaN when no past change went the goal's way.
	Best           float64 `json:"best"`
	ExceedsBest    bool    `json:"exceeds_best"`
	RequiredToBest float64 `json:"-"`
	// PeriodMean and PeriodSD describe one-period changes; LogMean and
	// LogSD one-period log growth (NaN for differences).
	PeriodMean, PeriodSD, LogMean, LogSD float64 `json:"-"`
	// Z is the requirement as a z-score: per period for ratios, over the
	// horizon for differences. ZLog is the z-score under normal log growth
	// (NaN for differences).
	Z    float64 `json:"z"`
	ZLog float64 `json:"-"`
	// PNormal is the probability of meeting the goal under a normal model:
	// normal on logs for ratios, normal h-period differences otherwise.
	PNormal float64 `json:"p_normal"`
}

// Percentile is where a value falls in a sample, in percent, under scipy's
// percentileofscore kinds.
type Percentile struct {
	Rank, Weak, Strict, Mean float64
}

// Quantile returns the p-quantile of the past h-period changes, by linear
// interpolation between order statistics (Hyndman–Fan type 7, numpy's
// default).
func (a *Achievability) Quantile(p float64) float64 {
	s := slices.Clone(a.History)
	slices.Sort(s)
	return stats.Quantile(s, p)
}

// Probability is the chance of reaching the target the check reports: the
// mean of the empirical share and the normal-model probability.
func (a *Achievability) Probability() float64 { return (a.EmpiricalP + a.PNormal) / 2 }

// Describe says in words how demanding the goal is: "needs 3.2× the best
// 4-period growth ever seen (+10.0% against +4.6%)".
func (a *Achievability) Describe() string {
	what := "change"
	if a.Ratio {
		what = "growth"
		if a.AtMost {
			what = "decline"
		}
	}
	hor := fmt.Sprintf("%d-period", a.Horizon)
	switch {
	case (a.AtMost && a.Required >= 0) || (!a.AtMost && a.Required <= 0):
		return fmt.Sprintf("needs no %s: the target is already met (%.0f%% of past %s windows would meet it)", what, 100*a.EmpiricalP, hor)
	case math.IsNaN(a.RequiredToBest):
		return fmt.Sprintf("needs a %s of %s over %d periods, and no past %s window moved that way", what, a.fmtChange(a.Required), a.Horizon, hor)
	case a.ExceedsBest:
		return fmt.Sprintf("needs %s× the best %s %s ever seen (%s against %s)", trimFloat(a.RequiredToBest, 2), hor, what, a.fmtChange(a.Required), a.fmtChange(a.Best))
	}
	return fmt.Sprintf("needs a %s %s of %s, beaten in %.0f%% of past windows (best %s)", hor, what, a.fmtChange(a.Required), 100*a.EmpiricalP, a.fmtChange(a.Best))
}

func (a *Achievability) fmtChange(v float64) string {
	if a.Ratio {
		return fmt.Sprintf("%+.1f%%", 100*v)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func trimFloat(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }

// errNoHistory wraps the reasons the achievability cannot be computed.
var errNoHistory = errors.New("no usable history")

// AchievabilityOf computes the achievability of goal g from history (the
// metric's values, oldest first; the trailing run of consecutive periods
// is used) with change measured as opt.Change says. It returns an error
// when the goal has no target or deadline, the history is too short or
// constant, or the deadline is not after the last observation.
func AchievabilityOf(g Goal, history *metric.Series, change Change) (*Achievability, error) {
	if g.Target == nil {
		return nil, fmt.Errorf("smart: goal %q has no target", g.id())
	}
	d := g.DeadlineTime()
	if d.IsZero() {
		return nil, fmt.Errorf("smart: goal %q has no deadline", g.id())
	}
	last, ok := history.Last()
	if !ok {
		return nil, fmt.Errorf("smart: goal %q: %w: the series is empty", g.id(), errNoHistory)
	}
	// The trailing run of consecutive periods.
	var vals []float64
	for p := last; ; p = p.Prev() {
		v, ok := history.Get(p)
		if !ok {
			break
		}
		vals = append(vals, v)
	}
	slices.Reverse(vals)
	// Horizon: whole series periods from the last observation that end
	// by the deadline.
	h := 0
	for k := 1; k <= 100000 && !last.Add(k).End().After(d); k++ {
		h = k
	}
	if h < 1 {
		return nil, fmt.Errorf("smart: goal %q: the deadline %s is not after the last observation %s", g.id(), d.Format("2006-01-02"), last)
	}
	atMost := false
	if g.Direction != nil {
		switch *g.Direction {
		case metric.LowerIsBetter, metric.Ceiling:
			atMost = true
		case metric.Band:
			return nil, fmt.Errorf("smart: goal %q: achievability of a band target is not defined", g.id())
		}
	}
	ratio := change == ChangeRatio
	if change == ChangeAuto {
		k := g.Unit.Kind()
		ratio = k != metric.UnitRatio && k != metric.UnitPercent && *g.Target > 0
		for _, v := range vals {
			if v <= 0 {
				ratio = false
			}
		}
	}
	opt := stats.AchievabilityOptions{Horizon: h, Change: stats.ChangeDifference, Direction: stats.GoalAtLeast}
	if ratio {
		opt.Change = stats.ChangeRatio
	}
	if atMost {
		opt.Direction = stats.GoalAtMost
	}
	r, err := stats.Achievability(vals, *g.Target, opt)
	if err != nil {
		return nil, fmt.Errorf("smart: goal %q: %w: %w", g.id(), errNoHistory, err)
	}
	return &Achievability{
		Current: r.Current, Target: r.Target, Last: last, Horizon: h, Ratio: ratio, AtMost: atMost,
		Required: r.Required, RequiredPerPeriod: r.RequiredPerPeriod, History: r.History,
		HistMean: r.HistMean, HistSD: r.HistSD, HistMin: r.HistMin, HistMax: r.HistMax,
		EmpiricalP: r.EmpiricalP,
		Percentile: Percentile{Rank: r.Percentile.Rank, Weak: r.Percentile.Weak, Strict: r.Percentile.Strict, Mean: r.Percentile.Mean},
		Best:       r.Best, ExceedsBest: r.ExceedsBest, RequiredToBest: r.RequiredToBest,
		PeriodMean: r.PeriodMean, PeriodSD: r.PeriodSD, LogMean: r.LogMean, LogSD: r.LogSD,
		Z: r.Z, ZLog: r.ZLog, PNormal: r.PNormal,
	}, nil
}

// achievable scores min(1, 2·p) where p is [Achievability.Probability]:
// a goal met in half of comparable past windows or more scores 1. Without
// usable history the letter scores 0.5 (unknown).
func (c *checker) achievable() float64 {
	g := c.g
	if g.Target == nil || g.DeadlineTime().IsZero() {
		return 0.5 // reported by Measurable and Time-bound
	}
	h := c.history()
	if h == nil {
		c.add(RuleNoHistory, check.Info, fmt.Sprintf("Achievability of goal %q is not checked: no history of the metric.", g.id()),
			"Provide the metric's past values (Goal.History or Options.Data).")
		return 0.5
	}
	a, err := AchievabilityOf(g, h, c.opt.Change)
	if err != nil {
		c.add(RuleNoHistory, check.Info, fmt.Sprintf("Achievability of goal %q is not checked: %v.", g.id(), err),
			"Provide a longer history with variation, ending before the deadline.")
		return 0.5
	}
	c.r.Achievability = a
	p := a.Probability()
	ev := []check.Evidence{
		check.E("current", a.Current), check.E("target", a.Target), check.E("horizon", a.Horizon),
		check.E("required", a.Required), check.E("empirical_p", a.EmpiricalP),
		check.E("percentile", a.Percentile.Rank), check.E("z", a.Z), check.E("p_normal", a.PNormal),
	}
	if !math.IsNaN(a.RequiredToBest) {
		ev = append(ev, check.E("required_to_best", a.RequiredToBest))
	}
	unlikely := c.opt.Unlikely
	if unlikely == 0 {
		unlikely = 0.1
	}
	met := (a.AtMost && a.Required >= 0) || (!a.AtMost && a.Required <= 0)
	switch {
	case a.ExceedsBest:
		c.add(RuleBeyondBest, check.Warning, fmt.Sprintf("Goal %q %s.", g.id(), a.Describe()),
			"Lower the target, move the deadline, or name what will change to beat the record.", ev...)
	case p < unlikely:
		c.add(RuleUnlikely, check.Warning, fmt.Sprintf("Goal %q is unlikely (%.0f%%): it %s.", g.id(), 100*p, a.Describe()),
			"Lower the target or move the deadline, or name what will change.", ev...)
	case met:
		c.add(RuleNoStretch, check.Info, fmt.Sprintf("Goal %q %s.", g.id(), a.Describe()),
			"Raise the target if the goal should stretch the team.", ev...)
	default:
		c.add(RuleAchievableOK, check.Info, fmt.Sprintf("Goal %q %s.", g.id(), a.Describe()), "", ev...)
	}
	return math.Min(1, 2*p)
}
