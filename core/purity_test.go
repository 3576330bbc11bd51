package core_test

// The determinism contract (DESIGN.md): no package under core/ may reach for
// the clock, the operating system, the network, locks, goroutines or global
// randomness. This test reads every non-test Go file under core/ and fails on
// any forbidden import, `go` statement, channel type or clock call.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbiddenImports are the packages core/ must never import, with the reason.
var forbiddenImports = map[string]string{
	"os":             "I/O belongs to the caller",
	"os/exec":        "I/O belongs to the caller",
	"io/ioutil":      "I/O belongs to the caller",
	"net":            "the network belongs to the caller",
	"net/http":       "the network belongs to the caller",
	"syscall":        "I/O belongs to the caller",
	"syscall/js":     "the browser bridge lives in wasm/",
	"sync":           "no locks: the core is single-threaded",
	"sync/atomic":    "no locks: the core is single-threaded",
	"math/rand":      "randomness enters as a seeded source in config (use core/rng)",
	"math/rand/v2":   "randomness enters as a seeded source in config (use core/rng)",
	"crypto/rand":    "randomness enters as a seeded source in config",
	"log":            "the core emits typed trace events, never log lines",
	"log/slog":       "the core emits typed trace events, never log lines",
	"unsafe":         "the core must build and behave the same everywhere",
	"runtime":        "the core must not depend on the runtime",
	"path/filepath":  "I/O belongs to the caller",
	"embed":          "files belong to the caller",
	"testing/fstest": "files belong to the caller",
}

// forbiddenTimeCalls are the functions of package time that read or wait on a
// clock; time.Duration and its constants are allowed.
var forbiddenTimeCalls = map[string]bool{
	"Now": true, "Sleep": true, "After": true, "AfterFunc": true, "Tick": true,
	"NewTimer": true, "NewTicker": true, "Since": true, "Until": true,
}

func TestCoreIsPure(t *testing.T) {
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("found no Go files under core/")
	}
	fset := token.NewFileSet()
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, problem := range impurities(fset, f) {
			t.Errorf("%s: %s", path, problem)
		}
	}
}

// impurities lists what breaks the determinism contract in one file.
func impurities(fset *token.FileSet, f *ast.File) []string {
	var out []string
	timeName := ""
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if why, bad := forbiddenImports[p]; bad {
			out = append(out, fmt.Sprintf("%s: imports %q: %s", fset.Position(imp.Pos()), p, why))
		}
		if p == "time" {
			timeName = "time"
			if imp.Name != nil {
				timeName = imp.Name.Name
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			out = append(out, fmt.Sprintf("%s: starts a goroutine", fset.Position(n.Pos())))
		case *ast.ChanType:
			out = append(out, fmt.Sprintf("%s: uses a channel", fset.Position(n.Pos())))
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok && timeName != "" && id.Name == timeName && forbiddenTimeCalls[n.Sel.Name] {
				out = append(out, fmt.Sprintf("%s: reads the clock (time.%s)", fset.Position(n.Pos()), n.Sel.Name))
			}
			if id, ok := n.X.(*ast.Ident); ok && id.Name == "fmt" && strings.HasPrefix(n.Sel.Name, "Print") {
				out = append(out, fmt.Sprintf("%s: prints (fmt.%s)", fset.Position(n.Pos()), n.Sel.Name))
			}
		}
		return true
	})
	return out
}

// TestImpuritiesAreFound proves the checker can fail.
func TestImpuritiesAreFound(t *testing.T) {
	src := `package x
import ("os"; "time"; "fmt")
func f() { go g(); _ = time.Now(); var c chan int; _ = c; fmt.Println(os.Args) }
func g() {}`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := impurities(fset, f)
	if len(got) != 5 {
		t.Fatalf("want 5 impurities (os, goroutine, clock, channel, print), got %d: %v", len(got), got)
	}
}
