package lessons

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The module root, seen from this package's directory.
var root = os.DirFS("..")

func TestAllLessonsParseAndValidate(t *testing.T) {
	all, err := All()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(all), 2, "the first two lessons are embedded")
	for _, l := range all {
		require.NotEmpty(t, l.Title, l.ID)
		require.GreaterOrEqual(t, len(l.Steps), 6, "%s: a lesson has 6 to 10 steps", l.ID)
		require.LessOrEqual(t, len(l.Steps), 10, "%s: a lesson has 6 to 10 steps", l.ID)
		for i, st := range l.Steps {
			require.NotEmpty(t, st.Script, "%s step %d: no script", l.ID, i+1)
			require.True(t, st.Task != nil || st.Question != nil, "%s step %d %q: a step needs a task or a question", l.ID, i+1, st.Title)
		}
	}
}

// Every anchor of every lesson names a symbol that exists, so a rename in
// the code fails here rather than in front of a student.
func TestAnchorsResolve(t *testing.T) {
	all, err := All()
	require.NoError(t, err)
	n := 0
	for _, l := range all {
		for i := range l.Steps {
			for j := range l.Steps[i].Anchors {
				a := &l.Steps[i].Anchors[j]
				require.NoError(t, Resolve(root, a), "lesson %s step %d", l.ID, i+1)
				require.Contains(t, a.Code, strings.TrimPrefix(a.Symbol[strings.LastIndex(a.Symbol, ".")+1:], "."), a.String())
				n++
			}
		}
	}
	require.Positive(t, n)
}

// Every step's scenario runs to its end (its expect lines are what the
// narration claims), and every task is undone before and done after its
// solution.
func TestLessonsRehearse(t *testing.T) {
	all, err := All()
	require.NoError(t, err)
	for _, l := range all {
		t.Run(l.ID, func(t *testing.T) {
			require.NoError(t, Rehearse(l))
		})
	}
}

func TestJSONCarriesCode(t *testing.T) {
	data, err := JSON(root)
	require.NoError(t, err)
	var c Catalog
	require.NoError(t, json.Unmarshal(data, &c))
	require.Equal(t, "01-leader-election", c.Lessons[0].ID)
	st := c.Lessons[0].Steps[0]
	require.Contains(t, st.NarrationHTML, "<strong>follower</strong>")
	require.NotEmpty(t, st.Anchors[0].Code)
	require.Contains(t, st.Task.DoHTML, "<strong>Play</strong>")
}

const tiny = "+++\ntitle: Tiny\nsummary: A test lesson.\nminutes: 1\n+++\nIntro.\n\n## One\nText.\n```scenario\ncluster 3 seed=7\nrun until leader\nEXPECT\n```\n```task\ndo: Crash it.\ndone: DONE\nsolution: crash n2\nsolution: run until leader\n```\n"

func tinyLesson(t *testing.T, expect, done string) *Lesson {
	src := strings.ReplaceAll(strings.ReplaceAll(tiny, "EXPECT", expect), "DONE", done)
	l, err := Parse("99-tiny", "tiny.md", []byte(src))
	require.NoError(t, err)
	require.NoError(t, Validate(l))
	return l
}

func TestRehearseChecksClaimsAndTasks(t *testing.T) {
	require.NoError(t, Rehearse(tinyLesson(t, "expect leader = n2", "leader != n2")))
	err := Rehearse(tinyLesson(t, "expect leader = n1", "leader != n2"))
	require.ErrorContains(t, err, "expect leader = n1")
	err = Rehearse(tinyLesson(t, "expect leader = n2", "term >= 2"))
	require.ErrorContains(t, err, "already done")
	err = Rehearse(tinyLesson(t, "expect leader = n2", "leader = n3"))
	require.ErrorContains(t, err, "does not complete")
}

