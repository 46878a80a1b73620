package stats

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type multitestRefResult struct {
	PAdjusted []float64 `json:"p_adjusted"`
	Reject    []bool    `json:"reject"`
}

func TestAdjustReference(t *testing.T) {
	var ref struct {
		Sets []struct {
			Label      string             `json:"label"`
			Hypotheses []string           `json:"hypotheses"`
			PValues    []float64          `json:"pvalues"`
			Alpha      float64            `json:"alpha"`
			Bonferroni multitestRefResult `json:"bonferroni"`
			Holm       multitestRefResult `json:"holm"`
			FDRBH      multitestRefResult `json:"fdr_bh"`
			FDRBY      multitestRefResult `json:"fdr_by"`
		} `json:"sets"`
	}
	loadJSON(t, "multitest.json", &ref)
	if len(ref.Sets) == 0 {
		t.Fatal("no sets in multitest.json")
	}
	for _, set := range ref.Sets {
		if len(set.PValues) != len(set.Hypotheses) {
			t.Fatalf("%s: %d p-values for %d hypotheses", set.Label, len(set.PValues), len(set.Hypotheses))
		}
		for _, tc := range []struct {
			method Method
			want   multitestRefResult
		}{
			{Bonferroni, set.Bonferroni},
			{Holm, set.Holm},
			{BenjaminiHochberg, set.FDRBH},
			{BenjaminiYekutieli, set.FDRBY},
		} {
			t.Run(set.Label+"/"+tc.method.String(), func(t *testing.T) {
				in := append([]float64(nil), set.PValues...)
				adj, rej, err := Adjust(in, tc.method, set.Alpha)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(set.PValues, in); diff != "" {
					t.Errorf("Adjust modified its input (-want +got):\n%s", diff)
				}
				checkVec(t, "p_adjusted", adj, tc.want.PAdjusted, relTol, 0)
				if diff := cmp.Diff(tc.want.Reject, rej); diff != "" {
					t.Errorf("reject mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestAdjustProperties(t *testing.T) {
	// Ties and an unsorted input: tied p-values get equal adjusted values,
	// and adjusted values are monotone in the raw ones.
	p := []float64{0.04, 0.01, 0.04, 0.5, 0.001, 0.04, 1}
	for _, m := range []Method{Bonferroni, Holm, BenjaminiHochberg, BenjaminiYekutieli} {
		adj, _, err := Adjust(p, m, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		if adj[0] != adj[2] || adj[2] != adj[5] {
			t.Errorf("%v: tied p-values adjusted to %g, %g, %g", m, adj[0], adj[2], adj[5])
		}
		for i := range p {
			if adj[i] < p[i] || adj[i] > 1 {
				t.Errorf("%v: adj[%d] = %g outside [p, 1] for p = %g", m, i, adj[i], p[i])
			}
			for j := range p {
				if p[i] < p[j] && adj[i] > adj[j] {
					t.Errorf("%v: not monotone: p %g -> %g but p %g -> %g", m, p[i], adj[i], p[j], adj[j])
				}
			}
		}
	}
	// Holm by hand: sorted 0.001, 0.01, 0.04×3, 0.5, 1 with m = 7.
	adj, rej, err := Adjust(p, Holm, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.2, 0.06, 0.2, 1, 0.007, 0.2, 1}
	checkVec(t, "holm", adj, want, 1e-15, 0)
	if diff := cmp.Diff([]bool{false, false, false, false, true, false, false}, rej); diff != "" {
		t.Errorf("holm reject (-want +got):\n%s", diff)
	}
	// Empty family.
	adj, rej, err = Adjust(nil, BenjaminiHochberg, 0.05)
	if err != nil || len(adj) != 0 || len(rej) != 0 {
		t.Errorf("Adjust(nil) = %v, %v, %v; want empty, nil", adj, rej, err)
	}
}

func TestMethodNames(t *testing.T) {
	for _, m := range []Method{Bonferroni, Holm, BenjaminiHochberg, BenjaminiYekutieli} {
		got, err := ParseMethod(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMethod(%q) = %v, %v", m.String(), got, err)
		}
	}
	if s := Method(9).String(); s != "Method(9)" {
		t.Errorf("Method(9).String() = %q", s)
	}
	if _, err := ParseMethod("sidak"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("ParseMethod(sidak) err = %v, want ErrInvalidArgument", err)
	}
}

func TestAdjustErrors(t *testing.T) {
	tests := []struct {
		name   string
		p      []float64
		method Method
		alpha  float64
		want   error
	}{
		{"NaN p", []float64{0.1, math.NaN()}, Holm, 0.05, ErrNaN},
		{"negative p", []float64{-0.1, 0.2}, Holm, 0.05, ErrInvalidArgument},
		{"p above one", []float64{0.1, 1.2}, BenjaminiHochberg, 0.05, ErrInvalidArgument},
		{"alpha zero", []float64{0.1}, Bonferroni, 0, ErrInvalidArgument},
		{"alpha one", []float64{0.1}, Bonferroni, 1, ErrInvalidArgument},
		{"alpha NaN", []float64{0.1}, Bonferroni, math.NaN(), ErrInvalidArgument},
		{"unknown method", []float64{0.1}, Method(42), 0.05, ErrInvalidArgument},
		{"negative method", []float64{0.1}, Method(-1), 0.05, ErrInvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			adj, rej, err := Adjust(tc.p, tc.method, tc.alpha)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if adj != nil || rej != nil {
				t.Errorf("results = %v, %v; want nil on error", adj, rej)
			}
		})
	}
}
