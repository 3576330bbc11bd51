package session

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/rng"
)

// snapshot is what a position shows: state() without the view's fields,
// and the digest of the full trace.
func snapshot(t *testing.T, s *Session) string {
	t.Helper()
	v := s.StateView()
	v.Playing, v.ShownNanos, v.Speed = false, 0, 0
	n, h := s.Cluster().TraceDigest()
	return fmt.Sprintf("%s\ntrace %d %x", mustJSON(t, v), n, h)
}

// TestBackRebuildsEarlierStates drives sessions with random moves,
// remembering the state at every position, then steps back and scrubs
// forward at random: every position must show exactly the state it showed
// last (the clock may move on at a position while playing finds no event).
// A failure names the seed.
func TestBackRebuildsEarlierStates(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		rnd := rng.New(seed)
		s := New(fmt.Sprintf("cluster %d seed=%d\nrun until leader\nput a 1\nrun 1s\nput b 2\n", 3+rnd.Intn(3), seed))
		seen := map[int]string{0: snapshot(t, s)}
		record := func() { seen[s.Position()] = snapshot(t, s) }
		var done []string
		for i := 0; i < 40; i++ {
			done = append(done, randomMove(s, rnd, record))
			record()
		}
		end := s.Position()
		require.Equal(t, end, s.End(), "seed %d: no future before stepping back", seed)
		for k := 0; k < 12; k++ {
			pos := rnd.Intn(end + 1)
			want, ok := seen[pos]
			if !ok {
				continue // inside a frame of play: never shown
			}
			if k%2 == 0 && pos <= s.Position() {
				require.NoError(t, s.Back(s.Position()-pos), "seed %d", seed)
			} else {
				require.NoError(t, s.Seek(pos), "seed %d", seed)
			}
			require.Equal(t, pos, s.Position(), "seed %d", seed)
			require.Equal(t, end, s.End(), "seed %d: the future is kept", seed)
			require.Equal(t, want, snapshot(t, s), "seed %d: position %d of %d after %v", seed, pos, end, done)
		}
		require.NoError(t, s.Seek(end))
		require.Equal(t, seen[end], snapshot(t, s), "seed %d: back at the end", seed)
	}
}

// randomMove does one thing a viewer could do and names it; while playing,
// it calls frameDone after every frame.
func randomMove(s *Session, rnd *rng.Source, frameDone func()) string {
	node := fmt.Sprintf("n%d", 1+rnd.Intn(3))
	switch a := rnd.Intn(9); a {
	case 0:
		s.Next()
		return "next"
	case 1, 2, 3:
		s.Step()
		return "step"
	case 4:
		s.Command("crash " + node)
		return "crash " + node
	case 5:
		s.Command("restart " + node)
		return "restart " + node
	case 6:
		s.Command("put k" + node + " v")
		return "put"
	case 7:
		s.Command("heal")
		return "heal"
	default:
		s.Play(float64(1 + rnd.Intn(10)))
		frames := 1 + rnd.Intn(30)
		for j := 0; j < frames; j++ {
			s.Advance(frame)
			frameDone()
		}
		s.Pause()
		return fmt.Sprintf("play %d frames", frames)
	}
}

func TestStepAndCommandsAfterBackFollowOrBranchTheFuture(t *testing.T) {
	s := New(story)
	s.Next()
	for i := 0; i < 5; i++ {
		s.Step()
	}
	s.Command("crash n1")
	s.Step()
	end := s.Position()
	afterCrash := snapshot(t, s)

	require.NoError(t, s.Back(1))
	require.Equal(t, end-1, s.Position())
	s.Step()
	require.Equal(t, end, s.End(), "a step repeats the future's next event: the future stays")
	require.Equal(t, afterCrash, snapshot(t, s))
	require.NoError(t, s.Back(2))
	s.Command("crash n1")
	require.Equal(t, end, s.End(), "the same command: the future stays")
	s.Step()
	require.Equal(t, afterCrash, snapshot(t, s))

	require.NoError(t, s.Back(2))
	s.Command("crash n2")
	require.Equal(t, s.Position(), s.End(), "another command discards the future")
	require.NotContains(t, s.URL(), "crash%20n1")

	require.NoError(t, s.Back(1000))
	require.Equal(t, 0, s.Position(), "back stops at the start")
	require.Error(t, s.Back(-1))
}

func TestKeysStepBack(t *testing.T) {
	s := New(story)
	s.Step()
	s.Step()
	require.True(t, s.Key("ArrowLeft"))
	require.Equal(t, 1, s.Position())
	require.True(t, s.Key("Backspace"))
	require.Equal(t, 0, s.Position())
	require.Equal(t, 2, s.End())
}

func TestSetSeedReloadsWithAnotherSeed(t *testing.T) {
	s := New(story)
	s.Next()
	require.NoError(t, s.SetSeed(42))
	require.Equal(t, uint64(42), s.Cluster().Seed())
	require.Equal(t, 0, s.Position(), "the run starts again")
	require.Contains(t, s.src, "cluster 3 seed=42")
	require.NotContains(t, s.src, "seed=7")

	require.NoError(t, s.Load("# no cluster line\nrun 1s\n"))
	require.NoError(t, s.SetSeed(9))
	require.Equal(t, uint64(9), s.Cluster().Seed())
	require.Equal(t, "# no cluster line\ncluster 3 seed=9\nrun 1s\n", s.src)
}

func TestDropAndDeliverAMessageByID(t *testing.T) {
	s := New("cluster 3 seed=3\nrun until leader\n")
	s.Next()
	s.Command("put x 1")
	for len(s.StateView().Messages) < 2 {
		require.True(t, s.Step().OK)
	}
	msgs := s.StateView().Messages
	res := s.DropMessage(msgs[0].ID)
	require.True(t, res.OK, res.Error)
	require.Equal(t, fmt.Sprintf("drop m%d", msgs[0].ID), res.Command)
	res = s.DeliverMessage(msgs[1].ID)
	require.True(t, res.OK, res.Error)
	require.Contains(t, res.Output, "deliver")
	for _, m := range s.StateView().Messages {
		require.NotContains(t, []uint64{msgs[0].ID, msgs[1].ID}, m.ID)
	}
	res = s.DropMessage(msgs[0].ID)
	require.False(t, res.OK)
	require.Contains(t, res.Error, "no longer in flight")
	require.Contains(t, s.URL(), "&j=", "the actions are in the journal")
	j, _ := b64.DecodeString(strings.Split(strings.Split(s.URL(), "&j=")[1], "&")[0])
	require.Contains(t, string(j), fmt.Sprintf("c drop m%d\n", msgs[0].ID))
}

// BenchmarkSeekBack measures the cost of one step back after a minute of
// virtual time of a 5-node cluster (a rebuild from the start).
func BenchmarkSeekBack(b *testing.B) {
	s := New("cluster 5 seed=1\nrun until leader\n")
	s.Next()
	s.Play(MaxSpeed)
	for s.Cluster().Now() < time.Minute {
		s.Advance(frame)
	}
	s.Pause()
	moves := s.Position()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Back(1); err != nil {
			b.Fatal(err)
		}
		if err := s.Seek(s.End()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(moves), "moves")
}
