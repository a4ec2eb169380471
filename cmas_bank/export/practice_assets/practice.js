
"use strict";
(function () {
  // Item text is only ever inserted with textContent: nothing from the form is parsed as HTML.
  var FORM = JSON.parse(document.getElementById("form-data").textContent);
  var STUDY = FORM.mode === "study";
  var KEY = "cmas-practice:" + FORM.formId;
  var LETTERS = ["A", "B", "C", "D"];
  var CANDIDATE = /^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$/;
  var AREAS = {};
  FORM.areas.forEach(function (a) { AREAS[a.number] = a; });
  var state = null;
  var timerId = null;
  var warned = {};

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function paragraphs(parent, text, cls) {
    String(text).split(/\n[ \t]*\n\s*/).forEach(function (part) {
      if (part.trim()) parent.appendChild(el("p", cls, part.replace(/^\n+|\n+$/g, "")));
    });
  }
  function show(id) {
    ["start", "exam", "results"].forEach(function (s) { $(s).hidden = s !== id; });
  }
  function announce(text) { $("announce").textContent = text; }

  // --- saved state (localStorage; the page still works, unsaved, where storage is refused) ---
  function load() {
    try { var raw = window.localStorage.getItem(KEY); return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  }
  function save() {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* storage refused */ }
  }
  function forget() {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* storage refused */ }
  }
  function questions() {
    if (!STUDY) return FORM.items;
    return FORM.items.filter(function (q) { return state.areas.indexOf(q.area) >= 0; });
  }

  // --- start screen ---
  function formatMinutes(m) {
    var h = Math.floor(m / 60), r = m % 60;
    return (h ? h + (h === 1 ? " hour" : " hours") : "") + (h && r ? " " : "") + (r || !h ? r + (r === 1 ? " minute" : " minutes") : "");
  }
  function renderStart() {
    var n = FORM.items.length;
    $("begin").textContent = STUDY ? "Start studying" : "Start the exam";
    if (STUDY) {
      $("intro").textContent = n + " questions. Choose the work areas to study; after each answer you see the key and the rationale.";
      renderAreaChoice();
    } else {
      $("intro").textContent = n + " questions, " + formatMinutes(FORM.minutes) + ". The clock starts when you press Start and keeps running if you close or reload the page. Unanswered questions count as wrong; you can flag questions and change answers until you submit. When the time runs out, the exam is submitted as it stands.";
    }
    $("saved-note").textContent = "Answers are kept in this browser on this device only (local storage); nothing is sent anywhere.";
    show("start");
  }
  function renderAreaChoice() {
    var list = $("area-list");
    clear(list);
    FORM.areas.forEach(function (a) {
      var count = FORM.items.filter(function (q) { return q.area === a.number; }).length;
      if (!count) return;
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.value = String(a.number);
      box.checked = true;
      label.appendChild(box);
      label.appendChild(el("span", null, a.number + ". " + a.name + " (" + count + (count === 1 ? " question)" : " questions)")));
      list.appendChild(label);
    });
    $("area-choice").hidden = false;
  }
  function begin() {
    var name = $("candidate").value.trim();
    var error = $("candidate-error");
    if (name && !CANDIDATE.test(name)) {
      error.textContent = "Use up to 64 letters, digits, spaces and . _ @ -, starting with a letter or digit.";
      error.hidden = false;
      $("candidate").setAttribute("aria-invalid", "true");
      $("candidate").focus();
      return;
    }
    var areas = [];
    if (STUDY) {
      Array.prototype.forEach.call($("area-list").querySelectorAll("input:checked"), function (b) { areas.push(Number(b.value)); });
      if (!areas.length) {
        error.textContent = "Choose at least one work area.";
        error.hidden = false;
        return;
      }
    }
    state = { v: 1, candidate: name || "candidate", started: Date.now(), deadline: STUDY ? null : Date.now() + FORM.minutes * 60000,
              answers: {}, flags: {}, current: 0, submitted: false, submittedAt: null, reason: null, areas: areas };
    save();
    startExam();
  }

  // --- the exam ---
  function startExam() {
    show("exam");
    $("finish").textContent = STUDY ? "Finish and see results" : "Submit exam";
    renderNavigator();
    renderQuestion(true);
    if (!STUDY) {
      $("timer").hidden = false;
      tick();
      timerId = window.setInterval(tick, 1000);
    }
  }
  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(r).padStart(2, "0");
  }
  function tick() {
    var left = state.deadline - Date.now();
    var t = $("timer");
    t.textContent = clock(left);
    t.setAttribute("aria-label", "Time left " + clock(left));
    t.classList.toggle("low", left <= 5 * 60000);
    [5, 1].forEach(function (m) {
      if (left <= m * 60000 && left > 0 && !warned[m]) { warned[m] = true; announce(m + (m === 1 ? " minute" : " minutes") + " left."); }
    });
    if (left <= 0) submit("time");
  }
  function current() { return questions()[state.current]; }
  function renderQuestion(focus) {
    var qs = questions(), q = current();
    $("qpos").textContent = "Question " + (state.current + 1) + " of " + qs.length;
    var stem = $("stem");
    clear(stem);
    paragraphs(stem, q.stem);
    var list = $("option-list");
    clear(list);
    var locked = STUDY && state.answers[q.id] !== undefined;
    LETTERS.forEach(function (letter) {
      var label = el("label", "option");
      var input = el("input");
      input.type = "radio";
      input.name = "answer";
      input.value = letter;
      input.id = "option-" + letter;
      input.checked = state.answers[q.id] === letter;
      input.disabled = locked;
      input.addEventListener("change", function () { choose(letter); });
      label.appendChild(input);
      label.appendChild(el("span", "letter", letter + "."));
      label.appendChild(el("span", "text", q.options[letter]));
      if (locked && letter === q.key) label.classList.add("key");
      if (locked && letter === state.answers[q.id] && letter !== q.key) label.classList.add("chosen-wrong");
      list.appendChild(label);
    });
    var flagged = !!state.flags[q.id];
    $("flag").setAttribute("aria-pressed", flagged ? "true" : "false");
    $("flag").textContent = flagged ? "Flagged for review" : "Flag for review";
    $("prev").disabled = state.current === 0;
    $("next").disabled = state.current === qs.length - 1;
    renderFeedback(q);
    updateNavigator();
    if (focus) $("qpos").focus();
  }
  function renderFeedback(q) {
    var box = $("feedback");
    clear(box);
    var answer = state.answers[q.id];
    if (!STUDY || answer === undefined) { box.hidden = true; return; }
    var right = answer === q.key;
    box.className = "feedback" + (right ? "" : " wrong");
    box.appendChild(el("p", null, right ? "Correct: " + q.key + "." : "Not quite: you chose " + answer + "; the key is " + q.key + "."));
    paragraphs(box, q.rationale);
    appendReferences(box, q.references);
    box.hidden = false;
  }
  function appendReferences(parent, refs) {
    if (!refs.length) return;
    parent.appendChild(el("p", "refs", "References:"));
    var ul = el("ul", "refs");
    refs.forEach(function (r) { ul.appendChild(el("li", null, r)); });
    parent.appendChild(ul);
  }
  function choose(letter) {
    var q = current();
    if (STUDY && state.answers[q.id] !== undefined) return;
    state.answers[q.id] = letter;
    save();
    if (STUDY) {
      renderQuestion(false);
      var chosen = $("option-" + letter);
      if (chosen) chosen.focus();
    } else {
      var input = $("option-" + letter);
      if (input) input.checked = true;
      updateNavigator();
    }
  }
  function toggleFlag() {
    var q = current();
    if (state.flags[q.id]) delete state.flags[q.id]; else state.flags[q.id] = true;
    save();
    var flagged = !!state.flags[q.id];
    $("flag").setAttribute("aria-pressed", flagged ? "true" : "false");
    $("flag").textContent = flagged ? "Flagged for review" : "Flag for review";
    announce(flagged ? "Question " + (state.current + 1) + " flagged for review." : "Flag removed.");
    updateNavigator();
  }
  function go(index, focus) {
    var n = questions().length;
    if (index < 0 || index >= n) return;
    state.current = index;
    save();
    renderQuestion(focus);
  }
  function renderNavigator() {
    var list = $("nav-list");
    clear(list);
    questions().forEach(function (q, i) {
      var li = el("li");
      var b = el("button", null, i + 1);
      b.type = "button";
      b.addEventListener("click", function () { go(i, true); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }
  function updateNavigator() {
    var buttons = $("nav-list").querySelectorAll("button");
    questions().forEach(function (q, i) {
      var b = buttons[i], answered = state.answers[q.id] !== undefined, flagged = !!state.flags[q.id];
      b.classList.toggle("answered", answered);
      b.classList.toggle("flagged", flagged);
      b.setAttribute("aria-label", "Question " + (i + 1) + ", " + (answered ? "answered" : "not answered") + (flagged ? ", flagged" : ""));
      if (i === state.current) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
    });
  }
  function unanswered() {
    var out = [];
    questions().forEach(function (q, i) { if (state.answers[q.id] === undefined) out.push(i); });
    return out;
  }
  function askSubmit() {
    if (STUDY) { submit("finished"); return; }
    var missing = unanswered(), flagged = questions().filter(function (q) { return state.flags[q.id]; }).length;
    $("confirm-text").textContent = (missing.length ? missing.length + " of " + questions().length + " questions are not answered (they count as wrong)" : "Every question is answered")
      + (flagged ? "; " + flagged + " flagged for review." : ".") + " You cannot change answers after submitting.";
    var list = $("unanswered-list");
    clear(list);
    missing.forEach(function (i) {
      var li = el("li");
      var b = el("button", null, "Question " + (i + 1));
      b.type = "button";
      b.addEventListener("click", function () { $("confirm").close(); go(i, true); });
      li.appendChild(b);
      list.appendChild(li);
    });
    list.hidden = !missing.length;
    $("confirm").showModal();
    $("confirm-no").focus();
  }
  function submit(reason) {
    if (state.submitted) return;
    if (timerId !== null) { window.clearInterval(timerId); timerId = null; }
    var dialog = $("confirm");
    if (dialog.open) dialog.close();
    state.submitted = true;
    state.submittedAt = Date.now();
    state.reason = reason;
    save();
    showResults(true);
  }

  // --- results ---
  function tally() {
    var per = {}, total = { n: 0, right: 0 };
    questions().forEach(function (q) {
      if (!q.scored && !STUDY) return;
      var row = per[q.area] || (per[q.area] = { n: 0, right: 0 });
      var right = state.answers[q.id] === q.key;
      row.n += 1; total.n += 1;
      if (right) { row.right += 1; total.right += 1; }
    });
    return { per: per, total: total };
  }
  function pct(right, n) { return n ? Math.round((1000 * right) / n) / 10 : 0; }
  function showResults(focus) {
    $("timer").hidden = true;
    var t = tally();
    $("results-title").textContent = STUDY ? "Study results" : "Results";
    $("score-line").textContent = "Raw score: " + t.total.right + " of " + t.total.n + " correct (" + pct(t.total.right, t.total.n) + "\u00a0%)";
    var when = state.reason === "time" ? "The time ran out; the exam was submitted automatically." : "";
    if (!STUDY) {
      var used = Math.min(state.submittedAt, state.deadline) - state.started;
      when = (when ? when + " " : "") + "Time used: " + clock(used) + " of " + formatMinutes(FORM.minutes) + ".";
    }
    $("time-line").textContent = when;
    $("scaled-note").textContent = "This is a raw score on a practice form. The real exam reports a scaled score" + (FORM.passingScaled ? " (passing is " + FORM.passingScaled + ")" : "")
      + ", and a raw percent here does not predict it: the scale is set from the real exam's items, not from this form. Use the work-area rows to see where to study.";
    var body = $("area-table").querySelector("tbody");
    clear(body);
    FORM.areas.forEach(function (a) {
      var row = t.per[a.number];
      if (!row) return;
      var tr = el("tr");
      tr.appendChild(el("th", null, a.number + ". " + a.name)).setAttribute("scope", "row");
      tr.appendChild(el("td", "num", a.weight + "\u00a0%"));
      tr.appendChild(el("td", "num", row.n));
      tr.appendChild(el("td", "num", row.right));
      tr.appendChild(el("td", "num", pct(row.right, row.n) + "\u00a0%"));
      body.appendChild(tr);
    });
    renderReview();
    show("results");
    if (focus) $("results-title").focus();
  }
  function reviewEntry(q, i) {
    var answer = state.answers[q.id];
    var li = el("li");
    var status = answer === undefined ? "unanswered" : answer === q.key ? "correct" : "wrong";
    li.dataset.status = status;
    li.dataset.flagged = state.flags[q.id] ? "yes" : "no";
    li.dataset.item = q.id;
    li.appendChild(el("h3", null, "Question " + (i + 1)));
    var badges = el("p");
    badges.appendChild(el("span", "badge " + status, status === "correct" ? "Correct" : status === "wrong" ? "Wrong" : "Not answered"));
    if (state.flags[q.id]) badges.appendChild(el("span", "badge flagged", "Flagged"));
    if (!q.scored && !STUDY) badges.appendChild(el("span", "badge pretest", "Unscored pretest question"));
    badges.appendChild(el("span", "refs", "Item " + q.id + ", work area " + q.area + " (" + q.sub + ")"));
    li.appendChild(badges);
    paragraphs(li, q.stem);
    var ol = el("ol");
    LETTERS.forEach(function (letter) {
      var opt = el("li", letter === q.key ? "key" : letter === answer ? "chosen-wrong" : null);
      opt.appendChild(el("span", "mark", letter + ". "));
      opt.appendChild(document.createTextNode(q.options[letter]));
      var notes = [];
      if (letter === answer) notes.push("your answer");
      if (letter === q.key) notes.push("key");
      if (notes.length) opt.appendChild(el("span", "mark", " (" + notes.join(", ") + ")"));
      ol.appendChild(opt);
    });
    li.appendChild(ol);
    li.appendChild(el("p", null, "Your answer: " + (answer || "none") + ". Key: " + q.key + "."));
    var why = el("div", "rationale");
    why.appendChild(el("p", "mark", "Rationale"));
    paragraphs(why, q.rationale);
    li.appendChild(why);
    appendReferences(li, q.references);
    return li;
  }
  function renderReview() {
    var list = $("review-list");
    clear(list);
    questions().forEach(function (q, i) { list.appendChild(reviewEntry(q, i)); });
    applyFilter();
  }
  function applyFilter() {
    var value = document.querySelector('input[name="filter"]:checked').value, shown = 0;
    Array.prototype.forEach.call($("review-list").children, function (li) {
      var keep = value === "all" || (value === "wrong" && li.dataset.status !== "correct") || (value === "flagged" && li.dataset.flagged === "yes");
      li.hidden = !keep;
      if (keep) shown += 1;
    });
    $("review-count").textContent = "Showing " + shown + " of " + questions().length + " questions.";
  }
  function csvCell(value) {
    var s = String(value);
    if (/^'*[=+\-@\t\r]/.test(s)) s = "'" + s; // a spreadsheet must not run the cell as a formula
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function resultCsv() {
    var rows = ["candidate,item,response"];
    questions().forEach(function (q) {
      rows.push([state.candidate, q.id, state.answers[q.id] || ""].map(csvCell).join(","));
    });
    return rows.join("\r\n") + "\r\n";
  }
  function download() {
    var blob = new Blob([resultCsv()], { type: "text/csv;charset=utf-8" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = "result-" + FORM.formId + "-" + state.candidate.replace(/[^A-Za-z0-9._-]+/g, "_") + ".csv";
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    window.setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  function restart() {
    if (!window.confirm("Start again? Your answers and result in this browser are deleted (download the result first to keep it).")) return;
    forget();
    state = null;
    warned = {};
    renderStart();
    $("begin").focus();
  }

  // --- keyboard ---
  function onKey(e) {
    if ($("exam").hidden || $("confirm").open || e.ctrlKey || e.metaKey || e.altKey) return;
    var target = e.target;
    if (target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text"))) return;
    var k = e.key.length === 1 ? e.key.toUpperCase() : e.key;
    var index = LETTERS.indexOf(k) >= 0 ? LETTERS.indexOf(k) : ["1", "2", "3", "4"].indexOf(k);
    if (index >= 0) { choose(LETTERS[index]); }
    else if (k === "ArrowRight") { go(state.current + 1, true); }
    else if (k === "ArrowLeft") { go(state.current - 1, true); }
    else if (k === "F") { toggleFlag(); }
    else return;
    e.preventDefault();
  }

  function init() {
    $("subtitle").textContent = (STUDY ? "Study mode" : "Practice exam") + " \u00b7 " + FORM.items.length + " questions \u00b7 outline " + FORM.outline;
    $("footer").textContent = "Made with " + FORM.tool + ". Works offline; nothing leaves this device.";
    $("begin").addEventListener("click", begin);
    $("prev").addEventListener("click", function () { go(state.current - 1, true); });
    $("next").addEventListener("click", function () { go(state.current + 1, true); });
    $("flag").addEventListener("click", toggleFlag);
    $("finish").addEventListener("click", askSubmit);
    $("confirm-yes").addEventListener("click", function () { submit("submitted"); });
    $("confirm-no").addEventListener("click", function () { $("confirm").close(); });
    $("download").addEventListener("click", download);
    $("restart").addEventListener("click", restart);
    Array.prototype.forEach.call(document.querySelectorAll('input[name="filter"]'), function (r) { r.addEventListener("change", applyFilter); });
    document.addEventListener("keydown", onKey);
    state = load();
    if (state && state.v === 1 && !(STUDY && !state.areas.length)) {
      state.current = Math.min(state.current || 0, questions().length - 1);
      if (state.submitted) showResults(false); else startExam();
    } else {
      state = null;
      renderStart();
    }
  }
  init();
})();
