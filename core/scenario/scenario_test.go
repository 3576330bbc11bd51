package scenario_test

// TestScenarios runs every testdata/<topic>/NAME.scn and compares its
// transcript with NAME.golden beside it; `go test ./core/scenario/ -rewrite`
// regenerates the goldens. The same goldens are checked under GOOS=js (make
// test-wasm), so Linux and the browser must produce the very same trace.

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/scenario"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the .golden files from the current transcripts")

func TestScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.scn"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scenarios found under testdata/")
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.ToSlash(path), ".scn"), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, runErr := scenario.Run(filepath.ToSlash(path), src)
			if runErr != nil {
				t.Errorf("scenario failed: %v\nstep through it in the debugger (make run):\n  %s\ntranscript:\n%s", runErr, debuggerURL(src, runErr), got)
			}
			golden := strings.TrimSuffix(path, ".scn") + ".golden"
			if *rewrite {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -rewrite to create it)", err)
			}
			if got != string(want) {
				t.Errorf("transcript differs from %s (run with -rewrite to accept):\n%s", golden, diff(string(want), got))
			}
		})
	}
}

// diff shows the first differing lines of two transcripts.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b
		}
	}
	return "(identical lines; trailing difference)"
}

func itoa(i int) string {
	s := ""
	for {
		s = string(rune('0'+i%10)) + s
		i /= 10
		if i == 0 {
			return s
		}
	}
}

// debuggerURL opens src in the site's debugger (debugger.html, served by
// `make run` on LESSONS_ADDR), stopped before the line that failed.
func debuggerURL(src []byte, err error) string {
	line := 0
	var serr *scenario.Error
	if errors.As(err, &serr) {
		line = serr.Line
	}
	return fmt.Sprintf("http://127.0.0.1:8380/debugger.html#s=%s&line=%d", base64.RawURLEncoding.EncodeToString(src), line)
}
