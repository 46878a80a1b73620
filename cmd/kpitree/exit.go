package main

import (
	"context"
	"errors"
	"fmt"
)

// Exit codes. They are part of the command's interface: scripts and CI
// jobs rely on them.
const (
	// exitOK: the command did its work; for check, no finding at or
	// above --fail-on; for track, every target met where --fail-on asks.
	exitOK = 0
	// exitFindings: check found findings at or above --fail-on, or a
	// command with --fail-on saw a target that failed.
	exitFindings = 1
	// exitInvalid: invalid input or usage: an unknown subcommand or flag,
	// a model or data file that does not load, an evaluation that cannot
	// be done.
	exitInvalid = 2
	// exitInterrupted: stopped by Ctrl-C (SIGINT) or SIGTERM; whatever was
	// written is incomplete and said so on stderr.
	exitInterrupted = 130
)

// errFindings is returned (wrapped) by a subcommand whose work succeeded but
// whose result fails the user's --fail-on bar: exit 1.
var errFindings = errors.New("findings at or above the --fail-on level")

// usageError is a mistake on the command line: exit 2, followed by a hint
// to read the help.
type usageError struct {
	msg string
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitCode maps an error from a subcommand to the process exit code.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, errFindings):
		return exitFindings
	default:
		return exitInvalid
	}
}
