"""Versions in a real browser: the history, "What changed" and banner-carrying pages pass axe-core at
both widths, the banner's link is reachable by keyboard, and the version selector offers releases only."""

from __future__ import annotations

import pytest

from tests.browser import WIDTHS, check_axe, load

pytestmark = pytest.mark.browser

PAGES = [
    ("riverside", "3.2", "version-history/"),  # the current release
    ("riverside", "3.2", "what-changed/"),
    ("riverside", "3.0", "what-changed/"),  # an older release: banner, and a long list of changes
    ("riverside", "1.0", "golden-rules/"),  # the oldest release's banner on a chapter
    ("riverside", "1.0", "what-changed/"),
    ("eastmoor", "4.0", "version-history/"),
    ("eastmoor", "5.0", ""),  # a draft's banner
    ("eastmoor", "5.0", "what-changed/"),
    ("eastmoor", "5.0", "review-report/"),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("partnership", "version", "path"), PAGES)
def test_version_pages_have_no_axe_violations(new_page, site_url, partnership, version, path, width) -> None:
    check_axe(new_page(width), f"{site_url}{partnership}/{version}/{path}", width)


@pytest.mark.parametrize("javascript", [True, False])
def test_the_banner_of_an_older_release_leads_by_keyboard_to_the_same_page_in_the_latest(new_page, site_url, javascript) -> None:
    page = new_page(1280, java_script_enabled=javascript)
    load(page, f"{site_url}riverside/2.0/consent/")
    banner = page.locator(".sg-edition--outdated")
    assert "replaced by version 3.2" in banner.inner_text()
    link = banner.get_by_role("link", name="Read this page in the current version")
    for _ in range(6):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    assert link.evaluate("el => el === document.activeElement"), "the banner's link is not among the first tab stops"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site_url}riverside/3.2/consent/")
    assert page.locator(".sg-edition").count() == 0


def test_the_version_selector_offers_every_release_and_not_the_draft(new_page, site_url) -> None:
    page = new_page(1280)
    load(page, f"{site_url}eastmoor/5.0/")
    selector = page.locator(".md-version")
    selector.wait_for()
    assert selector.locator(".md-version__current").get_attribute("aria-label") == "Version 5.0 (draft)"
    offered = [t.strip() for t in selector.locator(".md-version__list .md-version__link").all_inner_texts()]
    assert offered == ["4.0"]
    load(page, f"{site_url}riverside/3.2/")
    offered = [t.strip() for t in page.locator(".md-version__list .md-version__link").all_inner_texts()]
    assert offered == ["3.2", "3.1", "3.0", "2.0", "1.0"]
