"""The whole guidance as one document, per version (issue 14, points 2 and 3).

Every version the demo publishes (releases and drafts) has a whole-guidance/ page and a PDF: the cover says
which partnership, version, approval and review date it is (and DRAFT or REPLACED where that applies), the
version table lists every release up to this one as release.yml records it, the contents and the parts give
every chapter in order with its number, the local contacts and the flowcharts as appendices, links stay
inside the document, and numbers are written out in full. The PDF (read back with pypdf) has the same cover,
table and chapters, a bookmark per chapter, page numbers, and on every page a footer with partnership,
version and address; the footer of every page links to it with its true length and size. A frozen release's
PDF says the same when built again without the cache.
"""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from safeguide.build import pdf
from safeguide.core.problems import SafeguideError
from safeguide.render import whole_guidance
from safeguide.site.publish import build_partnership
from tests.conftest import ROOT, copy_project, demo_ids, safeguide
from tests.site_html import local_digits

PAGE = "whole-guidance/index.html"


def editions(site: Path) -> list[tuple[str, str]]:
    """(partnership, version) of every published version, drafts included."""
    found = []
    for pid in demo_ids():
        for entry in json.loads((site / pid / "versions.json").read_text(encoding="utf-8")):
            found.append((pid, entry["version"]))
    return found


def releases(pid: str) -> list[dict]:
    """Every release.yml of a partnership, oldest first."""
    found = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "partnerships" / pid / "releases").glob("*/release.yml")]
    return sorted(found, key=lambda r: (str(r["date"]), r["version"]))


def name_of(pid: str, version: str) -> str:
    """The partnership's name as this version has it: a release keeps the name it was approved under."""
    frozen = ROOT / "partnerships" / pid / "releases" / version / "partnership" / "partnership.yml"
    config = frozen if frozen.is_file() else ROOT / "partnerships" / pid / "partnership.yml"
    return yaml.safe_load(config.read_text(encoding="utf-8"))["name"]


def long(day: str) -> str:
    import datetime as dt

    d = dt.date.fromisoformat(str(day))
    return f"{d.day} {d:%B %Y}"


def chapter_titles(soup: BeautifulSoup) -> list[str]:
    """The chapter titles as the version's menu numbers them ("6. Consent")."""
    section = next(s for s in soup.select(".md-nav__item--section") if s.find("label") and "Guidance" in s.find("label").get_text())
    return [" ".join(a.get_text().split()) for a in section.select("a.md-nav__link") if a.get("href")]


@cache
@cache  # the tests only read them; a whole-guidance page takes a good part of a second to parse
def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def pdf_reader(path: Path) -> PdfReader:
    return PdfReader(path)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _heading(h1) -> str:
    """A heading's text without its permalink sign."""
    return _flat("".join(str(t) for t in h1.find_all(string=True) if not t.find_parent(class_="headerlink")))


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_version_has_the_whole_guidance_with_cover_versions_contents_and_parts(demo_site: Path) -> None:
    for pid, version in editions(demo_site):
        folder = demo_site / pid / version
        soup = soup_of(folder / PAGE)
        where = f"{pid} {version}"
        document = soup.select_one("[data-sg-whole-guidance]")
        assert document is not None, where
        cover = _flat(document.select_one(".sg-wg__cover").get_text(" "))
        name = name_of(pid, version)
        assert name in cover and f"Version {version}" in cover, where
        past = releases(pid)
        this = next((r for r in past if str(r["version"]) == version), None)
        if this is None:  # a draft
            assert "DRAFT" in cover and "not approved" in cover, where
        else:
            assert long(this["date"]) in cover and this["approved_by"] in cover and long(this["review_due"]) in cover, where
            newest = past[-1]
            if newest is not this:
                assert f"REPLACED. Version {newest['version']} replaced this version" in cover, where
                assert f"https://safeguide.example.org/{pid}/{newest['version']}/" in cover, where
            else:
                assert "REPLACED" not in cover and "DRAFT" not in cover, where
        # The version table: every release up to this one, oldest first, as release.yml records it.
        rows = [[_flat(c.get_text(" ")) for c in tr.find_all(["th", "td"])] for tr in document.select(".sg-wg__versions tbody tr")]
        upto = past[: past.index(this) + 1] if this is not None else past
        expected = [[str(r["version"]), ", ".join(r.get("authors", [])) or "–", r["approved_by"], long(r["date"]), long(r["review_due"])] for r in upto]
        if this is None:
            expected.append([f"{version} (draft)", "–", "Not yet approved", "–", "–"])
        assert rows == expected, where
        # Contents and parts: every chapter, in the menu's order and numbering, then contacts and flowcharts.
        contents = [_flat(a.get_text()) for a in document.select(".sg-wg__contents a")]
        chapters = chapter_titles(soup)
        assert chapters and [c for c in contents if c in chapters] == chapters, where
        part_titles = [_heading(p.find("h1")) for p in document.select(".sg-wg__part")]
        assert [t for t in part_titles if t in chapters] == chapters, where
        assert any(p.get("id") == "wg-contacts" for p in document.select(".sg-wg__part")), where
        appendices = document.select(".sg-wg__part--appendix")
        flows = [a for a in soup.select(".md-nav__link[href]") if "flows/" in a["href"]]  # the version's decision helpers
        assert bool(appendices) == bool(flows) and all(a.select_one("[data-flow]") for a in appendices), where
        if appendices:
            assert contents[-len(appendices):] == [f"Appendix {chr(65 + i)}: {_heading(a.find('h1'))}" for i, a in enumerate(appendices)], where


