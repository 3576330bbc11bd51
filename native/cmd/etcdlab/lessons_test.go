package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

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
	h := lessonsHandler(dir)
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
	h := lessonsHandler(filepath.Join(t.TempDir(), "nothing"))
	code, body := get(t, h, "/")
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
