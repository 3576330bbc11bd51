//go:build js && wasm

package main

// The JS bridge: globalThis.etcdlab, the functions the hosting page calls
// (README.md has the contract), and postMessage to the parent window.
// Every function returns at once; values are strings of JSON, strings,
// numbers or booleans.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"syscall/js"

	"github.com/etcdlab/etcdlab/wasm/session"
)

// message is one notification for the parent page.
type message struct {
	kind   string
	fields map[string]any
}

// post sends {source:"etcdlab", kind, ...fields} to the parent window.
func post(kind string, fields map[string]any) {
	obj := map[string]any{"source": "etcdlab", "kind": kind}
	for k, v := range fields {
		obj[k] = v
	}
	win := js.Global().Get("window")
	parent := win.Get("parent")
	if parent.IsUndefined() || parent.IsNull() {
		return
	}
	origin := win.Get("location").Get("origin").String()
	if origin == "null" || origin == "" {
		origin = "*"
	}
	parent.Call("postMessage", js.ValueOf(obj), origin)
}

func nodeName(id uint64) string { return "n" + strconv.FormatUint(id, 10) }

// toJSON encodes v; the bridge's types always encode.
func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("main.toJSON: " + err.Error())
	}
	return string(b)
}

func okJSON(err error) string {
	if err != nil {
		return toJSON(map[string]any{"ok": false, "error": err.Error()})
	}
	return `{"ok":true}`
}

func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

func argString(args []js.Value, i int) string {
	v := arg(args, i)
	if v.Type() != js.TypeString {
		if v.IsUndefined() || v.IsNull() {
			return ""
		}
		return v.String()
	}
	return v.String()
}

func argFloat(args []js.Value, i int) float64 {
	v := arg(args, i)
	switch v.Type() {
	case js.TypeNumber:
		return v.Float()
	case js.TypeString:
		f, _ := strconv.ParseFloat(v.String(), 64)
		return f
	}
	return 0
}

// installBridge defines globalThis.etcdlab.
func installBridge(a *app) {
	fns := map[string]func(s *session.Session, args []js.Value) any{
		"load":       func(s *session.Session, args []js.Value) any { return okJSON(s.Load(argString(args, 0))) },
		"next":       func(s *session.Session, args []js.Value) any { return toJSON(s.Next()) },
		"step":       func(s *session.Session, args []js.Value) any { return toJSON(s.Step()) },
		"play":       func(s *session.Session, args []js.Value) any { s.Play(argFloat(args, 0)); return "ok" },
		"pause":      func(s *session.Session, args []js.Value) any { s.Pause(); return "ok" },
		"command":    func(s *session.Session, args []js.Value) any { return toJSON(s.Command(argString(args, 0))) },
		"check":      check,
		"state":      func(s *session.Session, args []js.Value) any { return toJSON(s.StateView()) },
		"trace":      trace,
		"selectNode": func(s *session.Session, args []js.Value) any { s.Select(argString(args, 0)); return "ok" },
		"setView":    setView,
		"url":        func(s *session.Session, args []js.Value) any { return s.URL() },
		"restore":    func(s *session.Session, args []js.Value) any { return okJSON(s.Restore(argString(args, 0))) },
		"runScript":  func(s *session.Session, args []js.Value) any { s.RunScript(); return "ok" },
		"transcript": func(s *session.Session, args []js.Value) any { return s.Runner().Transcript() },
		// the timeline (wasm/session/timeline.go) and the page's controls
		"back":     func(s *session.Session, args []js.Value) any { return okJSON(s.Back(int(argFloat(args, 0)))) },
		"seek":     func(s *session.Session, args []js.Value) any { return okJSON(s.Seek(int(argFloat(args, 0)))) },
		"position": func(s *session.Session, args []js.Value) any { return toJSON(s.PositionView()) },
		"setSeed":  setSeed,
		"dropMessage": func(s *session.Session, args []js.Value) any {
			return toJSON(s.DropMessage(uint64(argFloat(args, 0))))
		},
		"deliverMessage": func(s *session.Session, args []js.Value) any {
			return toJSON(s.DeliverMessage(uint64(argFloat(args, 0))))
		},
		"linkPoint": func(s *session.Session, args []js.Value) any { return linkPoint(a, args) },
	}
	obj := js.Global().Get("Object").New()
	for name, fn := range fns {
		obj.Set(name, js.FuncOf(guard(a, name, fn)))
	}
	js.Global().Set("etcdlab", obj)
}

// guard serialises a call with the frame loop and turns a panic into an
// error answer (and an "error" notification) instead of killing the app.
func guard(a *app, name string, fn func(*session.Session, []js.Value) any) func(js.Value, []js.Value) any {
	return func(_ js.Value, args []js.Value) (out any) {
		a.mu.Lock()
		failed := ""
		func() {
			defer func() {
				if p := recover(); p != nil {
					failed = fmt.Sprintf("etcdlab.%s: internal error: %v", name, p)
				}
			}()
			out = fn(a.s, args)
		}()
		a.mu.Unlock()
		if failed != "" {
			post("error", map[string]any{"error": failed})
			return toJSON(map[string]any{"ok": false, "error": failed})
		}
		return out
	}
}

func check(s *session.Session, args []js.Value) any {
	ok, err := s.Check(argString(args, 0))
	if err != nil {
		return okJSON(err)
	}
	return toJSON(map[string]any{"ok": true, "value": ok})
}

func trace(s *session.Session, args []js.Value) any {
	after := argFloat(args, 0)
	if after < 0 {
		after = 0
	}
	return toJSON(s.Trace(uint64(after)))
}

func setView(s *session.Session, args []js.Value) any {
	if err := s.SetView(argString(args, 0)); err != nil {
		return okJSON(err)
	}
	return "ok"
}

func setSeed(s *session.Session, args []js.Value) any {
	seed := argFloat(args, 0)
	if seed < 0 || seed != float64(uint64(seed)) {
		return okJSON(fmt.Errorf("setSeed: want a whole number >= 0, not %v", seed))
	}
	return okJSON(s.SetSeed(uint64(seed)))
}

// linkPoint answers where the lane from -> to is drawn on the last frame:
// {"ok":true,"x","y","width","height"} in the scene's pixels (the canvas's
// backing store: divide by width / canvas.clientWidth for CSS pixels).
func linkPoint(a *app, args []js.Value) any {
	if a.scene == nil {
		return okJSON(fmt.Errorf("linkPoint: nothing drawn yet"))
	}
	from, okF := session.ParseNode(argString(args, 0))
	to, okT := session.ParseNode(argString(args, 1))
	p, ok := a.scene.LinkPoint(from, to)
	if !okF || !okT || !ok {
		return okJSON(fmt.Errorf("linkPoint(%q, %q): want two different nodes of the picture, e.g. linkPoint(\"n1\", \"n2\")", argString(args, 0), argString(args, 1)))
	}
	return toJSON(map[string]any{"ok": true, "x": p.X, "y": p.Y, "width": a.scene.Width, "height": a.scene.Height})
}
