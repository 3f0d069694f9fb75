"""What changed between two versions: page texts as blocks, compared word by word.

A page's text is the list of its blocks (headings, paragraphs, list items, table cells…) as built, so
that a change of contact number or of a flowchart question shows too, but markup does not.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from typing import Any

BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "td", "th", "caption", "figcaption", "summary", "pre", "blockquote"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIPPED = {"script", "style", "template", "svg", "button"}
VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "track"}
# Left out of the comparison: repeated renderings of the same flow, permalinks, the facts line.
SKIPPED_CLASSES = {"headerlink", "sg-facts", "sg-visually-hidden"}


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._open: list[tuple[str, bool, bool]] = []  # (tag, skipping, starts a block)
        self._text: list[tuple[str, list[str]]] = [("", [])]  # (block tag, its text so far)

    @property
    def _skipping(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            if tag == "br" and not self._skipping:
                self._text[-1][1].append(" ")
            return
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        skip = self._skipping or tag in SKIPPED or "data-search-exclude" in values or bool(classes & SKIPPED_CLASSES) or "hidden" in values
        block = tag in BLOCKS and not skip
        if block:
            self._flush()
            self._text.append((tag, []))
        self._open.append((tag, skip, block))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not any(t == tag for t, _, _ in self._open):
            return
        while self._open:
            name, _, block = self._open.pop()
            if block:
                self._flush()
                self._text.pop()
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._text[-1][1].append(data)

    def _flush(self) -> None:
        tag, parts = self._text[-1]
        text = " ".join("".join(parts).split())
        if text:
            self.blocks.append(HEADING_MARK + text if tag in HEADINGS else text)
        parts.clear()

    def close(self) -> None:
        super().close()
        self._flush()


def blocks_of(html: str) -> list[str]:
    """The text of a built page, one entry per heading, paragraph, list item or table cell."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


def page_record(title: str, url: str, html: str) -> dict[str, Any]:
    return {"title": title, "url": url, "blocks": blocks_of(html)}


# --- comparing -------------------------------------------------------------------------------------

WORD = re.compile(r"\S+")


def word_diff(old: str, new: str) -> str:
    """HTML of `new` with the words taken out of `old` in <del> and the words put in, in <ins>."""
    a, b = WORD.findall(old), WORD.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


@dataclass
class Change:
    section: str  # the heading the change falls under, in the newer text ("" at the top of a page)
    old: str | None
    new: str | None

    def html(self) -> str:
        if self.old is None:
            return f"<ins>{escape(shown(self.new or ''))}</ins>"
        if self.new is None:
            return f"<del>{escape(shown(self.old))}</del>"
        return word_diff(shown(self.old), shown(self.new))


@dataclass
class PageChanges:
    uri: str
    title: str
    url: str | None  # in the newer version; None when the page was removed
    status: str  # added, removed, changed
    changes: list[Change] = field(default_factory=list)


def compare_blocks(old: list[str], new: list[str]) -> list[Change]:
    """The blocks that differ, pairing each rewritten block with the one it replaced."""
    changes: list[Change] = []
    sections = _sections(new)
    old_sections = _sections(old)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed, added = old[i1:i2], new[j1:j2]
        pairs = _pair(removed, added)
        for a, b in pairs:
            if b is not None:
                where = sections[j1 + added.index(b)]
            else:
                where = sections[j1 - 1] if j1 else old_sections[i1 + removed.index(a)]  # type: ignore[arg-type]
            changes.append(Change(shown(where), a, b))
    return changes


def _pair(removed: list[str], added: list[str]) -> list[tuple[str | None, str | None]]:
    """Match rewritten blocks with their old text (in order, when alike); the rest are plain inserts or deletions."""
    if len(removed) == len(added):  # rewritten one for one
        return list(zip(removed, added))
    pairs: list[tuple[str | None, str | None]] = []
    j = 0
    for a in removed:
        best = next((k for k in range(j, len(added)) if difflib.SequenceMatcher(None, a.split(), added[k].split(), autojunk=False).ratio() >= 0.5), None)
        if best is None:
            pairs.append((a, None))
            continue
        pairs += [(None, b) for b in added[j:best]]
        pairs.append((a, added[best]))
        j = best + 1
    pairs += [(None, b) for b in added[j:]]
    return pairs


def _sections(blocks: list[str]) -> list[str]:
    """For each block, the text of the heading it sits under (blocks_of marks headings)."""
    current, out = "", []
    for block in blocks:
        if block.startswith(HEADING_MARK):
            current = block[len(HEADING_MARK):]
        out.append(current)
    return out


HEADING_MARK = "\u00a7 "  # blocks_of marks headings so that changes can say which section they are in


def compare(old_pages: dict[str, dict[str, Any]], new_pages: dict[str, dict[str, Any]]) -> list[PageChanges]:
    """Pages added, removed and changed between two versions, in the newer version's order."""
    result = []
    for uri, page in new_pages.items():
        if uri not in old_pages:
            result.append(PageChanges(uri, page["title"], page["url"], "added"))
        elif old_pages[uri]["blocks"] != page["blocks"]:
            result.append(PageChanges(uri, page["title"], page["url"], "changed", compare_blocks(old_pages[uri]["blocks"], page["blocks"])))
    for uri, page in old_pages.items():
        if uri not in new_pages:
            result.append(PageChanges(uri, page["title"], None, "removed"))
    return result


def shown(block: str) -> str:
    return block[len(HEADING_MARK):] if block.startswith(HEADING_MARK) else block
