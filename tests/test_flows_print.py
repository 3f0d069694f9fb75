"""Printed decision records and flowcharts, as Chromium prints them to A4 (page.pdf) and pypdf reads them back.

"Print this record" prints one A4 page that says where the record came from (partnership, version, the page's web
address, the date), the questions and answers, the outcome's advice and whom to contact, with every number written
out, and the prompts that "Copy this record" gives: the copied text and the printout come from the same record.
A flowchart appendix prints on at most two A4 pages and no flowchart box is split across a page break. On screen,
each diagram's boxes follow their numbers and an arrow joins two boxes only where an answer leads from one to the
next. The record is printed for every flow of every demo partnership (each with its own contacts), along the longest
route to the outcome with the most advice and contacts; the flowcharts, once per distinct diagram. One browser page
serves the whole module."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser import HEIGHT, current_version, version_url
from tests.conftest import demo_ids
from tests.site_html import WHOLE_GUIDANCE
from tests.test_flows_history_browser import ROUTES, flow_pages

pytestmark = pytest.mark.browser

APPENDIX = ("riverside", "flowchart/")  # the demo's flowchart appendix: the diagram and its text, nothing else
APPENDIX_PAGES = 2
_LABEL = re.compile(r'<p class="sg-diagram__label">(.*?)</p>')  # a diagram box's number and title
PROMPTS = ("Your reasons", "Who you shared with")  # at least these, in the copied text and the printout


@pytest.fixture(scope="module")
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def printed(page) -> list[str]:
    """The page printed to A4 by Chromium, as the text of each printed page."""
    page.emulate_media(media="print")
    try:
        pdf = page.pdf(format="A4")
    finally:
        page.emulate_media(media="screen")
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def squeeze(text: str) -> str:
    """Text with no white space: a line break in a PDF may fall anywhere (even inside an address)."""
    return re.sub(r"\s+", "", text)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def edition(demo_site: Path, partnership: str) -> tuple[str, str]:
    """(version, what a printout must say of it): the approval date, or DRAFT."""
    info = json.loads((demo_site / partnership / "partnership.json").read_text(encoding="utf-8"))
    version = current_version(demo_site, partnership)
    if info.get("draft_version") == version:
        return version, "DRAFT"
    return version, long_date(dt.date.fromisoformat(info["date"]))


_ANSWER = """
([flow, route]) => {
  for (const [step, label] of route) {
    const links = document.querySelectorAll(`[data-flow="${flow}"] [data-flow-step="${step}"] a[data-answer]`);
    [...links].find(a => a.dataset.answer === label).click();
  }
}
"""
_OUTCOME = """
([flow, outcome, asked]) => {
  const root = document.querySelector(`[data-flow="${flow}"]`);
  const step = root.querySelector(`[data-flow-step="${outcome}"]`);
  const text = el => el ? el.textContent.replace(/\\s+/g, " ").trim() : "";
  const canonical = document.querySelector('link[rel="canonical"]');
  return {
    title: text(step.querySelector(".sg-flow__title")),
    questions: asked.map(name => text(root.querySelector(`[data-flow-step="${name}"] .sg-flow__title`))),
    advice: [...step.querySelectorAll(".sg-flow__text p, .sg-flow__text li")].map(text),
    names: [...step.querySelectorAll(".sg-flow__call .sg-contact-card__name")].map(text),
    numbers: [...step.querySelectorAll('.sg-flow__call a[href^="tel:"]')].map(text),
    address: (canonical ? canonical.href : location.href).split("#")[0] + "#" + step.id,
  };
}
"""


def test_print_this_record_prints_one_a4_page_with_everything_the_copy_has(page, site_url, demo_site) -> None:
    today = long_date(dt.date.today())
    checked = 0
    for partnership, path, flow in flow_pages(demo_site, distinct=False):  # each partnership's own contacts
        name = json.loads((demo_site / partnership / "partnership.json").read_text(encoding="utf-8"))["name"]
        version, status = edition(demo_site, partnership)
        url = version_url(site_url, demo_site, partnership, path)
        page.goto(url, wait_until="load")
        route = page.evaluate(ROUTES, flow)["fullest"]  # the most advice and contacts, after the most answers
        where = f"{partnership}/{path} ({flow}, {' > '.join(label for _, label in route)})"
        page.evaluate(_ANSWER, [flow, route])  # clicks, in the page: Playwright's own take 0.2 s each
        outcome = page.evaluate(f'document.querySelector(\'[data-flow="{flow}"] [data-flow-step]:not([hidden])\').dataset.flowStep')
        expected = page.evaluate(_OUTCOME, [flow, outcome, [step for step, _ in route]])
        record = page.locator(f'[data-flow="{flow}"] [data-flow-step="{outcome}"] .sg-record')

        record.get_by_role("button", name="Copy this record").dispatch_event("click")
        page.wait_for_function("document.querySelector('.sg-record__status').textContent.startsWith('Copied')")
        copied = page.evaluate("navigator.clipboard.readText()")

        page.evaluate("window.print = () => {}")  # no print dialog in a test: print.css and page.pdf() print
        record.get_by_role("button", name="Print this record").dispatch_event("click")
        pages = printed(page)
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert len(pages) == 1, f"{where}: the record printed on {len(pages)} A4 pages:\n" + "\n---\n".join(pages)
        sheet = squeeze(pages[0])

        wanted = {
            "partnership": "Partnership" + name,
            "version": "Guidance version" + version,
            "web address": expected["address"],
            "date": today,
            "outcome": expected["title"],
            **{f"answer to {q!r}": q + a for q, (_, a) in zip(expected["questions"], route, strict=True)},
            **{f"advice {i + 1}": text for i, text in enumerate(expected["advice"])},
            **{f"contact {n}": n for n in expected["names"]},
            **{f"number {n}": n for n in expected["numbers"]},
            **{f"prompt {p!r}": p for p in PROMPTS},
        }
        missing = [what for what, text in wanted.items() if squeeze(text) not in sheet]
        assert not missing, f"{where}: the printed record lacks {missing}:\n{pages[0]}"
        version_line = next(line for line in pages[0].splitlines() if line.startswith("Guidance version"))
        assert status in version_line, f"{where}: the record's version does not say {status!r}: {version_line!r}"
        assert expected["numbers"], f"{where}: this outcome shows no number to call"
        for prompt in PROMPTS:
            assert prompt in copied, f"{where}: the copied record lacks {prompt!r}:\n{copied}"
        lines = [line for line in copied.splitlines() if line.strip()]
        unprinted = [line for line in lines if squeeze(line.removeprefix("- ")).replace(":", "") not in sheet.replace(":", "")]
        assert not unprinted, f"{where}: copied but not printed: {unprinted}"
        checked += 1
    assert checked >= 8


def box_tokens(page, figure: int) -> list[tuple[str, list[str]]]:
    """Each box of the figure'th diagram as the pieces of text it prints, in order (label, hint, each exit)."""
    return page.evaluate(
        """(n) => [...document.querySelectorAll("[data-flow-diagram]")[n].querySelectorAll(".sg-diagram__box")].map(box => {
          const text = el => el.innerText.replace(/\\s+/g, " ").trim();
          const parts = [text(box.querySelector(".sg-diagram__label"))];
          const hint = box.querySelector(".sg-diagram__hint");
          if (hint && hint.offsetParent !== null) parts.push(text(hint));
          for (const a of box.querySelectorAll(".sg-diagram__arrows a")) {
            const to = document.getElementById(a.hash.slice(1)).querySelector(".sg-diagram__number");
            parts.push(text(a.querySelector(".sg-diagram__answer")) + " " + text(to));
          }
          return [box.id, parts];
        })""",
        figure,
    )


