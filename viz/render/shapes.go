//go:build js && wasm

package render

// Shapes: discs, rings, arcs, lines, rectangles, rounded panels — the
// primitives the scene's elements are drawn with, each a quad or two of
// the frame's batch (atlas.go). Round shapes are sprites (sprites.go);
// lines are quads textured with a soft-edged band, so slanted links stay
// smooth without anti-aliasing; rectangles are a stretched white block.

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/etcdlab/etcdlab/viz"
)

var whiteColor = color.White

var white1x1 *ebiten.Image

// whitePixel is a white 1x1 source for tessellated paths (sprites only).
func whitePixel() *ebiten.Image {
	if white1x1 == nil {
		img := ebiten.NewImage(3, 3)
		img.Fill(color.White)
		white1x1 = img.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image)
	}
	return white1x1
}

// bandH is the height of the band texture: its middle half is opaque, the
// quarters above and below fade out.
const bandH = 16

// placeFixed puts the white block and the band into a fresh atlas.
func (r *Renderer) placeFixed() {
	rc := r.place(4, 4)
	r.atlas.img.SubImage(rc).(*ebiten.Image).Fill(color.White)
	c := rc.Min.Add(image.Pt(2, 2))
	r.whiteSrc = [4]float32{float32(c.X) - 0.5, float32(c.Y) - 0.5, float32(c.X) + 0.5, float32(c.Y) + 0.5}
	rc = r.place(4, bandH)
	px := make([]byte, 4*4*bandH)
	for y := 0; y < bandH; y++ {
		d := math.Min(float64(y)+0.5, float64(bandH)-float64(y)-0.5)
		a := byte(255 * math.Min(1, d/(bandH/4)))
		for x := 0; x < 4; x++ {
			i := 4 * (y*4 + x)
			px[i], px[i+1], px[i+2], px[i+3] = a, a, a, a // premultiplied white
		}
	}
	r.atlas.img.SubImage(rc).(*ebiten.Image).WritePixels(px)
	r.bandSrc = [4]float32{float32(rc.Min.X) + 1.5, float32(rc.Min.Y), float32(rc.Min.X) + 2.5, float32(rc.Max.Y)}
}

// tint is col as (straight alpha) vertex colour scales.
func tint(col viz.Color) [4]float32 {
	return [4]float32{float32(col.R) / 255, float32(col.G) / 255, float32(col.B) / 255, float32(col.A) / 255}
}

// stamp draws sprite s with its centre at c, in colour col.
func (r *Renderer) stamp(dst *ebiten.Image, s sprite, c viz.Point, col viz.Color) {
	r.quad(dst, rectQuad(c.X-s.half, c.Y-s.half, 2*s.half, 2*s.half), srcOf(s.rect), tint(col))
}

func (r *Renderer) fillCircle(dst *ebiten.Image, c viz.Point, radius float64, col viz.Color) {
	if radius > 0 {
		r.stamp(dst, r.sprite(spriteKey{kind: spriteDisc, radius2: quantize(radius, 2)}), c, col)
	}
}

func (r *Renderer) strokeCircle(dst *ebiten.Image, c viz.Point, radius, width float64, col viz.Color) {
	r.stamp(dst, r.sprite(spriteKey{kind: spriteRing, radius2: quantize(radius, 2), width4: quantize(width, 4)}), c, col)
}

func (r *Renderer) dashedCircle(dst *ebiten.Image, c viz.Point, radius, width float64, col viz.Color) {
	r.stamp(dst, r.sprite(spriteKey{kind: spriteDashedRing, radius2: quantize(radius, 2), width4: quantize(width, 4)}), c, col)
}

// timerArc strokes the fraction f of a circle clockwise from the top.
func (r *Renderer) timerArc(dst *ebiten.Image, c viz.Point, radius, width, f float64, col viz.Color) {
	k := spriteKey{kind: spriteArc, radius2: quantize(radius, 2), width4: quantize(width, 4), fraction48: quantize(f, 48)}
	if k.fraction48 > 0 {
		r.stamp(dst, r.sprite(k), c, col)
	}
}

// line draws a-b, width wide: a quad a pixel wider on each side than the
// line, textured with the band, whose fading edges fall on that margin.
func (r *Renderer) line(dst *ebiten.Image, a, b viz.Point, width float64, col viz.Color) {
	l := viz.Dist(a, b)
	if l == 0 || width <= 0 {
		return
	}
	t := (width + 2) / 2
	nx, ny := -(b.Y-a.Y)/l*t, (b.X-a.X)/l*t
	p := [4][2]float32{{f32(a.X + nx), f32(a.Y + ny)}, {f32(b.X + nx), f32(b.Y + ny)}, {f32(a.X - nx), f32(a.Y - ny)}, {f32(b.X - nx), f32(b.Y - ny)}}
	r.quad(dst, p, r.bandSrc, tint(col))
}

