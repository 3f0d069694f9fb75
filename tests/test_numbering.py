"""Chapter and section numbers from the Markdown tree (safeguide.render.numbering): Markdown in, HTML out,
with the site's own Markdown extensions; and a built chapter with a flow in it, whose step headings are
the flow's, not the chapter's sections."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from safeguide.render.chapters import Section
from safeguide.render.numbering import ChapterNumbers
from tests.conftest import copy_project, safeguide

# mkdocs.yml's markdown_extensions, less the snippets (files) and the training blocks (their own tests).
SITE_EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences"]
SITE_CONFIGS = {"toc": {"permalink": True, "permalink_title": "Link to this section"}}
LINK = '<a class="headerlink" href="#{0}" title="Link to this section">&para;</a>'


def numbered(text: str, chapter: int | None, extensions: list[str] | None = None, configs: dict | None = None) -> tuple[str, list[Section]]:
    """`text` converted as chapter `chapter` (None: a page that is not a chapter), and its sections."""
    numbers = ChapterNumbers()
    numbers.expect("page.md", chapter)
    html = markdown.markdown(text, extensions=[*(extensions if extensions is not None else SITE_EXTENSIONS), numbers], extension_configs=configs if configs is not None else SITE_CONFIGS)
    return html, (numbers.sections_of("page.md") if chapter is not None else [])


def test_title_and_own_sections_are_numbered_and_subsections_are_not() -> None:
    html, sections = numbered("# Consent {#consent}\n\nIntro.\n\n## First {#first}\n\n### Detail\n\n## Second\n", 6)
    assert html == (
        f'<h1 id="consent"><span class="sg-number">6.</span> Consent{LINK.format("consent")}</h1>\n'
        "<p>Intro.</p>\n"
        f'<h2 id="first"><span class="sg-number">6.1</span> First{LINK.format("first")}</h2>\n'
        f'<h3 id="detail">Detail{LINK.format("detail")}</h3>\n'
        f'<h2 id="second"><span class="sg-number">6.2</span> Second{LINK.format("second")}</h2>'
    )
    assert sections == [Section("first", "6.1", "First"), Section("second", "6.2", "Second")]


def test_a_section_title_is_its_text_as_read() -> None:
    text = "# T\n\n## Tom &amp; *Jerry* & `code` {#tj}\n\n## The MASH\n\n*[MASH]: multi-agency safeguarding hub\n"
    html, sections = numbered(text, 2)
    assert f'<h2 id="tj"><span class="sg-number">2.1</span> Tom &amp; <em>Jerry</em> &amp; <code>code</code>{LINK.format("tj")}</h2>' in html
    assert '<span class="sg-number">2.2</span> The <abbr title="multi-agency safeguarding hub">MASH</abbr>' in html
    assert [(s.title, s.id) for s in sections] == [("Tom & Jerry & code", "tj"), ("The MASH", "the-mash")]


FLOW = (
    '<div class="sg-flow" data-flow="f" data-title="F"><div class="sg-flow__steps">'
    '<section id="f-start"><h2 class="sg-flow__title" id="f-start-title" tabindex="-1">Is it urgent?</h2></section>'
    '<section id="f-end"><h2 class="sg-flow__title" id="f-end-title" tabindex="-1">Share</h2>'
    '<div class="sg-flow__call"><h3>Who to contact</h3></div></section></div></div>'
)


def test_a_flow_in_a_chapter_keeps_its_step_headings_unnumbered() -> None:
    html, sections = numbered(f"# C\n\n## Before\n\n{FLOW}\n\n## After\n", 6)
    assert FLOW in html  # untouched: raw HTML is not in the Markdown tree
    assert f'<h2 id="after"><span class="sg-number">6.2</span> After{LINK.format("after")}</h2>' in html
    assert [s.number for s in sections] == ["6.1", "6.2"]


def test_a_flow_parsed_into_the_tree_by_md_in_html_is_still_not_sections() -> None:
    """A local slot is a `markdown` block: md_in_html parses the HTML inside it, a flow's too."""
    html, sections = numbered(f'# C\n\n<div class="sg-local" markdown="1">\n\n## Local way\n\n{FLOW}\n\n</div>\n\n## After\n', 3)
    assert f'<h2 id="local-way"><span class="sg-number">3.1</span> Local way{LINK.format("local-way")}</h2>' in html
    assert '<h2 class="sg-flow__title" id="f-start-title" tabindex="-1">Is it urgent?' in html
    assert '<h2 class="sg-flow__title" id="f-end-title" tabindex="-1">Share' in html
    assert [(s.id, s.number) for s in sections] == [("local-way", "3.1"), ("after", "3.2")]


