"""An HTMLParser that counts lines only when a position is asked for.

The standard library's HTMLParser counts the newlines of every piece of text and every tag it passes
(`updatepos`), so that `getpos()` is ready at any moment. Our parsers ask for a position rarely or
never: the check of the built HTML only when it finds something, the whole guidance page never. On
built pages that counting was about a tenth of the parse (cProfile, riverside's editions). `LazyPositions`
keeps only the offset of the current token and counts up to it when `getpos()` is called, going on from
where it last counted, so that a parser asking at every tag still reads the text once.

`getpos()` gives exactly what HTMLParser's gives, at every call, across several `feed`s
(tests/test_html_positions.py compares them on the demo's built pages and odd markup).
"""

from __future__ import annotations

from html.parser import HTMLParser


class LazyPositions(HTMLParser):
    """HTMLParser with `getpos()` -> (line from 1, column from 0) worked out on demand (see the module)."""

    def reset(self) -> None:
        super().reset()
        self._lazy_position = 0  # offset in self.rawdata of what is being read, as HTMLParser's updatepos leaves it
        self._lazy_start = (1, 0)  # (line, column) where self.rawdata starts: text before it was parsed by an earlier feed
        self._lazy_counted = (0, 1)  # (offset, line): the last count made in self.rawdata, to go on from

    def updatepos(self, i: int, j: int) -> int:
        if i < j:  # HTMLParser leaves its position alone otherwise
            self._lazy_position = j
        return j

    def getpos(self) -> tuple[int, int]:
        return self._position_in(self.rawdata, self._lazy_position)

    def _position_in(self, text: str, position: int) -> tuple[int, int]:
        start, line = self._lazy_counted
        if position < start:
            start, line = 0, self._lazy_start[0]
        line += text.count("\n", start, position)
        self._lazy_counted = (position, line)
        newline = text.rfind("\n", 0, position)
        column = position - newline - 1 if newline >= 0 else self._lazy_start[1] + position
        return line, column

    def goahead(self, end: bool) -> None:
        text = self.rawdata
        try:
            super().goahead(end)
        finally:
            # HTMLParser keeps what it could not parse yet (self.rawdata = rawdata[i:]): carry the count to where that starts
            self._lazy_start = self._position_in(text, len(text) - len(self.rawdata))
            self._lazy_position, self._lazy_counted = 0, (0, self._lazy_start[0])
