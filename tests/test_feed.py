"""Updates: each partnership's Atom feed of releases (site/<id>/feed.xml), read back by a feed reader
library; the link to it in every page's head; the "Get updates" link in every footer and the section it
leads to; and all of it gone when a partnership turns updates off (with the change notes: one build)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from safeguide.render.feed import feed_xml
from tests.browser import current_version, load, version_url
from tests.conftest import ROOT, copy_project, demo_ids, safeguide

IDS = demo_ids()
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
ATOM = 'link[rel="alternate"][type="application/atom+xml"]'
GET_UPDATES = re.compile(r'<footer\b.*<p class="sg-get-updates"><a href="([^"]+)">Get updates</a>', re.S)


def releases_of(partnership: str) -> list[dict]:
    """Every approved release, newest first (the order `safeguide` gives them: by date, then version)."""
    found = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "partnerships" / partnership / "releases").glob("*/release.yml")]
    return sorted(found, key=lambda r: (str(r["date"]), [int(n) for n in str(r["version"]).split(".")]), reverse=True)


def in_site(site: Path, url: str) -> Path:
    """The built file an address in the feed leads to."""
    assert url.startswith(SITE_URL), f"{url} is not under mkdocs.yml's site_url"
    path = site / url.removeprefix(SITE_URL)
    return path / "index.html" if url.endswith("/") else path


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def resolve(site: Path, page: Path, href: str) -> Path:
    """A link on a built page as the file it reaches (site-absolute links from the site's root)."""
    page_address = "http://site/" + page.relative_to(site).as_posix()
    path = urlsplit(urljoin(page_address, href)).path.lstrip("/")
    return site / path / "index.html" if path.endswith("/") else site / path


# --- the feed, as a feed reader reads it ---------------------------------------------------------------------------


@pytest.mark.parametrize("partnership", IDS)
def test_every_partnership_publishes_a_valid_feed_of_its_releases_newest_first(demo_site: Path, partnership: str) -> None:
    path = demo_site / partnership / "feed.xml"
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, f"{partnership}: {parsed.get('bozo_exception')}"
    assert parsed.version == "atom10"
    name = yaml.safe_load((ROOT / "partnerships" / partnership / "partnership.yml").read_text(encoding="utf-8"))["name"]
    assert parsed.feed.title == f"{name}: guidance updates"
    assert parsed.feed.id and parsed.feed.link == f"{SITE_URL}{partnership}/"
    assert next(link.href for link in parsed.feed.links if link.rel == "self") == f"{SITE_URL}{partnership}/feed.xml"

    releases = releases_of(partnership)
    assert [e.title for e in parsed.entries] == [f"Version {r['version']} approved" for r in releases]
    assert parsed.feed.updated_parsed[:3] == parsed.entries[0].published_parsed[:3]
    for entry, release in zip(parsed.entries, releases, strict=False):
        day = dt.date.fromisoformat(str(release["date"]))
        assert entry.published_parsed[:3] == entry.updated_parsed[:3] == (day.year, day.month, day.day)
        assert f"Approved by {release['approved_by']}" in entry.summary
        assert (release.get("summary") or "") in entry.summary
        assert [a.name for a in entry.authors] == (release.get("authors") or [name])
        assert entry.link == f"{SITE_URL}{partnership}/{release['version']}/what-changed/"
        assert in_site(demo_site, entry.link).is_file(), f"{entry.link} is not in the built site"
    assert len({e.id for e in parsed.entries}) == len(parsed.entries)


def test_the_feed_is_the_same_for_the_same_releases_and_leaves_drafts_out() -> None:
    release = {"draft": False, "version": "1.0", "date": "2026-01-05", "approved_by": 'Board & "Chair"', "review_due": "2027-01-05",
               "authors": [], "summary": "First <approved> version", "site_url": None, "updates": True}
    newer = {**release, "version": "1.10", "date": "2026-01-05", "summary": None}
    draft = {**release, "draft": True, "version": "2.0", "date": None}
    text = feed_xml("example", "Example & Co", [release, draft, newer])
    assert text == feed_xml("example", "Example & Co", [newer, release, draft])  # no build time in it
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0
    assert [e.title for e in parsed.entries] == ["Version 1.10 approved", "Version 1.0 approved"]  # same day: version order
    first = parsed.entries[1]
    assert first.summary == 'Approved by Board & "Chair" on 5 January 2026. Due for review by 5 January 2027. First <approved> version'
    assert first.link == "1.0/what-changed/" and first.id == "tag:safeguide,2026:example/1.0"  # no site_url: relative, tag: ids
    assert [a.name for a in first.authors] == ["Example & Co"]
    assert feed_xml("example", "Example", [draft]) is None  # nothing approved yet
    assert feed_xml("example", "Example", [{**release, "updates": False}]) is None


# --- links to it: every page's head, every footer --------------------------------------------------------------------


@pytest.mark.parametrize("partnership", demo_ids())
def test_beside_the_feed_a_sitemap_index_answers_materials_request(demo_site: Path, partnership: str) -> None:
    """Material's script fetches sitemap.xml beside every <link rel="alternate">: the feed link's is a sitemap
    index of the released versions' own sitemaps (absolute, as search engines want), each of which exists."""
    from xml.etree import ElementTree

    tree = ElementTree.parse(demo_site / partnership / "sitemap.xml")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert tree.getroot().tag == f"{ns}sitemapindex"
    listed = sorted(loc.text for loc in tree.iter(f"{ns}loc"))
    released = [p.name for p in (ROOT / "partnerships" / partnership / "releases").iterdir() if p.is_dir()]
    assert listed == sorted(f"https://safeguide.example.org/{partnership}/{v}/sitemap.xml" for v in released)
    assert all((demo_site / partnership / v / "sitemap.xml").is_file() for v in released)


def test_every_kind_of_page_links_to_the_feed_in_its_head(demo_site: Path) -> None:
    riverside = demo_site / "riverside"
    current = riverside / current_version(demo_site, "riverside")
    pages = [
        current / "index.html",  # home
        current / "law" / "index.html",  # a chapter
        current / "learn" / "module-1" / "index.html",  # two levels down
        current / "flows" / "should-i-share" / "index.html",  # a decision helper
        current / "what-changed" / "index.html",  # generated
        current / "404.html",  # served at any address: site-absolute
        riverside / "3.1" / "consent" / "index.html",  # a replaced release
        demo_site / "eastmoor" / "5.0" / "index.html",  # a draft
    ]
    for page in pages:
        links = soup(page).select(ATOM)
        assert len(links) == 1, f"{page}: {len(links)} feed links"
        assert "guidance updates" in links[0]["title"]
        target = resolve(demo_site, page, links[0]["href"])
        partnership = page.relative_to(demo_site).parts[0]
        assert target == demo_site / partnership / "feed.xml", f"{page}: the feed link leads to {target}"


@pytest.mark.parametrize("partnership", IDS)
def test_every_footer_says_get_updates_and_the_section_it_leads_to_explains_the_feed(demo_site: Path, partnership: str) -> None:
    version = demo_site / partnership / current_version(demo_site, partnership)
    history = version / "version-history" / "index.html"
    pages = sorted(p for p in version.rglob("index.html") if p.parent.name != "search") + [version / "404.html"]
    for path in pages:
        link = GET_UPDATES.search(path.read_text(encoding="utf-8"))
        assert link, f"{path}: no Get updates link in the footer"
        assert resolve(demo_site, path, unescape(link.group(1))) == history and link.group(1).endswith("#get-updates"), path
    section = soup(history)
    heading = section.find(id="get-updates")
    assert heading is not None and heading.name == "h2"
    words = " ".join(el.get_text(" ", strip=True) for el in heading.find_next_siblings())
    assert "A feed reader is an app or a website" in words and "Paste the address" in words
    assert section.select_one(".sg-updates__address").get_text() == f"{SITE_URL}{partnership}/feed.xml"  # written out, to copy
    feed_link = section.select_one('article a[type="application/atom+xml"]')
    assert resolve(demo_site, history, feed_link["href"]) == demo_site / partnership / "feed.xml"
    assert "#get-updates" in [a.get("href") for a in section.select(".md-nav--secondary a")]  # in the page's contents


@pytest.mark.browser
def test_get_updates_is_visible_at_320px_and_leads_to_the_section(site_url: str, demo_site: Path, new_page) -> None:
    """On a phone: the chapter's change note fits, "Get updates" is there to tap, and the section it opens fits."""
    page = new_page(320)
    load(page, version_url(site_url, demo_site, "riverside", "consent/"))
    assert page.locator(".sg-change-note").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the chapter scrolls sideways at 320 px"
    link = page.get_by_role("link", name="Get updates")
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/version-history/#get-updates")
    assert page.locator("#get-updates").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the section scrolls sideways at 320 px"


# --- turned off ----------------------------------------------------------------------------------------------------


def test_a_partnership_can_turn_off_updates_and_change_notes(tmp_path: Path) -> None:
    """One build of eastmoor (release 4.0 and draft 5.0, which has pages changed since 4.0) with both off."""
    project = copy_project(tmp_path / "project", releases=True)
    config = project / "partnerships" / "eastmoor" / "partnership.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.setdefault("reader", {}).update(updates=False, change_notes=False)  # the block copy_project wrote, edited
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    result = safeguide("build", "eastmoor", "--out", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site" / "eastmoor"
    assert not (site / "feed.xml").exists()
    pages = sorted(site.glob("*/**/index.html")) + sorted(site.glob("*/404.html"))
    assert len(pages) > 40
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "application/atom+xml" not in html, page
        assert "sg-get-updates" not in html and 'id="get-updates"' not in html, page
        assert "sg-change-note" not in html, page
    changed = soup(site / "5.0" / "what-changed" / "index.html").select("h3[id^=changed-]")
    assert changed, "the draft changed no page since 4.0: the change notes were not put to the test"
