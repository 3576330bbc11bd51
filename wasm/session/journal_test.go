package session

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/rng"
)

// sameState fails unless a and b show the same cluster, message for
// message and trace record for trace record.
func sameState(t *testing.T, a, b *Session, msg string) {
	t.Helper()
	va, vb := a.StateView(), b.StateView()
	va.Playing, vb.Playing = false, false
	va.ShownNanos, vb.ShownNanos = 0, 0
	va.Speed, vb.Speed = 0, 0 // a view setting, not part of the position
	require.Equal(t, mustJSON(t, va), mustJSON(t, vb), msg)
	na, ha := a.Cluster().TraceDigest()
	nb, hb := b.Cluster().TraceDigest()
	require.Equal(t, [2]uint64{na, ha}, [2]uint64{nb, hb}, "%s: trace digests differ", msg)
}

func TestURLRebuildsTheSamePosition(t *testing.T) {
	s := New(story)
	s.Next()
	s.Play(1)
	for i := 0; i < 90; i++ {
		s.Advance(frame)
	}
	s.Command("crash leader")
	s.Step()
	s.Step()
	s.Next()
	s.Command("put k v")
	s.Play(3)
	for i := 0; i < 40; i++ {
		s.Advance(frame)
	}
	frag := s.URL()
	require.True(t, strings.HasPrefix(frag, "#s="), frag)
	require.Contains(t, frag, "&seed=7")

	r := New("")
	require.NoError(t, r.Restore(frag))
	sameState(t, s, r, "restored")
	require.Equal(t, frag, r.URL(), "a restored session names the same position")
	require.Equal(t, s.Next(), r.Next(), "and goes on the same way")
	sameState(t, s, r, "after next")
}

func TestRestoreByStepCountAndErrors(t *testing.T) {
	s := New(story)
	for i := 0; i < 25; i++ {
		s.Step()
	}
	frag := "#s=" + b64.EncodeToString([]byte(story)) + "&step=25"
	r := New("")
	require.NoError(t, r.Restore(frag))
	sameState(t, s, r, "step=25")

	for _, bad := range []string{"#x=1", "#s=%%%", "#s=" + b64.EncodeToString([]byte("bogus")), "#s=" + b64.EncodeToString([]byte(story)) + "&j=" + b64.EncodeToString([]byte("q 1\n"))} {
		before := r.StateView()
		require.Error(t, r.Restore(bad), bad)
		require.Equal(t, mustJSON(t, before), mustJSON(t, r.StateView()), "a failed restore keeps the session (%s)", bad)
	}
}

// TestRandomSessionsRestoreExactly drives sessions with random actions and
// checks that the URL rebuilds each exactly. A failure names the seed.
func TestRandomSessionsRestoreExactly(t *testing.T) {
	actions := []string{"next", "step", "play", "crash", "restart", "partition", "heal", "put", "frames"}
	for seed := uint64(1); seed <= 12; seed++ {
		rnd := rng.New(seed)
		s := New(fmt.Sprintf("cluster %d seed=%d\nrun until leader\nput a 1\nrun 1s\nput b 2\n", 3+rnd.Intn(3), seed))
		var done []string
		for i := 0; i < 30; i++ {
			a := actions[rnd.Intn(len(actions))]
			node := fmt.Sprintf("n%d", 1+rnd.Intn(3))
			switch a {
			case "next":
				s.Next()
			case "step":
				s.Step()
			case "play":
				s.Play(float64(1 + rnd.Intn(20)))
			case "crash", "restart":
				s.Command(a + " " + node)
			case "partition":
				s.Command("partition " + node + " | n3")
			case "heal":
				s.Command("heal")
			case "put":
				s.Command("put k" + node + " v")
			case "frames":
				for j := 0; j < 1+rnd.Intn(60); j++ {
					s.Advance(frame)
				}
			}
			done = append(done, a)
		}
		r := New("")
		require.NoError(t, r.Restore(s.URL()), "seed %d", seed)
		sameState(t, s, r, fmt.Sprintf("seed %d after %v", seed, done))
	}
}
