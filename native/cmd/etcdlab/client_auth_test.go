package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/native/ctl"
)

// TestCompareAuth: users, roles and auth with etcdctl 3.4 and with ours,
// byte for byte (see client_compare_test.go). etcdctl 3.4 has no `auth
// status`, and its password prompts read a pipe where ours refuse to (see
// client_auth.go), so neither is compared here.
func TestCompareAuth(t *testing.T) { compareTools(t, authSteps()) }

func authSteps() []step {
	return []step{
		{args: "user add root --new-user-password=rootpw"},
		{args: "user add root --new-user-password=x"},
		{args: "user add ':x'"},
		{args: "user add"},
		{args: "user get root"},
		{args: "role add root"},
		{args: "role add app"},
		{args: "role add ''"},
		{args: "user grant-role root root"},
		{args: "user grant-role root nope"},
		{args: "role grant-permission app read /app --prefix"},
		{args: "role grant-permission app readwrite /x"},
		{args: "role grant-permission app write /a /b"},
		{args: "role grant-permission app read --from-key /z"},
		{args: "role grant-permission app bogus /k"},
		{args: "role grant-permission app read /k --prefix --from-key"},
		{args: "role grant-permission app read /k /l --prefix"},
		{args: "role grant-permission app read"},
		{args: "role get app"},
		{args: "role get app -w json"},
		{args: "role get app -w table"},
		{args: "role list -w json"},
		{args: "user add alice:apw"},
		{args: "user add bob --interactive=false", stdin: "bobpw\n"},
		{args: "user add carol --no-password"},
		{args: "user grant-role alice app"},
		{args: "user get alice --detail"},
		{args: "user get alice -w json"},
		{args: "user get nobody"},
		{args: "user revoke-role alice root"},
		{args: "user passwd bob --interactive=false", stdin: "newpw\n"},
		{args: "user list"},
		{args: "auth enable"},
		{args: "put foo bar"},
		{args: "--user root:rootpw put foo bar"},
		{args: "--user alice:apw get /app --prefix"},
		{args: "--user alice:apw put /app/x 1"},
		{args: "--user bob:newpw get foo"},
		{args: "--user bob:bobpw get foo"},
		{args: "--user alice:apw user list"},
		{args: "--user root --password rootpw user delete root"},
		{args: "--user root:rootpw user revoke-role root root"},
		{args: "--user root:rootpw role revoke-permission app /a /b"},
		{args: "--user root:rootpw role revoke-permission app --from-key /z"},
		{args: "--user root:rootpw role revoke-permission app /nope"},
		{args: "--user root:rootpw role get app"},
		{args: "--user root:rootpw user delete bob"},
		{args: "--user root:rootpw role delete app"},
		{args: "--user root:rootpw auth disable"},
		{args: "user get alice"},
		{args: "role list"},
	}
}

// TestAuthServerMatchesEtcd: the same etcdctl 3.4 steps against etcd 3.4
// and against `etcdlab server` (this test binary run as etcdlab, on the
// same ports, so member and cluster IDs agree) print the same, byte for
// byte: the server's answers and errors are etcd's.
func TestAuthServerMatchesEtcd(t *testing.T) {
	requireEtcdctl(t)
	t.Setenv(runAsMainEnv, "1") // for the server child only: this process is past TestMain
	srv := newTestServer(t)
	var got [2]string
	for i, command := range []string{defaultTestServer, os.Args[0] + " server"} {
		t.Setenv("ETCDLAB_TEST_SERVER", command)
		srv.start(t)
		got[i] = transcript(t, etcdctlTool{}, srv.clientURL, authSteps())
		srv.stop()
	}
	if got[0] != got[1] {
		diff := strings.NewReplacer("--- etcdctl:", "--- etcd 3.4:", "--- etcdlab:", "--- etcdlab server:").Replace(lineDiff(got[0], got[1]))
		t.Errorf("etcd and etcdlab answer etcdctl differently\n%s", diff)
	}
}

func TestPermissionRangeFromFlags(t *testing.T) {
	cases := []struct {
		flags    permFlags
		args     []string
		key, end string
		err      string
	}{
		{permFlags{}, []string{"k"}, "k", "", ""},
		{permFlags{}, []string{"a", "b", "ignored"}, "a", "b", ""},
		{permFlags{prefix: true}, []string{"/app"}, "/app", "/apq", ""},
		{permFlags{fromKey: true}, []string{"/z"}, "/z", "\x00", ""},
		{permFlags{}, []string{""}, "\x00", "", ""},
		{permFlags{prefix: true}, []string{""}, "\x00", "\x00", ""},
		{permFlags{fromKey: true}, []string{""}, "\x00", "\x00", ""},
		{permFlags{prefix: true, fromKey: true}, []string{"k"}, "", "", "mutually exclusive"},
		{permFlags{prefix: true}, []string{"a", "b"}, "", "", "unexpected endkey argument with --prefix flag"},
		{permFlags{fromKey: true}, []string{"a", "b"}, "", "", "unexpected endkey argument with --from-key flag"},
	}
	for _, c := range cases {
		key, end, err := c.flags.keyRange(c.args)
		if c.err != "" {
			require.ErrorContains(t, err, c.err, "%+v %q", c.flags, c.args)
			require.Equal(t, ctl.ExitBadArgs, ctl.CodeOf(err))
			continue
		}
		require.NoError(t, err)
		require.Equal(t, [2]string{c.key, c.end}, [2]string{key, end}, "%+v %q", c.flags, c.args)
	}
}

// A password that is neither on the command line nor on a terminal is an
// error with a way out, not a read of whatever stdin holds.
func TestPasswordIsNeverReadFromAPipe(t *testing.T) {
	for _, args := range [][]string{
		{"get", "--user", "root", "foo"},
		{"user", "add", "dave"},
		{"user", "passwd", "dave"},
	} {
		r := ourTool{}.run(t, []string{"ETCDCTL_ENDPOINTS=127.0.0.1:1"}, "secret\n", "", args)
		require.NotEqual(t, 0, r.code, "%v", args)
		require.Contains(t, r.stderr, "stdin is not a terminal", "%v", args)
		require.NotContains(t, r.stdout, "secret")
	}
}

func TestReadLineStopsAtTheLineEnd(t *testing.T) {
	in := strings.NewReader("first\r\nsecond\n")
	a, err := readLine(in)
	require.NoError(t, err)
	b, err := readLine(in)
	require.NoError(t, err)
	require.Equal(t, []string{"first", "second"}, []string{a, b}, "two prompts read one line each")
	_, err = readLine(&bytes.Buffer{})
	require.Error(t, err)
}
