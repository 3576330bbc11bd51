package viz

// Geometry: the few plane shapes a scene is made of — points, rectangles
// and the helpers the layout and the hit tests share. Coordinates are in
// screen pixels, x to the right and y downwards, as Ebitengine draws them.

import "math"

// Point is a position on the screen.
type Point struct{ X, Y float64 }

// Add returns p moved by q.
func (p Point) Add(q Point) Point { return Point{p.X + q.X, p.Y + q.Y} }

// Sub returns the vector from q to p.
func (p Point) Sub(q Point) Point { return Point{p.X - q.X, p.Y - q.Y} }

// Scale returns p multiplied by k.
func (p Point) Scale(k float64) Point { return Point{p.X * k, p.Y * k} }

// Len is the length of p as a vector.
func (p Point) Len() float64 { return math.Hypot(p.X, p.Y) }

// Dist is the distance between p and q.
func Dist(p, q Point) float64 { return p.Sub(q).Len() }

// Lerp is the point a fraction t of the way from a to b.
func Lerp(a, b Point, t float64) Point { return a.Add(b.Sub(a).Scale(t)) }

// unit returns p scaled to length 1 (the zero vector stays zero).
func (p Point) unit() Point {
	l := p.Len()
	if l == 0 {
		return Point{}
	}
	return p.Scale(1 / l)
}

// normal is p turned a quarter to the right (in screen coordinates).
func (p Point) normal() Point { return Point{-p.Y, p.X} }

// Rect is an axis-aligned rectangle: its top-left corner and its size.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether p lies inside r (edges included).
func (r Rect) Contains(p Point) bool {
	return p.X >= r.X && p.X <= r.X+r.W && p.Y >= r.Y && p.Y <= r.Y+r.H
}

// Center is the middle of r.
func (r Rect) Center() Point { return Point{r.X + r.W/2, r.Y + r.H/2} }

// Inset returns r shrunk by d on every side (never below zero size).
func (r Rect) Inset(d float64) Rect {
	out := Rect{r.X + d, r.Y + d, r.W - 2*d, r.H - 2*d}
	out.W, out.H = math.Max(out.W, 0), math.Max(out.H, 0)
	return out
}

// clamp limits v to [lo, hi].
func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// textWidth estimates the width of s at font size px. The scene cannot
// measure glyphs (it has no font), so it budgets an average advance of
// 0.56 em — what Go Regular averages over digits and lower-case letters.
func textWidth(s string, px float64) float64 {
	n := 0
	for range s {
		n++
	}
	return float64(n) * 0.56 * px
}
