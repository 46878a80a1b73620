package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// Helpers shared by the scenario-analysis subcommands: whatif, seek,
// cascade, sensitivity, simulate and attribute.

// ratioUnit shows a relative change as a percentage in text output.
const ratioUnit = metric.Unit("ratio")

// openInput opens a file named on the command line; "-" is stdin, which
// may be read once.
func (e *env) openInput(flagName, name string) (io.Reader, string, error) {
	if name == "-" {
		if e.stdin == nil {
			return nil, "", usagef("--%s -: no standard input", flagName)
		}
		if slices.Contains(e.data, "-") {
			return nil, "", usagef("standard input (-) can be read only once: give --data or --%s as -, not both", flagName)
		}
		return e.stdin, "<stdin>", nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, "", fmt.Errorf("--%s: %w", flagName, err)
	}
	return bytes.NewReader(b), name, nil
}

// loadScenarioFiles reads the --scenarios files, bound to the model, and
// keeps the scenarios named in only (all if empty), in file order.
func (e *env) loadScenarioFiles(l *loaded, files, only []string) ([]*rollup.Scenario, error) {
	if len(files) == 0 {
		return nil, usagef("--scenarios FILE is required: a scenario file (kpiscenarios: \"1\"); 'kpitree schema scenarios' prints its JSON Schema")
	}
	var all []*rollup.Scenario
	var names []string
	for _, f := range files {
		r, name, err := e.openInput("scenarios", f)
		if err != nil {
			return nil, err
		}
		ss, err := rollup.LoadScenarios(r, name, l.compiled)
		if err != nil {
			return nil, err
		}
		for _, s := range ss {
			if slices.Contains(names, s.Name()) {
				return nil, usagef("scenario %q is defined in more than one --scenarios file; give each a distinct name", s.Name())
			}
			names = append(names, s.Name())
			all = append(all, s)
		}
	}
	if len(only) == 0 {
		return all, nil
	}
	var out []*rollup.Scenario
	for _, o := range splitList(only) {
		k := slices.Index(names, o)
		if k < 0 {
			return nil, usagef("--scenario %s: no such scenario in the files%s (they define %s)", o, didYouMean(o, names), strings.Join(names, ", "))
		}
		if !slices.Contains(out, all[k]) {
			out = append(out, all[k])
		}
	}
	return out, nil
}

// splitList splits repeatable, comma-separated flag values.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// metricID checks a metric id given on the command line.
func metricID(l *loaded, flagName, id string) (int, error) {
	i, ok := l.compiled.Index(id)
	if !ok {
		var all []string
		for k := range l.compiled.Len() {
			all = append(all, l.compiled.ID(k))
		}
		return 0, usagef("--%s %s: unknown metric%s", flagName, id, didYouMean(id, all))
	}
	return i, nil
}

// parseNumber parses a number of a flag value; "45e6", "45000000" and
// "45_000_000" are accepted.
func parseNumber(flagName, s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), "_", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, usagef("--%s: %q is not a finite number", flagName, s)
	}
	return v, nil
}

// parseAssign parses ID=VALUE, as in --target revenue=45000000.
func parseAssign(l *loaded, flagName, s string) (string, float64, error) {
	id, val, ok := strings.Cut(s, "=")
	if !ok {
		return "", 0, usagef("--%s %s: expected METRIC=VALUE, as in --%s revenue=45000000", flagName, s, flagName)
	}
	id = strings.TrimSpace(id)
	if _, err := metricID(l, flagName, id); err != nil {
		return "", 0, err
	}
	v, err := parseNumber(flagName, val)
	return id, v, err
}

// parseBounds parses LO..HI (either end may be empty: open).
func parseBounds(flagName, s string) (lo, hi float64, err error) {
	a, b, ok := strings.Cut(s, "..")
	if !ok {
		return 0, 0, usagef("--%s: bounds %q: expected LO..HI, as in 100000..500000 (an end may be left empty)", flagName, s)
	}
	lo, hi = math.Inf(-1), math.Inf(1)
	if strings.TrimSpace(a) != "" {
		if lo, err = parseNumber(flagName, a); err != nil {
			return
		}
	}
	if strings.TrimSpace(b) != "" {
		if hi, err = parseNumber(flagName, b); err != nil {
			return
		}
	}
	if !(lo < hi) {
		return 0, 0, usagef("--%s: bounds %s: the low end must be below the high end", flagName, s)
	}
	return lo, hi, nil
}

// session is the what-if session at period p: the data, with the named
// scenario applied if any.
func (e *env) session(l *loaded, sc *rollup.Scenario, p metric.Period) (*rollup.Session, error) {
	if sc != nil {
		return sc.Session(l.compiled, l.source(), p, rollup.Options{})
	}
	return rollup.NewSession(l.compiled, l.source(), p, rollup.Options{})
}

// hold pins derived metrics at their current value in s (--hold). An
// input is held by not making it a lever: it is an error to hold one.
func hold(l *loaded, s *rollup.Session, ids []string) error {
	for _, id := range splitList(ids) {
		i, err := metricID(l, "hold", id)
		if err != nil {
			return err
		}
		if l.compiled.IsInput(i) {
			return usagef("--hold %s: %s is an input; inputs that are not levers keep their values already", id, id)
		}
		v, _ := s.Value(id)
		if _, err := s.Set(id, v); err != nil {
			return err
		}
	}
	return nil
}

// downstream lists the derived metrics computed from node i (directly or
// not), in model order.
func downstream(c *tree.Compiled, i int) []int {
	seen := make([]bool, c.Len())
	queue := []int{i}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for u := range c.Users(n) {
			if !seen[u] {
				seen[u] = true
				queue = append(queue, u)
			}
		}
	}
	var out []int
	for k, ok := range seen {
		if ok && k != i {
			out = append(out, k)
		}
	}
	return out
}

// holdCandidates are the derived metrics between the levers and the
// target: computed from a lever, and used (directly or not) by the
// target. Holding one of them is how a target whose formulas cancel a
// lever's effect (revenue = visitors × orders/visitors × value) responds
// to it.
func holdCandidates(c *tree.Compiled, target int, levers []int) []int {
	var out []int
	for _, li := range levers {
		for _, k := range downstream(c, li) {
			if k == target || slices.Contains(out, k) || slices.Contains(levers, k) {
				continue
			}
			if slices.Contains(downstream(c, k), target) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// isCancel reports whether err says the target does not respond to the
// lever though its formulas use it.
func isCancel(err error) bool {
	return errors.Is(err, rollup.ErrNoPath) && strings.Contains(err.Error(), "cancels out")
}

// scenarioFormat is how --save writes a scenario file: JSON for a .json
// name, else YAML.
func scenarioFormat(name string) tree.Format {
	if strings.EqualFold(filepath.Ext(name), ".json") {
		return tree.JSON
	}
	return tree.YAML
}

// saveScenario writes scenarios to the file name (--save).
func saveScenario(name string, ss []*rollup.Scenario) error {
	var b bytes.Buffer
	if err := rollup.SaveScenarios(&b, ss, scenarioFormat(name)); err != nil {
		return err
	}
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--save: %w", err)
	}
	return nil
}

// unitOf is metric id's unit.
func unitOf(l *loaded, id string) metric.Unit {
	if i, ok := l.compiled.Index(id); ok {
		return l.compiled.Metric(i).Unit
	}
	return ""
}
