package stats

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// relTol is the relative tolerance the reference files state for statistics.
const relTol = 1e-9

// loadJSON decodes testdata/name into v.
func loadJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// checkVal fails the test when got is not within relative rel (or absolute
// abs) of want.
func checkVal(t *testing.T, what string, got, want, rel, abs float64) {
	t.Helper()
	if !closeRel(got, want, rel, abs) {
		t.Errorf("%s = %.17g, want %.17g (rel err %.3g)", what, got, want, relErr(got, want))
	}
}

func checkVec(t *testing.T, what string, got, want []float64, rel, abs float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: len %d, want %d", what, len(got), len(want))
		return
	}
	for i := range want {
		if !closeRel(got[i], want[i], rel, abs) {
			t.Errorf("%s[%d] = %.17g, want %.17g (rel err %.3g)", what, i, got[i], want[i], relErr(got[i], want[i]))
		}
	}
}

func relErr(got, want float64) float64 {
	if want == 0 {
		return got
	}
	d := (got - want) / want
	if d < 0 {
		d = -d
	}
	return d
}
