package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInterrupted: a cancelled context (Ctrl-C) ends the command with exit
// 130 and says that the output is incomplete.
func TestInterrupted(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.yaml")
	data := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(model, []byte(shopModel), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(data, []byte("metric,period,value\nvisitors,2027-01,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"eval", model, "--data", data}, system{stdout: &stdout, stderr: &stderr})
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	if !strings.Contains(stderr.String(), "interrupted; the output is incomplete") {
		t.Errorf("stderr %q", stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("output written after the interrupt: %q", stdout.String())
	}
}

// TestProgressOnlyOnTerminal: progress goes to stderr only when it is a
// terminal and --quiet is not given.
func TestProgressOnlyOnTerminal(t *testing.T) {
	for _, tt := range []struct {
		tty, quiet, want bool
	}{{true, false, true}, {false, false, false}, {true, true, false}} {
		var stderr bytes.Buffer
		e := newEnv(evalCmd, system{stderr: &stderr, stderrTTY: tt.tty})
		e.quiet = tt.quiet
		tick := e.startProgress("reading", 2)
		tick(2)
		e.finish()
		if got := strings.Contains(stderr.String(), "reading"); got != tt.want {
			t.Errorf("tty=%v quiet=%v: progress shown %v, want %v (%q)", tt.tty, tt.quiet, got, tt.want, stderr.String())
		}
	}
}

func TestColor(t *testing.T) {
	for _, tt := range []struct {
		tty     bool
		noColor string
		flag    string
		want    bool
	}{{true, "", "auto", true}, {true, "1", "auto", false}, {false, "", "auto", false}, {false, "", "always", true}, {true, "", "never", false}} {
		e := newEnv(evalCmd, system{stdoutTTY: tt.tty, getenv: func(k string) string {
			if k == "NO_COLOR" {
				return tt.noColor
			}
			return ""
		}})
		e.color = tt.flag
		if got := e.colored(); got != tt.want {
			t.Errorf("tty=%v NO_COLOR=%q --color %s: %v, want %v", tt.tty, tt.noColor, tt.flag, got, tt.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	names := []string{"eval", "check", "track", "simulate", "sensitivity"}
	for in, want := range map[string]string{"evl": "eval", "chekc": "check", "simualte": "simulate", "sens": "sensitivity", "xyz": ""} {
		if got := closest(in, names); got != want {
			t.Errorf("closest(%q) = %q, want %q", in, got, want)
		}
	}
}
