package viz

// The quorum behind a commit. A leader commits an entry of its term once
// a majority of the voters stores it (Raft §5.3, §5.4.2; Figure 2, rules
// for leaders: "if there exists an N such that N > commitIndex, a
// majority of matchIndex[i] ≥ N, and log[N].term == currentTerm: set
// commitIndex = N"). The leader's progress tracker knows each follower's
// match index, so the voters whose match reached the commit index are the
// acknowledgements that made it: they get a ring, and a spoke joins each
// of them to the leader, for a moment after the commit index advances.
//
//	   (n1)=====[leader n2]          === spoke: n1 acknowledged index 7
//	                  \\
//	                  (n3)          (n4) (n5): behind, no ring
//	  index 7 committed: n1 n2 n3 store it — 3 of 5 voters, a majority
//
// The scene is a function of one state, so it cannot know when the commit
// index moved; a CommitWatch, kept by the host across frames, does, and
// sets how brightly the quorum is drawn.

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// Quorum is the acknowledgements behind the leader's commit index.
type Quorum struct {
	Leader raft.NodeID
	Commit uint64
	// Acked are the voters whose log is known to match up to Commit, the
	// leader included, in id order; Voters counts the voters, Needed is a
	// majority of them.
	Acked          []raft.NodeID
	Voters, Needed int
	// Marks ring the acknowledging nodes; Spokes join each acknowledging
	// follower to the leader (from the follower's rim to the leader's).
	Marks  []QuorumMark
	Spokes [][2]Point
	Note   Text
	// Strength is how brightly to draw it, 0 (not at all) to 1. Build
	// leaves it 0; CommitWatch.Observe lights it when the commit advances.
	Strength float64
}

// QuorumMark is the ring around one acknowledging node.
type QuorumMark struct {
	Node   raft.NodeID
	Center Point
	Radius float64
}

// quorumOf reads the quorum from the leader's progress; nil without a
// leader or before anything is committed. The note is written in noteArea.
func quorumOf(st sim.State, nodes []NodeLook, noteArea Rect, font float64) *Quorum {
	lead := leaderStatus(st)
	if lead.ID == raft.None || lead.HardState.Commit == 0 {
		return nil
	}
	q := &Quorum{Leader: lead.ID, Commit: lead.HardState.Commit, Voters: len(lead.Conf.Voters)}
	q.Needed = q.Voters/2 + 1
	leader, okL := lookOf(nodes, lead.ID)
	for _, id := range lead.Conf.Voters {
		pr, ok := lead.Progress[id]
		if !ok || pr.Match < q.Commit {
			continue
		}
		q.Acked = append(q.Acked, id)
		n, okN := lookOf(nodes, id)
		if !okN {
			continue
		}
		q.Marks = append(q.Marks, QuorumMark{Node: id, Center: n.Center, Radius: n.Radius + n.RingWidth*4.2})
		if id != lead.ID && okL {
			dir := leader.Center.Sub(n.Center).unit()
			q.Spokes = append(q.Spokes, [2]Point{n.Center.Add(dir.Scale(n.Radius)), leader.Center.Sub(dir.Scale(leader.Radius))})
		}
	}
	sort.Slice(q.Acked, func(i, j int) bool { return q.Acked[i] < q.Acked[j] })
	q.Note = Text{S: quorumNote(q), At: noteArea.Center(), Size: font * 0.72, Color: BluishGreen.Mix(Ink, 0.45), Align: AlignCenter, Bold: true}
	return q
}

// quorumNote says it in words.
func quorumNote(q *Quorum) string {
	names := make([]string, len(q.Acked))
	for i, id := range q.Acked {
		names[i] = sim.Name(id)
	}
	return fmt.Sprintf("index %d committed: %s store it — %d of %d voters, %d needed",
		q.Commit, strings.Join(names, " "), len(q.Acked), q.Voters, q.Needed)
}

// QuorumFlash is how long the quorum stays lit after the commit index
// advances (it fades out over that time).
const QuorumFlash = 1500 * time.Millisecond

// CommitWatch notices when the leader's commit index advances, frame
// after frame, and lights the quorum for QuorumFlash. The clock it is
// given is the host's (real time: the flash should last as long at any
// speed); it must not go backwards.
type CommitWatch struct {
	commit  uint64
	litAt   time.Duration
	seen    bool
	flashed bool
}

// Observe compares s's quorum with the last one seen, at clock now, and
// sets s.Quorum.Strength; it returns the strength (0 without a quorum).
func (w *CommitWatch) Observe(s *Scene, now time.Duration) float64 {
	q := s.Quorum
	if q == nil {
		return 0
	}
	if w.seen && q.Commit > w.commit {
		w.litAt, w.flashed = now, true
	}
	w.commit, w.seen = q.Commit, true
	if !w.flashed || now-w.litAt >= QuorumFlash {
		return 0
	}
	// In sixteenths, so that a host redrawing on change redraws 16 times.
	q.Strength = float64(16-int(16*(now-w.litAt)/QuorumFlash)) / 16
	return q.Strength
}
