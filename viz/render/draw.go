//go:build js && wasm

// Package render draws a viz.Scene with Ebitengine. It decides nothing —
// every position, colour and word comes from the scene — so what it draws
// is what the scene tests checked.
//
// It is built for speed under a software GL (SwiftShader, in CI and on
// machines without a GPU), where every draw call and every pixel counts:
//
//   - round shapes are sprites drawn once and then copied (sprites.go),
//     lines are textured quads, rectangles a stretched pixel (shapes.go):
//     nothing is tessellated per frame and nothing uses Ebitengine's
//     anti-aliasing buffer, so a frame is a few batched draw calls;
//   - texts are rendered once per string and size and copied (text.go);
//   - all of it comes from one texture, so a frame is one vertex list and
//     one DrawTriangles call (atlas.go);
//   - the app draws only when the scene changed (wasm/app.go keeps the
//     screen between frames).
//
// It builds only for js/wasm: Ebitengine's desktop backend needs cgo and X11
// headers that neither the tests nor `go vet ./...` should require.
package render

import (
	"fmt"
	"image"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/etcdlab/etcdlab/viz"
)

// Renderer draws scenes. It keeps the fonts, the sprites and the texts
// drawn so far.
type Renderer struct {
	fonts   *fonts
	atlas   *atlas
	sprites map[spriteKey]sprite
	texts   map[textKey]textPiece
	// whiteSrc and bandSrc are the fixed pieces of the atlas.
	whiteSrc, bandSrc [4]float32
	batch             batch
	dst               *ebiten.Image // the frame being drawn
	stats             Stats
}

// Stats counts the work of the last frame (for profiling).
type Stats struct {
	// Quads is the number of quads drawn; Calls the DrawTriangles calls.
	Quads, Calls int
	// Sprites and Texts are the pieces in the atlas; Clears counts the
	// times it filled up.
	Sprites, Texts, Clears int
	draws, calls           int
}

// New returns a renderer with its fonts loaded.
func New() (*Renderer, error) {
	f, err := loadFonts()
	if err != nil {
		return nil, err
	}
	r := &Renderer{fonts: f, atlas: newAtlas()}
	r.resetAtlas()
	return r, nil
}

// resetAtlas empties the atlas and the caches of what it held.
func (r *Renderer) resetAtlas() {
	r.atlas.clear()
	r.sprites = map[spriteKey]sprite{}
	r.texts = map[textKey]textPiece{}
	r.placeFixed()
}

// place reserves a w x h piece of the atlas; when the atlas is full, the
// frame so far is flushed and the atlas emptied.
func (r *Renderer) place(w, h int) image.Rectangle {
	rc, ok := r.atlas.alloc(w, h)
	if ok {
		return rc
	}
	if r.dst != nil {
		r.flush(r.dst)
	}
	r.resetAtlas()
	rc, ok = r.atlas.alloc(w, h)
	if !ok {
		panic(fmt.Sprintf("render.place: a %dx%d piece does not fit an empty atlas", w, h))
	}
	return rc
}

// Stats reports the last frame's work.
func (r *Renderer) Stats() Stats { return r.stats }

// Draw paints s onto dst, back to front.
func (r *Renderer) Draw(dst *ebiten.Image, s *viz.Scene) {
	r.stats.draws, r.stats.calls, r.dst = 0, 0, dst
	defer func() { r.dst = nil }()
	dst.Fill(s.Background)
	r.panelBackgrounds(dst, s)
	for _, l := range s.Links {
		r.link(dst, l)
	}
	if s.Strips != nil {
		r.strips(dst, s.Strips)
	}
	r.panels(dst, s)
	r.quorum(dst, s.Quorum, s.Font)
	for _, n := range s.Nodes {
		r.node(dst, n)
	}
	for _, m := range s.Messages {
		r.message(dst, m)
	}
	for _, it := range s.Legend {
		r.legendItem(dst, it)
	}
	for _, t := range s.Header {
		r.text(dst, t)
	}
	for _, t := range s.Footer {
		r.text(dst, t)
	}
	for _, c := range []*viz.Card{s.Card, s.Banner, s.Help} {
		if c != nil {
			r.card(dst, c)
		}
	}
	r.flush(dst)
	r.stats.Quads, r.stats.Calls = r.stats.draws, r.stats.calls
	r.stats.Sprites, r.stats.Texts, r.stats.Clears = len(r.sprites), len(r.texts), r.atlas.generation-1
}

// panelBackgrounds shades the header and footer bands and the log panel.
func (r *Renderer) panelBackgrounds(dst *ebiten.Image, s *viz.Scene) {
	band := viz.Band
	hb := 3.3 * s.Font
	r.fillRect(dst, viz.Rect{X: 0, Y: 0, W: s.Width, H: hb}, band)
	r.fillRect(dst, viz.Rect{X: 0, Y: s.Height - 1.9*s.Font, W: s.Width, H: 1.9 * s.Font}, band)
	if s.Strips != nil {
		a := s.Strips.Area
		r.roundRect(dst, viz.Rect{X: a.X - s.Font*0.3, Y: a.Y - s.Font*0.2, W: a.W + s.Font*0.6, H: a.H + s.Font*0.4}, s.Font*0.4, viz.Panel, viz.Rule, 1)
	}
}
