package main

// Two tools run the same steps: etcdctl (Debian's 3.4 binary, a process)
// and ours (the client commands in-process, their exit recorded instead of
// taken). A step's transcript is its command line, stdout, the Error lines
// of stderr and the exit code; scenario tests compare the two transcripts.

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// result is what one command did.
type result struct {
	stdout, stderr string
	code           int
}

// tool runs a client command with an environment and stdin. until, if not
// empty, makes the command a stream: it is stopped (Ctrl-C for ours, kill
// for etcdctl) once stdout contains until.
type tool interface {
	name() string
	run(t *testing.T, env []string, stdin string, until string, args []string) result
}

type ourTool struct{}

func (ourTool) name() string { return "etcdlab" }

func (ourTool) run(t *testing.T, env []string, stdin, until string, args []string) result {
	code := 0
	rt := &clientRuntime{exit: func(c int) { code = c }, environ: func() []string { return env }}
	root := &cobra.Command{Use: "etcdlab", SilenceErrors: true, SilenceUsage: true}
	root.AddCommand(clientCommands(rt)...)
	root.AddCommand(newBenchCommand())
	var stdout, stderr syncBuffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(args)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	if until != "" {
		waitFor(t, fmt.Sprintf("%q in the output of %v (so far %q)", until, args, stdout.String()),
			func() bool { return strings.Contains(stdout.String(), until) })
		cancel()
	}
	if err := <-done; err != nil {
		fmt.Fprintln(&stderr, "Error:", err)
		code = 1
	}
	return result{stdout.String(), stderr.String(), code}
}

type etcdctlTool struct{}

func (etcdctlTool) name() string { return "etcdctl" }

func (etcdctlTool) run(t *testing.T, env []string, stdin, until string, args []string) result {
	var stdout, stderr syncBuffer
	cmd := exec.Command(etcdctlPath, args...)
	cmd.Env = append([]string{"ETCDCTL_API=3"}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("etcdctl: %v", err)
	}
	if until != "" {
		waitFor(t, fmt.Sprintf("%q in etcdctl's output of %v", until, args),
			func() bool { return strings.Contains(stdout.String(), until) })
		cmd.Process.Kill()
		cmd.Wait()
		return result{stdout.String(), stderr.String(), 0}
	}
	err := cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	return result{stdout.String(), stderr.String(), code}
}

// step is one command of a scenario. Args may hold {name} placeholders
// filled from earlier captures; capture takes a value from this step's
// stdout (the regexp's first group) under a name.
type step struct {
	args    string
	stdin   string
	until   string
	capture map[string]string
	env     []string
	skipOut bool // compare only exit code and errors (output differs by design)
	// looseSpacing collapses runs of spaces and dashes: a table whose
	// column width follows an elapsed time.
	looseSpacing bool
	// mask is a regexp whose groups (a remaining TTL, a database size
	// that follows bbolt's growth) are shown as N.
	mask string
	// unordered: the members of a cluster come ordered by ID, and a new
	// member's ID carries a clock; compare rows and lists as sets.
	unordered bool
	// do, if set, replaces the command: setup the same for both tools.
	do func(t *testing.T, endpoint string)
}

// transcript runs the steps with one tool against a server and returns what
// they printed, captured values replaced by their names.
func transcript(t *testing.T, tl tool, endpoint string, steps []step) string {
	var sb strings.Builder
	captured := map[string]string{"endpoint": endpoint}
	for _, st := range steps {
		if st.do != nil {
			st.do(t, endpoint)
			continue
		}
		line := st.args
		for name, v := range captured {
			line = strings.ReplaceAll(line, "{"+name+"}", v)
		}
		words, err := splitArgs(line)
		if err != nil {
			t.Fatalf("step %q: %v", st.args, err)
		}
		env := []string{"ETCDCTL_ENDPOINTS=" + endpoint}
		for _, e := range st.env {
			env = append(env, strings.ReplaceAll(e, "{endpoint}", endpoint))
		}
		r := tl.run(t, env, st.stdin, st.until, words)
		for name, expr := range st.capture {
			m := regexp.MustCompile(expr).FindStringSubmatch(r.stdout)
			if m == nil {
				t.Fatalf("%s: step %q: no %s (%s) in output %q %q", tl.name(), st.args, name, expr, r.stdout, r.stderr)
			}
			captured[name] = m[1]
		}
		fmt.Fprintf(&sb, "$ %s\n", st.args)
		if st.mask != "" {
			re := regexp.MustCompile(st.mask)
			r.stdout = re.ReplaceAllStringFunc(r.stdout, func(m string) string {
				g := re.FindStringSubmatchIndex(m)
				for i := len(g) - 2; i >= 2; i -= 2 {
					if g[i] >= 0 {
						m = m[:g[i]] + "N" + m[g[i+1]:]
					}
				}
				return m
			})
		}
		if st.unordered {
			r.stdout = unorder(normalise(r.stdout, captured))
		}
		switch {
		case st.skipOut:
		case st.looseSpacing:
			sb.WriteString(looseRuns.ReplaceAllString(tookPattern.ReplaceAllString(r.stdout, "${1}T"), "$1"))
		default:
			sb.WriteString(r.stdout)
		}
		sb.WriteString(errorLines(r.stderr))
		fmt.Fprintf(&sb, "exit %d\n", r.code)
	}
	return normalise(sb.String(), captured)
}

