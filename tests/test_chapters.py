"""Chapter numbering, the reviewed/follows line, page front matter and the glossary, unit by unit."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguide.core import nav
from safeguide.core.models import GlossaryEntry, PageMeta, Source
from safeguide.core.problems import SafeguideError
from safeguide.core.variants import linked_pages, merge_glossary, page_meta
from safeguide.render import chapters, glossary
from tests.test_numbering import numbered

ADVICE = Source(title="Advice", short="Advice", publisher="HM Government", edition="2024 edition", kind="guidance", url="https://example.org/a")
ACT = Source(title="An Act", short="Act 2018", publisher="Act of Parliament", edition="as amended", kind="law", url="https://example.org/b")
SOURCES = {"advice": ADVICE, "act": ACT}

# The Markdown for the HTML these tests once fed the numbering: ids written out, one permalink (as the toc
# extension would add it), and no toc extension, so that the title has none.
PAGE = (
    "# Consent {#consent}\n\n"
    '!!! key-points "Key points"\n    - One\n\n'
    "Intro.\n\n"
    '## First[&para;](#first){: .headerlink title="Link to this section" } {#first}\n\n'
    "## Second {#second}\n\n## Third {#third}\n"
)
EXTENSIONS = ["admonition", "attr_list"]


def test_chapters_are_numbered_in_nav_order_within_their_section() -> None:
    tree = [{"Home": "index.md"}, {"Guidance": ["a.md", {"Titled": "b.md"}, {"Nested": ["c.md"]}, "d.md"]}]
    assert nav.numbers_from_nav(tree, "Guidance") == {"a.md": 1, "b.md": 2, "d.md": 3}
    assert nav.numbers_from_nav(tree, "Reference") == {}


def test_title_and_sections_get_numbers_and_keep_their_ids() -> None:
    html, sections = numbered(PAGE, 6, EXTENSIONS, {})
    assert '<h1 id="consent"><span class="sg-number">6.</span> Consent</h1>' in html
    assert '<h2 id="first"><span class="sg-number">6.1</span> First<a class="headerlink"' in html
    assert [(s.id, s.number, s.title) for s in sections] == [("first", "6.1", "First"), ("second", "6.2", "Second"), ("third", "6.3", "Third")]


def test_facts_then_key_points_then_contents_follow_the_title() -> None:
    html, sections = numbered(PAGE, 6, EXTENSIONS, {})
    meta = PageMeta(reviewed=dt.date(2026, 11, 2), follows=["advice"])
    out = chapters.insert_after_title(html, chapters.facts_html(meta, SOURCES, "../sources/", None), chapters.contents_html(sections, "In this chapter"))
    assert out.index("</h1>") < out.index("sg-facts") < out.index("key-points") < out.index("sg-contents") < out.index("Intro.")
    assert '<time datetime="2026-11-02">2 November 2026</time>' in out
    assert '<a href="../sources/#advice">Advice</a> (HM Government, 2024 edition)' in out
    assert '<a href="#second">6.2 Second</a>' in out


def test_short_pages_get_no_contents_list() -> None:
    _, sections = numbered("# X {#x}\n\n## A {#a}\n\n## B {#b}\n", 1, EXTENSIONS, {})
    assert chapters.contents_html(sections, "In this chapter") == ""


def test_many_sources_fold_behind_the_main_one_and_local_pages_say_whose() -> None:
    meta = PageMeta(reviewed=dt.date(2026, 1, 5), follows=["advice", "act"])
    facts = chapters.facts_html(meta, SOURCES, None, "Testshire Partnership")
    assert "A local page from Testshire Partnership." in facts
    assert "<summary><span class=\"sg-facts__label\">Follows:</span> Advice (HM Government, 2024 edition) and 1 more source</summary>" in facts
    assert "<li>Act 2018 (as amended)</li>" in facts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# No front matter\n", ["does not say when it was last reviewed", "reviewed: 2026-11-20", "follows: [info-sharing-2024]"]),
        ("---\nfollows: [advice]\n---\n# T\n", ["no 'reviewed' date", "line 1"]),
        ("---\nreviewed: soon\nfollows: []\n---\n# T\n", ["'soon' is not a date", "YYYY-MM-DD", "line 2"]),
        ("---\nreviewed: 2026-11-20\nfollows: [advise]\n---\n# T\n", ["'advise' is not a source", "Did you mean 'advice'?", "line 3"]),
        ("---\nreviewed: 2026-11-20\n---\n# T\n", ["does not say which national sources it follows"]),
    ],
)
def test_bad_front_matter_names_the_page_line_and_fix(text: str, expected: list[str]) -> None:
    with pytest.raises(SafeguideError) as caught:
        page_meta(text, "docs/page.md", SOURCES, baseline_page=True)
    said = "\n".join(str(p) for p in caught.value.problems)
    assert "docs/page.md" in said
    for fragment in expected:
        assert fragment in said, f"{fragment!r} not in {said!r}"


def test_local_pages_need_a_date_but_not_sources() -> None:
    meta = page_meta("---\nreviewed: 2026-03-01\n---\n# Local\n", "partnerships/x/docs/local.md", SOURCES, baseline_page=False)
    assert meta.reviewed == dt.date(2026, 3, 1) and meta.follows == []


def test_links_to_pages_are_found_relative_to_the_linking_page() -> None:
    text = "See [consent](consent.md#children), [up](../law.md) and [web](https://example.org/x.md)."
    assert linked_pages("guide/page.md", text) == {"guide/consent.md", "law.md"}


def test_abbreviations_come_from_the_glossary_and_can_take_focus() -> None:
    entries = [GlossaryEntry(term="MASH", stands_for="multi-agency safeguarding hub", meaning="A team."), GlossaryEntry(term="Consent", meaning="Agreeing.")]
    assert glossary.abbreviation_definitions(entries).strip() == "*[MASH]: multi-agency safeguarding hub"
    html = glossary.focusable_abbreviations('<p>The <abbr title="multi-agency safeguarding hub">MASH</abbr> decides.</p>')
    assert '<abbr class="sg-abbr" tabindex="0" title="multi-agency safeguarding hub">MASH</abbr>' in html
    assert '<dt id="term-mash"><dfn>MASH</dfn></dt>' in glossary.page_html(entries)


def test_a_partnership_term_replaces_the_national_one_with_the_same_name() -> None:
    national = [GlossaryEntry(term="SAB", stands_for="Safeguarding Adults Board", meaning="National meaning.")]
    local = [GlossaryEntry(term="sab", stands_for="Safeguarding Adults Board", meaning="Our board."), GlossaryEntry(term="EDT", meaning="Out of hours.")]
    merged = merge_glossary(national, local)
    assert [(e.term, e.meaning) for e in merged] == [("EDT", "Out of hours."), ("sab", "Our board.")]
