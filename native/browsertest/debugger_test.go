package browsertest

// The debugger page (site/debugger.html) as a failing test opens it: the
// URL that core/scenario's and core/sim's tests print on failure, then a
// breakpoint from the menu, Continue, a step of each kind, the inspector,
// a move back and the transcript. Screenshots of it and of a lesson step
// (task, question and code anchors) are saved at the two sizes the site is
// designed for: a laptop (1280×800) and a projector (1920×1080).

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// failingScenario is the debugger's own example: a leader, a write, a crash,
// a new election. Line 4 (crash leader) is where the test "failed".
const failingScenario = `cluster 3 seed=7
run until leader
put x 1
crash leader
run until leader
expect leader != n2
restart n2
run 2s
expect n2 role = follower
`

// debuggerFragment mirrors debuggerURL in core/scenario/scenario_test.go
// and core/sim/random_test.go: the scenario's bytes in unpadded base64url
// and the line that failed, after the page name.
func debuggerFragment(src []byte, line int) string {
	return fmt.Sprintf("/debugger.html#s=%s&line=%d", base64.RawURLEncoding.EncodeToString(src), line)
}

// dbgState is the part of the bridge's state() the debugger test reads.
type dbgState struct {
	appState
	Next *struct {
		Line    int    `json:"line"`
		Command string `json:"command"`
	} `json:"next"`
}

func readDbgState(t *testing.T, ctx context.Context) dbgState {
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](bridge+`.state()`))
	require.NoError(t, err)
	var st dbgState
	require.NoError(t, json.Unmarshal([]byte(raw), &st), raw)
	return st
}

type dbgPosition struct {
	Position int    `json:"position"`
	End      int    `json:"end"`
	Time     string `json:"time"`
}

func readPosition(t *testing.T, ctx context.Context) dbgPosition {
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](bridge+`.position()`))
	require.NoError(t, err)
	var p dbgPosition
	require.NoError(t, json.Unmarshal([]byte(raw), &p), raw)
	return p
}

