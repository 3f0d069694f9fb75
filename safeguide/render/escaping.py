"""Text from input files, escaped for the place it lands in a page.

Values from partnership.yml and the data files reach three kinds of place:

- HTML text and attribute values in our templates: Jinja with autoescape, or markupsafe.escape.
- Material's theme templates, which MkDocs renders WITHOUT autoescape: values are handed to them as
  `markupsafe.Markup` holding already-escaped text (`markupsafe.escape(value)`), so they print safely
  as they are. Jinja's `striptags` filter unescapes Markup again, so our templates add `| e` after it.
- Markdown, before it is converted (page templating such as `{{ partnership.name }}`): the value must be
  inert both as Markdown and as HTML (see `markdown_text`).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# One pass, so that no entity is escaped twice: HTML's own characters, then the characters Markdown
# (emphasis, links, code, attribute lists `{: onclick=...}`, tables, the closing `#` of a heading,
# backslash escapes) would read as syntax. As numeric character references Markdown passes them
# through untouched and the browser shows them as themselves.
_INERT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"} | {c: f"&#{ord(c)};" for c in "\\`*_[]{}|~#"})
_WHITESPACE = re.compile(r"\s+")


def markdown_text(value: str) -> Markup:
    """`value` as one line of text that is inert in Markdown and in HTML, for page templating.

    "Evil <b>*Co*</b>" -> "Evil &lt;b&gt;&#42;Co&#42;&lt;/b&gt;". Line breaks become spaces, so a value
    written on several lines in YAML cannot start a new Markdown block (a heading, a list, a raw HTML block).
    """
    one_line = _WHITESPACE.sub(" ", value).strip()
    return Markup(one_line.translate(_INERT))


# Contacts (safeguide.render.contacts) land inside Markdown anywhere a page puts them, as one line of HTML:
# characters Markdown (and its tables, attribute lists and emphasis) would read as syntax become numeric
# character references. Inside a tag Markdown only reads what its inline patterns see before raw HTML is
# set aside (backslash escapes, code spans) and what splits a table row.
_MARKDOWN_SYNTAX = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]{}|~"})
_MARKDOWN_IN_TAGS = str.maketrans({c: f"&#{ord(c)};" for c in "\\`|"})


def inert_text(value: str, joiner: str | Markup = "; ") -> Markup:
    """Text from partnership.yml as HTML text that Markdown leaves alone (the `inert` filter); a value
    written on several lines (YAML `|`) is joined into one line with `joiner` ("; " in a sentence,
    Markup("<br>") in a card)."""
    lines = [Markup(str(escape(line.strip())).translate(_MARKDOWN_SYNTAX)) for line in str(value).splitlines() if line.strip()]
    return Markup(escape(joiner)).join(lines)


def inert_attr(value: str) -> Markup:
    """An attribute value (the `inert_attr` filter): escaped for HTML, with nothing a Markdown table or
    code span would split on."""
    return Markup(str(escape(value)).translate(_MARKDOWN_IN_TAGS))
