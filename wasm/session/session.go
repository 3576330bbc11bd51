package session

// A Session is one learner's cluster in the browser: a scenario runner on a
// simulated cluster, the animation clock that plays it (player.go), the
// journal that can rebuild it (journal.go) and the viewer's choices. Every
// method returns at once: the JS bridge calls them from event handlers, and
// the frame loop calls Advance. A Session is not safe for concurrent use;
// the bridge serialises calls.

import (
	"errors"
	"strings"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/scenario"
	"github.com/etcdlab/etcdlab/core/sim"
	"github.com/etcdlab/etcdlab/viz"
)

// ScriptName is the file name scenario errors cite for a loaded script
// ("scenario:3: ..."); CommandName the one they cite for a single command.
const (
	ScriptName  = "scenario"
	CommandName = "command"
)

// DefaultCluster is the cluster built when a script has no `cluster` line.
const DefaultCluster = "cluster 3"

// Result is the answer to next() and command().
type Result struct {
	OK      bool   `json:"ok"`
	Line    int    `json:"line"`
	Command string `json:"command"`
	Output  string `json:"output"`
	Error   string `json:"error"`
	Done    bool   `json:"done"`
	// Pending: a client request was issued and its answer will appear in
	// the trace (command() makes put/get/delete asynchronous).
	Pending bool `json:"pending,omitempty"`
}

// Session is the state behind the bridge.
type Session struct {
	src     string
	runner  *scenario.Runner
	journal journal
	player  player
	view    viz.View
	// script: runScript() asked to run the remaining commands, one a frame.
	script bool
	// version counts changes, for the bridge's "changed" notifications.
	version uint64
	// event is the last notable trace line, for the header; seen the last
	// trace record looked at.
	event string
	seen  uint64
	// async is an error that happened in a frame (not in a call), waiting
	// to be reported to the page.
	async    string
	reported bool
	// failure is the error of the last command, shown until the next one.
	failure string
	st      *sim.State // cached State of the cluster; nil when stale
}

// New returns a session with src loaded (DefaultCluster if src is empty or
// does not load).
func New(src string) *Session {
	s := &Session{view: viz.DefaultView()}
	s.player = newPlayer()
	if err := s.Load(src); err != nil {
		if err := s.Load(DefaultCluster); err != nil {
			panic("session.New: the default cluster does not load: " + err.Error())
		}
	}
	return s
}

// Load parses a scenario, builds its cluster (its `cluster` line, or
// DefaultCluster) and stops before the first command after it. Nothing else
// runs. On an error the session keeps what it had.
func (s *Session) Load(src string) error {
	r, err := scenario.NewRunner(ScriptName, []byte(src))
	if err != nil {
		return err
	}
	if err := buildCluster(r); err != nil {
		return err
	}
	s.src, s.runner = src, r
	s.journal = journal{}
	s.player = newPlayer()
	s.player.speed = s.view.Speed
	s.view.Selected, s.script, s.event, s.seen = raft.None, false, "", 0
	s.async, s.reported, s.failure = "", false, ""
	s.touch()
	return nil
}

// buildCluster runs the script's leading comments and its `cluster` line,
// or builds DefaultCluster if the script has none.
func buildCluster(r *scenario.Runner) error {
	for cmd := r.Upcoming(); cmd != nil && cmd.IsNote(); cmd = r.Upcoming() {
		if _, err := r.Next(); err != nil {
			return err
		}
	}
	if cmd := r.Upcoming(); cmd != nil && cmd.Name == "cluster" {
		_, err := r.Next()
		return err
	}
	for _, cmd := range r.Script().Commands {
		if cmd.Name == "cluster" {
			return &scenario.Error{File: ScriptName, Line: cmd.Line, Msg: "the `cluster` line must come before every other command"}
		}
	}
	_, err := r.Exec(ScriptName, DefaultCluster)
	return err
}

// Cluster is the simulated cluster.
func (s *Session) Cluster() *sim.Cluster { return s.runner.Cluster() }

// Runner is the scenario runner.
func (s *Session) Runner() *scenario.Runner { return s.runner }

// Version increases with every change a viewer could see.
func (s *Session) Version() uint64 { return s.version }

// touch marks the state changed.
func (s *Session) touch() {
	s.version++
	s.st = nil
}

// State is the cluster now (cached until the next change).
func (s *Session) State() sim.State {
	if s.st == nil {
		st := s.Cluster().State()
		s.st = &st
	}
	return *s.st
}

