package okr

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// Color is the colour of a Google-style grade.
type Color uint8

// The grade colours.
const (
	Red Color = iota + 1
	Yellow
	Green
)

func (c Color) String() string {
	switch c {
	case Red:
		return "red"
	case Yellow:
		return "yellow"
	case Green:
		return "green"
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler.
func (c Color) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Grade rounds progress to Google's scale of tenths and colours it:
// 0.0–0.3 red, 0.4–0.6 yellow, 0.7–1.0 green. NaN grades red.
func Grade(progress float64) (float64, Color) {
	if math.IsNaN(progress) {
		return 0, Red
	}
	g := math.Round(clamp01(progress)*10) / 10
	switch {
	case g >= 0.7:
		return g, Green
	case g >= 0.4:
		return g, Yellow
	}
	return g, Red
}

// Expected is the grade an objective is expected to reach: 1.0 when
// committed, 0.7 when aspirational.
func (o *Objective) Expected() float64 {
	if o.Aspirational {
		return 0.7
	}
	return 1
}

// Options configure Evaluate and Lint. AsOf is required by Evaluate; the
// other fields' zero values are the documented defaults.
type Options struct {
	// AsOf is the moment of the evaluation: check-ins after it are ignored.
	AsOf time.Time
	// Data is the evaluated KPI tree: key results bound to a metric take
	// their values from it (one point per period, dated at the period's
	// end), ahead of check-ins. Its model is the tree for Lint.
	Data *rollup.Result
	// Model is the KPI tree for Lint when Data is nil.
	Model *tree.Compiled
	// Thresholds of the pace (progress against time elapsed) for the
	// statuses; rollup's defaults (0.95 on track, 0.8 at risk).
	Thresholds rollup.Thresholds
	// Rules selects the rules that run.
	Rules check.Rules
	// ActivityWords are extra words marking activity-style key results,
	// added to the built-in English and Vietnamese lists.
	ActivityWords []string
	// StaleAfter is how old the last check-in may be before it is
	// reported; default 14 days (OKRs are checked in weekly).
	StaleAfter time.Duration
}

func (opt Options) model() *tree.Compiled {
	if opt.Model != nil {
		return opt.Model
	}
	if opt.Data != nil {
		return opt.Data.Compiled()
	}
	return nil
}

// Report is the state of a set of OKRs at a moment.
type Report struct {
	AsOf       time.Time         `json:"as_of"`
	Objectives []ObjectiveReport `json:"objectives"`
	// Findings of Lint and of the evaluation, sorted.
	Findings check.Findings `json:"findings"`
}

// Objective returns the report of objective id, or nil.
func (r *Report) Objective(id string) *ObjectiveReport {
	for i := range r.Objectives {
		if r.Objectives[i].ID == id {
			return &r.Objectives[i]
		}
	}
	return nil
}

// ObjectiveReport is one objective's standing.
type ObjectiveReport struct {
	ID    string        `json:"id"`
	Cycle metric.Period `json:"cycle"`
	// Elapsed is the share of the cycle gone at AsOf.
	Elapsed float64 `json:"elapsed"`
	// Progress is the weighted mean of the progress of the key results
	// that have one (NaN if none has).
	Progress float64 `json:"progress"`
	// Grade and Color are Google's grade of Progress; Expected is the
	// grade the objective is expected to reach (1.0 or 0.7).
	Grade    float64 `json:"grade"`
	Color    Color   `json:"color"`
	Expected float64 `json:"expected"`
	// Status paces Progress against Elapsed.
	Status rollup.Status `json:"status"`
	// Rolled is Progress rolled up through the alignment tree: the
	// weighted mean of the objective's own progress (weight 1) and the
	// rolled progress of the objectives aligned to it or to its key
	// results (by their weights).
	Rolled     float64    `json:"rolled"`
	KeyResults []KRReport `json:"key_results"`
}

// KRReport is one key result's standing.
type KRReport struct {
	ID string `json:"id"`
	// Current is the latest value (NaN if none) dated At.
	Current float64   `json:"current"`
	At      time.Time `json:"at"`
	// Progress is 0..1 (NaN if it cannot be computed; see Note).
	Progress float64       `json:"progress"`
	Status   rollup.Status `json:"status"`
	// Confidence of the latest check-in that gave one (NaN if none).
	Confidence float64 `json:"confidence"`
	// Forecast to the end of the cycle, when the trend can be fitted.
	Forecast *Forecast `json:"forecast,omitempty"`
	Note     string    `json:"note,omitempty"`
}

// The rule codes of Evaluate (see also Lint).
const (
	RuleNoChange        = "okr.kr.no-change"
	RuleStale           = "okr.checkin.stale"
	RuleOffTrack        = "okr.status.off-track"
	RuleAtRisk          = "okr.status.at-risk"
	RuleCommittedMissed = "okr.grade.committed-missed"
	RuleSandbagged      = "okr.grade.sandbagged"
	RuleUnlikely        = "okr.forecast.unlikely"
)

// Evaluate measures every key result and objective of s at opt.AsOf and
// adds the findings of Lint. It fails only for an invalid set
// (Set.Validate) or a zero AsOf; a key result without value or with
// baseline equal to target is reported in its Note and as a finding.
func Evaluate(s *Set, opt Options) (*Report, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if opt.AsOf.IsZero() {
		return nil, fmt.Errorf("okr: evaluate: Options.AsOf is required")
	}
	rep := &Report{AsOf: opt.AsOf}
	var fs check.Findings
	add := func(f check.Finding) {
		if opt.Rules.Enabled(f.Rule) {
			fs = append(fs, f)
		}
	}
	th := opt.Thresholds
	if th.OnTrack == 0 {
		th.OnTrack = 0.95
	}
	if th.AtRisk == 0 {
		th.AtRisk = 0.8
	}
	stale := opt.StaleAfter
	if stale == 0 {
		stale = 14 * 24 * time.Hour
	}
	for oi := range s.Objectives {
		o := &s.Objectives[oi]
		cycle := s.CycleOf(o)
		or := ObjectiveReport{ID: o.ID, Cycle: cycle, Elapsed: cycle.Elapsed(opt.AsOf), Expected: o.Expected()}
		sum, wsum := 0.0, 0.0
		for ki := range o.KeyResults {
			kr := &o.KeyResults[ki]
			r := evalKR(kr, cycle, or.Elapsed, opt, th)
			if errors.Is(r.err, ErrNoChange) {
				add(check.Finding{Rule: RuleNoChange, Severity: check.Error, Nodes: []string{kr.ID, o.ID},
					Message: fmt.Sprintf("Key result %q starts at its target (%g): its progress is undefined.", kr.ID, kr.To),
					Hint:    "Set a baseline different from the target, or make it a \"stay at or above/below\" key result."})
			}
			if last, ok := lastCheckIn(kr, opt.AsOf); ok && kr.Metric == "" && or.Elapsed < 1 && opt.AsOf.Sub(last) > stale {
				add(check.Finding{Rule: RuleStale, Severity: check.Warning, Nodes: []string{kr.ID, o.ID},
					Message: fmt.Sprintf("Key result %q was last checked in on %s, %d days before %s.", kr.ID, last.Format(time.DateOnly), int(opt.AsOf.Sub(last).Hours()/24), opt.AsOf.Format(time.DateOnly)),
					Hint:    "Check in weekly: a value, a confidence and a note."})
			}
			switch {
			case or.Elapsed >= 1:
				// graded instead: see RuleCommittedMissed
			case r.Status == rollup.OffTrack:
				add(check.Finding{Rule: RuleOffTrack, Severity: check.Warning, Nodes: []string{kr.ID, o.ID},
					Message:  fmt.Sprintf("Key result %q is off track: progress %.0f%% with %.0f%% of the cycle gone.", kr.ID, 100*r.Progress, 100*or.Elapsed),
					Hint:     "Review the initiatives behind it, or renegotiate the target.",
					Evidence: []check.Evidence{check.E("progress", r.Progress), check.E("elapsed", or.Elapsed)}})
			case r.Status == rollup.AtRisk:
				add(check.Finding{Rule: RuleAtRisk, Severity: check.Info, Nodes: []string{kr.ID, o.ID},
					Message:  fmt.Sprintf("Key result %q is at risk: progress %.0f%% with %.0f%% of the cycle gone.", kr.ID, 100*r.Progress, 100*or.Elapsed),
					Evidence: []check.Evidence{check.E("progress", r.Progress), check.E("elapsed", or.Elapsed)}})
			}
			if f := r.Forecast; f != nil && or.Elapsed < 1 && f.Probability < 0.2 && r.Status != rollup.Achieved {
				add(check.Finding{Rule: RuleUnlikely, Severity: check.Info, Nodes: []string{kr.ID, o.ID},
					Message:  fmt.Sprintf("At the current trend key result %q ends near %.4g against a target of %g (probability %.0f%%).", kr.ID, f.Value, f.Target, 100*f.Probability),
					Evidence: []check.Evidence{check.E("forecast", f.Value), check.E("probability", f.Probability)}})
			}
			if !math.IsNaN(r.Progress) {
				w := weight(kr.Weight)
				sum += w * r.Progress
				wsum += w
			}
			or.KeyResults = append(or.KeyResults, r.KRReport)
		}
		or.Progress = math.NaN()
		if wsum > 0 {
			or.Progress = sum / wsum
		}
		or.Grade, or.Color = Grade(or.Progress)
		or.Status = paceStatus(or.Progress, or.Elapsed, th)
		if or.Elapsed >= 1 && !math.IsNaN(or.Progress) {
			if !o.Aspirational && or.Grade < 1 {
				add(check.Finding{Rule: RuleCommittedMissed, Severity: check.Warning, Nodes: []string{o.ID},
					Message: fmt.Sprintf("Committed objective %q ended at %.1f; committed OKRs are expected at 1.0.", o.ID, or.Grade),
					Hint:    "Review what blocked it; a committed OKR missed is a planning or resourcing problem."})
			}
			if o.Aspirational && or.Grade >= 1 {
				add(check.Finding{Rule: RuleSandbagged, Severity: check.Info, Nodes: []string{o.ID},
					Message: fmt.Sprintf("Aspirational objective %q ended at 1.0; aspirational OKRs are expected near 0.7.", o.ID),
					Hint:    "Set more ambitious key results next cycle, or make it committed."})
			}
		}
		rep.Objectives = append(rep.Objectives, or)
	}
	rollUp(s, rep)
	fs = append(fs, Lint(s, opt)...)
	check.Sort(fs)
	rep.Findings = fs
	return rep, nil
}

type krEval struct {
	KRReport
	err error
}

// points returns the dated values of kr up to asOf within the cycle:
// from the bound metric's series when data has it, else from check-ins.
func points(kr *KeyResult, cycle metric.Period, opt Options) []Point {
	var pts []Point
	if kr.Metric != "" && opt.Data != nil {
		s := opt.Data.Series(kr.Metric)
		for p, v := range s.All() {
			if p.End().After(opt.AsOf) || !p.Start().Before(cycle.End()) || p.End().Before(cycle.Start()) {
				continue
			}
			pts = append(pts, Point{Date: p.End(), Value: v})
		}
		if len(pts) > 0 {
			return pts
		}
	}
	for _, c := range kr.CheckIns {
		if !c.Date.After(opt.AsOf) {
			pts = append(pts, Point{Date: c.Date, Value: c.Value})
		}
	}
	slices.SortStableFunc(pts, func(a, b Point) int { return a.Date.Compare(b.Date) })
	return pts
}

func lastCheckIn(kr *KeyResult, asOf time.Time) (time.Time, bool) {
	var last time.Time
	for _, c := range kr.CheckIns {
		if !c.Date.After(asOf) && c.Date.After(last) {
			last = c.Date
		}
	}
	return last, !last.IsZero()
}

func evalKR(kr *KeyResult, cycle metric.Period, elapsed float64, opt Options, th rollup.Thresholds) krEval {
	r := krEval{KRReport: KRReport{ID: kr.ID, Current: math.NaN(), Progress: math.NaN(), Confidence: math.NaN()}}
	var latestConf time.Time
	for _, c := range kr.CheckIns {
		if c.Confidence != nil && !c.Date.After(opt.AsOf) && !c.Date.Before(latestConf) {
			r.Confidence, latestConf = *c.Confidence, c.Date
		}
	}
	pts := points(kr, cycle, opt)
	switch {
	case kr.Kind == Binary && kr.Done:
		r.Current = 1
	case kr.Kind == Milestone && len(kr.Milestones) > 0:
		done := 0
		for _, st := range kr.Milestones {
			if st.Done {
				done++
			}
		}
		r.Current = float64(done)
	case len(pts) > 0:
		last := pts[len(pts)-1]
		r.Current, r.At = last.Value, last.Date
	}
	p, err := kr.Progress(r.Current)
	r.err = err
	if err != nil {
		r.Note = err.Error()
		r.Status = rollup.NoData
		return r
	}
	r.Progress = p
	switch kr.Kind {
	case AtLeast, AtMost:
		switch {
		case p < 1:
			r.Status = rollup.OffTrack
		case elapsed >= 1:
			r.Status = rollup.Achieved
		default:
			r.Status = rollup.OnTrack
		}
	case Binary:
		switch {
		case p >= 1:
			r.Status = rollup.Achieved
		case elapsed >= 1:
			r.Status = rollup.OffTrack
		default:
			r.Status = rollup.OnTrack
		}
	default:
		r.Status = paceStatus(p, elapsed, th)
	}
	if r.Status == rollup.OnTrack && !math.IsNaN(r.Confidence) && r.Confidence < 0.5 {
		r.Status = rollup.AtRisk
		r.Note = fmt.Sprintf("confidence %.0f%% lowers the status", 100*r.Confidence)
	}
	if kr.Kind == Measured || kr.Kind == AtLeast || kr.Kind == AtMost {
		if f, err := Trend(pts, cycle.End(), kr.To, kr.increasing()); err == nil {
			r.Forecast = &f
		}
	}
	return r
}

// paceStatus compares progress with the share of the cycle elapsed.
func paceStatus(p, elapsed float64, th rollup.Thresholds) rollup.Status {
	switch {
	case math.IsNaN(p):
		return rollup.NoData
	case p >= 1:
		return rollup.Achieved
	case elapsed >= 1:
		return rollup.OffTrack
	case elapsed <= 0:
		return rollup.OnTrack
	}
	pace := p / elapsed
	switch {
	case pace >= th.OnTrack:
		return rollup.OnTrack
	case pace >= th.AtRisk:
		return rollup.AtRisk
	}
	return rollup.OffTrack
}

// rollUp fills ObjectiveReport.Rolled through the alignment tree. An
// objective on an alignment cycle counts its own progress only. It runs
// in O(objectives), children before parents, without recursion.
func rollUp(s *Set, rep *Report) {
	parentObj := alignmentParents(s)
	n := len(s.Objectives)
	children := make([][]int, n)
	for i, p := range parentObj {
		if p >= 0 {
			children[p] = append(children[p], i)
		}
	}
	onCycle := alignmentCycles(parentObj)
	// pending[i]: children of i not rolled yet. A child of an objective
	// off every cycle is off every cycle too.
	pending := make([]int, n)
	var ready []int
	for i := range n {
		if onCycle[i] {
			rep.Objectives[i].Rolled = rep.Objectives[i].Progress
			continue
		}
		pending[i] = len(children[i])
		if pending[i] == 0 {
			ready = append(ready, i)
		}
	}
	for len(ready) > 0 {
		i := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		or := &rep.Objectives[i]
		sum, wsum := 0.0, 0.0
		if !math.IsNaN(or.Progress) {
			sum, wsum = or.Progress, 1
		}
		for _, c := range children[i] {
			if v := rep.Objectives[c].Rolled; !math.IsNaN(v) {
				w := weight(s.Objectives[c].Weight)
				sum += w * v
				wsum += w
			}
		}
		or.Rolled = math.NaN()
		if wsum > 0 {
			or.Rolled = sum / wsum
		}
		if p := parentObj[i]; p >= 0 && !onCycle[p] {
			if pending[p]--; pending[p] == 0 {
				ready = append(ready, p)
			}
		}
	}
}

// alignmentCycles marks the objectives whose parents lead back to
// themselves, in O(objectives): each is visited once.
func alignmentCycles(parent []int) []bool {
	n := len(parent)
	onCycle := make([]bool, n)
	walk := make([]int, n) // the walk that first visited each objective, +1
	for start := range n {
		if walk[start] != 0 {
			continue
		}
		k := start
		for k >= 0 && walk[k] == 0 {
			walk[k] = start + 1
			k = parent[k]
		}
		if k >= 0 && walk[k] == start+1 { // this walk closed a loop at k
			for j := k; ; {
				onCycle[j] = true
				if j = parent[j]; j == k {
					break
				}
			}
		}
	}
	return onCycle
}

// alignmentParents maps each objective to the index of the objective it
// aligns to (directly, or through one of that objective's key results),
// or -1.
func alignmentParents(s *Set) []int {
	owner := map[string]int{}
	for i, o := range s.Objectives {
		owner[o.ID] = i
		for _, kr := range o.KeyResults {
			owner[kr.ID] = i
		}
	}
	out := make([]int, len(s.Objectives))
	for i, o := range s.Objectives {
		out[i] = -1
		if p, ok := owner[o.Parent]; ok && o.Parent != "" && p != i {
			out[i] = p
		}
	}
	return out
}
