package main

import (
	"fmt"
	"time"
)

// progress is one line on stderr, redrawn in place, shown only when stderr
// is a terminal and --quiet is not given. It never goes to stdout.
type progress struct {
	label string
	total int64
	done  int64
	start time.Time
	last  time.Time
	shown bool
}

// startProgress begins a progress line for work of total units (0 when
// unknown). It returns a function to report the units done so far; it is
// safe for concurrent use and cheap to call often.
func (e *env) startProgress(label string, total int64) func(done int64) {
	if e.quiet || !e.stderrTTY {
		return func(int64) {}
	}
	e.mu.Lock()
	e.progress = &progress{label: label, total: total, start: time.Now()}
	e.mu.Unlock()
	return func(done int64) {
		e.mu.Lock()
		defer e.mu.Unlock()
		p := e.progress
		if p == nil {
			return
		}
		p.done = done
		now := time.Now()
		if now.Sub(p.last) < 100*time.Millisecond && done != p.total {
			return
		}
		p.last = now
		p.shown = true
		if p.total > 0 {
			pct := 100 * float64(p.done) / float64(p.total)
			fmt.Fprintf(e.stderr, "\r\033[K%s %3.0f%% (%d/%d) %s", p.label, pct, p.done, p.total, now.Sub(p.start).Round(100*time.Millisecond))
		} else {
			fmt.Fprintf(e.stderr, "\r\033[K%s %d %s", p.label, p.done, now.Sub(p.start).Round(100*time.Millisecond))
		}
	}
}

// clearProgressLocked erases the progress line so that a message can be
// written; e.mu is held.
func (e *env) clearProgressLocked() {
	if p := e.progress; p != nil && p.shown {
		fmt.Fprint(e.stderr, "\r\033[K")
		p.shown = false
	}
}
