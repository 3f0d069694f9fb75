"""The national guidance in a real browser: every content page passes axe-core, search finds the page
that answers common questions first, and abbreviations explain themselves on focus as well as hover."""

from __future__ import annotations

import pytest

from tests.browser import WIDTHS, check_axe, load, version_url
from tests.conftest import ROOT

PHONE_WIDTH = 390  # WIDTHS[1]: a phone

pytestmark = pytest.mark.browser

SHOWCASE = "riverside"  # the demo partnership whose every page is checked


def content_paths() -> list[str]:
    """Every page of the showcase partnership: the baseline's pages and its own, as site paths."""
    paths = set()
    for folder in (ROOT / "docs", ROOT / "partnerships" / SHOWCASE / "docs"):
        for page in folder.rglob("*.md"):
            uri = page.relative_to(folder).with_suffix("").as_posix()
            paths.add("" if uri == "index" else uri.removesuffix("index") if uri.endswith("/index") else f"{uri}/")
    return sorted(paths)


@pytest.mark.parametrize("path", content_paths())
def test_content_page_has_no_axe_violations(new_page, site_url, demo_site, path) -> None:
    """Every page at phone width. Pages share their templates, and tests/test_browser.py checks each kind of
    page (home, chapter, glossary, contacts) of every partnership at 1280 px as well: one width here keeps
    the suite within its time now that the guidance has 23 chapters."""
    check_axe(new_page(PHONE_WIDTH), version_url(site_url, demo_site, SHOWCASE, path), PHONE_WIDTH)


# What practitioners type, and the page that answers it.
SEARCHES = {
    "Clare's Law": "disclosure-schemes/",
    "consent": "consent/",
    "Caldicott": "caldicott/",
    "right to ask": "disclosure-schemes/",
    "16 year old": "young-people/",  # not chapter 16: chapter numbers are not searched (safeguide/search.py)
    "101": "urgent/",
}


def open_search(page) -> object:
    search = page.locator("input.md-search__input")
    opener = page.locator('label[for="__search"]').first
    if opener.is_visible():  # phone width: the magnifier in the header opens the search overlay
        opener.click()
    else:
        search.click()
    search.wait_for(state="visible")
    return search


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("query", "answer"), SEARCHES.items(), ids=list(SEARCHES))
def test_search_puts_the_answering_page_first(new_page, search_site_url, demo_site, query, answer, width) -> None:
    page = new_page(width)
    load(page, version_url(search_site_url, demo_site, SHOWCASE))
    open_search(page).press_sequentially(query, delay=30)
    first = page.locator(".md-search-result__item > .md-search-result__link").first
    first.wait_for(state="visible")
    page.wait_for_timeout(300)  # results update as each key arrives; let the last query settle
    href = first.get_attribute("href") or ""
    titles = page.locator(".md-search-result__item > .md-search-result__link h1").all_inner_texts()
    assert href.split("#")[0].split("?")[0].endswith(answer), (
        f"Searching {query!r} at width {width}: first result is {href!r}, expected the {answer} page. Results: {titles}"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
@pytest.mark.parametrize("width", WIDTHS)
def test_abbreviation_explains_itself_on_keyboard_focus(new_page, site_url, demo_site, width, javascript) -> None:
    page = new_page(width, java_script_enabled=javascript)
    load(page, version_url(site_url, demo_site, SHOWCASE, "police/"))
    abbr = page.locator("article abbr.sg-abbr").first
    expansion = abbr.get_attribute("title")
    assert expansion, "police page has no abbreviation with an expansion"
    for _ in range(200):  # Tab from the top until the first abbreviation has focus
        page.keyboard.press("Tab")
        if abbr.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first abbreviation on the police page")
    page.wait_for_timeout(400)
    if javascript:  # Material's tooltip takes over the title
        tip = page.locator(".md-tooltip2--active")
        assert tip.count() == 1 and expansion in tip.inner_text(), f"no visible tooltip saying {expansion!r} on focus"
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        assert page.locator(".md-tooltip2--active").count() == 0, "Escape did not dismiss the tooltip"
    else:
        shown = abbr.evaluate("el => getComputedStyle(el, '::after').content")
        assert expansion in shown, f"without JavaScript the focused abbreviation shows {shown!r}, not {expansion!r}"
