package viz

// The scene: everything the renderer draws, as plain data — where each node
// is and how it looks, every message in flight as a dot on its link, the
// log strips, the header, the legend and the overlays. Build derives it
// from one sim.State, the viewer's choices (View) and the animation clock;
// it reads no clock and draws nothing, so a test can check every pixel
// position without a screen, and the renderer stays a loop over the lists.

import (
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// View is what the viewer chose and what the host wants said.
type View struct {
	// Width and Height are the size of the canvas in pixels.
	Width, Height float64
	// ShowMessages draws messages in flight; ShowLog the log strips.
	ShowMessages, ShowLog bool
	// Selected is the node the viewer clicked (raft.None: none);
	// SelectedMessage the message (0: none), shown with its fields.
	Selected        raft.NodeID
	SelectedMessage uint64
	// ShowKeys, ShowBackend, ShowLeases and ShowWatches show the etcd
	// panels (etcd mode only: when the state has etcd data).
	ShowKeys, ShowBackend, ShowLeases, ShowWatches bool
	// Help shows the list of keys over everything.
	Help bool
	// Playing and Speed describe the animation, for the header.
	Playing bool
	Speed   float64
	// Next is the scenario command that `next` would run ("" when none);
	// Event the last thing that happened; Error a failure to show.
	Next, Event, Error string
}

// DefaultView shows everything on a 1280x800 canvas.
func DefaultView() View {
	return View{Width: 1280, Height: 800, ShowMessages: true, ShowLog: true, Speed: 1,
		ShowKeys: true, ShowBackend: true, ShowLeases: true, ShowWatches: true}
}

// Align says which point of a text its anchor is, horizontally; texts are
// always anchored at their vertical middle.
type Align uint8

const (
	AlignStart Align = iota
	AlignCenter
	AlignEnd
)

// Text is one line of text.
type Text struct {
	S     string
	At    Point
	Size  float64
	Color Color
	Align Align
	Bold  bool
}

// Card is a rounded panel with lines of text (details, help, errors).
type Card struct {
	Rect         Rect
	Fill, Stroke Color
	Lines        []Text
}

// Scene is one frame.
type Scene struct {
	Width, Height float64
	// Font is the base text size in pixels; every other size derives from it.
	Font       float64
	Background Color
	Header     []Text
	Links      []LinkLook
	Nodes      []NodeLook
	Messages   []MessageDot
	// Strips is nil when the log is hidden.
	Strips *Strips
	// Quorum is the acknowledgements behind the leader's commit index (nil
	// without a leader); Etcd the etcd panels (nil outside etcd mode).
	Quorum *Quorum
	Etcd   *EtcdPanels
	Legend []LegendItem
	Footer []Text
	// SelectedMessage is the message the viewer clicked, while it flies
	// (nil: none).
	SelectedMessage *MessageDot
	// Card shows the selected node or message; Banner an error; Help the
	// keys. Each is nil when absent.
	Card, Banner, Help *Card
	// cardArea is where Card goes (SelectMessage puts one there later).
	cardArea Rect
}

// Build derives the scene of state st as seen through v, with messages
// placed where they are at the animation clock now (normally between
// st.Time and the next event). It is a pure function of its arguments.
func Build(st sim.State, v View, now time.Duration) *Scene {
	font := FontSize(v.Width, v.Height)
	s := &Scene{Width: v.Width, Height: v.Height, Font: font, Background: Paper}
	etcd := hasEtcd(st) && (v.ShowKeys || v.ShowBackend || v.ShowLeases || v.ShowWatches)
	reg := pageRegions(v.Width, v.Height, font, v.ShowLog, etcd)
	m := membershipOf(st)
	legendH := 0.0
	if v.ShowMessages {
		legendH = 1.8 * font
	}
	area := reg.cluster.Inset(font * 0.6)
	area.H -= legendH
	place := Layout(m.voters, m.apart, area)
	s.Nodes = nodeLooks(st, m, place, v.Selected, !v.ShowLog, font)
	s.Links = linkLooks(st, s.Nodes, font)
	s.Quorum = quorumOf(st, s.Nodes, Rect{area.X, area.Y + area.H - font*0.9, area.W, font * 0.9}, font)
	if v.ShowMessages {
		s.Messages = messageDots(st, s.Nodes, now, font)
		s.Legend = legend(Rect{reg.cluster.X, area.Y + area.H, reg.cluster.W, legendH}, font)
	}
	s.cardArea = reg.cluster
	if v.ShowLog {
		reserve := cardReserve(font)
		if etcd {
			reserve = 0 // the card goes over the cluster's corner
		}
		s.Strips = buildStrips(st, reg.strips, v.Selected, font, reserve)
		if !etcd {
			s.cardArea = s.Strips.Free
		}
	}
	if etcd {
		s.Etcd = etcdPanels(st, v, reg.etcd, font)
	}
	s.Header = header(st, v, reg.header, font)
	s.Footer = footer(reg.footer, font)
	s.Card = detailCard(st, v.Selected, s.cardArea, font)
	if v.SelectedMessage != 0 {
		s.SelectMessage(v.SelectedMessage)
	}
	if v.Error != "" {
		s.Banner = banner(v.Error, reg, font)
	}
	if v.Help {
		s.Help = helpCard(v.Width, v.Height, font)
	}
	return s
}

// Node returns the look of node id, or false.
func (s *Scene) Node(id raft.NodeID) (NodeLook, bool) {
	for _, n := range s.Nodes {
		if n.ID == id {
			return n, true
		}
	}
	return NodeLook{}, false
}

// membership sorts the nodes into the circle (voters) and the row apart
// (learners, nodes not yet members, removed nodes).
type membership struct {
	voters, apart []raft.NodeID
	learner       map[raft.NodeID]bool
}

// membershipOf reads the membership from the running node with the highest
// commit index (the best informed); with no node running, every node is
// drawn as a voter.
func membershipOf(st sim.State) membership {
	var best *sim.NodeState
	for i := range st.Nodes {
		ns := &st.Nodes[i]
		if ns.Up && (best == nil || ns.Status.HardState.Commit > best.Status.HardState.Commit) {
			best = ns
		}
	}
	m := membership{learner: map[raft.NodeID]bool{}}
	voter := map[raft.NodeID]bool{}
	if best != nil {
		for _, id := range best.Status.Conf.Voters {
			voter[id] = true
		}
		for _, id := range best.Status.Conf.Learners {
			m.learner[id] = true
		}
	}
	for _, ns := range st.Nodes {
		if !ns.Removed && (best == nil || voter[ns.ID]) {
			m.voters = append(m.voters, ns.ID)
		} else {
			m.apart = append(m.apart, ns.ID)
		}
	}
	return m
}