func f32(v float64) float32 { return float32(v) }

func (r *Renderer) fillRect(dst *ebiten.Image, rc viz.Rect, col viz.Color) {
	if rc.W > 0 && rc.H > 0 {
		r.quad(dst, rectQuad(rc.X, rc.Y, rc.W, rc.H), r.whiteSrc, tint(col))
	}
}

func (r *Renderer) strokeRect(dst *ebiten.Image, rc viz.Rect, width float64, col viz.Color) {
	h := width / 2
	r.fillRect(dst, viz.Rect{X: rc.X - h, Y: rc.Y - h, W: rc.W + width, H: width}, col)
	r.fillRect(dst, viz.Rect{X: rc.X - h, Y: rc.Y + rc.H - h, W: rc.W + width, H: width}, col)
	r.fillRect(dst, viz.Rect{X: rc.X - h, Y: rc.Y + h, W: width, H: rc.H - width}, col)
	r.fillRect(dst, viz.Rect{X: rc.X + rc.W - h, Y: rc.Y + h, W: width, H: rc.H - width}, col)
}

// dashedLine draws a-b as dashes of length dash with gaps as long.
func (r *Renderer) dashedLine(dst *ebiten.Image, a, b viz.Point, width, dash float64, col viz.Color) {
	l := viz.Dist(a, b)
	if l == 0 || dash <= 0 {
		return
	}
	for t := 0.0; t < l; t += 2 * dash {
		e := math.Min(t+dash, l)
		r.line(dst, viz.Lerp(a, b, t/l), viz.Lerp(a, b, e/l), width, col)
	}
}

// roundRect fills rc with corners of radius rad, outlined width wide in
// stroke: the outline is the panel in the stroke colour under the panel
// inset by width.
func (r *Renderer) roundRect(dst *ebiten.Image, rc viz.Rect, rad float64, fill, stroke viz.Color, width float64) {
	if width > 0 && stroke.A > 0 && stroke != fill {
		r.filledRoundRect(dst, rc, rad, stroke)
		rc, rad = rc.Inset(width), math.Max(rad-width, 0)
	}
	r.filledRoundRect(dst, rc, rad, fill)
}

// filledRoundRect tiles the panel without overlaps (so that a translucent
// fill stays even): three rectangles and four quarter discs.
func (r *Renderer) filledRoundRect(dst *ebiten.Image, rc viz.Rect, rad float64, col viz.Color) {
	rad = math.Floor(math.Min(rad, math.Min(rc.W, rc.H)/2))
	if rad < 1 {
		r.fillRect(dst, rc, col)
		return
	}
	r.fillRect(dst, viz.Rect{X: rc.X + rad, Y: rc.Y, W: rc.W - 2*rad, H: rc.H}, col)
	r.fillRect(dst, viz.Rect{X: rc.X, Y: rc.Y + rad, W: rad, H: rc.H - 2*rad}, col)
	r.fillRect(dst, viz.Rect{X: rc.X + rc.W - rad, Y: rc.Y + rad, W: rad, H: rc.H - 2*rad}, col)
	s := r.sprite(spriteKey{kind: spriteDisc, radius2: quantize(rad, 2)})
	cx, cy := float32(s.rect.Min.X)+float32(s.half), float32(s.rect.Min.Y)+float32(s.half)
	fr := float32(rad)
	tc := tint(col)
	for _, q := range [4][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		sx, sy := cx-fr+fr*float32(q[0]), cy-fr+fr*float32(q[1])
		x, y := rc.X+(rc.W-rad)*q[0], rc.Y+(rc.H-rad)*q[1]
		r.quad(dst, rectQuad(x, y, rad, rad), [4]float32{sx, sy, sx + fr, sy + fr}, tc)
	}
}

// triangle fills the triangle pts (no anti-aliasing: it is small): a quad
// with two corners on the same point.
func (r *Renderer) triangle(dst *ebiten.Image, pts [3]viz.Point, col viz.Color) {
	p := [4][2]float32{{f32(pts[0].X), f32(pts[0].Y)}, {f32(pts[1].X), f32(pts[1].Y)}, {f32(pts[2].X), f32(pts[2].Y)}, {f32(pts[2].X), f32(pts[2].Y)}}
	r.quad(dst, p, r.whiteSrc, tint(col))
}

// cross draws an X of size s centred at c on a paper disc.
func (r *Renderer) cross(dst *ebiten.Image, c viz.Point, s, width float64, col viz.Color) {
	h := s / 2
	r.fillCircle(dst, c, h*1.15, viz.Paper)
	r.line(dst, viz.Point{X: c.X - h, Y: c.Y - h}, viz.Point{X: c.X + h, Y: c.Y + h}, width, col)
	r.line(dst, viz.Point{X: c.X - h, Y: c.Y + h}, viz.Point{X: c.X + h, Y: c.Y - h}, width, col)
}
