package formula

import (
	"math/rand/v2"
	"testing"
)

// refDist is the optimal string alignment distance by the full table.
func refDist(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// TestDistanceAtMost compares the banded distance with the full table on
// random short words over a small alphabet (many near matches).
func TestDistanceAtMost(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		n := r.IntN(9)
		b := make([]byte, n)
		for i := range b {
			b[i] = "abc"[r.IntN(3)]
		}
		return string(b)
	}
	var sc [3][]int
	for range 200000 {
		a, b := word(), word()
		want := refDist(a, b)
		k := r.IntN(6)
		got := distanceAtMost([]rune(a), []rune(b), k, &sc)
		if want <= k && got != want || want > k && got <= k {
			t.Fatalf("%q %q k=%d: got %d want %d", a, b, k, got, want)
		}
		if Distance(a, b) != want {
			t.Fatalf("Distance %q %q", a, b)
		}
	}
}
