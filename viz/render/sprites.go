//go:build js && wasm

package render

// Sprites: every round shape — discs, rings, dashed rings, timer arcs — is
// drawn once, anti-aliased, in white, into the atlas, and from then on
// copied as a tinted quad. Sizes are quantized (radius to half a pixel,
// widths to a quarter, arcs to 1/48 of a turn) so that there are few.
// (Ebitengine's advice on speed is the same: few draw calls, one texture;
// ebitengine.org/en/documents/performancetips.html.)

import (
	"fmt"
	"image"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

type spriteKind uint8

const (
	spriteDisc spriteKind = iota
	spriteRing
	spriteDashedRing
	spriteArc
)

type spriteKey struct {
	kind       spriteKind
	radius2    int32 // radius in half pixels
	width4     int32 // stroke width in quarter pixels
	fraction48 int32 // arc length in 48ths of a turn
}

// sprite is a square piece of the atlas with the circle's centre in its
// middle.
type sprite struct {
	rect image.Rectangle
	half float64 // half the side
}

// sprite returns the sprite of k, drawing it the first time.
func (r *Renderer) sprite(k spriteKey) sprite {
	if s, ok := r.sprites[k]; ok {
		return s
	}
	rad := float32(k.radius2) / 2
	w := float32(k.width4) / 4
	half := math.Ceil(float64(rad+w/2)) + 1
	side := int(2 * half)
	rc := r.place(side, side)
	sub := r.atlas.img.SubImage(rc).(*ebiten.Image)
	cx, cy := float32(rc.Min.X)+float32(half), float32(rc.Min.Y)+float32(half)
	switch k.kind {
	case spriteDisc:
		vector.DrawFilledCircle(sub, cx, cy, rad, whiteColor, true)
	case spriteRing:
		vector.StrokeCircle(sub, cx, cy, rad, w, whiteColor, true)
	case spriteDashedRing:
		n := int(math.Max(8, math.Round(float64(rad)/4)))
		step := 2 * math.Pi / float64(n)
		for i := 0; i < n; i++ {
			a := float64(i) * step
			strokeArc(sub, cx, cy, rad, float32(a), float32(a+step*0.55), w)
		}
	case spriteArc:
		a0 := -math.Pi / 2
		strokeArc(sub, cx, cy, rad, float32(a0), float32(a0+2*math.Pi*float64(k.fraction48)/48), w)
	default:
		panic(fmt.Sprintf("render.sprite: unknown sprite kind %d", k.kind))
	}
	s := sprite{rect: rc, half: half}
	r.sprites[k] = s
	return s
}

func strokeArc(img *ebiten.Image, cx, cy, rad, a0, a1, w float32) {
	var p vector.Path
	p.Arc(cx, cy, rad, a0, a1, vector.Clockwise)
	vs, is := p.AppendVerticesAndIndicesForStroke(nil, nil, &vector.StrokeOptions{Width: w, LineCap: vector.LineCapButt})
	for i := range vs {
		vs[i].SrcX, vs[i].SrcY = 1, 1
		vs[i].ColorR, vs[i].ColorG, vs[i].ColorB, vs[i].ColorA = 1, 1, 1, 1
	}
	img.DrawTriangles(vs, is, whitePixel(), &ebiten.DrawTrianglesOptions{AntiAlias: true})
}

// quantize turns a length into a key component of 1/per pixel.
func quantize(v float64, per float64) int32 {
	return int32(math.Round(math.Max(v, 0) * per))
}
