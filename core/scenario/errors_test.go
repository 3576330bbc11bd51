package scenario_test

// Errors name the file and the line, say what is wrong, and for a failed
// expectation what was there instead.

import (
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/scenario"
)

func TestErrorsNameFileAndLine(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"cluster 3 seed=1\nfly n1\n", "e.scn:2: unknown command \"fly\""},
		{"cluster 3 seed=1 colour=red\n", "e.scn:1: cluster: unknown option colour="},
		{"cluster 3\nrun soon\n", "e.scn:2: run: \"soon\" is not a positive duration"},
		{"cluster 3\nexpect n1 role\n", "e.scn:2: expect: \"n1 role\" has no operator"},
		{"cluster 3\nexpect n1 colour = red\n", "e.scn:2: expect: unknown node observable"},
		{"cluster 3\npartition n1 n2\n", "e.scn:2: partition: needs at least two groups"},
		{"cluster 3\ndeliver n1->n2 MsgFoo\n", "e.scn:2: deliver: unknown message type"},
		{"put x 1\n", "e.scn:1: no cluster yet"},
		{"cluster 3 seed=7\n# a comment\n\nrun until leader\n\n\ncrash n9\n", "e.scn:7: unknown node n9 (cluster has n1..n3)"},
		{"cluster 3 seed=7\nrun until leader\nexpect leader = n1\n", "e.scn:3: expect leader = n1: actual n2"},
		{"cluster 3 seed=7\nrun until n1 term > 50 within 2s\n", "e.scn:2: run until n1 term > 50: not reached within 2s"},
		{"cluster 3 seed=7\ncluster 3\n", "e.scn:2: the cluster is already built"},
	} {
		_, err := scenario.Run("e.scn", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("scenario %q:\n  want an error containing %q\n  got %v", tc.src, tc.want, err)
		}
	}
}

func TestOperatingErrorsDoNotStopTheScenario(t *testing.T) {
	src := "cluster 3 seed=7\nrun until leader\ncrash n1\ncrash n1\nexpect error = n1 is down\nrestart n1\nexpect error = none\n"
	out, err := scenario.Run("o.scn", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "> crash n1\n  error: n1 is down\n") {
		t.Fatalf("the second crash should print its error:\n%s", out)
	}
}

func TestRunnerStepsOneEventAtATime(t *testing.T) {
	r, err := scenario.NewRunner("s.scn", []byte("# story\ncluster 3 seed=7\nrun until leader\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.StepEvent(); err == nil {
		t.Fatal("stepping before the cluster exists must fail")
	}
	for i := 0; i < 2; i++ { // the comment, then `cluster`
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
	}
	before := r.Cluster().Now()
	ev, err := r.StepEvent()
	if err != nil || ev.Time < before {
		t.Fatalf("step: %v %v", ev, err)
	}
	if got := r.Upcoming(); got == nil || got.Line != 3 {
		t.Fatalf("upcoming command: %+v, want line 3", got)
	}
	if err := r.RunAll(); err != nil {
		t.Fatal(err)
	}
	if !r.Done() || r.Cluster().Leader() == 0 {
		t.Fatal("the scenario should have run to a leader")
	}
}

func TestSameScenarioSameTranscript(t *testing.T) {
	src := []byte("cluster 5 seed=21 latency=1ms..30ms loss=5% dup=5% reorder=10%\nrun until leader\nput a 1\nrun 3s\n")
	a, errA := scenario.Run("d.scn", src)
	b, errB := scenario.Run("d.scn", src)
	if errA != nil || errB != nil || a != b {
		t.Fatalf("two runs differ (errors %v, %v):\n%s\n----\n%s", errA, errB, a, b)
	}
}

// `show trace N` prints the last N records (the count once reached the
// node selector and failed with "not a node").
func TestShowTraceCount(t *testing.T) {
	out, err := scenario.Run("t.scn", []byte("cluster 3 seed=1\nrun until leader\nshow trace 3\nexpect error = none\n"))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	i, j := strings.Index(out, "> show trace 3\n"), strings.Index(out, "> expect")
	if i < 0 || j < i {
		t.Fatalf("transcript lacks the commands:\n%s", out)
	}
	if lines := strings.Count(out[i:j], "\n"); lines != 1+3 {
		t.Fatalf("show trace 3 printed %d lines, want the command and 3 records:\n%s", lines, out[i:j])
	}
}

// `expect error` reads the answer of a request issued async (the page's
// command box issues every client command so) once it has arrived; a later
// operating command that succeeds does not hide it, a new request does.
func TestErrorOfAnAsyncRequest(t *testing.T) {
	src := "cluster 3 etcd seed=3\nrun until leader\nput foo a\nput foo b\nput foo c\ncompact 3\nrun 100ms\n" +
		"get foo --rev 2 async\nexpect error = none\nrun 100ms\n" +
		"expect error = etcdserver: mvcc: required revision has been compacted\n" +
		"get foo async\nrun 100ms\nexpect error = none\nexpect value = c\n"
	out, err := scenario.Run("a.scn", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