def test_links_stay_inside_the_document_and_numbers_are_written_out(demo_site: Path) -> None:
    for pid, version in editions(demo_site):
        document = soup_of(demo_site / pid / version / PAGE).select_one("[data-sg-whole-guidance]")
        where = f"{pid} {version}"
        ids = {e["id"] for e in document.select("[id]")}
        assert len(ids) == len(document.select("[id]")), f"{where}: an id is used twice"
        for a in document.select("a[href]"):
            href = a["href"]
            if href.startswith("#"):
                assert href[1:] in ids, f"{where}: {href} leads nowhere in the document"
            elif not re.match(r"(https?:|tel:|mailto:)", href):  # on a replaced release: a number's link to the current contacts
                target = (demo_site / pid / version / "whole-guidance" / href.split("#")[0]).resolve()
                assert (target / "index.html").is_file() or target.is_file(), f"{where}: {href} leads nowhere"
        for tel in document.select('a[href^="tel:"]'):
            shown = re.sub(r"\D", "", tel.get_text())
            dialled = re.sub(r"\D", "", tel["href"])
            assert shown and (dialled.endswith(shown.lstrip("0")) or shown == dialled), f"{where}: {tel}"
        for image in document.select("img[src]"):
            assert (demo_site / pid / version / "whole-guidance" / image["src"]).resolve().is_file(), f"{where}: {image['src']}"


def test_no_document_names_another_partnership_or_its_numbers(demo_site: Path) -> None:
    names = {pid: yaml.safe_load((ROOT / "partnerships" / pid / "partnership.yml").read_text(encoding="utf-8"))["name"] for pid in demo_ids()}
    for pid, version in editions(demo_site):
        text = soup_of(demo_site / pid / version / PAGE).get_text(" ")
        for other, name in names.items():
            if other != pid:
                assert name not in text, f"{pid} {version} names {name}"
                for digits in local_digits(other) - local_digits(pid):
                    assert digits not in re.sub(r"\s", "", text), f"{pid} {version} has {other}'s number {digits}"


def test_every_page_links_to_the_pdf_with_its_true_length_and_size(demo_site: Path) -> None:
    for pid, version in editions(demo_site):
        folder = demo_site / pid / version
        pdf_file = folder / f"{pid}-guidance-{version}.pdf"
        reader = pdf_reader(pdf_file)
        kb = max(1, round(pdf_file.stat().st_size / 1000))
        wanted = f"Download the whole guidance (PDF, {len(reader.pages)} pages, {kb} KB)"
        for page in ("index.html", "contacts/index.html", PAGE):  # the footer is one template: three kinds of page
            links = [a for a in soup_of(folder / page).select(".sg-downloads a[href]") if "PDF" in a.get_text()]
            assert links and _flat(links[0].get_text()) == wanted, f"{pid} {version} {page}: {links}"
            assert (folder / page).parent.joinpath(links[0]["href"]).resolve() == pdf_file.resolve()


