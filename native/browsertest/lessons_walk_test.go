package browsertest

// The lesson walk: every step of every lesson in site/dist/lessons.json,
// opened in one headless Chromium the way a student meets it: the
// lesson's URL for its first step, then #step=N for each next one (as the
// step links and Next do). For each
// step the page must run the step's script without an error (the
// script's `expect` lines run in the browser too), show the step, and
// leave the app in a state that fits it; a task must be open right after
// the script and complete once its solution is typed into the command box
// and the cluster is stepped with the Step button, as the page itself
// judges (lesson.js checkTask); a question must answer every wrong choice
// with its feedback and the right one with "Correct.". `go test
// ./lessons/` proves the same scripts and solutions in Go; this test
// proves that the page and the wasm app agree with it.
//
// Everything a student would click is driven through the page's own
// elements (the command form, #step-event, #play, the answer radios), but
// by JavaScript in the page rather than by synthetic mouse events: a real
// click costs a round trip and a layout per event, and a task can take a
// few hundred events. TestLeaderElectionLessonInChromium covers real
// clicks.
//
// Each lesson gets a tab of its own, and every call into the page has a
// deadline: a page that stops answering (a frame of the app that never
// ends) fails its step, skips the rest of its lesson and leaves the other
// lessons to walk. A failed step saves a screenshot in os.TempDir().

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// Bounds of the walk. A task's solution is a few commands; stepping after
// it only delivers what they started (a client's answer, an election), so
// a few thousand events is far more than any task needs.
const (
	walkLoadTimeout   = 30 * time.Second // the first load compiles the wasm app
	walkStepTimeout   = 15 * time.Second // a step's script in an app already running
	walkCallTimeout   = 15 * time.Second // any other call into the page
	walkSettleEvents  = 2000             // events to wait for a client's answer
	walkTaskEvents    = 5000             // events to wait for a task's conditions
	walkBudgetMillis  = 10000            // the page's time for either (< walkCallTimeout)
	walkFailureShotTo = "etcdlab-lessons-walk-%s-step%d.png"
)

// walkCatalog is the part of lessons.json the walk reads.
type walkCatalog struct {
	Lessons []walkLesson `json:"lessons"`
}

type walkLesson struct {
	ID    string     `json:"id"`
	Title string     `json:"title"`
	Steps []walkStep `json:"steps"`
}

type walkStep struct {
	Title    string        `json:"title"`
	Scenario string        `json:"scenario"`
	Script   string        `json:"script"`
	Play     float64       `json:"play"`
	Task     *walkTask     `json:"task"`
	Question *walkQuestion `json:"question"`
}

type walkTask struct {
	Done     []string `json:"done"`
	Solution string   `json:"solution"`
}

type walkQuestion struct {
	Answers []struct {
		Text         string `json:"text"`
		Correct      bool   `json:"correct"`
		FeedbackHTML string `json:"feedbackHTML"`
	} `json:"answers"`
}

// etcdMode reports whether the step's cluster runs the etcd server (a
// `cluster N etcd ...` line), so that the key space has revisions.
func (s walkStep) etcdMode() bool {
	for _, line := range strings.Split(s.Script, "\n") {
		w := strings.Fields(line)
		if len(w) > 0 && w[0] == "cluster" {
			return slices.Contains(w, "etcd")
		}
	}
	return false
}

