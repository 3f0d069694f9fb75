// Print (issue 12): the date a page is printed, in the block at the top of the first printed page and in the
// margins of every printed page (print.css reads --sg-print-date); and, where the build did not know the
// page's web address (no site_url in mkdocs.yml, or the 404 page), the address the browser shows.
(function () {
  function cssString(text) {
    return '"' + String(text).replace(/[\\"]/g, "\\$&").replace(/[\n\r\f]/g, " ") + '"';
  }
  function fill() {
    var root = document.documentElement;
    var printed = "Printed " + new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    root.style.setProperty("--sg-print-date", cssString(printed));
    document.querySelectorAll("[data-sg-print-date]").forEach(function (el) { el.textContent = printed; });
    document.querySelectorAll("[data-sg-print-address][data-sg-unknown]").forEach(function (el) {
      el.textContent = location.href;
      root.style.setProperty("--sg-print-address", cssString(location.href));
    });
  }
  // Each page Material's instant navigation (if a site turns it on) swaps in has its own print header: document$
  // tells of it, and of the first page. Without Material's script, the page as it is.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(fill);
  else fill();
  window.addEventListener("beforeprint", fill);  // a page left open is printed on a later day
})();
