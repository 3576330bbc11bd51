package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// etcd's auth flags: --auth-token other than "simple" (etcd's JWT) and a
// zero --auth-token-ttl are refused before anything is written.
func TestServerAuthTokenFlagsRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--auth-token", "jwt,pub-key=a.pem,priv-key=a,sign-method=RS256"}, "etcdlab issues etcd's 'simple' tokens only"},
		{[]string{"--auth-token-ttl", "0"}, "--auth-token-ttl must be at least 1 second"},
	} {
		dir := filepath.Join(t.TempDir(), "m.etcd")
		cmd := newServerCommand()
		cmd.SetArgs(append([]string{"--data-dir", dir}, c.args...))
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		err := cmd.Execute()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%v: %v, want an error containing %q", c.args, err, c.want)
		}
		if matches, _ := filepath.Glob(dir); len(matches) != 0 {
			t.Fatalf("%v: the refused member created %s", c.args, dir)
		}
	}
}