// walkJS is installed in the lesson page after each load: small functions
// that read what the page shows and act through its own controls.
const walkJS = `window.walk = (() => {
  const $ = (id) => document.getElementById(id);
  const api = () => $("app").contentWindow.etcdlab;
  const appErrors = [];
  window.addEventListener("message", (ev) => {
    const d = ev.data;
    if (d && d.source === "etcdlab" && d.kind === "error") appErrors.push(String(d.error));
  });
  const state = () => JSON.parse(api().state());
  const step = () => $("step-event").click();
  function view() {
    const st = state();
    return {
      step: lessonPage.step, taskDone: lessonPage.taskDone, title: $("step-title").textContent,
      status: $("app-status").textContent, statusError: $("app-status").classList.contains("error"),
      taskHidden: $("task").hidden, taskComplete: $("task").classList.contains("complete"),
      taskStatus: $("task-status").textContent, questionHidden: $("question").hidden,
      failed: st.failed || "", nodes: st.nodes.length, up: st.nodes.filter((n) => n.up).length,
      leader: st.leader, time: st.time, playing: st.playing, requests: st.requests,
      kvNodes: st.nodes.filter((n) => Object.keys(n.kv || {}).length > 0).length,
      rows: document.querySelectorAll("#nodes tbody tr").length,
      appErrors: appErrors.splice(0),
    };
  }
  return {
    view,
    // loaded: null until step i's script has run; then the cluster is
    // paused with the page's Play button (a step may start it) and the
    // page is described.
    loaded(i) {
      const p = window.lessonPage;
      if (!p || !p.ready || p.loading || p.step !== i) return null;
      if (state().playing) $("play").click();
      return view();
    },
    // type: one line into the command box, submitted as Enter would.
    type(line) {
      $("command").value = line;
      $("command").form.requestSubmit();
      return { status: $("app-status").textContent, error: $("app-status").classList.contains("error") };
    },
    // settle: Step until no client request waits for its answer, for at
    // most max events or budgetMs of the page's time.
    settle(max, budgetMs) {
      const end = performance.now() + budgetMs;
      let n = 0;
      for (; n < max && performance.now() < end && state().requests.length > 0; n++) step();
      return n;
    },
    // stepUntilDone: Step until the page marks the task done (same bounds).
    stepUntilDone(max, budgetMs) {
      const end = performance.now() + budgetMs;
      let n = 0;
      for (; n < max && performance.now() < end && !lessonPage.taskDone; n++) step();
      return { events: n, done: lessonPage.taskDone, ms: Math.round(performance.now() - end + budgetMs) };
    },
    check(cond) { return JSON.parse(api().check(cond)); },
    // answer: choose answer j; the page's feedback as it shows it, and
    // whether it ends with the text of feedbackHTML.
    answer(j, feedbackHTML) {
      $("answer-" + j).click();
      const fb = $("question-feedback"), want = document.createElement("div");
      want.innerHTML = feedbackHTML;
      return { hidden: fb.hidden, className: fb.className, text: fb.textContent, checked: $("answer-" + j).checked,
        hasFeedback: want.textContent.trim() !== "" && fb.textContent.trim().endsWith(want.textContent.trim()) };
    },
    // revisions: how many running members have a key space with a revision
    // (what the etcd panels draw).
    revisions() {
      return state().nodes.filter((n) => n.up && JSON.parse(api().check(n.id + " revision >= 1")).value === true).length;
    },
  };
})(); true`

// walkView is walk.view() in Go.
type walkView struct {
	Step           int      `json:"step"`
	TaskDone       bool     `json:"taskDone"`
	Title          string   `json:"title"`
	Status         string   `json:"status"`
	StatusError    bool     `json:"statusError"`
	TaskHidden     bool     `json:"taskHidden"`
	TaskComplete   bool     `json:"taskComplete"`
	TaskStatus     string   `json:"taskStatus"`
	QuestionHidden bool     `json:"questionHidden"`
	Failed         string   `json:"failed"`
	Nodes          int      `json:"nodes"`
	Up             int      `json:"up"`
	Leader         string   `json:"leader"`
	Time           string   `json:"time"`
	Playing        bool     `json:"playing"`
	Requests       []string `json:"requests"`
	KVNodes        int      `json:"kvNodes"`
	Rows           int      `json:"rows"`
	AppErrors      []string `json:"appErrors"`
}

// consoleLog collects the page's console errors and uncaught exceptions
// (the app's iframe is same-origin, so its console is the tab's).
type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

func watchConsole(ctx context.Context) *consoleLog {
	c := &consoleLog{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && !m.IsException() || strings.HasSuffix(m.URL, "/favicon.ico") {
				continue // the site has no icon: Chromium's request for one is no error of the page
			}
			c.mu.Lock()
			c.msgs = append(c.msgs, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
			c.mu.Unlock()
		}
	}()
	return c
}

