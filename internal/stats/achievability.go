package stats

import (
	"fmt"
	"math"
	"sort"
)

// ChangeKind says how a change over h periods is measured.
type ChangeKind int

const (
	// ChangeRatio measures growth, x[t+h]/x[t] - 1 (positive series only).
	ChangeRatio ChangeKind = iota
	// ChangeDifference measures the difference x[t+h] - x[t] (for rates,
	// percentages and other series that may cross zero).
	ChangeDifference
)

// GoalDirection says which side of the target counts as success.
type GoalDirection int

const (
	// GoalAtLeast succeeds when the value reaches the target or more.
	GoalAtLeast GoalDirection = iota
	// GoalAtMost succeeds when the value falls to the target or less.
	GoalAtMost
)

// AchievabilityOptions configures [Achievability].
type AchievabilityOptions struct {
	// Horizon is the number of periods h until the target date (>= 1).
	Horizon int
	// Change selects growth ratios or differences.
	Change ChangeKind
	// Direction selects "at least" or "at most" targets.
	Direction GoalDirection
}

// AchievabilityResult compares the change a target requires with the
// historical distribution of changes over the same horizon.
//
// The history is the overlapping windows x[t]→x[t+h] of the series, so
// consecutive changes share h-1 periods and are autocorrelated: N overstates
// the information content, and the empirical figures are descriptive rather
// than calibrated probabilities.
type AchievabilityResult struct {
	// Current is the last value of the series; Target is the goal.
	Current, Target float64
	// Required is the change the target needs over the horizon: growth
	// Target/Current - 1 for ChangeRatio, Target - Current for ChangeDifference.
	Required float64
	// RequiredPerPeriod is the compound per-period growth
	// (Target/Current)^{1/h} - 1 for ChangeRatio and Required/h for
	// ChangeDifference.
	RequiredPerPeriod float64
	// History holds the N = len(series) - h historical h-period changes,
	// oldest first.
	History []float64
	// HistMean and HistSD are the mean and sample standard deviation
	// (n - 1 denominator) of History; HistMin and HistMax its extremes.
	HistMean, HistSD, HistMin, HistMax float64
	// EmpiricalP is the share of historical changes that met the goal
	// (>= Required for GoalAtLeast, <= Required for GoalAtMost).
	EmpiricalP float64
	// Percentile locates Required within History, in percent (scipy's
	// percentileofscore kinds).
	Percentile PercentileRanks
	// Best is the most favourable historical change: HistMax for GoalAtLeast,
	// HistMin for GoalAtMost.
	Best float64
	// ExceedsBest reports a target beyond anything seen: Required > Best for
	// GoalAtLeast, Required < Best for GoalAtMost.
	ExceedsBest bool
	// RequiredToBest is Required/Best, e.g. 3.2 for "needs 3.2 times the best
	// growth ever seen" (values at or below 1 are within historical reach; a
	// negative value means no change is needed). NaN when Best does not point
	// in the goal direction (Best <= 0 for GoalAtLeast, >= 0 for GoalAtMost).
	RequiredToBest float64
	// PeriodMean and PeriodSD are the mean and sample standard deviation of
	// the one-period changes (simple growth x[t]/x[t-1] - 1 for ChangeRatio,
	// differences for ChangeDifference).
	PeriodMean, PeriodSD float64
	// LogMean and LogSD are the mean and sample standard deviation of the
	// one-period log growth ln(x[t]/x[t-1]); NaN for ChangeDifference.
	LogMean, LogSD float64
	// Z is a z-score of the requirement. For ChangeRatio it is per period:
	// (RequiredPerPeriod - PeriodMean)/PeriodSD. For ChangeDifference it is
	// over the horizon: (Required - HistMean)/HistSD.
	Z float64
	// ZLog is (ln(Target/Current) - h·LogMean)/(√h·LogSD): the requirement
	// as a z-score when log growth is i.i.d. normal. NaN for ChangeDifference.
	ZLog float64
	// PNormal is the probability of meeting the goal under a normal model:
	// from ZLog (normal on logs) for ChangeRatio and from Z (normal h-period
	// differences) for ChangeDifference.
	PNormal float64
}

