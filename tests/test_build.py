"""Whole builds of the demo partnerships, asserting on the HTML a reader gets."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, demo_ids

IDS = demo_ids()
TEL = re.compile(r'href="tel:([^"]+)"')
PHONE_TEXT = re.compile(r"(?<![\d+])0\d{2,4}[ ]?\d{3,4}[ ]?\d{3,4}(?!\d)")


def settings(pid: str) -> dict:
    return yaml.safe_load((ROOT / "partnerships" / pid / "partnership.yml").read_text(encoding="utf-8"))


def local_numbers(pid: str) -> set[str]:
    numbers = set()
    for contact in (settings(pid).get("contacts") or {}).values():
        for key in ("phone", "out_of_hours"):
            if contact.get(key):
                numbers.add(contact[key])
    return numbers


def version_dir(site: Path, pid: str) -> Path:
    return site / pid / settings(pid)["version"]


def pages(site: Path, pid: str) -> list[Path]:
    """Every page of every version the partnership publishes."""
    return sorted(p for p in (site / pid).glob("*/**/*.html"))


def text_of(path: Path) -> str:
    return unescape(path.read_text(encoding="utf-8"))


def test_there_are_at_least_four_demo_partnerships() -> None:
    assert len(IDS) >= 4


@pytest.mark.parametrize("pid", IDS)
def test_every_demo_is_fictional_and_uses_drama_numbers(pid: str) -> None:
    data = settings(pid)
    assert data.get("example") is True
    drama = re.compile(
        r"^(01(1[3-8]|21|31|41|51|61) 496 0\d{3}|020 7946 0\d{3}|0191 498 0\d{3}|029 2018 0\d{3}|01632 960\d{3}|07700 900\d{3})$"
    )
    for number in local_numbers(pid):
        assert drama.match(number), f"{pid}: {number} is not in Ofcom's drama ranges"


def releases_of(pid: str) -> list[str]:
    """The demo partnership's releases, newest first, from their release.yml files."""
    found = [yaml.safe_load(p.read_text()) for p in (ROOT / "partnerships" / pid / "releases").glob("*/release.yml")]
    return [r["version"] for r in sorted(found, key=lambda r: r["date"], reverse=True)]


@pytest.mark.parametrize("pid", IDS)
def test_layout_and_versions_json(demo_site: Path, pid: str) -> None:
    working = settings(pid)["version"]
    releases = releases_of(pid)
    assert releases, f"{pid} has no release"
    for version in {working, *releases}:
        assert (demo_site / pid / version / "index.html").is_file()
        assert (demo_site / pid / version / "contacts" / "index.html").is_file()
        assert (demo_site / pid / version / "search" / "search_index.json").is_file()
    versions = json.loads((demo_site / pid / "versions.json").read_text())
    expected = [{"version": v, "title": v, "aliases": ["latest"] if i == 0 else []} for i, v in enumerate(releases)]
    if working not in releases:  # a draft: there, but hidden from the version selector
        expected.append({"version": working, "title": f"{working} (draft)", "aliases": [], "properties": {"hidden": True}})
    assert versions == expected
    redirect = (demo_site / pid / "index.html").read_text()
    assert f"url={releases[0]}/" in redirect and f'href="{releases[0]}/"' in redirect


@pytest.mark.parametrize("pid", IDS)
def test_every_page_carries_the_partnership_and_nothing_unrendered(demo_site: Path, pid: str) -> None:
    found = pages(demo_site, pid)
    assert len(found) >= 8
    for page in found:
        if page.name == "404.html" and page.parent.name != settings(pid)["version"]:
            continue
        html = text_of(page)
        version = page.relative_to(demo_site / pid).parts[0]
        assert name_in(pid, version) in html, f"{page}: partnership name missing"
        visible = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
        for token in ("{{", "}}", "{%", "%}", "{%#"):
            assert token not in visible, f"{page}: unrendered template syntax {token!r}"
        assert "Worried someone is at risk now?" in html, f"{page}: no urgent route"


