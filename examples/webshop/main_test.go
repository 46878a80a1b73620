package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"2027-01    280000       6.00%       1650       27720000",
		// quarterly conversion is quarterly orders over quarterly visitors
		"2027-Q1    859500   53386       6.21%       88620760",
		"revenue          500.0M 2027  309.0M   375.0M        412.0M     62%         0.82  at risk",
		"conversion_rate  8.00% 2027   6.64%    7.50%         6.85%      32%         0.43  off track",
		"branded_search   100k 2027    114k     75k           152k       114%        1.52  achieved",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
