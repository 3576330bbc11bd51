package scenario

// The runner executes a parsed scenario on a simulated cluster, one command
// at a time, and writes the transcript: each command echoed after "> ", then
// what it printed, indented — the notable trace records it caused (role
// changes, votes, commits, snapshots, membership, faults, client answers),
// the results of client commands and expectations, and what `show` shows.
// The debugger drives it with Next (one command) and StepEvent (one event of
// the simulator); the CLI and tests call Run.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// Runner executes a script.
type Runner struct {
	script  *Script
	next    int // index of the next command
	cluster *sim.Cluster
	out     strings.Builder
	failed  error

	printed  uint64 // last trace record written to the transcript
	consumed uint64 // last trace record counted below
	sent     map[raft.MsgType]int
	events   map[string]int

	lastReq *sim.Request
	lastErr error
	// lastAsync: lastReq was issued without waiting (`--async`, the page's
	// command box); its error is read from the request once answered.
	lastAsync bool
	// grants are the `lease grant` requests of etcd mode, in order: Ln
	// names the lease the n-th one granted.
	grants []*sim.Request
	// backups are the files `snapshot save NAME` wrote (etcd mode), by
	// name; they outlive crashes and restores, as files on the operator's
	// machine do.
	backups map[string]*sim.Backup
}

// NewRunner parses src and returns a runner positioned at its first line.
func NewRunner(name string, src []byte) (*Runner, error) {
	s, err := Parse(name, src)
	if err != nil {
		return nil, err
	}
	return &Runner{script: s, sent: map[raft.MsgType]int{}, events: map[string]int{}}, nil
}

// Run executes a whole scenario and returns its transcript, ending with the
// digest of the full trace. On a failure the transcript runs up to the
// failing line, and the error names file and line.
func Run(name string, src []byte) (string, error) {
	r, err := NewRunner(name, src)
	if err != nil {
		return "", err
	}
	err = r.RunAll()
	return r.Transcript(), err
}

// RunAll executes every remaining command.
func (r *Runner) RunAll() error {
	for !r.Done() {
		if _, err := r.Next(); err != nil {
			return err
		}
	}
	return nil
}

// Done reports whether every command ran (or one failed).
func (r *Runner) Done() bool { return r.failed != nil || r.next >= len(r.script.Commands) }

// Err is the failure that stopped the script, or nil.
func (r *Runner) Err() error { return r.failed }

// Cluster is the simulated cluster (nil before the `cluster` command).
func (r *Runner) Cluster() *sim.Cluster { return r.cluster }

// Script is the parsed scenario.
func (r *Runner) Script() *Script { return r.script }

// Upcoming is the command Next will run, or nil when done.
func (r *Runner) Upcoming() *Command {
	if r.Done() {
		return nil
	}
	return r.script.Commands[r.next]
}

// Next runs the next command to completion and returns it.
func (r *Runner) Next() (*Command, error) {
	if r.failed != nil {
		return nil, r.failed
	}
	if r.Done() {
		return nil, errors.New("scenario: no command left to run")
	}
	cmd := r.script.Commands[r.next]
	r.next++
	r.echo(cmd)
	if cmd.IsNote() {
		return cmd, nil
	}
	err := commands[cmd.Name].run(r, cmd)
	r.flush()
	if err == nil && r.cluster != nil && r.cluster.Err() != nil {
		err = r.cluster.Err()
	}
	if err != nil {
		r.failed = &Error{r.script.Name, cmd.Line, err.Error()}
		r.printf("FAILED: %v", r.failed)
		return cmd, r.failed
	}
	return cmd, nil
}

// StepEvent carries out one event of the simulator (between commands, for
// the debugger) and writes it to the transcript.
func (r *Runner) StepEvent() (sim.Event, error) {
	if r.cluster == nil {
		return sim.Event{}, errors.New("scenario: no cluster yet")
	}
	ev, err := r.cluster.Step()
	r.printf("step: %s", ev)
	r.flush()
	return ev, err
}

// Transcript is everything written so far, plus the digest line.
func (r *Runner) Transcript() string { return r.out.String() + r.Digest() + "\n" }

// Digest summarises the full trace in one line: the number of records and
// an FNV-1a hash of all their String() lines.
func (r *Runner) Digest() string {
	if r.cluster == nil {
		return "trace: no cluster"
	}
	n, h := r.cluster.TraceDigest()
	return fmt.Sprintf("trace: %d records, fnv64 %016x", n, h)
}

// echo writes a line of the scenario to the transcript.
func (r *Runner) echo(cmd *Command) {
	switch {
	case cmd.IsNote() && cmd.Comment == "":
		r.out.WriteString("\n")
	case cmd.IsNote():
		r.out.WriteString("# " + cmd.Comment + "\n")
	default:
		r.out.WriteString("> " + cmd.Text + "\n")
	}
}

// printf writes one indented line of output.
func (r *Runner) printf(format string, args ...any) {
	r.out.WriteString("  " + fmt.Sprintf(format, args...) + "\n")
}

// flush writes the notable trace records not yet written.
func (r *Runner) flush() {
	if r.cluster == nil {
		return
	}
	r.count()
	for _, rec := range r.cluster.Trace(r.printed) {
		if rec.Notable() {
			r.printf("%s", rec)
		}
		r.printed = rec.Seq
	}
}

// count updates the counters `expect` reads from the records not yet
// counted.
func (r *Runner) count() {
	for _, rec := range r.cluster.Trace(r.consumed) {
		switch rec.Kind {
		case sim.RecSend, sim.RecHold:
			r.sent[rec.Msg.Type]++
		case sim.RecRaft:
			r.events[rec.Raft.Kind.String()]++
			if rec.Raft.Kind == raft.EvRoleChanged && rec.Raft.Role == raft.Leader {
				r.events["elections"]++
			}
		case sim.RecServer:
			r.events["server"]++
			r.events[rec.Server.Kind.String()]++
		default:
			r.events[rec.Kind.String()]++
		}
		r.consumed = rec.Seq
	}
}

// operating records the outcome of an operator or client command: an
// operating error is printed and kept for `expect error`, not a failure.
func (r *Runner) operating(err error) {
	r.lastErr = err
	if err != nil {
		r.printf("error: %v", err)
	}
}
