"""The glossary, declared once in docs/_data/glossary.yml: the Glossary page, and every abbreviation
explained wherever it appears (Markdown's abbr extension, made reachable by keyboard)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from safeguide.models import GlossaryEntry

ABBR = re.compile(r"<abbr title=\"([^\"]*)\">")


def anchor(term: str) -> str:
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def abbreviation_definitions(entries: Iterable[GlossaryEntry]) -> str:
    """Lines for Markdown's abbr extension, appended to each page after its own text."""
    lines = [f"*[{e.term}]: {e.stands_for}" for e in entries if e.stands_for]
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def focusable_abbreviations(html: str) -> str:
    """Let keyboard users reach each abbreviation, so its expansion shows on focus as on hover."""
    return ABBR.sub(lambda m: f'<abbr class="sg-abbr" tabindex="0" title="{m.group(1)}">', html)


def page_html(entries: Iterable[GlossaryEntry]) -> str:
    """The Glossary page's list: each term with an anchor others can link to."""
    items = []
    for entry in entries:
        stands_for = f'<p class="sg-glossary__stands-for">{escape(entry.stands_for)}</p>' if entry.stands_for else ""
        items.append(
            f'<dt id="{anchor(entry.term)}"><dfn>{escape(entry.term)}</dfn></dt>\n'
            f"<dd>{stands_for}<p>{escape(entry.meaning)}</p></dd>"
        )
    return '\n<dl class="sg-glossary">\n' + "\n".join(items) + "\n</dl>\n"
