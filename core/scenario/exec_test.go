package scenario

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExecRunsOneLineBetweenCommands(t *testing.T) {
	r, err := NewRunner("s.scn", []byte("cluster 3 seed=7\nrun until leader\nexpect leader\n"))
	require.NoError(t, err)
	_, err = r.Next()
	require.NoError(t, err)
	_, err = r.Next()
	require.NoError(t, err)
	lead, err := r.node("leader")
	require.NoError(t, err)

	at := r.Written()
	cmd, err := r.Exec("ui", "crash leader")
	require.NoError(t, err)
	require.Equal(t, "crash", cmd.Name)
	out := r.WrittenSince(at)
	require.True(t, strings.HasPrefix(out, "> crash leader\n"), out)
	require.Contains(t, out, "crash")

	ok, err := r.Check("n" + string(rune('0'+lead)) + " up = false")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "expect leader", r.Upcoming().Text, "Exec must not move the script")
}

func TestExecReportsMistakesWithoutStoppingTheScript(t *testing.T) {
	r, err := NewRunner("s.scn", []byte("cluster 3 seed=7\nrun 1s\n"))
	require.NoError(t, err)
	_, err = r.Next()
	require.NoError(t, err)

	for _, line := range []string{"crash n7", "bogus", "", "# note", "crash n1\ncrash n2"} {
		_, err := r.Exec("ui", line)
		require.Error(t, err, "line %q", line)
		require.Contains(t, err.Error(), "ui:1: ", "line %q", line)
	}
	require.NoError(t, r.Err())
	_, err = r.Next()
	require.NoError(t, err)

	_, err = r.Exec("ui", "crash n1")
	require.NoError(t, err)
	_, err = r.Exec("ui", "crash n1")
	require.NoError(t, err, "an operating error is printed, not returned")
	require.ErrorContains(t, r.LastError(), "down")
}

func TestCheckEvaluatesConditionsNow(t *testing.T) {
	r, err := NewRunner("s.scn", []byte("cluster 3 seed=7\nrun until leader\n"))
	require.NoError(t, err)
	_, err = r.Check("leader")
	require.ErrorContains(t, err, "no cluster yet")
	require.NoError(t, r.RunAll())

	for cond, want := range map[string]bool{
		"leader": true, "term >= 1": true, "leader = none": false, "all up = true": true, "in-flight < 0": false,
	} {
		got, err := r.Check(cond)
		require.NoError(t, err, cond)
		require.Equal(t, want, got, cond)
	}
	for _, bad := range []string{"", "bogus > 1", "n1 colour = red"} {
		_, err := r.Check(bad)
		require.Error(t, err, bad)
	}
}

func TestResumeCarriesOnAfterAFailedExpectation(t *testing.T) {
	r, err := NewRunner("s.scn", []byte("cluster 3 seed=7\nexpect leader = n9\nrun until leader\n"))
	require.NoError(t, err)
	_, err = r.Next()
	require.NoError(t, err)
	_, err = r.Next()
	require.ErrorContains(t, err, "s.scn:2: ")
	require.True(t, r.Done())
	require.NoError(t, r.Resume())
	require.False(t, r.Done())
	require.Equal(t, "run until leader", r.Upcoming().Text)
	_, err = r.Next()
	require.NoError(t, err)
}