// take returns the messages since the last take.
func (c *consoleLog) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.msgs
	c.msgs = nil
	return out
}

func readCatalog(t *testing.T, dir string) walkCatalog {
	raw, err := os.ReadFile(filepath.Join(dir, "lessons.json"))
	require.NoError(t, err)
	var cat walkCatalog
	require.NoError(t, json.Unmarshal(raw, &cat))
	require.NotEmpty(t, cat.Lessons, "lessons.json lists no lesson")
	return cat
}

func TestEveryLessonStepInChromium(t *testing.T) {
	execPath := chromium(t)
	dir := siteDir(t)
	cat := readCatalog(t, dir)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ctx := browser(t, execPath)
	require.NoError(t, chromedp.Do(ctx), "starting Chromium")

	start := time.Now()
	var n walkCounts
	for _, l := range cat.Lessons {
		t.Run(l.ID, func(t *testing.T) { walkLessonTab(t, ctx, srv.URL, l, &n) })
	}
	t.Logf("walked %d lessons in %.1f s: %d of %d steps, %d of %d tasks, %d of %d questions passed",
		len(cat.Lessons), time.Since(start).Seconds(), n.steps, n.allSteps, n.tasks, n.allTasks, n.questions, n.allQuestions)
}

// walkCounts counts what the walk met and what passed.
type walkCounts struct {
	steps, tasks, questions          int
	allSteps, allTasks, allQuestions int
}

// walkLessonTab walks one lesson in a tab of its own: a page that hangs
// (a frame of the app that never ends) takes only its own tab down.
func walkLessonTab(t *testing.T, browserCtx context.Context, base string, l walkLesson, n *walkCounts) {
	tab := &walkTab{}
	var closeTab context.CancelFunc
	tab.ctx, closeTab = chromedp.NewContext(browserCtx)
	defer closeTab()
	tab.console = watchConsole(tab.ctx)
	lessonStart := time.Now()
	for i, s := range l.Steps {
		n.allSteps++
		if s.Task != nil {
			n.allTasks++
		}
		if s.Question != nil {
			n.allQuestions++
		}
		t.Run(fmt.Sprintf("step%02d", i+1), func(t *testing.T) {
			w := &walker{t: t, tab: tab, lesson: l, i: i, step: s}
			if tab.hung != "" {
				t.Fatalf("%s: not walked: the page stopped answering at %s", w.where(), tab.hung)
			}
			defer w.screenshotOnFailure()
			w.open(base)
			if s.Task != nil {
				w.task()
				n.tasks++
			}
			if s.Question != nil {
				w.question()
				n.questions++
			}
			w.noConsoleErrors()
			n.steps++
		})
	}
	t.Logf("%s: %d steps in %.1f s", l.ID, len(l.Steps), time.Since(lessonStart).Seconds())
}

// walkTab is the lesson's browser tab.
type walkTab struct {
	ctx     context.Context
	console *consoleLog
	hung    string // the step where the page stopped answering, if it did
}

// walker walks one step of one lesson. Its checks stop the step at the
// first failure (require); the walk goes on with the next step, which
// loads its own script.
type walker struct {
	t      *testing.T
	tab    *walkTab
	lesson walkLesson
	i      int // the step, from 0
	step   walkStep
}

// where names the step in every failure.
func (w *walker) where() string {
	return fmt.Sprintf("lesson %s, step %d %q", w.lesson.ID, w.i+1, w.step.Title)
}

// walkEval runs a JavaScript expression and decodes its value into T.
// The page's loops are bounded by walkBudgetMillis, so a call that takes
// much longer means the page hangs.
func walkEval[T any](w *walker, expr string) T {
	return walkRun(w, chromedp.Evaluate[T](expr), walkCallTimeout, "evaluating "+expr)
}

