"""Urgent first (issue 12): the urgent page opens with who to call, so that on a phone a local number is
one tap away without scrolling.

The panel comes from data, not from the page's Markdown: the national emergency number and the roles
listed under `urgent:` in the baseline's baseline.yml, with the partnership's own services for them. So
every published version, including releases approved before the panel existed, starts its urgent page
the same way. A replaced release shows the newest release's numbers here (safeguide.core.old_versions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import jinja2

from safeguide.core.models import Contact
from safeguide.core.phones import tel_href
from safeguide.render.environment import TEMPLATES

URGENT_PAGE = "urgent.md"  # baseline.yml `required_pages`: the header and the urgent bar link to it
_H1_END = re.compile(r"</h1\s*>", re.IGNORECASE)
_ARTICLE = re.compile(r"<article\b", re.IGNORECASE)



def _one_line(text: str | None) -> str:
    return "; ".join(line.strip() for line in (text or "").splitlines() if line.strip())


def call_now_html(
    emergency: Contact | None, contacts: Iterable[tuple[str, Contact]], note: str | None = None, *, templates: jinja2.Environment = TEMPLATES
) -> str:
    """The "Who to call now" panel: the emergency number on one line, then for each (role, contact) its
    name, hours and numbers as `tel:` links (the phone, then the out-of-hours number). A contact without a
    phone number is left out: the panel is for calling. `note` (plain text) says where the numbers come
    from when they are not this version's. "" when there is nothing to call."""
    items = []
    if emergency is not None and emergency.phone:
        number = {"label": "Anyone in immediate danger", "shown": emergency.phone, "href": tel_href(emergency.phone)}
        items.append({"role": "emergency", "name": "", "when": "", "numbers": [number]})
    for role, contact in contacts:
        if not contact.phone:
            continue
        numbers = [{"label": "", "shown": contact.phone, "href": tel_href(contact.phone)}]
        if contact.out_of_hours and contact.out_of_hours != contact.phone:
            label = f"Out of hours ({_one_line(contact.out_of_hours_name)})" if contact.out_of_hours_name else "Out of hours"
            numbers.append({"label": label, "shown": contact.out_of_hours, "href": tel_href(contact.out_of_hours)})
        when = _one_line(contact.hours)
        items.append({"role": role, "name": _one_line(contact.name), "when": f"({when})" if when else "", "numbers": numbers})
    if not any(item["name"] for item in items):  # no local number: the danger box already gives 999
        return ""
    return templates.get_template("call_now.html").render(items=items, note=note)


def with_call_now(html: str, panel: str) -> str:
    """A finished page with `panel` straight after its title (the first <h1> in its <article>), or at
    the start of the article if it has no title."""
    article = _ARTICLE.search(html)
    if article is None or not panel:
        return html
    end = _H1_END.search(html, article.end())
    if end is not None:
        return html[: end.end()] + panel + html[end.end() :]
    opening = html.index(">", article.end()) + 1
    return html[:opening] + panel + html[opening:]
