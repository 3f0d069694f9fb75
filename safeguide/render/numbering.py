"""Chapter and section numbers put in by Python-Markdown, from the Markdown tree: a chapter's title gets
"6." and each section of it (an h2 of the chapter's own text) "6.1", "6.2" …, in a
`<span class="sg-number">` before the heading's text; the sections found are kept for the in-page
contents (safeguide.render.chapters.contents_html) and the table of contents.

Only headings of the page's own text are sections. What the page language puts in a page as HTML (a
flow's decision helper, its diagram, its text equivalent: safeguide.render.flow_html) stays raw HTML, which
Python-Markdown keeps out of the tree, so its step headings are never numbered. Where md_in_html does
parse such a block into the tree (a flow inside a `markdown` block, e.g. a partnership's local slot),
its wrapper's class (`GENERATED_BLOCKS`) keeps the headings inside it out.

One `ChapterNumbers` serves one build: MkDocs makes a Markdown instance for every page from
`config.markdown_extensions`, where the build lists this instance. Before MkDocs converts a page, the build
tells it which page comes next and its chapter number (`expect`); afterwards it asks for the sections
found (`sections_of`). State lives on the instance, so on the build's config, never in this module.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as etree
from collections.abc import Iterator

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from safeguide.render.chapters import Section

# Wrappers of the blocks safeguide.render.flow_html makes: the headings inside them are a flow's steps.
GENERATED_BLOCKS = frozenset({"sg-flow", "sg-flow-text", "sg-diagram"})
# After every other treeprocessor: after `toc` (5), so headings already have their ids and the table of
# contents is made from the unnumbered text, and after MkDocs' title extraction (1), so the page title
# is unnumbered too (the build numbers it and the table of contents: safeguide.build.integration).
PRIORITY = -10


class ChapterNumbers(Extension):
    """One build's chapter and section numbering, as a Python-Markdown extension listed once in
    `config.markdown_extensions` and so shared by every page's Markdown instance."""

    def __init__(self) -> None:
        super().__init__()
        self._next: tuple[str, int] | None = None
        self._found: dict[str, list[Section]] = {}

    def expect(self, page: str, chapter: int | None) -> None:
        """The next Markdown conversion is `page` (its path in docs/, e.g. "consent.md"): number it as
        chapter `chapter`, or not at all if it is None (a page that is not a chapter)."""
        self._next = None if chapter is None else (page, chapter)

    def sections_of(self, page: str) -> list[Section]:
        """The sections numbered in `page`'s conversion, in the order they appear (once: they are then
        forgotten). Raises LookupError if `page` was not converted as a chapter since `expect`."""
        try:
            return self._found.pop(page)
        except KeyError:
            raise LookupError(f"{page} was not numbered: call expect() before MkDocs converts it.") from None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        """Register the numbering on one page's Markdown instance."""
        md.treeprocessors.register(_Numberer(md, self), "sg_chapter_numbers", PRIORITY)

    def _take(self) -> tuple[str, int] | None:
        expected, self._next = self._next, None
        return expected

    def _record(self, page: str, sections: list[Section]) -> None:
        self._found[page] = sections


class _Numberer(Treeprocessor):
    def __init__(self, md: Markdown, numbers: ChapterNumbers) -> None:
        super().__init__(md)
        self.numbers = numbers

    def run(self, root: etree.Element) -> None:
        expected = self.numbers._take()  # one conversion per expect(): any other conversion is left alone
        if expected is None:
            return
        page, chapter = expected
        self.numbers._record(page, number_headings(root, chapter, self.md))


def number_headings(root: etree.Element, chapter: int, md: Markdown) -> list[Section]:
    """Number, in place, the first h1 under `root` ("6.") and every h2 of the page's own text ("6.1", …),
    skipping headings inside `GENERATED_BLOCKS`; returns the h2s as Sections (id "" if one has none).
    `md` is the Markdown instance that made the tree (a heading's text may hold its stashed HTML)."""
    sections: list[Section] = []
    titled = False
    for heading in _own_headings(root):
        if heading.tag == "h1":
            if not titled:
                _prefix(heading, f"{chapter}.")
                titled = True
            continue
        number = f"{chapter}.{len(sections) + 1}"
        sections.append(Section(heading.get("id", ""), number, _plain_text(heading, md)))
        _prefix(heading, number)
    return sections


def _own_headings(element: etree.Element) -> Iterator[etree.Element]:
    """The h1 and h2 elements under `element` in document order, not looking inside generated blocks."""
    for child in element:
        if not isinstance(child.tag, str) or GENERATED_BLOCKS.intersection(child.get("class", "").split()):
            continue
        if child.tag in ("h1", "h2"):
            yield child
        else:
            yield from _own_headings(child)


def _prefix(heading: etree.Element, number: str) -> None:
    """`<h2 id="x">Text…` -> `<h2 id="x"><span class="sg-number">6.1</span> Text…`."""
    span = etree.Element("span", {"class": "sg-number"})
    span.text = number
    span.tail = " " + (heading.text or "")
    heading.text = None
    heading.insert(0, span)


def _plain_text(heading: etree.Element, md: Markdown) -> str:
    """A heading as a reader sees it ("&amp;" -> "&"), without its permalink; escape it where it is used."""
    shown = copy.deepcopy(heading)
    for link in [c for c in shown if c.tag == "a" and "headerlink" in c.get("class", "").split()]:
        _remove_keeping_tail(shown, link)
    html = md.serializer(shown)
    for processor in md.postprocessors:  # as the page will have it: its stashed HTML put back
        html = processor.run(html)
    return Markup(html).striptags()


def _remove_keeping_tail(parent: etree.Element, child: etree.Element) -> None:
    index = list(parent).index(child)
    if child.tail:
        if index:
            before = parent[index - 1]
            before.tail = (before.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)
