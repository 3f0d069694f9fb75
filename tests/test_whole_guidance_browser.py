"""The whole guidance on one page, in Chromium: axe-core finds no WCAG 2.2 A/AA violation at phone width;
at 320 px nothing scrolls sideways and every number lies whole inside the viewport (the reflow test's own
check); its decision flowcharts stay as text, every step in view; and its contents links move within the
page. One page load per width: the page holds every chapter."""

from __future__ import annotations

import pytest

from tests.browser import axe_violations, describe_violations, load, version_url
from tests.test_reflow_browser import _CHECK

pytestmark = pytest.mark.browser


def test_the_whole_guidance_page_is_accessible_reflows_and_keeps_flowcharts_as_text(new_page, site_url, demo_site) -> None:
    url = version_url(site_url, demo_site, "riverside", "whole-guidance/")
    page = new_page(390)
    load(page, url)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, f"{url} at 390 px")
    # Every step of every flowchart is in view: the page is for reading and printing, not a helper.
    hidden_steps = page.evaluate("""() => [...document.querySelectorAll("[data-sg-whole-guidance] [data-flow-step]")]
        .filter(s => s.offsetParent === null).map(s => s.id)""")
    assert hidden_steps == []
    assert page.locator("[data-sg-whole-guidance] .sg-flow--js").count() == 0
    page.set_viewport_size({"width": 320, "height": 800})
    problems = page.evaluate(_CHECK, ["page"])
    assert not problems, "\n".join(problems[:20])
    # The contents leads within the page, to the chapter's heading.
    page.locator('.sg-wg__contents a[href="#wg-consent"]').click()
    assert page.url.endswith("#wg-consent")
    top = page.evaluate("document.getElementById('wg-consent').getBoundingClientRect().top")
    assert 0 <= top < 400
