package main

import (
	"context"
	"flag"

	"github.com/kpitree/kpitree/rollup"
	"github.com/kpitree/kpitree/tree"
)

// schemas are the JSON Schemas "kpitree schema NAME" prints; the first is
// the default. A file format with a schema is added here with one line.
var schemas = []struct {
	name, summary string
	schema        func() []byte
}{
	{"model", "the model file (YAML or JSON): metrics, links, dimensions, decompositions", tree.Schema},
	{"scenarios", "the scenario file of whatif, seek and attribute: named layers of overrides", rollup.ScenarioSchema},
	{"distributions", "the distribution file of simulate: uncertain inputs and correlations", rollup.DistributionSchema},
}

func schemaNames() []string {
	var out []string
	for _, s := range schemas {
		out = append(out, s.name)
	}
	return out
}

var schemaCmd = &command{
	name:    "schema",
	summary: "print the JSON Schema of a file format (model, ...)",
	usage:   "schema [NAME] [--list]",
	help: `Prints a JSON Schema (draft 2020-12) for editors and validators: the model
file by default. --list names the schemas there are.`,
	example: `$ kpitree schema model > kpitree.schema.json
$ kpitree schema --list`,
	formats: []string{"json"},
	args:    [2]int{0, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		list := fs.Bool("list", false, "list the schemas")
		return func(ctx context.Context, e *env, args []string) error {
			if *list {
				t := newTable("schema", column{"name", colText}, column{"describes", colText})
				for _, s := range schemas {
					t.add(textCell(s.name), textCell(s.summary))
				}
				e.format = "text"
				return e.emit(t)
			}
			name := schemas[0].name
			if len(args) == 1 {
				name = args[0]
			}
			for _, s := range schemas {
				if s.name == name {
					_, err := e.stdout.Write(s.schema())
					return err
				}
			}
			return oneOf("schema", name, schemaNames())
		}
	},
}
