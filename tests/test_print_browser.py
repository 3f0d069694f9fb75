"""Print: every printed page says what it is (issue 12, "Print").

Chromium prints one page of each page type, as PDFs (print media, A4), from a current release, a replaced
release and a draft of the demo, plus a long chapter that runs to several sheets. Each PDF's text is read
with pypdf and EVERY sheet must carry the partnership, the version, the approval date (or "DRAFT – not
approved", or "REPLACED BY" and the newest version), the page's full web address and the print date. The
first sheet of a draft or replaced page also carries the notice the screen shows, and phone numbers print
whole. Without JavaScript the build date prints instead, labelled as such. One browser context throughout.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from safeguide.core.releases import Edition, Frozen, Release
from safeguide.render import print_facts as printing
from safeguide.site.publish import edition_url
from tests.browser import HEIGHT, ROOT

# One page of each page type, spread over a current release, a replaced release and a draft (each edition
# kind prints several types). A type here is a different way the theme makes a page: the reflow test's other
# ordinary pages (scenarios, glossary) come from the same template as about/ and sources/, and the draft's
# review report is made as version-history/ is (leaving out these long printouts keeps the test fast).
CURRENT, REPLACED, DRAFT = "current", "replaced", "draft"
EDITIONS = {CURRENT: ("riverside", None), REPLACED: ("riverside", "1.0"), DRAFT: ("eastmoor", "draft")}
PAGE_TYPES = (
    (CURRENT, ""),  # home
    (CURRENT, "consent/"),  # a numbered chapter; it prints on several sheets
    (CURRENT, "flows/should-i-share/"),  # a decision helper
    (CURRENT, "learn/module-1/"),  # a learning module
    (CURRENT, "flowchart/"),  # a flow diagram (Riverside's appendix)
    (REPLACED, "urgent/"),
    (REPLACED, "contacts/"),
    (REPLACED, "what-changed/"),  # a page safeguide makes itself
    (REPLACED, "404.html"),  # no page of its own: the address is the one the browser shows
    (DRAFT, "about/"),  # an ordinary page
    (DRAFT, "sources/"),
    (DRAFT, "version-history/"),  # a page safeguide makes itself
)
LONG_CHAPTER = "consent/"


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _plain(text: str) -> str:
    """Text without whitespace: a margin line may wrap, and pypdf may split a line where it likes."""
    return re.sub(r"\s+", "", text)


def _edition(demo_site: Path, partnership: str, version: str) -> dict[str, str]:
    """What every printed page of this edition must say, from the project's files (not the built pages)."""
    folder = ROOT / "partnerships" / partnership
    newest = json.loads((demo_site / partnership / "partnership.json").read_text(encoding="utf-8"))["version"]
    release = folder / "releases" / version
    if release.is_dir():
        name = yaml.safe_load((release / "partnership" / "partnership.yml").read_text(encoding="utf-8"))["name"]
        approved = dt.date.fromisoformat(str(yaml.safe_load((release / "release.yml").read_text(encoding="utf-8"))["date"]))
        status = f"Approved {_long(approved)}" + (f" · REPLACED BY version {newest}" if version != newest else "")
    else:
        name = yaml.safe_load((folder / "partnership.yml").read_text(encoding="utf-8"))["name"]
        status = "DRAFT – not approved"
    return {"name": name, "version": f"Version {version}", "status": status}


@pytest.fixture(scope="module")
def print_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _print(page, url: str) -> tuple[list[str], dict[str, object]]:
    """The text of every printed sheet of `url`, and what the screen shows (edition notices, phone numbers)."""
    page.emulate_media(media="screen")
    response = page.goto(url, wait_until="load")
    assert response is not None and (response.ok or url.endswith("404.html")), f"{url}: {response and response.status}"
    shown = page.evaluate(
        """() => ({
          notices: [...document.querySelectorAll(".sg-edition")].filter(el => el.getClientRects().length).map(el => el.innerText),
          phones: [...document.querySelectorAll('.md-content a[href^="tel:"]')].map(a => a.textContent.trim()),
        })"""
    )
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [sheet.extract_text() or "" for sheet in pdf.pages], shown


