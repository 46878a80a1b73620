package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
)

// env is what a subcommand runs with: the streams, the terminal state and
// the shared flags, parsed.
type env struct {
	cmd    *command
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// stdoutTTY and stderrTTY say whether the streams are terminals.
	stdoutTTY, stderrTTY bool

	// Shared flags.
	format    string   // --format, one of cmd.formats
	formatSet bool     // --format was given
	quiet     bool     // --quiet: no notes, no progress
	color     string   // --color auto|always|never
	data      []string // --data, in the order given
	from      string   // --from
	to        string   // --to
	period    string   // --period

	mu       sync.Mutex
	progress *progress // the progress line on stderr, if one is shown
}

func newEnv(c *command, sys system) *env {
	getenv := sys.getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	return &env{
		cmd:       c,
		stdin:     sys.stdin,
		stdout:    sys.stdout,
		stderr:    sys.stderr,
		getenv:    getenv,
		stdoutTTY: sys.stdoutTTY,
		stderrTTY: sys.stderrTTY,
	}
}

// declare adds the shared flags of e.cmd to fs.
func (e *env) declare(fs *flag.FlagSet) {
	c := e.cmd
	def := ""
	if len(c.formats) > 0 {
		def = c.formats[0]
	}
	fs.StringVar(&e.format, "format", def, "output `format`: "+strings.Join(c.formats, ", "))
	fs.BoolVar(&e.quiet, "quiet", false, "no notes and no progress on stderr")
	fs.StringVar(&e.color, "color", "auto", "colour statuses in text output: auto (a terminal without NO_COLOR), always, never")
	if c.shared&withData != 0 {
		fs.Var((*listFlag)(&e.data), "data", "data `file`: CSV long (metric,period,value) or wide (period,<metric>,...), JSON or Parquet; - is stdin; repeatable")
	}
	if c.shared&withRange != 0 {
		fs.StringVar(&e.from, "from", "", "first evaluated `period` (default: the first period of the data)")
		fs.StringVar(&e.to, "to", "", "last evaluated `period` (default: the last period of the data)")
	}
	if c.shared&withPeriod != 0 {
		fs.StringVar(&e.period, "period", "", "the `period` looked at (default: the last period of the data)")
	}
}

// validate checks the shared flags and the number of positional
// arguments once parsing is done.
func (e *env) validate(nargs int) error {
	c := e.cmd
	if len(c.formats) > 0 {
		if err := oneOf("format", e.format, c.formats); err != nil {
			return err
		}
	}
	if err := oneOf("color", e.color, []string{"auto", "always", "never"}); err != nil {
		return err
	}
	lo, hi := c.args[0], c.args[1]
	switch {
	case nargs < lo:
		return usagef("missing argument: usage: kpitree %s", c.usage)
	case hi >= 0 && nargs > hi:
		return usagef("too many arguments: usage: kpitree %s", c.usage)
	}
	return nil
}

// colored reports whether text output may use colour.
func (e *env) colored() bool {
	switch e.color {
	case "always":
		return true
	case "never":
		return false
	}
	return e.stdoutTTY && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
}

// notef writes a note to stderr unless --quiet: something the user should
// know about the result (values read only as history, partial periods).
func (e *env) notef(format string, args ...any) {
	if e.quiet {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clearProgressLocked()
	fmt.Fprintf(e.stderr, "note: "+format+"\n", args...)
}

// finish ends any progress line.
func (e *env) finish() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clearProgressLocked()
	e.progress = nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(*l, ",")
}

func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}
