package scenario

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds the parser arbitrary text: a scenario typed by a student,
// pasted into the debugger or opened from a URL must give a script or an
// error naming a line, never a panic. The seeds are the suite's scenarios.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*/*.scn")
	for _, p := range paths {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("cluster 3 seed=1\nrun until leader within 1s\nput x 1\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		script, err := Parse("fuzz.scn", src)
		if err == nil && script == nil {
			t.Fatal("Parse returned neither a script nor an error")
		}
	})
}
