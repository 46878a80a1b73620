package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/kpitree/kpitree/check"
	"github.com/kpitree/kpitree/okr"
	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/smart"
)

var checkCmd = &command{
	name:    "check",
	summary: "lint a model (and its data, OKRs): structure, causal links, MECE, SMART, OKR rules",
	usage:   "check MODEL [--data FILE] [--okr FILE] [--fail-on error|warning|info|never] [--format text|json|sarif|github|...]",
	help: `Runs the checks of the check, smart and okr packages. An invalid model (a
syntax error, an unknown name, a cycle) is an error with its position: exit
2. Otherwise each finding has a severity (error, warning, info), a stable
rule code, the nodes involved, a message and a hint. With --data the checks
that need history run too (causal links tested on the data, numeric MECE,
duplicate series, every-KPI-met-but-KGI-missed); --okr FILE lints an OKR
set against the tree.

Exit 0 when no finding is at or above --fail-on (default error), 1 when one
is, 2 for invalid input.

--format github (the default when GITHUB_ACTIONS=true) writes workflow
commands (::error file=...,line=...::message) that GitHub shows as
annotations on the model file; sarif writes SARIF 2.1.0 for code scanning.

JSON shape: {"command":"check","model":NAME,"file":PATH,"counts":{"error":N,
"warning":N,"info":N},"rows":[{"rule","severity","nodes":[...],"message",
"hint","evidence":[{"name","value"}]}]}.`,
	example: `$ kpitree check examples/webshop/model.yaml --data examples/webshop/actuals.csv --fail-on warning
warning  structure.no-owner  [...]: ...
$ echo $?
1`,
	shared:  withData | withRange,
	formats: []string{"text", "json", "jsonl", "csv", "markdown", "sarif", "github"},
	args:    [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		failOn := fs.String("fail-on", "error", "exit 1 when a finding is at `severity` or above: error, warning, info or never")
		okrFile := fs.String("okr", "", "an OKR `file` to lint against the tree")
		var disable listFlag
		fs.Var(&disable, "disable", "turn off a `rule` or a rule prefix such as causal (repeatable)")
		return func(ctx context.Context, e *env, args []string) error {
			if err := oneOf("fail-on", *failOn, []string{"error", "warning", "info", "never"}); err != nil {
				return err
			}
			return runCheck(ctx, e, args[0], *okrFile, *failOn, disable)
		}
	},
}

func runCheck(ctx context.Context, e *env, path, okrFile, failOn string, disable []string) error {
	l, err := e.load(ctx, path, false)
	if err != nil {
		return err
	}
	var res *rollup.Result
	if l.data != nil {
		from, to, err := e.span(l)
		if err != nil {
			return err
		}
		if res, err = rollup.Evaluate(l.compiled, l.source(), from, to, rollup.Options{}); err != nil {
			return err
		}
	}
	rules := check.Rules{Disable: disable}
	findings, err := check.Run(l.compiled, res, check.Options{Rules: rules})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	sf, _ := smart.CheckModel(l.compiled, res, smart.Options{Rules: rules, Model: l.compiled, Data: res})
	findings = append(findings, sf...)
	if okrFile != "" {
		set, err := okr.LoadFile(okrFile)
		if err != nil {
			return err
		}
		findings = append(findings, okr.Lint(set, okr.Options{Model: l.compiled, Data: res, Rules: rules})...)
	}
	check.Sort(findings)

	format := e.format
	if !e.formatSet && e.getenv("GITHUB_ACTIONS") == "true" {
		format = "github"
	}
	counts := map[string]int{"error": 0, "warning": 0, "info": 0}
	for _, f := range findings {
		counts[f.Severity.String()]++
	}
	lines := nodeLines(path)
	switch format {
	case "json":
		err = writeCheckJSON(e, l, path, findings, counts)
	case "sarif":
		err = writeSARIF(e, path, findings, lines)
	case "github":
		err = writeGitHub(e, path, findings, lines)
	default:
		t := newTable("check", column{"severity", colStatus}, column{"rule", colText}, column{"nodes", colText}, column{"message", colText}, column{"hint", colText})
		t.meta = []kv{{"model", l.model.Name}, {"file", path}, {"counts", counts}}
		for _, f := range findings {
			t.add(textCell(f.Severity.String()), textCell(f.Rule), textCell(strings.Join(f.Nodes, ",")), textCell(f.Message), textCell(f.Hint))
		}
		if format == "text" && len(findings) == 0 {
			fmt.Fprintln(e.stdout, "no findings")
		} else {
			err = e.emit(t)
		}
		if format == "text" && len(findings) > 0 {
			e.notef("%d errors, %d warnings, %d infos", counts["error"], counts["warning"], counts["info"])
		}
	}
	if err != nil {
		return err
	}
	bar := map[string]check.Severity{"error": check.Error, "warning": check.Warning, "info": check.Info}[failOn]
	if failOn != "never" {
		n := 0
		for _, f := range findings {
			if f.Severity >= bar {
				n++
			}
		}
		if n > 0 {
			return fmt.Errorf("%d findings at or above %s (--fail-on %s): %w", n, failOn, failOn, errFindings)
		}
	}
	return nil
}

