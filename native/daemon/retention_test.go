package daemon

// --max-wals in a running member: with small WAL segments and a snapshot
// every 20 entries, the WAL directory never holds more than the segments a
// restart from the newest snapshot needs plus 2, --max-snapshots 2 keeps two
// snapshot files, and a restart still finds every key. (In-process: the
// segment size is not a flag.)

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/native/freeport"
)

func retentionConfig(t *testing.T, dir string) Config {
	peer := fmt.Sprintf("http://127.0.0.1:%d", freeport.Port(t))
	return Config{
		Name: "n1", DataDir: dir, ListenPeerURLs: []string{peer},
		InitialCluster:    map[string][]string{"n1": {peer}},
		HeartbeatInterval: 20 * time.Millisecond, ElectionTimeout: 200 * time.Millisecond,
		SnapshotCount: 20, SnapshotCatchUpEntries: 5, MaxWALs: 2, MaxSnapshots: 2,
		Logger: slog.New(slog.DiscardHandler), walSegmentBytes: 16 << 10,
	}
}

// walFiles lists the segment names and the newest snapshot file's index.
func walFiles(t *testing.T, dir string) (segs []string, snapIndex uint64) {
	t.Helper()
	l := layout{dir}
	segs, err := filepath.Glob(filepath.Join(l.walDir(), "*.wal"))
	if err != nil {
		t.Fatal(err)
	}
	snaps, _ := filepath.Glob(filepath.Join(l.snapDir(), "*.snap"))
	for _, s := range snaps {
		var term, index uint64
		if _, err := fmt.Sscanf(filepath.Base(s), "%016x-%016x.snap", &term, &index); err == nil {
			snapIndex = max(snapIndex, index)
		}
	}
	return segs, snapIndex
}

// neededFor counts the segments a restart from a snapshot at index reads:
// the last one whose first index is <= index, and every later one.
func neededFor(t *testing.T, segs []string, index uint64) int {
	first := 0
	for i, s := range segs {
		var seq, from uint64
		if _, err := fmt.Sscanf(filepath.Base(s), "%016x-%016x.wal", &seq, &from); err != nil {
			t.Fatalf("segment name %s: %v", s, err)
		}
		if from <= index {
			first = i
		}
	}
	return len(segs) - first
}

func putAll(t *testing.T, d *Daemon, from, to int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, to-from)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := from + w; i < to; i += 8 {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				resp, err := d.Do(ctx, server.Request{Put: &mvcc.PutRequest{Key: []byte(fmt.Sprintf("k%04d", i)), Value: []byte(strings.Repeat("v", 100))}})
				cancel()
				if err == nil {
					err = resp.Err
				}
				if err != nil {
					errs <- fmt.Errorf("put k%04d: %w", i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestMaxWALsBoundsTheWALDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "n1.etcd")
	cfg := retentionConfig(t, dir)
	d, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { d.Stop() }()
	waitLeader(t, d)
	const keys = 1200
	maxSeen := 0
	for from := 0; from < keys; from += 100 {
		putAll(t, d, from, from+100)
		segs, snapIndex := walFiles(t, dir)
		needed := neededFor(t, segs, snapIndex)
		if len(segs) > needed+2 {
			t.Fatalf("after %d keys: %d WAL files, more than the %d needed from snapshot %d + 2:\n%s",
				from+100, len(segs), needed, snapIndex, strings.Join(segs, "\n"))
		}
		maxSeen = max(maxSeen, len(segs))
	}
	segs, _ := walFiles(t, dir)
	var lastSeq uint64
	fmt.Sscanf(filepath.Base(segs[len(segs)-1]), "%016x-", &lastSeq)
	if lastSeq < 8 || len(segs) > 4 {
		t.Fatalf("want many segments written (%d) and few kept (%d): the test did not exercise the purge", lastSeq+1, len(segs))
	}
	t.Logf("%d segments written, at most %d on disk at once, %d at the end", lastSeq+1, maxSeen, len(segs))

	if err := d.Stop(); err != nil {
		t.Fatal(err)
	}
	// A snapshot file is written off the loop and the old ones purged
	// after it: stopped, the member has done both.
	if snaps, _ := filepath.Glob(filepath.Join(layout{dir}.snapDir(), "*.snap")); len(snaps) != 2 {
		t.Fatalf("--max-snapshots 2: %d snapshot files: %v", len(snaps), snaps)
	}
	d, err = Start(cfg)
	if err != nil {
		t.Fatalf("restart after purging: %v", err)
	}
	waitLeader(t, d)
	for i := range keys {
		key := fmt.Sprintf("k%04d", i)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		resp, err := d.Do(ctx, server.Request{Range: &mvcc.RangeRequest{Key: []byte(key)}})
		cancel()
		if err == nil {
			err = resp.Err
		}
		if err != nil || len(resp.Range.Kvs) != 1 {
			t.Fatalf("after the restart %s is missing (err %v)", key, err)
		}
	}
	if _, err := os.Stat(layout{dir}.walDir()); err != nil {
		t.Fatal(err)
	}
}

// waitLeader waits until the member serves a linearizable read.
func waitLeader(t *testing.T, d *Daemon) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		resp, err := d.Do(ctx, server.Request{Range: &mvcc.RangeRequest{Key: []byte("x")}})
		cancel()
		if err == nil && resp.Err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no leader after a restart: %v %v", err, resp.Err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
