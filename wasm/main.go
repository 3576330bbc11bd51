//go:build js && wasm

// Command wasm is etcdlab in the browser: the simulated cluster of core/sim
// driven by a scenario (core/scenario), drawn by viz with Ebitengine, and
// reachable from the hosting page through globalThis.etcdlab (bridge.go;
// the contract is in README.md).
//
//	page (site/) --iframe.contentWindow.etcdlab.fn()--> bridge --> session
//	page <--postMessage {source:"etcdlab", kind:...}--- app       (wasm/session)
//	                               Ebitengine Update/Draw --> viz --> render
package main

import (
	"log"
	"strings"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/etcdlab/etcdlab/viz/render"
	"github.com/etcdlab/etcdlab/wasm/session"
)

// welcome is the scenario shown until the page loads another.
const welcome = `# Welcome to etcdlab: a simulated etcd cluster, running the real Raft code.
# Press n to run the next line of this scenario, Space to play, ? for help.
cluster 3 seed=7
run until leader
put x 1
crash leader
run until leader
put y 2
restart n1
run 2s
`

func main() {
	s := session.New(welcome)
	if hash := js.Global().Get("location").Get("hash").String(); strings.Contains(hash, "s=") {
		if err := s.Restore(hash); err != nil {
			log.Printf("etcdlab: could not restore the position in the URL: %v", err)
		}
	}
	r, err := render.New()
	if err != nil {
		log.Fatalf("etcdlab: fonts: %v", err)
	}
	a := &app{s: s, r: r}
	installBridge(a)
	post("ready", nil)

	ebiten.SetWindowTitle("etcdlab")
	ebiten.SetTPS(ticksPerSecond)
	ebiten.SetRunnableOnUnfocused(true)
	if err := ebiten.RunGame(a); err != nil {
		log.Fatalf("etcdlab: %v", err)
	}
}