// walkRun runs one action on the lesson's tab within timeout.
func walkRun[T any](w *walker, a chromedp.Action[T], timeout time.Duration, what string) T {
	ctx, cancel := context.WithTimeout(w.tab.ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil && ctx.Err() != nil {
		w.tab.hung = fmt.Sprintf("step %d (%s)", w.i+1, what)
		require.FailNow(w.t, fmt.Sprintf("%s: the page did not answer within %s while %s: it hangs (a frame of the app that does not end?)", w.where(), timeout, what))
	}
	require.NoError(w.t, err, "%s: %s", w.where(), what)
	return v
}

// open shows the step: a fresh page load for a lesson's first step, a new
// URL fragment for the others (as the page's step links and Next do:
// walking forward onto a step without a scenario keeps the cluster), then
// waits until the step's script ran and checks what the page shows.
func (w *walker) open(base string) {
	url := fmt.Sprintf("%s/lesson.html?lesson=%s#step=%d", base, w.lesson.ID, w.i+1)
	timeout := walkStepTimeout
	if w.i == 0 {
		timeout = walkLoadTimeout
		walkRun(w, chromedp.Steps(chromedp.Navigate(url), chromedp.Evaluate[chromedp.Void](walkJS)), timeout, "opening "+url)
	} else {
		walkEval[bool](w, fmt.Sprintf("location.hash = %q; true", fmt.Sprintf("#step=%d", w.i+1)))
	}
	loaded := chromedp.Poll[walkView](fmt.Sprintf("window.walk && walk.loaded(%d)", w.i),
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(timeout))
	v := walkRun(w, loaded, timeout+5*time.Second, "waiting for the step's script to run")
	w.checkShown(v)
}

// status is the page's status line, for failure messages.
func (w *walker) status() string {
	ctx, cancel := context.WithTimeout(w.tab.ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("app-status").textContent`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return s
}

// checkShown: the step as the page shows it right after its script.
func (w *walker) checkShown(v walkView) {
	t, where := w.t, w.where()
	require.Equal(t, fmt.Sprintf("%d. %s", w.i+1, w.step.Title), v.Title, "%s: the page shows another step", where)
	require.False(t, v.StatusError, "%s: the page shows an error: %s", where, v.Status)
	require.Empty(t, v.Failed, "%s: the app reports a failure after the step's script", where)
	require.Empty(t, v.AppErrors, "%s: the app posted errors", where)
	require.Positive(t, v.Nodes, "%s: the app's state has no node", where)
	require.Equal(t, v.Nodes, v.Rows, "%s: the nodes table does not show every node of the app's state", where)
	require.Equal(t, w.step.Task == nil, v.TaskHidden, "%s: the task box is shown iff the step has a task", where)
	require.Equal(t, w.step.Question == nil, v.QuestionHidden, "%s: the question is shown iff the step has one", where)
	if w.step.etcdMode() && v.Up > 0 {
		// The etcd panels draw a member's key space: a running etcd
		// member has a revision, 1 before the first write.
		n := walkEval[int](w, `walk.revisions()`)
		require.Positive(t, n, "%s: an etcd-mode cluster, yet no running member has a key space with a revision", where)
	}
}

// task: open after the script, done after the solution and some stepping.
func (w *walker) task() {
	t, where := w.t, w.where()
	v := walkEval[walkView](w, `walk.view()`)
	require.False(t, v.TaskDone || v.TaskComplete, "%s: the task is marked done before the student acted (%s)", where, v.TaskStatus)
	require.Equal(t, "Not done yet.", v.TaskStatus, "%s: the task's status right after the script", where)
	var typed []string
	for _, line := range strings.Split(w.step.Task.Solution, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		r := walkEval[struct {
			Status string `json:"status"`
			Error  bool   `json:"error"`
		}](w, fmt.Sprintf("walk.type(%q)", line))
		events := walkEval[int](w, fmt.Sprintf("walk.settle(%d, %d)", walkSettleEvents, walkBudgetMillis))
		typed = append(typed, fmt.Sprintf("%s  =>  %q (error: %v; answered after %d events)", line, r.Status, r.Error, events))
	}
	done := walkEval[struct {
		Events int  `json:"events"`
		Done   bool `json:"done"`
		Millis int  `json:"ms"`
	}](w, fmt.Sprintf("walk.stepUntilDone(%d, %d)", walkTaskEvents, walkBudgetMillis))
	v = walkEval[walkView](w, `walk.view()`)
	require.True(t, done.Done && v.TaskComplete && strings.HasPrefix(v.TaskStatus, "✓ Done!"),
		"%s: the task is not marked done after its solution and %d events (%d ms).\n  done: %s\n  typed:\n    %s\n  task status: %q\n  app: time %s, leader %q, failed %q, requests %v\n  conditions now: %s",
		where, done.Events, done.Millis, strings.Join(w.step.Task.Done, "; "), strings.Join(typed, "\n    "),
		v.TaskStatus, v.Time, v.Leader, v.Failed, v.Requests, w.conditions())
	if done.Events > 0 {
		t.Logf("%s: the task was done %d events (%d ms) after its solution", where, done.Events, done.Millis)
	}
}

// walkCheck is the app's check(cond) answer.
type walkCheck struct {
	OK    bool   `json:"ok"`
	Value bool   `json:"value"`
	Error string `json:"error"`
}

// conditions evaluates the task's done conditions with the app's check(),
// for a failure message.
func (w *walker) conditions() string {
	var out []string
	for _, c := range w.step.Task.Done {
		r := walkEval[walkCheck](w, fmt.Sprintf("walk.check(%q)", c))
		out = append(out, fmt.Sprintf("%s => %+v", c, r))
	}
	return strings.Join(out, "; ")
}

// walkFeedback is walk.answer(j) in Go.
type walkFeedback struct {
	Hidden      bool   `json:"hidden"`
	ClassName   string `json:"className"`
	Text        string `json:"text"`
	Checked     bool   `json:"checked"`
	HasFeedback bool   `json:"hasFeedback"`
}

// question: every wrong answer, then the right one, each with its feedback.
func (w *walker) question() {
	t, where := w.t, w.where()
	right := -1
	for j, a := range w.step.Question.Answers {
		if a.Correct {
			right = j
			continue
		}
		w.answer(j, "feedback wrong", "Not quite.", a.FeedbackHTML)
	}
	require.GreaterOrEqual(t, right, 0, "%s: the question has no right answer in lessons.json", where)
	w.answer(right, "feedback right", "Correct.", w.step.Question.Answers[right].FeedbackHTML)
}

// answer chooses answer j and checks the page's verdict and feedback.
func (w *walker) answer(j int, class, verdict, feedbackHTML string) {
	fb := walkEval[walkFeedback](w, fmt.Sprintf("walk.answer(%d, %q)", j, feedbackHTML))
	require.True(w.t, fb.Checked && !fb.Hidden && fb.ClassName == class && strings.HasPrefix(fb.Text, verdict),
		"%s: answer %d should show %q; the page shows %+v", w.where(), j+1, verdict, fb)
	require.True(w.t, fb.HasFeedback, "%s: answer %d should show its feedback %q; the page shows %q",
		w.where(), j+1, feedbackHTML, fb.Text)
}

// noConsoleErrors: nothing went to the console as an error during the step.
func (w *walker) noConsoleErrors() {
	msgs := w.tab.console.take()
	require.Empty(w.t, msgs, "%s: console errors", w.where())
}

// screenshotOnFailure saves the page as it was when the step failed.
func (w *walker) screenshotOnFailure() {
	if !w.t.Failed() || w.tab.hung != "" {
		return
	}
	if msgs := w.tab.console.take(); len(msgs) > 0 {
		w.t.Logf("console errors:\n  %s", strings.Join(msgs, "\n  "))
	}
	ctx, cancel := context.WithTimeout(w.tab.ctx, 5*time.Second)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		w.t.Logf("no screenshot: %v", err)
		return
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf(walkFailureShotTo, w.lesson.ID, w.i+1))
	if err := os.WriteFile(path, shot, 0o644); err == nil {
		w.t.Logf("the page at the failure: %s", path)
	}
}
