//go:build js && wasm

package main

// The Ebitengine game: Update reads the keyboard and the pointer, moves the
// session on by one fixed tick and tells the page what changed; Draw builds
// the scene of the moment and hands it to the renderer. All state lives in
// the session; the mutex serialises the frame loop and the bridge's calls.

import (
	"math"
	"sync"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/etcdlab/etcdlab/viz"
	"github.com/etcdlab/etcdlab/viz/render"
	"github.com/etcdlab/etcdlab/wasm/session"
)

const (
	// ticksPerSecond is Ebitengine's fixed update rate.
	ticksPerSecond = 60
	// changedEveryTicks throttles "changed" notifications to ~10 a second.
	changedEveryTicks = 6
)

type app struct {
	mu sync.Mutex
	s  *session.Session
	r  *render.Renderer

	scene   *viz.Scene // the last frame drawn, for hit tests
	drawn   frameKey   // what the screen shows now
	ticks   int        // Update calls so far: the flash's clock
	commits viz.CommitWatch
	events  viz.EventWatch
	lit     bool // the last frame showed a quorum or a watch event flash
	// message is the message clicked, while the session does not keep
	// one itself (View.SelectedMessage, wired by the bridge).
	message    uint64
	posted     uint64    // the session version last announced
	pending    []message // notifications input queued for the parent
	sincePost  int       // ticks since the last "changed"
	keysBuffer []rune
}

// Update runs once per tick.
func (a *app) Update() error {
	a.mu.Lock()
	a.ticks++
	a.input()
	a.s.Advance(time.Second / ticksPerSecond)
	events := a.pending
	a.pending = nil
	if e := a.s.TakeError(); e != "" {
		events = append(events, message{"error", map[string]any{"error": e}})
	}
	a.sincePost++
	if v := a.s.Version(); v != a.posted && a.sincePost >= changedEveryTicks {
		a.posted, a.sincePost = v, 0
		events = append(events, message{"changed", map[string]any{"version": v}})
	}
	a.mu.Unlock()
	for _, m := range events {
		post(m.kind, m.fields)
	}
	return nil
}

// input turns keys and clicks into session actions.
func (a *app) input() {
	if inpututil.IsKeyJustPressed(ebiten.KeySpace) {
		a.s.Key(" ")
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyArrowRight) {
		a.s.Key("ArrowRight")
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) {
		a.s.Key("Escape")
	}
	a.keysBuffer = ebiten.AppendInputChars(a.keysBuffer[:0])
	for _, r := range a.keysBuffer {
		if r != ' ' {
			a.s.Key(string(r))
		}
	}
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		a.click(ebiten.CursorPosition())
	}
	for _, id := range inpututil.AppendJustPressedTouchIDs(nil) {
		a.click(ebiten.TouchPosition(id))
	}
}

// click selects the node or the message under the pointer (or clears the
// selection); a click on a link tells the page, which opens that link's
// menu (cut one way or both, heal).
func (a *app) click(x, y int) {
	if a.scene == nil {
		return
	}
	if a.s.View().Help {
		a.s.Key("?")
		return
	}
	hit := a.scene.HitTest(viz.Point{X: float64(x), Y: float64(y)})
	if hit.LinkFrom != 0 {
		// The selection stays: the page's link menu is about to open.
		a.pending = append(a.pending, message{"link", map[string]any{
			"from": nodeName(uint64(hit.LinkFrom)), "to": nodeName(uint64(hit.LinkTo))}})
		return
	}
	switch {
	case hit.Message != 0 && hit.Message == a.message:
		a.message = 0
	case hit.Message != 0:
		a.message = hit.Message
	default:
		a.message = 0
	}
	switch {
	case hit.Node != 0 && hit.Node == a.s.Selected():
		a.s.Select("")
	case hit.Node != 0:
		a.s.Select(nodeName(uint64(hit.Node)))
	case hit.Message == 0:
		a.s.Select("")
	}
}

// init makes Ebitengine keep the screen between frames, so that a frame
// whose scene did not change costs nothing to draw.
func init() { ebiten.SetScreenClearedEveryFrame(false) }

// frameKey is what a frame depends on: when it equals the last one drawn,
// the screen (which Ebitengine keeps: see init) is already right.
type frameKey struct {
	version uint64
	shown   time.Duration
	w, h    int
	message uint64
}

// Draw paints the frame, unless the screen already shows it.
func (a *app) Draw(screen *ebiten.Image) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := screen.Bounds()
	k := frameKey{a.s.Version(), a.s.Shown(), b.Dx(), b.Dy(), a.message}
	if k == a.drawn && a.scene != nil && !a.lit {
		return
	}
	a.scene = a.s.Scene(float64(b.Dx()), float64(b.Dy()))
	if a.s.View().SelectedMessage == 0 && a.message != 0 && !a.scene.SelectMessage(a.message) {
		a.message = 0 // it arrived
	}
	clock := time.Duration(a.ticks) * time.Second / ticksPerSecond
	a.lit = a.commits.Observe(a.scene, clock) > 0
	a.lit = a.events.Observe(a.scene, clock) || a.lit
	a.r.Draw(screen, a.scene)
	a.drawn = k
}

// maxCanvasPixels caps the canvas: on a HiDPI screen the device's pixels
// keep text sharp, but a software GL (SwiftShader) pays for every pixel,
// so beyond ~4 megapixels the browser scales the canvas up instead.
const maxCanvasPixels = 4_000_000

// Layout uses the device's pixels, up to maxCanvasPixels.
func (a *app) Layout(w, h int) (int, int) {
	scale := ebiten.Monitor().DeviceScaleFactor()
	if px := float64(w) * float64(h) * scale * scale; px > maxCanvasPixels {
		scale *= math.Sqrt(maxCanvasPixels / px)
	}
	return int(float64(w) * scale), int(float64(h) * scale)
}