// text reads the textContent of the element with the given id.
func text(t *testing.T, ctx context.Context, id string) string {
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById(`+fmt.Sprintf("%q", id)+`).textContent`))
	require.NoError(t, err)
	return s
}

func TestDebuggerFromAFailingTestURL(t *testing.T) {
	execPath := chromium(t)
	dir := siteDir(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ctx := browser(t, execPath)
	ctx, cancel := context.WithTimeout(ctx, 100*time.Second)
	defer cancel()

	// Open the failing test's URL: the page loads the scenario and runs
	// the commands before line 4, then stops.
	const failedLine = 4
	url := srv.URL + debuggerFragment([]byte(failingScenario), failedLine)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.Poll[chromedp.Void](`document.getElementById("app-status").textContent.startsWith("Stopped before line")`,
			chromedp.WithPollingTimeout(60*time.Second)),
	), "the debugger did not open the failing test's URL")
	st := readDbgState(t, ctx)
	require.NotNil(t, st.Next, "a command should be left after line 3")
	require.Equal(t, failedLine, st.Next.Line, "stopped before the failed line")
	require.Equal(t, "crash leader", st.Next.Command)
	require.NotEmpty(t, st.Leader, "`run until leader` on line 2 ran")
	current, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#script-view li.current").textContent`))
	require.NoError(t, err)
	require.Contains(t, current, "crash leader", "the script view highlights the next command")
	oldLeader := st.Leader

	// Run line 4 (crash leader): no leader any more.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#next-cmd"))))
	st = readDbgState(t, ctx)
	require.Empty(t, st.Leader, "the leader %s is still up after `crash leader`", oldLeader)
	require.Equal(t, 5, st.Next.Line)

	// The menu's breakpoint, then Continue: it stops once a node leads.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.bp-menu button[data-bp="leader"]`)),
		chromedp.WaitVisible(chromedp.CSS("#breakpoints li")),
		chromedp.Click(chromedp.CSS("#continue")),
		chromedp.Poll[chromedp.Void](`document.getElementById("app-status").textContent.startsWith("Breakpoint 1 holds")`,
			chromedp.WithPollingTimeout(30*time.Second)),
	), "Continue did not stop at the breakpoint; status: %s", text(t, ctx, "app-status"))
	st = readDbgState(t, ctx)
	require.NotEmpty(t, st.Leader, "Continue stopped without a leader")
	require.NotEqual(t, oldLeader, st.Leader, "the crashed node cannot lead")
	require.Equal(t, "leader", roleOf(st.appState, st.Leader))
	hit, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#breakpoints li.hit").length`))
	require.NoError(t, err)
	require.Equal(t, 1, hit, "the breakpoint that held is marked")
	t.Logf("breakpoint: %s leads in term %d at %s", st.Leader, st.Term, st.Time)
	screenshot(t, ctx, "debugger-breakpoint-1280x800")

	// One command (line 5, run until leader: it holds at once), then one
	// event, so that the move back below undoes an event.
	before := readPosition(t, ctx)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#next-cmd"))))
	afterCmd := readPosition(t, ctx)
	require.Equal(t, before.Position+1, afterCmd.Position, "Next command is one move")
	st = readDbgState(t, ctx)
	require.Equal(t, 6, st.Next.Line, "line 5 ran")
	require.Contains(t, text(t, ctx, "app-status"), "Ran line 5")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#step-ev"))))
	afterEvent := readPosition(t, ctx)
	require.Equal(t, afterCmd.Position+1, afterEvent.Position, "Step event is one move")
	require.Equal(t, 6, readDbgState(t, ctx).Next.Line, "an event runs no command")

	// A node's full state in the inspector: its log included.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#nodes tr[data-node="`+st.Leader+`"]`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("inspect-out").textContent.includes('"log"')`,
			chromedp.WithPollingTimeout(5*time.Second)),
	), "clicking the leader's row shows no node state")
	var node struct {
		ID   string
		Role string
		Log  []struct{ Text string }
	}
	require.NoError(t, json.Unmarshal([]byte(text(t, ctx, "inspect-out")), &node))
	require.Equal(t, st.Leader, node.ID)
	require.Equal(t, "leader", node.Role)
	require.True(t, logHas(node.Log, "put x 1"), "the leader's log holds put x 1: %+v", node.Log)

	// A message's fields: step until one is in flight, click its row.
	for i := 0; i < 200 && len(st.Messages) == 0; i++ {
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#step-ev"))))
		st = readDbgState(t, ctx)
	}
	require.NotEmpty(t, st.Messages, "no message in flight within 200 events")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Poll[chromedp.Void](`document.querySelector("#messages tbody tr")`, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Click(chromedp.CSS("#messages tbody tr")),
		chromedp.Poll[chromedp.Void](`document.getElementById("inspect-out").textContent.startsWith("message m")`,
			chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.WaitVisible(chromedp.CSS("#drop-msg")),
	), "clicking a message in flight shows no message")
	out := text(t, ctx, "inspect-out")
	for _, field := range []string{`"from"`, `"to"`, `"type"`, `"term"`} {
		require.Contains(t, out, field, "the inspected message lacks a field")
	}
	screenshot(t, ctx, "debugger-inspect-message-1280x800")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#nodes tr[data-node="`+st.Leader+`"]`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("inspect-out").textContent.startsWith("{")`,
			chromedp.WithPollingTimeout(5*time.Second)),
	), "after a message, clicking a node's row does not inspect the node")

	// One event back: the event is undone, line 5 is not.
	here := readPosition(t, ctx)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#back-ev"))))
	back := readPosition(t, ctx)
	require.Equal(t, here.Position-1, back.Position, "Back is one move")
	require.Equal(t, here.Position, back.End, "the undone move stays as the future")
	require.Equal(t, 6, readDbgState(t, ctx).Next.Line, "Back undid an event, not line 5")
	require.NoError(t, chromedp.Do(ctx, chromedp.Poll[chromedp.Void](
		`document.querySelector("#script-view li.current .ln").textContent === "6"`, chromedp.WithPollingTimeout(5*time.Second))),
		"after Back the script view does not highlight line 6")

	// The transcript shows every command carried out, in order.
	require.NoError(t, chromedp.Do(ctx, chromedp.Poll[chromedp.Void](
		`document.getElementById("transcript").textContent.includes("crash leader")`, chromedp.WithPollingTimeout(5*time.Second))),
		"the transcript lacks the commands: %q", text(t, ctx, "transcript"))
	transcript := text(t, ctx, "transcript")
	last := -1
	for _, cmd := range []string{"run until leader", "put x 1", "crash leader", "run until leader"} {
		i := strings.Index(transcript[last+1:], cmd)
		require.GreaterOrEqual(t, i, 0, "the transcript lacks %q after offset %d:\n%s", cmd, last, transcript)
		last += 1 + i
	}

	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1920, 1080), chromedp.Sleep(300*time.Millisecond)))
	screenshot(t, ctx, "debugger-1920x1080")
}

