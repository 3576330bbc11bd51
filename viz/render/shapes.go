//go:build js && wasm

package render

// Shapes: circles, arcs, dashed lines, rounded rectangles — the vector
// primitives the scene's elements are drawn with.

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/etcdlab/etcdlab/viz"
)

func f32(v float64) float32 { return float32(v) }

func (r *Renderer) fillCircle(dst *ebiten.Image, c viz.Point, radius float64, col viz.Color) {
	vector.DrawFilledCircle(dst, f32(c.X), f32(c.Y), f32(radius), col, true)
}

func (r *Renderer) strokeCircle(dst *ebiten.Image, c viz.Point, radius, width float64, col viz.Color) {
	vector.StrokeCircle(dst, f32(c.X), f32(c.Y), f32(radius), f32(width), col, true)
}

func (r *Renderer) line(dst *ebiten.Image, a, b viz.Point, width float64, col viz.Color) {
	vector.StrokeLine(dst, f32(a.X), f32(a.Y), f32(b.X), f32(b.Y), f32(width), col, true)
}

func (r *Renderer) fillRect(dst *ebiten.Image, rc viz.Rect, col viz.Color) {
	vector.DrawFilledRect(dst, f32(rc.X), f32(rc.Y), f32(rc.W), f32(rc.H), col, true)
}

func (r *Renderer) strokeRect(dst *ebiten.Image, rc viz.Rect, width float64, col viz.Color) {
	vector.StrokeRect(dst, f32(rc.X), f32(rc.Y), f32(rc.W), f32(rc.H), f32(width), col, true)
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

// arc strokes the arc of the circle (c, radius) from angle a0 to a1
// (radians, clockwise on screen).
func (r *Renderer) arc(dst *ebiten.Image, c viz.Point, radius, a0, a1, width float64, col viz.Color) {
	var p vector.Path
	p.Arc(f32(c.X), f32(c.Y), f32(radius), f32(a0), f32(a1), vector.Clockwise)
	r.strokePath(dst, &p, width, col)
}

// dashedCircle strokes a circle in n dashes.
func (r *Renderer) dashedCircle(dst *ebiten.Image, c viz.Point, radius, width float64, col viz.Color) {
	n := int(math.Max(8, math.Round(radius/4)))
	step := 2 * math.Pi / float64(n)
	for i := 0; i < n; i++ {
		a := float64(i) * step
		r.arc(dst, c, radius, a, a+step*0.55, width, col)
	}
}

func (r *Renderer) strokePath(dst *ebiten.Image, p *vector.Path, width float64, col viz.Color) {
	op := &vector.StrokeOptions{Width: f32(width), LineJoin: vector.LineJoinRound, LineCap: vector.LineCapButt}
	vs, is := p.AppendVerticesAndIndicesForStroke(nil, nil, op)
	r.triangles(dst, vs, is, col, ebiten.FillRuleFillAll)
}

func (r *Renderer) fillPath(dst *ebiten.Image, p *vector.Path, col viz.Color) {
	vs, is := p.AppendVerticesAndIndicesForFilling(nil, nil)
	r.triangles(dst, vs, is, col, ebiten.FillRuleNonZero)
}

func (r *Renderer) triangles(dst *ebiten.Image, vs []ebiten.Vertex, is []uint16, col viz.Color, rule ebiten.FillRule) {
	cr, cg, cb, ca := float32(col.R)/255, float32(col.G)/255, float32(col.B)/255, float32(col.A)/255
	for i := range vs {
		vs[i].SrcX, vs[i].SrcY = 1, 1
		vs[i].ColorR, vs[i].ColorG, vs[i].ColorB, vs[i].ColorA = cr, cg, cb, ca
	}
	op := &ebiten.DrawTrianglesOptions{AntiAlias: true, FillRule: rule}
	dst.DrawTriangles(vs, is, r.white, op)
}

// roundRect fills rc with rounded corners of radius rad and strokes it.
func (r *Renderer) roundRect(dst *ebiten.Image, rc viz.Rect, rad float64, fill, stroke viz.Color, width float64) {
	rad = math.Min(rad, math.Min(rc.W, rc.H)/2)
	var p vector.Path
	x0, y0, x1, y1 := f32(rc.X), f32(rc.Y), f32(rc.X+rc.W), f32(rc.Y+rc.H)
	rr := f32(rad)
	p.MoveTo(x0+rr, y0)
	p.LineTo(x1-rr, y0)
	p.ArcTo(x1, y0, x1, y0+rr, rr)
	p.LineTo(x1, y1-rr)
	p.ArcTo(x1, y1, x1-rr, y1, rr)
	p.LineTo(x0+rr, y1)
	p.ArcTo(x0, y1, x0, y1-rr, rr)
	p.LineTo(x0, y0+rr)
	p.ArcTo(x0, y0, x0+rr, y0, rr)
	p.Close()
	r.fillPath(dst, &p, fill)
	if width > 0 && stroke.A > 0 {
		r.strokePath(dst, &p, width, stroke)
	}
}

// cross draws an X of size s centred at c.
func (r *Renderer) cross(dst *ebiten.Image, c viz.Point, s, width float64, col viz.Color) {
	h := s / 2
	r.fillCircle(dst, c, h*1.15, viz.Paper)
	r.line(dst, viz.Point{X: c.X - h, Y: c.Y - h}, viz.Point{X: c.X + h, Y: c.Y + h}, width, col)
	r.line(dst, viz.Point{X: c.X - h, Y: c.Y + h}, viz.Point{X: c.X + h, Y: c.Y - h}, width, col)
}

func pathOf(pts []viz.Point) *vector.Path {
	var p vector.Path
	p.MoveTo(f32(pts[0].X), f32(pts[0].Y))
	for _, q := range pts[1:] {
		p.LineTo(f32(q.X), f32(q.Y))
	}
	p.Close()
	return &p
}