def test_headings_in_admonitions_and_details_count_as_before() -> None:
    html, sections = numbered('# C\n\n!!! note "Note"\n    ## Inside\n\n??? info "More"\n    ## Folded\n', 1)
    assert [(s.title, s.number) for s in sections] == [("Inside", "1.1"), ("Folded", "1.2")]
    assert '<span class="sg-number">1.2</span> Folded' in html


def test_only_the_first_title_is_numbered() -> None:
    html, sections = numbered("# One\n\n# Two\n\n## S\n", 4, ["attr_list"], {})
    assert html == '<h1><span class="sg-number">4.</span> One</h1>\n<h1>Two</h1>\n<h2><span class="sg-number">4.1</span> S</h2>'
    assert sections == [Section("", "4.1", "S")]  # no toc extension: no id, so no contents link (contents_html)


def test_pages_that_are_not_chapters_and_other_conversions_are_left_alone() -> None:
    text = "# T\n\n## S\n"
    assert numbered(text, None)[0] == markdown.markdown(text, extensions=SITE_EXTENSIONS, extension_configs=SITE_CONFIGS)
    numbers = ChapterNumbers()
    numbers.expect("a.md", 5)
    extensions = [*SITE_EXTENSIONS, numbers]
    assert "sg-number" in markdown.markdown(text, extensions=extensions, extension_configs=SITE_CONFIGS)
    assert "sg-number" not in markdown.markdown(text, extensions=extensions, extension_configs=SITE_CONFIGS)  # one per expect()
    assert [s.number for s in numbers.sections_of("a.md")] == ["5.1"]
    with pytest.raises(LookupError, match=r"a\.md was not numbered"):
        numbers.sections_of("a.md")


OWN_NUMBER = re.compile(r'<h2[^>]*><span class="sg-number">([\d.]+)</span>')
FLOW_TITLE = re.compile(r'<h2 class="sg-flow__title"[^>]*>(<span class="sg-number">)?')


def test_a_built_chapter_with_a_flow_in_it_numbers_only_its_own_sections(tmp_path: Path) -> None:
    """The defect: numbering by regex over the finished HTML numbered a decision helper's steps as
    sections ("6.13–6.25") and shifted the chapter's own sections after it."""
    project = copy_project(tmp_path / "project")
    consent = project / "docs" / "consent.md"
    text = consent.read_text(encoding="utf-8")
    consent.write_text(text.replace("## Recording consent decisions", '{{ flow("should-i-share") }}\n\n## Recording consent decisions', 1), encoding="utf-8")
    slot = project / "partnerships" / "riverside" / "slots" / "escalation.md"  # a local slot in chapter 7
    slot.write_text(slot.read_text(encoding="utf-8") + '\n{{ flow("who-to-tell") }}\n', encoding="utf-8")
    result = safeguide("build", "riverside", "--out", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    built = tmp_path / "site" / "riverside"

    def own_sections(page: str) -> list[str]:
        return re.findall(r"^## .*\{#([\w-]+)\}", (project / "docs" / page).read_text(encoding="utf-8"), re.MULTILINE)

    (page,) = built.glob("*/consent/index.html")
    html = page.read_text(encoding="utf-8")
    steps = FLOW_TITLE.findall(html)
    assert steps and not any(steps), "the flow's step headings are numbered as sections"
    ids = own_sections("consent.md")
    assert OWN_NUMBER.findall(html) == [f"6.{n}" for n in range(1, len(ids) + 1)]
    after = f"6.{ids.index('recording') + 1}"  # the first section after the flow: numbered as if it were not there
    assert f'<h2 id="recording"><span class="sg-number">{after}</span> Recording consent decisions' in html
    contents = html[html.index('<nav class="sg-contents"') :]
    contents = contents[: contents.index("</nav>")]
    assert contents.count("<li>") == len(ids) and f'<a href="#recording">{after} Recording consent decisions</a>' in contents

    (page,) = built.glob("*/deciding/index.html")
    html = page.read_text(encoding="utf-8")
    steps = FLOW_TITLE.findall(html)
    assert steps and not any(steps), "the flow in the local slot has its step headings numbered"
    assert OWN_NUMBER.findall(html) == [f"7.{n}" for n in range(1, len(own_sections("deciding.md")) + 1)]
