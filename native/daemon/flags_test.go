package daemon_test

// `etcdlab server` refuses what etcd refuses, with a clear message and
// exit code 1, and reads ETCD_* variables with the flag winning.

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestServerRefusesBadFlags(t *testing.T) {
	base := []string{"server", "--data-dir", filepath.Join(t.TempDir(), "d"),
		"--listen-peer-urls", "http://127.0.0.1:0", "--listen-client-urls", "http://127.0.0.1:0"}
	cases := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"unknown flag", []string{"--no-such-flag"}, nil, "unknown flag: --no-such-flag"},
		{"election below 5 heartbeats", []string{"--heartbeat-interval", "100", "--election-timeout", "400"}, nil,
			"--election-timeout[400ms] should be at least as 5 times as --heartbeat-interval[100ms]"},
		{"name not in initial cluster", []string{"--name", "x", "--initial-cluster", "y=http://127.0.0.1:1"}, nil,
			`couldn't find local name "x" in the initial cluster configuration`},
		{"bad cluster state", []string{"--initial-cluster-state", "old"}, nil, `--initial-cluster-state must be "new" or "existing"`},
		{"env read", nil, []string{"ETCD_ELECTION_TIMEOUT=300"}, "--election-timeout[300ms]"},
		{"flag beats env", []string{"--election-timeout", "200"}, []string{"ETCD_ELECTION_TIMEOUT=300"}, "--election-timeout[200ms]"},
		{"unknown env", nil, []string{"ETCD_NO_SUCH=1"}, "unrecognized environment variable ETCD_NO_SUCH=1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(binary, append(append([]string{}, base...), tc.args...)...)
			cmd.Env = append(os.Environ(), tc.env...)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("exit: %v, want code 1; output:\n%s", err, out)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Fatalf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
}
