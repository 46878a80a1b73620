package stats

import (
	"math"
	"testing"
)

// closeRel reports whether got matches want to a relative tolerance rel, or
// to an absolute tolerance abs when |want| is below abs/rel (values near zero).
func closeRel(got, want, rel, abs float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	if got == want {
		return true
	}
	d := math.Abs(got - want)
	return d <= rel*math.Abs(want) || d <= abs
}

func TestTSurvivalClosedForms(t *testing.T) {
	// df = 1 is the Cauchy distribution: P(T > t) = atan(1/t)/pi for t > 0.
	// df = 2: P(T > t) = 1/(sqrt(2+t²)·(sqrt(2+t²)+t)) for t > 0.
	ts := []float64{1e-8, 0.01, 0.3, 1, 2.5, 10, 1e3, 1e6, 1e12}
	for _, x := range ts {
		for _, tc := range []struct {
			df   float64
			want float64
		}{
			{1, math.Atan(1/x) / math.Pi},
			{2, 1 / (math.Sqrt(2+x*x) * (math.Sqrt(2+x*x) + x))},
		} {
			if got := TSurvival(x, tc.df); !closeRel(got, tc.want, 1e-13, 0) {
				t.Errorf("TSurvival(%g, %g) = %.17g, want %.17g", x, tc.df, got, tc.want)
			}
			if got := TSurvival(-x, tc.df); !closeRel(got, 1-tc.want, 1e-13, 0) {
				t.Errorf("TSurvival(%g, %g) = %.17g, want %.17g", -x, tc.df, got, 1-tc.want)
			}
			if got := TTwoSided(-x, tc.df); !closeRel(got, 2*tc.want, 1e-13, 0) {
				t.Errorf("TTwoSided(%g, %g) = %.17g, want %.17g", -x, tc.df, got, 2*tc.want)
			}
		}
	}
}

func TestTailSpotValues(t *testing.T) {
	// Values computed with mpmath at 40 significant digits from the defining
	// integrals (independent of gonum's cephes port).
	tests := []struct {
		name      string
		got, want float64
	}{
		{"t.sf(2, 10)", TSurvival(2, 10), 0.03669401738537018},
		{"t.sf(40, 195)", TSurvival(40, 195), 3.0699435485090297e-96},
		{"f.sf(3.5, 3, 40)", FSurvival(3.5, 3, 40), 0.024012836479841162},
		{"chi2.sf(30, 4)", Chi2Survival(30, 4), 4.8944371280292126e-06},
		{"norm.sf(10)", NormalSurvival(10), 7.619853024160526e-24},
	}
	for _, tc := range tests {
		if !closeRel(tc.got, tc.want, 1e-12, 0) {
			t.Errorf("%s = %.17g, want %.17g", tc.name, tc.got, tc.want)
		}
	}
}

func TestFChi2ClosedForms(t *testing.T) {
	// F(2, d2): P(F > f) = (1 + 2f/d2)^(-d2/2); chi2(2): P(X > x) = exp(-x/2).
	for _, f := range []float64{1e-9, 0.1, 1, 4, 50, 1e4} {
		for _, d2 := range []float64{1, 7, 195} {
			want := math.Pow(1+2*f/d2, -d2/2)
			if got := FSurvival(f, 2, d2); !closeRel(got, want, 1e-12, 0) {
				t.Errorf("FSurvival(%g, 2, %g) = %.17g, want %.17g", f, d2, got, want)
			}
		}
		want := math.Exp(-f / 2)
		if got := Chi2Survival(f, 2); !closeRel(got, want, 1e-13, 0) {
			t.Errorf("Chi2Survival(%g, 2) = %.17g, want %.17g", f, got, want)
		}
	}
}

func TestNormalQuantileRoundTrip(t *testing.T) {
	if got, want := NormalQuantile(0.975), 1.959963984540054; !closeRel(got, want, 1e-15, 0) {
		t.Errorf("NormalQuantile(0.975) = %.17g, want %.17g", got, want)
	}
	for _, p := range []float64{1e-300, 1e-30, 1e-10, 0.001, 0.025, 0.3, 0.5} {
		z := NormalQuantile(p)
		if got := NormalSurvival(-z); !closeRel(got, p, 1e-13, 1e-17) {
			t.Errorf("NormalSurvival(-NormalQuantile(%g)) = %.17g", p, got)
		}
	}
}

func TestDistInvalidArguments(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		got  float64
	}{
		{"TSurvival NaN", TSurvival(nan, 3)},
		{"TSurvival df=0", TSurvival(1, 0)},
		{"TTwoSided df<0", TTwoSided(1, -2)},
		{"FSurvival d1=0", FSurvival(1, 0, 3)},
		{"FSurvival NaN", FSurvival(nan, 1, 3)},
		{"Chi2Survival k=0", Chi2Survival(1, 0)},
		{"NormalQuantile p>1", NormalQuantile(1.5)},
		{"NormalQuantile p<0", NormalQuantile(-0.1)},
		{"NormalSurvival NaN", NormalSurvival(nan)},
	}
	for _, tc := range tests {
		if !math.IsNaN(tc.got) {
			t.Errorf("%s = %g, want NaN", tc.name, tc.got)
		}
	}
	if TSurvival(math.Inf(1), 3) != 0 || TSurvival(math.Inf(-1), 3) != 1 || TTwoSided(0, 5) != 1 {
		t.Errorf("TSurvival/TTwoSided limits wrong")
	}
	if FSurvival(0, 2, 3) != 1 || Chi2Survival(0, 2) != 1 || FSurvival(math.Inf(1), 2, 3) != 0 {
		t.Errorf("FSurvival/Chi2Survival limits wrong")
	}
}
