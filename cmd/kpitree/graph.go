package main

import (
	"bufio"
	"context"
	"flag"

	"github.com/kpitree/kpitree/tree"
)

var graphCmd = &command{
	name:    "graph",
	summary: "draw the tree as Mermaid or Graphviz DOT",
	usage:   "graph MODEL [--format mermaid|dot] [--direction BT|TB|LR|RL] [--no-links] [--no-segments]",
	help: `Writes the tree's graph: formula edges, declared causal links (dashed, with
their sign) and decompositions into segments. Mermaid renders in GitHub
markdown; pipe DOT into Graphviz (dot -Tsvg).`,
	example: `$ kpitree graph examples/webshop/model.yaml --format dot | dot -Tsvg > webshop.svg
$ kpitree graph examples/webshop/model.yaml --direction LR
flowchart LR
  ...`,
	formats: []string{"mermaid", "dot"},
	args:    [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		dir := fs.String("direction", "BT", "drawing `direction`: BT (inputs at the bottom), TB, LR or RL")
		noLinks := fs.Bool("no-links", false, "leave out the declared causal links")
		noSeg := fs.Bool("no-segments", false, "leave out the decompositions into segments")
		return func(ctx context.Context, e *env, args []string) error {
			if err := oneOf("direction", *dir, []string{"BT", "TB", "TD", "LR", "RL"}); err != nil {
				return err
			}
			l, err := e.load(ctx, args[0], false)
			if err != nil {
				return err
			}
			opt := tree.ExportOptions{Direction: *dir, OmitLinks: *noLinks, OmitDecompositions: *noSeg}
			w := bufio.NewWriter(e.stdout)
			if e.format == "dot" {
				err = l.compiled.DOT(w, opt)
			} else {
				err = l.compiled.Mermaid(w, opt)
			}
			if err != nil {
				return err
			}
			return w.Flush()
		}
	},
}
