"""What makes the guidance read like a procedures manual: numbered chapters and sections, a line
under each title saying when the page was last reviewed and what it follows, and in-page contents.

The numbers themselves are put in while Python-Markdown converts a page (safeguide.render.numbering);
this module places the lines and the contents in the HTML it produced, whose heading markup is regular.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from safeguide.core.dates import long_date
from safeguide.core.models import PageMeta, Source

H1 = re.compile(r"<h1\b([^>]*)>(.*?)</h1>", re.DOTALL)
KEY_POINTS = re.compile(r'\s*<div class="admonition key-points"[ >]')
MIN_SECTIONS_FOR_CONTENTS = 3


@dataclass(frozen=True)
class Section:
    """A numbered section of a chapter: its heading's id ("" if it has none), number ("6.2") and plain text."""

    id: str
    number: str
    title: str


def facts_html(meta: PageMeta | None, sources: Mapping[str, Source], sources_url: str | None, local_author: str | None) -> str:
    """The line under a page's title: last reviewed, the national sources it follows, local authorship."""
    rows = []
    if local_author:
        rows.append(f"<p>A local page from {escape(local_author)}.</p>")
    if meta is not None:
        rows.append(
            f'<p><span class="sg-facts__label">Last reviewed:</span> <time datetime="{meta.reviewed.isoformat()}">{long_date(meta.reviewed)}</time></p>'
        )
        followed = [(sid, sources[sid]) for sid in meta.follows if sid in sources]
        if len(followed) == 1:
            rows.append(f'<p><span class="sg-facts__label">Follows:</span> {_source_html(*followed[0], sources_url)}</p>')
        elif followed:
            # The main source and its edition stay in view; the rest open on request, so that on a
            # phone the guidance itself is not pushed below the fold.
            first = followed[0][1]
            others = len(followed) - 1
            items = "".join(f"<li>{_source_html(sid, source, sources_url)}</li>" for sid, source in followed)
            rows.append(
                f'<details class="sg-facts__follows"><summary><span class="sg-facts__label">Follows:</span> '
                f"{escape(first.short)} ({escape(_detail(first))}) and {others} more "
                f'{"source" if others == 1 else "sources"}</summary><ul>{items}</ul></details>'
            )
    if not rows:
        return ""
    return '<div class="sg-facts">' + "".join(rows) + "</div>"


def _source_html(source_id: str, source: Source, sources_url: str | None) -> str:
    name = escape(source.short)
    linked = f'<a href="{escape(sources_url)}#{source_id}">{name}</a>' if sources_url else name
    return f"{linked} ({escape(_detail(source))})"


def _detail(source: Source) -> str:
    # Acts are named by their year already; for guidance the publisher matters.
    return source.edition if source.kind == "law" else f"{source.publisher}, {source.edition}"


def contents_html(sections: list[Section], label: str) -> str:
    """In-page contents, for long pages; wide screens show Material's own table of contents instead."""
    linked = [s for s in sections if s.id]
    if len(linked) < MIN_SECTIONS_FOR_CONTENTS:
        return ""
    items = "".join(
        f'<li><a href="#{escape(s.id)}">{escape(s.number)} {escape(s.title)}</a></li>' for s in linked
    )
    return (
        f'<nav class="sg-contents" aria-labelledby="sg-contents-title">'
        f'<p class="sg-contents__title" id="sg-contents-title">{escape(label)}</p><ul>{items}</ul></nav>'
    )


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


class _ClosingTag(HTMLParser):
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
