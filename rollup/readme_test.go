package rollup_test

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeQuickstart keeps the README's quickstart identical to
// Example_quickstart, which the test suite runs and checks: the README
// shows it as a complete program, with the example's imports and its body
// as func main.
func TestReadmeQuickstart(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal("README.md of the module not found:", err)
	}
	ex, err := os.ReadFile("example_quickstart_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "## Quickstart\n")
	if !ok {
		t.Fatal("README has no quickstart section")
	}
	_, after, ok = strings.Cut(after, "```go\n")
	if !ok {
		t.Fatal("README has no quickstart code block")
	}
	block, _, _ := strings.Cut(after, "```")
	src := string(ex)
	i := strings.Index(src, "import (")
	if i < 0 {
		t.Fatal("example_quickstart_test.go has no import block")
	}
	imports, _, _ := strings.Cut(src[i:], "\n)\n")
	_, body, _ := strings.Cut(src, "func Example_quickstart() {\n")
	body, _, _ = strings.Cut(body, "\n}\n")
	body = strings.Replace(body, "\t// Output:\n", "", 1)
	want := "package main\n\n" + imports + "\n)\n\nfunc main() {\n" + body + "\n}\n"
	if block != want {
		t.Errorf("README quickstart differs from Example_quickstart:\nREADME:\n%s\nexample:\n%s", block, want)
	}
}
