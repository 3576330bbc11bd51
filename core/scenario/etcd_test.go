package scenario_test

// Etcd mode's words: what each mode refuses, with a message that says how
// to fix it, and the syntax errors of the etcdctl-style commands.

import (
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/scenario"
)

func TestEtcdWordsErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"cluster 3 seed=1\nrun until leader\nput x 1 --lease=L1\n", "e.scn:3: put with --flags needs etcd mode"},
		{"cluster 3 seed=1\ndel x\n", "e.scn:2: `del` needs etcd mode"},
		{"cluster 3 seed=1\nlease grant 5\n", "e.scn:2: `lease` needs etcd mode"},
		{"cluster 3 quota=1KiB\n", "e.scn:1: cluster: quota= needs etcd mode"},
		{"cluster 3 etcd snapshot-chunk=100\n", "snapshot-chunk= and max-inflight= are not available in etcd mode"},
		{"cluster 3 etcd\nget x --foo\n", "e.scn:2: get: unknown flag --foo"},
		{"cluster 3 etcd\ntxn if value(a) 1 then put a 2\n", "e.scn:2: txn: compare \"value(a) 1\""},
		{"cluster 3 etcd\ntxn if value(a) = 1 put a 2\n", "e.scn:2: txn: txn needs `then`"},
		{"cluster 3 etcd\ntxn then fly a\n", "e.scn:2: txn: txn operation \"fly\""},
		{"cluster 3 etcd\nlease grant soon\n", "e.scn:2: lease: \"soon\" is not a TTL"},
		{"cluster 3 etcd\nlease revoke zz\n", "e.scn:2: lease: \"zz\" is not a lease"},
		{"cluster 3 etcd\ncompact 0\n", "e.scn:2: compact: \"0\" is not a revision"},
		{"cluster 3 etcd\nexpect lease L1 ttl\n", "has no operator"},
		{"cluster 3 etcd\nrun until leader\nput k v --lease=L2\n", "e.scn:3: L2: only 0 lease grant(s) so far"},
		{"cluster 3 etcd\nrun until leader\ncompact n1 5\n", "error: in etcd mode the member compacts its own Raft log"},
	} {
		out, err := scenario.Run("e.scn", []byte(tc.src))
		if !strings.Contains(errText(err)+out, tc.want) {
			t.Errorf("scenario %q:\n  want an error containing %q\n  got %v\n%s", tc.src, tc.want, err, out)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestEtcdModeAnswers pins the etcdctl-style answers of a few commands.
func TestEtcdModeAnswers(t *testing.T) {
	src := `cluster 1 etcd seed=3
run until leader
put foo bar
expect result = OK revision=2
put foo2 y
txn if value(foo) = "bar" and create(foo2) > 0 then get foo --prefix --keys-only else del foo
expect result = SUCCESS: foo= create=2 mod=2 version=1, foo2= create=3 mod=3 version=1 (revision=3)
lease grant 60
lease timetolive L1
`
	out, err := scenario.Run("a.scn", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"L1 is lease ", "granted with TTL(60s), remaining(60s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
}
