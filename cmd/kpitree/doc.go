// Command kpitree evaluates, checks and questions KPI trees from the shell:
// the library's packages (metric, tree, rollup, check, smart, okr) behind one
// command for data teams, scripts and CI jobs.
//
// Install it with
//
//	go install github.com/kpitree/kpitree/cmd/kpitree@latest
//
// and run "kpitree help" for the subcommands, "kpitree help <command>" for
// a command's flags and a worked example.
//
// # Data
//
// --data reads the observed values of the model's inputs from
//
//   - CSV long: a header metric,period,value (in any order), one row per
//     observation;
//   - CSV wide: a header period,<metric>,<metric>,..., one row per period;
//   - JSON: an array of {"metric","period","value"} objects, or an object
//     with such an array under "rows" (what --format json writes), or JSON
//     lines (what --format jsonl writes);
//   - Parquet: the long or the wide layout, value columns DOUBLE, FLOAT,
//     INT32 or INT64, nulls for missing values;
//
// from a file or from standard input ("-"). The format follows the file's
// extension (.csv, .tsv, .json, .jsonl, .ndjson, .parquet), else its
// content. CSV may be separated by commas, semicolons or tabs, one of them
// per file. An empty cell (a null) is a missing observation: never zero.
//
// Every problem in the data is an error with its position (file:line:column,
// or the row and column of a Parquet file) and exit code 2: an unknown
// metric (with a did-you-mean), a duplicate (metric, period), a period that
// does not parse or is not of the model's grain, a number that does not
// parse or is not finite, an empty file, a file without rows, mixed
// separators, mixed line endings, a UTF-16 file, a field with a stray
// quote. A UTF-8 byte-order mark is skipped, with a note on stderr.
//
// A value given for a derived metric (one with a formula) is computed by
// the model, so it is accepted only as a recorded actual: prev() reads it
// before the first evaluated period. Such values before --from are kept,
// and a note says so; a value inside the evaluated periods is an error.
//
// # Output
//
// --format text (the default) writes an aligned table for people, with
// units and statuses, coloured on a terminal unless NO_COLOR is set or
// --color never is given. csv, json, jsonl and markdown are for scripts and
// reports: numbers in csv, json and jsonl are Go's shortest exact form
// (strconv.FormatFloat(x, 'g', -1, 64)) and read back bit for bit; a
// missing value is an empty csv field or a JSON null. The json document of
// a table-shaped result is
//
//	{"command": "<subcommand>", <fields of the subcommand>, "rows": [{<column>: <value>, ...}, ...]}
//
// with the columns of each subcommand given in its help; jsonl writes the
// row objects alone, one per line. Notes, warnings and progress go to
// stderr, never to stdout. Progress is shown only when stderr is a
// terminal and --quiet is not given.
//
// # Scenario analysis
//
// whatif, seek, cascade, sensitivity, simulate and attribute ask the
// model's what-if questions. Scenarios and Monte Carlo inputs come from
// files in the library's strict, versioned formats (see the rollup
// package: a scenario file starts with kpiscenarios: "1", a distribution
// file with kpidistributions: "1"); a mistake in one is an error with
// file:line:column and a did-you-mean for keys and metric ids. The output
// of one command feeds the next: seek --format scenario (or --save FILE)
// writes its answer as a scenario file, which whatif --scenarios - reads
// from a pipe:
//
//	kpitree seek model.yaml --data actuals.csv --target revenue=45000000 --lever visitors --format scenario \
//	  | kpitree whatif model.yaml --data actuals.csv --scenarios -
//
// and cascade --save FILE writes the model with the cascaded targets, which
// track reads. simulate shows progress on stderr on a terminal; Ctrl-C
// stops it with exit 130 and writes nothing to stdout.
//
// # Exit codes
//
//	0    success
//	1    findings or failed targets at or above --fail-on (check, track, okr)
//	2    invalid input or usage
//	130  interrupted by Ctrl-C or SIGTERM; the output is incomplete
//
// # Dependencies
//
// The command lives in the library's module, so one go install and one go
// test cover both. Its own dependencies (Parquet, terminal detection, the
// script tests) are imported only under cmd/kpitree: a program that imports
// the library packages does not build them, and a test over go list -deps
// keeps it so.
package main
