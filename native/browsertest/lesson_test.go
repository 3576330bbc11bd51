package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// bridge is the app's JS bridge inside the lesson page's iframe.
const bridge = `document.getElementById("app").contentWindow.etcdlab`

// siteDir finds site/dist from this package's directory (native/browsertest).
func siteDir(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "site", "dist"))
	require.NoError(t, err)
	if d := os.Getenv("ETCDLAB_SITE_DIR"); d != "" {
		dir = d
	}
	for _, f := range []string{"index.html", "lesson.html", "lessons.json", "app/app.html", "app/etcdlab.wasm", "app/wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Skipf("site/dist is not built (%s missing): run `make site` (make test does)", f)
		}
	}
	return dir
}

func chromium(t *testing.T) string {
	path := os.Getenv("ETCDLAB_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no Chromium at %s: install Debian's chromium (.ci/run does) or set ETCDLAB_CHROMIUM", path)
	}
	return path
}

// browser starts a fresh headless Chromium and returns a tab's context.
func browser(t *testing.T, execPath string) context.Context {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.NoSandbox,
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("use-angle", "swiftshader"),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	ctx, cancelTime := context.WithTimeout(ctx, 110*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	return ctx
}

// state reads the app's state() through the bridge.
type appState struct {
	Time     string                      `json:"time"`
	Leader   string                      `json:"leader"`
	Term     int                         `json:"term"`
	Nodes    []struct{ ID, Role string } `json:"nodes"`
	Messages []json.RawMessage           `json:"messages"`
}

func readState(t *testing.T, ctx context.Context) appState {
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](bridge+`.state()`))
	require.NoError(t, err)
	var st appState
	require.NoError(t, json.Unmarshal([]byte(raw), &st), raw)
	return st
}

func TestLeaderElectionLessonInChromium(t *testing.T) {
	execPath := chromium(t)
	dir := siteDir(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ctx := browser(t, execPath)

	// Open the lesson and wait for the app's ready and the step's script.
	url := srv.URL + "/lesson.html?lesson=01-leader-election#step=1"
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.Poll[chromedp.Void](`window.lessonPage && window.lessonPage.ready && !window.lessonPage.loading`, chromedp.WithPollingTimeout(60*time.Second)),
		chromedp.Poll[chromedp.Void](`window.etcdlabTimings && window.etcdlabTimings.firstFrame !== undefined`, chromedp.WithPollingTimeout(10*time.Second)),
	), "the lesson page did not get the app ready")
	timings, err := chromedp.Run(ctx, chromedp.Evaluate[struct{ Ready, FirstFrame float64 }](`window.etcdlabTimings`))
	require.NoError(t, err)
	t.Logf("page load to app ready: %.0f ms; to first frame: %.0f ms", timings.Ready, timings.FirstFrame)
	require.Empty(t, readState(t, ctx).Leader, "step 1 starts without a leader")

	// Step with the page's Step button until a leader exists.
	var leader string
	for i := 0; i < 400 && leader == ""; i++ {
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#step-event"))))
		leader = readState(t, ctx).Leader
	}
	require.NotEmpty(t, leader, "no leader after 400 events")
	st := readState(t, ctx)
	for _, n := range st.Nodes {
		if n.ID == leader {
			require.Equal(t, "leader", n.Role)
		}
	}
	t.Logf("leader %s elected in term %d at %s", leader, st.Term, st.Time)
	require.NoError(t, chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`window.lessonPage.taskDone`, chromedp.WithPollingTimeout(5*time.Second))),
		"the step's task (a leader exists) is not marked done")

	// Crash the leader with a real click, then step on (real clicks again)
	// until another member wins. Stepping rather than playing keeps the
	// test independent of the frame rate, which a loaded CI machine with a
	// software GL can push below one frame a second.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#crash-leader"))))
	st = readState(t, ctx)
	require.Empty(t, st.Leader, "the leader is still up after the click on Crash leader")
	for i := 0; i < 200 && (st.Leader == "" || st.Leader == leader); i++ {
		for k := 0; k < 5; k++ {
			require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#step-event"))))
		}
		st = readState(t, ctx)
	}
	require.NotEmpty(t, st.Leader, "no new leader within 1000 events after crashing %s", leader)
	require.NotEqual(t, leader, st.Leader)
	t.Logf("after crashing %s: new leader %s in term %d at %s", leader, st.Leader, st.Term, st.Time)
	require.Greater(t, st.Term, 2)

	// A screenshot of the app: the canvas must show something.
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#app")))
	require.NoError(t, err)
	path := filepath.Join(os.TempDir(), "etcdlab-browsertest-lesson.png")
	require.NoError(t, os.WriteFile(path, shot, 0o644))
	colours := distinctColours(t, shot)
	t.Logf("screenshot of the app: %s (%d distinct colours)", path, colours)
	require.Greater(t, colours, 8, "the canvas looks blank (%d colours); see %s", colours, path)

	measureFPS(t, ctx)
}

// measureFPS loads 7 nodes with a few hundred messages in flight and counts
// the frames the app's window renders in 3 seconds.
func measureFPS(t *testing.T, ctx context.Context) {
	// Heartbeats pile up behind a hold for 5 s, then all leave at once on
	// slow links: a few hundred messages cross the screen together.
	setup := bridge + `.load("cluster 7 seed=3\nrun until leader\nnet latency=200ms..600ms\nhold\nrun 5s\nrelease")`
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](setup))
	require.NoError(t, err)
	require.Contains(t, res, `"ok":true`)
	for i := 0; i < 5; i++ {
		res, err = chromedp.Run(ctx, chromedp.Evaluate[string](bridge+`.next()`))
		require.NoError(t, err)
		var r struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}
		require.NoError(t, json.Unmarshal([]byte(res), &r))
		require.True(t, r.OK, "load scenario, command %d: %s", i+1, r.Error)
	}
	_, err = chromedp.Run(ctx, chromedp.Evaluate[string](bridge+`.play(0.25)`))
	require.NoError(t, err)
	before := len(readState(t, ctx).Messages)
	const count = `new Promise((done) => {
		const w = document.getElementById("app").contentWindow;
		let frames = 0; const start = performance.now();
		const tick = () => { frames++; if (performance.now() - start < 3000) w.requestAnimationFrame(tick); else done(frames * 1000 / (performance.now() - start)); };
		w.requestAnimationFrame(tick);
	})`
	fps, err := chromedp.Run(ctx, chromedp.Evaluate[float64](count, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	after := len(readState(t, ctx).Messages)
	t.Logf("frame rate with 7 nodes and %d→%d messages in flight: %.1f frames/s (SwiftShader, headless)", before, after, fps)
	require.Greater(t, before, 100, "the load scenario should put a few hundred messages in flight")
}

// distinctColours counts the colours of a PNG, quantized to 4 bits a
// channel so that anti-aliasing noise does not count.
func distinctColours(t *testing.T, pngBytes []byte) int {
	img, err := png.Decode(bytes.NewReader(pngBytes))
	require.NoError(t, err)
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r>>12)<<8|(g>>12)<<4|bl>>12] = true
		}
	}
	return len(seen)
}
