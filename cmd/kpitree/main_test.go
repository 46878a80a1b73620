package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script/*.txtar")

// TestMain lets the test binary act as the kpitree command inside the
// scripts: "exec kpitree ..." runs main.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"kpitree": main})
}

// TestScripts runs the end-to-end scripts in testdata/script: the real
// command, its output, its stderr and its exit code. $EXAMPLES is the
// repository's examples directory.
func TestScripts(t *testing.T) {
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		UpdateScripts:       *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", examples)
			env.Setenv("NO_COLOR", "")
			env.Setenv("GITHUB_ACTIONS", "")
			return nil
		},
	})
}

var _ = os.Exit