// Achievability measures how demanding a target is for the series (oldest
// first, current value last) relative to its own history over the same
// horizon. It reproduces the empirical probability, scipy percentiles,
// z-scores and normal-on-logs probability of the reference computation.
//
// Errors wrap [ErrInvalidArgument] (horizon < 1, unknown kind or direction,
// non-finite target, or a non-positive value or target with ChangeRatio),
// [ErrNaN], [ErrTooFewObservations] (fewer than h + 2 observations, so fewer
// than two historical changes) and [ErrConstantSeries] (no variation, so no
// z-score).
func Achievability(series []float64, target float64, opt AchievabilityOptions) (AchievabilityResult, error) {
	var r AchievabilityResult
	h := opt.Horizon
	if h < 1 {
		return r, fmt.Errorf("achievability: %w: horizon %d < 1", ErrInvalidArgument, h)
	}
	if opt.Change != ChangeRatio && opt.Change != ChangeDifference {
		return r, fmt.Errorf("achievability: %w: unknown change kind %d", ErrInvalidArgument, int(opt.Change))
	}
	if opt.Direction != GoalAtLeast && opt.Direction != GoalAtMost {
		return r, fmt.Errorf("achievability: %w: unknown goal direction %d", ErrInvalidArgument, int(opt.Direction))
	}
	if math.IsNaN(target) || math.IsInf(target, 0) {
		return r, fmt.Errorf("achievability: %w: target %g is not finite", ErrInvalidArgument, target)
	}
	for i, v := range series {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return r, fmt.Errorf("achievability: %w at index %d", ErrNaN, i)
		}
		if opt.Change == ChangeRatio && v <= 0 {
			return r, fmt.Errorf("achievability: %w: growth ratios need positive values, got %g at index %d", ErrInvalidArgument, v, i)
		}
	}
	n := len(series)
	if n < h+2 {
		return r, fmt.Errorf("achievability: %w: %d observations give %d changes over %d periods, need at least 2",
			ErrTooFewObservations, n, max(n-h, 0), h)
	}
	ratio := opt.Change == ChangeRatio
	if ratio && target <= 0 {
		return r, fmt.Errorf("achievability: %w: growth ratios need a positive target, got %g", ErrInvalidArgument, target)
	}
	r.Current, r.Target = series[n-1], target
	change := func(from, to float64) float64 {
		if ratio {
			return to/from - 1
		}
		return to - from
	}
	r.History = make([]float64, n-h)
	for t := range r.History {
		r.History[t] = change(series[t], series[t+h])
	}
	period := make([]float64, n-1)
	for t := range period {
		period[t] = change(series[t], series[t+1])
	}
	r.HistMean, r.HistSD = achMeanSD(r.History)
	r.PeriodMean, r.PeriodSD = achMeanSD(period)
	if r.HistSD == 0 || r.PeriodSD == 0 {
		return r, fmt.Errorf("achievability: %w: the series has no variation over %d periods", ErrConstantSeries, h)
	}
	r.HistMin, r.HistMax = r.History[0], r.History[0]
	for _, v := range r.History {
		r.HistMin, r.HistMax = math.Min(r.HistMin, v), math.Max(r.HistMax, v)
	}

	r.Required = change(r.Current, target)
	met := 0
	for _, v := range r.History {
		if (opt.Direction == GoalAtLeast && v >= r.Required) || (opt.Direction == GoalAtMost && v <= r.Required) {
			met++
		}
	}
	r.EmpiricalP = float64(met) / float64(len(r.History))
	r.Percentile = PercentileOfScore(r.History, r.Required)

	r.RequiredToBest = math.NaN()
	if opt.Direction == GoalAtLeast {
		r.Best = r.HistMax
		r.ExceedsBest = r.Required > r.Best
		if r.Best > 0 {
			r.RequiredToBest = r.Required / r.Best
		}
	} else {
		r.Best = r.HistMin
		r.ExceedsBest = r.Required < r.Best
		if r.Best < 0 {
			r.RequiredToBest = r.Required / r.Best
		}
	}

	hf := float64(h)
	if ratio {
		r.RequiredPerPeriod = math.Pow(target/r.Current, 1/hf) - 1
		r.Z = (r.RequiredPerPeriod - r.PeriodMean) / r.PeriodSD
		logs := make([]float64, n-1)
		for t := range logs {
			logs[t] = math.Log(series[t+1]) - math.Log(series[t])
		}
		r.LogMean, r.LogSD = achMeanSD(logs)
		r.ZLog = (math.Log(target/r.Current) - hf*r.LogMean) / (math.Sqrt(hf) * r.LogSD)
		r.PNormal = achTail(r.ZLog, opt.Direction)
	} else {
		r.RequiredPerPeriod = r.Required / hf
		r.LogMean, r.LogSD, r.ZLog = math.NaN(), math.NaN(), math.NaN()
		r.Z = (r.Required - r.HistMean) / r.HistSD
		r.PNormal = achTail(r.Z, opt.Direction)
	}
	return r, nil
}

// HistoryQuantile returns the p-quantile of the historical h-period changes
// by method m (see [QuantileWith]).
func (r AchievabilityResult) HistoryQuantile(p float64, m QuantileMethod) float64 {
	s := append([]float64(nil), r.History...)
	sort.Float64s(s)
	return QuantileWith(s, p, m)
}

// achTail is P(Z >= z) for GoalAtLeast and P(Z <= z) for GoalAtMost.
func achTail(z float64, d GoalDirection) float64 {
	if d == GoalAtLeast {
		return NormalSurvival(z)
	}
	return NormalSurvival(-z)
}

// achMeanSD returns the mean and the sample standard deviation (n - 1
// denominator) of x, with the deviations taken from the mean as numpy does.
func achMeanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	ss := 0.0
	for _, v := range x {
		d := v - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}
