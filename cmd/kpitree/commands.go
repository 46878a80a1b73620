package main

// commands is the registry of subcommands, in the order "kpitree help"
// lists them. A subcommand is declared in its own file as a *command and
// added here with one line.
var commands []*command

func init() {
	commands = []*command{
		checkCmd,
		evalCmd,
		trackCmd,
		whatifCmd,
		seekCmd,
		cascadeCmd,
		sensitivityCmd,
		simulateCmd,
		attributeCmd,
		graphCmd,
		okrCmd,
		fmtCmd,
		schemaCmd,
		completionCmd,
	}
}

// Formats accepted by most subcommands; the first is the default.
var tableFormats = []string{"text", "csv", "json", "jsonl", "markdown"}
