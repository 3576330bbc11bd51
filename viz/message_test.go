package viz

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

func TestInterpolate(t *testing.T) {
	ms := time.Millisecond
	require.InDelta(t, 0.5, Interpolate(1000*ms, 1004*ms, 1002*ms), 1e-9)
	require.Equal(t, 0.0, Interpolate(1000*ms, 1004*ms, 900*ms), "before it is sent")
	require.Equal(t, 1.0, Interpolate(1000*ms, 1004*ms, 2000*ms), "after it is due")
	require.Equal(t, 1.0, Interpolate(1000*ms, 1000*ms, 1000*ms), "no delay")
}

// threeNodes is a state of three followers with the given messages.
func threeNodes(msgs ...sim.MessageInfo) sim.State {
	return sim.State{Nodes: []sim.NodeState{upNode(1, raft.Follower, 1, 0, 0, nil),
		upNode(2, raft.Follower, 1, 0, 0, nil), upNode(3, raft.Follower, 1, 0, 0, nil)}, Messages: msgs}
}

func TestMessagesMoveAlongTheirLane(t *testing.T) {
	ms := time.Millisecond
	there := sim.MessageInfo{ID: 1, From: 1, To: 2, Type: raft.MsgApp, Entries: 2, Sent: 10 * ms, Due: 14 * ms}
	back := sim.MessageInfo{ID: 2, From: 2, To: 1, Type: raft.MsgAppResp, Sent: 10 * ms, Due: 14 * ms}
	st := threeNodes(there, back)
	s := Build(st, DefaultView(), 12*ms)
	require.Len(t, s.Messages, 2)
	n1, _ := s.Node(1)
	n2, _ := s.Node(2)
	mid := Lerp(n1.Center, n2.Center, 0.5)
	for _, m := range s.Messages {
		require.InDelta(t, 0.5, m.Progress, 1e-9)
		require.InDelta(t, laneGap(s.Font), Dist(m.At, mid), 1e-6, "m%d rides its lane beside the link", m.ID)
	}
	require.InDelta(t, 2*laneGap(s.Font), Dist(s.Messages[0].At, s.Messages[1].At), 1e-6, "the two directions do not overlap")
	require.Equal(t, "App ×2", s.Messages[0].Label)
	require.False(t, s.Messages[0].Hollow)
	require.True(t, s.Messages[1].Hollow, "a reply is hollow")

	early := Build(st, DefaultView(), 10*ms).Messages[0]
	late := Build(st, DefaultView(), 14*ms).Messages[0]
	require.Less(t, Dist(early.At, n1.Center), Dist(late.At, n1.Center), "the dot moves away from its sender")
	require.Less(t, Dist(late.At, n2.Center), n2.Radius+laneGap(s.Font)+3, "and arrives at the receiver's rim")
}

func TestMessagesNotYetSentAreHiddenAndHeldOnesWait(t *testing.T) {
	ms := time.Millisecond
	st := threeNodes(sim.MessageInfo{ID: 1, From: 1, To: 3, Type: raft.MsgVote, Sent: 20 * ms, Due: 23 * ms},
		sim.MessageInfo{ID: 2, From: 3, To: 1, Type: raft.MsgHeartbeat, Sent: 5 * ms, Held: true})
	s := Build(st, DefaultView(), 10*ms)
	require.Len(t, s.Messages, 1, "m1 is sent after the animation clock")
	require.True(t, s.Messages[0].Held)
	require.InDelta(t, 0.5, s.Messages[0].Progress, 1e-9, "a held message waits mid-lane")
	v := DefaultView()
	v.ShowMessages = false
	require.Empty(t, Build(st, v, 30*ms).Messages)
}

func TestMessageColoursGroupConversations(t *testing.T) {
	req, hollow := MessageColor(raft.MsgVote)
	resp, hollowResp := MessageColor(raft.MsgVoteResp)
	require.Equal(t, req, resp)
	require.False(t, hollow)
	require.True(t, hollowResp)
	app, _ := MessageColor(raft.MsgApp)
	pre, _ := MessageColor(raft.MsgPreVote)
	snap, _ := MessageColor(raft.MsgSnap)
	require.Len(t, map[Color]bool{req: true, app: true, pre: true, snap: true}, 4)
}
