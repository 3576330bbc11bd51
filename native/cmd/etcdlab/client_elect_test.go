package main

// elect against a 3-member etcdlab cluster, with real processes: an
// etcdlab candidate, Debian's etcdctl as the next one, and an etcdlab
// observer (helpers in client_lock_test.go).

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestProcessElect(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "proc-elect", 3)
	eps := endpoints(ms...)

	observer := startProc(t, "elect", "--endpoints="+eps, "-l", "myelection")
	alice := startProc(t, "elect", "--endpoints="+ms[0].host(), "myelection", "alice")
	waitOutput(t, alice, "alice is elected", regexp.MustCompile(`^myelection/[0-9a-f]+\nalice\n$`))
	bob := startEtcdctlProc(t, ms[1].host(), "elect", "myelection", "bob") // Debian's etcdctl
	stillWaiting(t, bob, "bob waits while alice leads", regexp.MustCompile(`bob`))

	interrupt(t, alice, "alice") // resigns
	waitOutput(t, bob, "bob is elected once alice resigns", regexp.MustCompile(`^myelection/[0-9a-f]+\nbob\n$`))
	waitOutput(t, observer, "the observer sees both leaders in turn",
		regexp.MustCompile(`^myelection/[0-9a-f]+\nalice\nmyelection/[0-9a-f]+\nbob\n$`))
	interrupt(t, bob, "bob")
	interrupt(t, observer, "the observer")

	for _, c := range []struct{ args, want string }{
		{"elect", "Error: elect takes one election name argument and an optional proposal argument\n"},
		{"elect myelection", "Error: no proposal argument but -l not set\n"},
		{"elect -l myelection bob", "Error: proposal given but -l is set\n"},
	} {
		out, err := etcdlabCmd(t, append(strings.Fields(c.args), "--endpoints="+eps)...)
		require.Error(t, err)
		require.Equal(t, c.want, out, c.args)
	}
}
