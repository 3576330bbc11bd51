// panels.js — the live side panels every page shares: the nodes table, the
// trace and the messages in flight, refreshed from the app's state() and
// trace() whenever the app reports a change (and on a slow timer as a
// fallback). Pure DOM; no framework.
"use strict";

(function () {
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
    return e;
  }

  function roleOf(n) {
    if (!n.up) return n.role === "removed" ? "removed" : "down";
    return n.role || "?";
  }

  // renderNodes fills a <tbody> with one row per node.
  // Both skip the rebuild when nothing they show changed: the refresher
  // renders every second, and a row replaced between the press and the
  // release of a click would lose the click.
  function unchanged(tbody, sig) {
    if (tbody.dataset.sig === sig) return true;
    tbody.dataset.sig = sig;
    return false;
  }

  function renderNodes(tbody, state, selected, onSelect) {
    if (unchanged(tbody, JSON.stringify([selected, (state.nodes || []).map((n) =>
      [n.id, n.up, n.role, n.term, n.vote, n.lead, n.firstIndex, n.lastIndex, n.commit, n.applied, n.kv])]))) return;
    tbody.replaceChildren();
    for (const n of state.nodes || []) {
      const role = roleOf(n);
      const tr = el("tr", { "data-node": n.id, class: n.id === selected ? "selected" : "", tabindex: "0",
        "aria-selected": n.id === selected ? "true" : "false",
        onclick: () => onSelect && onSelect(n.id),
        onkeydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); onSelect && onSelect(n.id); } } },
        el("th", { scope: "row", text: n.id }),
        el("td", { class: "role-" + role, text: role }),
        el("td", { text: n.up ? String(n.term) : "" }),
        el("td", { text: n.up ? (n.vote || "–") : "" }),
        el("td", { text: n.up ? (n.lead || "–") : "" }),
        el("td", { class: "mono", text: n.up ? n.firstIndex + ".." + n.lastIndex : "" }),
        el("td", { text: n.up ? String(n.commit) : "" }),
        el("td", { text: n.up ? String(n.applied) : "" }),
        el("td", { class: "mono", text: n.kv ? Object.keys(n.kv).sort().map((k) => k + "=" + n.kv[k]).join(" ") : "" }));
      tbody.append(tr);
    }
  }

  function nodesTable() {
    const head = ["node", "role", "term", "vote", "lead", "log", "commit", "applied", "data"];
    const table = el("table", { class: "nodes" },
      el("caption", { class: "visually-hidden", text: "Nodes of the cluster" }),
      el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
      el("tbody"));
    return table;
  }

  const inFlight = (n) => n + (n === 1 ? " message" : " messages") + " in flight";

  function summary(state) {
    const parts = ["time " + state.time, "term " + state.term, "leader " + (state.leader || "none"),
      inFlight(state.messages ? state.messages.length : 0)];
    if (state.partitions && state.partitions.length) parts.push("partitioned " + state.partitions.map((g) => g.join(" ")).join(" | "));
    if (state.cuts && state.cuts.length) parts.push("cut " + state.cuts.map((c) => c[0] + "→" + c[1]).join(", "));
    return parts.join(" · ");
  }

  // renderMessages fills a <tbody>; onSelect(message) makes rows clickable.
  function renderMessages(tbody, state, limit, onSelect, selected) {
    const msgs = (state.messages || []).slice(0, limit || 200);
    if (unchanged(tbody, JSON.stringify([selected, msgs.map((m) => [m.id, m.from, m.to, m.type, m.term, m.index, m.entries, m.held])]))) return;
    tbody.replaceChildren();
    for (const m of msgs) {
      tbody.append(el("tr", { "data-message": String(m.id), class: m.id === selected ? "selected" : "",
        tabindex: onSelect ? "0" : null, onclick: () => onSelect && onSelect(m),
        onkeydown: (ev) => { if (onSelect && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); onSelect(m); } } },
        el("td", { class: "mono", text: "m" + m.id }),
        el("td", { text: m.from + "→" + m.to }),
        el("td", { text: m.type }),
        el("td", { text: String(m.term) }),
        el("td", { text: m.index !== undefined ? String(m.index) : "" }),
        el("td", { text: m.entries ? String(m.entries) : "" }),
        el("td", { text: m.held ? "held" : "" })));
    }
  }

  function messagesTable() {
    const head = ["id", "link", "type", "term", "index", "entries", ""];
    return el("table", { class: "messages" },
      el("caption", { class: "visually-hidden", text: "Messages in flight" }),
      el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
      el("tbody"));
  }

  // Trace keeps the last records in an <ol>, appending only what is new.
  class Trace {
    constructor(ol, max) { this.ol = ol; this.seq = 0; this.max = max || 300; }
    reset() { this.seq = 0; this.ol.replaceChildren(); }
    update(app) {
      const recs = app.trace(this.seq);
      if (!Array.isArray(recs) || recs.length === 0) return;
      const atBottom = this.ol.scrollHeight - this.ol.scrollTop - this.ol.clientHeight < 30;
      for (const r of recs) {
        this.ol.append(el("li", {}, el("span", { class: "t", text: r.time }), r.text));
        this.seq = Math.max(this.seq, r.seq);
      }
      while (this.ol.children.length > this.max) this.ol.firstChild.remove();
      if (atBottom) this.ol.scrollTop = this.ol.scrollHeight;
    }
  }

  // Refresher calls render(state) after every "changed" event, at most
  // every 100 ms, and every second regardless.
  class Refresher {
    constructor(app, render) {
      this.app = app; this.render = render; this.pending = false;
      app.onChanged(() => this.soon());
      setInterval(() => this.now(), 1000);
    }
    soon() {
      if (this.pending) return;
      this.pending = true;
      setTimeout(() => { this.pending = false; this.now(); }, 100);
    }
    now() {
      let st;
      try { st = this.app.state(); } catch (e) { return; }
      if (st && typeof st === "object") this.render(st);
    }
  }

  window.Panels = { el, renderNodes, nodesTable, summary, renderMessages, messagesTable, Trace, Refresher, roleOf };
})();
