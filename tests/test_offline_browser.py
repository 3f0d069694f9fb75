"""The offline copy (issue 14, point 4): every version of the demo build offers a zip, linked with its size;
riverside's, unzipped and opened from disk (file://) in Chromium, navigates, searches, walks a decision helper
and shows a quiz answer, requesting nothing from any host; a frozen release's zip is the same bytes when built
again; a partnership that turns it off (`reader: {offline_copy: false}`) gets neither the zip nor the link."""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from safeguide.build.offline import finish_copy, size_in_words, zip_stem
from tests.browser import HEIGHT, current_version
from tests.conftest import ROOT, copy_project, demo_ids, safeguide
from tests.site_html import routes_to_outcomes

pytestmark = pytest.mark.browser

SITE_URL = re.search(r"^site_url: *(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE).group(1).rstrip("/")
LINK_TEXT = re.compile(r"Offline copy \(zip, ([^)]+)\)")


def versions(site: Path, partnership: str) -> list[str]:
    return sorted(p.parent.name for p in (site / partnership).glob("*/index.html"))


def offline_links(page: Path) -> list[tuple[str, str]]:
    """(href, size as shown) of each link to an offline copy on a built page."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [(a["href"], m.group(1)) for a in soup.select("a[href$='-offline.zip']") if (m := LINK_TEXT.search(a.get_text()))]


def test_every_version_offers_its_zip_with_its_size(demo_site: Path) -> None:
    for partnership in demo_ids():
        for version in versions(demo_site, partnership):
            folder = demo_site / partnership / version
            name = zip_stem(partnership, version) + ".zip"
            assert (folder / name).is_file(), f"{partnership} {version} has no offline copy"
            size = size_in_words((folder / name).stat().st_size)
            for page in (folder / "index.html", folder / "consent" / "index.html"):
                assert offline_links(page) == [(name if page.parent == folder else f"../{name}", size)], page


@pytest.fixture(scope="module")
def copy(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Riverside's current version, unzipped: its one top folder."""
    version = current_version(demo_site, "riverside")
    archive = demo_site / "riverside" / version / (zip_stem("riverside", version) + ".zip")
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert names == sorted(names) and {n.split("/")[0] for n in names} == {zip_stem("riverside", version)}
        assert {z.getinfo(n).external_attr >> 16 for n in names} == {0o100644}
        z.extractall(target)
    return target / zip_stem("riverside", version)


def test_links_in_the_copy_stay_in_it_or_go_to_the_published_site(copy: Path) -> None:
    """Every relative link or script leads to a file of the copy; other versions are on the web; the copy
    does not offer itself."""
    version = copy.name.removeprefix("riverside-guidance-").removesuffix("-offline")
    missing, web = [], set()
    for page in sorted(copy.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "-offline.zip" not in text, f"{page.name} offers the zip it is in"
        here = page.parent.relative_to(copy).as_posix()
        for href in re.findall(r'(?:href|src)="([^"#?]*)[^"]*"', text):
            if href.startswith(f"{SITE_URL}/riverside/"):
                web.add(href)
            elif href and not re.match(r"^[a-z][a-z0-9+.-]*:", href) and not (copy / posixpath.normpath(posixpath.join(here, href))).is_file():
                missing.append(f"{page.relative_to(copy)}: {href}")
    assert not missing, "links to nothing in the copy:\n" + "\n".join(missing[:20])
    history = (copy / "version-history.html").read_text(encoding="utf-8")
    older = [v for v in ("1.0", "2.0", "3.0", "3.1") if v != version]
    for v in older:
        assert f'href="{SITE_URL}/riverside/{v}/"' in history and f'href="{SITE_URL}/riverside/{v}/what-changed/"' in history
    assert f"{SITE_URL}/riverside/{older[0]}/" in web


@pytest.fixture(scope="module")
def offline_page(browser) -> Iterator[tuple[object, list[str], list[str]]]:
    """One page with JavaScript, and the requests and console errors it records."""
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT})
    context.set_default_timeout(15_000)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, requests, errors
    context.close()


def test_the_copy_works_from_disk(offline_page, copy: Path) -> None:
    page, requests, errors = offline_page
    page.goto((copy / "index.html").as_uri())
    assert page.locator("h1").first.is_visible()
    page.locator(".md-nav--primary a", has_text="Consent").first.click()
    page.wait_for_load_state()
    assert page.url == (copy / "consent.html").as_uri() and "Consent" in page.locator("h1").first.inner_text()

    # The "Should I share?" helper, walked to an outcome.
    page.goto((copy / "flows" / "should-i-share.html").as_uri())
    page.locator("[data-flow-step]:not([hidden]) a[data-answer]", has_text="No").first.click()  # not in danger
    for _ in range(10):
        if page.locator(".sg-record").is_visible():
            break
        page.locator("[data-flow-step]:not([hidden]) a[data-answer]", has_text="Yes").first.click()
    assert page.locator(".sg-record").is_visible(), "the helper reaches an outcome with its record"

    # A quiz's answer.
    page.goto((copy / "learn" / "module-2.html").as_uri())
    page.locator("[data-quiz-item] summary", has_text="Show answer").first.click()
    assert page.locator("[data-quiz-item] .sg-quiz__explanation").first.is_visible()

    # Search, which Material runs in a Web Worker: from disk through the vendored iframe-worker shim.
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("Clare's Law", delay=20)  # Material ignores fill()
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    assert "Clare's Law" in page.locator(".md-search-result__item").first.inner_text()

    assert requests and all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file://")]
    assert not errors, errors