def name_in(pid: str, version: str) -> str:
    """The partnership's name as a version gives it (a release keeps the name it was approved under)."""
    frozen = ROOT / "partnerships" / pid / "releases" / version / "partnership" / "partnership.yml"
    return yaml.safe_load(frozen.read_text())["name"] if frozen.is_file() else settings(pid)["name"]


@pytest.mark.parametrize("pid", IDS)
def test_every_number_shown_is_a_tel_link(demo_site: Path, pid: str) -> None:
    for page in pages(demo_site, pid):
        if page.parent.name == "what-changed":
            continue  # the record of changes: a number taken out must not be one tap away
        html = page.read_text(encoding="utf-8")
        body = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
        # On a replaced release a number the newest release no longer lists is text on purpose (test_old_versions).
        body = re.sub(r'<span class="sg-replaced-number".*?</span></span>', "", body, flags=re.S)
        linked = {m.group(0) for m in re.finditer(r'<a [^>]*href="tel:[^"]+"[^>]*>[^<]+</a>', body)}
        without_links = body
        for link in linked:
            without_links = without_links.replace(link, "")
        text = re.sub(r"<[^>]+>", " ", without_links)
        stray = PHONE_TEXT.findall(text)
        assert not stray, f"{page}: numbers not linked: {stray}"
    contacts = text_of(version_dir(demo_site, pid) / "contacts" / "index.html")
    for number in local_numbers(pid):
        assert re.search(rf'href="tel:[^"]+"[^>]*>{re.escape(number)}</a>', contacts), f"{number} not a tel: link"


@pytest.mark.parametrize("pid", IDS)
def test_no_other_partnership_leaks_in(demo_site: Path, pid: str) -> None:
    others = [o for o in IDS if o != pid]
    for page in pages(demo_site, pid) + [demo_site / pid / "index.html"]:
        html = text_of(page)
        for other in others:
            assert settings(other)["name"] not in html, f"{page}: mentions {other}"
            for number in local_numbers(other):
                assert number not in html, f"{page}: shows {other}'s number {number}"
    index = text_of(version_dir(demo_site, pid) / "search" / "search_index.json")
    for other in others:
        assert settings(other)["name"] not in index


def test_landing_page_names_every_partnership(demo_site: Path) -> None:
    landing = text_of(demo_site / "index.html")
    for pid in IDS:
        data = settings(pid)
        assert data["name"] in landing
        assert f'href="{pid}/"' in landing
        current = releases_of(pid)[0]
        assert f"Current version: {current}, approved " in landing
        if data["version"] != current:
            assert f"Version {data['version']} is being prepared." in landing
        if data.get("brand", {}).get("logo"):
            logo = demo_site / pid / current / "assets" / "partnership" / ("logo" + Path(data["brand"]["logo"]).suffix)
            assert logo.is_file() and f'src="{pid}/{current}/assets/partnership/{logo.name}"' in landing


@pytest.mark.parametrize("pid", IDS)
def test_brand_colour_reaches_the_stylesheet(demo_site: Path, pid: str) -> None:
    css = (version_dir(demo_site, pid) / "assets" / "safeguide.bundle.css").read_text()  # brand.css first, then ours
    primary = settings(pid).get("brand", {}).get("primary", "#1d4f91").lower()
    assert css.startswith(":root") and f"--md-primary-fg-color:{primary};" in css
    home = (version_dir(demo_site, pid) / "index.html").read_text()
    assert "assets/safeguide.bundle.css" in home


@pytest.mark.parametrize("pid", IDS)
def test_pages_fetch_nothing_from_other_hosts(demo_site: Path, pid: str) -> None:
    for page in pages(demo_site, pid):
        html = page.read_text(encoding="utf-8")
        html = re.sub(r'<link rel="canonical" href="[^"]*">', "", html)  # names the page's own address; fetches nothing
        for attr in re.findall(r'<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", attr), f"{page}: loads {attr}"
