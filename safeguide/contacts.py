"""Contact numbers: UK validation with `phonenumbers`, and the HTML a contact renders to."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import phonenumbers
from markupsafe import Markup, escape
from phonenumbers import shortnumberinfo

if TYPE_CHECKING:
    from safeguide.models import Contact


class PhoneError(ValueError):
    pass


def normalise_phone(value: str, allow_short: bool = False) -> str:
    """Check `value` is a dialable UK number and return it with tidy spacing, as the partnership wrote it."""
    shown = re.sub(r"\s+", " ", value.strip())
    if not shown:
        raise PhoneError("is empty | Write the full number, for example 0117 496 0123.")
    if re.search(r"[^0-9 +()-]", shown):
        raise PhoneError(
            f'"{shown}" is not a phone number: only digits, spaces and + ( ) - are allowed '
            "| Put extra words such as an extension or opening hours in 'hours' or 'notes'."
        )
    try:
        number = phonenumbers.parse(shown, "GB")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None:
        if allow_short and shortnumberinfo.is_valid_short_number(number):
            return shown
        if phonenumbers.is_valid_number(number) and number.country_code == 44:
            return shown
    raise PhoneError(
        f'"{shown}" is not a valid UK phone number | Give the whole number with its area code, '
        "for example 0117 496 0123 or 020 7946 0123."
    )


def tel_href(phone: str) -> str:
    """A `tel:` address: E.164 for full numbers, digits for short codes such as 999 and 101."""
    number = phonenumbers.parse(phone, "GB")
    if phonenumbers.is_valid_number(number):
        return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return "tel:" + re.sub(r"\D", "", phone)


def tel_link(phone: str, label: str = "") -> Markup:
    aria = f' aria-label="{escape(label)}: {escape(phone)}"' if label else ""
    return Markup(f'<a class="sg-tel" href="{tel_href(phone)}"{aria}>{escape(phone)}</a>')


def render_phone(contact: Contact) -> Markup:
    if contact.phone:
        return tel_link(contact.phone)
    return render_inline(contact)


def render_inline(contact: Contact, role: str = "") -> Markup:
    """One line, usable inside a sentence, list item or table cell."""
    parts = [f"<strong>{escape(contact.name)}</strong>"]
    if contact.phone:
        parts.append(str(tel_link(contact.phone)))
    elif contact.email:
        parts.append(f'<a href="mailto:{escape(contact.email)}">{escape(contact.email)}</a>')
    elif contact.url:
        parts.append(f'<a href="{escape(contact.url)}">{escape(contact.name)} website</a>')
    text = ", ".join(parts)
    if contact.hours:
        text += f" ({escape(contact.hours)})"
    if contact.out_of_hours:
        text += f"; out of hours {tel_link(contact.out_of_hours)}"
    return Markup(f'<span class="sg-contact" data-role="{escape(role)}">{text}</span>')


def render_card(contact: Contact, role: str = "", titled: bool = True) -> Markup:
    """A block with every detail we hold; must stand on its own line in Markdown."""
    rows: list[tuple[str, str]] = []
    if contact.phone:
        rows.append(("Phone", str(tel_link(contact.phone))))
    if contact.hours:
        rows.append(("Hours", str(escape(contact.hours))))
    if contact.out_of_hours:
        label = contact.out_of_hours_name or "Out of hours"
        rows.append((str(escape(label)), str(tel_link(contact.out_of_hours))))
    if contact.email:
        rows.append(("Email", f'<a href="mailto:{escape(contact.email)}">{escape(contact.email)}</a>'))
    if contact.url:
        rows.append(("Website", f'<a href="{escape(contact.url)}">{escape(contact.url)}</a>'))
    details = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    title = f'<p class="sg-contact-card__name"><strong>{escape(contact.name)}</strong></p>' if titled else ""
    purpose = f'<p class="sg-contact-card__purpose">{escape(contact.purpose)}</p>' if contact.purpose else ""
    notes = f'<p class="sg-contact-card__notes">{escape(contact.notes)}</p>' if contact.notes else ""
    return Markup(
        f'<div class="sg-contact-card" data-role="{escape(role)}">{title}{purpose}'
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
    """Plain text safe inside a Markdown heading."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)
