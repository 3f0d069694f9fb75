"""The version selector keeps the reader on the page they were reading: choosing another version from a
chapter opens the same chapter in that version when it has it, and that version's home page when not; in
both directions, from a draft too, and served from another host and port than site_url (the test server).

Material does this itself from each version's sitemap.xml, which lists pages only when mkdocs.yml has a
site_url (safeguide.site.publish.edition_url gives each edition its own)."""

from __future__ import annotations

import pytest

from tests.browser import HEIGHT, load

pytestmark = pytest.mark.browser

# (page we start on, version chosen, page we should land on)
CASES = [
    ("riverside/3.2/consent/", "1.0", "riverside/1.0/consent/"),  # newest -> oldest, the chapter exists there
    ("riverside/3.2/police/", "1.0", "riverside/1.0/"),  # 1.0 had no police chapter: its home page
    ("riverside/1.0/golden-rules/", "3.2", "riverside/3.2/golden-rules/"),  # old -> new
    ("riverside/3.2/fgm-forced-marriage/", "3.1", "riverside/3.1/"),  # a chapter new in 3.2: 3.1's home page
    ("riverside/2.0/what-changed/", "3.0", "riverside/3.0/what-changed/"),
    ("eastmoor/5.0/contacts/", "4.0", "eastmoor/4.0/contacts/"),  # from a draft to the release
]


def test_choosing_a_version_keeps_the_same_page(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        for start, version, target in CASES:
            load(page, site_url + start)
            selector = page.locator(".md-version")
            selector.wait_for()
            selector.hover()  # the list opens under the pointer (and on keyboard focus)
            page.locator(".md-version__link", has_text=version).first.click()
            try:
                page.wait_for_url(site_url + target, timeout=10_000)
            except Exception:
                pytest.fail(f"from {start}, choosing {version} opened {page.url}, not {site_url + target}")
            page.wait_for_load_state("load")
            assert page.locator("h1").count() >= 1
    finally:
        context.close()