// splitArgs splits a step's command line; 'single quotes' group words.
func splitArgs(line string) ([]string, error) {
	var words []string
	for _, part := range regexp.MustCompile(`'[^']*'|\S+`).FindAllString(line, -1) {
		words = append(words, strings.Trim(part, "'"))
	}
	return words, nil
}

// errorLines keeps the lines of stderr a user acts on; etcdctl 3.4's
// client also logs JSON retry warnings there, which ours does not.
func errorLines(stderr string) string {
	var sb strings.Builder
	for _, l := range strings.SplitAfter(stderr, "\n") {
		if l == "" || strings.HasPrefix(l, "{\"level\"") {
			continue
		}
		sb.WriteString("stderr: " + l)
	}
	return sb.String()
}

var looseRuns = regexp.MustCompile(`([ -])[ -]*`)

var tookPattern = regexp.MustCompile(`(took = |"took":"|"Took" : |\| +)[0-9.]+(µs|ms|s|ns)`)

// normalise replaces captured values (IDs that differ by necessity, such
// as lease IDs, which carry the time they were made) by their names, in hex
// and decimal, and elapsed times by "T".
func normalise(s string, captured map[string]string) string {
	for name, v := range captured {
		s = strings.ReplaceAll(s, v, "<"+name+">")
		var n uint64
		if _, err := fmt.Sscanf(v, "%x", &n); err == nil && len(v) >= 8 {
			s = strings.ReplaceAll(s, fmt.Sprint(n), "<"+name+">")
		}
	}
	// "Member %16x" pads an ID that has a leading zero digit with a space.
	s = paddedMember.ReplaceAllString(s, "Member <")
	return tookPattern.ReplaceAllString(s, "${1}T")
}

var paddedMember = regexp.MustCompile(`Member +<`)

// compareTools runs the steps with etcdctl on a fresh server, then with
// ours on the same server restarted empty, and compares the transcripts.
func compareTools(t *testing.T, steps []step, serverFlags ...string) {
	requireEtcdctl(t)
	srv := newTestServer(t)
	var got [2]string
	for i, tl := range []tool{etcdctlTool{}, ourTool{}} {
		srv.start(t, serverFlags...)
		got[i] = transcript(t, tl, srv.clientURL, steps)
		srv.stop()
	}
	if got[0] != got[1] {
		t.Errorf("transcripts differ\n%s", lineDiff(got[0], got[1]))
	}
}

// lineDiff shows the first differing lines of two transcripts, with context.
func lineDiff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			lo := max(0, i-6)
			return fmt.Sprintf("at line %d\n--- etcdctl:\n%s\n--- etcdlab:\n%s",
				i+1, strings.Join(a[lo:min(len(a), i+6)], "\n"), strings.Join(b[lo:min(len(b), i+6)], "\n"))
		}
	}
	return ""
}

var manySpaces = regexp.MustCompile(` {2,}`)

var placeholder = regexp.MustCompile(`:(<\w+>)`)

// unorder sorts the lines of out, the items of an ETCD_INITIAL_CLUSTER
// line, and the "members" of a JSON answer. It runs on normalised output,
// so that rows sort the same whatever the new member's ID.
func unorder(out string) string {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for i, l := range lines {
		// A new member's ID may be a digit shorter (a leading zero):
		// table padding then differs.
		l = manySpaces.ReplaceAllString(l, " ")
		lines[i] = l
		if rest, ok := strings.CutPrefix(l, "ETCD_INITIAL_CLUSTER="); ok {
			items := strings.Split(strings.Trim(rest, `"`), ",")
			slices.Sort(items)
			lines[i] = "ETCD_INITIAL_CLUSTER=" + strings.Join(items, ",")
		}
		var v map[string]any
		// Placeholders left by normalise become strings, so the line
		// parses again.
		l = placeholder.ReplaceAllString(l, `:"$1"`)
		dec := json.NewDecoder(strings.NewReader(l))
		dec.UseNumber()
		if strings.HasPrefix(l, "{") && dec.Decode(&v) == nil {
			if members, ok := v["members"].([]any); ok {
				slices.SortFunc(members, func(a, b any) int {
					x, _ := json.Marshal(a)
					y, _ := json.Marshal(b)
					return strings.Compare(string(x), string(y))
				})
			}
			b, _ := json.Marshal(v)
			lines[i] = string(b)
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}