def arrow_targets(page) -> dict[str, dict[str, int]]:
    """For each box id, the box number each exit leads to."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(".sg-diagram__box")].map(box => [box.id,
          Object.fromEntries([...box.querySelectorAll(".sg-diagram__arrows a")].map(a =>
            [a.querySelector(".sg-diagram__answer").textContent.trim(),
             Number(document.getElementById(a.hash.slice(1)).querySelector(".sg-diagram__number").textContent)]))]))"""
    )


def test_flowcharts_print_whole_boxes_and_the_appendix_on_two_pages(page, site_url, demo_site) -> None:
    pages_with_diagrams, seen = [], set()  # each distinct diagram once (partnerships share the baseline's), and the appendix
    for partnership in demo_ids():
        folder = demo_site / partnership / current_version(demo_site, partnership)
        for file in sorted(folder.rglob("index.html")):
            if file.parent.name == WHOLE_GUIDANCE:  # printed as a PDF of its own (tests/test_whole_guidance.py)
                continue
            text = file.read_text(encoding="utf-8")
            shapes = set(_LABEL.findall(text))
            where = (partnership, file.parent.relative_to(folder).as_posix() + "/")
            if (shapes and not shapes <= seen) or where == APPENDIX:
                seen |= shapes
                pages_with_diagrams.append(where)
    assert APPENDIX in pages_with_diagrams
    for partnership, path in pages_with_diagrams:
        page.goto(version_url(site_url, demo_site, partnership, path), wait_until="load")
        where = f"{partnership}/{path}"
        figures = page.locator("[data-flow-diagram]").count()
        page.emulate_media(media="print")  # the boxes' printed text (hints print, for instance)
        boxes = [box for n in range(figures) for box in box_tokens(page, n)]
        page.emulate_media(media="screen")
        sheets = [squeeze(text) for text in printed(page)]
        if (partnership, path) == APPENDIX:
            assert len(sheets) <= APPENDIX_PAGES, f"{where}: the flowchart appendix prints on {len(sheets)} A4 pages"
        for box_id, parts in boxes:
            pattern = ".*?".join(re.escape(squeeze(part)) for part in parts)  # in order; exits print as "Yes → 3"
            whole = [i + 1 for i, sheet in enumerate(sheets) if re.search(pattern, sheet.replace("→", ""))]
            assert whole, f"{where}: box {box_id} ({parts[0]!r}) is not printed whole on any one page"


