// safeguide: decision helpers and quizzes, enhanced in place. Everything here also works without
// JavaScript (answer links and <details>); this adds history entries for answers, "your answers", the
// record of the decision and quiz marking. Nothing is sent or stored anywhere: it all lives in the page until it is closed.
(function () {
  "use strict";

  function textOf(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function make(tag, attributes, text) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      element.setAttribute(name, attributes[name]);
    });
    if (text) element.textContent = text;
    return element;
  }

  function button(label, hiddenLabel) {
    var b = make("button", { type: "button", class: "sg-button" }, label);
    if (hiddenLabel) b.appendChild(make("span", { class: "sg-visually-hidden" }, hiddenLabel));
    return b;
  }

  function today() {
    var now = new Date();
    return now.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" }) +
      ", " + now.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  // How far down the window the sticky or fixed bars at its top reach (Material's header, an urgent bar):
  // a step scrolled "into view" must start below them.
  function coveredTop() {
    var bottom = 0;
    for (var tries = 0; tries < 5; tries++) {
      var element = document.elementFromPoint(Math.floor(window.innerWidth / 2), bottom + 1);
      var bar = null;
      for (; element && element !== document.body; element = element.parentElement) {
        var position = getComputedStyle(element).position;
        if (position === "fixed" || position === "sticky") bar = element;
      }
      if (!bar || bar.getBoundingClientRect().bottom <= bottom + 1) break;
      bottom = bar.getBoundingClientRect().bottom;
    }
    return bottom;
  }

  // Scroll so that the whole of `element` shows below the bars (its top just below them), unless it
  // already does; if it is taller than the window, its top shows.
  function reveal(element) {
    var top = coveredTop() + 8;
    var box = element.getBoundingClientRect();
    if (box.top >= top && box.bottom <= window.innerHeight) return;
    window.scrollBy(0, box.top - top);
    // A bar that sticks only once the page has scrolled (Material's header below a banner) may now cover it.
    var covered = coveredTop() + 8;
    var now = element.getBoundingClientRect().top;
    if (now < covered) window.scrollBy(0, now - covered);
  }

  var helpers = []; // every enhanced helper on the page, for the history (popstate) listener
  var memories = {}; // "<page path>#<flow id>": what its helper showed, for entries whose state is not ours (remembered)

  // Material's instant navigation (theme feature navigation.instant) takes every click on a link to a page of the
  // site, a step's own address (#<flow>-<step>) included, for a move of its own: it adds a history entry of its
  // own after ours and then goes Back from it, which shows the step again without the answers. A helper keeps its
  // links' clicks to itself on such a site. Material's settings are in its #__config element.
  var instantNavigation = (function () {
    try {
      var config = JSON.parse(document.getElementById("__config").textContent);
      return Array.isArray(config.features) && config.features.indexOf("navigation.instant") >= 0;
    } catch (e) {
      return false;
    }
  })();

  // The helpers' part of a history entry: {flow id: {step, answers}} under "sgFlows", beside whatever
  // else the entry holds.
  function stateWith(id, value) {
    var state = history.state && typeof history.state === "object" ? Object.assign({}, history.state) : {};
    state.sgFlows = Object.assign({}, state.sgFlows || {});
    state.sgFlows[id] = value;
    return state;
  }

  // One decision helper: shows one step at a time and remembers the answers given on the way. Each
  // answer is a history entry whose address is the step's own (#<flow>-<step>, as without JavaScript),
  // so Back and Forward move between questions and a reload comes back to the same step and answers.
  function DecisionHelper(root) {
    var self = this;
    this.root = root;
    this.id = root.getAttribute("data-flow");
    this.title = root.getAttribute("data-title") || "";
    this.steps = {};
    root.querySelectorAll("[data-flow-step]").forEach(function (step) {
      self.steps[step.getAttribute("data-flow-step")] = step;
    });
    this.first = root.querySelector("[data-flow-step][data-first]").getAttribute("data-flow-step");
    this.answers = []; // [{step, question, answer}]
    this.current = null;
    var key = location.pathname + "#" + this.id;
    this.memory = memories[key] || (memories[key] = { start: null, shown: {} });
    this.summary = make("div", { class: "sg-flow__summary", hidden: "" });
    this.summary.appendChild(make("h2", { class: "sg-flow__summary-title" }, "Your answers"));
    this.list = this.summary.appendChild(make("dl"));
    root.appendChild(this.summary);
    root.classList.add("sg-flow--js");
    root.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-answer], a[data-restart], [data-record-print], [data-record-copy]");
      if (!link || !root.contains(link)) return;
      event.preventDefault();
      if (instantNavigation && link.tagName === "A") event.stopPropagation();
      if (link.hasAttribute("data-record-print")) return self.print(link.closest("[data-record]"));
      if (link.hasAttribute("data-record-copy")) return self.copy(link.closest("[data-record]"));
      if (link.hasAttribute("data-restart")) {
        self.go(self.first, []);
      } else {
        var step = link.closest("[data-flow-step]");
        self.go(link.getAttribute("data-next"), self.answers.concat([{
          step: step.getAttribute("data-flow-step"),
          question: textOf(step.querySelector(".sg-flow__title")),
          answer: link.getAttribute("data-answer")
        }]));
      }
    });
    // Space answers as Enter does: these links act as buttons here.
    root.addEventListener("keydown", function (event) {
      if (event.key !== " " || event.altKey || event.ctrlKey || event.metaKey) return;
      var link = event.target.closest && event.target.closest("a[data-answer], a[data-restart]");
      if (!link || !root.contains(link)) return;
      event.preventDefault();
      if (!event.repeat) link.click();
    });
    var saved = this.saved() || this.remembered();
    var named = this.stepInAddress();
    if (saved && (!named || named === saved.step)) {
      this.answers = saved.answers;
      this.show(saved.step, false);
    } else {
      this.show(named || this.first, false);
    }
    // Make this entry one of ours, so that coming Back to it restores the helper as it is now.
    if (!location.hash || !this.memory.start) this.memory.start = { step: this.current, answers: this.answers };
    history.replaceState(stateWith(this.id, { step: this.current, answers: this.answers }), "");
    helpers.push(this);
  }

  // The step named by the address (#<flow>-<step>), if it is one of this helper's.
  DecisionHelper.prototype.stepInAddress = function () {
    var prefix = "#" + this.id + "-";
    var hash = location.hash || "";
    try { hash = decodeURIComponent(hash); } catch (e) { return null; }  // a malformed %-escape names no step
    if (hash.indexOf(prefix) !== 0) return null;
    var name = hash.slice(prefix.length);
    return Object.prototype.hasOwnProperty.call(this.steps, name) ? name : null;
  };

  // What this history entry holds for this helper, if anything usable.
  DecisionHelper.prototype.saved = function () {
    var self = this;
    var mine = history.state && history.state.sgFlows && history.state.sgFlows[this.id];
    if (!mine || !Object.prototype.hasOwnProperty.call(this.steps, mine.step) || !Array.isArray(mine.answers)) return null;
    var answers = mine.answers.filter(function (a) { return a && Object.prototype.hasOwnProperty.call(self.steps, a.step); });
    return { step: mine.step, answers: answers };
  };

  // What this page's helper last showed at this history entry, when something else replaced the entry's state with
  // its own: Material's instant navigation keeps the scroll position there ({x, y}) as the page scrolls, dropping
  // ours, and on Back it may load the page afresh. The step named by the address with the answers it was last shown
  // with; at the address without a fragment, where the helper started. An entry without any state (an address
  // typed in, a page just opened) is not one of these.
  DecisionHelper.prototype.remembered = function () {
    var state = history.state;
    if (!state || typeof state !== "object" || (state.sgFlows && state.sgFlows[this.id])) return null;
    if (!location.hash) return this.memory.start;
    var name = this.stepInAddress();
    return name && this.memory.shown[name] ? { step: name, answers: this.memory.shown[name] } : null;
  };

  // Answer, start again or change an answer: a new history entry at the new step's address.
  DecisionHelper.prototype.go = function (name, answers) {
    this.answers = answers;
    history.pushState(stateWith(this.id, { step: name, answers: answers }), "", "#" + this.steps[name].id);
    this.show(name, true);
  };

  // Back or Forward: show what the entry holds (an entry without our state, at a step's address, shows
  // that step with no answers; other addresses, such as a heading's, leave the helper alone).
  DecisionHelper.prototype.restore = function () {
    var saved = this.saved() || this.remembered();
    var name = saved ? saved.step : this.stepInAddress();
    if (!name) return;
    var answers = saved ? saved.answers : [];
    var same = name === this.current && JSON.stringify(answers) === JSON.stringify(this.answers);
    this.answers = answers;
    if (same) return;
    this.show(name, true);
    // The browser may then move focus to the page itself as it goes to the address's fragment: put it back.
    var title = this.steps[name].querySelector(".sg-flow__title");
    function refocus() {
      if (document.activeElement === title || !document.contains(title) || title.closest("[hidden]")) return;
      title.focus({ preventScroll: true });
    }
    window.addEventListener("hashchange", refocus, { once: true });
    setTimeout(refocus, 0);
  };

  DecisionHelper.prototype.show = function (name, moveFocus) {
    var self = this;
    this.current = name;
    this.memory.shown[name] = this.answers;
    Object.keys(this.steps).forEach(function (key) {
      self.steps[key].hidden = key !== name;
    });
    var step = this.steps[name];
    this.renderAnswers();
    this.root.querySelectorAll("[data-record]").forEach(function (old) { old.remove(); });
    var template = step.querySelector("template[data-record-template]");
    if (template) {
      var record = template.content.querySelector("[data-record]").cloneNode(true);
      template.parentNode.insertBefore(record, template);
      this.fill(record, step);
    }
    if (moveFocus) {
      step.querySelector(".sg-flow__title").focus({ preventScroll: true });
      // A question with its answers fits on a screen: show all of it. An outcome: start at its top.
      reveal(step.getAttribute("data-kind") === "outcome" ? step.querySelector(".sg-flow__title") : step);
    }
  };

  DecisionHelper.prototype.renderAnswers = function () {
    var self = this;
    this.list.textContent = "";
    this.summary.hidden = this.answers.length === 0;
    this.answers.forEach(function (entry, index) {
      self.list.appendChild(make("dt", {}, entry.question));
      self.list.appendChild(make("dd", {}, entry.answer));
      var change = button("Change", " your answer to: " + entry.question);
      change.classList.add("sg-button--link");
      change.addEventListener("click", function () {
        self.go(entry.step, self.answers.slice(0, index));
      });
      var cell = make("dd", { class: "sg-flow__change" });
      cell.appendChild(change);
      self.list.appendChild(cell);
    });
  };

  // A copy of the record the build put in this outcome (partnership, version, advice, contacts, prompts):
  // this decision's answers, date and address filled in.
  DecisionHelper.prototype.fill = function (record, step) {
    var list = record.querySelector("[data-record-answers]");
    list.textContent = "";
    this.answers.forEach(function (entry) {
      list.appendChild(make("dt", {}, entry.question));
      list.appendChild(make("dd", {}, entry.answer));
    });
    list.hidden = this.answers.length === 0;
    record.querySelector("[data-record-unknown]").hidden = this.answers.length > 0 || this.first === step.getAttribute("data-flow-step");
    record.querySelector("[data-record-date]").textContent = today();
    // The page's published address where the build knows it (as print.css prints), else the browser's.
    var canonical = document.querySelector('link[rel="canonical"]');
    var page = canonical && canonical.href ? canonical.href : location.href;
    record.querySelector("[data-record-address]").textContent = page.split("#")[0] + "#" + step.id;
  };

  // The record as plain text for case notes: the same elements that print, in the same order.
  function recordText(record) {
    var lines = [];
    function walk(node) {
      if (node.nodeType !== 1 || node.hidden || node.hasAttribute("data-record-skip")) return;
      var tag = node.tagName;
      if (tag === "DT") {
        var term = textOf(node);  // "Date: ...", but "Is anyone in danger? No"
        lines.push(term + (/[?:]$/.test(term) ? " " : ": ") + textOf(node.nextElementSibling));
      } else if (tag === "DD") {
        return;
      } else if (tag === "H3" || tag === "H4") {
        if (lines.length) lines.push("");
        lines.push(textOf(node));
      } else if (tag === "LI") {
        lines.push("- " + textOf(node));
      } else if (node.hasAttribute("data-record-prompt")) {
        lines.push("", textOf(node), "");
      } else if (tag === "P") {
        lines.push(textOf(node));
      } else {
        Array.prototype.forEach.call(node.children, walk);
      }
    }
    walk(record);
    return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
  }

  // Print only the record: a copy of it, alone on the page (see flows.css, body.sg-printing-record).
  DecisionHelper.prototype.print = function (record) {
    var old = document.querySelector("body > .sg-record-print");
    if (old) old.remove();
    var copy = record.cloneNode(true);
    copy.removeAttribute("id");
    copy.removeAttribute("aria-labelledby");
    copy.querySelectorAll("[id]").forEach(function (element) { element.removeAttribute("id"); });
    copy.querySelectorAll("[data-record-skip]").forEach(function (element) { element.remove(); });
    var sheet = make("div", { class: "sg-record-print md-typeset", "aria-hidden": "true" });
    sheet.appendChild(copy);
    document.body.appendChild(sheet);
    document.body.classList.add("sg-printing-record");
    window.addEventListener("afterprint", function done() {
      document.body.classList.remove("sg-printing-record");
      sheet.remove();
      window.removeEventListener("afterprint", done);
    });
    window.print();
  };

  DecisionHelper.prototype.copy = function (record) {
    var text = recordText(record);
    var status = record.querySelector(".sg-record__status");
    var copied = navigator.clipboard && window.isSecureContext ? navigator.clipboard.writeText(text) : Promise.reject();
    copied.then(function () {
      status.textContent = "Copied. Paste it into your case notes.";
    }, function () {
      // No clipboard (an old browser, or a page not served over https): offer the text, selected.
      var old = record.querySelector(".sg-record__text");
      if (old) old.remove();
      var box = make("textarea", { class: "sg-record__text", readonly: "", rows: "8", "aria-label": "The record as text" });
      box.value = text;
      status.parentNode.insertBefore(box, status);
      box.focus();
      box.select();
      status.textContent = "Your browser did not let us copy. The record is selected below: press Ctrl+C (or Cmd+C) to copy it.";
    });
  };

  // A quiz: True and False buttons for each statement, the answer shown once chosen, and a score.
  function Quiz(root) {
    var items = Array.prototype.slice.call(root.querySelectorAll("[data-quiz-item]"));
    var chosen = {};
    var score = make("p", { class: "sg-quiz__score", role: "status" });
    function update() {
      var answered = Object.keys(chosen).length;
      var right = Object.keys(chosen).filter(function (i) { return chosen[i]; }).length;
      score.textContent = answered === items.length
        ? "You scored " + right + " out of " + items.length + "."
        : answered ? "Answered " + answered + " of " + items.length + ". Correct so far: " + right + "." : "";
    }
    items.forEach(function (item, index) {
      var correct = item.getAttribute("data-correct");
      var statement = textOf(item.querySelector(".sg-quiz__statement"));
      var choices = make("div", { class: "sg-quiz__choices", role: "group", "aria-label": "Is this true or false?" });
      var verdict = make("p", { class: "sg-quiz__verdict" });
      ["True", "False"].forEach(function (label) {
        var b = button(label, ": " + statement);
        b.setAttribute("aria-pressed", "false");
        b.addEventListener("click", function () {
          choices.querySelectorAll("button").forEach(function (other) {
            other.setAttribute("aria-pressed", other === b ? "true" : "false");
          });
          chosen[index] = label.toLowerCase() === correct;
          verdict.className = "sg-quiz__verdict sg-quiz__verdict--" + (chosen[index] ? "right" : "wrong");
          verdict.textContent = chosen[index] ? "Correct." : "Not quite: the answer is " + (correct === "true" ? "True." : "False.");
          item.querySelector("details").open = true;
          update();
        });
        choices.appendChild(b);
      });
      var answer = item.querySelector("details");
      item.insertBefore(choices, answer);
      item.insertBefore(verdict, answer);
    });
    root.appendChild(score);
  }

  function enhance() {
    helpers = helpers.filter(function (helper) { return document.contains(helper.root); });  // left by instant navigation
    document.querySelectorAll("[data-flow]:not(.sg-flow--js)").forEach(function (root) {
      // The whole guidance (whole-guidance/) is for reading and printing: every step stays in view there.
      if (!root.closest("[data-sg-whole-guidance]")) new DecisionHelper(root);
    });
    document.querySelectorAll("[data-quiz]:not(.sg-quiz--js)").forEach(function (root) {
      root.classList.add("sg-quiz--js");
      new Quiz(root);
    });
  }
  window.addEventListener("popstate", function () {
    helpers = helpers.filter(function (helper) { return document.contains(helper.root); });
    helpers.forEach(function (helper) { helper.restore(); });
  });
  // Material's document$ tells of the page once it is ready and of each page its instant navigation (if a site turns
  // it on) swaps in without loading this script again. Without Material's script, the page once it is ready.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(enhance);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
