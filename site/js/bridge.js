// bridge.js — talks to the etcdlab wasm app inside an <iframe>.
//
// The app (app/app.html) defines globalThis.etcdlab in the iframe's window
// and posts {source:"etcdlab", kind:"ready"|"changed"|"error"|"link"} to its
// parent ("link" with from and to: a link was clicked on the canvas, on the
// lane from -> to).
// Every bridge function returns at once; values are JSON strings or plain
// strings. This file wraps that contract for the pages:
//
//   const app = await EtcdlabApp.connect(iframe);   // waits for "ready"
//   app.load(text); app.next(); app.command("crash n1"); app.check("leader");
//   app.onChanged(fn);                               // throttled by the app
//
// It also records timings for the browser test and for curious users:
// window.etcdlabTimings = {ready, firstFrame} in ms since navigation start.
"use strict";

(function () {
  const timings = (window.etcdlabTimings = window.etcdlabTimings || {});

  function parse(v) {
    if (typeof v !== "string") return v;
    const s = v.trim();
    if (s.startsWith("{") || s.startsWith("[")) {
      try { return JSON.parse(s); } catch (e) { return v; }
    }
    return v;
  }

  class EtcdlabApp {
    constructor(iframe) {
      this.iframe = iframe;
      this.listeners = { changed: [], error: [], link: [] };
      window.addEventListener("message", (ev) => {
        const d = ev.data;
        if (!d || d.source !== "etcdlab" || ev.source !== iframe.contentWindow) return;
        if (d.kind === "changed") this.listeners.changed.forEach((f) => f(d));
        if (d.kind === "error") this.listeners.error.forEach((f) => f(d));
        if (d.kind === "link") this.listeners.link.forEach((f) => f(d));
      });
    }

    // connect resolves once the app in iframe has said "ready" (or its
    // bridge object exists, in case the message came before we listened).
    static connect(iframe, timeoutMs) {
      return new Promise((resolve, reject) => {
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          clearInterval(poll);
          clearTimeout(timer);
          timings.ready = performance.now();
          EtcdlabApp.markFirstFrame(iframe);
          resolve(new EtcdlabApp(iframe));
        };
        window.addEventListener("message", (ev) => {
          const d = ev.data;
          if (d && d.source === "etcdlab" && d.kind === "ready" && ev.source === iframe.contentWindow) finish();
        });
        const poll = setInterval(() => {
          try {
            const w = iframe.contentWindow;
            if (w && w.etcdlab && typeof w.etcdlab.state === "function") finish();
          } catch (e) { /* not loaded yet */ }
        }, 100);
        const timer = setTimeout(() => {
          if (done) return;
          clearInterval(poll);
          reject(new Error("the simulator did not start within " + Math.round((timeoutMs || 60000) / 1000) + " s (is site/dist/app built? run `make site`)"));
        }, timeoutMs || 60000);
      });
    }

    // markFirstFrame records the first animation frame the iframe renders
    // after the app is ready: Ebitengine draws in requestAnimationFrame, so
    // the second frame after "ready" is the first that shows the cluster.
    static markFirstFrame(iframe) {
      const w = iframe.contentWindow;
      if (!w || !w.requestAnimationFrame) return;
      w.requestAnimationFrame(() => w.requestAnimationFrame(() => {
        if (timings.firstFrame === undefined) timings.firstFrame = performance.now();
      }));
    }

    get api() {
      const api = this.iframe.contentWindow && this.iframe.contentWindow.etcdlab;
      if (!api) throw new Error("the simulator is not loaded");
      return api;
    }

    call(name, ...args) {
      const fn = this.api[name];
      if (typeof fn !== "function") throw new Error("the simulator has no " + name + "()");
      return parse(fn.apply(this.api, args));
    }

    load(text) { return this.call("load", text); }
    next() { return this.call("next"); }
    step() { return this.call("step"); }
    play(speed) { return this.call("play", speed); }
    pause() { return this.call("pause"); }
    command(text) { return this.call("command", text); }
    check(cond) { return this.call("check", cond); }
    state() { return this.call("state"); }
    trace(after) { return this.call("trace", after || 0); }
    selectNode(id) { return this.call("selectNode", id); }
    setView(opts) { return this.call("setView", JSON.stringify(opts)); }
    url() { return this.call("url"); }
    restore(fragment) { return this.call("restore", fragment); }
    transcript() { return this.call("transcript"); }
    // the timeline: positions count moves (a command or an event) since load
    back(n) { return this.call("back", n === undefined ? 1 : n); }
    seek(pos) { return this.call("seek", pos); }
    position() { return this.call("position"); }
    setSeed(seed) { return this.call("setSeed", seed); }
    dropMessage(id) { return this.call("dropMessage", id); }
    deliverMessage(id) { return this.call("deliverMessage", id); }
    // linkPoint: where the lane from -> to is drawn, {ok,x,y,width,height}
    // in the canvas's own pixels
    linkPoint(from, to) { return this.call("linkPoint", from, to); }

    onChanged(f) { this.listeners.changed.push(f); }
    onError(f) { this.listeners.error.push(f); }
    onLink(f) { this.listeners.link.push(f); }

    // checkAll reports whether every condition holds; errors count as false
    // and are returned so the page can show them.
    checkAll(conds) {
      const errors = [];
      let all = true;
      for (const c of conds) {
        const r = this.check(c);
        if (!r || r.ok === false) { all = false; errors.push(c + ": " + (r && r.error)); continue; }
        if (r.value !== true) all = false;
      }
      return { done: all, errors };
    }

    // runScript loads text and runs every command, yielding to the browser
    // between commands so the page stays responsive. It resolves with the
    // list of next() results, or rejects with the first error.
    async runScript(text, onResult) {
      const r = this.load(text);
      if (!r || r.ok === false) throw new Error((r && r.error) || "load failed");
      const results = [];
      for (let i = 0; i < 10000; i++) {
        const res = this.next();
        if (!res || typeof res !== "object") break;
        // load() already built the cluster: a script of only a `cluster`
        // line has no command left, which is not an error.
        if (res.ok === false && res.done && !res.command) break;
        results.push(res);
        if (onResult) onResult(res);
        if (res.ok === false) throw new Error(res.error || "scenario failed at line " + res.line);
        if (res.done) break;
        if (i % 8 === 7) await new Promise((ok) => setTimeout(ok, 0));
      }
      return results;
    }
  }

  window.EtcdlabApp = EtcdlabApp;
})();
