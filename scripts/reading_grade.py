#!/usr/bin/env python3
"""Report the reading grade (Flesch-Kincaid) of every page of a built site.

Usage: reading_grade.py [SITE_DIR] [--long-words N] [--max-grade G]

SITE_DIR is one built version of one partnership, e.g. site/riverside/3.1. Without it, the default
partnership in mkdocs.yml is built into a temporary folder first. Only the page's own text is read:
the article, without the reviewed/follows line, contents list, code or permalink marks. Headings,
list items and table cells count as sentences of their own, as readers take them.

With --max-grade, exits 1 if a long page (at least --long-words words, default 600) is above it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import textstat  # type: ignore[import-untyped]

BLOCKS = {"p", "li", "dt", "dd", "td", "th", "h1", "h2", "h3", "h4", "summary", "figcaption", "blockquote"}
SKIPPED_CLASSES = {"sg-facts", "sg-contents", "headerlink", "md-source-file", "admonition-title"}
SKIPPED_TAGS = {"code", "pre", "script", "style", "nav"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


class ArticleText(HTMLParser):
    """Collects the text blocks inside <article>, leaving out chrome and code."""

    def __init__(self) -> None:
        super().__init__()
        self.depth_in_article = 0
        self.skip_stack: list[bool] = []
        self.blocks: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "article":
            self.depth_in_article += 1
        skipping = bool(self.skip_stack and self.skip_stack[-1]) or tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES)
        self.skip_stack.append(skipping)
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if tag in BLOCKS:
            self._flush()
        if self.skip_stack:
            self.skip_stack.pop()
        if tag == "article":
            self.depth_in_article -= 1

    def handle_data(self, data: str) -> None:
        if self.depth_in_article and not (self.skip_stack and self.skip_stack[-1]):
            self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        self.current = []
        if text:
            self.blocks.append(text if text[-1] in ".!?:;" else text + ".")


def page_text(html: str) -> str:
    parser = ArticleText()
    parser.feed(html)
    parser._flush()
    return "\n".join(parser.blocks)


def report(site: Path) -> list[tuple[str, int, float, float]]:
    rows = []
    for page in sorted(site.rglob("index.html")):
        if page.parent.name in ("search", "404"):
            continue
        text = page_text(page.read_text(encoding="utf-8"))
        words = textstat.lexicon_count(text)
        if words == 0:
            continue
        sentences = max(1, textstat.sentence_count(text))
        name = page.parent.relative_to(site).as_posix()
        name = "(home)" if name == "." else name
        rows.append((name, words, words / sentences, textstat.flesch_kincaid_grade(text)))
    return rows


def build_default(out: Path) -> Path:
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(out)], check=True, cwd=root)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path)
    parser.add_argument("--long-words", type=int, default=600)
    parser.add_argument("--max-grade", type=float)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_default(Path(tmp) / "site")
        if not site.is_dir():
            print(f"{site}: no such folder. Give one built version, e.g. site/riverside/3.1.", file=sys.stderr)
            return 2
        rows = report(site)
    print(f"{'page':32} {'words':>6} {'words/sentence':>15} {'grade':>6}")
    too_hard = []
    for name, words, per_sentence, grade in rows:
        long_page = words >= args.long_words
        flag = " *" if long_page and args.max_grade is not None and grade > args.max_grade else ""
        print(f"{name:32} {words:6d} {per_sentence:15.1f} {grade:6.1f}{flag}")
        if flag:
            too_hard.append(name)
    total = sum(r[1] for r in rows)
    long_grades = [r[3] for r in rows if r[1] >= args.long_words]
    print(f"{len(rows)} pages, {total} words; long pages (>= {args.long_words} words): {len(long_grades)}, "
          f"highest grade {max(long_grades, default=0):.1f}")
    if too_hard:
        print(f"Above grade {args.max_grade}: {', '.join(too_hard)}. Shorten sentences and prefer everyday words.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
