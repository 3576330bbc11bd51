package viz

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

func TestASelectedMessageIsRingedAndDescribed(t *testing.T) {
	app := sim.MessageInfo{ID: 17, From: 1, To: 2, Type: raft.MsgApp, Term: 2, Index: 4, LogTerm: 2, Commit: 4, Entries: 1,
		Sent: time.Second, Due: 2 * time.Second}
	hb := sim.MessageInfo{ID: 18, From: 1, To: 3, Type: raft.MsgHeartbeat, Term: 2, Sent: time.Second, Due: 2 * time.Second}
	st := threeNodes(app, hb)
	v := DefaultView()
	v.SelectedMessage = 17
	s := Build(st, v, 1500*time.Millisecond)
	require.NotNil(t, s.SelectedMessage)
	require.Equal(t, uint64(17), s.SelectedMessage.ID)
	require.Equal(t, app, s.SelectedMessage.Msg)
	for _, m := range s.Messages {
		require.Equal(t, m.ID == 17, m.Selected, "message %d", m.ID)
	}
	require.NotNil(t, s.Card)
	var lines []string
	for _, l := range s.Card.Lines {
		lines = append(lines, l.S)
	}
	require.Equal(t, []string{"m17 · MsgApp n1 → n2", "term 2 · index 4 (log term 2) · commit 4",
		"1 entry · sent 1.000s · arrives 2.000s"}, lines)

	// Clicking it (HitTest) finds the same message; once it has arrived,
	// selecting it finds nothing and leaves the node card.
	require.Equal(t, uint64(17), s.HitTest(s.SelectedMessage.At).Message)
	v.SelectedMessage, v.Selected = 0, 2
	s = Build(st, v, 3*time.Second)
	card := s.Card
	require.False(t, s.SelectMessage(99))
	require.Nil(t, s.SelectedMessage)
	require.Same(t, card, s.Card)
}

func TestMessageLinesOfARejectionAndAHeldMessage(t *testing.T) {
	l := MessageLines(sim.MessageInfo{ID: 3, From: 2, To: 1, Type: raft.MsgAppResp, Term: 5, Index: 9, Reject: true, Held: true})
	require.Equal(t, "m3 · MsgAppResp n2 → n1", l[0])
	require.Contains(t, l[1], "index 9")
	require.Contains(t, l[2], "REJECTS")
	require.Contains(t, l[2], "held")
	require.NotContains(t, l[2], "arrives")
}
