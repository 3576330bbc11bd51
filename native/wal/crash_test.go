package wal

// A real crash: a helper process (this test binary, re-executed) saves
// entries with sync and prints each index once Save has returned; the test
// kills it with SIGKILL after a seeded number of acknowledgements — wherever
// it is: mid-write, mid-fsync, mid-cut — then reopens the log and checks that
// every acknowledged entry is there, intact. Several rounds run on the same
// directory, so later rounds start from a log that an earlier kill damaged.
//
// Replay a failure with ETCDLAB_WAL_CRASH_SEED=<seed> go test -run TestKill9.

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
)

const (
	crashDirEnv  = "ETCDLAB_WAL_CRASH_HELPER_DIR"
	crashSeedEnv = "ETCDLAB_WAL_CRASH_SEED"
)

// crashOpts: small preallocated segments, so kills land in cuts too.
var crashOpts = &Options{SegmentBytes: 16 << 10}

// crashEntry is the entry the helper writes at index i: its size and bytes
// follow from i, so the checker knows what must be there.
func crashEntry(i uint64) raft.Entry {
	n := int(i*2654435761%1500) + 1
	return raft.Entry{Index: i, Term: 1, Data: bytes.Repeat([]byte{byte(i), byte(i >> 8)}, n)[:n]}
}

// TestCrashHelperProcess is the helper; it does nothing in a normal run.
func TestCrashHelperProcess(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("helper process for TestKill9")
	}
	seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
	r := rand.New(rand.NewPCG(seed, 1))
	w, last := openOrCreate(dir)
	for next := last + 1; ; {
		batch := make([]raft.Entry, 1+r.IntN(4))
		for j := range batch {
			batch[j] = crashEntry(next + uint64(j))
		}
		end := next + uint64(len(batch)) - 1
		if err := w.Save(raft.HardState{Term: 1, Commit: end}, batch, true); err != nil {
			fmt.Fprintln(os.Stderr, "helper: save:", err)
			os.Exit(2)
		}
		fmt.Printf("ack %d\n", end) // only now is it acknowledged
		next = end + 1
	}
}

func openOrCreate(dir string) (*WAL, uint64) {
	if segs, _ := listSegments(dir); len(segs) == 0 {
		w, err := Create(dir, []byte("node-1 cluster-7"), crashOpts)
		if err != nil {
			fmt.Fprintln(os.Stderr, "helper: create:", err)
			os.Exit(2)
		}
		return w, 0
	}
	w, err := Open(dir, raft.SnapshotMeta{}, crashOpts)
	if err == nil {
		var es []raft.Entry
		if _, _, es, err = w.ReadAll(); err == nil {
			return w, uint64(len(es))
		}
	}
	fmt.Fprintln(os.Stderr, "helper: open:", err)
	os.Exit(2)
	return nil, 0
}

func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	seed := uint64(20240607)
	if s := os.Getenv(crashSeedEnv); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		noErr(t, err, "bad %s", crashSeedEnv)
	}
	r := rand.New(rand.NewPCG(seed, 2))
	dir := t.TempDir()
	var acked uint64
	for round := range 8 {
		killAfter := 1 + r.IntN(150)
		got := runAndKill(t, dir, r.Uint64(), killAfter, seed)
		acked = max(acked, got)
		checkAcked(t, dir, acked, fmt.Sprintf("seed %d round %d (killed after %d acks)", seed, round, killAfter))
	}
	t.Logf("seed %d: %d entries acknowledged across 8 kills", seed, acked)
}

// runAndKill starts the helper on dir, SIGKILLs it after killAfter
// acknowledgements, and returns the highest index it acknowledged.
func runAndKill(t *testing.T, dir string, helperSeed uint64, killAfter int, seed uint64) uint64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelperProcess$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, fmt.Sprintf("%s=%d", crashSeedEnv, helperSeed))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	noErr(t, err)
	noErr(t, cmd.Start())
	var acked uint64
	n := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() { // keep reading after the kill: acks still in the pipe count
		idx, ok := strings.CutPrefix(sc.Text(), "ack ")
		if !ok {
			continue
		}
		i, err := strconv.ParseUint(idx, 10, 64)
		noErr(t, err, "seed %d", seed)
		acked = i
		if n++; n == killAfter {
			noErr(t, cmd.Process.Signal(syscall.SIGKILL))
		}
	}
	err = cmd.Wait()
	truth(t, n >= killAfter, "seed %d: helper stopped after %d acks: %v\n%s", seed, n, err, stderr.String())
	return acked
}

// checkAcked reopens dir and checks that entries 1..acked are all there and
// intact (and any unacknowledged entry that survived is intact too).
func checkAcked(t *testing.T, dir string, acked uint64, what string) {
	t.Helper()
	w, err := Open(dir, raft.SnapshotMeta{}, crashOpts)
	noErr(t, err, what)
	defer w.Close()
	_, hs, es, err := w.ReadAll()
	noErr(t, err, what)
	truth(t, uint64(len(es)) >= acked, "%s: %d entries acknowledged, %d survived", what, acked, len(es))
	for i, e := range es {
		eq(t, crashEntry(uint64(i+1)), e, what)
	}
	truth(t, hs.Commit >= acked, "%s: hard state commit %d < acknowledged %d", what, hs.Commit, acked)
	for _, rep := range w.Repairs() {
		t.Logf("%s: %s", what, rep)
	}
}
