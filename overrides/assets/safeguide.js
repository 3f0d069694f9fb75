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
  new MutationObserver(nameVersionButtons).observe(document.documentElement, { childList: true, subtree: true });
  nameVersionButtons();
})();