_ARROWS = """
() => {
  const found = [];
  for (const figure of document.querySelectorAll("[data-flow-diagram]")) {
    for (const el of figure.querySelectorAll("*")) {
      const drawn = ["::before", "::after"].map(p => getComputedStyle(el, p).content).join(" ");
      const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(" ");
      if (/[↓⬇]/.test(drawn + own)) found.push({ link: el.closest(".sg-diagram__link") !== null, cls: String(el.className),
        before: el.closest(".sg-diagram__link")?.previousElementSibling?.id, after: el.closest(".sg-diagram__link")?.nextElementSibling?.id });
    }
  }
  return found;
}
"""


def test_diagrams_follow_their_numbers_with_arrows_only_where_a_path_exists(page, site_url, demo_site) -> None:
    for partnership, path, _flow in flow_pages(demo_site):
        page.goto(version_url(site_url, demo_site, partnership, path), wait_until="load")
        where = f"{partnership}/{path}"
        shown = page.evaluate(
            """() => [...document.querySelectorAll("[data-flow-diagram]")].map(f => [...f.querySelectorAll(".sg-diagram__box")]
                 .sort((a, b) => { const r = a.getBoundingClientRect(), s = b.getBoundingClientRect();
                                   return Math.abs(r.top - s.top) > 4 ? r.top - s.top : r.left - s.left; })
                 .map(b => [b.id, Number(b.querySelector(".sg-diagram__number").textContent)]))"""
        )
        exits = arrow_targets(page)
        for boxes in shown:
            numbers = [n for _, n in boxes]
            assert numbers == list(range(1, len(boxes) + 1)), f"{where}: read top to bottom, left to right, the boxes go {numbers}"
            for box_id, number in boxes:
                backwards = {a: n for a, n in exits[box_id].items() if n <= number}
                assert not backwards, f"{where}: box {number} leads back up the chart: {backwards}"
        number_of = {box_id: n for boxes in shown for box_id, n in boxes}
        for arrow in page.evaluate(_ARROWS):
            assert arrow["link"], f"{where}: an arrow is drawn outside any answer's link: {arrow}"
            before, after = number_of.get(arrow["before"]), number_of.get(arrow["after"])
            assert before is not None and after == before + 1, f"{where}: an arrow that does not join two boxes in turn: {arrow}"
            assert after in exits[arrow["before"]].values(), f"{where}: an arrow from box {before} to {after}, where no answer leads: {arrow}"
