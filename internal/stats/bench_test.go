package stats

import "testing"

func BenchmarkOLSLongley(b *testing.B) {
	var ref struct {
		Cases []olsCase `json:"cases"`
	}
	loadJSON(b, "ols.json", &ref)
	c := ref.Cases[1]
	b.ResetTimer()
	for range b.N {
		if _, err := OLS(c.Y, c.X); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGranger4(b *testing.B) {
	var ref grangerRef
	loadJSON(b, "granger.json", &ref)
	c := ref.Cases[0]
	b.ResetTimer()
	for range b.N {
		if _, err := Granger(c.Y, c.X, 4); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLaggedCorrelation4(b *testing.B) {
	var ref corrRef
	loadJSON(b, "correlation.json", &ref)
	c := ref.Cases[0]
	b.ResetTimer()
	for range b.N {
		if _, err := LaggedCorrelation(c.X, c.Y, 4); err != nil {
			b.Fatal(err)
		}
	}
}
