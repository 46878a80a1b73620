package attrib

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

const relTol = 1e-9

func load(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// near reports |got-want| <= rel*max(|want|, floor).
func near(got, want, rel, floor float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), floor)
}

func checkNum(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !near(got, want, relTol, 0) && got != want {
		t.Errorf("%s = %.17g, want %.17g", what, got, want)
	}
}

func checkVecRel(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", what, len(got), len(want))
	}
	for i := range want {
		if !near(got[i], want[i], relTol, 0) && got[i] != want[i] {
			t.Errorf("%s[%d] = %.17g, want %.17g", what, i, got[i], want[i])
		}
	}
}

// decompCase holds the shared input part of lmdi.json and shapley.json cases.
type decompCase struct {
	Name     string               `json:"name"`
	Factors  []string             `json:"factors"`
	Segments []string             `json:"segments"`
	X0       map[string][]float64 `json:"x0"`
	X1       map[string][]float64 `json:"x1"`
	CheckV0  *float64             `json:"check_V0"`
	CheckV1  *float64             `json:"check_V1"`
}

func (c decompCase) matrices(t *testing.T) ([][]float64, [][]float64) {
	t.Helper()
	var x0, x1 [][]float64
	for _, f := range c.Factors {
		a, ok0 := c.X0[f]
		b, ok1 := c.X1[f]
		if !ok0 || !ok1 || len(a) != len(c.Segments) || len(b) != len(c.Segments) {
			t.Fatalf("%s: bad factor %q", c.Name, f)
		}
		x0 = append(x0, a)
		x1 = append(x1, b)
	}
	return x0, x1
}

func byName(t *testing.T, names []string, m map[string]float64) []float64 {
	t.Helper()
	out := make([]float64, len(names))
	for i, n := range names {
		v, ok := m[n]
		if !ok {
			t.Fatalf("missing %q", n)
		}
		out[i] = v
	}
	return out
}
