"""Search in a real browser: the open overlay with results shown passes axe-core (colour contrast included) at
both widths for every partnership, and without JavaScript the header says that search needs it and links to
the contents instead of leaving a gap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import (
    HEIGHT,
    WIDTHS,
    axe_violations,
    describe_violations,
    load,
    version_url,
)
from tests.conftest import demo_ids

pytestmark = pytest.mark.browser

IDS = demo_ids()


@pytest.fixture(scope="module")
def pages(browser) -> Iterator[dict[tuple[int, bool], object]]:
    """One page per (width, JavaScript on), shared by the tests of this module."""
    contexts, made = [], {}
    for width in WIDTHS:
        for javascript in (True, False):
            context = browser.new_context(viewport={"width": width, "height": HEIGHT}, java_script_enabled=javascript)
            context.set_default_timeout(15_000)
            contexts.append(context)
            made[(width, javascript)] = context.new_page()
    yield made
    for context in contexts:
        context.close()


def open_search(page, query: str) -> None:
    search = page.locator("input.md-search__input")
    opener = page.locator('label[for="__search"]').first
    if opener.is_visible():  # phone width: the magnifier in the header opens the overlay
        opener.click()
    else:
        search.click()
    search.wait_for(state="visible")
    search.press_sequentially(query, delay=20)  # Material ignores fill()
    page.locator(".md-search-result__item").first.wait_for(state="visible")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_open_search_with_results_has_no_axe_violations(pages, search_site_url, demo_site, width) -> None:
    page = pages[(width, True)]
    for partnership in IDS:
        load(page, version_url(search_site_url, demo_site, partnership, "consent/"))
        open_search(page, "consent")
        # The pointer on a result tints it: its greyed excerpt must stay readable on the tint too.
        page.locator(".md-search-result__link").first.hover()
        violations = axe_violations(page)
        assert not violations, describe_violations(violations, f"{partnership} with search open at width {width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_search_says_it_needs_it_and_leads_to_the_contents(pages, search_site_url, demo_site, width) -> None:
    page = pages[(width, False)]
    url = version_url(search_site_url, demo_site, "riverside", "consent/")
    load(page, url)
    note = page.locator(".sg-search-nojs")
    assert note.is_visible(), f"without JavaScript at width {width} nothing says where search went"
    assert "Search needs JavaScript" in note.inner_text()
    box = note.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"the note runs off screen at width {width}: {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"sideways scroll at width {width}"
    link = note.get_by_role("link", name="Find a topic in the contents")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(version_url(search_site_url, demo_site, "riverside") + "#organised")
    contents = page.locator("#organised")
    assert contents.count() == 1 and "organised" in contents.inner_text()
    assert page.locator("#organised ~ ul a").count() >= 5, "the contents the note leads to list no pages"

    with_js = pages[(width, True)]
    load(with_js, url)
    assert not with_js.locator(".sg-search-nojs").is_visible(), "the note shows although search works"
    # axe-core needs JavaScript: check the note's colours by giving the page back the class it has without it.
    with_js.evaluate("document.documentElement.classList.replace('js', 'no-js')")
    assert with_js.locator(".sg-search-nojs").is_visible()
    violations = axe_violations(with_js)
    assert not violations, describe_violations(violations, f"{url} as shown without JavaScript at width {width}")
