// debugger.js — load a scenario, run it a command or an event at a time,
// continue until a breakpoint condition holds (check() after every event),
// and inspect any node's full state from state(). debugger.html#scenario=TEXT
// opens with TEXT (the playground links here with its actions).
"use strict";

(function () {
  const { el } = window.Panels;
  const $ = (id) => document.getElementById(id);
  let app, trace, nodesBody, msgBody;
  let breakpoints = [];
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
    window.Panels.renderNodes(nodesBody, st, $("inspect").value, (id) => { $("inspect").value = id; inspect(st); });
    window.Panels.renderMessages(msgBody, st, 300);
    const ids = (st.nodes || []).map((n) => n.id);
    const sel = $("inspect");
    if (Array.from(sel.options).map((o) => o.value).join() !== ids.join()) {
      const keep = sel.value;
      sel.replaceChildren(...ids.map((id) => el("option", { value: id, text: id })));
      if (ids.includes(keep)) sel.value = keep;
    }
    inspect(st);
    trace.update(app);
  }
  function inspect(st) {
    const n = (st.nodes || []).find((x) => x.id === $("inspect").value);
    $("inspect-out").textContent = n ? JSON.stringify(n, null, 2) : "";
  }
  function refresh() { try { const st = app.state(); if (st && typeof st === "object") render(st); } catch (e) { /* not ready */ } }

  function load() {
    stop();
    const text = $("scenario").value;
    const r = app.load(text);
    $("transcript").textContent = "";
    trace.reset();
    if (!r || r.ok === false) { status((r && r.error) || "load failed", true); loadedLines = []; renderScript(); return false; }
    loadedLines = text.split("\n");
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

  function hitBreakpoint() {
    for (let i = 0; i < breakpoints.length; i++) {
      const r = app.check(breakpoints[i]);
      if (r && r.ok !== false && r.value === true) return i;
    }
    return -1;
  }

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
      for (let k = 0; k < 200 && n < limit; k++, n++) {
        const r = app.step();
        if (!r || r.ok === false) { running = false; status("Step failed: " + ((r && r.error) || "?"), true); refresh(); return; }
        const hit = hitBreakpoint();
        if (hit >= 0) {
          running = false;
          status("Breakpoint " + (hit + 1) + " holds after " + (n + 1) + " events: " + breakpoints[hit] + "  (" + r.time + "  " + r.event + ")");
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
      el("code", { text: b }),
      el("button", { type: "button", "aria-label": "Remove breakpoint " + b, text: "✕",
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
    const m = /scenario=([^&]*)/.exec(location.hash);
    if (m) $("scenario").value = decodeURIComponent(m[1]);
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
      breakpoints.push(c);
      $("bp").value = "";
      renderBreakpoints(-1);
    });

    try { app = await window.EtcdlabApp.connect($("app")); } catch (e) { status(e.message, true); return; }
    app.pause();
    new window.Panels.Refresher(app, render);
    $("load").addEventListener("click", load);
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
      else if (ev.key === ".") stepEvent();
      else if (ev.key === "c") cont();
    });
    load();
  }

  main();
})();
