package viz

// Log strips: one row per node, one cell per log entry, the cells of all
// rows aligned by index so that Raft's Log Matching Property (§5.3) is
// visible at a glance — same index and term, same colour, same column — and
// so is where two logs diverge. A cell shows the entry's term as a number
// on the term's colour; a committed entry has a solid edge, an uncommitted
// one a pale fill and a dashed edge; an applied entry is underlined; a
// membership change (§6) has a marked corner; the empty entry a new leader
// appends (§8) has a faded number. The prefix a node compacted into its
// snapshot (§7) is grey, and a bar marks the snapshot's last index.
//
//	index   5  6  7  8  9
//	n1     [2][2][3][3][3]|      | snapshot boundary
//	n2     [2][2][3]             n2 lags: the leader will send 8 and 9
//	n3     ░░░[2][3][3][3]       ░ compacted into n3's snapshot
//
// When logs outgrow the panel, the window shows the newest entries.

import (
	"fmt"
	"math"
	"strconv"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// CellKind says what a log cell holds.
type CellKind uint8

const (
	// CellSlot: no entry at this index (beyond the log's end, or unknown
	// while the node is down).
	CellSlot CellKind = iota
	// CellEntry: an entry in the log.
	CellEntry
	// CellCompacted: the index is covered by the node's snapshot; the entry
	// itself was discarded.
	CellCompacted
)

// LogCell is one index of one node's log.
type LogCell struct {
	Rect         Rect
	Kind         CellKind
	Index, Term  uint64
	Fill         Color
	Text         string
	Conf, NoOp   bool
	Committed    bool
	Applied      bool
	SnapshotEdge bool // the last index the snapshot covers
}

// StripRow is one node's log.
type StripRow struct {
	Node     raft.NodeID
	Area     Rect
	Swatch   Color // the node's role colour
	Name     Text
	Role     Text
	Cells    []LogCell
	Info     Text
	Selected bool
	Down     bool
}

// Strips is the log panel.
type Strips struct {
	Area        Rect
	Title, Key  Text
	Ruler       []Text
	Rows        []StripRow
	First, Last uint64 // the window of indexes shown
	CellW       float64
	// Free is the room left under the rows (the selected node's card goes
	// there).
	Free Rect
}

// buildStrips lays out the log panel in area, keeping reserve pixels under
// the rows for the selected node's card.
func buildStrips(st sim.State, area Rect, selected raft.NodeID, font, reserve float64) *Strips {
	pad := font * 0.6
	area = area.Inset(pad)
	s := &Strips{Area: area}
	small := font * 0.72
	s.Title = Text{S: "Logs: one cell per entry, its term written in it", At: Point{area.X, area.Y + font*0.6}, Size: font * 0.85, Color: Ink, Bold: true}
	s.Key = Text{S: "solid = committed · underline = applied · corner = membership · grey = in snapshot",
		At: Point{area.X, area.Y + area.H - small*0.6}, Size: small * 0.92, Color: MutedInk}
	labelW := font * 5.4
	cellsX := area.X + labelW
	s.CellW = clamp(font*1.6, 14, 64)
	capacity := int(math.Max(math.Floor((area.X+area.W-cellsX)/s.CellW), 1))
	s.First, s.Last = window(st, capacity)
	rulerY := area.Y + font*1.9
	top := rulerY + font*0.8
	rowsH := area.Y + area.H - small*1.4 - top - reserve
	n := math.Max(float64(len(st.Nodes)), 1)
	rowH := math.Min(rowsH/n, font*3.4)
	s.Ruler = ruler(s.First, s.Last, cellsX, rulerY, s.CellW, small)
	lead := leaderStatus(st)
	for i, ns := range st.Nodes {
		r := Rect{area.X, top + float64(i)*rowH, area.W, rowH}
		row := stripRow(ns, r, labelW, s, font)
		row.Selected = ns.ID == selected
		if pr, ok := progressOf(lead, ns.ID); ok && ns.ID != lead.ID {
			row.Info.S += " · leader sees " + pr
		}
		s.Rows = append(s.Rows, row)
	}
	freeY := top + n*rowH + font*0.4
	s.Free = Rect{area.X, freeY, area.W, math.Max(area.Y+area.H-small*1.4-freeY, 0)}
	return s
}

// cardReserve is the room kept under the rows for the selected node's card.
func cardReserve(font float64) float64 { return font * 6.6 }

// window picks the indexes to show: up to capacity, ending at the highest
// last index of any node (or starting at 1 while every log fits).
func window(st sim.State, capacity int) (first, last uint64) {
	var hi uint64
	for _, ns := range st.Nodes {
		hi = max(hi, ns.Status.LastIndex, ns.Snapshot.Index)
	}
	c := uint64(capacity)
	if hi <= c {
		return 1, c
	}
	return hi - c + 1, hi
}

// ruler numbers the columns, every column when they fit, else every k-th.
func ruler(first, last uint64, x, y, cellW, size float64) []Text {
	step := uint64(1)
	for cellW*float64(step) < textWidth(strconv.FormatUint(last, 10), size)*1.3 {
		step++
	}
	var out []Text
	for i := first; i <= last; i++ {
		if i%step != 0 && i != first {
			continue
		}
		cx := x + (float64(i-first)+0.5)*cellW
		out = append(out, Text{S: strconv.FormatUint(i, 10), At: Point{cx, y}, Size: size, Color: MutedInk, Align: AlignCenter})
	}
	return out
}

// stripRow builds one node's row.
func stripRow(ns sim.NodeState, r Rect, labelW float64, s *Strips, font float64) StripRow {
	role := roleName(ns.Up, ns.Removed, ns.Status.Role)
	cellH := math.Min(r.H*0.52, font*1.6)
	small := font * 0.7
	row := StripRow{Node: ns.ID, Area: r, Swatch: RoleColor(role), Down: !ns.Up,
		Name: Text{S: ns.Name, At: Point{r.X + font*1.2, r.Y + cellH*0.5}, Size: font, Color: Ink, Bold: true},
		// The role is sized to its column, so that "pre-candidate" does not
		// run into the line under the cells.
		Role: Text{S: role, At: Point{r.X + font*1.2, r.Y + cellH*0.5 + font*0.95}, Size: math.Min(small, (labelW-font*1.4)/textWidth(role, 1)), Color: MutedInk},
	}
	cellY := r.Y + font*0.1
	entries := entriesByIndex(ns.Log)
	for i := s.First; i <= s.Last; i++ {
		rect := Rect{r.X + labelW + float64(i-s.First)*s.CellW, cellY, s.CellW - 2, cellH}
		row.Cells = append(row.Cells, logCell(ns, i, entries, rect))
	}
	row.Info = Text{S: rowInfo(ns), At: Point{r.X + labelW, cellY + cellH + small*0.9}, Size: small, Color: MutedInk}
	return row
}

// logCell is index i of node ns.
func logCell(ns sim.NodeState, i uint64, entries map[uint64]raft.Entry, rect Rect) LogCell {
	c := LogCell{Rect: rect, Index: i, Kind: CellSlot, Fill: EmptySlot}
	c.SnapshotEdge = ns.Snapshot.Index > 0 && i == ns.Snapshot.Index
	if e, ok := entries[i]; ok {
		c.Kind, c.Term, c.Text = CellEntry, e.Term, strconv.FormatUint(e.Term, 10)
		c.Conf = e.Type == raft.EntryConfChange
		c.NoOp = e.Type == raft.EntryNormal && len(e.Data) == 0
		c.Committed = i <= ns.Status.HardState.Commit
		c.Applied = i <= ns.Applied
		c.Fill = TermColor(e.Term)
		if !c.Committed {
			c.Fill = c.Fill.Mix(White, 0.55)
		}
		return c
	}
	if i <= ns.Snapshot.Index {
		c.Kind, c.Fill, c.Committed, c.Applied = CellCompacted, Compacted, true, i <= ns.Applied
		if c.SnapshotEdge {
			c.Term, c.Text = ns.Snapshot.Term, strconv.FormatUint(ns.Snapshot.Term, 10)
		}
	}
	return c
}

func entriesByIndex(log []raft.Entry) map[uint64]raft.Entry {
	m := make(map[uint64]raft.Entry, len(log))
	for _, e := range log {
		m[e.Index] = e
	}
	return m
}

// rowInfo is the line under a row's cells.
func rowInfo(ns sim.NodeState) string {
	if !ns.Up {
		return fmt.Sprintf("down · disk keeps term %d, commit %d, %d entries, snapshot %d",
			ns.DiskHardState.Term, ns.DiskHardState.Commit, ns.DiskEntries, ns.Snapshot.Index)
	}
	s := fmt.Sprintf("commit %d · applied %d", ns.Status.HardState.Commit, ns.Applied)
	if ns.Snapshot.Index > 0 {
		s += fmt.Sprintf(" · snapshot %d", ns.Snapshot.Index)
	}
	return s
}
