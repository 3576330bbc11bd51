//go:build js && wasm

package main

// The Ebitengine game: Update reads the keyboard and the pointer, moves the
// session on by one fixed tick and tells the page what changed; Draw builds
// the scene of the moment and hands it to the renderer. All state lives in
// the session; the mutex serialises the frame loop and the bridge's calls.

import (
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

	scene      *viz.Scene // the last frame drawn, for hit tests
	posted     uint64     // the session version last announced
	sincePost  int        // ticks since the last "changed"
	keysBuffer []rune
}

// Update runs once per tick.
func (a *app) Update() error {
	a.mu.Lock()
	a.input()
	a.s.Advance(time.Second / ticksPerSecond)
	var events []message
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

// click selects the node under the pointer (or clears the selection).
func (a *app) click(x, y int) {
	if a.scene == nil {
		return
	}
	if a.s.View().Help {
		a.s.Key("?")
		return
	}
	hit := a.scene.HitTest(viz.Point{X: float64(x), Y: float64(y)})
	switch {
	case hit.Node != 0 && hit.Node == a.s.Selected():
		a.s.Select("")
	case hit.Node != 0:
		a.s.Select(nodeName(uint64(hit.Node)))
	case hit.Message == 0:
		a.s.Select("")
	}
}

// Draw paints the frame.
func (a *app) Draw(screen *ebiten.Image) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := screen.Bounds()
	a.scene = a.s.Scene(float64(b.Dx()), float64(b.Dy()))
	a.r.Draw(screen, a.scene)
}

// Layout uses the device's pixels, so text stays sharp on HiDPI screens.
func (a *app) Layout(w, h int) (int, int) {
	scale := ebiten.Monitor().DeviceScaleFactor()
	return int(float64(w) * scale), int(float64(h) * scale)
}
