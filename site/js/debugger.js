// debugger.js — load a scenario, run it a command or an event at a time,
// step back (the app replays the record deterministically), continue until
// a breakpoint holds — one from the menu (the term changes, a node becomes
// leader, an entry commits, an invariant fails), checked on state() after
// every event, or a condition of the scenario language, checked with
// check() — and inspect any node's full state or any message in flight.
//
// The fragment opens a scenario:
//   #s=<base64url>&line=L   stopped before line L (a failing test prints this)
//   #s=...&j=...&step=N     the exact position of url() (restore())
//   #s=...&step=N           loaded, then N events carried out
//   #scenario=TEXT          TEXT (the playground's "your actions")
"use strict";

(function () {
  const { el } = window.Panels;
  const $ = (id) => document.getElementById(id);
  let app, trace, nodesBody, msgBody;
  // A breakpoint is {label, cond} (a scenario condition) or {label, kind}
  // (from the menu, compared with the state before the event).
  let breakpoints = [];
  let inspected = { node: "", message: 0 };
  let running = false;
  let loadedLines = [];
  let nextLine = 0;

  function status(text, bad) {
    $("app-status").textContent = text;
    $("app-status").classList.toggle("error", !!bad);
  }
  function out(text) {
    const t = $("transcript");
    t.textContent += text.endsWith("\n") ? text : text + "\n";
    t.scrollTop = t.scrollHeight;
  }

  function renderScript() {
    $("script-view").replaceChildren(...loadedLines.map((line, i) => el("li", {
      class: i + 1 === nextLine ? "current" : (nextLine === 0 || i + 1 < nextLine ? "done" : ""),
      "aria-current": i + 1 === nextLine ? "step" : null,
    }, el("span", { class: "ln", text: String(i + 1) }), line || " ")));
    const cur = $("script-view").querySelector(".current");
    if (cur) cur.scrollIntoView({ block: "nearest" });
  }

  function render(st) {
    $("summary").textContent = window.Panels.summary(st);
    // The rows outlive this state (they are rebuilt only when what they
    // show changes), so a click inspects the state of its own moment.
    window.Panels.renderNodes(nodesBody, st, $("inspect").value, (id) => { $("inspect").value = id; inspected.message = 0; refresh(); });
    window.Panels.renderMessages(msgBody, st, 300, (m) => { inspected.message = m.id; refresh(); }, inspected.message);
    const ids = (st.nodes || []).map((n) => n.id);
    const sel = $("inspect");
    if (Array.from(sel.options).map((o) => o.value).join() !== ids.join()) {
      const keep = sel.value;
      sel.replaceChildren(...ids.map((id) => el("option", { value: id, text: id })));
      if (ids.includes(keep)) sel.value = keep;
    }
    inspect(st);
    trace.update(app);
    renderTimeline();
    const t = app.transcript();
    if (typeof t === "string" && t !== $("transcript").dataset.text) {
      $("transcript").dataset.text = t;
      $("transcript").textContent = t;
      $("transcript").scrollTop = $("transcript").scrollHeight;
    }
  }
  // inspect shows the clicked message if it is still in flight, else the
  // chosen node: every field of state() for it, its log included.
  function inspect(st) {
    const m = (st.messages || []).find((x) => x.id === inspected.message);
    $("msg-actions").hidden = !m;
    if (m) { $("inspect-out").textContent = "message m" + m.id + "\n" + JSON.stringify(m, null, 2); return; }
    inspected.message = 0;
    const n = (st.nodes || []).find((x) => x.id === $("inspect").value);
    $("inspect-out").textContent = n ? JSON.stringify(n, null, 2) : "";
  }
  function renderTimeline() {
    if (scrubbing) return;
    const p = app.position();
    if (!p || typeof p !== "object") return;
    $("timeline").max = String(p.end);
    $("timeline").value = String(p.position);
    $("timeline-value").textContent = "move " + p.position + " / " + p.end + " · " + p.time;
  }
  let scrubbing = false;
  function refresh() { try { const st = app.state(); if (st && typeof st === "object") render(st); } catch (e) { /* not ready */ } }

  function load() {
    stop();
    const text = $("scenario").value;
    const r = app.load(text);
    $("transcript").textContent = "";
    $("transcript").dataset.text = "";
    trace.reset();
    if (!r || r.ok === false) { status((r && r.error) || "load failed", true); loadedLines = []; renderScript(); return false; }
    // A file's final newline ends its last line; it starts no line 10.
    loadedLines = text.replace(/\n$/, "").split("\n");
    // load() has already run the `cluster` line (and comments before it).
    nextLine = firstCommandLine(1);
    if (nextLine && /^\s*cluster\b/.test(loadedLines[nextLine - 1])) nextLine = firstCommandLine(nextLine + 1);
    renderScript();
    status("Loaded. Next command, Step event or Continue.");
    refresh();
    return true;
  }

  // firstCommandLine: the next line at or after n that holds a command.
  function firstCommandLine(n) {
    for (let i = n; i <= loadedLines.length; i++) {
      if (loadedLines[i - 1].replace(/#.*/, "").trim() !== "") return i;
    }
    return 0;
  }

  function nextCommand() {
    if (!loadedLines.length && !load()) return null;
    const r = app.next();
    if (!r) return null;
    out("> " + (r.command || "") + (r.output ? "\n" + r.output.replace(/^/gm, "  ") : ""));
    if (r.ok === false) { status("line " + r.line + ": " + r.error, true); out("  FAILED: " + r.error); }
    else status(r.done ? "The scenario ran to its end." : "Ran line " + r.line + ".");
    nextLine = r.done ? 0 : firstCommandLine((r.line || 0) + 1);
    renderScript();
    refresh();
    return r;
  }

  function stepEvent() {
    const r = app.step();
    if (r && r.ok !== false) status(r.time + "  " + r.event); else status((r && r.error) || "step failed", true);
    refresh();
    return r;
  }

  // hitBreakpoint: the first breakpoint that holds after an event; before
  // is the state before it (for the menu's breakpoints, which are changes).
  function hitBreakpoint(before, after) {
    for (let i = 0; i < breakpoints.length; i++) {
      const b = breakpoints[i];
      if (b.kind ? changed(b.kind, before, after) : holds(b.cond)) return i;
    }
    return -1;
  }
  function holds(cond) {
    const r = app.check(cond);
    return !!(r && r.ok !== false && r.value === true);
  }
  function changed(kind, a, b) {
    const by = (st) => Object.fromEntries((st.nodes || []).map((n) => [n.id, n]));
    const na = by(a), nb = by(b);
    switch (kind) {
      case "term": return a.term !== b.term;
      case "leader": return Object.keys(nb).some((id) => nb[id].role === "leader" && (!na[id] || na[id].role !== "leader"));
      case "commit": return Object.keys(nb).some((id) => na[id] && nb[id].up && nb[id].commit !== na[id].commit);
      case "invariant": return !!b.failed && b.failed !== a.failed;
    }
    return false;
  }
  const menuBreakpoints = { term: "the term changes", leader: "a node becomes leader", commit: "an entry commits (a node's commit index changes)", invariant: "an invariant fails" };

  // cont runs events in slices (to keep the page responsive) until a
  // breakpoint holds, the limit is reached, or Stop is pressed.
  function cont() {
    if (running) return;
    if (!breakpoints.length) { status("Add a breakpoint first: Continue stops when one holds.", true); return; }
    running = true;
    const limit = parseInt($("limit").value, 10) || 20000;
    let n = 0;
    renderBreakpoints(-1);
    const slice = () => {
      if (!running) { status("Stopped after " + n + " events."); refresh(); return; }
      const needState = breakpoints.some((b) => b.kind);
      let before = needState ? app.state() : null;
      for (let k = 0; k < 200 && n < limit; k++, n++) {
        const r = app.step();
        const after = needState ? app.state() : null;
        const hit = hitBreakpoint(before, after);
        before = after;
        if (hit < 0 && (!r || r.ok === false)) { running = false; status("Step failed: " + ((r && r.error) || "?"), true); refresh(); return; }
        if (hit >= 0) {
          running = false;
          status("Breakpoint " + (hit + 1) + " holds after " + (n + 1) + " events: " + breakpoints[hit].label + "  (" + r.time + "  " + r.event + ")");
          renderBreakpoints(hit);
          refresh();
          return;
        }
      }
      if (n >= limit) { running = false; status("No breakpoint held within " + limit + " events.", true); refresh(); return; }
      setTimeout(slice, 0);
    };
    slice();
  }
  function stop() { running = false; }

  async function runAll() {
    for (let i = 0; i < 10000; i++) {
      const r = nextCommand();
      if (!r || r.ok === false || r.done) return;
      if (i % 4 === 3) await new Promise((ok) => setTimeout(ok, 0));
    }
  }

  function renderBreakpoints(hit) {
    $("breakpoints").replaceChildren(...breakpoints.map((b, i) => el("li", { class: i === hit ? "hit" : "" },
      el("code", { text: b.label }),
      el("button", { type: "button", "aria-label": "Remove breakpoint " + b.label, text: "✕",
        onclick: () => { breakpoints.splice(i, 1); renderBreakpoints(-1); } }))));
  }

  async function fillExamples() {
    try {
      const cat = await (await fetch("lessons.json")).json();
      for (const l of cat.lessons) {
        const group = el("optgroup", { label: l.title });
        l.steps.forEach((s, i) => { if (s.script) group.append(el("option", { value: s.script, text: (i + 1) + ". " + s.title })); });
        $("examples").append(group);
      }
    } catch (e) { /* examples are optional */ }
  }

  async function main() {
    const table = window.Panels.nodesTable();
    $("nodes").append(table);
    nodesBody = table.querySelector("tbody");
    const mt = window.Panels.messagesTable();
    $("messages").append(mt);
    msgBody = mt.querySelector("tbody");
    trace = new window.Panels.Trace($("trace"));
    const frag = new URLSearchParams(location.hash.slice(1));
    const m = /scenario=([^&]*)/.exec(location.hash);
    if (m) $("scenario").value = decodeURIComponent(m[1]);
    if (frag.get("s") !== null) $("scenario").value = fromBase64URL(frag.get("s"));
    document.querySelectorAll(".bp-menu button").forEach((b) => b.addEventListener("click", () => {
      const kind = b.dataset.bp;
      if (breakpoints.some((x) => x.kind === kind)) return;
      breakpoints.push({ label: menuBreakpoints[kind], kind });
      renderBreakpoints(-1);
    }));
    fillExamples();
    $("examples").addEventListener("change", () => { if ($("examples").value) $("scenario").value = $("examples").value; });
    $("file").addEventListener("change", async () => { const f = $("file").files[0]; if (f) $("scenario").value = await f.text(); });
    $("bp-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const c = $("bp").value.trim();
      if (!c) return;
      if (app) {
        const r = app.check(c);
        if (r && r.ok === false) { status("Not a condition: " + r.error, true); return; }
      }
      breakpoints.push({ label: c, cond: c });
      $("bp").value = "";
      renderBreakpoints(-1);
    });

    try { app = await window.EtcdlabApp.connect($("app")); } catch (e) { status(e.message, true); return; }
    app.pause();
    new window.Panels.Refresher(app, render);
    $("load").addEventListener("click", load);
    $("back-ev").addEventListener("click", () => back(1));
    $("timeline").addEventListener("input", () => { scrubbing = true; $("timeline-value").textContent = "move " + $("timeline").value + " / " + $("timeline").max; });
    $("timeline").addEventListener("change", () => { scrubbing = false; seek(parseInt($("timeline").value, 10)); });
    $("inspect").addEventListener("change", () => { inspected.message = 0; refresh(); });
    $("drop-msg").addEventListener("click", () => messageAction("drop"));
    $("deliver-msg").addEventListener("click", () => messageAction("deliver"));
    $("next-cmd").addEventListener("click", nextCommand);
    $("step-ev").addEventListener("click", stepEvent);
    $("continue").addEventListener("click", cont);
    $("run-all").addEventListener("click", runAll);
    $("stop").addEventListener("click", stop);
    $("scenario").addEventListener("keydown", (ev) => { if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); load(); } });
    document.addEventListener("keydown", (ev) => {
      const t = ev.target;
      if (ev.key === "Escape") { stop(); return; }
      if (ev.ctrlKey || ev.metaKey || ev.altKey || (t && /INPUT|TEXTAREA|SELECT/.test(t.tagName))) return;
      if (ev.key === "n") nextCommand();
      else if (ev.key === "." || ev.key === "ArrowRight") stepEvent();
      else if (ev.key === "ArrowLeft" || ev.key === "Backspace") { ev.preventDefault(); back(1); }
      else if (ev.key === "c") cont();
    });
    load();
    openFragment(frag);
  }

  // openFragment carries out what the URL asks after the scenario loaded.
  function openFragment(frag) {
    if (frag.get("s") === null) return;
    if (frag.get("j") !== null || (frag.get("step") && frag.get("step") !== "0")) {
      const r = app.restore(location.hash);
      if (r && r.ok === false) status("Could not open the position in the URL: " + r.error, true);
      else status("Opened at move " + app.position().position + ". Step, go back, or Continue.");
      syncScriptView();
      refresh();
      return;
    }
    const line = parseInt(frag.get("line"), 10) || 0;
    for (let i = 0; line && i < 10000; i++) {
      const st = app.state();
      if (!st.next || st.next.line >= line) break;
      const r = nextCommand();
      if (!r || r.done || (r.ok === false && !r.command)) break;
    }
    if (line) status("Stopped before line " + line + ", where the test failed: step through it with . or Next command.");
  }

  // syncScriptView highlights the next command after a jump in time.
  function syncScriptView() {
    const st = app.state();
    nextLine = st && st.next ? st.next.line : 0;
    renderScript();
  }

  function back(n) {
    stop();
    const r = app.back(n);
    if (r && r.ok === false) status(r.error, true);
    else status("Back to move " + app.position().position + ".");
    syncScriptView();
    refresh();
  }
  function seek(pos) {
    stop();
    const r = app.seek(pos);
    if (r && r.ok === false) status(r.error, true);
    syncScriptView();
    refresh();
  }
  function messageAction(verb) {
    const id = inspected.message;
    if (!id) return;
    const r = verb === "drop" ? app.dropMessage(id) : app.deliverMessage(id);
    status(r && r.ok === false ? r.error : "> " + r.command + (r.output ? "  —  " + r.output : ""), r && r.ok === false);
    inspected.message = 0;
    refresh();
  }
  function fromBase64URL(s) {
    const b = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
    return new TextDecoder().decode(Uint8Array.from(b, (ch) => ch.charCodeAt(0)));
  }

  main();
})();
