package scenario

// Driving a runner from outside its script. An interactive host — the
// browser's bridge, where every button and key becomes one line of the
// scenario language — runs single lines now, between the script's commands
// (Exec), and asks whether a condition holds now, as a lesson's checkpoint
// does (Check). Neither moves the script's position. The transcript grows
// as usual, and Written / WrittenSince cut out what one call printed.

import (
	"errors"
	"fmt"
	"strings"
)

// Exec parses one line of scenario text and runs it now. A syntax error or
// a mistake in the line (an unknown node) is returned as an *Error naming
// name:1 and leaves the runner usable; an invariant violation stops it, as
// in Next. An operating error of the cluster (crashing a node that is down)
// is printed and kept for `expect error`, not returned.
func (r *Runner) Exec(name, line string) (*Command, error) {
	if r.failed != nil {
		return nil, r.failed
	}
	if strings.ContainsAny(line, "\n\r") {
		return nil, &Error{name, 1, "one line at a time: the text holds a line break"}
	}
	s, err := Parse(name, []byte(line))
	if err != nil {
		return nil, err
	}
	if len(s.Commands) != 1 || s.Commands[0].IsNote() {
		return nil, &Error{name, 1, "nothing to run: the line is empty or a comment"}
	}
	cmd := s.Commands[0]
	r.echo(cmd)
	err = commands[cmd.Name].run(r, cmd)
	r.flush()
	if r.cluster != nil && r.cluster.Err() != nil {
		r.failed = &Error{name, cmd.Line, r.cluster.Err().Error()}
		r.printf("FAILED: %v", r.failed)
		return cmd, r.failed
	}
	if err != nil {
		r.printf("error: %v", err)
		return cmd, &Error{name, cmd.Line, err.Error()}
	}
	return cmd, nil
}

// Check evaluates a condition (the words after `expect` or `run until`,
// such as "leader != n1" or "all applied >= 5") against the cluster now.
func (r *Runner) Check(cond string) (bool, error) {
	if err := r.needCluster(); err != nil {
		return false, err
	}
	words := strings.Fields(cond)
	if len(words) == 0 {
		return false, errors.New("an empty condition: write e.g. `leader`, `n2 role=leader` or `term > 2`")
	}
	c, err := parseCondition(words)
	if err != nil {
		return false, fmt.Errorf("condition %q: %w", cond, err)
	}
	return r.holds(c)
}

// Resume clears the failure of the command that ran last — a failed
// `expect`, a `run until` that timed out, a mistake in a line — so that an
// interactive host can carry on with the next command. A violated invariant
// cannot be resumed: the run is over, and Resume returns the violation.
func (r *Runner) Resume() error {
	if r.cluster != nil && r.cluster.Err() != nil {
		return r.failed
	}
	r.failed = nil
	return nil
}

// Flush writes to the transcript the notable trace records of events the
// host carried out itself (playing the simulation between commands), so
// that the next command's output holds only what that command caused.
func (r *Runner) Flush() { r.flush() }

// LastError is the last operating error a command met (the one `expect
// error` reads), or nil.
func (r *Runner) LastError() error { return r.lastErr }

// Written is the length of the transcript so far (without the digest).
func (r *Runner) Written() int { return r.out.Len() }

// WrittenSince is what the transcript gained after it was n long.
func (r *Runner) WrittenSince(n int) string {
	s := r.out.String()
	if n < 0 || n > len(s) {
		panic("scenario.Runner.WrittenSince: offset outside the transcript")
	}
	return s[n:]
}
