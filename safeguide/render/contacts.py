"""The HTML a contact renders to.

A contact's text can land anywhere a page puts it: a sentence, a list item, a table cell, an
admonition, a card or a flow outcome. Everything rendered here is one line of HTML in which no
character means anything to Markdown, so the surrounding Markdown stays whole: the templates under
templates/contact/ pass every value through the `inert` and `inert_attr` filters
(safeguide.render.escaping.inert_text, inert_attr). Which numbers are
accepted is safeguide.core.phones.
"""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
from markupsafe import Markup

from safeguide.core.models import Contact
from safeguide.core.phones import tel_href
from safeguide.render.environment import TEMPLATES
from safeguide.render.escaping import inert_text


def tel_link(phone: str, label: str = "", *, templates: jinja2.Environment = TEMPLATES) -> Markup:
    """A phone number as a `tel:` link (templates/contact/tel.html); `label` names it for screen readers."""
    return Markup(templates.get_template("contact/tel.html").render(phone=phone, href=tel_href(phone), label=label))


def render_phone(contact: Contact, *, templates: jinja2.Environment = TEMPLATES) -> Markup:
    """A contact's phone number as a link, or the whole contact in one line if it has no phone number."""
    if contact.phone:
        return tel_link(contact.phone, templates=templates)
    return render_inline(contact, templates=templates)


def render_inline(contact: Contact, role: str = "", *, templates: jinja2.Environment = TEMPLATES) -> Markup:
    """One line, usable inside a sentence, list item, table cell or admonition (lines of a field joined
    with "; "): templates/contact/inline.html."""
    return Markup(templates.get_template("contact/inline.html").render(contact=contact, role=role))


def render_card(contact: Contact, role: str = "", titled: bool = True, *, templates: jinja2.Environment = TEMPLATES) -> Markup:
    """A block with every detail we hold, on one line of HTML (a field's own lines kept with <br>):
    templates/contact/card.html. It must stand on its own line in Markdown."""
    return Markup(templates.get_template("contact/card.html").render(contact=contact, role=role, titled=titled))


def directory_markdown(sections: Iterable[tuple[str, dict[str, Contact]]], *, templates: jinja2.Environment = TEMPLATES) -> str:
    """Whole contact lists as Markdown headings (so they reach the page contents) and cards
    (templates/contact/directory.md)."""
    return templates.get_template("contact/directory.md").render(
        sections=list(sections), card=lambda contact, role: render_card(contact, role, titled=False, templates=templates)
    )


def links_markdown(heading: str, links: Iterable[tuple[str, str, str | None]]) -> str:
    """A Markdown list of (title, url, about) links under a heading; "" when there are none. Markdown, not
    HTML, so it stays here: the address goes into the link as it is (partnership.yml only accepts
    addresses without spaces, quotes, < > or backticks)."""
    items = [f"- [{_md_text(title)}](<{url}>)" + (f": {_md_text(about)}" if about else "") for title, url, about in links]
    return f"\n## {_md_text(heading)}\n\n" + "\n".join(items) + "\n" if items else ""


def _md_text(text: str) -> str:
    """Plain text safe inside a Markdown heading or list item: one line, syntax characters as character
    references (Python-Markdown has no backslash escape for < > or |, so "\\<" would show its backslash)."""
    return str(inert_text(text))
