package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kpitree/kpitree/internal/formula"
	"go.yaml.in/yaml/v3"
)

// ---- paths ----

// identRE matches the keys that Key writes without quotes.
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Key returns the path of key in the mapping at path: "a.b", or a["x y"]
// for a key that is not an identifier.
func Key(path, key string) string {
	if !identRE.MatchString(key) {
		key = strconv.Quote(key)
		if path == "" {
			return "[" + key + "]"
		}
		return path + "[" + key + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index returns the path of item i of the list at path: "a[3]".
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Walk calls visit for n and its descendants in document order with their
// paths (a mapping's key and value both get the key's path), skipping the
// descendants of a node for which visit returns false.
func Walk(n *yaml.Node, path string, visit func(n *yaml.Node, path string) bool) {
	if !visit(n, path) {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := path
			if n.Content[i].Kind == yaml.ScalarNode {
				p = Key(path, n.Content[i].Value)
			}
			Walk(n.Content[i], p, visit)
			Walk(n.Content[i+1], p, visit)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			Walk(c, Index(path, i), visit)
		}
	}
}

// ---- descriptions ----

// Describe names what node n is, for "expected X, found Y" messages:
// "a mapping" (JSON: "an object"), "a list" (JSON: "an array"), `a string
// ("x")`, "an integer (3)", "a number (2.5)", "a boolean (true)", "null".
func (d *Decoder) Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return d.MapWord()
	case yaml.SequenceNode:
		return d.ListWord()
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str", "!!timestamp":
			return fmt.Sprintf("a string (%s)", Quote(n.Value))
		case "!!int":
			return "an integer (" + Short(n.Value) + ")"
		case "!!float":
			return "a number (" + Short(n.Value) + ")"
		case "!!bool":
			return "a boolean (" + n.Value + ")"
		case "!!null":
			return "null"
		}
		return "a value tagged " + n.ShortTag()
	}
	return "nothing"
}

// MapWord is "a mapping", or "an object" in JSON.
func (d *Decoder) MapWord() string {
	if d.JSON {
		return "an object"
	}
	return "a mapping"
}

// ListWord is "a list", or "an array" in JSON.
func (d *Decoder) ListWord() string {
	if d.JSON {
		return "an array"
	}
	return "a list"
}

// Short cuts s to 40 characters for a message ("..." ends a cut).
func Short(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		return string(r[:37]) + "..."
	}
	return s
}

// Quote is strconv.Quote(Short(s)).
func Quote(s string) string { return strconv.Quote(Short(s)) }

// At names the position of first relative to a later node: "line 4", or
// "line 1, column 18" if both are on the same line.
func At(first, later *yaml.Node) string {
	if first.Line == later.Line {
		return fmt.Sprintf("line %d, column %d", first.Line, first.Column)
	}
	return fmt.Sprintf("line %d", first.Line)
}

// ContentPos returns the line and column of the first character of
// scalar n's text: after the opening quote of a quoted scalar, on the
// first content line of a block scalar.
func (d *Decoder) ContentPos(n *yaml.Node) (line, col int) {
	line, col = n.Line, n.Column
	switch {
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		col++
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		starts := d.lineStarts()
		for l := n.Line; l < len(starts); l++ { // starts[l] begins line l+1
			end := len(d.Data)
			if l+1 < len(starts) {
				end = starts[l+1] - 1
			}
			text := bytes.TrimRight(d.Data[starts[l]:end], "\r")
			t := bytes.TrimLeft(text, " ")
			if len(t) > 0 {
				return l + 1, len(text) - len(t) + 1
			}
		}
	}
	return line, col
}

// lineStarts returns the offsets at which the lines of d.Data start,
// computed once.
func (d *Decoder) lineStarts() []int {
	if d.lines == nil {
		d.lines = append(d.lines, 0)
		for i, c := range d.Data {
			if c == '\n' {
				d.lines = append(d.lines, i+1)
			}
		}
	}
	return d.lines
}

// ---- suggestions ----

// Suggest returns `did you mean "x"?` for the name x closest to s by
// formula.Distance (ignoring case) if it is at most maxDist edits away
// and not s itself, and "" otherwise. Of equally close names the first
// wins.
func Suggest(s string, names []string, maxDist int) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, n := range names {
		if d := len(n) - len(s); d > maxDist || -d > maxDist {
			continue // too far apart in length (bytes bound runes here: names are ASCII)
		}
		dist := formula.Distance(ls, strings.ToLower(n))
		if dist < bestD {
			best, bestD = n, dist
		}
	}
	if best == "" || bestD > maxDist || best == s {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best)
}

// MaxTypo is the edit distance the readers allow Suggest for s: 1 for up
// to three characters, 2 for longer ones.
func MaxTypo(s string) int {
	if utf8.RuneCountInString(s) <= 3 {
		return 1
	}
	return 2
}

// OrList writes names as "a, b or c".
func OrList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// QuoteList writes names quoted, separated by ", ".
func QuoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// ---- readers ----

// Field is a key and its value in a mapping.
type Field struct{ Key, Val *yaml.Node }

