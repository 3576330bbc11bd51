// lesson.js — the lesson page: narration on the left, the simulated cluster
// on the right. Each step loads its script into the app (load + next to the
// end), then the student acts; the task's conditions are checked with the
// app's check() after every change. lesson.html?lesson=ID#step=N
"use strict";

(function () {
  const { el } = window.Panels;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const lessonID = params.get("lesson") || "01-leader-election";
  const page = (window.lessonPage = { ready: false, step: 0, taskDone: false, loading: false });

  let lesson = null, app = null, controls = null, trace = null, nodesBody = null;
  let current = -1, taskDone = false, selected = "";
  const progress = loadProgress();

  function loadProgress() {
    try { return JSON.parse(localStorage.getItem("etcdlab.progress") || "{}"); } catch (e) { return {}; }
  }
  function saveProgress() {
    try { localStorage.setItem("etcdlab.progress", JSON.stringify(progress)); } catch (e) { /* private mode */ }
  }
  function key(i) { return lessonID + "/" + (i + 1); }

  function setStatus(text, isError) {
    $("app-status").textContent = text;
    $("app-status").classList.toggle("error", !!isError);
  }

  function stepFromHash() {
    const m = /step=(\d+)/.exec(location.hash);
    const n = m ? parseInt(m[1], 10) - 1 : 0;
    return Math.min(Math.max(n, 0), lesson.steps.length - 1);
  }

  function renderStepList() {
    $("steps-list").replaceChildren(...lesson.steps.map((s, i) => el("li", {},
      el("a", { href: "#step=" + (i + 1), title: s.title, "aria-label": "Step " + (i + 1) + ": " + s.title,
        "aria-current": i === current ? "step" : null, class: progress[key(i)] ? "done" : "" }, String(i + 1)))));
  }

  function renderStep(i) {
    const s = lesson.steps[i];
    document.title = s.title + " · " + lesson.title + " · etcdlab";
    $("step-count").textContent = "Step " + (i + 1) + " of " + lesson.steps.length;
    $("prev").disabled = i === 0;
    $("next").disabled = i === lesson.steps.length - 1;
    $("intro").innerHTML = i === 0 ? lesson.introHTML : "";
    $("intro").hidden = i !== 0;
    $("step-title").textContent = (i + 1) + ". " + s.title;
    $("step-text").innerHTML = s.narrationHTML;
    renderTask(s);
    renderQuestion(s);
    renderAnchors(s);
    renderStepList();
  }

  function renderTask(s) {
    taskDone = false;
    page.taskDone = false;
    $("task").hidden = !s.task;
    $("task").classList.remove("complete");
    if (!s.task) return;
    $("task-do").innerHTML = s.task.doHTML;
    $("task-status").textContent = "Not done yet.";
    $("task-hint-box").hidden = !s.task.hint;
    $("task-hint").innerHTML = s.task.hintHTML || "";
    $("task-hint-box").open = false;
  }

  function renderQuestion(s) {
    const q = s.question;
    $("question").hidden = !q;
    $("question-feedback").hidden = true;
    if (!q) return;
    $("question-prompt").innerHTML = q.promptHTML;
    $("question-answers").replaceChildren(...q.answers.map((a, j) => {
      const input = el("input", { type: "radio", name: "answer", value: String(j), id: "answer-" + j });
      input.addEventListener("change", () => answer(q, j));
      const label = el("label", { for: "answer-" + j }, input, el("span"));
      label.lastChild.innerHTML = a.textHTML;
      return label;
    }));
  }

  function answer(q, j) {
    const a = q.answers[j];
    const fb = $("question-feedback");
    fb.hidden = false;
    fb.className = "feedback " + (a.correct ? "right" : "wrong");
    fb.innerHTML = "<p><strong>" + (a.correct ? "Correct." : "Not quite.") + "</strong></p>" + a.feedbackHTML;
    if (a.correct) { progress[key(current) + "/q"] = true; saveProgress(); }
  }

  function renderAnchors(s) {
    const list = s.anchors || [];
    $("anchors").hidden = list.length === 0;
    $("anchors-list").replaceChildren(...list.map((a) => el("details", {},
      el("summary", {}, el("code", { text: a.file + ":" + a.symbol }), a.note ? " — " + a.note : ""),
      a.code ? el("pre", {}, el("code", { class: "language-go", text: a.code })) : el("p", { text: "(source not bundled)" }))));
  }

  // goTo shows step i and rebuilds its cluster. Walking forward onto a
  // step without a scenario keeps the student's cluster as it is.
  async function goTo(i, sequential) {
    if (!lesson || i < 0 || i >= lesson.steps.length) return;
    const s = lesson.steps[i];
    const keep = sequential && i === current + 1 && !s.scenario;
    current = i;
    page.step = i;
    renderStep(i);
    if (location.hash !== "#step=" + (i + 1)) history.replaceState(null, "", "#step=" + (i + 1));
    if (!app || keep) { checkTask(); return; }
    page.loading = true;
    controls.setPlaying(false);
    trace.reset();
    setStatus("Loading the step's cluster…");
    try {
      await app.runScript(s.script);
      setStatus(s.play ? "Running at " + s.play + "× real time." : "Paused. Press Play or Step when you are ready.");
      if (s.select) controls.select(s.select);
      if (s.play) controls.setPlaying(true, s.play);
    } catch (e) {
      setStatus("This step's scenario failed: " + e.message, true);
    }
    page.loading = false;
    refresh();
  }

  function checkTask() {
    const s = lesson && lesson.steps[current];
    if (!app || !s || !s.task || taskDone || page.loading) return;
    // A condition that cannot be evaluated yet is not done: it may name the
    // member the task itself adds (n4 before `member add n4`). Every
    // condition is proven to hold after the task's solution (`go test
    // ./lessons/`), so the errors are kept for the curious, not shown.
    const r = app.checkAll(s.task.done);
    page.taskErrors = r.errors;
    if (!r.done) return;
    taskDone = true;
    page.taskDone = true;
    $("task").classList.add("complete");
    $("task-status").textContent = "✓ Done! " + (current < lesson.steps.length - 1 ? "Continue with Next when you are ready." : "That was the last step.");
    progress[key(current)] = true;
    saveProgress();
    renderStepList();
  }

  function refresh() {
    if (!app) return;
    let st;
    try { st = app.state(); } catch (e) { return; }
    if (!st || typeof st !== "object") return;
    render(st);
  }

  function render(st) {
    controls.update(st);
    $("summary").textContent = window.Panels.summary(st);
    window.Panels.renderNodes(nodesBody, st, selected || controls.selected(), (id) => controls.select(id));
    trace.update(app);
    checkTask();
  }

  async function main() {
    const nodes = window.Panels.nodesTable();
    $("nodes").append(nodes);
    nodesBody = nodes.querySelector("tbody");
    trace = new window.Panels.Trace($("trace"));
    $("help-open").addEventListener("click", () => $("help").showModal());
    $("prev").addEventListener("click", () => goTo(current - 1, false));
    $("next").addEventListener("click", () => goTo(current + 1, true));
    window.addEventListener("hashchange", () => { if (lesson && stepFromHash() !== current) goTo(stepFromHash(), stepFromHash() === current + 1); });

    try {
      const res = await fetch("lessons.json");
      if (!res.ok) throw new Error("lessons.json: HTTP " + res.status);
      const cat = await res.json();
      lesson = cat.lessons.find((l) => l.id === lessonID);
      if (!lesson) throw new Error("no lesson " + lessonID);
    } catch (e) {
      $("lesson-title").textContent = "Could not load the lesson";
      setStatus(e.message + " — build the site with `make site`.", true);
      return;
    }
    $("lesson-title").textContent = lesson.title;
    current = stepFromHash();
    renderStep(current);

    try {
      app = await window.EtcdlabApp.connect($("app"));
    } catch (e) {
      setStatus(e.message, true);
      return;
    }
    controls = window.Controls.build($("toolbar"), app, {
      status: $("app-status"),
      onCommand: () => refresh(),
      onStep: () => refresh(),
      onSelect: (id) => { selected = id; refresh(); },
      frame: $("app"),
    });
    new window.Panels.Refresher(app, render);
    // ← and → walk the lesson's steps here; Backspace steps the cluster back.
    window.Controls.keys(Object.assign(window.Controls.standardKeys(controls), {
      ArrowRight: () => goTo(current + 1, true), ArrowLeft: () => goTo(current - 1, false),
      PageDown: () => goTo(current + 1, true), PageUp: () => goTo(current - 1, false),
      "?": () => $("help").showModal(),
    }));
    page.ready = true;
    await goTo(current, false);
  }

  main();
})();
