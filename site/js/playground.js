// playground.js — a free cluster. Every button is one scenario command
// (app.command), recorded in "your actions" so the session can be replayed
// or opened in the debugger; Copy link stores url() in the page's fragment
// and a visitor's page restores it with restore().
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  let app, controls, trace, nodesBody, selected = "";
  let script = [];

  function log(text) {
    script.push(text);
    $("actions").textContent = script.join("\n");
    $("actions").scrollTop = $("actions").scrollHeight;
    $("to-debugger").href = "debugger.html#scenario=" + encodeURIComponent(script.join("\n"));
    $("to-debugger").onclick = () => { try { $("to-debugger").href = "debugger.html" + app.url(); } catch (e) { /* keep the text link */ } };
  }

  function render(st) {
    controls.update(st);
    $("summary").textContent = window.Panels.summary(st);
    window.Panels.renderNodes(nodesBody, st, selected || controls.selected(), (id) => { controls.select(id); controls.openMenu(id); });
    trace.update(app);
  }
  function refresh() { try { const st = app.state(); if (st && typeof st === "object") render(st); } catch (e) { /* not ready */ } }

  function status(text, bad) {
    $("app-status").textContent = text;
    $("app-status").classList.toggle("error", !!bad);
  }

  async function start(size, seed, prevote) {
    const first = "cluster " + size + " seed=" + seed + (prevote ? "" : " prevote=off");
    controls.setPlaying(false);
    trace.reset();
    script = [];
    try {
      await app.runScript(first);
    } catch (e) { status(e.message, true); return; }
    log(first);
    controls.setPlaying(true, 1);
    status("A fresh cluster of " + size + ". Watch the first election, then break something.");
    refresh();
  }

  function nextNodeID() {
    const st = app.state();
    const n = (st.nodes || []).reduce((m, x) => Math.max(m, parseInt(x.id.slice(1), 10) || 0), 0);
    return "n" + (n + 1);
  }

  async function main() {
    const table = window.Panels.nodesTable();
    $("nodes").append(table);
    nodesBody = table.querySelector("tbody");
    trace = new window.Panels.Trace($("trace"));
    try { app = await window.EtcdlabApp.connect($("app")); } catch (e) { status(e.message, true); return; }
    controls = window.Controls.build($("toolbar"), app, {
      status: $("app-status"),
      onCommand: (text, res) => { if (!res || res.ok !== false) log(text); refresh(); },
      onStep: refresh,
      onSelect: (id) => { selected = id; refresh(); },
      onReseed: (seed) => { trace.reset(); const first = (script[0] || "cluster 5").replace(/\s*seed=\d+/, "") + " seed=" + seed; script = []; log(first); },
      frame: $("app"),
    });
    new window.Panels.Refresher(app, render);
    window.Controls.keys(Object.assign(window.Controls.standardKeys(controls), {
      ArrowLeft: () => controls.back(1), ArrowRight: () => controls.step(), "?": () => $("help").showModal(),
    }));
    $("help-open").addEventListener("click", () => $("help").showModal());

    $("new-cluster").addEventListener("submit", (ev) => {
      ev.preventDefault();
      start($("size").value, $("seed").value || "1", $("prevote").checked);
    });
    $("add-learner").addEventListener("click", () => controls.run("member add-learner " + nextNodeID()));
    $("promote").addEventListener("click", () => controls.selected() && controls.run("member promote " + controls.selected()));
    $("remove").addEventListener("click", () => controls.selected() && controls.run("member remove " + controls.selected()));
    $("partition-form").addEventListener("submit", (ev) => { ev.preventDefault(); controls.run("partition " + $("partition").value); });
    $("cut-form").addEventListener("submit", (ev) => { ev.preventDefault(); controls.run("cut " + $("cut").value); });
    $("share").addEventListener("click", async () => {
      let frag;
      try { frag = String(app.url()); } catch (e) { $("share-status").textContent = e.message; return; }
      if (!frag.startsWith("#")) frag = "#" + frag;
      history.replaceState(null, "", frag);
      try { await navigator.clipboard.writeText(location.href); $("share-status").textContent = "Copied."; }
      catch (e) { $("share-status").textContent = "The link is in the address bar."; }
    });

    if (location.hash.length > 1) {
      const r = app.restore(location.hash);
      if (r && r.ok === false) status("Could not restore the shared state: " + r.error, true);
      else { status("Restored the shared state. Press Play to continue."); refresh(); return; }
    }
    start(5, 1, true);
  }

  main();
})();
