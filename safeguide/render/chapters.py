"""What makes the guidance read like a procedures manual: numbered chapters and sections, a line
under each title saying when the page was last reviewed and what it follows, and in-page contents.

The numbers themselves are put in while Python-Markdown converts a page (safeguide.render.numbering);
this module places the lines and the contents in the HTML it produced, whose heading markup is regular.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import jinja2

from safeguide.core.html_positions import LazyPositions
from safeguide.core.models import PageMeta, Source
from safeguide.render.environment import TEMPLATES

H1 = re.compile(r"<h1\b([^>]*)>(.*?)</h1>", re.DOTALL)
KEY_POINTS = re.compile(r'\s*<div class="admonition key-points"[ >]')
MIN_SECTIONS_FOR_CONTENTS = 3


@dataclass(frozen=True)
class Section:
    """A numbered section of a chapter: its heading's id ("" if it has none), number ("6.2") and plain text."""

    id: str
    number: str
    title: str


def facts_html(
    meta: PageMeta | None, sources: Mapping[str, Source], sources_url: str | None, local_author: str | None, *, templates: jinja2.Environment = TEMPLATES
) -> str:
    """The line under a page's title (templates/page/facts.html): last reviewed, the national sources it follows
    (linked to the Sources page at `sources_url` when there is one), local authorship; "" when there is none."""
    if not local_author and meta is None:
        return ""
    followed = [{"id": sid, "short": sources[sid].short, "detail": _detail(sources[sid])} for sid in (meta.follows if meta else []) if sid in sources]
    return templates.get_template("page/facts.html").render(
        local_author=local_author, reviewed=meta.reviewed if meta else None, followed=followed, sources_url=sources_url
    )


def _detail(source: Source) -> str:
    # Acts are named by their year already; for guidance the publisher matters.
    return source.edition if source.kind == "law" else f"{source.publisher}, {source.edition}"


def contents_html(sections: list[Section], label: str, *, templates: jinja2.Environment = TEMPLATES) -> str:
    """In-page contents for long pages (templates/page/contents.html), "" for fewer than MIN_SECTIONS_FOR_CONTENTS
    sections with an id; wide screens show Material's own table of contents instead."""
    linked = [s for s in sections if s.id]
    if len(linked) < MIN_SECTIONS_FOR_CONTENTS:
        return ""
    return templates.get_template("page/contents.html").render(sections=linked, label=label)


def insert_after_title(html: str, facts: str, contents: str) -> str:
    """Title, then the facts line, then the key points box (if the page opens with one), then contents."""
    title = H1.search(html)
    if title is None:
        return facts + contents + html
    head, rest = html[: title.end()], html[title.end() :]
    key_points = KEY_POINTS.match(rest)
    end = _element_end(rest, rest.index("<", 0, key_points.end())) if key_points else None
    if end is not None:
        return head + facts + rest[:end] + contents + rest[end:]
    return head + facts + contents + rest


class _ClosingTag(LazyPositions):
    """Finds where the element that opens the fed HTML closes, counting elements of the same name
    nested inside it (an admonition inside the box, a contact card): a regex to the first end tag stops
    at the inner one. `end` is the (line, column) where its end tag starts, or None if it never closes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tag: str | None = None
        self.depth = 0
        self.end: tuple[int, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.tag is None:
            self.tag = tag
        if tag == self.tag and self.end is None:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag and self.end is None:
            self.depth -= 1
            if self.depth == 0:
                self.end = self.getpos()


def _element_end(html: str, start: int) -> int | None:
    """The offset just after the end tag of the element starting at `start` in `html`, or None."""
    parser = _ClosingTag()
    parser.feed(html[start:])
    parser.close()
    if parser.end is None:
        return None
    line, column = parser.end
    lines = html[start:].split("\n")
    offset = start + sum(len(text) + 1 for text in lines[: line - 1]) + column
    return html.index(">", offset) + 1
