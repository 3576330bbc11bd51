// controls.js — the cluster toolbar shared by the lesson page and the
// playground: time (play, pause, step, speed), actions on a node (crash,
// restart, isolate, transfer), heal, a put/get form and a command box.
// Every action is one scenario-language line sent with app.command(), so
// whatever the student does is recorded as scenario text.
"use strict";

(function () {
  const { el } = window.Panels;

  // build(container, app, opts) fills container; opts.onCommand(text,
  // result) hears every command; opts.extra adds page-specific groups.
  function build(container, app, opts) {
    opts = opts || {};
    let playing = false;
    let selected = "";
    const status = opts.status || { textContent: "" };

    const run = (text) => {
      let res;
      try { res = app.command(text); } catch (e) { res = { ok: false, error: String(e.message || e) }; }
      if (res && res.ok === false) {
        status.textContent = text + ": " + (res.error || "failed");
        status.classList && status.classList.add("error");
      } else {
        status.textContent = "> " + text + (res && res.output ? "  —  " + res.output.trim().split("\n").slice(-1)[0] : "") + (res && res.pending ? "  (waiting for the answer…)" : "");
        status.classList && status.classList.remove("error");
      }
      if (opts.onCommand) opts.onCommand(text, res);
      return res;
    };

    const speed = el("select", { id: "speed", "aria-label": "Speed" },
      ...[["0.05", "0.05×"], ["0.1", "0.1×"], ["0.25", "0.25×"], ["0.5", "0.5×"], ["1", "1×"], ["2", "2×"], ["5", "5×"]]
        .map(([v, t]) => el("option", { value: v, text: t })));
    speed.value = "0.25";
    const playBtn = el("button", { id: "play", type: "button", class: "primary", "aria-pressed": "false", text: "▶ Play",
      title: "Play / pause (p)", onclick: () => setPlaying(!playing) });
    function setPlaying(on, speedValue) {
      playing = on;
      if (speedValue) speed.value = String(speedValue);
      if (on) app.play(parseFloat(speed.value)); else app.pause();
      playBtn.textContent = on ? "❚❚ Pause" : "▶ Play";
      playBtn.setAttribute("aria-pressed", on ? "true" : "false");
    }
    speed.addEventListener("change", () => { if (playing) app.play(parseFloat(speed.value)); });
    const stepBtn = el("button", { id: "step-event", type: "button", text: "Step", title: "One simulator event (.)",
      onclick: () => {
        if (playing) setPlaying(false);
        const r = app.step();
        status.textContent = r && r.event ? r.time + "  " + r.event : (r && r.error) || "";
        if (opts.onStep) opts.onStep(r);
      } });

    const nodeSel = el("select", { id: "node", "aria-label": "Node" });
    nodeSel.addEventListener("change", () => select(nodeSel.value));
    function select(id) {
      selected = id;
      if (nodeSel.value !== id) nodeSel.value = id;
      try { app.selectNode(id); } catch (e) { /* the app may not support it yet */ }
      if (opts.onSelect) opts.onSelect(id);
    }
    const nodeBtn = (id, label, verb, cls) => el("button", { id, type: "button", class: cls || "", text: label,
      onclick: () => { if (nodeSel.value) run(verb + " " + nodeSel.value); } });

    const key = el("input", { id: "put-key", type: "text", value: "foo", "aria-label": "Key" });
    const value = el("input", { id: "put-value", type: "text", value: "bar", "aria-label": "Value" });
    const cmd = el("input", { id: "command", type: "text", placeholder: "any scenario command, e.g. deliver n2->n1 MsgApp",
      "aria-label": "Scenario command", autocomplete: "off", spellcheck: "false" });

    container.replaceChildren(
      el("div", { class: "group", role: "group", "aria-label": "Time" }, playBtn, speed, stepBtn),
      el("div", { class: "group", role: "group", "aria-label": "Node actions" },
        el("label", { for: "node", class: "label", text: "node" }), nodeSel,
        nodeBtn("crash", "Crash", "crash", "danger"), nodeBtn("restart", "Restart", "restart"),
        nodeBtn("isolate", "Isolate", "isolate"), nodeBtn("transfer", "Make leader", "transfer")),
      el("div", { class: "group", role: "group", "aria-label": "Cluster actions" },
        el("button", { id: "crash-leader", type: "button", class: "danger", text: "Crash leader", onclick: () => run("crash leader") }),
        el("button", { id: "heal", type: "button", text: "Heal", title: "Remove every partition and cut (h)", onclick: () => run("heal") })),
      el("form", { class: "group", "aria-label": "Client request", onsubmit: (ev) => { ev.preventDefault(); run("put " + key.value + " " + value.value); } },
        el("label", { for: "put-key", class: "label", text: "key" }), key,
        el("label", { for: "put-value", class: "label", text: "value" }), value,
        el("button", { id: "put", type: "submit", text: "Put" }),
        el("button", { id: "get", type: "button", text: "Get", onclick: () => run("get " + key.value) })),
      ...(opts.extra || []),
      el("form", { class: "command-box", style: "flex-basis:100%", onsubmit: (ev) => {
        ev.preventDefault();
        const t = cmd.value.trim();
        if (t) { run(t); cmd.select(); }
      } }, el("label", { for: "command", class: "label", text: "command" }), cmd, el("button", { type: "submit", text: "Run" })));

    // updateNodes keeps the node list in step with the cluster.
    function updateNodes(state) {
      const ids = (state.nodes || []).map((n) => n.id);
      const have = Array.from(nodeSel.options).map((o) => o.value);
      if (ids.join() !== have.join()) {
        nodeSel.replaceChildren(...ids.map((id) => el("option", { value: id, text: id })));
        if (ids.includes(selected)) nodeSel.value = selected;
        else if (state.leader) nodeSel.value = state.leader;
      }
      if (!selected && nodeSel.value) selected = nodeSel.value;
    }

    return { run, setPlaying, isPlaying: () => playing, select, updateNodes, selected: () => nodeSel.value, step: () => stepBtn.click() };
  }

  // keys wires the page-level shortcuts (not when typing in a field).
  function keys(handlers) {
    document.addEventListener("keydown", (ev) => {
      const t = ev.target;
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
      const f = handlers[ev.key];
      if (f) { ev.preventDefault(); f(ev); }
    });
  }

  window.Controls = { build, keys };
})();