// Next runs the scenario's next command (skipping comments) to completion.
func (s *Session) Next() Result {
	if s.runner.Err() != nil {
		return Result{Error: s.runner.Err().Error(), Done: true}
	}
	s.runner.Flush()
	at := s.runner.Written()
	for cmd := s.runner.Upcoming(); cmd != nil && cmd.IsNote(); cmd = s.runner.Upcoming() {
		s.runner.Next()
	}
	if s.runner.Done() {
		return Result{Error: "the scenario has no command left", Done: true}
	}
	cmd, err := s.runner.Next()
	s.failure = ""
	if err != nil {
		s.failure = err.Error()
		s.runner.Resume()
	}
	s.journal.next()
	s.afterCommand()
	res := Result{OK: err == nil, Line: cmd.Line, Command: cmd.Text, Output: output(s.runner.WrittenSince(at)), Done: s.nextCommand() == nil}
	if err != nil {
		res.Error = err.Error()
	}
	return res
}

// Command runs one line of the scenario language now. Client requests
// (put, get, delete) are made asynchronous so that the call returns at once;
// their answers arrive in the trace.
func (s *Session) Command(text string) Result {
	line := strings.TrimSpace(text)
	words := strings.Fields(line)
	pending := false
	if len(words) > 0 && (words[0] == "put" || words[0] == "get" || words[0] == "delete") && !contains(words, "async") {
		line += " async"
		pending = true
	}
	s.runner.Flush()
	at := s.runner.Written()
	cmd, err := s.runner.Exec(CommandName, line)
	res := Result{OK: err == nil, Command: line, Output: output(s.runner.WrittenSince(at)), Done: s.nextCommand() == nil}
	if cmd != nil && (err == nil || s.runner.Err() != nil) {
		s.journal.command(line)
		s.afterCommand()
	}
	switch {
	case err != nil:
		res.Error = err.Error()
		pending = false
	case operatingError(res.Output) != "":
		res.OK, res.Error = false, operatingError(res.Output)
	}
	res.Pending = pending && res.OK
	return res
}

// afterCommand: a command may jump the clock; the animation follows at
// once rather than replaying the jump.
func (s *Session) afterCommand() {
	s.touch()
	s.player.shown = s.Cluster().Now()
	s.rescanFlights()
	s.noteFailure()
}

// StepResult is the answer to step().
type StepResult struct {
	OK    bool   `json:"ok"`
	Event string `json:"event"`
	Time  string `json:"time"`
	Error string `json:"error,omitempty"`
}

// Step carries out one event of the simulator.
func (s *Session) Step() StepResult {
	ev, err := s.runner.StepEvent()
	if errors.Is(err, sim.ErrIdle) {
		return StepResult{Error: "nothing left to happen: every node is down and no message is in flight", Time: sim.FormatTime(s.Cluster().Now())}
	}
	s.journal.advance(1, s.Cluster().Now(), s.Cluster().Now())
	s.touch()
	s.scanTrace()
	s.noteFailure()
	res := StepResult{OK: err == nil, Event: strings.TrimPrefix(ev.String(), sim.FormatTime(ev.Time)+" "), Time: sim.FormatTime(ev.Time)}
	if err != nil {
		res.Error = err.Error()
	}
	return res
}

// Check evaluates a condition now. It accepts the words of `expect` or
// `run until` with or without the command word (and ignores `within D`).
func (s *Session) Check(cond string) (bool, error) {
	c := strings.TrimSpace(cond)
	c = strings.TrimPrefix(c, "expect ")
	c = strings.TrimPrefix(c, "run until ")
	if w := strings.Fields(c); len(w) >= 2 && w[len(w)-2] == "within" {
		c = strings.Join(w[:len(w)-2], " ")
	}
	return s.runner.Check(c)
}

// RunScript runs the remaining commands, one per frame (see Advance).
func (s *Session) RunScript() { s.script = true }

// nextCommand is the next command that is not a comment, or nil.
func (s *Session) nextCommand() *scenario.Command {
	up := s.runner.Upcoming()
	if up == nil {
		return nil
	}
	started := false
	for _, cmd := range s.runner.Script().Commands {
		started = started || cmd == up
		if started && !cmd.IsNote() {
			return cmd
		}
	}
	return nil
}

// noteFailure stops the animation when the run is over (an invariant was
// violated) and queues the error for the page, once.
func (s *Session) noteFailure() {
	err := s.Cluster().Err()
	if err == nil || s.reported {
		return
	}
	s.player.playing, s.reported, s.async = false, true, err.Error()
}

// TakeError returns (and forgets) an error that happened during a frame.
func (s *Session) TakeError() string {
	e := s.async
	s.async = ""
	return e
}

// output turns a slice of transcript into what a command printed: the echo
// of the command dropped, the indentation removed.
func output(t string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(t, "\n"), "\n") {
		if strings.HasPrefix(l, "  ") {
			lines = append(lines, l[2:])
		}
	}
	return strings.Join(lines, "\n")
}

// operatingError finds the "error: ..." line a command printed.
func operatingError(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "error: ") {
			return strings.TrimPrefix(l, "error: ")
		}
	}
	return ""
}

func contains(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}
