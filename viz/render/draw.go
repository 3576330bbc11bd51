//go:build js && wasm

// Package render draws a viz.Scene with Ebitengine: vector shapes and text,
// nothing else. It decides nothing — every position, colour and word comes
// from the scene — so what it draws is what the scene tests checked.
//
// It builds only for js/wasm: Ebitengine's desktop backend needs cgo and X11
// headers that neither the tests nor `go vet ./...` should require.
package render

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/etcdlab/etcdlab/viz"
)

// Renderer draws scenes. It keeps the fonts and the faces made from them.
type Renderer struct {
	fonts *fonts
	white *ebiten.Image // a 1x1 white source for vector paths
}

// New returns a renderer with its fonts loaded.
func New() (*Renderer, error) {
	f, err := loadFonts()
	if err != nil {
		return nil, err
	}
	img := ebiten.NewImage(3, 3)
	img.Fill(viz.White)
	return &Renderer{fonts: f, white: img.SubImage(img.Bounds().Inset(1)).(*ebiten.Image)}, nil
}

// Draw paints s onto dst, back to front.
func (r *Renderer) Draw(dst *ebiten.Image, s *viz.Scene) {
	dst.Fill(s.Background)
	r.panelBackgrounds(dst, s)
	for _, l := range s.Links {
		r.link(dst, l)
	}
	if s.Strips != nil {
		r.strips(dst, s.Strips)
	}
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
