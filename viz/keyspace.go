package viz

// The key space of one member, on a revision axis. etcd's store is
// multi-version (etcd: mvcc, "revision"): every write transaction makes a
// new revision of the whole key space, and each key remembers the revision
// that created it (CreateRevision), the one that last wrote it
// (ModRevision) and how many puts it has had since it was created
// (Version). One row per live key: a hollow cell at its create revision, a
// solid one at its mod revision, a bar between them (the key's current
// life), its version at the end. Between them, a small mark at every
// other change the store still holds (sim.EtcdState.History: each put,
// and the tombstone × that ended an earlier generation); a deleted key
// whose tombstone is still held gets a row of its own, its value "deleted".
// Revisions up to the last compaction are greyed, with a grey boundary
// after the compact revision: their superseded versions are gone (etcd:
// Compact), so reads at them fail with "required revision has been
// compacted", and only the change that still describes a key there is
// left of them.
//
//	rev  1  2 |3  4  5  6
//	a   ░░░ c━|━━•━━━m        = 7 · v3   created at 2, put at 4, rewritten at 5
//	b   ░░░   |    c  ×       deleted    put at 5, deleted at 6
//	░ compacted at 2

import (
	"fmt"
	"math"
	"strconv"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/sim"
)

// KeysPanel is one member's key space.
type KeysPanel struct {
	PanelFrame
	// Revision is the store's revision; Compacted its last compaction (0:
	// never).
	Revision, Compacted int64
	// First and Last are the revisions shown, CellW a revision's width.
	First, Last int64
	CellW       float64
	Ruler       []Text
	// CompactedSpan shades the compacted revisions in the window (zero
	// width when none is); CompactBoundary is the grey line after the
	// compact revision (zero width when it is not in the window).
	CompactedSpan   Rect
	CompactBoundary Rect
	Rows            []KeyRow
	// Note sums the panel up; More counts the keys that did not fit (or
	// says there is none).
	Note, More Text
}

// KeyRow is one live key.
type KeyRow struct {
	Key                                  string
	CreateRevision, ModRevision, Version int64
	Lease                                lease.LeaseID
	Name, Info                           Text
	// Create and Mod are the cells of its create and mod revisions, Life
	// the bar between them; a cell left of the window has zero width.
	Create, Mod, Life Rect
	// Deleted: the key is not live, only its history is held.
	Deleted bool
	// Changes are the other changes held (neither Create nor Mod), in the
	// window, oldest first.
	Changes []ChangeMark
}

// ChangeMark is one change of a key on the revision axis.
type ChangeMark struct {
	Revision  int64
	Tombstone bool
	// Cell is the change's revision cell in the row.
	Cell Rect
}

// keysPanel lays out ns's key space in r.
func keysPanel(ns sim.NodeState, r Rect, font float64) *KeysPanel {
	e := ns.Etcd
	p := &KeysPanel{PanelFrame: panelFrame(r, fmt.Sprintf("Keys at %s · revision %d", ns.Name, e.Revision), font),
		Revision: e.Revision, Compacted: max(e.CompactRevision, 0)}
	body := panelBody(p.PanelFrame, font)
	small := font * 0.66
	labelW, infoW := font*3.2, font*6.5
	cellsX := body.X + labelW
	avail := math.Max(body.W-labelW-infoW, font)
	p.CellW = clamp(avail/float64(max(e.Revision, 8)), font*0.9, font*2.2)
	capacity := int64(math.Max(math.Floor(avail/p.CellW), 1))
	p.First, p.Last = 1, max(e.Revision, capacity)
	if e.Revision > capacity {
		p.First = e.Revision - capacity + 1
	}
	x := func(rev int64) float64 { return cellsX + float64(rev-p.First)*p.CellW }
	rowH := font * 1.2
	rulerY := body.Y + small*0.6
	p.Ruler = revisionRuler(p.First, p.Last, x, p.CellW, rulerY, small)
	top := rulerY + small*0.9
	if p.Compacted >= p.First {
		p.CompactedSpan = Rect{x(p.First), top, x(min(p.Compacted, p.Last)+1) - x(p.First), 0}
	}
	if p.Compacted >= p.First && p.Compacted <= p.Last {
		p.CompactBoundary = Rect{x(p.Compacted+1) - 1, top, 2, 0}
	}
	maxRows := int(math.Max(math.Floor((body.Y+body.H-top-small*1.6)/rowH), 0))
	rows := keyRows(e)
	for i, kr := range rows {
		if i >= maxRows {
			p.More = Text{S: fmt.Sprintf("+ %d more keys", len(rows)-i), At: Point{body.X, top + float64(i)*rowH + rowH*0.5}, Size: small, Color: MutedInk}
			break
		}
		y := top + float64(i)*rowH
		p.Rows = append(p.Rows, kr.layout(Rect{body.X, y, body.W, rowH}, p, x, font))
	}
	if len(rows) == 0 {
		p.More = Text{S: "no keys", At: Point{body.X, top + rowH*0.5}, Size: small, Color: MutedInk}
	}
	p.CompactedSpan.H = math.Max(body.Y+body.H-small*1.4-top, 0)
	if p.CompactBoundary.W > 0 {
		p.CompactBoundary.H = p.CompactedSpan.H
	}
	note := fmt.Sprintf("%d keys", len(e.Keys))
	if p.Compacted > 0 {
		note += fmt.Sprintf(" · grey: compacted at %d", p.Compacted)
	}
	note += " · c create · ■ mod · • put · × delete"
	p.Note = Text{S: truncate(note, body.W, small), At: Point{body.X, body.Y + body.H - small*0.5}, Size: small, Color: MutedInk}
	return p
}

