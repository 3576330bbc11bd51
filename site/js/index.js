// index.js — lists the lessons from lessons.json, with the steps the
// student has finished (kept in localStorage by the lesson page).
"use strict";

(async function () {
  const { el } = window.Panels;
  const list = document.getElementById("lessons");
  let progress = {};
  try { progress = JSON.parse(localStorage.getItem("etcdlab.progress") || "{}"); } catch (e) { /* ignore */ }
  try {
    const res = await fetch("lessons.json");
    if (!res.ok) throw new Error("HTTP " + res.status);
    const cat = await res.json();
    list.replaceChildren(...cat.lessons.map((l, i) => {
      const done = l.steps.filter((s, j) => progress[l.id + "/" + (j + 1)]).length;
      const withTask = l.steps.filter((s) => s.task).length;
      return el("li", { class: "card" },
        el("h3", {}, (i + 1) + ". " + l.title),
        el("p", { text: l.summary }),
        el("p", { class: "meta", text: l.steps.length + " steps · about " + l.minutes + " minutes" + (done ? " · " + done + " of " + withTask + " tasks done" : "") }),
        el("a", { class: "button primary go", href: "lesson.html?lesson=" + encodeURIComponent(l.id), text: done ? "Continue" : "Start" }));
    }));
  } catch (e) {
    list.replaceChildren(el("li", { class: "card", text: "Could not load lessons.json (" + e.message + "). Build the site with `make site`." }));
  }
})();
