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

from markupsafe import Markup

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