// revisionRuler numbers the revision columns, every k-th when they crowd.
func revisionRuler(first, last int64, x func(int64) float64, cellW, y, size float64) []Text {
	step := int64(1)
	for cellW*float64(step) < textWidth(strconv.FormatInt(last, 10), size)*1.3 {
		step++
	}
	var out []Text
	for rev := first; rev <= last; rev++ {
		if rev%step == 0 || rev == first {
			out = append(out, Text{S: strconv.FormatInt(rev, 10), At: Point{x(rev) + cellW/2, y}, Size: size, Color: MutedInk, Align: AlignCenter})
		}
	}
	return out
}

// keyLine is one row's facts before layout: a live key (kv set) or a
// deleted one whose history is still held.
type keyLine struct {
	key     string
	kv      *mvcc.KeyValue
	changes []mvcc.Change
}

// keyRows merges the live keys with the histories held, in key order.
func keyRows(e *sim.EtcdState) []keyLine {
	byKey := map[string]*keyLine{}
	var out []keyLine
	for i := range e.Keys {
		out = append(out, keyLine{key: string(e.Keys[i].Key), kv: &e.Keys[i]})
	}
	for i := range out {
		byKey[out[i].key] = &out[i]
	}
	var deleted []keyLine
	for _, h := range e.History {
		if l, ok := byKey[string(h.Key)]; ok {
			l.changes = h.Changes
		} else {
			deleted = append(deleted, keyLine{key: string(h.Key), changes: h.Changes})
		}
	}
	return mergeKeyLines(out, deleted)
}

// mergeKeyLines merges two lists sorted by key (etcd's range and the key
// index both list keys in order).
func mergeKeyLines(a, b []keyLine) []keyLine {
	out := make([]keyLine, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0].key < a[0].key {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// layout lays out l in row r.
func (l keyLine) layout(r Rect, p *KeysPanel, x func(int64) float64, font float64) KeyRow {
	if l.kv != nil {
		kv := l.kv
		k := keyRow(kv.Key, kv.Value, kv.CreateRevision, kv.ModRevision, kv.Version, lease.LeaseID(kv.Lease), r, p, x, font)
		k.Changes = changeMarks(l.changes, r, p, x, func(c mvcc.Change) bool {
			return c.Revision.Main != kv.CreateRevision && c.Revision.Main != kv.ModRevision
		})
		return k
	}
	small := font * 0.66
	cy := r.Y + r.H/2
	k := KeyRow{Key: l.key, Deleted: true,
		Name: Text{S: truncate(l.key, font*3, small*1.1), At: Point{r.X, cy}, Size: small * 1.1, Color: MutedInk, Bold: true},
		Info: Text{S: "deleted", At: Point{x(p.Last+1) + font*0.3, cy}, Size: small, Color: MutedInk}}
	k.Changes = changeMarks(l.changes, r, p, x, func(mvcc.Change) bool { return true })
	return k
}

// changeMarks places the changes keep accepts that fall in the window.
func changeMarks(changes []mvcc.Change, r Rect, p *KeysPanel, x func(int64) float64, keep func(mvcc.Change) bool) []ChangeMark {
	var out []ChangeMark
	for _, c := range changes {
		rev := c.Revision.Main
		if rev < p.First || rev > p.Last || !keep(c) {
			continue
		}
		cell := Rect{x(rev) + p.CellW*0.25, r.Y + r.H*0.3, p.CellW * 0.5, r.H * 0.4}
		out = append(out, ChangeMark{Revision: rev, Tombstone: c.Tombstone, Cell: cell})
	}
	return out
}

// keyRow lays out one live key in row r.
func keyRow(key, value []byte, create, mod, version int64, l lease.LeaseID, r Rect, p *KeysPanel, x func(int64) float64, font float64) KeyRow {
	small := font * 0.66
	k := KeyRow{Key: string(key), CreateRevision: create, ModRevision: mod, Version: version, Lease: l}
	cy := r.Y + r.H/2
	k.Name = Text{S: truncate(k.Key, font*3, small*1.1), At: Point{r.X, cy}, Size: small * 1.1, Color: Ink, Bold: true}
	cell := func(rev int64) Rect {
		if rev < p.First || rev > p.Last {
			return Rect{}
		}
		return Rect{x(rev) + 1, r.Y + r.H*0.18, p.CellW - 2, r.H * 0.64}
	}
	k.Create, k.Mod = cell(create), cell(mod)
	from := x(max(create, p.First)) + p.CellW/2
	to := x(mod) + p.CellW/2
	if to > from {
		k.Life = Rect{from, cy - 1.5, to - from, 3}
	}
	info := fmt.Sprintf("= %s · v%d", value, version)
	if l != 0 {
		info += " · lease " + shortLease(l)
	}
	k.Info = Text{S: truncate(info, r.X+r.W-x(p.Last+1)-font*0.3, small), At: Point{x(p.Last+1) + font*0.3, cy}, Size: small, Color: MutedInk}
	return k
}

// shortLease is a lease id cut to its first six hex digits.
func shortLease(l lease.LeaseID) string {
	s := l.String()
	if len(s) > 6 {
		s = s[:6] + "…"
	}
	return s
}
