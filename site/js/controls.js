// controls.js — the cluster toolbar shared by the lesson page and the
// playground: time (play, pause, step, step back, a speed slider from
// 0.05× to 100×, a timeline to scrub, the seed), a client box (put, get,
// delete through any node), the selected message (drop, deliver now) and a
// command box; plus the action menu that opens when a node is clicked on
// the canvas (crash, restart, force a timeout, make leader, isolate, and
// cut or heal its links) and the one that opens when a link is clicked
// (cut the clicked direction, the other, both; heal). Every action on the cluster is one scenario line
// sent with app.command(), so whatever the student does is recorded as
// scenario text and travels in the shared URL. Moving on the timeline
// replays that record deterministically (wasm/session/timeline.go).
"use strict";

(function () {
  const { el } = window.Panels;

  // The speed slider is logarithmic: 0..1000 maps to 0.05×..100×.
  const MIN_SPEED = 0.05, MAX_SPEED = 100;
  const toSpeed = (v) => MIN_SPEED * Math.pow(MAX_SPEED / MIN_SPEED, v / 1000);
  const fromSpeed = (s) => Math.round(1000 * Math.log(s / MIN_SPEED) / Math.log(MAX_SPEED / MIN_SPEED));
  const fmtSpeed = (s) => (s >= 10 ? Math.round(s) : s >= 1 ? s.toFixed(1).replace(/\.0$/, "") : s.toFixed(2)) + "×";

  // build(container, app, opts) fills container; opts.onCommand(text,
  // result) hears every command; opts.extra adds page-specific groups.
  function build(container, app, opts) {
    opts = opts || {};
    const status = opts.status || { textContent: "" };
    const c = { app, opts, status, playing: false, selected: "", message: 0, state: null };

    c.run = (text) => runCommand(c, text);
    const time = timeGroup(c);
    const client = clientBox(c);
    const message = messageGroup(c);
    const cmd = el("input", { id: "command", type: "text", placeholder: "any scenario command, e.g. deliver n2->n1 MsgApp",
      "aria-label": "Scenario command", autocomplete: "off", spellcheck: "false" });
    const cluster = el("div", { class: "group", role: "group", "aria-label": "Cluster actions" },
      el("button", { id: "crash-leader", type: "button", class: "danger", text: "Crash leader", onclick: () => c.run("crash leader") }),
      el("button", { id: "heal", type: "button", text: "Heal", title: "Remove every partition and cut (h)", onclick: () => c.run("heal") }));
    container.replaceChildren(time, timelineGroup(c), cluster, client, message, ...(opts.extra || []),
      el("form", { class: "command-box", style: "flex-basis:100%", onsubmit: (ev) => {
        ev.preventDefault();
        const t = cmd.value.trim();
        if (t) { c.run(t); cmd.select(); }
      } }, el("label", { for: "command", class: "label", text: "command" }), cmd, el("button", { type: "submit", text: "Run" })));
    c.menu = nodeMenu(c);
    watchCanvas(c);
    if (app.onLink) app.onLink((d) => openLinkMenu(c, d.from, d.to));

    return {
      run: c.run, setPlaying: (on, speed) => setPlaying(c, on, speed), isPlaying: () => c.playing,
      select: (id) => select(c, id), updateNodes: (st) => update(c, st), update: (st) => update(c, st),
      selected: () => c.selected, step: () => step(c), back: (n) => back(c, n),
      selectMessage: (id) => selectMessage(c, id), dropMessage: () => messageAction(c, "drop"),
      deliverMessage: () => messageAction(c, "deliver"), openMenu: (id) => openMenu(c, id),
      openLinkMenu: (from, to) => openLinkMenu(c, from, to),
      speedUp: () => setSpeed(c, c.speed * 2), slowDown: () => setSpeed(c, c.speed / 2),
      menuAction: (verb) => c.selected && c.run(verb + " " + c.selected),
    };
  }

  function runCommand(c, text) {
    let res;
    try { res = c.app.command(text); } catch (e) { res = { ok: false, error: String(e.message || e) }; }
    if (res && res.ok === false) {
      c.status.textContent = text + ": " + (res.error || "failed");
      c.status.classList && c.status.classList.add("error");
    } else {
      c.status.textContent = "> " + text + (res && res.output ? "  —  " + res.output.trim().split("\n").slice(-1)[0] : "") + (res && res.pending ? "  (waiting for the answer…)" : "");
      c.status.classList && c.status.classList.remove("error");
    }
    if (c.opts.onCommand) c.opts.onCommand(text, res);
    return res;
  }

  // timeGroup: play/pause, step back, step, the speed slider.
  function timeGroup(c) {
    c.speed = 0.25;
    c.playBtn = el("button", { id: "play", type: "button", class: "primary", "aria-pressed": "false", text: "▶ Play",
      title: "Play / pause (p)", onclick: () => setPlaying(c, !c.playing) });
    c.speedIn = el("input", { id: "speed", type: "range", min: "0", max: "1000", value: String(fromSpeed(c.speed)),
      "aria-label": "Speed", title: "Speed, 0.05× to 100× (+ and -)",
      oninput: () => setSpeed(c, toSpeed(parseFloat(c.speedIn.value))) });
    c.speedOut = el("output", { id: "speed-value", for: "speed", text: fmtSpeed(c.speed) });
    return el("div", { class: "group", role: "group", "aria-label": "Time" }, c.playBtn,
      el("button", { id: "step-back", type: "button", text: "◀ Back", title: "One move back (← or Backspace)", onclick: () => back(c, 1) }),
      el("button", { id: "step-event", type: "button", text: "Step ▶", title: "One simulator event (.)", onclick: () => step(c) }),
      el("label", { for: "speed", class: "label", text: "speed" }), c.speedIn, c.speedOut);
  }

  function setSpeed(c, s) {
    c.speed = Math.min(MAX_SPEED, Math.max(MIN_SPEED, s));
    c.speedIn.value = String(fromSpeed(c.speed));
    c.speedOut.textContent = fmtSpeed(c.speed);
    c.app.setView({ speed: c.speed });
    if (c.playing) c.app.play(c.speed);
  }

  function setPlaying(c, on, speed) {
    c.playing = on;
    if (speed) setSpeed(c, parseFloat(speed));
    if (on) c.app.play(c.speed); else c.app.pause();
    c.playBtn.textContent = on ? "❚❚ Pause" : "▶ Play";
    c.playBtn.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function step(c) {
    if (c.playing) setPlaying(c, false);
    const r = c.app.step();
    c.status.textContent = r && r.event ? r.time + "  " + r.event : (r && r.error) || "";
    if (c.opts.onStep) c.opts.onStep(r);
  }

  function back(c, n) {
    if (c.playing) setPlaying(c, false);
    const r = c.app.back(n || 1);
    if (r && r.ok === false) c.status.textContent = r.error;
    else { const p = c.app.position(); c.status.textContent = "Back to move " + p.position + " of " + p.end + " (" + p.time + ")"; }
    if (c.opts.onStep) c.opts.onStep(r);
  }

  // timelineGroup: a scrubbable range over the recorded moves, and the seed.
  function timelineGroup(c) {
    c.timeline = el("input", { id: "timeline", type: "range", min: "0", max: "0", value: "0", "aria-label": "Timeline: moves since the start",
      oninput: () => { c.scrubbing = true; c.timeOut.textContent = "move " + c.timeline.value + " / " + c.timeline.max; },
      onchange: () => { c.scrubbing = false; seek(c, parseInt(c.timeline.value, 10)); } });
    c.timeOut = el("output", { id: "timeline-value", for: "timeline", text: "" });
    c.seedIn = el("input", { id: "seed-input", type: "number", min: "0", style: "width:5.5em", "aria-label": "Seed" });
    return el("div", { class: "group timeline", role: "group", "aria-label": "Timeline" },
      el("label", { for: "timeline", class: "label", text: "timeline" }), c.timeline, c.timeOut,
      el("form", { class: "group", onsubmit: (ev) => { ev.preventDefault(); reseed(c); } },
        el("label", { for: "seed-input", class: "label", text: "seed" }), c.seedIn,
        el("button", { id: "reseed", type: "submit", text: "Reload", title: "Run the scenario again from the start with this seed" })));
  }

  function seek(c, pos) {
    if (c.playing) setPlaying(c, false);
    const r = c.app.seek(pos);
    if (r && r.ok === false) c.status.textContent = r.error;
    if (c.opts.onStep) c.opts.onStep(r);
  }

  function reseed(c) {
    const r = c.app.setSeed(parseInt(c.seedIn.value, 10) || 0);
    c.status.textContent = r && r.ok === false ? r.error : "Reloaded with seed " + c.seedIn.value + ".";
    c.seedShown = -1;
    if (c.opts.onReseed) c.opts.onReseed(parseInt(c.seedIn.value, 10));
    if (c.opts.onStep) c.opts.onStep(r);
  }

  // clientBox: put / get / delete KEY [VALUE] through a node (or the leader).
  function clientBox(c) {
    const key = el("input", { id: "put-key", type: "text", value: "foo", "aria-label": "Key", style: "width:5em" });
    const value = el("input", { id: "put-value", type: "text", value: "bar", "aria-label": "Value", style: "width:5em" });
    c.via = el("select", { id: "via", "aria-label": "Send to node" }, el("option", { value: "", text: "leader" }));
    const via = () => (c.via.value ? " via " + c.via.value : "");
    return el("form", { class: "group", "aria-label": "Client request", onsubmit: (ev) => { ev.preventDefault(); c.run("put " + key.value + " " + value.value + via()); } },
      el("label", { for: "put-key", class: "label", text: "key" }), key,
      el("label", { for: "put-value", class: "label", text: "value" }), value,
      el("label", { for: "via", class: "label", text: "to" }), c.via,
      el("button", { id: "put", type: "submit", text: "Put" }),
      el("button", { id: "get", type: "button", text: "Get", onclick: () => c.run("get " + key.value + via()) }),
      el("button", { id: "delete", type: "button", text: "Delete", onclick: () => c.run("delete " + key.value + via()) }));
  }

  // messageGroup: pick a message in flight, drop it or deliver it now.
  function messageGroup(c) {
    c.msgSel = el("select", { id: "message", "aria-label": "Message in flight", onchange: () => selectMessage(c, parseInt(c.msgSel.value, 10) || 0) });
    return el("div", { class: "group", role: "group", "aria-label": "Message in flight" },
      el("label", { for: "message", class: "label", text: "message" }), c.msgSel,
      el("button", { id: "drop-msg", type: "button", text: "Drop", title: "Lose this message (x)", onclick: () => messageAction(c, "drop") }),
      el("button", { id: "deliver-msg", type: "button", text: "Deliver now", title: "Deliver this message now (d)", onclick: () => messageAction(c, "deliver") }));
  }

  function selectMessage(c, id) {
    c.message = id;
    if (c.msgSel.value !== String(id)) c.msgSel.value = String(id);
  }

  function messageAction(c, verb) {
    const id = c.message || parseInt(c.msgSel.value, 10);
    if (!id) { c.status.textContent = "No message selected: pick one in flight first."; return; }
    const res = verb === "drop" ? c.app.dropMessage(id) : c.app.deliverMessage(id);
    c.status.textContent = res && res.ok === false ? res.error : "> " + res.command + (res.output ? "  —  " + res.output : "");
    if (res && res.ok !== false && c.opts.onCommand) c.opts.onCommand(res.command, res);
    c.message = 0;
  }

  function select(c, id) {
    c.selected = id;
    try { c.app.selectNode(id); } catch (e) { /* the app may not support it yet */ }
    if (c.opts.onSelect) c.opts.onSelect(id);
  }

  // update keeps the controls in step with state().
  function update(c, st) {
    c.state = st;
    const ids = (st.nodes || []).map((n) => n.id);
    const have = Array.from(c.via.options).slice(1).map((o) => o.value);
    if (ids.join() !== have.join()) {
      const keep = c.via.value;
      c.via.replaceChildren(el("option", { value: "", text: "leader" }), ...ids.map((id) => el("option", { value: id, text: id })));
      if (ids.includes(keep)) c.via.value = keep;
    }
    if (st.selected !== undefined && st.selected !== c.selected) {
      c.selected = st.selected;
      if (c.selected && c.pointer) openMenu(c, c.selected);
      if (!c.selected) closeMenu(c);
      if (c.opts.onSelect) c.opts.onSelect(c.selected);
    }
    updateMessages(c, st);
    updateTimeline(c, st);
    if (c.menu.hidden === false && c.menuLink) fillLinkMenu(c, c.menuLink[0], c.menuLink[1]);
    else if (c.menu.hidden === false) fillMenu(c, c.menuNode);
  }

  function updateMessages(c, st) {
    const msgs = (st.messages || []).slice(0, 200);
    const key = msgs.map((m) => m.id).join();
    if (key === c.msgKey) return;
    c.msgKey = key;
    c.msgSel.replaceChildren(el("option", { value: "", text: msgs.length ? "— pick one (" + msgs.length + ") —" : "none in flight" }),
      ...msgs.map((m) => el("option", { value: String(m.id), text: "m" + m.id + " " + m.type + " " + m.from + "→" + m.to + (m.held ? " (held)" : "") })));
    if (msgs.some((m) => m.id === c.message)) c.msgSel.value = String(c.message); else c.message = 0;
  }

  function updateTimeline(c, st) {
    if (st.seed !== undefined && c.seedShown !== st.seed && document.activeElement !== c.seedIn) { c.seedIn.value = String(st.seed); c.seedShown = st.seed; }
    if (c.scrubbing) return;
    let p;
    try { p = c.app.position(); } catch (e) { return; }
    if (!p || typeof p !== "object") return;
    c.timeline.max = String(p.end);
    c.timeline.value = String(p.position);
    c.timeOut.textContent = "move " + p.position + " / " + p.end + " · " + p.time;
  }

  // The node menu: a small popup over the canvas where a node was clicked.
  function nodeMenu(c) {
    const m = el("div", { id: "node-menu", class: "node-menu", role: "menu", hidden: true, "aria-label": "Node actions" });
    document.body.append(m);
    document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") closeMenu(c); });
    return m;
  }

  function openMenu(c, id) {
    c.menuNode = id;
    c.menuLink = null;
    fillMenu(c, id);
    placeMenu(c);
  }

  // placeMenu shows the menu beside where the canvas was last clicked.
  function placeMenu(c) {
    const f = c.opts.frame;
    const r = f ? f.getBoundingClientRect() : { left: 0, top: 0 };
    const p = c.pointer || { x: 40, y: 40 };
    c.menu.style.left = Math.round(window.scrollX + r.left + Math.min(p.x + 12, (r.width || 400) - 200)) + "px";
    c.menu.style.top = Math.round(window.scrollY + r.top + Math.min(p.y + 12, (r.height || 300) - 120)) + "px";
    c.menu.hidden = false;
    c.pointer = null;
  }

  function closeMenu(c) { c.menu.hidden = true; c.menuNode = ""; c.menuLink = null; }

  // The link menu: a link was clicked on the canvas, on the lane from -> to.
  function openLinkMenu(c, from, to) {
    c.menuNode = "";
    c.menuLink = [from, to];
    fillLinkMenu(c, from, to);
    placeMenu(c);
  }

  function fillLinkMenu(c, from, to) {
    const st = c.state || {};
    const cut = new Set((st.cuts || []).map((l) => l[0] + "->" + l[1]));
    const there = from + "->" + to, back = to + "->" + from;
    const state = cut.has(there) && cut.has(back) ? "cut both ways" : cut.has(there) ? "cut " + there : cut.has(back) ? "cut " + back : "open";
    const act = (label, lines, cls, name) => el("button", { type: "button", role: "menuitem", class: cls || "", "data-link-action": name,
      text: label, disabled: lines.length === 0, onclick: () => { lines.forEach((l) => c.run(l)); fillLinkMenu(c, from, to); } });
    const items = [
      el("div", { class: "menu-title" }, el("strong", { text: from + "–" + to }), " " + state,
        el("button", { type: "button", class: "menu-close", "aria-label": "Close", text: "✕", onclick: () => closeMenu(c) })),
      act("Cut " + from + " → " + to, cut.has(there) ? [] : ["cut " + there], "danger", "cut-there"),
      act("Cut " + to + " → " + from, cut.has(back) ? [] : ["cut " + back], "danger", "cut-back"),
      act("Cut both ways", [there, back].filter((l) => !cut.has(l)).map((l) => "cut " + l), "danger", "cut-both"),
      act("Heal", [there, back].filter((l) => cut.has(l)).map((l) => "heal " + l), "", "heal"),
    ];
    c.menu.replaceChildren(...items);
  }

  function fillMenu(c, id) {
    const st = c.state || {};
    const node = (st.nodes || []).find((n) => n.id === id);
    const act = (label, text, cls, key) => el("button", { type: "button", role: "menuitem", class: cls || "", "data-action": text.split(" ")[0],
      text: label + (key ? "  " + key : ""), onclick: () => { c.run(text); fillMenu(c, id); } });
    const up = node && node.up;
    const items = [
      el("div", { class: "menu-title" }, el("strong", { text: id }), " " + (node ? node.role : ""),
        el("button", { type: "button", class: "menu-close", "aria-label": "Close", text: "✕", onclick: () => closeMenu(c) })),
      up ? act("Crash", "crash " + id, "danger", "c") : act("Restart", "restart " + id, "", "r"),
      up ? act("Force timeout", "campaign " + id, "", "f") : null,
      up ? act("Make leader", "transfer " + id, "", "t") : null,
      act("Isolate", "isolate " + id, "", "i"),
      linkRows(c, id, st),
    ];
    c.menu.replaceChildren(...items.filter(Boolean));
  }

  // linkRows: for each other node, cut this node's link one way or both
  // ways, or heal it.
  function linkRows(c, id, st) {
    const cut = new Set((st.cuts || []).map((l) => l[0] + "->" + l[1]));
    const rows = (st.nodes || []).filter((n) => n.id !== id).map((n) => {
      const out = id + "->" + n.id, back = n.id + "->" + id;
      const heal = () => { [out, back].filter((l) => cut.has(l)).forEach((l) => c.run("heal " + l)); fillMenu(c, id); };
      return el("li", {}, el("span", { class: "mono", text: id + "–" + n.id + (cut.has(out) || cut.has(back) ? " (cut)" : "") }),
        el("button", { type: "button", "data-link": out, title: "Cut " + out + " only", text: "cut →", onclick: () => { c.run("cut " + out); fillMenu(c, id); } }),
        el("button", { type: "button", title: "Cut both directions", text: "cut ⇄", onclick: () => { c.run("cut " + out); c.run("cut " + back); fillMenu(c, id); } }),
        el("button", { type: "button", title: "Heal both directions", text: "heal", onclick: heal }));
    });
    return el("ul", { class: "menu-links", "aria-label": "Links of " + id }, ...rows);
  }

  // watchCanvas remembers where the canvas was clicked (for the menu) and
  // routes the step-back keys typed on the canvas, which the app itself
  // leaves to the page.
  function watchCanvas(c) {
    const f = c.opts.frame;
    if (!f) return;
    const attach = () => {
      const w = f.contentWindow;
      if (!w || w.__etcdlabControls) return;
      w.__etcdlabControls = true;
      w.addEventListener("pointerdown", (ev) => { c.pointer = { x: ev.clientX, y: ev.clientY }; closeMenu(c); }, true);
      w.addEventListener("keydown", (ev) => {
        if (ev.key === "ArrowLeft" || ev.key === "Backspace") { ev.preventDefault(); back(c, 1); }
        if (ev.key === "x") messageAction(c, "drop");
        if (ev.key === "d") messageAction(c, "deliver");
      }, true);
    };
    attach();
    f.addEventListener("load", attach);
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

  // standardKeys are the shortcuts of every page with the toolbar.
  function standardKeys(ctl) {
    return {
      p: () => ctl.setPlaying(!ctl.isPlaying()), ".": () => ctl.step(), Backspace: () => ctl.back(1),
      h: () => ctl.run("heal"), "+": () => ctl.speedUp(), "=": () => ctl.speedUp(), "-": () => ctl.slowDown(),
      x: () => ctl.dropMessage(), d: () => ctl.deliverMessage(),
      c: () => ctl.menuAction("crash"), r: () => ctl.menuAction("restart"), f: () => ctl.menuAction("campaign"),
      t: () => ctl.menuAction("transfer"), i: () => ctl.menuAction("isolate"),
    };
  }

  window.Controls = { build, keys, standardKeys, toSpeed, fromSpeed };
})();
