package viz

// Leases and watches. A lease is a TTL the client keeps alive; keys
// attached to it are deleted, in one revision, when it expires or is
// revoked (etcd: lease/lessor.go). Only the leader counts leases down — a
// follower's lessor has no expiry until it becomes leader and extends
// every lease by its full TTL (etcd: Promote) — so the bars are the
// leader's. A watch streams the events of a key range from a revision on
// (etcd: mvcc/watchable_store.go); the panel lists each watch with the
// member it goes through, how many events it has delivered and the
// revision of the last one.
//
//	491f12…  [██████░░░░]  3 s of 5   a b
//	w1 via n3 · a --prefix · 2 events, last rev 4

import (
	"fmt"
	"math"
	"strings"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/sim"
)

// LeasesPanel lists the leases.
type LeasesPanel struct {
	PanelFrame
	Rows []LeaseRow
	// Empty says there is none; More counts the leases that did not fit.
	Empty, More Text
}

// LeaseRow is one lease.
type LeaseRow struct {
	ID             lease.LeaseID
	TTL, Remaining int64 // seconds; Remaining -1 when not counted down
	Name, Time     Text
	// Track is the whole TTL, Left what remains of it (zero width when
	// the member does not count down); Fill the colour of Left.
	Track, Left Rect
	Fill        Color
	Keys        Text
}

// leasesPanel lays out ns's leases in r.
func leasesPanel(ns *sim.NodeState, r Rect, font float64) *LeasesPanel {
	p := &LeasesPanel{PanelFrame: panelFrame(r, "Leases, as "+ns.Name+" counts them", font)}
	body := panelBody(p.PanelFrame, font)
	small := font * 0.64
	rowH := small * 1.7
	if ns.Etcd == nil || len(ns.Etcd.Leases) == 0 {
		p.Empty = Text{S: "no leases", At: Point{body.X, body.Y + rowH/2}, Size: small, Color: MutedInk}
		return p
	}
	leases := ns.Etcd.Leases
	maxRows := int(math.Max(math.Floor(body.H/rowH), 1))
	for i, l := range leases {
		cy := body.Y + float64(i)*rowH + rowH/2
		if i == maxRows-1 && len(leases) > maxRows {
			p.More = Text{S: fmt.Sprintf("+ %d more leases", len(leases)-i), At: Point{body.X, cy}, Size: small, Color: MutedInk}
			break
		}
		p.Rows = append(p.Rows, leaseRow(l, Rect{body.X, cy - rowH/2, body.W, rowH}, small))
	}
	return p
}

// leaseRow lays out one lease in r.
func leaseRow(l sim.LeaseState, r Rect, small float64) LeaseRow {
	cy := r.Y + r.H/2
	row := LeaseRow{ID: l.ID, TTL: l.TTLSeconds, Remaining: l.RemainingSeconds,
		Name: Text{S: shortLease(l.ID), At: Point{r.X, cy}, Size: small, Color: Ink, Bold: true}}
	x := r.X + small*5.2
	row.Track = Rect{x, cy - small*0.35, r.W * 0.3, small * 0.7}
	tm := fmt.Sprintf("ttl %d s, not counted here", l.TTLSeconds)
	if l.RemainingSeconds >= 0 && l.TTLSeconds > 0 {
		f := clamp(float64(l.RemainingSeconds)/float64(l.TTLSeconds), 0, 1)
		row.Left = Rect{row.Track.X, row.Track.Y, row.Track.W * f, row.Track.H}
		row.Fill = BluishGreen
		if f <= 1.0/3 {
			row.Fill = Vermillion
		}
		tm = fmt.Sprintf("%d s of %d", l.RemainingSeconds, l.TTLSeconds)
	}
	tx := row.Track.X + row.Track.W + small*0.6
	row.Time = Text{S: tm, At: Point{tx, cy}, Size: small, Color: MutedInk}
	kx := tx + textWidth(tm, small) + small
	keys := "no keys"
	if len(l.Keys) > 0 {
		keys = "keys " + strings.Join(l.Keys, " ")
	}
	row.Keys = Text{S: truncate(keys, math.Max(r.X+r.W-kx, small), small), At: Point{kx, cy}, Size: small, Color: Ink}
	return row
}

// WatchesPanel lists the watches.
type WatchesPanel struct {
	PanelFrame
	Rows        []WatchRow
	Empty, More Text
}

// WatchRow is one watch.
type WatchRow struct {
	ID    uint64
	Ended bool
	Line  Text
}

// watchesPanel lays out the watches in r, in id order.
func watchesPanel(ws []sim.WatchState, r Rect, font float64) *WatchesPanel {
	p := &WatchesPanel{PanelFrame: panelFrame(r, "Watches", font)}
	body := panelBody(p.PanelFrame, font)
	small := font * 0.64
	rowH := small * 1.55
	if len(ws) == 0 {
		p.Empty = Text{S: "no watches", At: Point{body.X, body.Y + rowH/2}, Size: small, Color: MutedInk}
		return p
	}
	maxRows := int(math.Max(math.Floor(body.H/rowH), 1))
	for i, w := range ws {
		cy := body.Y + float64(i)*rowH + rowH/2
		if i == maxRows-1 && len(ws) > maxRows {
			p.More = Text{S: fmt.Sprintf("+ %d more watches", len(ws)-i), At: Point{body.X, cy}, Size: small, Color: MutedInk}
			break
		}
		col := Ink
		if w.Ended {
			col = MutedInk
		}
		p.Rows = append(p.Rows, WatchRow{ID: w.ID, Ended: w.Ended,
			Line: Text{S: truncate(watchLine(w), body.W, small), At: Point{body.X, cy}, Size: small, Color: col}})
	}
	return p
}

// watchLine describes one watch.
func watchLine(w sim.WatchState) string {
	s := fmt.Sprintf("w%d via %s · %s · %d events", w.ID, sim.Name(w.Node), w.Label, w.Events)
	if w.Events == 1 {
		s = strings.TrimSuffix(s, "s")
	}
	if w.LastRevision > 0 {
		s += fmt.Sprintf(", last rev %d", w.LastRevision)
	}
	if w.Ended {
		s += " · ended: " + w.Why
	}
	return s
}
