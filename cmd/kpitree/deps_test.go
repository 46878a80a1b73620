package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// commandOnly are module paths the command uses and the library must not:
// a program importing metric, tree, rollup, check, smart or okr builds
// none of them.
var commandOnly = []string{
	"github.com/parquet-go/",
	"golang.org/x/term",
	"golang.org/x/sys",
	"github.com/rogpeppe/go-internal",
	"github.com/klauspost/compress",
	"github.com/pierrec/lz4",
	"github.com/andybalholm/brotli",
	"google.golang.org/protobuf",
	"github.com/kpitree/kpitree/cmd/",
}

func goListDeps(t *testing.T, pkgs ...string) []string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	args := append([]string{"list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{if .CgoFiles}} cgo{{end}}{{end}}"}, pkgs...)
	cmd := exec.Command(goTool, args...)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	return strings.Fields(strings.ReplaceAll(string(out), "\n", " "))
}

// TestLibraryDoesNotPullCommandDeps proves that importing the library
// packages does not build the command's dependencies (Parquet, terminal
// handling) or any cgo.
func TestLibraryDoesNotPullCommandDeps(t *testing.T) {
	lib := goListDeps(t, "./metric", "./tree", "./rollup", "./check", "./smart", "./okr")
	cmdDeps := goListDeps(t, "./cmd/kpitree")
	for _, prefix := range commandOnly[:2] {
		if !slices.ContainsFunc(cmdDeps, func(p string) bool { return strings.HasPrefix(p, prefix) }) {
			t.Errorf("the command no longer imports %s: update commandOnly", prefix)
		}
	}
	for _, p := range lib {
		if p == "cgo" {
			t.Errorf("a library package uses cgo: %v", lib)
			continue
		}
		for _, prefix := range commandOnly {
			if strings.HasPrefix(p, prefix) {
				t.Errorf("the library imports %s, a dependency of the command only", p)
			}
		}
	}
	if len(lib) == 0 {
		t.Fatal("go list listed no packages")
	}
}
