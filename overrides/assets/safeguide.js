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
  new MutationObserver(enhance).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", fitName);
  enhance();
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
