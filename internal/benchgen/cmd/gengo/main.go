// Command gengo writes the plain-Go evaluator of a benchmark DAG
// (package benchgen, seed benchgen.DefaultSeed).
//
// Usage:
//
//	go run ./cmd/gengo -n 100000 -name 100k -o generated_100k.go
//
// defines func Eval100k(v []float64) in package benchgen.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/kpitree/kpitree/internal/benchgen"
)

func main() {
	n := flag.Int("n", 1000, "number of nodes")
	name := flag.String("name", "1k", "size name: the function is Eval<name>")
	out := flag.String("o", "", "output file (default stdout)")
	tags := flag.String("tags", "", "build constraint expression for the file (optional)")
	flag.Parse()
	gen := fmt.Sprintf("go run ./cmd/gengo -n %d -name %s", *n, *name)
	if *tags != "" {
		gen += " -tags " + *tags
	}
	if *out != "" {
		gen += " -o " + *out
	}
	d := benchgen.Generate(*n, benchgen.DefaultSeed)
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	if err := d.WriteGo(bw, "benchgen", "Eval"+*name, gen, *tags); err != nil {
		log.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
}
