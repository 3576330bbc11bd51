package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestPlaygroundCrashStepBackAndShare: on the playground, crash a node from
// its action menu, step back with the page's Back button and see it alive
// again, then open the shared URL in a fresh page and find the same state.
func TestPlaygroundCrashStepBackAndShare(t *testing.T) {
	execPath := chromium(t)
	dir := siteDir(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ctx := browser(t, execPath)

	ready := chromedp.Poll[chromedp.Void](`document.getElementById("timeline") && document.getElementById("app").contentWindow.etcdlab && document.querySelector("#nodes tbody tr")`,
		chromedp.WithPollingTimeout(60*time.Second))
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/playground.html"), ready), "the playground did not start")
	if readPlaying(t, ctx) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#play"))))
	}
	st := readState(t, ctx)
	for i := 0; i < 400 && st.Leader == ""; i++ {
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#step-event"))))
		st = readState(t, ctx)
	}
	require.NotEmpty(t, st.Leader, "no leader after 400 events")
	victim := st.Leader

	// Click the leader's row: its menu opens; click Crash in it.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#nodes tr[data-node="`+victim+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#node-menu button[data-action="crash"]`)),
		chromedp.Click(chromedp.CSS(`#node-menu button[data-action="crash"]`)),
	))
	require.Equal(t, "down", roleOf(readState(t, ctx), victim), "the menu's Crash did not crash %s", victim)
	screenshot(t, ctx, "playground-menu-1280x800")

	// One move back: the crash is undone.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#step-back"))))
	back := readState(t, ctx)
	require.Equal(t, "leader", roleOf(back, victim), "after Back, %s should lead again", victim)
	pos, err := chromedp.Run(ctx, chromedp.Evaluate[string](bridge+`.position()`))
	require.NoError(t, err)
	require.Contains(t, pos, `"end":`)

	// The shared URL rebuilds the same state in a fresh page.
	frag, err := chromedp.Run(ctx, chromedp.Evaluate[string](bridge+`.url()`))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(srv.URL+"/playground.html"+frag), ready))
	require.NoError(t, chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.getElementById("app-status").textContent.startsWith("Restored")`,
		chromedp.WithPollingTimeout(20*time.Second))))
	shared := readState(t, ctx)
	require.Equal(t, back.Time, shared.Time, "the shared URL restores the same time")
	require.Equal(t, back.Leader, shared.Leader)
	require.Equal(t, back.Nodes, shared.Nodes)

	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1920, 1080)))
	screenshot(t, ctx, "playground-1920x1080")
}

func readPlaying(t *testing.T, ctx context.Context) bool {
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`JSON.parse(`+bridge+`.state()).playing`))
	require.NoError(t, err)
	return v
}

func roleOf(st appState, id string) string {
	for _, n := range st.Nodes {
		if n.ID == id {
			return n.Role
		}
	}
	return ""
}

// screenshot saves the whole page to the temp dir and logs where.
func screenshot(t *testing.T, ctx context.Context, name string) {
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	path := filepath.Join(os.TempDir(), "etcdlab-browsertest-"+name+".png")
	require.NoError(t, os.WriteFile(path, shot, 0o644))
	t.Logf("screenshot: %s", path)
}