type findingJSON struct {
	check.Finding
	Nodes []string `json:"nodes"`
}

func writeCheckJSON(e *env, l *loaded, path string, findings check.Findings, counts map[string]int) error {
	rows := make([]findingJSON, len(findings))
	for i, f := range findings {
		rows[i] = findingJSON{f, f.Nodes}
		if rows[i].Nodes == nil {
			rows[i].Nodes = []string{}
		}
	}
	doc := struct {
		Command string         `json:"command"`
		Model   string         `json:"model"`
		File    string         `json:"file"`
		Counts  map[string]int `json:"counts"`
		Rows    []findingJSON  `json:"rows"`
	}{"check", l.model.Name, path, counts, rows}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// nodeLines maps each metric id to the line of the model file that
// declares it ("id: x"), for annotations. A model read from stdin has
// none.
func nodeLines(path string) map[string]int {
	out := map[string]int{}
	if path == "-" {
		return out
	}
	f, err := os.Open(path)
	if err != nil {
		return out
	}
	defer f.Close()
	re := regexp.MustCompile(`"?id"?\s*:\s*"?([A-Za-z_][A-Za-z0-9_]*)`)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		for _, m := range re.FindAllStringSubmatch(sc.Text(), -1) {
			if _, ok := out[m[1]]; !ok {
				out[m[1]] = n
			}
		}
	}
	return out
}

func findingLine(f check.Finding, lines map[string]int) int {
	for _, n := range f.Nodes {
		if l, ok := lines[n]; ok {
			return l
		}
	}
	return 1
}

// githubEscape escapes a workflow command's message or property.
func githubEscape(s string, property bool) string {
	r := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	s = r.Replace(s)
	if property {
		s = strings.NewReplacer(":", "%3A", ",", "%2C").Replace(s)
	}
	return s
}

func writeGitHub(e *env, path string, findings check.Findings, lines map[string]int) error {
	w := bufio.NewWriter(e.stdout)
	for _, f := range findings {
		level := map[check.Severity]string{check.Error: "error", check.Warning: "warning", check.Info: "notice"}[f.Severity]
		msg := f.Message
		if f.Hint != "" {
			msg += " (" + f.Hint + ")"
		}
		fmt.Fprintf(w, "::%s file=%s,line=%d,title=%s::%s\n", level, githubEscape(path, true), findingLine(f, lines), githubEscape(f.Rule, true), githubEscape(msg, false))
	}
	return w.Flush()
}

func writeSARIF(e *env, path string, findings check.Findings, lines map[string]int) error {
	type msg struct {
		Text string `json:"text"`
	}
	type rule struct {
		ID        string `json:"id"`
		ShortDesc msg    `json:"shortDescription"`
	}
	type region struct {
		StartLine int `json:"startLine"`
	}
	type artifact struct {
		URI string `json:"uri"`
	}
	type physical struct {
		Artifact artifact `json:"artifactLocation"`
		Region   region   `json:"region"`
	}
	type location struct {
		Physical physical `json:"physicalLocation"`
	}
	type result struct {
		RuleID     string         `json:"ruleId"`
		Level      string         `json:"level"`
		Message    msg            `json:"message"`
		Locations  []location     `json:"locations"`
		Properties map[string]any `json:"properties,omitempty"`
	}
	var rules []rule
	seen := map[string]bool{}
	results := []result{}
	for _, f := range findings {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			rules = append(rules, rule{f.Rule, msg{f.Rule}})
		}
		level := map[check.Severity]string{check.Error: "error", check.Warning: "warning", check.Info: "note"}[f.Severity]
		text := f.Message
		if f.Hint != "" {
			text += " (" + f.Hint + ")"
		}
		r := result{RuleID: f.Rule, Level: level, Message: msg{text},
			Locations: []location{{physical{artifact{path}, region{findingLine(f, lines)}}}}}
		if len(f.Nodes) > 0 {
			r.Properties = map[string]any{"nodes": f.Nodes}
		}
		results = append(results, r)
	}
	if rules == nil {
		rules = []rule{}
	}
	doc := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool":    map[string]any{"driver": map[string]any{"name": "kpitree", "informationUri": "https://github.com/kpitree/kpitree", "rules": rules}},
			"results": results,
		}},
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
