"""Lighter pages (issue 16, point 4), on the demo build: one stylesheet and one script of ours per page, the flows
script only where a flow or quiz is, no source maps or unused search languages published, "What changed" left out of
search, and a chapter page that weighs no more than plain Material's on the same Markdown.

A page's weight is what a browser fetches to show it (benchmarks/page_weight.py, `weigh`): the HTML and every
stylesheet, script, image and icon it links, each gzipped as a web server sends it. The search index and worker load
only when search is opened, the PDF and offline copy only when asked for: not counted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import material
import pytest

from benchmarks.page_weight import resources, weigh
from safeguide.build import assets
from tests.browser import current_version, load, version_url

# Plain MkDocs + Material building riverside's current edition from the same Markdown, the chapter "Consent" (consent/),
# measured by `python benchmarks/page_weight.py` (the reference side, Material 9.8.2, gzip level 9): HTML 9,912,
# favicon.png 1,893, main.css 22,669, bundle.js 34,876. Building that reference here would take longer than the
# rest of this file; re-measure with the benchmark when Material is upgraded or the chapter's text changes (the
# demo build weighed here also links the PDF and offline copy, which the benchmark's build leaves out).
PLAIN_MATERIAL_CHAPTER = 69_350
MATERIAL_ASSETS = ("assets/stylesheets/", "assets/javascripts/")


def edition(demo_site: Path, partnership: str = "riverside") -> Path:
    return demo_site / partnership / current_version(demo_site, partnership)


def ours(page: Path, site: Path) -> list[str]:
    """The stylesheets and scripts of ours that the page at `page` links: paths in its edition."""
    linked = [p.relative_to(site.resolve()).as_posix() for p in resources(page)]
    return [p for p in linked if p.endswith((".css", ".js")) and not p.startswith(MATERIAL_ASSETS)]


def test_every_page_links_one_stylesheet_and_one_script_of_ours(demo_site: Path) -> None:
    site = edition(demo_site)
    pages = [p for p in sorted(site.rglob("*.html")) if p.name != "404.html"]  # 404.html links from the host's root
    assert len(pages) > 40
    for page in pages:
        linked = ours(page, site)
        assert linked in ([assets.BUNDLE_CSS, assets.BUNDLE_JS], [assets.BUNDLE_PAGE_CSS, assets.BUNDLE_JS]), page.relative_to(site)
    # flows.css (decision helpers, diagrams, scenario cards, quizzes, module progress) only where it styles something
    with_flows = {p.parent.relative_to(site).as_posix() for p in pages if assets.BUNDLE_PAGE_CSS in ours(p, site)}
    assert {"flows/should-i-share", "flowchart", "scenarios", "learn/module-1", "whole-guidance"} <= with_flows
    assert not {"consent", ".", "contacts", "what-changed"} & with_flows
    assert (site / "assets" / "flows.js").is_file()  # loaded by the bundle where a flow or quiz is (test below)
    for joined in ("safeguide.css", "flows.css", "search.css", "display.css", "print.css", "safeguide.js", "print.js", "partnership/brand.css"):
        assert not (site / "assets" / joined).exists(), joined


def test_the_bundles_keep_what_they_join(demo_site: Path) -> None:
    """Print styles (printed pages name partnership, version and address), brand colours and the print date script
    are in the one stylesheet and script."""
    site = edition(demo_site)
    css = (site / assets.BUNDLE_CSS).read_text(encoding="utf-8")
    js = (site / assets.BUNDLE_JS).read_text(encoding="utf-8")
    assert "--sg-primary:#1d4f91" in css.replace(" ", "") and "@page" in css and "@media print" in css
    assert 'content:"Page " counter(page) " of " counter(pages)' in css
    assert "--sg-print-date" in js and "flows.js" in js and "/*" not in css
    with_flows = (site / assets.BUNDLE_PAGE_CSS).read_text(encoding="utf-8")
    assert with_flows.startswith(css.strip()[:200]) and ".sg-flow__hint" in with_flows and ".sg-flow__hint" not in css


def test_pages_keep_their_text_without_indentation() -> None:
    html = "<div>\n    <p>One\n      two</p>\n\n\n  <pre>x\n   y</pre>\n  <code>c\n  d</code>\n <script>\n  var a;\n</script>\n"
    assert assets.unindented(html) == "<div>\n<p>One\ntwo</p>\n<pre>x\n   y</pre>\n<code>c\n  d</code>\n<script>\n  var a;\n</script>\n"


def test_no_source_maps_or_unused_search_languages_are_published(demo_site: Path) -> None:
    assert assets.lunr_files(["en"]) == set()  # English needs none of Material's lunr language files
    for site in demo_site.glob("*/*/"):
        if (site / "sitemap.xml").is_file():
            assert not list(site.rglob("*.map")), site
            assert not (site / "assets" / "javascripts" / "lunr").exists(), site
            assert not list(site.glob("assets/stylesheets/palette.*")), site
            assert list(site.glob("assets/javascripts/workers/search.*.min.js")), site
            for script in site.glob("assets/javascripts/**/*.js"):  # nor a link to one
                assert "sourceMappingURL" not in script.read_text(encoding="utf-8"), script


def test_materials_stylesheet_keeps_what_the_published_pages_and_scripts_use(demo_site: Path) -> None:
    """What each page uses is gathered as MkDocs writes it (assets.finish_page): the published stylesheet is the one
    that reading every published page and script again would give."""
    site = edition(demo_site)
    [published] = site.glob(assets.MATERIAL_CSS)
    original = Path(material.__file__).parent / "templates" / published.relative_to(site)
    trimmed = "".join(assets._sheet(original.read_text(encoding="utf-8")).kept(assets.used_in(site)))
    assert published.read_text(encoding="utf-8") == trimmed
    assert len(trimmed) < 0.8 * len(original.read_text(encoding="utf-8"))


def test_a_page_changed_after_it_was_written_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<p class="kept">', encoding="utf-8")
    (tmp_path / "b.html").write_text('<p class="unread">', encoding="utf-8")
    known = assets.Used(classes={"gathered"})
    read = {str(tmp_path / "a.html"): len('<p class="kept">'), str(tmp_path / "b.html"): len('<p class="unread">')}
    used = assets.used_in(tmp_path, known, read)
    assert {"gathered"} == used.classes  # both pages are as they were written: nothing read again
    (tmp_path / "a.html").write_text('<p class="kept changed">', encoding="utf-8")
    (tmp_path / "c.svg").write_text('<svg class="new"></svg>', encoding="utf-8")
    assert {"gathered", "kept", "changed", "new"} == assets.used_in(tmp_path, known, read).classes


def test_lunr_files_follow_the_search_languages() -> None:
    assert assets.lunr_files(["de"]) == {"min/lunr.de.min.js", "min/lunr.stemmer.support.min.js"}
    assert assets.lunr_files(["en", "ja"]) == {"tinyseg.js", "min/lunr.ja.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js"}
    assert assets.lunr_files(["th"]) == {"wordcut.js", "min/lunr.th.min.js", "min/lunr.stemmer.support.min.js"}


def test_css_is_minified_as_css() -> None:
    css = '/* a note */\n.a  >  .b , .c :hover {\n  content: "Page  " counter(page) ;\n  margin: calc(1px + 2px) 0;\n}\n@media print { .d { color : red } }\n'
    # white space before a colon is kept: in a selector it means "any descendant"
    assert assets.minified_css(css) == '.a>.b,.c :hover{content:"Page  " counter(page);margin:calc(1px + 2px) 0;}@media print{.d{color :red}}'


def test_what_changed_is_left_out_of_search(demo_site: Path) -> None:
    for partnership in ("riverside", "eastmoor"):
        index = json.loads((edition(demo_site, partnership) / "search" / "search_index.json").read_text(encoding="utf-8"))
        locations = [doc["location"] for doc in index["docs"]]
        assert not [loc for loc in locations if loc.startswith("what-changed/")], partnership
        assert "consent/" in locations and "version-history/" in locations, partnership
        assert (edition(demo_site, partnership) / "what-changed" / "index.html").is_file()


def test_a_chapter_weighs_no_more_than_plain_material(demo_site: Path) -> None:
    site = edition(demo_site)
    sizes = weigh(site / "consent" / "index.html", demo_site)
    total = sum(sizes.values())
    detail = ", ".join(f"{name} {size:,}" for name, size in sizes.items())
    assert total <= PLAIN_MATERIAL_CHAPTER, f"{total:,} bytes gzipped against plain Material's {PLAIN_MATERIAL_CHAPTER:,} ({detail})"


@pytest.mark.browser
def test_the_flows_script_is_fetched_only_where_a_flow_is(site_url: str, demo_site: Path, new_page) -> None:
    page = new_page(390)
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    load(page, version_url(site_url, demo_site, "riverside", "consent/"))
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if url.endswith("/flows.js")]
    load(page, version_url(site_url, demo_site, "riverside", "flows/should-i-share/"))
    page.wait_for_selector("[data-flow].sg-flow--js")
    assert len([url for url in fetched if re.search(r"/riverside/[^/]+/assets/flows\.js$", url)]) == 1
