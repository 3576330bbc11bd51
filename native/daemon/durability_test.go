package daemon_test

// Durability, the headline promise: an acknowledged write survives kill -9
// of the leader, a restart of the whole cluster, and reaches a member that
// joins later through a snapshot. And a damaged WAL stops a member from
// starting instead of letting it lie.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// writer puts w/<n> keys until stopped and records every acknowledged one.
type writer struct {
	mu    sync.Mutex
	acked []string
	stop  chan struct{}
	done  chan struct{}
}

func startWriter(cli *clientv3.Client) *writer {
	w := &writer{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for i := 0; ; i++ {
			select {
			case <-w.stop:
				return
			default:
			}
			key := fmt.Sprintf("w/%06d", i)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			_, err := cli.Put(ctx, key, "v")
			cancel()
			if err == nil {
				w.mu.Lock()
				w.acked = append(w.acked, key)
				w.mu.Unlock()
			}
		}
	}()
	return w
}

func (w *writer) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked)
}

func (w *writer) finish() []string {
	close(w.stop)
	<-w.done
	return w.acked
}

// checkAllPresent reads every key on every member: one linearizable read
// through the member, and one serializable read of its local state after
// it caught up.
func checkAllPresent(t *testing.T, c *cluster, keys []string) {
	t.Helper()
	for _, m := range c.members {
		cli := c.client(m)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		lin, err := cli.Get(ctx, "w/", clientv3.WithPrefix(), clientv3.WithKeysOnly())
		if err != nil {
			cancel()
			t.Fatalf("linearizable get on %s: %v", m.name, err)
		}
		eventually(t, waitLong, m.name+" applying up to the linearizable read", func() bool {
			ser, err := cli.Get(ctx, "w/", clientv3.WithPrefix(), clientv3.WithKeysOnly(), clientv3.WithSerializable())
			return err == nil && ser.Header.Revision >= lin.Header.Revision
		})
		cancel()
		have := map[string]bool{}
		for _, kv := range lin.Kvs {
			have[string(kv.Key)] = true
		}
		for _, k := range keys {
			if !have[k] {
				t.Fatalf("%s lost acknowledged write %s (%d acknowledged, %d present)", m.name, k, len(keys), len(have))
			}
		}
	}
}

func TestKillLeaderKeepsAcknowledgedWrites(t *testing.T) {
	c := startCluster(t, 3)
	w := startWriter(c.client())
	eventually(t, waitLong, "100 acknowledged writes", func() bool { return w.count() >= 100 })
	leader := c.waitLeader()
	c.kill(leader)
	before := w.count()
	eventually(t, waitLong, "writes to continue after the leader died", func() bool { return w.count() >= before+100 })
	c.start(leader, "new") // a restart: the WAL exists, the flags are ignored
	eventually(t, waitLong, "more writes with the old leader back", func() bool { return w.count() >= before+200 })
	acked := w.finish()
	checkAllPresent(t, c, acked)
	if !strings.Contains(leader.log.String(), "restarted from disk") {
		t.Fatalf("the killed leader did not restart from its files")
	}
}

// With a snapshot every 50 entries, a kill -9 lands around the snapshot
// files being written off the loop (snapshot.go): before the file, between
// file and WAL marker, before the WAL release. Whatever it hits, the member
// restarts from a snapshot it has a marker for and loses nothing.
func TestKillDuringSnapshotsKeepsAcknowledgedWrites(t *testing.T) {
	c := startCluster(t, 3, "--snapshot-count", "50")
	w := startWriter(c.client())
	for round := range 3 {
		base := w.count()
		eventually(t, waitLong, "writes before the kill", func() bool { return w.count() >= base+120 })
		victim := c.members[round%len(c.members)]
		if round == 1 {
			victim = c.waitLeader()
		}
		c.kill(victim)
		c.start(victim, "new")
	}
	base := w.count()
	eventually(t, waitLong, "writes after the last restart", func() bool { return w.count() >= base+60 })
	acked := w.finish()
	checkAllPresent(t, c, acked)
	for _, m := range c.members {
		if !strings.Contains(m.log.String(), "saved snapshot") {
			t.Fatalf("%s saved no snapshot; the test needs --snapshot-count to take effect", m.name)
		}
	}
}

func TestWholeClusterRestartKeepsData(t *testing.T) {
	c := startCluster(t, 3)
	w := startWriter(c.client())
	eventually(t, waitLong, "50 acknowledged writes", func() bool { return w.count() >= 50 })
	acked := w.finish()
	for _, m := range c.members {
		c.stop(m)
	}
	for _, m := range c.members {
		c.start(m, "new")
	}
	c.waitLeader()
	checkAllPresent(t, c, acked)
}

func TestMemberAddCatchesUpThroughSnapshot(t *testing.T) {
	c := startCluster(t, 3, "--snapshot-count", "20")
	cli := c.client()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	keys := putConcurrently(ctx, t, cli, 6000) // past the 5000 catch-up entries the log keeps
	m4 := newMember(t, "m4")
	if _, err := cli.MemberAdd(ctx, []string{m4.peerURL}); err != nil {
		t.Fatal(err)
	}
	c.members = append(c.members, m4)
	c.start(m4, "existing")
	checkAllPresent(t, c, keys)
	if !strings.Contains(m4.log.String(), "installed snapshot from leader") {
		t.Fatalf("m4 caught up without a snapshot; want it to install one")
	}
}

func TestCorruptWALRefusesToStart(t *testing.T) {
	c := startCluster(t, 1)
	cli := c.client()
	for i := 0; i < 20; i++ {
		if _, err := cli.Put(context.Background(), fmt.Sprintf("k%d", i), strings.Repeat("x", 100)); err != nil {
			t.Fatal(err)
		}
	}
	m := c.members[0]
	c.stop(m)
	segs, _ := filepath.Glob(filepath.Join(m.dir, "member", "wal", "*.wal"))
	sort.Strings(segs)
	if len(segs) == 0 {
		t.Fatal("no WAL segment written")
	}
	corruptByte(t, segs[0], 1500)
	c.start(m, "new")
	select {
	case <-m.exited:
	case <-time.After(waitLong):
		t.Fatalf("the member started on a corrupt WAL")
	}
	out := m.log.String()
	if m.exitErr == nil || !strings.Contains(out, filepath.Base(segs[0])) {
		t.Fatalf("exit %v; want a failure naming %s, got:\n%s", m.exitErr, filepath.Base(segs[0]), out)
	}
}

// corruptByte flips the bits of the byte at off.
func corruptByte(t *testing.T, path string, off int64) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0xff
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// putConcurrently writes w/<i> for i < n from 64 goroutines, so that many
// entries share one WAL fsync.
func putConcurrently(ctx context.Context, t *testing.T, cli *clientv3.Client, n int) []string {
	keys := make([]string, n)
	errs := make(chan error, 64)
	var wg sync.WaitGroup
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < n; i += 64 {
				keys[i] = fmt.Sprintf("w/%06d", i)
				if _, err := cli.Put(ctx, keys[i], "v"); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	return keys
}
