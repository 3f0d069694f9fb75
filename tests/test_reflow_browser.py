"""Reflow: at 320, 390 and 1280 px no page of any demo partnership scrolls sideways, and every phone number,
e-mail address and contact's hours lie fully inside the viewport and inside their card, uncut.

Every page type of every version in each partnership's versions.json (drafts and replaced releases too) is
loaded once and measured at each width; decision helpers are walked to every outcome with JavaScript (by clicking the answers)
and without it (by each outcome's #address). All checks for one page run in one page.evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser import HEIGHT, ROOT, resize
from tests.site_html import WHOLE_GUIDANCE

pytestmark = pytest.mark.browser

REFLOW_WIDTHS = (1280, 390, 320)
# One of each page type, by its path inside a version; those a version lacks are skipped.
PAGE_TYPES = (
    "",  # home
    "urgent/",
    "contacts/",
    "consent/",  # a chapter
    "flowchart/",  # flow diagram / appendix
    "scenarios/",
    "learn/module-1/",
    "glossary/",
    "sources/",
    "version-history/",
    "what-changed/",
    "review-report/",  # only a draft has one
    "404.html",
)

# Everything a reader must be able to read whole: phone numbers, e-mail addresses, a contact's hours.
_CHECK = """
async ([mode]) => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const BOX = ".sg-contact-card, .sg-record, .sg-flow, .admonition, details, .sg-local, .sg-scenario, .sg-quiz, "
    + ".sg-diagram__box, .md-banner, td, th, blockquote";
  const TARGETS = 'a[href^="tel:"], a[href^="mailto:"], .sg-contact-card__hours, .sg-contact-card__email, .sg-contact__hours';
  const describe = el => `${el.tagName.toLowerCase()}${el.classList.length ? "." + [...el.classList].join(".") : ""} `
    + JSON.stringify((el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60));
  const inner = box => { const r = box.getBoundingClientRect(); const l = r.left + box.clientLeft; return [l, l + box.clientWidth]; };

  function check(where) {
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) {
      const wide = [...document.body.querySelectorAll("*")]
        .map(el => [el.getBoundingClientRect().right - vw, el]).filter(([d]) => d > 0.5).sort((a, b) => b[0] - a[0]);
      problems.push(`${where}page scrolls sideways (scrollWidth ${doc.scrollWidth} > ${window.innerWidth}); widest: `
        + wide.slice(0, 2).map(([d, el]) => `${describe(el)} +${Math.round(d)}px`).join(", "));
    }
    for (const el of document.querySelectorAll(TARGETS)) {
      if (el.closest(".md-sidebar, .md-search, .sg-visually-hidden, [hidden]")) continue;  // off-canvas or not shown
      const rects = [...el.getClientRects()].filter(r => r.width > 0 && r.height > 0);
      if (!rects.length) continue;  // not rendered (e.g. inside a closed <details>)
      const name = describe(el);
      const left = Math.min(...rects.map(r => r.left)), right = Math.max(...rects.map(r => r.right));
      if (left < -0.5 || right > vw + 0.5) {
        problems.push(`${where}${name} lies outside the viewport (${Math.round(left)}..${Math.round(right)} of ${vw} px)`);
      }
      const box = el.parentElement && el.parentElement.closest(BOX);
      if (box) {
        const [l, r] = inner(box);
        if (left < l - 0.5 || right > r + 0.5) {
          problems.push(`${where}${name} runs outside its box ${describe(box).split(" ")[0]} `
            + `(${Math.round(left)}..${Math.round(right)}, box ${Math.round(l)}..${Math.round(r)})`);
        }
      }
      const style = getComputedStyle(el);
      if (style.display !== "inline" && el.scrollWidth > el.clientWidth + 0.5) {
        problems.push(`${where}${name} is cut (scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth})`);
      }
      for (let a = el; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.textOverflow === "ellipsis" && s.overflowX !== "visible" && a.scrollWidth > a.clientWidth + 0.5) {
          problems.push(`${where}${name} is cut off with an ellipsis by ${describe(a).split(" ")[0]}`);
          break;
        }
        if (a === el || s.overflowX === "visible") continue;
        const [l, r] = inner(a);
        if (left < l - 0.5 || right > r + 0.5) {
          problems.push(`${where}${name} is hidden or scrolled away by ${describe(a).split(" ")[0]} (overflow ${s.overflowX})`);
          break;
        }
      }
    }
  }

  const steps = [...document.querySelectorAll("[data-flow] [data-flow-step]")];
  const outcomes = steps.filter(s => s.dataset.kind === "outcome");
  if (mode === "page" || !outcomes.length) { check(""); return problems; }
  if (mode === "nojs") {
    for (const outcome of outcomes) { location.hash = outcome.id; check(`at #${outcome.id}: `); }
    return problems;
  }
  // With JavaScript: answer the questions along a route to each outcome, then check.
  for (const flow of document.querySelectorAll("[data-flow]")) {
    const first = flow.querySelector("[data-flow-step][data-first]").dataset.flowStep;
    const route = { [first]: [] };
    const queue = [first];
    while (queue.length) {
      const name = queue.shift();
      const step = flow.querySelector(`[data-flow-step="${CSS.escape(name)}"]`);
      for (const answer of step.querySelectorAll("a[data-answer]")) {
        const next = answer.dataset.next;
        if (!(next in route)) { route[next] = [...route[name], [name, answer.dataset.answer]]; queue.push(next); }
      }
    }
    for (const outcome of flow.querySelectorAll('[data-flow-step][data-kind="outcome"]')) {
      const target = outcome.dataset.flowStep;
      if (!(target in route)) continue;
      const restart = flow.querySelector("[data-flow-step]:not([hidden]) a[data-restart]");
      if (restart) restart.click();
      for (const [name, label] of route[target]) {
        const step = flow.querySelector(`[data-flow-step="${CSS.escape(name)}"]`);
        [...step.querySelectorAll("a[data-answer]")].find(a => a.dataset.answer === label).click();
      }
      if (flow.querySelector(`[data-flow-step="${CSS.escape(target)}"]`).hidden) {
        problems.push(`answering ${JSON.stringify(route[target])} did not reach outcome ${target}`);
        continue;
      }
      check(`at outcome ${target} (with JavaScript): `);
    }
  }
  return problems;
}
"""


BASELINE = {path.stem for path in (ROOT / "docs").glob("*.md")}


def versions(site: Path, partnership: str) -> list[str]:
    return [entry["version"] for entry in json.loads((site / partnership / "versions.json").read_text(encoding="utf-8"))]


def reflow_pages(site: Path) -> list[tuple[str, str]]:
    """(address inside the site, mode): mode "page" for a plain check, "js"/"nojs" for a decision helper's outcomes."""
    pages = [("index.html", "page")]  # the landing page
    for info in sorted(site.glob("*/versions.json")):
        partnership = info.parent.name
        for version in versions(site, partnership):
            root = site / partnership / version
            assert root.is_dir(), f"{partnership}/versions.json lists {version}, which was not built"
            found = [path for path in PAGE_TYPES if (root / path / ("" if path.endswith(".html") else "index.html")).is_file()]
            pages += [(f"{partnership}/{version}/{path}", "page") for path in found]
            # Every page with a decision helper (flows/*, and local pages that carry one), at every outcome.
            for html in sorted(root.rglob("index.html")):
                if html.parent.name == WHOLE_GUIDANCE:  # every chapter again, flowcharts as text: tests/test_whole_guidance_browser.py
                    continue
                if 'data-flow="' in html.read_text(encoding="utf-8"):
                    path = html.parent.relative_to(root).as_posix() + "/"
                    pages += [(f"{partnership}/{version}/{path}", "js"), (f"{partnership}/{version}/{path}", "nojs")]
            # The partnership's own pages: top-level pages the baseline (docs/) does not have.
            for html in sorted(root.glob("*/index.html")):
                name = html.parent.name
                if name not in BASELINE and name not in ("search", "flows", "learn", WHOLE_GUIDANCE) and f"{name}/" not in PAGE_TYPES:
                    pages.append((f"{partnership}/{version}/{name}/", "page"))
    return pages


