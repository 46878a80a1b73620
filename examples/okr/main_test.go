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
		"Follow-up meetings from 7 to 21 a week",
		"okr.kr.restates-kpi [cs_meetings, cs, meetings]",
		"Bring conversion_rate back to 8%",
		"KR Raise orders from",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
