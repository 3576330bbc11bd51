package viz

// The etcd panels (etcd mode: the simulated members run core/server).
// Raft's picture — nodes, messages, logs — shows how entries get agreed;
// these show what the agreed entries do to one member's state:
//
//	+-- keys at n2 · revision 9 ----+-- backend at n2 ---------------+
//	|  rev  1 2 3 4 5 6 7 8 9       |  ■■■■□□▒▒■■■□□□  db 48 KiB      |
//	|  a    ░ c───m       v3        |  in use 32 KiB (67%)           |
//	|  b    ░     c       v1 L1     +-- leases (counted by n2) ------+
//	|  ░ compacted (≤ 2)            |  L1  ███████░░░  3 of 5 s  a b |
//	|                               +-- watches ---------------------+
//	|                               |  w1 via n3: a --prefix · 2 ev  |
//	+-------------------------------+--------------------------------+
//
// One member is shown: the selected one if it runs etcd, else the leader,
// else the first member with etcd data. Leases are read from the leader
// when there is one, because only the leader counts them down (etcd:
// lessor.go, "only the primary lessor expires leases").

import (
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// PanelFrame is the frame every etcd panel has: its box and its title.
type PanelFrame struct {
	Rect  Rect
	Title Text
}

// EtcdPanels are the etcd panels; a hidden one is nil.
type EtcdPanels struct {
	// Node is the member shown.
	Node    raft.NodeID
	Keys    *KeysPanel
	Backend *BackendPanel
	Leases  *LeasesPanel
	Watches *WatchesPanel
}

// hasEtcd reports whether the state is from etcd mode.
func hasEtcd(st sim.State) bool {
	for _, ns := range st.Nodes {
		if ns.Etcd != nil {
			return true
		}
	}
	return false
}

// shownMember picks the member whose etcd state the panels show.
func shownMember(st sim.State, selected raft.NodeID) *sim.NodeState {
	var first *sim.NodeState
	for _, id := range []raft.NodeID{selected, st.Leader} {
		for i := range st.Nodes {
			ns := &st.Nodes[i]
			if ns.ID == id && id != raft.None && ns.Etcd != nil {
				return ns
			}
		}
	}
	for i := range st.Nodes {
		if st.Nodes[i].Etcd != nil && first == nil {
			first = &st.Nodes[i]
		}
	}
	return first
}

// etcdPanels lays out the panels the view asks for in area: the keys on
// the left, the backend, leases and watches stacked on the right.
func etcdPanels(st sim.State, v View, area Rect, font float64) *EtcdPanels {
	ns := shownMember(st, v.Selected)
	if ns == nil {
		return nil
	}
	out := &EtcdPanels{Node: ns.ID}
	gap := font * 0.4
	area = area.Inset(gap)
	left, right := area, area
	if v.ShowKeys && (v.ShowBackend || v.ShowLeases || v.ShowWatches) {
		left.W = (area.W - gap) * 0.55
		right.X, right.W = left.X+left.W+gap, area.W-left.W-gap
	}
	if v.ShowKeys {
		out.Keys = keysPanel(*ns, left, font)
	}
	var weights []float64
	for i, on := range []bool{v.ShowBackend, v.ShowLeases, v.ShowWatches} {
		w := 0.0
		if on {
			w = []float64{1.7, 1, 1}[i]
		}
		weights = append(weights, w)
	}
	boxes := stack(right, weights, gap)
	if v.ShowBackend {
		out.Backend = backendPanel(*ns, mostPages(st), boxes[0], font)
	}
	if v.ShowLeases {
		out.Leases = leasesPanel(leaseSource(st, ns), boxes[1], font)
	}
	if v.ShowWatches {
		out.Watches = watchesPanel(st.Watches, boxes[2], font)
	}
	return out
}

// leaseSource is the member whose leases are shown: the leader if it runs
// etcd, else ns.
func leaseSource(st sim.State, ns *sim.NodeState) *sim.NodeState {
	for i := range st.Nodes {
		if st.Nodes[i].ID == st.Leader && st.Nodes[i].Etcd != nil && st.Nodes[i].Up {
			return &st.Nodes[i]
		}
	}
	return ns
}

// stack cuts area into rows by weight (a zero weight: an empty row), gap
// apart.
func stack(area Rect, weights []float64, gap float64) []Rect {
	total, n := 0.0, 0
	for _, w := range weights {
		total += w
		if w > 0 {
			n++
		}
	}
	out := make([]Rect, len(weights))
	if total == 0 {
		return out
	}
	free := area.H - gap*float64(n-1)
	y := area.Y
	for i, w := range weights {
		if w == 0 {
			continue
		}
		h := free * w / total
		out[i] = Rect{area.X, y, area.W, h}
		y += h + gap
	}
	return out
}

// panelFrame is a panel's box with its title written at its top.
func panelFrame(r Rect, title string, font float64) PanelFrame {
	size := font * 0.78
	return PanelFrame{Rect: r, Title: Text{S: truncate(title, r.W-font, size), At: Point{r.X + font*0.5, r.Y + size*0.95}, Size: size, Color: Ink, Bold: true}}
}

// panelBody is the room under a panel's title.
func panelBody(p PanelFrame, font float64) Rect {
	top := p.Rect.Y + font*1.6
	return Rect{p.Rect.X + font*0.5, top, p.Rect.W - font, p.Rect.Y + p.Rect.H - top - font*0.3}
}
