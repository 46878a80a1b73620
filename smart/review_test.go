package smart

import (
	"testing"

	"github.com/kpitree/kpitree/internal/words"
)

// TestVagueDespiteDateDigits: a vague statement stays vague when its only
// digits are a deadline ("in 2026", "by Q3", "2026-Q3"); a real quantity
// still makes it specific, including one that looks like a year when it
// is not introduced as a date ("to 2000 orders").
func TestVagueDespiteDateDigits(t *testing.T) {
	tests := []struct {
		text  string
		vague bool
	}{
		{"increase sales in 2026", true},
		{"improve retention by Q3", true},
		{"grow revenue by 2026-Q3", true},
		{"cải thiện chất lượng trong năm 2026", true},
		{"tăng doanh số vào Q4", true},
		{"boost sign-ups before 2027-03-31", true},
		{"increase sales to 2000 orders", false},
		{"grow revenue 20% in 2026", false},
		{"tăng doanh số lên 20% trong năm 2026", false},
		{"increase sales by 15 in Q3", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := Check(Goal{Statement: tt.text}, Options{})
			if got := len(r.Findings.ByRule(RuleVague)) == 1; got != tt.vague {
				t.Errorf("vague = %v, want %v (findings %v)", got, tt.vague, r.Findings)
			}
		})
	}
}

// TestVagueVietnameseDecomposed: Vietnamese typed in decomposed form
// (base letter plus combining marks, in either order) is the same text
// as the composed form of the word lists.
func TestVagueVietnameseDecomposed(t *testing.T) {
	tests := []struct{ text, want string }{
		{"ta\u0306ng doanh so\u0302\u0301", "tăng doanh số"},
		{"TA\u0306NG DOANH SO\u0302\u0301", "tăng doanh số"},
		{"ca\u0309i thie\u0323\u0302n dịch vụ", "cải thiện"}, // dot below, then circumflex
		{"ca\u0309i thie\u0302\u0323n dịch vụ", "cải thiện"}, // circumflex, then dot below
		{"cải thiê\u0323n dịch vụ", "cải thiện"},             // precomposed ê, combining dot below
		{"tăng trưo\u031B\u0309ng", "tăng trưởng"},           // o + horn + hook above
		{"đâ\u0309y ma\u0323nh bán hàng", "đẩy mạnh"},
	}
	for _, tt := range tests {
		got := VagueIn(tt.text)
		if len(got) == 0 || got[0] != tt.want {
			t.Errorf("VagueIn(%q) = %q, want %q first", tt.text, got, tt.want)
		}
		if r := Check(Goal{Statement: tt.text}, Options{}); len(r.Findings.ByRule(RuleVague)) != 1 {
			t.Errorf("%q is not reported vague", tt.text)
		}
	}
	// Composed text and text without marks are unchanged.
	for _, s := range []string{"tăng doanh số", "revenue 500 usd", "naïve café"} {
		if got := words.Compose(s); got != s {
			t.Errorf("Compose(%q) = %q", s, got)
		}
	}
}
