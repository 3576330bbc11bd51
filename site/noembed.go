//go:build !embedsite

// Package site holds the web site around the canvas: the pages, styles and
// scripts in this folder, built with the wasm app and lessons.json into
// site/dist by `make site`. A binary built with the tag embedsite (as
// `make build` and `make run` do, after `make site`) carries site/dist
// inside, so `etcdlab lessons` needs no files beside it; a plain `go build`
// works on a fresh clone, before anything is built, and serves from disk.
package site

import "io/fs"

// Built returns the site built into this binary, or nil: this binary was
// built without the embedsite tag.
func Built() fs.FS { return nil }
