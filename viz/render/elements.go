//go:build js && wasm

package render

// The scene's elements: links, nodes, messages, log strips, legend, cards.

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/etcdlab/etcdlab/viz"
)

func (r *Renderer) link(dst *ebiten.Image, l viz.LinkLook) {
	if l.Dashed {
		r.dashedLine(dst, l.A, l.B, l.Width, l.Width*4, l.Color)
	} else {
		r.line(dst, l.A, l.B, l.Width, l.Color)
	}
	if l.Kind != viz.LinkOpen {
		r.cross(dst, l.Cross, l.CrossSize, l.Width*1.4, l.Color)
	}
	if l.Arrow != nil {
		r.triangle(dst, *l.Arrow, l.Color)
	}
}

func (r *Renderer) node(dst *ebiten.Image, n viz.NodeLook) {
	if n.Selected {
		r.fillCircle(dst, n.Center, n.Radius*1.28, viz.Highlight.WithAlpha(40))
		r.strokeCircle(dst, n.Center, n.Radius*1.28, n.RingWidth, viz.Highlight)
	}
	r.fillCircle(dst, n.Center, n.Radius, n.Fill)
	if n.Dashed {
		r.dashedCircle(dst, n.Center, n.Radius, n.RingWidth, n.Ring)
	} else {
		r.strokeCircle(dst, n.Center, n.Radius, n.RingWidth, n.Ring)
	}
	if n.Learner {
		r.strokeCircle(dst, n.Center, n.Radius*0.86, n.RingWidth*0.7, n.Ring)
	}
	if n.Role == "leader" {
		r.strokeCircle(dst, n.Center, n.Radius+n.RingWidth*2, n.RingWidth, n.Ring)
	}
	if n.Timer >= 0 {
		tr := n.Radius + n.RingWidth*2.6
		r.strokeCircle(dst, n.Center, tr, n.RingWidth*1.2, viz.Rule)
		r.timerArc(dst, n.Center, tr, n.RingWidth*1.2, n.Timer, viz.Vermillion)
	}
	f := n.Font
	r.text(dst, viz.Text{S: n.Name, At: viz.Point{X: n.Center.X, Y: n.Center.Y - f*0.32}, Size: f, Color: n.Ink, Align: viz.AlignCenter, Bold: true})
	r.text(dst, viz.Text{S: n.Role, At: viz.Point{X: n.Center.X, Y: n.Center.Y + f*0.55}, Size: f * 0.62, Color: n.Ink, Align: viz.AlignCenter})
	r.badge(dst, n)
	small := f * 0.62
	y := n.Center.Y + n.Radius + n.RingWidth*3.5 + small*0.8
	for _, c := range n.Captions {
		r.text(dst, viz.Text{S: c, At: viz.Point{X: n.Center.X, Y: y}, Size: small, Color: viz.MutedInk, Align: viz.AlignCenter})
		y += small * 1.3
	}
}

// badge writes the term and vote above the node.
func (r *Renderer) badge(dst *ebiten.Image, n viz.NodeLook) {
	s := n.Term
	if n.Vote != "" {
		s += " · " + n.Vote
	}
	size := n.Font * 0.62
	y := n.Center.Y - n.Radius - n.RingWidth*3 - size*0.9
	r.text(dst, viz.Text{S: s, At: viz.Point{X: n.Center.X, Y: y}, Size: size, Color: viz.Ink, Align: viz.AlignCenter})
}

func (r *Renderer) message(dst *ebiten.Image, m viz.MessageDot) {
	if m.Hollow {
		r.fillCircle(dst, m.At, m.Radius, viz.White)
		r.strokeCircle(dst, m.At, m.Radius*0.8, m.Radius*0.45, m.Fill)
	} else {
		r.fillCircle(dst, m.At, m.Radius, m.Fill)
		r.strokeCircle(dst, m.At, m.Radius, math.Max(1, m.Radius*0.15), viz.Ink.WithAlpha(160))
	}
	if m.Selected {
		r.strokeCircle(dst, m.At, m.Radius*1.9, math.Max(2, m.Radius*0.3), viz.Highlight)
	}
	if m.Held {
		r.strokeCircle(dst, m.At, m.Radius*1.5, math.Max(1, m.Radius*0.2), viz.Alarm)
	}
	if m.Reject {
		r.cross(dst, m.At.Add(viz.Point{X: m.Radius, Y: -m.Radius}), m.Radius, math.Max(1, m.Radius*0.3), viz.Alarm)
	}
	if m.LabelSize > 0 {
		r.text(dst, viz.Text{S: m.Label, At: m.LabelAt, Size: m.LabelSize, Color: viz.Ink, Align: viz.AlignCenter})
	}
}

