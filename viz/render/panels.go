//go:build js && wasm

package render

// The etcd panels, the quorum and a selected message.

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/etcdlab/etcdlab/viz"
)

func (r *Renderer) panels(dst *ebiten.Image, s *viz.Scene) {
	e := s.Etcd
	if e == nil {
		return
	}
	if e.Keys != nil {
		r.keysPanel(dst, e.Keys, s.Font)
	}
	if e.Backend != nil {
		r.backendPanel(dst, e.Backend, s.Font)
	}
	if e.Leases != nil {
		r.leasesPanel(dst, e.Leases, s.Font)
	}
	if e.Watches != nil {
		r.frame(dst, e.Watches.PanelFrame, s.Font)
		for _, w := range e.Watches.Rows {
			r.text(dst, w.Line)
			for _, ev := range w.Events {
				if ev.Flash > 0 {
					r.fillRect(dst, ev.Area, viz.Yellow.WithAlpha(uint8(160*ev.Flash)))
				}
				r.text(dst, ev.Line)
			}
		}
		r.text(dst, e.Watches.Empty)
		r.text(dst, e.Watches.More)
	}
}

func (r *Renderer) frame(dst *ebiten.Image, p viz.PanelFrame, font float64) {
	r.roundRect(dst, p.Rect, font*0.4, viz.Panel, viz.Rule, 1)
	r.text(dst, p.Title)
}

func (r *Renderer) keysPanel(dst *ebiten.Image, p *viz.KeysPanel, font float64) {
	r.frame(dst, p.PanelFrame, font)
	if p.CompactedSpan.W > 0 {
		r.fillRect(dst, p.CompactedSpan, viz.Compacted.WithAlpha(70))
	}
	if p.CompactBoundary.W > 0 {
		r.fillRect(dst, p.CompactBoundary, viz.Compacted)
	}
	for _, t := range p.Ruler {
		r.text(dst, t)
	}
	for _, k := range p.Rows {
		r.text(dst, k.Name)
		r.fillRect(dst, k.Life, viz.Blue)
		if k.Create.W > 0 {
			r.fillRect(dst, k.Create, viz.Panel)
			r.strokeRect(dst, k.Create, 1.5, viz.Blue)
		}
		if k.Mod.W > 0 {
			r.fillRect(dst, k.Mod, viz.Blue)
		}
		for _, c := range k.Changes {
			r.change(dst, c)
		}
		r.text(dst, k.Info)
	}
	r.text(dst, p.More)
	r.text(dst, p.Note)
}

// change marks one change of a key: a dot for a put, a cross for the
// tombstone that deleted it.
func (r *Renderer) change(dst *ebiten.Image, c viz.ChangeMark) {
	if c.Tombstone {
		r.cross(dst, c.Cell.Center(), c.Cell.H, 1.5, viz.Alarm)
		return
	}
	r.fillCircle(dst, c.Cell.Center(), math.Min(c.Cell.W, c.Cell.H)/2, viz.Blue)
}

func (r *Renderer) backendPanel(dst *ebiten.Image, p *viz.BackendPanel, font float64) {
	r.frame(dst, p.PanelFrame, font)
	for _, k := range p.Key {
		r.fillRect(dst, k.Rect, k.Fill)
		r.strokeRect(dst, k.Rect, 1, viz.MutedInk)
		r.text(dst, k.Label)
	}
	for _, c := range p.Pages {
		rc := c.Rect
		r.fillRect(dst, rc, c.Fill.Mix(viz.White, 0.45))
		if c.Filled > 0 {
			h := rc.H * c.Filled
			r.fillRect(dst, viz.Rect{X: rc.X, Y: rc.Y + rc.H - h, W: rc.W, H: h}, c.Fill)
		}
		r.strokeRect(dst, rc, 1, viz.Rule)
	}
	r.fillRect(dst, p.SizeBar, viz.Rule)
	r.fillRect(dst, p.InUseBar, viz.Blue)
	r.text(dst, p.Sizes)
	r.text(dst, p.Alarm)
}

func (r *Renderer) leasesPanel(dst *ebiten.Image, p *viz.LeasesPanel, font float64) {
	r.frame(dst, p.PanelFrame, font)
	for _, l := range p.Rows {
		r.text(dst, l.Name)
		r.fillRect(dst, l.Track, viz.EmptySlot)
		r.fillRect(dst, l.Left, l.Fill)
		r.strokeRect(dst, l.Track, 1, viz.Rule)
		r.text(dst, l.Time)
		r.text(dst, l.Keys)
	}
	r.text(dst, p.Empty)
	r.text(dst, p.More)
}

// quorum rings the acknowledging nodes and joins them to the leader,
// fading with the quorum's strength.
func (r *Renderer) quorum(dst *ebiten.Image, q *viz.Quorum, font float64) {
	if q == nil || q.Strength <= 0 {
		return
	}
	a := uint8(math.Round(255 * q.Strength))
	col := viz.BluishGreen.WithAlpha(a)
	w := math.Max(2, font*0.22)
	for _, sp := range q.Spokes {
		r.line(dst, sp[0], sp[1], w, col)
	}
	for _, m := range q.Marks {
		r.strokeCircle(dst, m.Center, m.Radius, w, col)
	}
	note := q.Note
	note.Color = note.Color.WithAlpha(a)
	r.text(dst, note)
}
