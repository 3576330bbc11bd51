//go:build js && wasm

package render

// Text: the Go fonts (golang.org/x/image/font/gofont), shaped by
// Ebitengine's text/v2. Shaping and laying out glyphs is the costly part
// of text in wasm, and a frame mostly repeats the words of the last one,
// so each (string, size, weight) is rendered once, in white, into the
// atlas (atlas.go), and then copied as a tinted quad like any sprite. The
// clock's old readings stay there until the atlas fills up and is cleared.

import (
	"bytes"
	"image"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/etcdlab/etcdlab/viz"
)

type faceKey struct {
	bold bool
	size int // in quarter pixels
}

type fonts struct {
	regular, bold *text.GoTextFaceSource
	faces         map[faceKey]*text.GoTextFace
}

func loadFonts() (*fonts, error) {
	reg, err := text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	if err != nil {
		return nil, err
	}
	bold, err := text.NewGoTextFaceSource(bytes.NewReader(gobold.TTF))
	if err != nil {
		return nil, err
	}
	return &fonts{regular: reg, bold: bold, faces: map[faceKey]*text.GoTextFace{}}, nil
}

// faceKeyOf rounds a size to a quarter pixel so the caches stay small while
// the window is resized.
func faceKeyOf(bold bool, size float64) faceKey {
	return faceKey{bold, int(math.Round(math.Max(size, 4) * 4))}
}

// face returns the face of k.
func (f *fonts) face(k faceKey) *text.GoTextFace {
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	src := f.regular
	if k.bold {
		src = f.bold
	}
	fc := &text.GoTextFace{Source: src, Size: float64(k.size) / 4}
	f.faces[k] = fc
	return fc
}

type textKey struct {
	s    string
	face faceKey
}

// textPiece is one rendered string in the atlas: white on transparent, its
// left edge at x = textPad and its vertical middle at the piece's.
type textPiece struct {
	rect image.Rectangle
	w    float64 // the text's advance
}

const textPad = 1

// textPiece returns the rendered k, rendering it the first time; false
// when the text is too long for the atlas.
func (r *Renderer) textPiece(k textKey) (textPiece, bool) {
	if t, ok := r.texts[k]; ok {
		return t, true
	}
	face := r.fonts.face(k.face)
	w, h := text.Measure(k.s, face, 0)
	pw, ph := int(math.Ceil(w))+2*textPad, int(math.Ceil(h))+2*textPad
	if pw > atlasSize/2 {
		return textPiece{}, false
	}
	rc := r.place(pw, ph)
	op := &text.DrawOptions{}
	op.GeoM.Translate(float64(rc.Min.X+textPad), float64(rc.Min.Y)+float64(ph)/2)
	op.SecondaryAlign = text.AlignCenter
	text.Draw(r.atlas.img.SubImage(rc).(*ebiten.Image), k.s, face, op)
	t := textPiece{rect: rc, w: w}
	r.texts[k] = t
	return t, true
}

// text draws t anchored at its vertical middle, on whole pixels so that
// it stays sharp.
func (r *Renderer) text(dst *ebiten.Image, t viz.Text) {
	if t.S == "" || t.Size <= 0 {
		return
	}
	p, ok := r.textPiece(textKey{t.S, faceKeyOf(t.Bold, t.Size)})
	if !ok {
		return
	}
	x := t.At.X - textPad
	switch t.Align {
	case viz.AlignCenter:
		x -= p.w / 2
	case viz.AlignEnd:
		x -= p.w
	}
	w, h := float64(p.rect.Dx()), float64(p.rect.Dy())
	r.quad(dst, rectQuad(math.Round(x), math.Round(t.At.Y-h/2), w, h), srcOf(p.rect), tint(t.Color))
}
