package scenario_test

// The scenario suite itself has rules (see testdata/): every scenario opens
// with a short story — three to eight `#` lines saying what Raft behaviour
// it pins and where that behaviour is written down — and asserts that
// behaviour with at least one `expect`, so that it fails when Raft
// misbehaves, not only when a golden file differs.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// minScenarios is how many scenarios the suite must hold at least, so that
// a glob gone wrong cannot silently skip most of them.
const minScenarios = 45

// storyPredatesRule lists scenarios written before the story rule; they
// are checked for expectations only.
var storyPredatesRule = map[string]bool{
	"testdata/election/initial_election.scn": true,
}

func TestSuiteHasStoriesAndExpectations(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.scn"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < minScenarios {
		t.Fatalf("found %d scenarios under testdata/, want at least %d", len(files), minScenarios)
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		story := 0
		for story < len(lines) && strings.HasPrefix(lines[story], "#") {
			story++
		}
		if (story < 3 || story > 8) && !storyPredatesRule[filepath.ToSlash(path)] {
			t.Errorf("%s: opens with a story of %d `#` lines, want 3 to 8", path, story)
		}
		if !strings.Contains(string(src), "\nexpect ") {
			t.Errorf("%s: asserts nothing (no `expect` line)", path)
		}
	}
}