@pytest.mark.browser
def test_every_printed_sheet_says_what_it_is(print_page, site_url: str, demo_site: Path) -> None:
    root = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    today = {_long(dt.date.today()), _long(dt.date.today() - dt.timedelta(days=1))}  # a run across midnight
    problems: list[str] = []
    for kind, path in PAGE_TYPES:
        partnership, which = EDITIONS[kind]
        info = json.loads((demo_site / partnership / "partnership.json").read_text(encoding="utf-8"))
        version = info["draft_version"] if which == "draft" else which or info["version"]
        assert version, f"the demo has no {kind} edition of {partnership}"
        expected = _edition(demo_site, partnership, version)
        url = f"{site_url}{partnership}/{version}/{path}"
        address = url if path.endswith(".html") else f"{root}{partnership}/{version}/{path}"
        sheets, shown = _print(print_page, url)
        for n, text in enumerate(sheets, 1):
            flat, where = _plain(text), f"{partnership}/{version}/{path} sheet {n} of {len(sheets)}"
            for what, value in (*expected.items(), ("address", address)):
                if _plain(value) not in flat:
                    problems.append(f"{where}: no {what} {value!r}")
            if not any(_plain(f"Printed {day}") in flat for day in today):
                problems.append(f"{where}: no print date ('Printed {_long(dt.date.today())}')")
        where, whole = f"{partnership}/{version}/{path}", _plain(" ".join(sheets))
        if path != "404.html":  # the 404 page has no page of its own for the notice to name
            if kind != CURRENT and not shown["notices"]:
                problems.append(f"{where}: the page shows no draft or replaced notice")
            for i, notice in enumerate(shown["notices"]):  # type: ignore[arg-type]
                if _plain(notice) not in (_plain(sheets[0]) if i == 0 else whole):  # the first heads the first sheet
                    problems.append(f"{where}: the notice {notice!r} does not print")
        for phone in shown["phones"]:  # type: ignore[union-attr]
            if _plain(phone) not in whole:
                problems.append(f"{where}: the phone number {phone!r} does not print whole")
        if path == LONG_CHAPTER and len(sheets) < 2:
            problems.append(f"{where} printed on {len(sheets)} sheet(s): the long-chapter case needs at least 2")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_without_javascript_the_build_date_prints_labelled_as_such(browser, site_url: str, demo_site: Path) -> None:
    """No script runs: the build date prints instead of the print date, saying that it is one, and a page
    whose address the build does not know (the 404 page; any page without site_url) says so."""
    root = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    version = json.loads((demo_site / "riverside" / "partnership.json").read_text(encoding="utf-8"))["version"]
    context = browser.new_context(java_script_enabled=False)
    printed = {}
    try:
        page = context.new_page()
        for path in (LONG_CHAPTER, "404.html"):
            page.goto(f"{site_url}riverside/{version}/{path}", wait_until="load")
            page.emulate_media(media="print")
            printed[path] = [s.extract_text() or "" for s in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]
    finally:
        context.close()
    assert len(printed[LONG_CHAPTER]) >= 2
    for path, sheets in printed.items():
        address = f"{root}riverside/{version}/{path}" if path == LONG_CHAPTER else "Web address not known"
        for n, text in enumerate(sheets, 1):
            flat = _plain(text)
            assert _plain(address) in flat, f"{path} sheet {n}: {text[:300]}"
            assert re.search(r"Printdatenotknown\(sitebuilt\d{1,2}[A-Z][a-z]+\d{4}\)", flat), f"{path} sheet {n}: {text[-300:]}"
            assert "Printed" not in text


# --- without a browser -------------------------------------------------------------------------------------------------


def test_each_edition_is_published_under_its_own_address() -> None:
    assert edition_url("https://guides.example.org/", "riverside", "3.1") == "https://guides.example.org/riverside/3.1/"
    assert edition_url("https://example.org/safeguarding", "riverside", "3.1") == "https://example.org/safeguarding/riverside/3.1/"
    assert edition_url(None, "riverside", "3.1") is None  # no site_url: pages have no known address


def test_print_facts_name_the_edition_and_escape_for_css() -> None:
    history = tuple(_frozen(v, dt.date(2024, m, 1)) for v, m in (("1.0", 1), ("2.0", 6)))
    old = printing.facts(Edition("1.0", "release", history), 'A "quoted" \\ </style> name', None, dt.date(2026, 11, 30))
    assert old.edition == 'A "quoted" \\ </style> name · Version 1.0 · Approved 1 January 2024 · REPLACED BY version 2.0'
    assert old.address is None and old.undated == "Print date not known (site built 30 November 2026)"
    css = old.css()
    assert css["address"] == '"Web address not known"'
    inner = css["edition"][1:-1]
    assert not set(inner) & set('"<>\n'), inner  # cannot end the string, the rule or the <style> element
    assert "\\22 quoted\\22 " in inner and "\\5c " in inner and "\\3c /style\\3e " in inner
    current = printing.facts(Edition("2.0", "release", history), "P", None, dt.date(2026, 11, 30))
    assert current.edition == "P · Version 2.0 · Approved 1 June 2024"
    draft = printing.facts(Edition("3.0", "draft", history), "P", None, dt.date(2026, 11, 30))
    assert draft.edition == "P · Version 3.0 · DRAFT – not approved"


def _frozen(version: str, day: dt.date) -> Frozen:
    release = Release(version=version, date=day, approved_by="Board", review_due=day.replace(year=day.year + 1))
    return Frozen(Path("/nonexistent"), release, f"partnerships/x/releases/{version}")
