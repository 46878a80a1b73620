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
		"2027-09 checkout        41921360 ->     46113496   +10.0%",
		"effect cancels out",
		"paid visits 174000 -> 198382 (exact)",
		"cannot reach 4.5e+07 by changing paid_visits within [0, 180000]",
		"P(>= 4.5e+07) =",
		"contributions add up to +14.20M",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
