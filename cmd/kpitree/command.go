package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
)

// A command is one subcommand of kpitree. A subcommand is declared once,
// in the registry in commands.go; help, completion, did-you-mean and the
// shared flags all come from its declaration.
type command struct {
	// name is the subcommand as typed: "eval".
	name string
	// summary is one line for the command list.
	summary string
	// usage is the synopsis, without "kpitree ": "eval MODEL --data FILE [--from P] [--to P]".
	usage string
	// help is the long description: what it does, what it reads and
	// writes, its JSON shape and its exit codes.
	help string
	// example is a worked example: shell lines starting with "$ " and the
	// output they print.
	example string
	// shared selects the shared flags the command takes; --format,
	// --quiet and --color are always there.
	shared shared
	// formats are the values --format accepts; formats[0] is the default.
	formats []string
	// args is the number of positional arguments: min and max (-1: any).
	args [2]int
	// flags declares the command's own flags on fs and returns the
	// function that runs the command with them. It is also called with a
	// throwaway FlagSet to list the flags (help, completion), so it must
	// do nothing but declare flags.
	flags func(fs *flag.FlagSet) runFunc
}

// runFunc runs a subcommand: args are its positional arguments, e holds
// the streams and the shared flags. An error is reported on stderr by the
// caller and decides the exit code (see exitCode).
type runFunc func(ctx context.Context, e *env, args []string) error

// shared is a set of shared flags a command takes.
type shared uint8

const (
	// withData: --data FILE (repeatable; "-" is stdin).
	withData shared = 1 << iota
	// withRange: --from P and --to P, the evaluated periods.
	withRange
	// withPeriod: --period P, the one period looked at.
	withPeriod
)

// system is the process's outside world, replaced in tests.
type system struct {
	stdin     io.Reader
	stdout    io.Writer
	stderr    io.Writer
	getenv    func(string) string
	stdoutTTY bool
	stderrTTY bool
}

// lookup finds a subcommand by name.
func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func commandNames() []string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return names
}

// run is the whole command: it returns the exit code.
func run(ctx context.Context, args []string, sys system) int {
	if len(args) == 0 {
		writeOverview(sys.stderr)
		return exitInvalid
	}
	first := args[0]
	switch first {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && first == "help" {
			c := lookup(args[1])
			if c == nil {
				fmt.Fprintf(sys.stderr, "kpitree: unknown help topic %q%s\n", args[1], didYouMean(args[1], commandNames()))
				return exitInvalid
			}
			writeHelp(sys.stdout, c)
			return exitOK
		}
		writeOverview(sys.stdout)
		return exitOK
	case "-version", "--version", "version":
		fmt.Fprintln(sys.stdout, versionLine())
		return exitOK
	}
	if strings.HasPrefix(first, "-") {
		fmt.Fprintf(sys.stderr, "kpitree: a subcommand comes first, got flag %s\nRun 'kpitree help' for the list.\n", first)
		return exitInvalid
	}
	c := lookup(first)
	if c == nil {
		fmt.Fprintf(sys.stderr, "kpitree: unknown command %q%s\nRun 'kpitree help' for the list.\n", first, didYouMean(first, commandNames()))
		return exitInvalid
	}
	e := newEnv(c, sys)
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	e.declare(fs)
	runner := c.flags(fs)
	pos, help, err := parseArgs(fs, args[1:])
	if help {
		writeHelp(sys.stdout, c)
		return exitOK
	}
	if err == nil {
		fs.Visit(func(f *flag.Flag) { e.formatSet = e.formatSet || f.Name == "format" })
		err = e.validate(len(pos))
	}
	if err != nil {
		fmt.Fprintf(sys.stderr, "kpitree %s: %v\nRun 'kpitree help %s' for usage.\n", c.name, err, c.name)
		return exitInvalid
	}
	err = runner(ctx, e, pos)
	e.finish()
	if err != nil {
		code := exitCode(err)
		switch code {
		case exitInterrupted:
			fmt.Fprintf(sys.stderr, "kpitree %s: interrupted; the output is incomplete\n", c.name)
		case exitFindings:
			if !errors.Is(err, errFindingsQuiet) {
				fmt.Fprintf(sys.stderr, "kpitree %s: %v\n", c.name, err)
			}
		default:
			fmt.Fprintf(sys.stderr, "kpitree %s: %v\n", c.name, err)
			var u *usageError
			if errors.As(err, &u) {
				fmt.Fprintf(sys.stderr, "Run 'kpitree help %s' for usage.\n", c.name)
			}
		}
		return code
	}
	return exitOK
}