func logHas(log []struct{ Text string }, text string) bool {
	for _, e := range log {
		if e.Text == text {
			return true
		}
	}
	return false
}

// TestLessonStepScreenshots opens a lesson step with a task, a question and
// code anchors, answers the question, opens an anchor, and saves the page
// at both sizes.
func TestLessonStepScreenshots(t *testing.T) {
	execPath := chromium(t)
	dir := siteDir(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ctx := browser(t, execPath)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/lesson.html?lesson=02-log-replication#step=3"),
		chromedp.Poll[chromedp.Void](`window.lessonPage && window.lessonPage.ready && !window.lessonPage.loading`, chromedp.WithPollingTimeout(60*time.Second)),
		chromedp.WaitVisible(chromedp.CSS("#task")),
		chromedp.WaitVisible(chromedp.CSS("#question")),
		chromedp.WaitVisible(chromedp.CSS("#anchors details")),
	), "the lesson step did not show its task, question and anchors")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#question-answers input")),
		chromedp.WaitVisible(chromedp.CSS("#question-feedback")),
		chromedp.Click(chromedp.CSS("#anchors details summary")),
		chromedp.WaitVisible(chromedp.CSS("#anchors details pre")),
	))
	fb, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("question-feedback").textContent`))
	require.NoError(t, err)
	require.Regexp(t, `^(Correct|Not quite)\.`, fb, "answering shows feedback")
	// The narration scrolls on its own (it stays beside the cluster):
	// bring the task, then the code, into its view for the screenshots.
	for _, size := range [][2]int64{{1280, 800}, {1920, 1080}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1]),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(scrollNarration, "task")),
			chromedp.Sleep(300*time.Millisecond)))
		viewportShot(t, ctx, "lesson-task-question-"+name)
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(scrollNarration, "anchors")),
			chromedp.Sleep(200*time.Millisecond)))
		viewportShot(t, ctx, "lesson-anchors-"+name)
	}
}

// scrollNarration scrolls the lesson's narration (it scrolls on its own,
// beside the cluster) so that the element with id %q is at its top.
const scrollNarration = `(() => { const n = document.getElementById("narration"), e = document.getElementById(%q);
  n.scrollTop += e.getBoundingClientRect().top - n.getBoundingClientRect().top - 8; })()`

// viewportShot saves what the window shows (not the whole page, whose
// sticky narration a full-page capture would stretch) and logs where.
func viewportShot(t *testing.T, ctx context.Context, name string) {
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	path := filepath.Join(os.TempDir(), "etcdlab-browsertest-"+name+".png")
	require.NoError(t, os.WriteFile(path, shot, 0o644))
	t.Logf("screenshot: %s", path)
}
