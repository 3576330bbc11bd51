//go:build js && wasm

package render

// The atlas and the batch. Everything the renderer draws is a copy of a
// piece of one texture — a round shape's sprite, a rendered text, a white
// pixel stretched into a rectangle, a soft band stretched into a line —
// so a whole frame is one vertex list and one DrawTriangles call. Under a
// software GL (SwiftShader, in CI and on machines without a GPU) each draw
// call costs a fixed price, and a frame of a few hundred messages used to
// pay it over a thousand times.
//
// Pieces are copied at their own size (only rectangles and line bands are
// stretched, and they are uniform along the stretch), so nearest filtering
// loses nothing and spares SwiftShader three texel reads in four.
//
// The atlas packs pieces on shelves (rows of pieces of similar height);
// when it is full it is cleared and every cache with it, which costs one
// frame of re-rendering.

import (
	"image"

	"github.com/hajimehoshi/ebiten/v2"
)

const atlasSize = 2048

type shelf struct{ y, h, x int }

type atlas struct {
	img     *ebiten.Image
	shelves []shelf
	// generation counts the clears: a piece cached in an older one is gone.
	generation int
}

func newAtlas() *atlas {
	return &atlas{img: ebiten.NewImageWithOptions(image.Rect(0, 0, atlasSize, atlasSize), &ebiten.NewImageOptions{Unmanaged: true})}
}

// alloc reserves a w x h piece (with a transparent pixel around it);
// false when the atlas is full.
func (a *atlas) alloc(w, h int) (image.Rectangle, bool) {
	w, h = w+2, h+2
	if w > atlasSize || h > atlasSize {
		return image.Rectangle{}, false
	}
	for i := range a.shelves {
		s := &a.shelves[i]
		if h <= s.h && h*4 >= s.h*3 && s.x+w <= atlasSize {
			r := image.Rect(s.x+1, s.y+1, s.x+w-1, s.y+h-1)
			s.x += w
			return r, true
		}
	}
	y := 0
	if n := len(a.shelves); n > 0 {
		y = a.shelves[n-1].y + a.shelves[n-1].h
	}
	if y+h > atlasSize {
		return image.Rectangle{}, false
	}
	a.shelves = append(a.shelves, shelf{y: y, h: h, x: w})
	return image.Rect(1, y+1, w-1, y+h-1), true
}

// clear empties the atlas.
func (a *atlas) clear() {
	a.img.Clear()
	a.shelves = a.shelves[:0]
	a.generation++
}

// batch collects a frame's vertices.
type batch struct {
	vs []ebiten.Vertex
	is []uint16
}

// maxBatchVertices keeps indices within uint16.
const maxBatchVertices = 65000

// flush draws the collected vertices onto dst.
func (r *Renderer) flush(dst *ebiten.Image) {
	if len(r.batch.is) > 0 {
		dst.DrawTriangles(r.batch.vs, r.batch.is, r.atlas.img, &ebiten.DrawTrianglesOptions{Filter: ebiten.FilterNearest})
		r.stats.calls++
	}
	r.batch.vs, r.batch.is = r.batch.vs[:0], r.batch.is[:0]
}

// quad adds the atlas piece src, mapped onto the corners p (top-left,
// top-right, bottom-left, bottom-right), tinted col (straight alpha).
func (r *Renderer) quad(dst *ebiten.Image, p [4][2]float32, src [4]float32, col [4]float32) {
	if len(r.batch.vs)+4 > maxBatchVertices {
		r.flush(dst)
	}
	n := uint16(len(r.batch.vs))
	sx := [4]float32{src[0], src[2], src[0], src[2]}
	sy := [4]float32{src[1], src[1], src[3], src[3]}
	for i := 0; i < 4; i++ {
		r.batch.vs = append(r.batch.vs, ebiten.Vertex{DstX: p[i][0], DstY: p[i][1], SrcX: sx[i], SrcY: sy[i],
			ColorR: col[0], ColorG: col[1], ColorB: col[2], ColorA: col[3]})
	}
	r.batch.is = append(r.batch.is, n, n+1, n+2, n+1, n+2, n+3)
	r.stats.draws++
}

// rectQuad is the axis-aligned quad at (x, y), w x h.
func rectQuad(x, y, w, h float64) [4][2]float32 {
	x0, y0, x1, y1 := float32(x), float32(y), float32(x+w), float32(y+h)
	return [4][2]float32{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}}
}

// srcOf is a rectangle's corners as texture coordinates.
func srcOf(r image.Rectangle) [4]float32 {
	return [4]float32{float32(r.Min.X), float32(r.Min.Y), float32(r.Max.X), float32(r.Max.Y)}
}
