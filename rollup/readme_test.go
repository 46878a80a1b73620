package rollup_test

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeQuickstart keeps the README's quickstart identical to
// Example_quickstart, which the test suite runs and checks.
func TestReadmeQuickstart(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal("README.md, which is part of the repository:", err)
	}
	ex, err := os.ReadFile("example_quickstart_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "## Quickstart\n\n```go\n")
	if !ok {
		t.Fatal("README has no quickstart code block")
	}
	block, _, _ := strings.Cut(after, "```")
	body := string(ex)
	_, body, _ = strings.Cut(body, "func Example_quickstart() {\n")
	body, _, _ = strings.Cut(body, "\n}\n")
	body = strings.Replace(body, "\t// Output:\n", "", 1)
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimPrefix(l, "\t")
		// the model literal is indented inside the backquotes identically
		lines = append(lines, l)
	}
	want := strings.Join(lines, "\n") + "\n"
	if block != want {
		t.Errorf("README quickstart differs from Example_quickstart:\nREADME:\n%s\nexample:\n%s", block, want)
	}
}
