package bolt

// A real crash: a helper process (this test binary, re-executed) commits
// transactions and prints "ack <n>" once Commit has returned; every 40th
// commit it also defragments. The test SIGKILLs it after a seeded number of
// acknowledgements — wherever it is: mid-write, mid-fsync, mid-defrag —
// reopens the file, and checks that every acknowledged commit is there,
// whole, and that no commit is there in part. Several rounds run on the
// same file, each starting from what the last kill left.
//
// Replay a failure with ETCDLAB_BOLT_CRASH_SEED=<seed> go test -run TestKill9.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/etcdlab/etcdlab/core/rng"
)

const (
	crashPathEnv = "ETCDLAB_BOLT_CRASH_HELPER_PATH"
	crashSeedEnv = "ETCDLAB_BOLT_CRASH_SEED"
)

// crashCommit is what the helper's commit n writes to bucket "kv": 1 to 4
// pairs whose keys and values follow from n. Bucket "meta" holds the last n.
func crashCommit(n int) (keys, values [][]byte) {
	for j := 0; j <= n%4; j++ {
		keys = append(keys, []byte(fmt.Sprintf("commit-%06d-%d", n, j)))
		values = append(values, bytes.Repeat([]byte{byte(n), byte(j)}, 1+(n*131+j)%700))
	}
	return keys, values
}

// TestCrashHelperProcess is the helper; it does nothing in a normal run.
func TestCrashHelperProcess(t *testing.T) {
	path := os.Getenv(crashPathEnv)
	if path == "" {
		t.Skip("helper process for TestKill9")
	}
	b, err := Open(path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper: open:", err)
		os.Exit(2)
	}
	for n := lastCommit(b) + 1; ; n++ {
		w := b.BeginWrite()
		helperMust(w.CreateBucket("kv"))
		helperMust(w.CreateBucket("meta"))
		keys, values := crashCommit(n)
		for i := range keys {
			helperMust(w.Put("kv", keys[i], values[i]))
		}
		helperMust(w.Put("meta", []byte("last"), []byte(strconv.Itoa(n))))
		helperMust(w.Commit())
		fmt.Printf("ack %d\n", n) // only now is it acknowledged
		if n%40 == 0 {
			helperMust(b.Defrag())
		}
	}
}

func helperMust(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(2)
	}
}

// lastCommit is the helper's last commit recorded in b, 0 if none.
func lastCommit(b *Backend) int {
	r := b.BeginRead()
	defer r.Rollback()
	n, _ := strconv.Atoi(string(r.Get("meta", []byte("last"))))
	return n
}

func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	seed := uint64(20240611)
	if s := os.Getenv(crashSeedEnv); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		must(t, err)
	}
	r := rng.New(seed)
	path := filepath.Join(t.TempDir(), "db")
	acked := 0
	for round := 0; round < 6; round++ {
		killAfter := 1 + r.Intn(120)
		acked = max(acked, runAndKill(t, path, killAfter, seed))
		checkAcked(t, path, acked, fmt.Sprintf("seed %d round %d (killed after %d acks)", seed, round, killAfter))
	}
	t.Logf("seed %d: %d commits acknowledged across 6 kills", seed, acked)
}

// runAndKill starts the helper on path, SIGKILLs it after killAfter
// acknowledgements, and returns the highest commit it acknowledged.
func runAndKill(t *testing.T, path string, killAfter int, seed uint64) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelperProcess$")
	cmd.Env = append(os.Environ(), crashPathEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	acked, n := 0, 0
	sc := bufio.NewScanner(out)
	for sc.Scan() { // keep reading after the kill: acks still in the pipe count
		s, ok := strings.CutPrefix(sc.Text(), "ack ")
		if !ok {
			continue
		}
		i, err := strconv.Atoi(s)
		must(t, err)
		acked = i
		if n++; n == killAfter {
			must(t, cmd.Process.Signal(syscall.SIGKILL))
		}
	}
	err = cmd.Wait()
	if n < killAfter {
		t.Fatalf("seed %d: the helper stopped by itself after %d acks: %v\n%s", seed, n, err, stderr.String())
	}
	return acked
}

// checkAcked reopens path and checks that commits 1..last are all there,
// whole, for some last >= acked, and that nothing of a later commit is.
func checkAcked(t *testing.T, path string, acked int, what string) {
	t.Helper()
	b, err := Open(path, nil)
	if err != nil {
		t.Fatalf("%s: reopening: %v", what, err)
	}
	defer func() { must(t, b.Close()) }()
	checkBolt(t, b)
	last := lastCommit(b)
	if last < acked {
		t.Fatalf("%s: the file holds %d commits, %d were acknowledged", what, last, acked)
	}
	r := b.BeginRead()
	defer r.Rollback()
	pairs := 0
	for n := 1; n <= last; n++ {
		keys, values := crashCommit(n)
		for i := range keys {
			if !bytes.Equal(r.Get("kv", keys[i]), values[i]) {
				t.Fatalf("%s: commit %d of %d: %q is missing or damaged", what, n, last, keys[i])
			}
		}
		pairs += len(keys)
	}
	all, _ := r.Range("kv", nil, []byte{}, 0)
	if len(all) != pairs {
		t.Fatalf("%s: %d pairs in the file, commits 1..%d wrote %d: part of a later commit survived", what, len(all), last, pairs)
	}
}
