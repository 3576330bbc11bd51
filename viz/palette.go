package viz

// The palette. Colours follow Okabe & Ito's palette ("Color Universal
// Design", 2008), chosen to stay distinguishable under the common forms of
// colour blindness; and colour is never the only cue — every role is also
// written on its node, responses are hollow where requests are solid, a
// down node is dashed, and every log cell carries its term as a number.
//
//	follower  sky blue      pre-candidate  yellow     candidate  orange
//	leader    bluish green  learner        purple     down       grey, dashed

import (
	"fmt"
	"math"

	"github.com/etcdlab/etcdlab/core/raft"
)

// Color is 8-bit sRGB with alpha (straight, not premultiplied).
type Color struct{ R, G, B, A uint8 }

// RGBA implements image/color.Color, so a renderer can use a Color as is.
func (c Color) RGBA() (r, g, b, a uint32) {
	a = uint32(c.A) * 0x101
	r = uint32(c.R) * 0x101 * a / 0xffff
	g = uint32(c.G) * 0x101 * a / 0xffff
	b = uint32(c.B) * 0x101 * a / 0xffff
	return r, g, b, a
}

// Hex renders c as #rrggbb (for tests and the JSON bridge).
func (c Color) Hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// WithAlpha returns c with alpha a.
func (c Color) WithAlpha(a uint8) Color { c.A = a; return c }

// Mix returns c moved a fraction t towards d.
func (c Color) Mix(d Color, t float64) Color {
	m := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
	return Color{m(c.R, d.R), m(c.G, d.G), m(c.B, d.B), m(c.A, d.A)}
}

// luminance is the relative luminance of c (WCAG 2.x), 0 black .. 1 white.
func (c Color) luminance() float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// InkOn is the text colour that reads best on background c: near-black or
// white, whichever has the higher contrast ratio.
func InkOn(c Color) Color {
	l := c.luminance()
	if (l+0.05)/0.05 >= 1.05/(l+0.05) {
		return Ink
	}
	return White
}

// Okabe-Ito colours and the neutrals of the page.
var (
	Black         = Color{0, 0, 0, 255}
	White         = Color{255, 255, 255, 255}
	Orange        = Color{0xE6, 0x9F, 0x00, 255}
	SkyBlue       = Color{0x56, 0xB4, 0xE9, 255}
	BluishGreen   = Color{0x00, 0x9E, 0x73, 255}
	Yellow        = Color{0xF0, 0xE4, 0x42, 255}
	Blue          = Color{0x00, 0x72, 0xB2, 255}
	Vermillion    = Color{0xD5, 0x5E, 0x00, 255}
	ReddishPurple = Color{0xCC, 0x79, 0xA7, 255}

	Ink        = Color{0x1F, 0x23, 0x28, 255} // text
	MutedInk   = Color{0x5C, 0x63, 0x6B, 255} // secondary text
	Paper      = Color{0xF7, 0xF6, 0xF2, 255} // page background
	Panel      = Color{0xFF, 0xFF, 0xFF, 255} // cards and strips
	Band       = Color{0xEC, 0xEB, 0xE6, 255} // header and footer
	Rule       = Color{0xD0, 0xD3, 0xD6, 255} // faint lines
	DownGrey   = Color{0xC4, 0xC4, 0xC4, 255}
	Alarm      = Color{0xC0, 0x1C, 0x1C, 255} // partitions, cuts, errors
	Highlight  = Color{0x11, 0x11, 0x11, 255} // selection ring
	Compacted  = Color{0xB9, 0xBA, 0xB6, 255} // log prefix held only in a snapshot
	EmptySlot  = Color{0xEE, 0xEE, 0xEA, 255}
	Translucid = Color{0x10, 0x14, 0x18, 210} // behind the help overlay
)

// RoleColor is the fill of a node in role (a raft.Role name, "down" or
// "removed").
func RoleColor(role string) Color {
	switch role {
	case "follower":
		return SkyBlue
	case "pre-candidate":
		return Yellow
	case "candidate":
		return Orange
	case "leader":
		return BluishGreen
	case "learner":
		return ReddishPurple
	case "removed":
		return DownGrey.Mix(Paper, 0.5)
	}
	return DownGrey
}

// roleName is the display name of a node's role.
func roleName(up, removed bool, r raft.Role) string {
	switch {
	case removed:
		return "removed"
	case !up:
		return "down"
	}
	return r.String()
}

// termPalette colours log cells by term: pale tints, so the term number
// written in each cell stays readable, cycling after eight terms.
var termPalette = []Color{
	{0xCF, 0xE8, 0xF7, 255}, // sky
	{0xFB, 0xE3, 0xB0, 255}, // orange
	{0xBF, 0xE6, 0xD9, 255}, // green
	{0xEE, 0xD3, 0xE3, 255}, // purple
	{0xF8, 0xF3, 0xB6, 255}, // yellow
	{0xB8, 0xD4, 0xEA, 255}, // blue
	{0xF2, 0xC9, 0xAE, 255}, // vermillion
	{0xDA, 0xDA, 0xDA, 255}, // grey
}

// TermColor is the fill of a log cell of term t.
func TermColor(t uint64) Color {
	if t == 0 {
		return EmptySlot
	}
	return termPalette[(t-1)%uint64(len(termPalette))]
}
