"""Urgent first and old links, as a phone shows them (issue 12), in a real browser.

- At 390×844 every version's urgent page shows a local number as a `tel:` link at least 44 px tall, in
  view and not covered, without scrolling; the "immediate danger" box is at least body size.
- At 320, 390 and 1280 px the header's urgent link has visible words, and the header shows the logo and
  the partnership's short name (or its full name, uncut).
- On a replaced release the notice stays in view at the bottom of a long page, with and without JavaScript,
  and the header's urgent link leads to the newest release's urgent page; its pages, and an overdue
  release's, pass axe-core at 390 px.

One browser context per module (two for the no-JavaScript run); each page loads once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.browser import check_axe
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

PARTNERSHIPS = sorted(p.parent.name for p in (ROOT / "partnerships").glob("*/partnership.yml"))
PHONE = {"width": 390, "height": 844}


def _local_numbers(partnership: str) -> set[str]:
    """Every local number the partnership has ever listed (working copy and every release), as digits."""
    folder = ROOT / "partnerships" / partnership
    found = set()
    for config in [folder / "partnership.yml", *folder.glob("releases/*/partnership/partnership.yml")]:
        for contact in (yaml.safe_load(config.read_text(encoding="utf-8")).get("contacts") or {}).values():
            found.update(re.sub(r"\D", "", contact[k]) for k in ("phone", "out_of_hours") if contact.get(k))
    return found


def _versions(site: Path, partnership: str) -> list[str]:
    return [e["version"] for e in json.loads((site / partnership / "versions.json").read_text(encoding="utf-8"))]


_FIRST_SCREEN = """
([local]) => {
  const vh = window.innerHeight, vw = document.documentElement.clientWidth;
  const digits = href => { const d = href.replace(/\\D/g, ""); return href.startsWith("tel:+44") ? "0" + d.slice(2) : d; };
  const seen = [];
  for (const a of document.querySelectorAll('.md-content a[href^="tel:"]')) {
    if (!local.includes(digits(a.getAttribute("href")))) continue;
    const r = a.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const ok = r.top >= 0 && r.bottom <= vh && r.left >= 0 && r.right <= vw && r.height >= 44 && hit && a.contains(hit);
    if (ok) return { ok: true };
    seen.push(`${a.textContent.trim()} at top ${Math.round(r.top)}, ${Math.round(r.height)} px tall${hit && a.contains(hit) ? "" : ", covered"}`);
  }
  const size = el => el ? parseFloat(getComputedStyle(el).fontSize) : 0;
  const danger = document.querySelector(".admonition.danger > p:not(.admonition-title)");
  return { ok: false, seen: seen.slice(0, 2), danger: size(danger), body: size(document.querySelector(".md-content article > p")) };
}
"""

_DANGER = """
() => {
  const size = el => el ? parseFloat(getComputedStyle(el).fontSize) : 0;
  return [size(document.querySelector(".admonition.danger > p:not(.admonition-title)")), size(document.querySelector(".md-content article > p"))];
}
"""


def test_every_urgent_page_shows_a_local_number_to_tap_on_the_first_screen_of_a_phone(browser, site_url, demo_site) -> None:
    context = browser.new_context(viewport=PHONE)
    problems = []
    try:
        page = context.new_page()
        checked = 0
        for partnership in PARTNERSHIPS:
            local = sorted(_local_numbers(partnership))
            for version in _versions(demo_site, partnership):
                url = f"{site_url}{partnership}/{version}/urgent/"
                page.goto(url, wait_until="load")
                found = page.evaluate(_FIRST_SCREEN, [local])
                if not found["ok"]:
                    problems.append(f"{url}: no local number to tap on the first screen at 390×844 (local numbers seen: {found['seen'] or 'none'})")
                danger, body = page.evaluate(_DANGER)
                if not danger or danger < body:
                    problems.append(f"{url}: the immediate-danger box text is {danger} px, body text {body} px")
                checked += 1
        assert checked >= 8
    finally:
        context.close()
    assert not problems, "\n".join(problems)


_HEADER = """
() => {
  const vw = document.documentElement.clientWidth;
  const shown = el => { if (!el) return false; const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" && r.left >= 0 && r.right <= vw + 0.5; };
  const link = document.querySelector("a.sg-urgent-link");
  const label = link && [...link.querySelectorAll("span")].find(shown);
  const logo = document.querySelector(".md-header .md-logo img, .md-header .md-logo svg");
  const box = document.querySelector(".md-header__topic:first-child .md-ellipsis");
  const names = [...box.querySelectorAll(".sg-name")].filter(shown).map(el => el.textContent.trim());
  return {
    label: label ? label.textContent.trim() : null,
    logo: shown(logo),
    names: names.length ? names : [box.textContent.trim()],
    cut: box.scrollWidth > box.clientWidth + 1,
    sideways: document.documentElement.scrollWidth > window.innerWidth,
  };
}
"""


def test_the_header_has_a_worded_urgent_link_the_logo_and_a_name_that_fits(browser, site_url, demo_site) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    problems = []
    try:
        page = context.new_page()
        for partnership in PARTNERSHIPS:
            version = _versions(demo_site, partnership)[0]
            folder = ROOT / "partnerships" / partnership
            config = folder / "releases" / version / "partnership" / "partnership.yml"
            data = yaml.safe_load((config if config.is_file() else folder / "partnership.yml").read_text(encoding="utf-8"))
            names = {data["name"], data.get("short_name") or data["name"]}
            url = f"{site_url}{partnership}/{version}/"
            page.set_viewport_size({"width": 1280, "height": 800})
            page.goto(url, wait_until="load")
            for width in (1280, 390, 320):
                page.set_viewport_size({"width": width, "height": 800})
                page.wait_for_timeout(50)  # the name is refitted on resize
                got = page.evaluate(_HEADER)
                where = f"{url} at {width} px"
                if got["label"] != "Urgent help":
                    problems.append(f"{where}: the header's urgent link shows no words (got {got['label']!r})")
                if not got["logo"]:
                    problems.append(f"{where}: the logo is not shown in the header")
                if len(got["names"]) != 1 or got["names"][0] not in names or got["cut"]:
                    problems.append(f"{where}: the header shows {got['names']}{' cut off' if got['cut'] else ''}, not one of {sorted(names)} in full")
                if got["sideways"]:
                    problems.append(f"{where}: the page scrolls sideways")
        # The accessible name is the visible words (WCAG 2.5.3).
        page.set_viewport_size(PHONE)
        assert page.get_by_role("link", name="Urgent help", exact=True).is_visible()
    finally:
        context.close()
    assert not problems, "\n".join(problems)


_NOTICE_IN_VIEW = """
() => {
  const bar = document.querySelector(".sg-replaced-bar");
  if (!bar) return "no notice in the header";
  const link = bar.querySelector("a");
  const r = link.getClientRects()[0];  // its first line: a link that wraps has a gap in its bounding box
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (r.top < 0 || r.bottom > window.innerHeight) return `its link is out of view (top ${Math.round(r.top)})`;
  if (!hit || !link.contains(hit)) return "its link is covered";
  return "";
}
"""


@pytest.mark.parametrize("javascript", [True, False])
def test_a_replaced_release_keeps_its_notice_in_view_and_leads_to_the_current_urgent_page(browser, site_url, javascript) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    problems = []
    try:
        page = context.new_page()
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(f"{site_url}riverside/1.0/consent/", wait_until="load")
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            page.wait_for_timeout(100)
            assert page.evaluate("window.scrollY") > 2000, "the page is too short to show that the notice stays"
            problem = page.evaluate(_NOTICE_IN_VIEW)
            if problem:
                problems.append(f"riverside/1.0/consent/ at {width} px, scrolled to the end: {problem}")
        page.locator("a.sg-urgent-link").click()
        page.wait_for_url(f"{site_url}riverside/3.2/urgent/")
        if javascript:  # what old links now show passes axe-core: replaced numbers, the notice, who to call
            page.set_viewport_size(PHONE)
            for path in ("riverside/1.0/urgent/", "riverside/1.0/contacts/", "eastmoor/4.0/urgent/"):
                try:
                    check_axe(page, site_url + path, PHONE["width"])
                except AssertionError as e:
                    problems.append(str(e))
    finally:
        context.close()
    assert not problems, "\n".join(problems)
