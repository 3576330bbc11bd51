// Command lessons-json writes the lesson catalog the web pages read:
//
//	go run ./lessons/cmd/lessons-json site/dist/lessons.json
//
// Run from the module root (as `make site` does): every code anchor is
// resolved against the source tree and carries its code into the JSON, so
// the lesson page can show the function a step is about.
package main

import (
	"fmt"
	"os"

	"github.com/etcdlab/etcdlab/lessons"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: lessons-json OUTPUT.json   (run from the module root)")
		os.Exit(2)
	}
	if _, err := os.Stat("go.mod"); err != nil {
		fmt.Fprintln(os.Stderr, "lessons-json: run me from the module root (no go.mod here): anchors are resolved against the source tree")
		os.Exit(2)
	}
	data, err := lessons.JSON(os.DirFS("."))
	if err != nil {
		fmt.Fprintln(os.Stderr, "lessons-json:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[1], append(data, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "lessons-json:", err)
		os.Exit(1)
	}
}
