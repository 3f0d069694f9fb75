"""The demo sites in a real browser (Debian's Chromium): accessibility, privacy, keyboard, redirect, search, no-JS.

Every test runs against the session's demo build, served from 127.0.0.1, at a desktop and a phone width.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser import (
    WIDTHS,
    check_axe,
    is_local,
    load,
    missing_tools,
    version_url,
)
from tests.conftest import demo_ids

pytestmark = pytest.mark.browser

IDS = demo_ids()
PAGES = {"home": "", "guidance": "golden-rules/", "chapter": "consent/", "glossary": "glossary/", "contacts": "contacts/"}
TAB_LIMIT = 30


# --- the tools themselves --------------------------------------------------------------------------------------------


def test_browser_tools_are_installed() -> None:
    """Fails, rather than skipping, when Chromium or axe-core is missing."""
    problems = missing_tools()
    assert not problems, "Browser tests cannot run:\n  " + "\n  ".join(problems)


# --- 1 and 2: axe-core and privacy on each page ----------------------------------------------------------------------


def partnership_pages() -> list:
    return [
        pytest.param(partnership, PAGES[kind], id=f"{partnership}-{kind}") for partnership in IDS for kind in PAGES
    ]


def check_axe_and_privacy(page, url: str, width: int) -> None:
    """One load of the page for both checks (the suite must stay fast): every request it makes while loading (and
    until the network is idle) goes to the local server, and axe-core finds no violation."""
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    check_axe(page, url, width)
    assert url in requests, f"recording requests failed: {url} is not among {requests}"
    leaks = sorted({u for u in requests if not is_local(u)})
    assert not leaks, f"{url} at width {width} requested other hosts:\n  " + "\n  ".join(leaks)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("partnership", "path"), partnership_pages())
def test_page_has_no_axe_violations_and_requests_only_the_local_server(new_page, site_url, demo_site, partnership, path, width) -> None:
    check_axe_and_privacy(new_page(width), version_url(site_url, demo_site, partnership, path), width)


@pytest.mark.parametrize("width", WIDTHS)
def test_landing_page_has_no_axe_violations_and_requests_only_the_local_server(new_page, site_url, width) -> None:
    check_axe_and_privacy(new_page(width), f"{site_url}index.html", width)


@pytest.mark.parametrize("path", ["", "consent/"])
def test_a_browser_without_resize_observer_gets_our_copy_not_unpkg(new_page, site_url, demo_site, path) -> None:
    """Material's bundle fetches a ResizeObserver polyfill from unpkg.com in browsers without one (Safari before 13.4):
    such a browser (here Chromium with ResizeObserver taken away before any script runs) loads our vendored copy
    instead, requests nothing from another host, and the page's scripts run without an error."""
    page = new_page(390)
    page.add_init_script("delete window.ResizeObserver")
    requests: list[str] = []
    errors: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = version_url(site_url, demo_site, "riverside", path)
    load(page, url)
    assert not sorted({u for u in requests if not is_local(u)}), f"{url} requested other hosts: {requests}"
    assert any(u.endswith("/assets/vendor/resize-observer-polyfill/ResizeObserver.js") for u in requests), requests
    assert page.evaluate("typeof ResizeObserver") == "function" and not errors, errors


# --- 3: keyboard -----------------------------------------------------------------------------------------------------

_FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {
    tag: el.tagName.toLowerCase(),
    href: el.href || "",
    text: (el.innerText || el.textContent || "").trim().replace(/\\s+/g, " "),
    label: el.getAttribute("aria-label") || "",
    html: el.outerHTML.slice(0, 160),
  };
}
"""


def is_urgent_link(focused: dict | None) -> bool:
    if not focused or focused["tag"] != "a":
        return False
    return focused["href"].split("#")[0].endswith("urgent/") or focused["text"].startswith(
        "What to do and who to call"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("partnership", IDS)
def test_keyboard_reaches_urgent_help(new_page, site_url, demo_site, partnership, width) -> None:
    page = new_page(width)
    load(page, version_url(site_url, demo_site, partnership, PAGES["guidance"]))
    path: list[str] = []
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        path.append(focused["html"] if focused else "<body>")
        if is_urgent_link(focused):
            break
    else:
        pytest.fail(
            f"{TAB_LIMIT} presses of Tab at width {width} never reached a link to urgent help. Focus went to:\n  "
            + "\n  ".join(path)
        )

    box = page.locator(":focus").bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0, (
        f"The focused urgent-help link is not visible at width {width}: {focused['html']} has box {box}"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/urgent/(#.*)?$"))
    page.wait_for_load_state("load")
    h1 = page.locator("h1").first
    assert "at risk now" in h1.inner_text(), f"urgent page h1 is {h1.inner_text()!r}"


_IN_DRAWER = "() => !!document.activeElement.closest('.md-sidebar--primary')"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_closed_navigation_drawer_takes_no_keyboard_focus_on_a_phone(new_page, site_url, demo_site, javascript) -> None:
    """On a phone the navigation is a drawer that slides in from off screen. Closed, none of its links may take
    focus: Tab from the top reaches the page's own content without stopping on links nobody can see. Opened,
    its links are there to Tab through."""
    page = new_page(390, java_script_enabled=javascript)
    load(page, version_url(site_url, demo_site, "riverside", "law/"))
    hidden_stops = []
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate(_IN_DRAWER):
            hidden_stops.append(page.evaluate("document.activeElement.textContent.trim().slice(0, 40)"))
        if page.evaluate("() => !!document.activeElement.closest('article')"):
            break
    else:
        pytest.fail(f"{TAB_LIMIT} presses of Tab never reached the chapter's text")
    assert not hidden_stops, f"Tab stopped on links of the closed drawer: {hidden_stops}"
    page.locator('label.md-header__button[for="__drawer"]').click()
    first = page.locator(".md-sidebar--primary a.md-nav__link").first
    first.wait_for(state="visible")
    first.focus()
    page.keyboard.press("Tab")
    assert page.evaluate(_IN_DRAWER), "Tab leaves the open drawer at its first link"


# --- 4: redirect -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("partnership", IDS)
def test_partnership_url_redirects_to_current_version(new_page, site_url, demo_site, partnership, width) -> None:
    page = new_page(width)
    versions = json.loads((demo_site / partnership / "versions.json").read_text())
    latest = next(v["version"] for v in versions if "latest" in v["aliases"])  # the newest release, not a draft
    target = f"{site_url}{partnership}/{latest}/"
    page.goto(f"{site_url}{partnership}/")
    page.wait_for_url(re.compile("^" + re.escape(target) + r"(index\.html)?$"))
    page.wait_for_load_state("load")
    assert page.locator("h1").count() >= 1, f"{page.url} has no h1 after the redirect"


# --- 5: search -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("partnership", IDS)
def test_search_finds_golden_rules(new_page, search_site_url, demo_site, partnership, width) -> None:
    page = new_page(width)
    load(page, version_url(search_site_url, demo_site, partnership))
    search = page.locator("input.md-search__input")
    opener = page.locator('label[for="__search"]').first
    if opener.is_visible():  # phone width: the magnifier in the header opens the search overlay
        opener.click()
    else:  # desktop width: the search box sits in the header already
        search.click()
    search.wait_for(state="visible")
    search.press_sequentially("golden rules", delay=30)
    result = page.locator('.md-search-result__link[href*="golden-rules"]').first
    try:
        result.wait_for(state="visible", timeout=15_000)
    except Exception as error:
        meta = page.locator(".md-search-result__meta").all_inner_texts()
        pytest.fail(f"Searching 'golden rules' at width {width} showed no golden-rules result ({meta}): {error}")


# --- 6: without JavaScript -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("partnership", IDS)
def test_readable_without_javascript(new_page, site_url, demo_site, partnership, width) -> None:
    page = new_page(width, java_script_enabled=False)
    load(page, version_url(site_url, demo_site, partnership, PAGES["contacts"]))
    phones = page.locator('a[href^="tel:"]')
    assert phones.count() >= 1, f"contacts page at width {width} has no tel: links without JavaScript"
    assert any(phones.nth(i).is_visible() for i in range(phones.count())), (
        f"contacts page at width {width} shows none of its tel: links without JavaScript"
    )

    load(page, version_url(site_url, demo_site, partnership, "urgent/"))
    h1 = page.locator("h1").first
    assert h1.count() == 1 and h1.is_visible(), f"urgent page at width {width} has no visible h1 without JavaScript"
    assert "at risk now" in h1.inner_text(), f"urgent page h1 is {h1.inner_text()!r}"
