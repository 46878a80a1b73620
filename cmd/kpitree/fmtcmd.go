package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/kpitree/kpitree/tree"
)

var fmtCmd = &command{
	name:    "fmt",
	summary: "rewrite model files in canonical form (--check for CI)",
	usage:   "fmt MODEL... [--check] [--write] [--format yaml|json]",
	help: `Loads each model and writes it back in canonical form: keys in a fixed order,
optional empty fields left out, numbers that read back exactly. Nothing is
lost: loading the output gives the same model. The output keeps the file's
format (JSON for .json, else YAML) unless --format says otherwise.

Without flags the canonical form of one MODEL goes to stdout ("-" reads
stdin). --write rewrites the files in place. --check writes nothing and
lists the files that are not canonical: exit 1 if there are any, so CI can
require formatted models. Comments in a YAML file are not kept.`,
	example: `$ kpitree fmt --check models/*.yaml
models/webshop.yaml: not in canonical form (kpitree fmt --write models/webshop.yaml)
$ kpitree fmt --write models/webshop.yaml`,
	formats: []string{"auto", "yaml", "json"},
	args:    [2]int{1, -1},
	flags: func(fs *flag.FlagSet) runFunc {
		check := fs.Bool("check", false, "write nothing; list the files that are not canonical and exit 1 if any")
		write := fs.Bool("write", false, "rewrite the files in place")
		return func(ctx context.Context, e *env, args []string) error {
			if !*check && !*write && len(args) > 1 {
				return usagef("several files: give --write or --check (stdout takes one model)")
			}
			bad := 0
			for _, path := range args {
				if err := ctx.Err(); err != nil {
					return err
				}
				var orig []byte
				var err error
				if path == "-" {
					if *write {
						return usagef("--write cannot rewrite stdin")
					}
					orig, err = readAllStdin(e)
				} else {
					orig, err = os.ReadFile(path)
				}
				if err != nil {
					return err
				}
				name := path
				if path == "-" {
					name = "<stdin>"
				}
				m, err := tree.Load(bytes.NewReader(orig), name)
				if err != nil {
					return err
				}
				f := tree.YAML
				switch {
				case e.format == "json", e.format == "auto" && strings.HasSuffix(strings.ToLower(path), ".json"):
					f = tree.JSON
				}
				var out bytes.Buffer
				if err := m.Save(&out, f); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				switch {
				case *check:
					if !bytes.Equal(out.Bytes(), orig) {
						bad++
						fmt.Fprintf(e.stdout, "%s: not in canonical form (kpitree fmt --write %s)\n", name, path)
					}
				case *write:
					if !bytes.Equal(out.Bytes(), orig) {
						if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
							return err
						}
						e.notef("%s: rewritten", path)
					}
				default:
					if _, err := e.stdout.Write(out.Bytes()); err != nil {
						return err
					}
				}
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d files not in canonical form: %w", bad, len(args), errFindings)
			}
			return nil
		}
	},
}

func readAllStdin(e *env) ([]byte, error) {
	if e.stdin == nil {
		return nil, usagef("no standard input")
	}
	var b bytes.Buffer
	_, err := b.ReadFrom(e.stdin)
	return b.Bytes(), err
}
