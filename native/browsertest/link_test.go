package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// canvasPoint is the page position (CSS pixels) of the lane from -> to as
// the app last drew it: the bridge's linkPoint gives it in the canvas's own
// pixels, scaled here to the canvas's box inside the iframe.
const canvasPoint = `(() => {
  const f = document.getElementById("app");
  const cv = f.contentDocument.querySelector("canvas");
  const p = JSON.parse(f.contentWindow.etcdlab.linkPoint(%q, %q));
  if (!p.ok) return JSON.stringify(p);
  const fr = f.getBoundingClientRect(), cr = cv.getBoundingClientRect();
  return JSON.stringify({ok: true, x: fr.left + cr.left + p.x * cr.width / p.width, y: fr.top + cr.top + p.y * cr.height / p.height});
})()`

// TestPlaygroundCutALinkByClickingIt: click the lane n1->n2 on the canvas;
// the link menu opens; "Cut n1 → n2" cuts that one direction only.
// Then two etcd scenarios are loaded for screenshots of the keys and
// watches panels.
func TestPlaygroundCutALinkByClickingIt(t *testing.T) {
	execPath := chromium(t)
	dir := siteDir(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ctx := browser(t, execPath)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	ready := chromedp.Poll[chromedp.Void](`document.getElementById("timeline") && document.getElementById("app").contentWindow.etcdlab && document.querySelector("#nodes tbody tr")`,
		chromedp.WithPollingTimeout(60*time.Second))
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/playground.html"), ready), "the playground did not start")
	if readPlaying(t, ctx) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#play"))))
	}
	require.NoError(t, chromedp.Do(ctx, chromedp.Poll[chromedp.Void](bridge+`.linkPoint("n1","n2").includes('"ok":true')`,
		chromedp.WithPollingTimeout(20*time.Second))), "the app drew no frame")
	var at struct {
		OK   bool
		X, Y float64
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(canvasPoint, "n1", "n2")))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(raw), &at), raw)
	require.True(t, at.OK, raw)

	require.NoError(t, chromedp.Do(ctx,
		// Ebitengine reads the mouse once a frame and the app acts on the
		// press: a press and release between two frames would go unseen,
		// and under SwiftShader on a loaded machine frames can be seconds
		// apart. So hold the button until the menu is there, then release.
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, at.X, at.Y),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, at.X, at.Y, chromedp.ButtonLeft),
		chromedp.WaitVisible(chromedp.CSS(`#node-menu button[data-link-action="cut-there"]`)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, at.X, at.Y, chromedp.ButtonLeft),
	), "clicking the link at (%.0f, %.0f) opened no link menu", at.X, at.Y)
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#node-menu .menu-title").textContent`))
	require.NoError(t, err)
	require.Contains(t, title, "n1–n2", "the menu is about the clicked link")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#node-menu button[data-link-action="cut-there"]`))))
	cuts, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(JSON.parse(`+bridge+`.state()).cuts)`))
	require.NoError(t, err)
	require.Equal(t, `[["n1","n2"]]`, cuts, "the menu's cut blocks n1->n2 only")
	require.NoError(t, chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)))
	screenshot(t, ctx, "playground-link-cut")

	for _, name := range []string{"lease_expiry", "compaction"} {
		loadAndRun(t, ctx, name)
		screenshot(t, ctx, "playground-etcd-"+name)
	}
}

// loadAndRun loads an etcd-mvcc scenario into the app and runs it to its
// end (the pages' script runner does the same).
func loadAndRun(t *testing.T, ctx context.Context, name string) {
	src, err := os.ReadFile(filepath.Join("..", "..", "core", "scenario", "testdata", "etcd-mvcc", name+".scn"))
	require.NoError(t, err)
	q, _ := json.Marshal(string(src))
	run := `(() => { const a = ` + bridge + `; const r = JSON.parse(a.load(` + string(q) + `)); if (!r.ok) return r.error;
	  for (let i = 0; i < 500; i++) { const n = JSON.parse(a.next()); if (n.done || (n.ok === false && !n.command)) break; } return "ok"; })()`
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](run))
	require.NoError(t, err)
	require.Equal(t, "ok", res, name)
	require.NoError(t, chromedp.Do(ctx, chromedp.Sleep(500*time.Millisecond)))
}
