"""Old links lead to current numbers (issue 12): what the pages of a replaced release take from the newest one.

A replaced release stays online unchanged, but a practitioner who reaches it by an old link must not
tap a number that is no longer answered. Each build of a replaced release therefore reads what the
newest release lists (its partnership.yml contacts, the national numbers of its baseline, and any
`tel:` link written in its pages) and, on every page it writes:

- turns each `tel:` link whose number the newest release no longer lists into plain text marked
  "no longer in use", with a link to the newest release's contacts page (`mark_replaced`);
- starts the urgent page with the newest release's urgent numbers (`safeguide.render.contacts.call_now_html`).

The newest release's files are its frozen copy (`versions.Frozen`), so this never depends on the
working copy's unreleased edits.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from markupsafe import Markup

from safeguide.core.loading import PAGE_LIMIT, read_text, read_yaml, validate
from safeguide.core.models import Baseline, Contact, Partnership
from safeguide.core.releases import Frozen

BASELINE_DATA = "_data/baseline.yml"
CONTACTS_PAGE = "contacts.md"
# A `tel:` link as Markdown, HTML or an autolink writes it: tel:0117..., tel:+44..., tel:101.
_TEL_IN_TEXT = re.compile(r"tel:(\+?[0-9][0-9().%-]*)", re.IGNORECASE)
# A whole <a> element whose address is a tel: link (contact cards, inline contacts, flow outcomes, the
# urgent bar, or a link written in a page). Its text is the number, never other elements with an <a>.
_TEL_LINK = re.compile(r"<a\b[^>]*?\bhref=\"tel:([^\"]*)\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Newest:
    """What the newest release lists, as a replaced release's build needs it."""

    version: str
    numbers: frozenset[str]  # every number it lists, as `number_key` gives them
    urgent: tuple[tuple[str, Contact], ...]  # its urgent contacts (baseline.yml `urgent:`), in that order
    emergency: Contact | None  # the national emergency number, first in the urgent list
    page_urls: dict[str, str]  # page path -> its URL inside the newest release ("urgent.md" -> "urgent/")

    def url_of(self, page: str, default: str) -> str:
        return self.page_urls.get(page, default)


@functools.lru_cache(maxsize=4096)  # a page shows the same few numbers many times
def number_key(number: str) -> str:
    """One spelling per number, to compare a link's `tel:` address with a contact's phone:
    "tel:+441174960123", "0117 496 0123" and "tel:01174960123" all give "+441174960123"; a short
    number gives its digits ("101", "116123")."""
    text = re.sub(r"%20|[\s().-]", "", number.removeprefix("tel:").removeprefix("TEL:"))
    try:
        parsed = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return text
    if phonenumbers.is_valid_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.national_significant_number(parsed) or text


def newest_of(latest: Frozen, root: Path) -> Newest:
    """Read what the newest release lists from its frozen copy.

    Raises SafeguideError naming the file if its partnership.yml or baseline.yml cannot be read
    (the build of that release reports the same problem)."""

    def shown(path: Path) -> str:
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)

    config = latest.partnership_dir / "partnership.yml"
    partnership = validate(Partnership, read_yaml(config, shown(config)), {"folder": latest.partnership_dir})
    data = latest.docs_dir / BASELINE_DATA
    baseline = validate(Baseline, read_yaml(data, shown(data)))
    contacts = {**baseline.national_contacts, **partnership.contacts}
    numbers = {number_key(n) for c in contacts.values() for n in (c.phone, c.out_of_hours) if n}
    for folder in (latest.docs_dir, latest.partnership_dir / "docs", latest.partnership_dir / "slots"):
        for page in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            numbers.update(number_key(n) for n in _TEL_IN_TEXT.findall(read_text(page, shown(page), PAGE_LIMIT)))
    return Newest(
        version=latest.version,
        numbers=frozenset(numbers),
        urgent=tuple((role, contacts[role]) for role in baseline.urgent if role in contacts),
        emergency=baseline.national_contacts.get("emergency"),
        page_urls={uri: record["url"] for uri, record in latest.pages.items()},
    )


def mark_replaced(html: str, numbers: frozenset[str], contacts_href: str) -> str:
    """`html` with every `tel:` link whose number is not in `numbers` made plain text: the number as it
    was shown, and "(no longer in use – see the current version)" linking to `contacts_href`, the
    newest release's contacts page. Links to numbers still listed stay as they are."""

    def replace(link: re.Match[str]) -> str:
        if number_key(link.group(1)) in numbers:
            return link.group(0)
        shown = Markup(link.group(2)).striptags()  # the number as the page showed it, as text
        return Markup(
            '<span class="sg-replaced-number" data-replaced-number="{key}">'
            '<span class="sg-replaced-number__digits">{shown}</span> '
            '<span class="sg-replaced-number__note">(no longer in use – '
            '<a href="{href}">see the current version</a>)</span></span>'
        ).format(
            key=number_key(link.group(1)),
            shown=shown,
            href=contacts_href,
        )

    return _TEL_LINK.sub(replace, html)
