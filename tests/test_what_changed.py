""""What changed" as readers see it: a contents list that leads to each changed page's section, a change made
in many places (a new phone number) listed once with where it was made, every change still marked <ins>/<del>,
and a page short enough to read on a phone."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from safeguide.core.changes import compare, explained_by, repeated
from tests.browser import HEIGHT
from tests.conftest import demo_ids

IDS = demo_ids()

# Riverside 3.1's "What changed" at 390 px before contents and grouping: every change listed where it was made.
HEIGHT_BEFORE = 19_674


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def article(html: str) -> str:
    return re.search(r"<article\b.*?</article>", html, re.S).group(0)


def what_changed_pages(site: Path) -> dict[str, str]:
    return {f"{p.parent.parent.parent.name} {p.parent.parent.name}": p.read_text(encoding="utf-8") for p in sorted(site.glob("*/*/what-changed/index.html"))}


def test_every_what_changed_page_with_changes_has_a_contents_list_leading_to_its_sections(demo_site: Path) -> None:
    checked = 0
    for name, html in what_changed_pages(demo_site).items():
        body = article(html)
        if "Compared with version" not in body or "No page's text has changed" in body:
            assert 'class="sg-changes__contents"' not in body, name
            continue
        nav = re.search(r'<nav class="sg-changes__contents"[^>]*>(.*?)</nav>', body, re.S)
        assert nav, f"{name}: no contents list"
        ids = set(re.findall(r'\sid="([^"]+)"', body))
        targets = re.findall(r'href="#([^"]+)"', nav.group(1))
        assert targets, f"{name}: the contents list links nowhere"
        assert not [t for t in targets if t not in ids], f"{name}: contents links to missing sections"
        for heading in re.findall(r'<h3 id="(changed-[^"]+)"', body):  # every changed page is in the contents
            assert heading in targets, f"{name}: {heading} is not in the contents"
        checked += 1
    assert checked >= 3


def test_a_new_phone_number_is_listed_once_with_how_many_places(demo_site: Path) -> None:
    body = article((demo_site / "riverside" / "3.1" / "what-changed" / "index.html").read_text(encoding="utf-8"))
    line = re.search(r"<del>0117 496 0100</del> → <ins>0117 496 0123</ins>, in (\d+) places", body)
    assert line, "Riverside's new children's hub number is not listed once"
    assert int(line.group(1)) >= 20
    assert text(body).count("0117 496 0100 → 0117 496 0123") == 1
    where = re.search(r"0117 496 0123</ins>, in \d+ places\s*<details[^>]*>\s*<summary>(.*?)</summary>(.*?)</details>", body, re.S)
    assert where and "contacts/" in where.group(2) and "Local contacts" in text(where.group(2)), "the grouped change does not say where"
    # Each page's own list no longer repeats it (only a sentence rewritten around it still shows it in place).
    changed = body.split('id="pages-changed"', 1)[1]
    assert "<del>0100</del>" not in changed and changed.count("0100") <= 5
    # Every change that is shown is still marked as inserted or deleted.
    items = re.findall(r'<li class="sg-change">(.*?)</li>', changed, re.S)
    assert items and all("<ins>" in i or "<del>" in i for i in items)


def test_a_release_compares_approved_text_with_approved_text(demo_site: Path) -> None:
    """A release's "What changed" uses the text stored when each release was approved (pages.json), not what this
    version of safeguide makes of the same pages today: since Riverside 3.1 was approved, safeguide lists the
    should-I-share flowchart's questions in another order, which is no change to the guidance."""
    body = article((demo_site / "riverside" / "3.1" / "what-changed" / "index.html").read_text(encoding="utf-8"))
    flow = body.split('id="changed-flows-should-i-share-md"', 1)[1].split("<h3", 1)[0]
    assert "Should I share information?" in text(body) and "changes made in many places" in text(flow)
    assert "Is there another lawful basis" not in text(flow)


def test_grouping_keeps_every_change_either_in_its_page_or_in_the_grouped_list() -> None:
    old = {f"p{i}.md": {"title": f"P{i}", "url": f"p{i}/", "blocks": ["§ Call", f"Call 0117 496 0100 about case {i}.", "Text."]} for i in range(3)}
    new = {uri: {**page, "blocks": [b.replace("0100", "0123") for b in page["blocks"]]} for uri, page in old.items()}
    new["p0.md"]["blocks"][2] = "Text changed."
    pages = compare(old, new)
    common = repeated(pages)
    assert [(r.old, r.new, len(r.places)) for r in common] == [("0117 496 0100", "0117 496 0123", 3)]
    left = [c.html() for p in pages for c in p.changes if not explained_by(c, common)]
    assert left == ["Text <ins>changed</ins>."]
    assert repeated(pages[:2]) == []  # two places are not many


@pytest.mark.browser
def test_what_changed_is_much_shorter_on_a_phone(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT})
    try:
        page = context.new_page()
        page.goto(f"{site_url}riverside/3.1/what-changed/", wait_until="load")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < HEIGHT_BEFORE / 2, f"'What changed' is {height} px tall at 390 px (was {HEIGHT_BEFORE})"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # The contents list works: its link to a changed page scrolls to that page's heading.
        link = page.locator(".sg-changes__contents a", has_text="Local contacts")
        link.click()
        assert page.url.endswith("#changed-contacts-md")
        heading = page.locator("#changed-contacts-md")
        assert heading.evaluate("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
        page.locator(".sg-changes__where summary").first.click()
        assert page.locator(".sg-changes__where").first.locator("a").first.is_visible()
    finally:
        context.close()
