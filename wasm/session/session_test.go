package session

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const frame = time.Second / 60

const story = `# a story
cluster 3 seed=7

run until leader
put x 1
# the leader goes
crash leader
run until leader
expect leader != n9
`

func TestLoadBuildsTheClusterAndStopsBeforeTheFirstCommand(t *testing.T) {
	s := New(story)
	require.NotNil(t, s.Cluster())
	require.Equal(t, 0*time.Second, s.Cluster().Now())
	v := s.StateView()
	require.Len(t, v.Nodes, 3)
	require.Equal(t, &NextView{Line: 4, Command: "run until leader"}, v.Next)

	require.NoError(t, s.Load("run 1s\n"))
	require.Len(t, s.StateView().Nodes, 3, "no cluster line: the default cluster")

	err := s.Load("cluster 3\nbogus 1\n")
	require.EqualError(t, err, `scenario:2: unknown command "bogus" (known: `+knownCommands(t)+`)`)
	err = s.Load("run 1s\ncluster 5\n")
	require.ErrorContains(t, err, "scenario:2: the `cluster` line must come before")
	require.Len(t, s.StateView().Nodes, 3, "a failed load keeps the session")
}

func knownCommands(t *testing.T) string {
	t.Helper()
	s := New("")
	res := s.Command("bogus")
	_, list, _ := strings.Cut(res.Error, "(known: ")
	return strings.TrimSuffix(list, ")")
}

func TestNextRunsCommandsInOrderSkippingComments(t *testing.T) {
	s := New(story)
	res := s.Next()
	require.True(t, res.OK, res.Error)
	require.Equal(t, 4, res.Line)
	require.Equal(t, "run until leader", res.Command)
	require.Contains(t, res.Output, "role=leader")
	require.NotContains(t, res.Output, "> ", "the echo of the command is not output")
	require.False(t, res.Done)

	res = s.Next()
	require.Equal(t, "put x 1", res.Command)
	require.Contains(t, res.Output, "response")
	res = s.Next()
	require.Equal(t, 7, res.Line, "the comment on line 6 is skipped")
	s.Next()
	res = s.Next()
	require.True(t, res.OK, res.Error)
	require.True(t, res.Done)
	res = s.Next()
	require.False(t, res.OK)
	require.True(t, res.Done)
	require.Contains(t, res.Error, "no command left")
}

func TestAFailedExpectationDoesNotStopTheSession(t *testing.T) {
	s := New("cluster 3 seed=1\nexpect leader = n2\nrun until leader\n")
	res := s.Next()
	require.False(t, res.OK)
	require.Contains(t, res.Error, "scenario:2: expect leader")
	res = s.Next()
	require.True(t, res.OK, res.Error)
	require.True(t, s.Command("crash n1").OK)
}

func TestCommandsRunNowAndClientRequestsDoNotWait(t *testing.T) {
	s := New(story)
	s.Next()
	res := s.Command("put y 2")
	require.True(t, res.OK, res.Error)
	require.True(t, res.Pending)
	require.Equal(t, "put y 2 async", res.Command)
	require.Contains(t, res.Output, "issued r")

	res = s.Command("crash n1")
	require.True(t, res.OK, res.Error)
	res = s.Command("crash n1")
	require.False(t, res.OK, "crashing a down node is refused")
	require.Equal(t, "n1 is down", res.Error)

	res = s.Command("crash n7")
	require.False(t, res.OK)
	require.Contains(t, res.Error, "command:1: unknown node n7")
	res = s.Command("partition n1 |")
	require.False(t, res.OK)
	require.Contains(t, res.Error, "command:1: partition: a group is empty")
	require.Equal(t, &NextView{Line: 5, Command: "put x 1"}, s.StateView().Next, "commands leave the script where it was")
}

func TestStepCarriesOutOneEvent(t *testing.T) {
	s := New(story)
	res := s.Step()
	require.True(t, res.OK, res.Error)
	require.NotEmpty(t, res.Event)
	require.Equal(t, res.Time, s.StateView().Time)
	require.False(t, strings.HasPrefix(res.Event, res.Time), "the time is a field of its own")
}

func TestCheckEvaluatesConditionsNow(t *testing.T) {
	s := New(story)
	ok, err := s.Check("leader")
	require.NoError(t, err)
	require.False(t, ok)
	s.Next()
	for _, c := range []string{"leader", "expect leader", "run until term >= 2 within 3s", "all up = true", "quorum applied >= 3"} {
		ok, err := s.Check(c)
		require.NoError(t, err, c)
		require.True(t, ok, c)
	}
	_, err = s.Check("n1 mood = happy")
	require.Error(t, err)
}

