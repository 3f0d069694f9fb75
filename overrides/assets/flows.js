// safeguide: decision helpers and quizzes, enhanced in place. Everything here also works without
// JavaScript (answer links and <details>); this adds "your answers", a record of the decision and
// quiz marking. Nothing is sent or stored anywhere: it all lives in the page until it is closed.
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

  // One decision helper: shows one step at a time and remembers the answers given on the way.
  function DecisionHelper(root) {
    var self = this;
    this.root = root;
    this.title = root.getAttribute("data-title") || "";
    this.steps = {};
    root.querySelectorAll("[data-flow-step]").forEach(function (step) {
      self.steps[step.getAttribute("data-flow-step")] = step;
    });
    this.first = root.querySelector("[data-flow-step][data-first]").getAttribute("data-flow-step");
    this.answers = []; // [{step, question, answer}]
    this.summary = make("div", { class: "sg-flow__summary", hidden: "" });
    this.summary.appendChild(make("h2", { class: "sg-flow__summary-title" }, "Your answers"));
    this.list = this.summary.appendChild(make("dl"));
    root.appendChild(this.summary);
    root.classList.add("sg-flow--js");
    root.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-answer], a[data-restart]");
      if (!link || !root.contains(link)) return;
      event.preventDefault();
      if (link.hasAttribute("data-restart")) {
        self.answers = [];
        self.show(self.first, true);
      } else {
        var step = link.closest("[data-flow-step]");
        self.answers.push({
          step: step.getAttribute("data-flow-step"),
          question: textOf(step.querySelector(".sg-flow__title")),
          answer: link.getAttribute("data-answer")
        });
        self.show(link.getAttribute("data-next"), true);
      }
    });
    var fromAddress = location.hash && root.querySelector("[data-flow-step]" + "[id='" + location.hash.slice(1).replace(/'/g, "") + "']");
    this.show(fromAddress ? fromAddress.getAttribute("data-flow-step") : this.first, false);
  }

  DecisionHelper.prototype.show = function (name, moveFocus) {
    var self = this;
    Object.keys(this.steps).forEach(function (key) {
      self.steps[key].hidden = key !== name;
    });
    var step = this.steps[name];
    this.renderAnswers();
    var old = this.root.querySelector(".sg-record");
    if (old) old.remove();
    if (step.getAttribute("data-kind") === "outcome") step.appendChild(this.record(step));
    if (moveFocus) step.querySelector(".sg-flow__title").focus();
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
        self.answers = self.answers.slice(0, index);
        self.show(entry.step, true);
      });
      var cell = make("dd", { class: "sg-flow__change" });
      cell.appendChild(change);
      self.list.appendChild(cell);
    });
  };

  // The record of this decision: questions, answers, outcome and date, to print or copy.
  DecisionHelper.prototype.record = function (step) {
    var outcome = textOf(step.querySelector(".sg-flow__kind")) + ": " + textOf(step.querySelector(".sg-flow__title"));
    var when = today();
    var section = make("section", { class: "sg-record", "aria-labelledby": step.id + "-record" });
    section.appendChild(make("h3", { id: step.id + "-record" }, "Record of this decision"));
    section.appendChild(make("p", {}, "Keep this with your notes. Nothing on this page has been sent or saved anywhere."));
    var list = section.appendChild(make("dl"));
    var lines = ["Record of this decision", this.title, "Date: " + when, ""];
    function add(term, value) {
      list.appendChild(make("dt", {}, term));
      list.appendChild(make("dd", {}, value));
    }
    add("Date", when);
    add("Helper", this.title);
    this.answers.forEach(function (entry) {
      add(entry.question, entry.answer);
      lines.push(entry.question + " " + entry.answer);
    });
    add("Outcome", outcome);
    lines.push("", "Outcome: " + outcome, "", "Your reasons:", "", "Who you shared with, what and when:", "");
    var status = make("p", { class: "sg-record__status", role: "status" });
    var print = button("Print this record");
    print.addEventListener("click", function () {
      document.body.classList.add("sg-printing-record");
      window.addEventListener("afterprint", function done() {
        document.body.classList.remove("sg-printing-record");
        window.removeEventListener("afterprint", done);
      });
      window.print();
    });
    var copy = button("Copy this record");
    copy.addEventListener("click", function () {
      var text = lines.join("\n");
      var copied = navigator.clipboard && window.isSecureContext ? navigator.clipboard.writeText(text) : Promise.reject();
      copied.then(function () {
        status.textContent = "Copied. Paste it into your case notes.";
      }, function () {
        var range = document.createRange();
        range.selectNodeContents(list);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = "Your browser did not let us copy. The record is selected: press Ctrl+C (or Cmd+C) to copy it.";
      });
    });
    section.appendChild(print);
    section.appendChild(copy);
    section.appendChild(status);
    return section;
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
    document.querySelectorAll("[data-flow]:not(.sg-flow--js)").forEach(function (root) {
      new DecisionHelper(root);
    });
    document.querySelectorAll("[data-quiz]:not(.sg-quiz--js)").forEach(function (root) {
      root.classList.add("sg-quiz--js");
      new Quiz(root);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
