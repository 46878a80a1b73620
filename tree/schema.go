package tree

import (
	_ "embed"
	"slices"
)

//go:embed kpitree.schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) of the model file format,
// with a description on every property for editors to show. YAML files
// are checked against it as the equivalent JSON document. Every file Load
// accepts is valid under the schema; the schema does not check what only
// a loaded model can (unique metric ids, hi above lo, that a period such
// as 2026-02-30 exists), which Load reports.
func Schema() []byte { return slices.Clone(schemaJSON) }
