package stats

import (
	"errors"
	"math"
	"strconv"
	"testing"
)

type corrRef struct {
	Cases []struct {
		Name         string    `json:"name"`
		N            int       `json:"n"`
		X            []float64 `json:"x"`
		Y            []float64 `json:"y"`
		ExpectedSign int       `json:"expected_sign"`
		Pearson      struct {
			R         float64    `json:"r"`
			PTwoSided float64    `json:"p_two_sided"`
			PGreater  float64    `json:"p_greater"`
			PLess     float64    `json:"p_less"`
			FisherCI  [2]float64 `json:"fisher_ci95"`
		} `json:"pearson"`
		Spearman struct {
			Rho       float64 `json:"rho"`
			PTwoSided float64 `json:"p_two_sided"`
			PGreater  float64 `json:"p_greater"`
		} `json:"spearman"`
		Lagged []struct {
			Lag                    int     `json:"lag"`
			NPairs                 int     `json:"n_pairs"`
			PearsonOverlapR        float64 `json:"pearson_overlap_r"`
			PearsonOverlapP        float64 `json:"pearson_overlap_p"`
			PearsonOverlapPGreater float64 `json:"pearson_overlap_p_greater"`
			SpearmanOverlapRho     float64 `json:"spearman_overlap_rho"`
			SpearmanOverlapP       float64 `json:"spearman_overlap_p"`
			CCFAdjusted            float64 `json:"sm_ccf_adjusted"`
			CCFUnadjusted          float64 `json:"sm_ccf_unadjusted"`
		} `json:"lagged"`
		WhiteNoiseBand95 float64 `json:"white_noise_band95_1_over_sqrt_n"`
		BestLagSigned    int     `json:"best_lag_0to4_by_expected_sign_overlap_pearson"`
		BestLagAbs       int     `json:"best_lag_m4to4_by_abs_overlap_pearson"`
	} `json:"cases"`
}

// ccfAbsTol is the absolute tolerance used, together with relTol, for the
// statsmodels ccf values: statsmodels evaluates them by FFT, whose rounding
// noise is absolute (about 1e-16), so cross-correlations near zero cannot be
// matched to a relative 1e-9.
const ccfAbsTol = 1e-13

func TestCorrelationReference(t *testing.T) {
	var ref corrRef
	loadJSON(t, "correlation.json", &ref)
	if len(ref.Cases) == 0 {
		t.Fatal("no cases in correlation.json")
	}
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if len(c.X) != c.N || len(c.Y) != c.N {
				t.Fatalf("data lengths %d/%d, want %d", len(c.X), len(c.Y), c.N)
			}
			p, err := Pearson(c.X, c.Y)
			if err != nil {
				t.Fatal(err)
			}
			checkVal(t, "pearson r", p.R, c.Pearson.R, relTol, 0)
			checkVal(t, "pearson p_two_sided", p.PTwoSided, c.Pearson.PTwoSided, relTol, 0)
			checkVal(t, "pearson p_greater", p.PGreater, c.Pearson.PGreater, relTol, 0)
			checkVal(t, "pearson p_less", p.PLess, c.Pearson.PLess, relTol, 0)
			checkVal(t, "pearson ci low", p.CILow, c.Pearson.FisherCI[0], relTol, 0)
			checkVal(t, "pearson ci high", p.CIHigh, c.Pearson.FisherCI[1], relTol, 0)
			wantOne := c.Pearson.PGreater
			if c.ExpectedSign < 0 {
				wantOne = c.Pearson.PLess
			}
			checkVal(t, "pearson p one-sided (expected sign)", p.POneSided(c.ExpectedSign), wantOne, relTol, 0)
			if p.N != c.N {
				t.Errorf("pearson N = %d, want %d", p.N, c.N)
			}

			s, err := Spearman(c.X, c.Y)
			if err != nil {
				t.Fatal(err)
			}
			checkVal(t, "spearman rho", s.Rho, c.Spearman.Rho, relTol, 0)
			checkVal(t, "spearman p_two_sided", s.PTwoSided, c.Spearman.PTwoSided, relTol, 0)
			checkVal(t, "spearman p_greater", s.PGreater, c.Spearman.PGreater, relTol, 0)
			checkVal(t, "spearman p two-sided via POneSided(0)", s.POneSided(0), c.Spearman.PTwoSided, relTol, 0)

			maxLag := 0
			for _, l := range c.Lagged {
				maxLag = max(maxLag, absInt(l.Lag))
			}
			lags, err := LaggedCorrelation(c.X, c.Y, maxLag)
			if err != nil {
				t.Fatal(err)
			}
			if len(lags) != len(c.Lagged) {
				t.Fatalf("got %d lags, want %d", len(lags), len(c.Lagged))
			}
			for i, want := range c.Lagged {
				got := lags[i]
				if got.Lag != want.Lag || got.NPairs != want.NPairs {
					t.Errorf("lag[%d] = (lag %d, %d pairs), want (lag %d, %d pairs)", i, got.Lag, got.NPairs, want.Lag, want.NPairs)
					continue
				}
				at := func(s string) string { return "lag " + strconv.Itoa(want.Lag) + " " + s }
				checkVal(t, at("pearson r"), got.Pearson.R, want.PearsonOverlapR, relTol, 0)
				checkVal(t, at("pearson p"), got.Pearson.PTwoSided, want.PearsonOverlapP, relTol, 0)
				checkVal(t, at("pearson p_greater"), got.Pearson.PGreater, want.PearsonOverlapPGreater, relTol, 0)
				checkVal(t, at("spearman rho"), got.Spearman.Rho, want.SpearmanOverlapRho, relTol, 0)
				checkVal(t, at("spearman p"), got.Spearman.PTwoSided, want.SpearmanOverlapP, relTol, 0)
				checkVal(t, at("ccf adjusted"), got.CCF, want.CCFAdjusted, relTol, ccfAbsTol)
				checkVal(t, at("ccf unadjusted"), got.CCFUnadjusted, want.CCFUnadjusted, relTol, ccfAbsTol)
				for _, adj := range []bool{true, false} {
					v, err := CCF(c.X, c.Y, want.Lag, adj)
					if err != nil {
						t.Fatal(err)
					}
					w := want.CCFUnadjusted
					if adj {
						w = want.CCFAdjusted
					}
					checkVal(t, at("CCF()"), v, w, relTol, ccfAbsTol)
				}
			}

			checkVal(t, "white noise band", WhiteNoiseBand(c.N, 0.95), c.WhiteNoiseBand95, relTol, 0)
			signed, err := BestLag(lags, 0, 4, c.ExpectedSign)
			if err != nil {
				t.Fatal(err)
			}
			if signed.Lag != c.BestLagSigned {
				t.Errorf("best lag 0..4 by expected sign = %d, want %d", signed.Lag, c.BestLagSigned)
			}
			absBest, err := BestLag(lags, -4, 4, 0)
			if err != nil {
				t.Fatal(err)
			}
			if absBest.Lag != c.BestLagAbs {
				t.Errorf("best lag -4..4 by |r| = %d, want %d", absBest.Lag, c.BestLagAbs)
			}
		})
	}
}

