package main

// `etcdlab lessons`: serve the web site (site/dist, built by `make site`):
// the lesson pages, the playground, the debugger, the wasm app under app/,
// and lessons.json. The site comes from --dir when that holds a built site,
// else from the copy built into this binary (make build / make run embed it;
// see site/noembed.go). If the site has no lessons.json, the catalog is
// generated from the lessons embedded in this binary (with the code of the
// anchors when run from the source tree). Without any built site, every page
// explains how to build it.

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing/fstest"
	"time"

	"github.com/spf13/cobra"

	"github.com/etcdlab/etcdlab/lessons"
	"github.com/etcdlab/etcdlab/site"
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
			root, from := siteRoot(dir)
			if root == nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "etcdlab lessons: %s has no built site and none is built into this binary; run `make site` first (serving a page that says so)\n", dir)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "etcdlab lessons: open http://%s/ (site: %s)\n", ln.Addr(), from)
			srv := &http.Server{Handler: lessonsHandler(root, dir), ReadHeaderTimeout: 10 * time.Second}
			return srv.Serve(ln)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8380", "address to serve on (port 0 picks a free one)")
	cmd.Flags().StringVar(&dir, "dir", "site/dist", "the built site (make site)")
	return cmd
}

// siteRoot picks the site to serve: dir if it holds a built site, else the
// site built into this binary, else nil. from says which, for the log.
func siteRoot(dir string) (root fs.FS, from string) {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err == nil {
		return os.DirFS(dir), dir
	}
	if built := site.Built(); built != nil {
		return built, "built into this binary"
	}
	return nil, "none"
}

// lessonsHandler serves the site root (nil: a page that says how to build
// it; dir names the folder it would be in), with /lessons.json falling back
// to the embedded lessons.
func lessonsHandler(root fs.FS, dir string) http.Handler {
	if root == nil {
		root = fstest.MapFS{}
	}
	files := http.FileServer(http.FS(root))
	mux := http.NewServeMux()
	mux.HandleFunc("/lessons.json", func(w http.ResponseWriter, r *http.Request) {
		if _, err := fs.Stat(root, "lessons.json"); err == nil {
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
		if _, err := fs.Stat(root, "index.html"); errors.Is(err, fs.ErrNotExist) {
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