def test_the_pdf_has_the_cover_version_table_bookmarks_and_a_footer_on_every_page(demo_site: Path) -> None:
    for pid, version in editions(demo_site):
        folder = demo_site / pid / version
        reader = pdf_reader(folder / f"{pid}-guidance-{version}.pdf")
        where = f"{pid} {version} PDF"
        soup = soup_of(folder / PAGE)
        name = name_of(pid, version)
        cover = _squashed(reader.pages[0].extract_text())
        assert _squashed(name) in cover and _squashed(f"Version {version}") in cover, where
        past = releases(pid)
        this = next((r for r in past if str(r["version"]) == version), None)
        if this is None:
            assert "DRAFT" in cover, where
        else:
            assert _squashed(long(this["date"])) in cover and _squashed(this["approved_by"]) in cover, where
            if past[-1] is not this:
                assert "REPLACED" in cover, where
        table = _squashed(reader.pages[1].extract_text())
        for r in past[: past.index(this) + 1] if this is not None else past:
            assert _squashed(f"{r['version']}") in table and _squashed(long(r["review_due"])) in table, where
        assert reader.metadata.title and name in reader.metadata.title, where
        catalog = reader.trailer["/Root"]
        assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog and str(catalog["/Lang"]).startswith("en"), f"{where}: not tagged"
        outline = _outline_titles(reader.outline)
        for title in chapter_titles(soup):
            assert title in outline, f"{where}: no bookmark for {title}"
        address = f"https://safeguide.example.org/{pid}/{version}/"
        for number in (0, len(reader.pages) // 2, len(reader.pages) - 1):  # every page: see the next test
            text = _squashed(reader.pages[number].extract_text())
            assert _squashed(f"Version {version}") in text and address in text and f"Page{number + 1}of{len(reader.pages)}" in text, f"{where} page {number + 1}"


def test_the_pages_of_one_pdf_have_the_footer_and_no_other_partnership(demo_site: Path) -> None:
    pid = "riverside"
    version = json.loads((demo_site / pid / "versions.json").read_text(encoding="utf-8"))[0]["version"]
    reader = pdf_reader(demo_site / pid / version / f"{pid}-guidance-{version}.pdf")
    others = [yaml.safe_load((ROOT / "partnerships" / p / "partnership.yml").read_text(encoding="utf-8"))["name"] for p in demo_ids() if p != pid]
    pages = list(enumerate(reader.pages, start=1))
    for number, page in pages[::5] + pages[-1:]:  # one @page rule draws every footer: a fifth of the pages, and the last
        text = page.extract_text()
        squashed = _squashed(text)
        assert "RiversideSafeguardingChildrenPartnership" in squashed and f"Version{version}" in squashed and f"Page{number}of{len(reader.pages)}" in squashed, f"page {number}"
        assert f"https://safeguide.example.org/{pid}/{version}/" in squashed, f"page {number}"
        for other in others:
            assert _squashed(other) not in squashed, f"page {number} names {other}"


def _outline_titles(outline: list) -> set[str]:
    titles: set[str] = set()
    for item in outline:
        if isinstance(item, list):
            titles |= _outline_titles(item)
        else:
            titles.add(" ".join(item.title.split()))
    return titles


def test_a_frozen_release_writes_the_same_pdf_when_built_again(tmp_path: Path, demo_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One frozen release built again from a copy, with the PDF cache off: the same text, and the same bytes."""
    project = copy_project(tmp_path / "project", releases=True)  # the demo's PDF settings below, offline copies off
    config = project / "partnerships" / "kingsport" / "partnership.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  pdf: false\n", ""), encoding="utf-8")
    monkeypatch.setenv("SAFEGUIDE_CACHE", "off")
    version = releases("kingsport")[0]["version"]  # replaced by the newer one: the REPLACED cover and footer
    outcome = build_partnership(str(project), "kingsport", str(tmp_path / "site"), release=str(version))
    assert outcome.ok, outcome.messages
    name = f"kingsport/{version}/kingsport-guidance-{version}.pdf"
    again, first = PdfReader(tmp_path / "site" / name), pdf_reader(demo_site / name)
    assert [p.extract_text() for p in again.pages] == [p.extract_text() for p in first.pages], name
    assert (tmp_path / "site" / name).read_bytes() == (demo_site / name).read_bytes(), name


def test_a_pdf_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    """A document that uses a file the build does not have: nothing is fetched, and the message names it."""
    request = pdf.Request(
        body='<h1>Test</h1><img src="https://elsewhere.example/tracker.png" alt="">',
        base_url="https://safeguide.example.org/x/1.0/whole-guidance/",
        resources=lambda url: None,
        title="Test", author="Test", date="2026-11-30", footer=["Test"], language="en", shown_as="the PDF of x version 1.0",
    )
    with pytest.raises(SafeguideError) as caught:
        pdf.write(request, tmp_path / "x.pdf", cache=None)
    message = str(caught.value.problems[0])
    assert "the PDF of x version 1.0" in message and "https://elsewhere.example/tracker.png" in message and "reader: {pdf: false}" in message
    assert not (tmp_path / "x.pdf").exists()


def test_a_cached_pdf_is_used_only_while_it_is_whole(tmp_path: Path) -> None:
    logo = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    files = {"https://s.example/v/assets/logo.svg": logo}
    request = pdf.Request(
        body='<h1>Test</h1><img src="../assets/logo.svg" alt="">', base_url="https://s.example/v/whole-guidance/",
        resources=files.get, title="T", author="A", date="2026-11-30", footer=["F"], language="en", shown_as="the PDF",
    )
    cache_dir = tmp_path / "cache"
    first = pdf.write(request, tmp_path / "a.pdf", cache_dir)
    entry = next(cache_dir.glob("*.pdf"))
    entry.write_bytes(b"%PDF-1.7 broken")  # a corrupt entry is rendered again, never published
    second = pdf.write(request, tmp_path / "b.pdf", cache_dir)
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes() and second == pdf.Written("b.pdf", first.pages, first.size)
    files["https://s.example/v/assets/logo.svg"] = logo.replace(b"<rect", b'<circle r="5"')  # a file it used changed
    pdf.write(request, tmp_path / "c.pdf", cache_dir)
    assert (tmp_path / "c.pdf").read_bytes() != (tmp_path / "a.pdf").read_bytes()


def test_rebased_html_keeps_ids_unique_and_links_inside() -> None:
    chosen = [
        ("chapter", whole_guidance.Source("consent.md", "consent/", "6. Consent", '<h1 id="consent">Consent</h1><p id="a"><a href="#a">here</a> <a href="../law/#s1">law</a> <a href="../glossary/">glossary</a> <a href="tel:999">999</a> <label for="a">x</label></p>')),
        ("chapter", whole_guidance.Source("law.md", "law/", "3. Law", '<h1 id="law">Law</h1><h2 id="s1">One</h2><img src="../assets/x.svg" alt=""><svg><use href="#m"></use><path marker-end="url(#m)"/></svg>')),
    ]
    parts = whole_guidance.parts(chosen, "whole-guidance/", "https://s.example/p/1.0/")
    consent, law = (str(p.html) for p in parts)
    assert '<h1 id="wg-consent-consent">' in consent and 'href="#wg-consent-a"' in consent and 'for="wg-consent-a"' in consent
    assert 'href="#wg-law-s1"' in consent and 'href="https://s.example/p/1.0/glossary/"' in consent and 'href="tel:999"' in consent
    assert 'src="../assets/x.svg"' in law and 'href="#wg-law-m"' in law and 'url(#wg-law-m)' in law
    unknown = whole_guidance.parts(chosen, "whole-guidance/", None)
    assert 'href="../glossary/"' in str(unknown[0].html)


def test_a_partnership_can_turn_the_whole_guidance_and_pdf_off(tmp_path: Path) -> None:
    """copy_project turns PDFs off; whole_guidance: false takes the page away too."""
    project = copy_project(tmp_path / "project")
    for folder in (project / "partnerships").iterdir():
        if folder.name != "kingsport":
            shutil.rmtree(folder)
    config = project / "partnerships" / "kingsport" / "partnership.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("reader:\n", "reader:\n  whole_guidance: false\n"), encoding="utf-8")
    result = safeguide("build", "--out", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    version = next((tmp_path / "site" / "kingsport").glob("*/index.html")).parent
    assert not list(version.glob("*.pdf")) and not (version / "whole-guidance").exists()
    home = soup_of(version / "index.html")
    assert not home.select(".sg-downloads"), "no link to what is not there"
