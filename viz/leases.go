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
	"time"

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

// WatchesPanel lists the watches, each with the events it received last,
// newest first (sim.WatchState.Recent):
//
//	w1 via n3 · foo · 3 events, last rev 7
//	   7 PUT foo = bar          <- new: flashes (EventWatch)
//	   5 DELETE foo
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
	// Total counts the events the watch received; Events are the lines of
	// the newest that fit, newest first.
	Total  int
	Events []WatchEventLine
}

// WatchEventLine is one event received by a watch.
type WatchEventLine struct {
	Revision int64
	Line     Text
	// Area is the line's box; Flash how brightly it is lit, 0 to 1 (Build
	// leaves it 0; EventWatch.Observe lights new events).
	Area  Rect
	Flash float64
}

// watchesPanel lays out the watches in r, in id order: each watch's line,
// then as many of its recent events as the room left allows (at most
// watchEventLines per watch while others wait below).
func watchesPanel(ws []sim.WatchState, r Rect, font float64) *WatchesPanel {
	p := &WatchesPanel{PanelFrame: panelFrame(r, "Watches", font)}
	body := panelBody(p.PanelFrame, font)
	small := font * 0.64
	rowH := small * 1.55
	if len(ws) == 0 {
		p.Empty = Text{S: "no watches", At: Point{body.X, body.Y + rowH/2}, Size: small, Color: MutedInk}
		return p
	}
	lines := int(math.Max(math.Floor(body.H/rowH), 1))
	used := 0
	for i, w := range ws {
		cy := body.Y + float64(used)*rowH + rowH/2
		if used >= lines-1 && i < len(ws)-1 || used >= lines {
			p.More = Text{S: fmt.Sprintf("+ %d more watches", len(ws)-i), At: Point{body.X, cy}, Size: small, Color: MutedInk}
			break
		}
		col := Ink
		if w.Ended {
			col = MutedInk
		}
		row := WatchRow{ID: w.ID, Ended: w.Ended, Total: w.Events,
			Line: Text{S: truncate(watchLine(w), body.W, small), At: Point{body.X, cy}, Size: small, Color: col}}
		used++
		// Leave a line for each watch still to come.
		room := lines - used - (len(ws) - 1 - i)
		if i < len(ws)-1 {
			room = min(room, watchEventLines)
		}
		for j := 0; j < len(w.Recent) && j < room; j++ {
			y := body.Y + float64(used)*rowH
			row.Events = append(row.Events, watchEventLine(w.Recent[j], Rect{body.X + font*0.8, y, body.W - font*0.8, rowH}, small))
			used++
		}
		p.Rows = append(p.Rows, row)
	}
	return p
}

// watchEventLines is how many events a watch lists while other watches
// follow it in the panel (the last one may fill the rest).
const watchEventLines = 3

// watchEventLine lays out one event in r.
func watchEventLine(e sim.WatchEvent, r Rect, size float64) WatchEventLine {
	s := fmt.Sprintf("%d %s %s", e.Revision, e.Type, e.Key)
	col := Ink
	if e.Type == "DELETE" {
		col = Alarm
	} else {
		s += " = " + e.Value
	}
	return WatchEventLine{Revision: e.Revision, Area: r,
		Line: Text{S: truncate(s, r.W, size), At: Point{r.X, r.Y + r.H/2}, Size: size, Color: col}}
}

// EventFlash is how long a new watch event stays lit (it fades out).
const EventFlash = 1200 * time.Millisecond

// EventWatch notices, frame after frame, the events each watch receives
// and lights the new ones for EventFlash, as CommitWatch does the quorum
// (quorum.go); the clock is the host's real time and must not go back.
type EventWatch struct {
	seen  map[uint64]int           // events counted per watch at the last frame
	litAt map[uint64]time.Duration // when each watch's newest events were lit
	fresh map[uint64]int           // how many of them
}

// Observe compares s's watches with the last frame's at clock now, sets
// the Flash of the events that are new and reports whether any is lit.
func (w *EventWatch) Observe(s *Scene, now time.Duration) bool {
	if s.Etcd == nil || s.Etcd.Watches == nil {
		return false
	}
	if w.seen == nil {
		w.seen, w.litAt, w.fresh = map[uint64]int{}, map[uint64]time.Duration{}, map[uint64]int{}
	}
	lit := false
	for i := range s.Etcd.Watches.Rows {
		row := &s.Etcd.Watches.Rows[i]
		before, known := w.seen[row.ID]
		w.seen[row.ID] = row.Total
		if known && row.Total > before {
			w.litAt[row.ID], w.fresh[row.ID] = now, row.Total-before
		} else if row.Total < before {
			delete(w.litAt, row.ID) // the timeline went back
		}
		at, ok := w.litAt[row.ID]
		if !ok || now-at >= EventFlash {
			continue
		}
		// In sixteenths, so that a host redrawing on change redraws 16 times.
		strength := float64(16-int(16*(now-at)/EventFlash)) / 16
		for j := 0; j < len(row.Events) && j < w.fresh[row.ID]; j++ {
			row.Events[j].Flash, lit = strength, true
		}
	}
	return lit
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
