"""Change notes: "Changed in version X" under the title of every page whose text changed since the previous
release, leading to that page's entry on "What changed"; none on a page that did not change, nor on the pages
safeguide makes; and never part of the text "What changed" compares. Turned off: tests/test_feed.py."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from safeguide.core.changes import blocks_of
from tests.conftest import ROOT
from tests.site_html import WHOLE_GUIDANCE

GENERATED = ("version-history", "what-changed", "review-report")


NOTE = re.compile(r'<p class="sg-change-note"[^>]*>.*?</p>', re.S)
# Right under the title; on the urgent page, after who to call now (safeguide.render.urgent puts that first).
UNDER_TITLE = re.compile(r'</h1>\s*(?:<section\b[^>]*\bsg-call-now\b.*?</section>\s*)?<p class="sg-change-note"', re.S)


def pages_of(site: Path, partnership: str, version: str) -> dict[str, str]:
    """The HTML of every page of one version by URL path ("" for home), without search."""
    folder = site / partnership / version
    return {
        ("" if p.parent == folder else p.parent.relative_to(folder).as_posix() + "/"): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("index.html"))
        if p.parent.name not in ("search", WHOLE_GUIDANCE)  # its parts carry their pages' notes
    }


def listed_on_what_changed(page: BeautifulSoup) -> dict[str, str]:
    """URL path of each page "What changed" lists as added or changed -> the id of its entry there."""
    found = {}
    for entry in page.select('h3[id^="changed-"], li[id^="added-"]'):
        href = entry.find("a")["href"]
        found[urlsplit(urljoin("http://site/what-changed/", href)).path.lstrip("/")] = entry["id"]
    return found


@pytest.mark.parametrize(("partnership", "version", "words"), [
    ("riverside", "3.2", "Changed in version 3.2 (approved 30 November 2026)."),  # the current release
    ("riverside", "3.1", "Changed in version 3.1 (approved 22 November 2026)."),  # a replaced one, with pages that did not change
    ("eastmoor", "5.0", "Changed in this draft, version 5.0."),
])
def test_each_page_that_changed_says_so_under_its_title_and_links_to_its_entry(demo_site: Path, partnership: str, version: str, words: str) -> None:
    pages = pages_of(demo_site, partnership, version)
    what_changed = BeautifulSoup(pages["what-changed/"], "html.parser")
    listed = listed_on_what_changed(what_changed)
    ids = {el["id"] for el in what_changed.select("[id]")}
    notes = {url: NOTE.findall(html) for url, html in pages.items()}
    with_note = {url for url, found in notes.items() if found}
    assert with_note == set(listed) - {""}, "a change note is missing, or on a page that did not change"  # home: none
    unchanged = set(pages) - set(listed) - {f"{g}/" for g in GENERATED}
    if version == "3.1":
        assert len(unchanged) >= 5, "3.1 should leave pages unchanged: the test needs some"
    checked_changed = False
    for url in with_note:
        assert len(notes[url]) == 1, url
        assert UNDER_TITLE.search(pages[url]), f"{url}: the note is not right under the title"
        note = BeautifulSoup(notes[url][0], "html.parser").p
        target = urlsplit(urljoin(f"http://site/{url}", note.a["href"]))
        assert target.path.lstrip("/") == "what-changed/" and target.fragment == listed[url], url
        assert target.fragment in ids
        if listed[url].startswith("changed-"):
            assert " ".join(note.get_text().split()).startswith(words), url
            checked_changed = True
        else:
            assert note.strong.get_text().startswith("New in"), url
    assert checked_changed
    for generated in GENERATED:
        assert not notes.get(f"{generated}/"), generated


def test_a_chapter_that_changed_in_the_current_release_says_changed_in_version_3_2(demo_site: Path) -> None:
    page = BeautifulSoup((demo_site / "riverside" / "3.2" / "law" / "index.html").read_text(encoding="utf-8"), "html.parser")
    note = page.select_one("article h1 + .sg-change-note")
    assert note is not None
    assert note.strong.get_text() == "Changed in version 3.2"
    assert note.a["href"] == "../what-changed/#changed-law-md"
    assert note.a.get_text() == "See what changed on this page since version 3.1"


def test_the_note_is_not_part_of_the_text_what_changed_compares(demo_site: Path) -> None:
    # 3.2's pages were recorded in this build and compared with 3.1's: a note recorded would be a change on every page.
    what_changed = (demo_site / "riverside" / "3.2" / "what-changed" / "index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(what_changed, "html.parser").select_one("article").get_text(" ")
    assert "Changed in version" not in article and "New in version" not in article
    for pages_json in (ROOT / "partnerships").glob("*/releases/*/pages.json"):  # what `safeguide release` recorded
        text = pages_json.read_text(encoding="utf-8")
        assert "Changed in version" not in text and "Changed in this draft" not in text, pages_json
    note = BeautifulSoup((demo_site / "riverside" / "3.2" / "law" / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(".sg-change-note")
    assert blocks_of(str(note)) == []  # and were it recorded, the comparison would skip it
