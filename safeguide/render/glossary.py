"""The glossary, declared once in docs/_data/glossary.yml: the Glossary page, and every abbreviation
explained wherever it appears (Markdown's abbr extension, made reachable by keyboard)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import jinja2

from safeguide.core.models import GlossaryEntry
from safeguide.render.environment import TEMPLATES, slug

ABBR = re.compile(r"<abbr title=\"([^\"]*)\">")
UNDEFINABLE = re.compile(r"[\\\[\]]")  # characters that end or break an abbr definition's [term]


def anchor(term: str) -> str:
    """The id of a term on the Glossary page: "DSL" -> "term-dsl" (templates/page/glossary.html writes the same)."""
    return "term-" + slug(term)


def abbreviation_definitions(entries: Iterable[GlossaryEntry]) -> str:
    """Lines for Markdown's abbr extension (`*[EDT]: Emergency Duty Team`), appended to each page after its own text.

    A term the definition syntax cannot carry (a backslash or square bracket in it) is left out: Markdown
    would not read that line as a definition but as page text, with any HTML in it live. Such a term is
    still listed on the Glossary page. Each definition is kept to one line."""
    lines = [f"*[{_one_line(e.term)}]: {_one_line(e.stands_for)}" for e in entries if e.stands_for and not UNDEFINABLE.search(e.term)]
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def focusable_abbreviations(html: str) -> str:
    """Let keyboard users reach each abbreviation, so its expansion shows on focus as on hover."""
    return ABBR.sub(lambda m: f'<abbr class="sg-abbr" tabindex="0" title="{m.group(1)}">', html)


def page_html(entries: Iterable[GlossaryEntry], *, templates: jinja2.Environment = TEMPLATES) -> str:
    """The Glossary page's list (templates/page/glossary.html): each term with an anchor others can link to."""
    return templates.get_template("page/glossary.html").render(entries=list(entries)) + "\n"