def test_the_decision_helper_works_from_disk_without_javascript(browser, copy: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((copy / "flows" / "should-i-share.html").as_uri())
        helper = BeautifulSoup((copy / "flows" / "should-i-share.html").read_text(encoding="utf-8"), "html.parser").select_one("[data-flow]")
        outcome, route = next(iter(routes_to_outcomes(helper).items()))
        for step, label in route:
            page.locator(f'[data-flow-step="{step}"] a[data-answer="{label}"]').click()
        assert page.locator(f'[data-flow-step="{outcome}"] a[href^="tel:"]').first.is_visible()
    finally:
        context.close()


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory, demo_site: Path) -> Path:
    """Eastmoor (releases kept, offline copies on, as in the demo build) and Northbridge's working copy with
    offline copies turned off, built in one run. The PDFs in the zips come from the demo build's PDF cache
    (checked against their digests; a PDF written again is tests/test_whole_guidance.py's subject)."""
    project = copy_project(tmp_path_factory.mktemp("offline") / "project", releases=True, downloads=True)
    for other in (project / "partnerships").iterdir():
        if other.name not in ("eastmoor", "northbridge"):
            shutil.rmtree(other)
    shutil.rmtree(project / "partnerships" / "northbridge" / "releases")  # its working copy is enough here
    config = project / "partnerships" / "northbridge" / "partnership.yml"
    assert "\nreader:" not in config.read_text(encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8") + "\nreader:\n  pdf: false\n  offline_copy: false\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SAFEGUIDE_CACHE", str(ROOT / ".safeguide-cache"))  # where the demo build kept its PDFs
        result = safeguide("build", "--out", str(project / "site"), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_a_frozen_release_gives_the_same_zip_when_built_again(rebuilt: Path, demo_site: Path) -> None:
    released = [v for v in versions(demo_site, "eastmoor") if (ROOT / "partnerships" / "eastmoor" / "releases" / v).is_dir()]
    assert released
    for version in released:
        name = zip_stem("eastmoor", version) + ".zip"
        assert (rebuilt / "eastmoor" / version / name).read_bytes() == (demo_site / "eastmoor" / version / name).read_bytes()


def test_turning_the_offline_copy_off_removes_the_zip_and_the_link(rebuilt: Path) -> None:
    for version in versions(rebuilt, "northbridge"):
        folder = rebuilt / "northbridge" / version
        assert not list(folder.glob("*.zip"))
        assert "-offline.zip" not in (folder / "index.html").read_text(encoding="utf-8")
        assert "Offline copy" not in (folder / "contacts" / "index.html").read_text(encoding="utf-8")


def test_links_are_fixed_for_disk_with_and_without_a_site_url(tmp_path: Path) -> None:
    """finish_copy on a two-page copy: folders become files, this version's web addresses become files of
    the copy, other places go to the published site, or, without a site_url, are not made."""
    page = (
        '<a href="../what-changed/#law">a</a><a href="../../2.0/">b</a><a href="https://x.org/p/3.0/law/">c</a>'
        '<link rel="alternate" href="../../feed.xml"><a href="../">d</a>'
    )
    expected = {
        "https://x.org/": '<a href="../what-changed.html#law">a</a><a href="https://x.org/p/2.0/">b</a><a href="../law.html">c</a>'
        '<link rel="alternate" href="https://x.org/p/feed.xml"><a href="../index.html">d</a>',
        None: '<a href="../what-changed.html#law">a</a><a>b</a><a href="https://x.org/p/3.0/law/">c</a><a href="../index.html">d</a>',
    }
    for site_url, fixed in expected.items():
        for name in ("index.html", "law.html", "what-changed.html"):
            (tmp_path / name).write_text("", encoding="utf-8")
        (tmp_path / "learn").mkdir(exist_ok=True)
        (tmp_path / "learn" / "module-1.html").write_text(page, encoding="utf-8")
        finish_copy(tmp_path, site_url, "p/3.0/")
        assert (tmp_path / "learn" / "module-1.html").read_text(encoding="utf-8") == fixed, site_url
