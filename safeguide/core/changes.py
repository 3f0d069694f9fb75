"""What changed between two versions: page texts as blocks, compared word by word.

A page's text is the list of its blocks (headings, paragraphs, list items, table cells…) as built, so
that a change of contact number or of a flowchart question shows too, but markup does not.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from safeguide.core.html_positions import LazyPositions

BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "td", "th", "caption", "figcaption", "summary", "pre", "blockquote"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIPPED = {"script", "style", "template", "svg", "button"}
VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "track"}
# Left out of the comparison: repeated renderings of the same flow, permalinks, the facts line.
SKIPPED_CLASSES = {"headerlink", "sg-facts", "sg-visually-hidden"}


class _Blocks(LazyPositions):
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

# Words, with punctuation at their edges as tokens of their own, so that "0990." -> "0999." is the
# number that changed and "(Mon–Thu" -> "(Mon–Fri" keeps its bracket.
_OPENING = "([{“‘\"'"
_CLOSING = ".,;:!?)]}”’\"'"
_DIGITS = re.compile(r"\d+")
CONTEXT = 3  # a replacement listed once for many places shows at least this many words (taking those before it)


@dataclass(frozen=True)
class Token:
    text: str
    spaced: bool  # a space before it in the text


def tokens(text: str) -> list[Token]:
    """The words of `text`, opening and closing punctuation split off, each noting whether a space came before it."""
    out: list[Token] = []
    for word in text.split():
        pieces: list[str] = []
        while word and word[0] in _OPENING:
            pieces.append(word[0])
            word = word[1:]
        closing: list[str] = []
        while word and word[-1] in _CLOSING:
            closing.insert(0, word[-1])
            word = word[:-1]
        pieces += ([word] if word else []) + closing
        out += [Token(piece, i == 0) for i, piece in enumerate(pieces)]
    return out


def _joined(words: list[Token]) -> str:
    return "".join((" " if t.spaced and i else "") + t.text for i, t in enumerate(words))


def _opcodes(a: list[Token], b: list[Token]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes for two token lists. When both have the same number of clauses (split at ";"), clause is
    compared with clause: otherwise a run of words shared by two different clauses ("(Mon–Fri 9am–5pm); out of
    hours 0117 496") can pair one service's number with another's and mark both sentences rewritten."""
    cuts_a, cuts_b = _clauses(a), _clauses(b)
    if len(cuts_a) != len(cuts_b):
        cuts_a, cuts_b = [(0, len(a))], [(0, len(b))]
    out: list[tuple[str, int, int, int, int]] = []
    for k, ((a1, a2), (b1, b2)) in enumerate(zip(cuts_a, cuts_b, strict=False)):
        if k:  # the ";" between two clauses
            out.append(("equal", a1 - 1, a1, b1 - 1, b1))
        matcher = difflib.SequenceMatcher(None, [t.text for t in a[a1:a2]], [t.text for t in b[b1:b2]], autojunk=False)
        out += [(op, i1 + a1, i2 + a1, j1 + b1, j2 + b1) for op, i1, i2, j1, j2 in matcher.get_opcodes()]
    return out


def _clauses(words: list[Token]) -> list[tuple[int, int]]:
    """(start, end) of each run of tokens between ";" tokens."""
    cuts, start = [], 0
    for i, t in enumerate(words):
        if t.text == ";":
            cuts.append((start, i))
            start = i + 1
    cuts.append((start, len(words)))
    return cuts


