//go:build embedsite

package site

import (
	"embed"
	"io/fs"
)

// dist is the built site, compiled into the binary by `make build` and
// `make run` (go build -tags embedsite, after `make site`).
//
//go:embed all:dist
var dist embed.FS

// Built returns the site built into this binary.
func Built() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic("site.Built: " + err.Error())
	}
	return sub
}
