//go:build js && wasm

package render

// Text: the Go fonts (golang.org/x/image/font/gofont), shaped by
// Ebitengine's text/v2, one face per size, cached. The scene gives each
// text's size in pixels and where its anchor is.

import (
	"bytes"
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

// face returns the face of a size, rounded to a quarter pixel so the cache
// stays small while the window is resized.
func (f *fonts) face(bold bool, size float64) *text.GoTextFace {
	k := faceKey{bold, int(math.Round(math.Max(size, 4) * 4))}
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	src := f.regular
	if bold {
		src = f.bold
	}
	fc := &text.GoTextFace{Source: src, Size: float64(k.size) / 4}
	f.faces[k] = fc
	return fc
}

var aligns = map[viz.Align]text.Align{viz.AlignStart: text.AlignStart, viz.AlignCenter: text.AlignCenter, viz.AlignEnd: text.AlignEnd}

// text draws t anchored at its vertical middle.
func (r *Renderer) text(dst *ebiten.Image, t viz.Text) {
	if t.S == "" {
		return
	}
	op := &text.DrawOptions{}
	op.GeoM.Translate(t.At.X, t.At.Y)
	op.ColorScale.ScaleWithColor(t.Color)
	op.PrimaryAlign = aligns[t.Align]
	op.SecondaryAlign = text.AlignCenter
	text.Draw(dst, t.S, r.fonts.face(t.Bold, t.Size), op)
}