def _fresh_check(browser, url: str, width: int, js: bool, mode: str) -> list[str]:
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, java_script_enabled=js)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        return page.evaluate(_CHECK, [mode])
    finally:
        context.close()


def test_reflow_numbers_and_contacts_are_never_cut_or_off_screen(browser, site_url, demo_site) -> None:
    pages = reflow_pages(demo_site)
    assert any(mode == "nojs" for _, mode in pages), "no decision helper found to check"
    problems: list[str] = []
    # One tab with JavaScript and one without; each page loads once and is measured at every width (resizing relays
    # it out as a fresh load at that width would). A resize Chromium does not answer is done by a fresh load instead.
    contexts = {js: browser.new_context(viewport={"width": REFLOW_WIDTHS[0], "height": HEIGHT}, java_script_enabled=js) for js in (True, False)}
    try:
        tabs = {js: context.new_page() for js, context in contexts.items()}
        for address, mode in pages:
            js = mode != "nojs"
            url = site_url + address
            if not resize(tabs[js], REFLOW_WIDTHS[0]):
                tabs[js].close()
                tabs[js] = contexts[js].new_page()
            tabs[js].goto(url, wait_until="load")
            for width in REFLOW_WIDTHS:
                if resize(tabs[js], width):
                    found = tabs[js].evaluate(_CHECK, [mode])
                else:
                    found = _fresh_check(browser, url, width, js, mode)
                    tabs[js].close()
                    tabs[js] = contexts[js].new_page()
                    tabs[js].goto(url, wait_until="load")
                problems += [f"{url} at {width} px: {problem}" for problem in found]
    finally:
        for context in contexts.values():
            context.close()
    if problems:
        shown = problems[:300]
        more = f"\n... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        pytest.fail(f"{len(problems)} reflow problems:\n" + "\n".join(shown) + more, pytrace=False)
