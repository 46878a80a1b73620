package smart

import (
	"embed"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/internal/words"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// The rule codes Check reports.
const (
	RuleNoMetric       = "smart.specific.no-metric"
	RuleNoOwner        = "smart.specific.no-owner"
	RuleVague          = "smart.specific.vague"
	RuleNoTarget       = "smart.measurable.no-target"
	RuleNoUnit         = "smart.measurable.no-unit"
	RuleNoBaseline     = "smart.measurable.no-baseline"
	RuleNoDirection    = "smart.measurable.no-direction"
	RuleNoSource       = "smart.measurable.no-source"
	RuleNoFrequency    = "smart.measurable.no-frequency"
	RuleNoHistory      = "smart.achievable.no-history"
	RuleBeyondBest     = "smart.achievable.beyond-best"
	RuleUnlikely       = "smart.achievable.unlikely"
	RuleNoStretch      = "smart.achievable.no-stretch"
	RuleAchievableOK   = "smart.achievable.ok"
	RuleNoModel        = "smart.relevant.no-model"
	RuleUnknownMetric  = "smart.relevant.unknown-metric"
	RuleNoPathToKGI    = "smart.relevant.no-path"
	RuleNoDeadline     = "smart.timebound.no-deadline"
	RuleDeadlinePassed = "smart.timebound.passed"
)

//go:embed words/*.txt
var wordFiles embed.FS

// VagueWords returns the built-in vague words and phrases for a language
// ("en" or "vi"), lower-case, in file order; nil for other languages.
func VagueWords(lang string) []string {
	return words.Load(wordFiles, "words/vague_"+lang+".txt")
}

var builtinVague = append(VagueWords("en"), VagueWords("vi")...)

// Options configure [Check] and [CheckModel]. The zero value checks every
// letter with the built-in word lists, without a tree (Relevant is then
// unknown) and with history only from Goal.History.
type Options struct {
	// Rules selects the rules that run (zero: all).
	Rules check.Rules
	// VagueWords are extra vague words or phrases, in any language, added
	// to the built-in English and Vietnamese lists.
	VagueWords []string
	// Model is the KPI tree for the Relevant check.
	Model *tree.Compiled
	// Data supplies the metric's history when Goal.History is nil.
	Data *rollup.Result
	// Change forces how growth is measured for Achievable; by default
	// (ChangeAuto) ratios, rates and percentages (and series with values
	// at or below zero) use differences and other units use growth ratios.
	Change Change
	// Unlikely is the probability of reaching the target below which the
	// goal is reported unlikely. Default 0.1.
	Unlikely float64
}

// Change says how the Achievable check measures change over the horizon.
type Change uint8

const (
	// ChangeAuto picks differences for ratios and percentages, growth
	// ratios otherwise.
	ChangeAuto Change = iota
	// ChangeRatio measures growth x[t+h]/x[t] - 1.
	ChangeRatio
	// ChangeDifference measures x[t+h] - x[t].
	ChangeDifference
)

// Scores are the score of each SMART letter, from 0 (fails) to 1 (meets
// it), and their mean.
type Scores struct {
	Specific   float64 `json:"specific"`
	Measurable float64 `json:"measurable"`
	Achievable float64 `json:"achievable"`
	Relevant   float64 `json:"relevant"`
	TimeBound  float64 `json:"time_bound"`
	Overall    float64 `json:"overall"`
}

// Report is the SMART review of one goal.
type Report struct {
	// Goal is the goal reviewed.
	Goal Goal `json:"-"`
	// ID is the goal's id.
	ID       string         `json:"id"`
	Findings check.Findings `json:"findings"`
	Scores   Scores         `json:"scores"`
	// Achievability is set when the history allowed the Achievable check.
	Achievability *Achievability `json:"achievability,omitempty"`
	// Path is the chain of metric ids from the goal's metric up to a KGI,
	// when the Relevant check found one.
	Path []string `json:"path,omitempty"`
}

// Check reviews goal g against each SMART letter. It never fails: every
// problem, including history too short to judge, is a finding. The
// findings are sorted with check.Sort.
func Check(g Goal, opt Options) Report {
	r := Report{Goal: g, ID: g.id()}
	c := &checker{g: g, opt: opt, r: &r}
	r.Scores.Specific = c.specific()
	r.Scores.Measurable = c.measurable()
	r.Scores.Achievable = c.achievable()
	r.Scores.Relevant = c.relevant()
	r.Scores.TimeBound = c.timeBound()
	s := r.Scores
	r.Scores.Overall = (s.Specific + s.Measurable + s.Achievable + s.Relevant + s.TimeBound) / 5
	check.Sort(r.Findings)
	return r
}

type checker struct {
	g   Goal
	opt Options
	r   *Report
}

func (c *checker) add(rule string, sev check.Severity, msg, hint string, ev ...check.Evidence) {
	if !c.opt.Rules.Enabled(rule) {
		return
	}
	nodes := []string{c.g.id()}
	if c.g.Metric != "" && c.g.Metric != c.g.id() {
		nodes = append(nodes, c.g.Metric)
	}
	c.r.Findings = append(c.r.Findings, check.Finding{Rule: rule, Severity: sev, Nodes: nodes, Message: msg, Hint: hint, Evidence: ev})
}

// score is the share of passed criteria.
func score(passed, total int) float64 { return float64(passed) / float64(total) }

func (c *checker) specific() float64 {
	g, pass := c.g, 0
	if g.Metric != "" {
		pass++
	} else {
		c.add(RuleNoMetric, check.Error, fmt.Sprintf("Goal %q names no metric.", g.id()),
			"Name the indicator the goal is measured by (revenue, conversion_rate).")
	}
	if g.Owner != "" {
		pass++
	} else {
		c.add(RuleNoOwner, check.Warning, fmt.Sprintf("Goal %q has no owner.", g.id()),
			"Name the person or team who answers for it.")
	}
	if words := VagueIn(g.Statement, c.opt.VagueWords...); len(words) > 0 && !hasQuantity(g.Statement) {
		c.add(RuleVague, check.Error,
			fmt.Sprintf("%q is vague: %s with no number.", g.Statement, quoteList(words)),
			"State the metric, the number to reach and by when: \"revenue 100,000 USD by 2027-Q4\".",
			check.E("words", words))
	} else {
		pass++
	}
	return score(pass, 3)
}

func (c *checker) measurable() float64 {
	g, pass := c.g, 0
	type crit struct {
		ok         bool
		rule, what string
		sev        check.Severity
		hint       string
	}
	crits := []crit{
		{g.Target != nil && !math.IsNaN(*g.Target) && !math.IsInf(*g.Target, 0), RuleNoTarget, "a numeric target", check.Error, "Give the number to reach."},
		{g.Unit != "", RuleNoUnit, "a unit", check.Warning, "Say what the number counts: USD, visits, percent, minutes."},
		{g.Baseline != nil || c.history() != nil, RuleNoBaseline, "a baseline", check.Warning, "Record the value the goal starts from, or provide the metric's history."},
		{g.Direction != nil, RuleNoDirection, "a direction", check.Warning, "Say whether higher or lower is better, or whether the target is a ceiling or a floor."},
		{g.Source != "", RuleNoSource, "a data source", check.Warning, "Name the system or tool the value comes from."},
		{g.Frequency != 0, RuleNoFrequency, "a measurement frequency", check.Warning, "Say how often it is measured: daily, weekly, monthly."},
	}
	for _, k := range crits {
		if k.ok {
			pass++
			continue
		}
		c.add(k.rule, k.sev, fmt.Sprintf("Goal %q has no %s.", g.id(), strings.TrimPrefix(strings.TrimPrefix(k.what, "a "), "an ")), k.hint)
	}
	return score(pass, len(crits))
}

func (c *checker) timeBound() float64 {
	g := c.g
	d := g.DeadlineTime()
	if d.IsZero() {
		c.add(RuleNoDeadline, check.Error, fmt.Sprintf("Goal %q has no deadline or period.", g.id()),
			"Give a period (2026-Q3) or a deadline.")
		return 0
	}
	if h := c.history(); h != nil {
		if last, ok := h.Last(); ok && !last.End().Before(d) && !last.End().Equal(d) {
			c.add(RuleDeadlinePassed, check.Warning,
				fmt.Sprintf("The deadline of goal %q (%s) is before the last observation (%s).", g.id(), d.Format("2006-01-02"), last),
				"Set a deadline in the future.",
				check.E("deadline", d.Format("2006-01-02")), check.E("last_observation", last.String()))
			return 0.5
		}
	}
	return 1
}

func (c *checker) history() *metric.Series {
	if c.g.History != nil {
		return c.g.History
	}
	if c.opt.Data != nil && c.g.Metric != "" {
		if s := c.opt.Data.Series(c.g.Metric); s.Len() > 0 {
			return s
		}
	}
	return nil
}

// relevant looks for a path from the goal's metric up to a KGI through
// formulas (a metric used by another), declared links (cause to effect)
// and decompositions (segment to parent).
func (c *checker) relevant() float64 {
	g, m := c.g, c.opt.Model
	if m == nil {
		if g.Objective != "" {
			return 1
		}
		c.add(RuleNoModel, check.Info, fmt.Sprintf("Relevance of goal %q is not checked: no KPI tree given.", g.id()),
			"Pass the compiled tree in Options.Model, or align the goal with an objective.")
		return 0.5
	}
	if g.Metric == "" {
		if g.Objective != "" {
			return 1
		}
		return 0
	}
	i, ok := m.Index(g.Metric)
	if !ok {
		if g.Objective != "" {
			return 1
		}
		c.add(RuleUnknownMetric, check.Warning, fmt.Sprintf("Metric %q of goal %q is not in the tree.", g.Metric, g.id()),
			"Add the metric to the tree and connect it to a KGI.")
		return 0
	}
	if path := PathToKGI(m, i); path != nil {
		c.r.Path = path
		return 1
	}
	if g.Objective != "" {
		return 1
	}
	c.add(RuleNoPathToKGI, check.Warning,
		fmt.Sprintf("Metric %q has no path to a KGI: reaching goal %q moves no business goal.", g.Metric, g.id()),
		"Connect it to a KGI with a formula, a causal link or a decomposition, or drop the goal.")
	return 0
}

// PathToKGI returns the shortest chain of metric ids from node i up to a
// KGI of c (i itself first, the KGI last), following formulas (to the
// metrics that use i), declared links (to their effects) and
// decompositions (to the parent). It returns nil if there is none; a KGI's
// path is itself. Ties are broken by declaration order.
func PathToKGI(c *tree.Compiled, i int) []string {
	path := c.PathUp(i, func(j int) bool { return c.Metric(j).Kind == metric.KGI })
	if path == nil {
		return nil
	}
	ids := make([]string, len(path))
	for k, j := range path {
		ids[k] = c.ID(j)
	}
	return ids
}

// VagueIn returns the vague words and phrases of the built-in English and
// Vietnamese lists, plus extra, that occur in text as whole words
// (case-insensitive), longest first and each once.
func VagueIn(text string, extra ...string) []string {
	words := tokens(text)
	if len(words) == 0 {
		return nil
	}
	joined := " " + strings.Join(words, " ") + " "
	list := append(slices.Clone(builtinVague), extra...)
	slices.SortStableFunc(list, func(a, b string) int { return len(b) - len(a) })
	var out []string
	for _, w := range list {
		p := strings.Join(tokens(w), " ")
		if p == "" || slices.Contains(out, p) {
			continue
		}
		if strings.Contains(joined, " "+p+" ") {
			covered := false
			for _, o := range out {
				if strings.Contains(" "+o+" ", " "+p+" ") {
					covered = true
					break
				}
			}
			if !covered {
				out = append(out, p)
			}
		}
	}
	return out
}

// tokens lower-cases s, composes its Vietnamese letters (NFC) and splits
// it into words of letters, digits, '-' and '\”.
func tokens(s string) []string { return words.Tokens(s) }

// periodToken matches a token that names a period rather than a quantity:
// a quarter or half (q3, h1), or a dated period (2026-q3, 2026-03,
// 2027-03-31, 2026-w12).
var periodToken = regexp.MustCompile(`^(q[1-4]|h[12]|(19|20)\d\d-(q[1-4]|h[12]|w?\d{1,2}(-\d{1,2})?))$`)

// yearToken matches a bare year.
var yearToken = regexp.MustCompile(`^(19|20)\d\d$`)

// timeWords introduce a bare year as a date ("in 2026", "trong năm 2026").
// "by" and "đến" are left out: "increase by 2000" is a quantity.
var timeWords = []string{"in", "before", "until", "till", "during", "năm", "vào", "trước", "trong", "cuối"}

// hasQuantity reports whether s holds a number other than a date: the
// digits of a deadline ("in 2026", "by Q3", "2026-Q3") do not make a
// vague statement specific.
func hasQuantity(s string) bool {
	ws := tokens(s)
	for k, w := range ws {
		if !strings.ContainsFunc(w, unicode.IsDigit) || periodToken.MatchString(w) {
			continue
		}
		if yearToken.MatchString(w) && k > 0 && slices.Contains(timeWords, ws[k-1]) {
			continue
		}
		return true
	}
	return false
}

func quoteList(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = fmt.Sprintf("%q", w)
	}
	return strings.Join(q, ", ")
}