func TestRankTies(t *testing.T) {
	got := Rank([]float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5})
	want := []float64{4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8}
	checkVec(t, "Rank", got, want, 0, 0)
}

func TestPearsonPerfectAndSmall(t *testing.T) {
	p, err := Pearson([]float64{1, 2, 3, 4}, []float64{-2, -4, -6, -8})
	if err != nil {
		t.Fatal(err)
	}
	if p.R != -1 || p.PTwoSided != 0 || p.PLess != 0 || p.PGreater != 1 || p.CILow != -1 || p.CIHigh != -1 {
		t.Errorf("perfect negative correlation: %+v", p)
	}
	// n = 3: under H0 (r+1)/2 follows the arcsine law Beta(1/2, 1/2), so
	// P(|R| >= r) = 1 - 2·asin(r)/pi (= 2/3 for r = 0.5).
	p, err = Pearson([]float64{1, 2, 3}, []float64{1, 3, 2})
	if err != nil {
		t.Fatal(err)
	}
	checkVal(t, "r", p.R, 0.5, 1e-15, 0)
	checkVal(t, "p n=3", p.PTwoSided, 1-2*math.Asin(0.5)/math.Pi, 1e-13, 0)
	if p.CILow != -1 || p.CIHigh != 1 {
		t.Errorf("CI for n = 3 = [%g, %g], want [-1, 1]", p.CILow, p.CIHigh)
	}
	s, err := Spearman([]float64{1, 2, 3, 4, 5}, []float64{2, 4, 8, 16, 32})
	if err != nil {
		t.Fatal(err)
	}
	if s.Rho != 1 || s.PTwoSided != 0 || s.PGreater != 0 || s.PLess != 1 {
		t.Errorf("monotone Spearman: %+v", s)
	}
}