func TestPlayingIsBoundedPerFrameAndSlowsForMessages(t *testing.T) {
	s := New(story)
	require.NoError(t, s.SetView(`{"dilate":false}`))
	s.Play(MaxSpeed)
	for i := 0; i < 120; i++ {
		n := s.Advance(frame)
		require.LessOrEqual(t, n, MaxEventsPerFrame, "frame %d", i)
	}
	require.Greater(t, s.Cluster().Now(), time.Second)

	d := New(story)
	d.Next() // a leader: heartbeats fly every tick
	d.Play(1)
	var slow, fast int
	for i := 0; i < 600; i++ {
		flyUntil := d.player.flyUntil
		before := d.Shown()
		d.Advance(frame)
		step := d.Shown() - before
		require.GreaterOrEqual(t, step, time.Duration(0))
		switch {
		case d.Shown() < flyUntil:
			// messages flew the whole frame
			slow++
			require.LessOrEqual(t, step, time.Duration(float64(DilatedRate)*frame.Seconds())+time.Microsecond, "frame %d: the clock slows while messages fly", i)
		case before >= flyUntil && step > time.Millisecond:
			fast++
		}
	}
	require.Positive(t, slow)
	require.Positive(t, fast)
}

func TestPausedAnimationGlidesToTheSimulator(t *testing.T) {
	s := New(story)
	for i := 0; i < 3; i++ {
		s.Step()
	}
	target := s.Cluster().Now()
	require.Less(t, s.Shown(), target)
	prev := s.Shown()
	for i := 0; i < 60 && s.Shown() < target; i++ {
		s.Advance(frame)
		require.GreaterOrEqual(t, s.Shown(), prev)
		prev = s.Shown()
	}
	require.Equal(t, target, s.Shown(), "the picture catches up within a second")
	s.Next()
	require.Equal(t, s.Cluster().Now(), s.Shown(), "after a command the picture jumps")
}

func TestStateViewFollowsTheContract(t *testing.T) {
	s := New(story)
	s.Next()
	s.Next()
	s.Command("partition n1 | n2 n3")
	s.Command("cut n2->n3")
	s.Advance(frame)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(mustJSON(t, s.StateView())), &m))
	for _, k := range []string{"time", "timeNanos", "leader", "term", "nodes", "messages", "partitions", "cuts"} {
		require.Contains(t, m, k)
	}
	require.Equal(t, []any{[]any{"n1"}, []any{"n2", "n3"}}, m["partitions"])
	require.Equal(t, []any{[]any{"n2", "n3"}}, m["cuts"])
	n := m["nodes"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "up", "role", "term", "vote", "lead", "commit", "applied", "firstIndex", "lastIndex",
		"snapshotIndex", "electionElapsed", "electionTimeout", "log", "kv", "progress"} {
		require.Contains(t, n, k)
	}
	lead := s.StateView().Leader
	for _, nd := range m["nodes"].([]any) {
		if nd.(map[string]any)["id"] == lead {
			n = nd.(map[string]any)
		}
	}
	require.Equal(t, map[string]any{"x": "1"}, n["kv"])
	log := n["log"].([]any)
	last := log[len(log)-1].(map[string]any)
	require.Equal(t, "normal", last["type"])
	require.Equal(t, "put x 1", last["text"])
	require.Equal(t, "confchange", log[0].(map[string]any)["type"])
	for _, nv := range s.StateView().Nodes {
		if nv.ID == lead {
			require.Contains(t, nv.Progress, "n1")
			require.Contains(t, []string{"probe", "replicate", "snapshot"}, nv.Progress["n1"].State)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestTraceIsIncrementalAndBounded(t *testing.T) {
	s := New(story)
	s.Next()
	s.Command("run 10s")
	all := s.Trace(0)
	require.Len(t, all, MaxTraceRecords)
	last := all[len(all)-1].Seq
	require.Empty(t, s.Trace(last))
	for i := 0; i < 100 && len(s.Trace(last)) == 0; i++ {
		s.Step()
	}
	more := s.Trace(last)
	require.NotEmpty(t, more)
	for _, r := range more {
		require.Greater(t, r.Seq, last)
		require.False(t, strings.HasPrefix(r.Text, r.Time))
	}
}

func TestKeysAndView(t *testing.T) {
	s := New(story)
	s.Next()
	require.True(t, s.Key("2"))
	require.Equal(t, "n2", s.StateView().Selected)
	require.True(t, s.Key("c"))
	require.Equal(t, "down", s.StateView().Nodes[1].Role)
	require.True(t, s.Key("r"))
	require.Equal(t, true, s.StateView().Nodes[1].Up)
	require.True(t, s.Key("?"))
	require.True(t, s.View().Help)
	require.True(t, s.Key(" "))
	require.True(t, s.Playing())
	require.False(t, s.Key("z"))
	s.Select("n9")
	require.Equal(t, "", s.StateView().Selected, "no such node")

	require.NoError(t, s.SetView(`{"showMessages":false,"showLog":false,"speed":0.25}`))
	sc := s.Scene(1280, 800)
	require.Nil(t, sc.Strips)
	require.Empty(t, sc.Messages)
	require.Equal(t, 0.25, s.Speed())
	require.Error(t, s.SetView(`{"speed":`))
}

func TestOutputHoldsOnlyWhatTheCommandCaused(t *testing.T) {
	s := New(story)
	s.Play(20)
	for i := 0; i < 200 && s.StateView().Leader == ""; i++ {
		s.Advance(frame)
	}
	require.NotEmpty(t, s.StateView().Leader, "playing elects a leader")
	res := s.Next() // run until leader: holds already
	require.True(t, res.OK, res.Error)
	require.NotContains(t, res.Output, "role=leader", "the election happened while playing, before the command")
	require.Contains(t, s.Runner().Transcript(), "role=leader", "the transcript still tells it")
}
