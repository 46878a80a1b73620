package engine

import "testing"

// TestRaceBuildInterprets: under the race detector, which cannot see the
// slot accesses of machine code, every program is interpreted.
func TestRaceBuildInterprets(t *testing.T) {
	s := NativeStats()
	if raceEnabled && s.Available {
		t.Fatal("native code is available in a race build")
	}
	if !s.Available && s.Reason == "" {
		t.Error("native code unavailable without a reason")
	}
	t.Logf("native code available: %v %s", s.Available, s.Reason)
}
