"""The HTML a contact renders to.

A contact's text can land anywhere a page puts it: a sentence, a list item, a table cell, an
admonition, a card or a flow outcome. Everything rendered here is one line of HTML in which no
character means anything to Markdown, so the surrounding Markdown stays whole. Which numbers are
accepted is safeguide.core.phones.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from safeguide.core.models import Contact
from safeguide.core.phones import tel_href

# Characters that Markdown (and its tables, attribute lists and emphasis) would read as syntax when
# they reach it inside a contact's text; as numeric character references they show as themselves.
_MARKDOWN_SYNTAX = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]{}|~"})
# Inside a tag Markdown only reads what its inline patterns see before raw HTML is set aside (backslash
# escapes, code spans) and what splits a table row.
_MARKDOWN_IN_TAGS = str.maketrans({c: f"&#{ord(c)};" for c in "\\`|"})


def _plain(value: str, joiner: str = "; ") -> Markup:
    """Text from partnership.yml as HTML text that Markdown leaves alone; a value written on several
    lines (YAML `|`) is joined into one line with `joiner` (e.g. "; " in a sentence, "<br>" in a card)."""
    lines = [Markup(str(escape(line.strip())).translate(_MARKDOWN_SYNTAX)) for line in value.splitlines() if line.strip()]
    return Markup(joiner).join(lines)


def _attr(value: str) -> Markup:
    """An attribute value: escaped for HTML, with nothing a Markdown table or code span would split on."""
    return Markup(str(escape(value)).translate(_MARKDOWN_IN_TAGS))


def tel_link(phone: str, label: str = "") -> Markup:
    aria = f' aria-label="{_attr(label)}: {_attr(phone)}"' if label else ""
    return Markup(f'<a class="sg-tel" href="{_attr(tel_href(phone))}"{aria}>{_plain(phone)}</a>')


def render_phone(contact: Contact) -> Markup:
    if contact.phone:
        return tel_link(contact.phone)
    return render_inline(contact)


def _email_link(email: str) -> str:
    return f'<a href="mailto:{_attr(email)}">{_plain(email)}</a>'


def render_inline(contact: Contact, role: str = "") -> Markup:
    """One line, usable inside a sentence, list item, table cell or admonition (lines of a field joined with "; ")."""
    parts = [f"<strong>{_plain(contact.name)}</strong>"]
    if contact.phone:
        parts.append(str(tel_link(contact.phone)))
    elif contact.email:
        parts.append(_email_link(contact.email))
    elif contact.url:
        parts.append(f'<a href="{_attr(contact.url)}">{_plain(contact.name)} website</a>')
    text = ", ".join(parts)
    if contact.hours:
        text += f' (<span class="sg-contact__hours">{_plain(contact.hours)}</span>)'
    if contact.out_of_hours:
        text += f"; out of hours {tel_link(contact.out_of_hours)}"
    return Markup(f'<span class="sg-contact" data-role="{_attr(role)}">{text}</span>')


def render_card(contact: Contact, role: str = "", titled: bool = True) -> Markup:
    """A block with every detail we hold, on one line of HTML (a field's own lines kept with <br>);
    it must stand on its own line in Markdown."""
    br = Markup("<br>")
    rows: list[tuple[str, str, str]] = []  # (label, value, the value's class)
    if contact.phone:
        rows.append(("Phone", str(tel_link(contact.phone)), "phone"))
    if contact.hours:
        rows.append(("Hours", str(_plain(contact.hours, br)), "hours"))
    if contact.out_of_hours:
        label = _plain(contact.out_of_hours_name, br) if contact.out_of_hours_name else "Out of hours"
        rows.append((str(label), str(tel_link(contact.out_of_hours)), "phone"))
    if contact.email:
        rows.append(("Email", _email_link(contact.email), "email"))
    if contact.url:
        rows.append(("Website", f'<a href="{_attr(contact.url)}">{_plain(contact.url)}</a>', "website"))
    details = "".join(f'<dt>{label}</dt><dd class="sg-contact-card__{kind}">{value}</dd>' for label, value, kind in rows)
    title = f'<p class="sg-contact-card__name"><strong>{_plain(contact.name, br)}</strong></p>' if titled else ""
    purpose = f'<p class="sg-contact-card__purpose">{_plain(contact.purpose, br)}</p>' if contact.purpose else ""
    notes = f'<p class="sg-contact-card__notes">{_plain(contact.notes, br)}</p>' if contact.notes else ""
    return Markup(
        f'<div class="sg-contact-card" data-role="{_attr(role)}">{title}{purpose}'
        f'<dl class="sg-contact-card__details">{details}</dl>{notes}</div>'
    )


def directory_markdown(sections: Iterable[tuple[str, dict[str, Contact]]]) -> str:
    """Whole contact lists as Markdown headings (so they reach the page contents) and cards."""
    out = []
    for heading, contacts in sections:
        if not contacts:
            continue
        out.append(f"## {_md_text(heading)}\n")
        for role, contact in contacts.items():
            out.append(f"### {_md_text(contact.name)} {{#contact-{role.replace('_', '-')}}}\n")
            out.append(str(render_card(contact, role, titled=False)) + "\n")
    return "\n".join(out)


def links_markdown(heading: str, links: Iterable[tuple[str, str, str | None]]) -> str:
    items = [f"- [{_md_text(title)}](<{url}>)" + (f": {_md_text(about)}" if about else "") for title, url, about in links]
    return f"\n## {_md_text(heading)}\n\n" + "\n".join(items) + "\n" if items else ""


def _md_text(text: str) -> str:
    """Plain text safe inside a Markdown heading or list item: one line, syntax characters as character
    references (Python-Markdown has no backslash escape for < > or |, so "\\<" would show its backslash)."""
    return str(_plain(text))
