package check

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Severity ranks a finding.
type Severity uint8

const (
	// Info is worth knowing; nothing is wrong.
	Info Severity = iota + 1
	// Warning is a likely problem a person should look at.
	Warning
	// Error is a definite problem: the tree's logic or data is wrong.
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("Severity(%d)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	switch strings.ToLower(string(b)) {
	case "info":
		*s = Info
	case "warning", "warn":
		*s = Warning
	case "error":
		*s = Error
	default:
		return fmt.Errorf("check: unknown severity %q: want info, warning or error", b)
	}
	return nil
}

// Finding is one result of a check: a problem, or a fact worth knowing,
// about a model, its data, a goal or an OKR. Findings are not failures:
// an invalid model is an error from tree.Compile; a finding is what a
// valid model or its data tells a reviewer.
type Finding struct {
	// Rule is a stable code such as "structure.orphan-kpi" or
	// "smart.specific.vague"; see the package docs for the list.
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	// Nodes are the ids involved (metrics, objectives, key results), the
	// first being the one the finding is about.
	Nodes []string `json:"nodes,omitempty"`
	// Message is one sentence a manager understands.
	Message string `json:"message"`
	// Hint says how to fix it, when there is a fix.
	Hint string `json:"hint,omitempty"`
	// Evidence holds the numbers behind the finding, by name: statistics,
	// periods, predicate values in conflict. Values must marshal to JSON.
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Evidence is one named fact behind a finding.
type Evidence struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// E builds an Evidence.
func E(name string, value any) Evidence { return Evidence{Name: name, Value: value} }

func (f Finding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", f.Severity, f.Rule)
	if len(f.Nodes) > 0 {
		fmt.Fprintf(&b, " [%s]", strings.Join(f.Nodes, ", "))
	}
	b.WriteString(": " + f.Message)
	if f.Hint != "" {
		b.WriteString(" (" + f.Hint + ")")
	}
	return b.String()
}

// Get returns the value of the named evidence.
func (f Finding) Get(name string) (any, bool) {
	for _, e := range f.Evidence {
		if e.Name == name {
			return e.Value, true
		}
	}
	return nil, false
}

// Compare orders findings: most severe first, then by rule, then by nodes,
// then by message — a total, deterministic order.
func Compare(a, b Finding) int {
	if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	if c := slices.Compare(a.Nodes, b.Nodes); c != 0 {
		return c
	}
	return cmp.Compare(a.Message, b.Message)
}

// Sort sorts findings with Compare (stable).
func Sort(fs []Finding) { slices.SortStableFunc(fs, Compare) }

// Findings is a list of findings with helpers.
type Findings []Finding

// Max returns the highest severity present (0 if none).
func (fs Findings) Max() Severity {
	var m Severity
	for _, f := range fs {
		m = max(m, f.Severity)
	}
	return m
}

// Filter returns the findings of at least severity min.
func (fs Findings) Filter(min Severity) Findings {
	var out Findings
	for _, f := range fs {
		if f.Severity >= min {
			out = append(out, f)
		}
	}
	return out
}

// ByRule returns the findings whose rule equals rule or starts with rule+".".
func (fs Findings) ByRule(rule string) Findings {
	var out Findings
	for _, f := range fs {
		if f.Rule == rule || strings.HasPrefix(f.Rule, rule+".") {
			out = append(out, f)
		}
	}
	return out
}

// JSON marshals the findings as an indented JSON array (with "->" and
// "<" written as is, not HTML-escaped).
func (fs Findings) JSON() ([]byte, error) {
	if fs == nil {
		fs = Findings{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(fs); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Rules selects which rules run: a rule runs unless it (or a prefix of
// it, like "causal" for "causal.granger") is disabled, and — when Only is
// set — only if it or a prefix is listed there. The zero value runs every
// rule.
type Rules struct {
	Only    []string
	Disable []string
}

// Enabled reports whether rule runs.
func (r Rules) Enabled(rule string) bool {
	match := func(list []string) bool {
		for _, p := range list {
			if rule == p || strings.HasPrefix(rule, p+".") {
				return true
			}
		}
		return false
	}
	if match(r.Disable) {
		return false
	}
	return len(r.Only) == 0 || match(r.Only)
}