// Mapping returns the key/value pairs of mapping n in order, reporting a
// wrong type, non-string keys and duplicate keys (which it leaves out).
func (d *Decoder) Mapping(n *yaml.Node, path string) ([]Field, bool) {
	if n.Kind != yaml.MappingNode {
		d.Errorf(n, path, "", "expected %s, found %s", d.MapWord(), d.Describe(n))
		return nil, false
	}
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	out := make([]Field, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || (k.ShortTag() != "!!str" && k.ShortTag() != "!!timestamp") {
			d.Errorf(k, path, "", "expected a string key, found %s", d.Describe(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.Errorf(k, path, "", "duplicate key %q (first at %s)", k.Value, At(first, k))
			continue
		}
		seen[k.Value] = k
		out = append(out, Field{k, v})
	}
	return out, true
}

// Object reads a mapping whose keys must be among known (an unknown key
// is reported with a did-you-mean, or the list of valid keys), returning
// the values by key.
func (d *Decoder) Object(n *yaml.Node, path string, known []string) (map[string]*yaml.Node, bool) {
	fs, ok := d.Mapping(n, path)
	if !ok {
		return nil, false
	}
	out := make(map[string]*yaml.Node, len(fs))
	for _, f := range fs {
		if !slices.Contains(known, f.Key.Value) {
			hint := Suggest(f.Key.Value, known, MaxTypo(f.Key.Value))
			if hint == "" {
				hint = "valid keys: " + strings.Join(known, ", ")
			}
			d.Errorf(f.Key, path, hint, "unknown key %s", Quote(f.Key.Value))
			continue
		}
		out[f.Key.Value] = f.Val
	}
	return out, true
}

// Require reports whether obj, read by Object from n, has key, reporting
// it missing if not.
func (d *Decoder) Require(obj map[string]*yaml.Node, n *yaml.Node, path, key string) bool {
	if _, ok := obj[key]; ok {
		return true
	}
	d.Errorf(n, path, "", "missing required key %q", key)
	return false
}

// Str reads a string (a date-like plain scalar counts).
func (d *Decoder) Str(n *yaml.Node, path string) (string, bool) {
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!str", "!!timestamp":
			return n.Value, true
		}
	}
	hint := ""
	if n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" && !d.JSON {
		hint = "quote it to make it a string"
	}
	d.Errorf(n, path, hint, "expected a string, found %s", d.Describe(n))
	return "", false
}

// Number reads a finite number, by YAML 1.2's rules (ParseNumber): in
// YAML, 010 is ten and 0o10 eight; YAML 1.1 forms that yaml.v3 also
// reads as numbers (1_000, 0b11) are errors rather than silently
// reinterpreted.
func (d *Decoder) Number(n *yaml.Node, path string) (float64, bool) {
	if isNumberNode(n) && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		f, err := ParseNumber(n.Value)
		switch {
		case err == nil:
			return f, true
		case errors.Is(err, errNonFinite):
			d.Errorf(n, path, "", "expected a finite number, found %s", n.Value)
		case errors.Is(err, errRange):
			d.Errorf(n, path, "", "number %s out of range", Short(n.Value))
		default:
			d.Errorf(n, path, "write it as a decimal number (octal as 0o17, hexadecimal as 0x1F)", "%s is not a number in YAML 1.2", Quote(n.Value))
		}
		return 0, false
	}
	if n.Kind == yaml.ScalarNode && n.Style == 0 && n.ShortTag() == "!!str" {
		if _, err := strconv.ParseFloat(n.Value, 64); errors.Is(err, strconv.ErrRange) {
			d.Errorf(n, path, "", "number %s out of range", Short(n.Value))
			return 0, false
		}
	}
	d.Errorf(n, path, "", "expected a number, found %s", d.Describe(n))
	return 0, false
}

// NumberIn reads a finite number in [lo, hi], compared exactly as
// written (Compare), as JSON Schema's minimum and maximum do.
func (d *Decoder) NumberIn(n *yaml.Node, path string, lo, hi int64) (float64, bool) {
	f, ok := d.Number(n, path)
	if !ok {
		return 0, false
	}
	if Compare(n, lo) < 0 || Compare(n, hi) > 0 {
		d.Errorf(n, path, "", "%s out of range %d..%d", Short(n.Value), lo, hi)
		return 0, false
	}
	return f, true
}

// Integer reads an integer in [lo, hi]; a number with an integral value
// (2.0) counts, as in JSON Schema, judged on the text as written
// (2.0000000000000001 is not an integer although it reads as 2).
func (d *Decoder) Integer(n *yaml.Node, path string, lo, hi int) (int, bool) {
	if !isNumberNode(n) {
		d.Errorf(n, path, "", "expected an integer, found %s", d.Describe(n))
		return 0, false
	}
	f, ok := d.Number(n, path)
	if !ok {
		return 0, false
	}
	if !exactInt(n, f) {
		d.Errorf(n, path, "", "expected an integer, found %s", d.Describe(n))
		return 0, false
	}
	if Compare(n, int64(lo)) < 0 || Compare(n, int64(hi)) > 0 {
		d.Errorf(n, path, "", "%s out of range %d..%d", Short(n.Value), lo, hi)
		return 0, false
	}
	return int(f), true
}

// Enum reads a string that must be one of names (what names the value in
// the message) and returns its index.
func (d *Decoder) Enum(n *yaml.Node, path, what string, names []string) (int, bool) {
	s, ok := d.Str(n, path)
	if !ok {
		return 0, false
	}
	if i := slices.Index(names, s); i >= 0 {
		return i, true
	}
	d.Errorf(n, path, Suggest(s, names, MaxTypo(s)), "invalid %s %q: want %s", what, s, OrList(names))
	return 0, false
}

// Seq returns the items of sequence n.
func (d *Decoder) Seq(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, path, "", "expected %s, found %s", d.ListWord(), d.Describe(n))
		return nil, false
	}
	return n.Content, true
}

// StrList reads a non-empty list of strings (leaving out items that are
// not strings, which it reports).
func (d *Decoder) StrList(n *yaml.Node, path string) ([]string, bool) {
	items, ok := d.Seq(n, path)
	if !ok {
		return nil, false
	}
	if len(items) == 0 {
		d.Errorf(n, path, "", "empty list: give at least one value")
		return nil, false
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		if s, ok := d.Str(it, Index(path, i)); ok {
			out = append(out, s)
		}
	}
	return out, true
}