func TestParseErrorsNameTheLine(t *testing.T) {
	cases := map[string]struct{ src, want string }{
		"no front matter": {"## Step\ntext\n", "tiny.md:1: a lesson file starts with a +++"},
		"unknown key":     {"+++\ntitle: a\ncolour: red\n+++\n", "tiny.md:3: front matter: unknown key"},
		"no steps":        {"+++\ntitle: a\nsummary: b\nminutes: 2\n+++\nintro\n", "needs at least one step"},
		"open fence":      {"+++\ntitle: a\nsummary: b\nminutes: 2\n+++\n## S\ntext\n```scenario\ncluster 3\n", "tiny.md:8: the ``` block opened here is never closed"},
		"two scenarios":   {"+++\ntitle: a\nsummary: b\nminutes: 2\n+++\n## S\ntext\n```scenario\ncluster 3\n```\n```scenario\nrun 1s\n```\n", "tiny.md:11: step \"S\" has a second scenario block"},
		"task no done":    {"+++\ntitle: a\nsummary: b\nminutes: 2\n+++\n## S\ntext\n```task\ndo: x\nsolution: run 1s\n```\n", "done: is missing"},
		"bad anchor":      {"+++\ntitle: a\nsummary: b\nminutes: 2\n+++\n## S\ntext\n```code\nelection.go\n```\n", "tiny.md:9: code: want FILE:SYMBOL"},
		"bad play":        {"+++\ntitle: a\nsummary: b\nminutes: 2\n+++\n## S\ntext\n```scenario play=fast\ncluster 3\n```\n", "play wants a speed"},
	}
	for name, c := range cases {
		_, err := Parse("99-tiny", "tiny.md", []byte(c.src))
		require.ErrorContains(t, err, c.want, name)
	}
}

func TestValidateRejectsBadContent(t *testing.T) {
	head := "+++\ntitle: a\nsummary: b\nminutes: 2\n+++\n## S\ntext\n```scenario\ncluster 3\n```\n"
	cases := map[string]struct{ src, want string }{
		"two right answers": {head + "```question\nQ?\n- [x] a\n  -> yes\n- [x] b\n  -> yes\n```\n", "2 answers are marked [x]"},
		"no feedback":       {head + "```question\nQ?\n- [x] a\n  -> yes\n- b\n```\n", "has no feedback"},
		"bad scenario":      {head + "## T\nmore\n```scenario\ncrash\n```\n", "crash"},
		"bad condition":     {head + "```task\ndo: x\ndone: leader ~ n1\nsolution: run 1s\n```\n", "task done condition"},
		"continues first":   {"+++\ntitle: a\nsummary: b\nminutes: 2\n+++\n## S\ntext\n```scenario\nrun 1s\n```\n", "the first step must start a cluster"},
	}
	for name, c := range cases {
		l, err := Parse("99-tiny", "tiny.md", []byte(c.src))
		require.NoError(t, err, name)
		require.ErrorContains(t, Validate(l), c.want, name)
	}
}

func TestScriptsContinueThePreviousStep(t *testing.T) {
	src := "+++\ntitle: a\nsummary: b\nminutes: 2\n+++\n## A\nt\n```scenario\ncluster 3\n```\n## B\nt\n```scenario\nrun 1s\n```\n## C\nt\n## D\nt\n```scenario\ncluster 5\n```\n"
	l, err := Parse("99-tiny", "tiny.md", []byte(src))
	require.NoError(t, err)
	require.Equal(t, []string{"cluster 3", "cluster 3\nrun 1s", "cluster 3\nrun 1s", "cluster 5"},
		[]string{l.Steps[0].Script, l.Steps[1].Script, l.Steps[2].Script, l.Steps[3].Script})
}

func TestResolveFailsOnAMissingSymbol(t *testing.T) {
	a := Anchor{File: "core/raft/election.go", Symbol: "noSuchFunction"}
	require.ErrorContains(t, Resolve(root, &a), "no func, method, type, const or var")
	a = Anchor{File: "core/raft/log.go", Symbol: "raftLog.isUpToDate"}
	require.NoError(t, Resolve(root, &a))
	require.True(t, strings.HasPrefix(a.Code, "//") || strings.HasPrefix(a.Code, "func"), a.Code)
	a = Anchor{File: "core/limits.go", Symbol: "MaxTxnOps"}
	require.NoError(t, Resolve(root, &a))
	require.Contains(t, a.Code, "128")
}

func TestMarkdownEscapesAndRenders(t *testing.T) {
	got := Markdown("Hello <b>you</b> & **bold** `a<b` [etcd](https://etcd.io) [x](javascript:alert(1))\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nx := 1 < 2\n```")
	require.Contains(t, got, "<p>Hello &lt;b&gt;you&lt;/b&gt; &amp; <strong>bold</strong> <code>a&lt;b</code> <a href=\"https://etcd.io\">etcd</a> [x](javascript:alert(1))</p>")
	require.Contains(t, got, "<ul>\n<li>one</li>\n<li>two</li>\n</ul>")
	require.Contains(t, got, "<tr><th>a</th><th>b</th></tr>\n<tr><td>1</td><td>2</td></tr>")
	require.Contains(t, got, "<pre><code class=\"language-go\">x := 1 &lt; 2</code></pre>")
}
