"""LazyPositions (safeguide/core/html_positions.py) reports the same line and column as HTMLParser, at every event.

Our HTML parsers count lines only when asked, for speed. A wrong line would send a policy officer to the wrong place in
a page, so each event's position is compared with the standard library's on the demo's built pages and on markup that
HTMLParser reads in unusual ways, fed whole and in small pieces.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from safeguide.core.html_positions import LazyPositions

ODD_MARKUP = [
    "",
    "plain text\nover\nlines",
    "<p>one</p>\n<p>two &amp; three &#38; &#x26; &nbsp four</p>\n",
    "<!DOCTYPE html>\n<html>\n<!-- a comment\nover lines -->\n<body class='a'\n  id=\"b\">x</body></html>",
    "<script>\nif (a < b && c > d) {}\n</script>\n<style>\np::before { content: '</p>' }\n</style><p>after</p>",
    "<![CDATA[ x\n y ]]>\n<?php echo 1 ?>\n<!ELEMENT x>\n<p\n>late</p>",
    "<p>never closed\n<div attr=unquoted data-x='a\nb'>\n<br/><img src=x />\n</div",
    "text < not a tag\n<3 and <> and </ and </>\n& alone &unknown; &#;",
    "<svg>\n<foreignObject><p>x</p></foreignObject>\n</svg>\n<title>t</title><textarea>\n<p>\n</textarea>",
    "<a href='#'\n\n\n>link</a>\r\n<p>\rcarriage\r\n</p>",
    "<!-- unclosed comment\n<p>x</p>",
    "<p>tag at the very end<",
]


class _Events:
    """Records every event with the parser's position when it arrives."""

    events: list[tuple[str, str, tuple[int, int]]]

    def _record(self, kind: str, detail: object) -> None:
        self.events.append((kind, str(detail), self.getpos()))  # type: ignore[attr-defined]

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._record("start", (tag, attrs))

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        self._record("startend", (tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self._record("end", tag)

    def handle_data(self, data: str) -> None:
        self._record("data", data)

    def handle_comment(self, data: str) -> None:
        self._record("comment", data)

    def handle_entityref(self, name: str) -> None:
        self._record("entity", name)

    def handle_charref(self, name: str) -> None:
        self._record("charref", name)

    def handle_decl(self, decl: str) -> None:
        self._record("decl", decl)

    def handle_pi(self, data: str) -> None:
        self._record("pi", data)

    def unknown_decl(self, data: str) -> None:
        self._record("unknown", data)


class _Standard(_Events, HTMLParser):
    def __init__(self) -> None:
        self.events = []
        HTMLParser.__init__(self, convert_charrefs=False)


class _Lazy(_Events, LazyPositions):
    def __init__(self) -> None:
        self.events = []
        LazyPositions.__init__(self, convert_charrefs=False)


def _events(parser: _Standard | _Lazy, html: str, piece: int) -> list[tuple[str, str, tuple[int, int]]]:
    for start in range(0, max(len(html), 1), piece):
        parser.feed(html[start : start + piece])
        parser.events.append(("fed", "", parser.getpos()))
    parser.close()
    parser.events.append(("closed", "", parser.getpos()))
    return parser.events


@pytest.mark.parametrize("piece", [10**9, 1, 7, 64])
@pytest.mark.parametrize("html", ODD_MARKUP)
def test_positions_match_htmlparser_on_odd_markup(html: str, piece: int) -> None:
    assert _events(_Lazy(), html, piece) == _events(_Standard(), html, piece)


def test_positions_match_htmlparser_on_built_pages(demo_site: Path) -> None:
    pages = sorted(demo_site.rglob("*.html"))[:60]
    assert len(pages) == 60
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert _events(_Lazy(), html, 10**9) == _events(_Standard(), html, 10**9), page
        assert _events(_Lazy(), html, 4096) == _events(_Standard(), html, 4096), page
