// Material's version selector labels its button "Select version" while showing e.g. "3.1"; WCAG 2.5.3
// (label in name) wants the visible text inside the accessible name, so name it "Version 3.1".
(function () {
  function nameVersionButtons() {
    document.querySelectorAll(".md-version__current").forEach(function (button) {
      var shown = button.textContent.trim();
      if (shown && button.getAttribute("aria-label") !== "Version " + shown) {
        button.setAttribute("aria-label", "Version " + shown);
      }
    });
  }
  // Material wraps wide tables in a sideways-scrolling box; keyboard users must be able to reach it
  // to scroll it (WCAG 2.1.1), and screen readers need to know what it is.
  function focusableTableScrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (wrap) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table (scroll sideways to see all of it)");
    });
  }
  // Below desktop width the header shows the partnership's full name where it fits and its short name
  // where it does not (without JavaScript, CSS decides by screen width alone). A desktop keeps the full name.
  var narrow = window.matchMedia("(max-width: 76.234375em)");
  function fitName() {
    document.querySelectorAll(".md-header__topic").forEach(function (topic) {
      var box = topic.querySelector(".md-ellipsis");
      if (!box || !topic.querySelector(".sg-name--long")) return;
      topic.classList.remove("sg-name--fit-short");
      if (narrow.matches && box.scrollWidth > box.clientWidth + 1) topic.classList.add("sg-name--fit-short");
    });
  }
  function enhance() {
    nameVersionButtons();
    focusableTableScrollers();
    fitName();
  }
  // Material's document$ tells of the page once Material has set it up (tables wrapped) and of each page its instant
  // navigation (if a site turns it on) swaps in without loading this script again. Without Material's script, the
  // page once it is ready.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(enhance);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
  // The version selector arrives later, once Material has fetched the list of versions, and instant navigation
  // swaps the header's page title: both in the header, which stays for the life of the page.
  var header = document.querySelector(".md-header");
  if (header) {
    new MutationObserver(function () {
      nameVersionButtons();
      fitName();
    }).observe(header, { childList: true, subtree: true });
  }
  window.addEventListener("resize", fitName);
})();

// An abbreviation's expansion shows on hover and focus (CSS); Escape hides it again without moving
// focus, as WCAG 1.4.13 asks of content that appears on hover or focus.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  if (document.activeElement && document.activeElement.classList.contains("sg-abbr")) {
    document.activeElement.classList.add("sg-abbr--dismissed");
  }
  // Material's own tooltips (theme feature content.tooltips) take over when JavaScript runs.
  document.querySelectorAll(".md-tooltip2--active").forEach(function (tip) {
    tip.classList.remove("md-tooltip2--active");
  });
});
document.addEventListener("focusout", function (event) {
  if (event.target.classList && event.target.classList.contains("sg-abbr")) {
    event.target.classList.remove("sg-abbr--dismissed");
  }
});

// The decision helpers' and quizzes' script (flows.js, beside this one) is fetched only for a page that has a
// decision helper or a quiz, once: on the page Material's document$ tells of (the first, and each its instant
// navigation swaps in), or, without Material's script, once the page is ready.
(function () {
  var self = document.currentScript;
  var flows = self && self.src ? new URL("flows.js", self.src).href : null;
  var loaded = false;
  function loadFlows() {
    if (loaded || !flows || !document.querySelector("[data-flow], [data-quiz]")) return;
    loaded = true;
    var script = document.createElement("script");
    script.src = flows;
    document.body.appendChild(script);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(loadFlows);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", loadFlows);
  else loadFlows();
})();

// Text size and high visibility: the control in the header (partials/sg-display-control.html). The reader's choice is
// applied before first paint by a small script in <head> (partials/sg-display-head.html), with the same two settings;
// this wires the control, keeps the choice in localStorage (nothing is sent anywhere) and follows a choice made in
// another tab. display.css does the rest from two attributes on <html>: data-sg-text and data-sg-contrast.
(function () {
  var root = document.documentElement;
  var SETTINGS = { "sg-text": ["standard", "large", "largest"], "sg-contrast": ["standard", "high"] };
  function stored(name) {
    try { var value = localStorage.getItem(name); } catch (e) { return null; }
    return SETTINGS[name].indexOf(value) > 0 ? value : null;
  }
  function apply() {
    for (var name in SETTINGS) {
      var value = stored(name), attribute = "data-" + name;
      if (value) root.setAttribute(attribute, value); else root.removeAttribute(attribute);
    }
  }
  function choose(name, value) {
    try {
      if (SETTINGS[name].indexOf(value) > 0) localStorage.setItem(name, value); else localStorage.removeItem(name);
    } catch (e) {}
    if (SETTINGS[name].indexOf(value) > 0) root.setAttribute("data-" + name, value); else root.removeAttribute("data-" + name);
  }
  function wire() {
    var control = document.querySelector("[data-sg-display]");
    if (!control || control.sgWired) return;
    control.sgWired = true;
    var button = control.querySelector("button"), panel = control.querySelector("[data-sg-display-panel]");
    function open(state) {
      button.setAttribute("aria-expanded", String(state));
      panel.hidden = !state;
    }
    function sync() {
      for (var input of control.querySelectorAll("input[type=radio]")) {
        input.checked = input.value === (root.getAttribute("data-" + input.name) || "standard");
      }
    }
    sync();
    button.addEventListener("click", function () { open(panel.hidden); });
    control.addEventListener("change", function (event) { choose(event.target.name, event.target.value); });
    control.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { event.stopPropagation(); open(false); button.focus(); }
    });
    control.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !control.contains(event.relatedTarget)) open(false);
    });
    document.addEventListener("click", function (event) {
      if (!panel.hidden && !control.contains(event.target)) open(false);
    });
    window.addEventListener("storage", function () { apply(); sync(); });
    control.hidden = false;
  }
  // The header, and so the control, stays while instant navigation (if a site turns it on) swaps pages: wired once.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(wire);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
