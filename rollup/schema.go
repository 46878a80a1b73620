package rollup

import (
	_ "embed"
	"slices"
)

//go:embed scenarios.schema.json
var scenarioSchemaJSON []byte

//go:embed distributions.schema.json
var distributionSchemaJSON []byte

// ScenarioSchema returns the JSON Schema (draft 2020-12) of the scenario
// file format that LoadScenarios reads, with a description on every
// property for editors to show. Every file LoadScenarios accepts without
// a model is valid under the schema; the schema does not check what only
// a loaded file can (distinct names, that parents exist and form no
// cycle, that a span does not end before it starts) nor, of course, that
// metric ids are the model's.
func ScenarioSchema() []byte { return slices.Clone(scenarioSchemaJSON) }

// DistributionSchema returns the JSON Schema (draft 2020-12) of the
// distribution file format that LoadDistributions reads. Every file
// LoadDistributions accepts without a model is valid under the schema;
// the schema does not check what only a loaded file can (distinct inputs
// and pairs, that correlations name inputs of the file, that lo < mode <
// hi) nor that metric ids are the model's inputs.
func DistributionSchema() []byte { return slices.Clone(distributionSchemaJSON) }