func TestCorrelationErrors(t *testing.T) {
	nan := math.NaN()
	seq := []float64{1, 3, 2, 5, 4, 7, 6}
	tests := []struct {
		name string
		x, y []float64
		want error
	}{
		{"mismatched", seq, seq[:6], ErrLengthMismatch},
		{"empty", nil, nil, ErrTooFewObservations},
		{"two points", []float64{1, 2}, []float64{2, 1}, ErrTooFewObservations},
		{"constant x", []float64{2, 2, 2, 2}, []float64{1, 2, 3, 4}, ErrConstantSeries},
		{"constant y", []float64{1, 2, 3, 4}, []float64{0, 0, 0, 0}, ErrConstantSeries},
		{"NaN x", []float64{1, nan, 3, 4}, []float64{1, 2, 3, 4}, ErrNaN},
		{"Inf y", []float64{1, 2, 3, 4}, []float64{1, 2, math.Inf(1), 4}, ErrNaN},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Pearson(tc.x, tc.y); !errors.Is(err, tc.want) {
				t.Errorf("Pearson err = %v, want %v", err, tc.want)
			}
			if _, err := Spearman(tc.x, tc.y); !errors.Is(err, tc.want) {
				t.Errorf("Spearman err = %v, want %v", err, tc.want)
			}
			if _, err := LaggedCorrelation(tc.x, tc.y, 1); !errors.Is(err, tc.want) {
				t.Errorf("LaggedCorrelation err = %v, want %v", err, tc.want)
			}
		})
	}

	lagTests := []struct {
		name   string
		x, y   []float64
		maxLag int
		want   error
	}{
		{"negative maxLag", seq, seq, -1, ErrInvalidArgument},
		{"overlap too short", seq, seq, 5, ErrTooFewObservations},
		// x varies overall but its overlap at lag -2 (x[2:]) is constant.
		{"constant overlap", []float64{1, 2, 5, 5, 5, 5}, []float64{1, 2, 3, 4, 6, 5}, 2, ErrConstantSeries},
	}
	for _, tc := range lagTests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := LaggedCorrelation(tc.x, tc.y, tc.maxLag); !errors.Is(err, tc.want) {
				t.Errorf("LaggedCorrelation err = %v, want %v", err, tc.want)
			}
		})
	}

	ccfTests := []struct {
		name string
		x, y []float64
		lag  int
		want error
	}{
		{"mismatched", seq, seq[:3], 0, ErrLengthMismatch},
		{"one point", []float64{1}, []float64{1}, 0, ErrTooFewObservations},
		{"lag too large", seq, seq, 7, ErrInvalidArgument},
		{"lag too small", seq, seq, -7, ErrInvalidArgument},
		{"constant", []float64{1, 1, 1}, []float64{1, 2, 3}, 0, ErrConstantSeries},
		{"NaN", []float64{1, nan, 1}, []float64{1, 2, 3}, 0, ErrNaN},
	}
	for _, tc := range ccfTests {
		t.Run("CCF "+tc.name, func(t *testing.T) {
			if _, err := CCF(tc.x, tc.y, tc.lag, true); !errors.Is(err, tc.want) {
				t.Errorf("CCF err = %v, want %v", err, tc.want)
			}
		})
	}

	if _, err := BestLag(nil, 0, 4, 1); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("BestLag(nil) err = %v, want ErrInvalidArgument", err)
	}
	if _, err := BestLag([]LagCorrelation{{Lag: 0}}, 3, 1, 1); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("BestLag reversed bounds err = %v, want ErrInvalidArgument", err)
	}
	for _, v := range [][2]float64{{nan, 0.95}, {0.5, 1}, {1.5, 0.95}} {
		if lo, hi := FisherCI(v[0], 10, v[1]); !math.IsNaN(lo) || !math.IsNaN(hi) {
			t.Errorf("FisherCI(%g, 10, %g) = [%g, %g], want NaNs", v[0], v[1], lo, hi)
		}
	}
	if !math.IsNaN(WhiteNoiseBand(0, 0.95)) {
		t.Errorf("WhiteNoiseBand(0, 0.95) is not NaN")
	}
}

func TestBestLagTies(t *testing.T) {
	lags := []LagCorrelation{
		{Lag: 2, Pearson: PearsonResult{R: 0.4}},
		{Lag: -2, Pearson: PearsonResult{R: -0.4}},
		{Lag: 0, Pearson: PearsonResult{R: 0.1}},
		{Lag: 1, Pearson: PearsonResult{R: 0.4}},
	}
	tests := []struct {
		lo, hi, sign, want int
	}{
		{-2, 2, 0, -2}, // |r| tie between -2, 1 and 2: smallest lag
		{0, 2, 1, 1},   // r tie between 1 and 2
		{-2, 2, -1, -2},
		{0, 0, -1, 0},
	}
	for _, tc := range tests {
		got, err := BestLag(lags, tc.lo, tc.hi, tc.sign)
		if err != nil {
			t.Fatal(err)
		}
		if got.Lag != tc.want {
			t.Errorf("BestLag([%d,%d], sign %d) = %d, want %d", tc.lo, tc.hi, tc.sign, got.Lag, tc.want)
		}
	}
}
