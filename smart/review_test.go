package smart

import "testing"

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