// errFindingsQuiet is errFindings when the command already said everything
// on stdout: the exit code alone carries it.
var errFindingsQuiet = fmt.Errorf("%w", errFindings)

// parseArgs parses flags anywhere among the positional arguments (a model
// path may come before or after its flags, as in "kpitree eval MODEL
// --data FILE"). "--" ends the flags; "-" alone is a positional argument
// (stdin). An unknown flag is an error with a did-you-mean.
func parseArgs(fs *flag.FlagSet, args []string) (pos []string, help bool, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		if len(a)-len(name) > 2 || name == "" {
			return nil, false, usagef("bad flag syntax: %s", a)
		}
		value, hasValue := "", false
		if k := strings.IndexByte(name, '='); k >= 0 {
			name, value, hasValue = name[:k], name[k+1:], true
		}
		if name == "h" || name == "help" {
			return nil, true, nil
		}
		f := fs.Lookup(name)
		if f == nil {
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
			return nil, false, usagef("unknown flag --%s%s", name, didYouMean(name, names))
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			if !hasValue {
				value = "true"
			}
		} else if !hasValue {
			if i+1 >= len(args) {
				return nil, false, usagef("flag --%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if err := fs.Set(name, value); err != nil {
			return nil, false, usagef("invalid value %q for --%s: %v", value, name, unwrapFlagErr(err))
		}
	}
	return pos, false, nil
}

func unwrapFlagErr(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}

// versionLine is what --version prints: the module version from the build
// information ("(devel)" for a build from a work tree), the VCS revision
// when recorded, and the Go version.
func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "kpitree (unknown version)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	line := "kpitree " + v
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		line += " (" + rev + modified + ")"
	}
	return line + " " + info.GoVersion
}

// flagNames lists a command's flags, shared ones included, sorted.
func flagNames(c *command) []*flag.Flag {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	e := newEnv(c, system{})
	e.declare(fs)
	c.flags(fs)
	var out []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { out = append(out, f) })
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func writeOverview(w io.Writer) {
	fmt.Fprint(w, `kpitree evaluates, checks and questions KPI trees (KGI -> KPI -> KSF) from the shell.

Usage:
  kpitree <command> [arguments] [flags]

Commands:
`)
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprint(w, `
Every command takes --format (text on a terminal; csv, json, jsonl, markdown
for scripts), --quiet and --color auto|always|never (NO_COLOR is honoured).

Exit codes:
  0    success
  1    findings or failed targets at or above --fail-on (check, track, okr)
  2    invalid input or usage: the message says file:line:column and what to do
  130  interrupted (Ctrl-C); the output written so far is incomplete

Run 'kpitree help <command>' for a command's flags and a worked example,
'kpitree --version' for the version, 'kpitree completion bash|zsh|fish' for
shell completion.
`)
}

func writeHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage: kpitree %s\n\n%s\n", c.usage, strings.TrimSpace(c.summary))
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(c.help, "\n"))
	}
	fmt.Fprint(w, "\nFlags:\n")
	for _, f := range flagNames(c) {
		arg := ""
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !bf.IsBoolFlag() {
			arg = " " + flagArg(f)
		}
		usage := f.Usage
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  --%s%s\n      %s\n", f.Name, arg, usage)
	}
	if c.example != "" {
		fmt.Fprintf(w, "\nExample:\n%s\n", indent(strings.Trim(c.example, "\n"), "  "))
	}
}

// flagArg is the placeholder of a flag's value: the first back-quoted word
// of its usage, as in the flag package, else "VALUE".
func flagArg(f *flag.Flag) string {
	name, _ := flag.UnquoteUsage(f)
	if name == "" || name == "value" {
		return "VALUE"
	}
	return strings.ToUpper(name)
}

func indent(s, pre string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pre + l
		}
	}
	return strings.Join(lines, "\n")
}

// oneOf checks a flag value against its allowed values, with a
// did-you-mean.
func oneOf(flagName, v string, allowed []string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	return usagef("--%s %s: expected one of %s%s", flagName, v, strings.Join(allowed, ", "), didYouMean(v, allowed))
}
