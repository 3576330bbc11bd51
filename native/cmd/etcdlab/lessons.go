package main

// `etcdlab lessons`: serve the web site (site/dist, built by `make site`):
// the lesson pages, the playground, the debugger, the wasm app under app/,
// and lessons.json. If the built site has no lessons.json, the catalog is
// generated from the lessons embedded in this binary (with the code of the
// anchors when run from the source tree). Without a built site, every page
// explains how to build it.

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/etcdlab/etcdlab/lessons"
)

func newLessonsCommand() *cobra.Command {
	var listen, dir string
	cmd := &cobra.Command{
		Use:   "lessons",
		Short: "Serve the lessons, the playground and the debugger in the browser",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("lessons: cannot listen on %s: %w (choose another address with --listen)", listen, err)
			}
			if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "etcdlab lessons: %s has no built site; run `make site` first (serving a page that says so)\n", dir)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "etcdlab lessons: open http://%s/\n", ln.Addr())
			srv := &http.Server{Handler: lessonsHandler(dir), ReadHeaderTimeout: 10 * time.Second}
			return srv.Serve(ln)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8380", "address to serve on (port 0 picks a free one)")
	cmd.Flags().StringVar(&dir, "dir", "site/dist", "the built site (make site)")
	return cmd
}

// lessonsHandler serves dir, with /lessons.json falling back to the
// embedded lessons.
func lessonsHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	mux := http.NewServeMux()
	mux.HandleFunc("/lessons.json", func(w http.ResponseWriter, r *http.Request) {
		if _, err := os.Stat(filepath.Join(dir, "lessons.json")); err == nil {
			noCache(files).ServeHTTP(w, r)
			return
		}
		data, err := embeddedCatalog()
		if err != nil {
			http.Error(w, "lessons: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(data)
	})
	mux.Handle("/", noCache(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := os.Stat(filepath.Join(dir, "index.html")); errors.Is(err, fs.ErrNotExist) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, notBuiltPage, dir)
			return
		}
		files.ServeHTTP(w, r)
	})))
	return mux
}

// embeddedCatalog is the JSON of the embedded lessons; run from the module
// root, the anchors also carry their code.
func embeddedCatalog() ([]byte, error) {
	if _, err := os.Stat("go.mod"); err == nil {
		if data, err := lessons.JSON(os.DirFS(".")); err == nil {
			return data, nil
		}
	}
	return lessons.JSON(nil)
}

// noCache makes the browser revalidate, so a rebuilt site shows at once.
func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

const notBuiltPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>etcdlab: site not built</title>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>The site is not built yet</h1>
<p>There is no <code>index.html</code> in <code>%s</code>. From the repository root, run</p>
<pre>make site</pre>
<p>(it builds the WebAssembly app and copies the pages), then reload this page.
The lesson catalog is already served at <a href="/lessons.json">/lessons.json</a>.</p>
</body></html>
`