def word_diff(old: str, new: str) -> str:
    """HTML of `new` with the words taken out of `old` in <del> and the words put in, in <ins>.

    Punctuation at a word's edge counts as a word of its own, so "2018," -> "2023," marks only the year; a number
    that changed is marked whole ("0117 496 0100" -> "0117 496 0123", not its last digit group: _whole_number)."""
    a, b = tokens(old), tokens(new)
    out: list[str] = []
    j = 0  # the first token of b not yet written
    for i1, i2, j1, j2 in _whole_numbers(a, b, [(i1, i2, j1, j2) for op, i1, i2, j1, j2 in _opcodes(a, b) if op != "equal"]):
        if j1 > j:
            out.append((" " if b[j].spaced and out else "") + escape(_joined(b[j:j1])))
        if i2 > i1:
            out.append((" " if a[i1].spaced and out else "") + f"<del>{escape(_joined(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append((" " if (i2 > i1 or b[j1].spaced) and out else "") + f"<ins>{escape(_joined(b[j1:j2]))}</ins>")
        j = j2
    if j < len(b):
        out.append((" " if b[j].spaced and out else "") + escape(_joined(b[j:])))
    return "".join(out)


def _whole_numbers(a: list[Token], b: list[Token], spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """`spans` (i1, i2, j1, j2: stretches that differ, in order), each that replaces digits with digits widened over
    the digit groups around it that both sides share, up to its neighbours: a phone number is read whole."""
    widened: list[tuple[int, int, int, int]] = []
    for k, (i1, i2, j1, j2) in enumerate(spans):
        low_i, low_j = (widened[-1][1], widened[-1][3]) if widened else (0, 0)
        high_i, high_j = (spans[k + 1][0], spans[k + 1][2]) if k + 1 < len(spans) else (len(a), len(b))
        if i2 > i1 and j2 > j1:
            if _DIGITS.fullmatch(a[i1].text) and _DIGITS.fullmatch(b[j1].text):
                while i1 > low_i and j1 > low_j and a[i1 - 1].text == b[j1 - 1].text and _DIGITS.fullmatch(a[i1 - 1].text) and a[i1].spaced:
                    i1, j1 = i1 - 1, j1 - 1
            if _DIGITS.fullmatch(a[i2 - 1].text) and _DIGITS.fullmatch(b[j2 - 1].text):
                while i2 < high_i and j2 < high_j and a[i2].text == b[j2].text and _DIGITS.fullmatch(a[i2].text) and a[i2].spaced:
                    i2, j2 = i2 + 1, j2 + 1
        widened.append((i1, i2, j1, j2))
    return widened


def replacements(old: str, new: str) -> list[tuple[str, str]] | None:
    """The (old words, new words) of each replacement that turns `old` into `new`, or None when words are
    only added or only taken out somewhere (those need the sentence around them to make sense).

    A number that changed is given with the digit groups around it: "0117 496 0100" -> "0117 496 0123",
    not "0100" -> "0123"; a shorter replacement, with up to CONTEXT words in all, taking the words before it
    ("Mon–Fri 9am–5pm" -> "Mon–Fri 8.30am–5pm")."""
    a, b = tokens(old), tokens(new)
    found: list[tuple[str, str]] = []
    spans = _spans(a, b)
    if any(i1 == i2 or j1 == j2 for i1, i2, j1, j2 in spans):
        return None
    for i1, i2, j1, j2 in _whole_numbers(a, b, spans):
        # A word or two on its own ("seven" -> "eight") says little: the words before it go with it.
        while max(i2 - i1, j2 - j1) < CONTEXT and i1 and j1 and a[i1 - 1].text == b[j1 - 1].text and a[i1 - 1].text[0].isalnum():
            i1, j1 = i1 - 1, j1 - 1
        found.append((_joined(a[i1:i2]), _joined(b[j1:j2])))
    return found


def _spans(a: list[Token], b: list[Token]) -> list[tuple[int, int, int, int]]:
    """(i1, i2, j1, j2) of each stretch that differs, two stretches apart by only a word or two joined into one:
    "July 2018, updated December 2020" -> "15 December 2023" is one change, not two."""
    spans: list[list[int]] = []
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            continue
        between = a[spans[-1][1]:i1] if spans else []
        if spans and len(between) <= 2 and all(t.text[0].isalnum() for t in between):
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    return [(i1, i2, j1, j2) for i1, i2, j1, j2 in spans]


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

    def replacements(self) -> list[tuple[str, str]] | None:
        """See `replacements`; None for a block added or taken out whole."""
        if self.old is None or self.new is None:
            return None
        return replacements(shown(self.old), shown(self.new))


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
        return list(zip(removed, added, strict=False))
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


# --- the same change in many places ---------------------------------------------------------------

MANY = 3  # a replacement made in at least this many places is listed once, with where it was made
LONGEST = 8  # words (and punctuation marks) on either side: a longer rewrite is clearer in its sentence


@dataclass
class Repeated:
    """One replacement (old words -> new words) and every place it was made: (page, the block's change)."""

    old: str
    new: str
    places: list[tuple[PageChanges, Change]] = field(default_factory=list)


def repeated(pages: list[PageChanges], many: int = MANY) -> list[Repeated]:
    """The replacements made in `many` places or more across `pages`, most frequent first (then in page order).

    A new contact number shows this way once ("0117 496 0100 -> 0117 496 0123, in 25 places") instead of
    once for every card, sentence and scenario that gives it."""
    found: dict[tuple[str, str], Repeated] = {}
    for page in pages:
        for change in page.changes:
            for old, new in change.replacements() or []:
                if max(len(tokens(old)), len(tokens(new))) > LONGEST:
                    continue
                found.setdefault((old, new), Repeated(old, new)).places.append((page, change))
    order = list(found)
    kept = [r for r in found.values() if len(r.places) >= many]
    return sorted(kept, key=lambda r: (-len(r.places), order.index((r.old, r.new))))


def explained_by(change: Change, common: list[Repeated]) -> bool:
    """True when every word that `change` makes differ is one of the `common` replacements."""
    found = change.replacements()
    keys = {(r.old, r.new) for r in common}
    return bool(found) and all(pair in keys for pair in found or [])