func (r *Renderer) legendItem(dst *ebiten.Image, it viz.LegendItem) {
	if it.Hollow {
		r.fillCircle(dst, it.At, it.Radius, viz.White)
		r.strokeCircle(dst, it.At, it.Radius*0.8, it.Radius*0.4, it.Fill)
	} else {
		r.fillCircle(dst, it.At, it.Radius, it.Fill)
	}
	r.text(dst, it.Label)
}

func (r *Renderer) strips(dst *ebiten.Image, s *viz.Strips) {
	r.text(dst, s.Title)
	r.text(dst, s.Key)
	for _, t := range s.Ruler {
		r.text(dst, t)
	}
	for _, row := range s.Rows {
		r.stripRow(dst, row)
	}
}

func (r *Renderer) stripRow(dst *ebiten.Image, row viz.StripRow) {
	if row.Selected {
		r.fillRect(dst, row.Area, viz.Highlight.WithAlpha(22))
	}
	sw := row.Name.Size * 0.36
	r.fillCircle(dst, viz.Point{X: row.Area.X + sw*1.2, Y: row.Name.At.Y}, sw, row.Swatch)
	r.strokeCircle(dst, viz.Point{X: row.Area.X + sw*1.2, Y: row.Name.At.Y}, sw, 1, viz.Ink)
	r.text(dst, row.Name)
	r.text(dst, row.Role)
	for _, c := range row.Cells {
		r.cell(dst, c)
	}
	r.text(dst, row.Info)
}

func (r *Renderer) cell(dst *ebiten.Image, c viz.LogCell) {
	rc := c.Rect
	r.fillRect(dst, rc, c.Fill)
	if c.Kind == viz.CellCompacted {
		r.line(dst, viz.Point{X: rc.X, Y: rc.Y + rc.H}, viz.Point{X: rc.X + rc.W, Y: rc.Y}, 1, viz.MutedInk)
	}
	switch {
	case c.Kind == viz.CellEntry && c.Committed:
		r.strokeRect(dst, rc, 1.5, viz.Ink)
	case c.Kind == viz.CellEntry:
		r.dashedLine(dst, viz.Point{X: rc.X, Y: rc.Y}, viz.Point{X: rc.X + rc.W, Y: rc.Y}, 1, 3, viz.MutedInk)
		r.dashedLine(dst, viz.Point{X: rc.X, Y: rc.Y + rc.H}, viz.Point{X: rc.X + rc.W, Y: rc.Y + rc.H}, 1, 3, viz.MutedInk)
	}
	if c.Conf {
		k := rc.W * 0.4
		r.triangle(dst, [3]viz.Point{{X: rc.X + rc.W - k, Y: rc.Y}, {X: rc.X + rc.W, Y: rc.Y}, {X: rc.X + rc.W, Y: rc.Y + k}}, viz.ReddishPurple)
	}
	if c.Applied && c.Kind == viz.CellEntry {
		r.fillRect(dst, viz.Rect{X: rc.X + 2, Y: rc.Y + rc.H + 2, W: rc.W - 4, H: math.Max(2, rc.H*0.1)}, viz.BluishGreen)
	}
	if c.SnapshotEdge {
		r.fillRect(dst, viz.Rect{X: rc.X + rc.W - 1, Y: rc.Y - 3, W: 4, H: rc.H + 6}, viz.Ink)
	}
	if c.Text != "" {
		col := viz.Ink
		if c.NoOp || c.Kind == viz.CellCompacted {
			col = viz.MutedInk
		}
		r.text(dst, viz.Text{S: c.Text, At: rc.Center(), Size: rc.H * 0.55, Color: col, Align: viz.AlignCenter, Bold: !c.NoOp})
	}
}

func (r *Renderer) card(dst *ebiten.Image, c *viz.Card) {
	size := 0.0
	if len(c.Lines) > 0 {
		size = c.Lines[0].Size
	}
	r.roundRect(dst, c.Rect, size*0.5, c.Fill, c.Stroke, 1.5)
	for _, t := range c.Lines {
		r.text(dst, t)
	}
}
