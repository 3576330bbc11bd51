package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestLessonsServerServesTheBuiltSite(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>etcdlab</h1>"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lessons.json"), []byte(`{"lessons":[]}`), 0o644))
	root, from := siteRoot(dir)
	require.Equal(t, dir, from, "a built site on disk is served from disk")
	h := lessonsHandler(root, dir)
	code, body := get(t, h, "/")
	require.Equal(t, 200, code)
	require.Contains(t, body, "etcdlab")
	code, body = get(t, h, "/lessons.json")
	require.Equal(t, 200, code)
	require.JSONEq(t, `{"lessons":[]}`, body)
	code, _ = get(t, h, "/missing.html")
	require.Equal(t, 404, code)
}

func TestLessonsServerWithoutABuiltSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nothing")
	root, _ := siteRoot(dir)
	h := lessonsHandler(root, dir)
	code, body := get(t, h, "/")
	if root != nil {
		t.Skip("this test binary has a site built in (-tags embedsite)")
	}
	require.Equal(t, 404, code)
	require.Contains(t, body, "make site")
	code, body = get(t, h, "/lessons.json")
	require.Equal(t, 200, code, body)
	var cat struct {
		Lessons []struct{ ID string } `json:"lessons"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &cat))
	require.GreaterOrEqual(t, len(cat.Lessons), 2)
	require.Equal(t, "01-leader-election", cat.Lessons[0].ID)
}

// The site built into the binary is an fs.FS: serve one from memory.
func TestLessonsServerServesAnEmbeddedSite(t *testing.T) {
	root := fstest.MapFS{
		"index.html":       {Data: []byte("<h1>built in</h1>")},
		"app/etcdlab.wasm": {Data: []byte("\x00asm")},
	}
	h := lessonsHandler(root, "site/dist")
	code, body := get(t, h, "/")
	require.Equal(t, 200, code)
	require.Contains(t, body, "built in")
	code, _ = get(t, h, "/app/etcdlab.wasm")
	require.Equal(t, 200, code)
	code, body = get(t, h, "/lessons.json")
	require.Equal(t, 200, code, "the catalog falls back to the embedded lessons")
	require.Contains(t, body, "01-leader-election")
}
