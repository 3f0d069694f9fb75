"""The schemas, declared once: partnership.yml, the baseline's data files and pages' front matter.

Error messages use "what is wrong | how to fix it"; `loading` splits them into a Problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import regex
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    ValidationInfo,
    field_validator,
    model_validator,
)

from safeguide.core import colours as branding
from safeguide.core import logos
from safeguide.core.loading import DATE_FIX, parse_date, yaml_kind
from safeguide.core.phones import PhoneError, is_drama_or_national_short, normalise_phone

ROLE = re.compile(r"^[a-z][a-z0-9_]*$")
PARTNERSHIP_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")  # use fullmatch: with .match, $ also accepts a trailing newline
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
# Email: the common "dot-atom" form of RFC 5322, without characters that mean something to HTML or
# Markdown (quotes, < >, brackets, backslashes, backticks); the domain is host names joined by dots.
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}")
URL_UNSAFE = re.compile(r"[\s<>\"'`\\\x00-\x1f\x7f]")
HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+xn--[a-z0-9-]+")
RESERVED_VERSIONS = {"latest", "draft"}
LOGO_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _text_only(value: Any) -> Any:
    # YAML turns 1.0 into a float and 0117 into an octal int; insist on quotes rather than guess.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"YAML read {value!r} as a number | Put the value in quotes.")
    return value


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("this must not be empty | Fill it in.")
    return value


def _phone(value: str) -> str:
    """Any UK number a practitioner can dial cheaply, short numbers (101, 116 123) included: see safeguide.core.phones.normalise_phone."""
    try:
        return normalise_phone(value)
    except PhoneError as e:
        raise ValueError(str(e)) from None


def _email(value: str) -> str:
    """An address as pages print it in `mailto:` links and text: see EMAIL (no spaces, quotes, <>, brackets or backslashes)."""
    if not EMAIL.fullmatch(value):
        raise ValueError(
            f'"{value}" is not an email address we can use | Write just the address, like name@example.org.uk, '
            "without spaces, quotes, < > or brackets."
        )
    return value


def _https_url(value: str) -> str:
    """A web address safe to print as a link: https, a host name with a dot, and none of the characters
    that could end a link or an attribute early (spaces, < > " ' ` and backslashes). Parsed with
    urllib.parse; a user name or password in it ("https://name@host") is refused, as it is used to disguise
    where a link goes."""
    fix = "Copy the full address from the browser's address bar, for example https://www.example.org.uk/page."
    if URL_UNSAFE.search(value):
        raise ValueError(f'"{value}" is not a web address we can link to: it contains spaces, quotes, < >, ` or a backslash | {fix}')
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").encode("idna").decode("ascii")  # bücher.example -> xn--bcher-kva.example
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except (ValueError, UnicodeError):
        raise ValueError(f'"{value}" is not a web address | {fix}') from None
    if parts.scheme != "https" or not value.startswith("https://"):
        raise ValueError(f'"{value}" is not a web address starting https:// | {fix}')
    if not HOST.fullmatch(host) or "@" in parts.netloc:
        raise ValueError(f'"{value}" does not name a website (the part after https:// up to the first /) | {fix}')
    return value


def _colour(value: str) -> str:
    """A CSS hex colour, always returned as # and six lower-case digits: "#036" becomes "#003366", because
    the stylesheet appends an alpha channel to it (accent + "1a") and that needs the long form."""
    if not branding.HEX.fullmatch(value):
        raise ValueError(f'"{value}" is not a colour | Write it as # and six hex digits, for example "#1d4f91".')
    return branding.long_hex(value)


def _safe_relative(value: str) -> str:
    path = PurePosixPath(value.replace("\\", "/"))
    if not value or path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", value):
        raise ValueError(
            f'"{value}" points outside the partnership\'s folder | Give a path inside the folder, such as logo.svg.'
        )
    return path.as_posix()


def _iso_date(value: Any) -> Any:
    # Dates reach us as text: safeguide.core.loading reads YAML timestamps as strings (see its _Loader).
    if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
        raise ValueError(f"{value!r} is not a date | {DATE_FIX}")
    return parse_date(value) if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_text_only)]
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
RequiredText = Annotated[str, BeforeValidator(_text_only), AfterValidator(_non_empty)]
Phone = Annotated[str, BeforeValidator(_text_only), AfterValidator(_phone)]
Email = Annotated[str, AfterValidator(_email)]
HttpsUrl = Annotated[str, AfterValidator(_https_url)]
Colour = Annotated[str, AfterValidator(_colour)]
RelativePath = Annotated[str, AfterValidator(_safe_relative)]


def _role(value: Any) -> Any:
    """A contact role as pages name it; YAML reads `123:` or `yes:` as a number or true/false, not text."""
    if not isinstance(value, str):
        raise ValueError(
            f"YAML reads this role as {yaml_kind(value)}, not a name: role names must be text: use letters "
            "| Name the role after the service, in lower-case letters with underscores, for example lado or children_front_door."
        )
    if not ROLE.fullmatch(value):
        raise ValueError(
            f"'{value}' cannot be a contact role: role names use lower-case letters, digits and underscores, starting with a letter "
            "| Rename it, for example children_front_door, and use the same name in pages."
        )
    return value


Role = Annotated[str, BeforeValidator(_role)]


WAYS_IN_TOUCH = ("phone", "out_of_hours", "email", "url")  # a contact's optional ways to reach it


class Contact(Strict):
    """A service that practitioners contact, referred to in pages by its role."""

    name: RequiredText
    purpose: Text | None = None
    phone: Phone | None = None
    hours: Text | None = None
    out_of_hours: Phone | None = None
    out_of_hours_name: Text | None = None
    email: Email | None = None
    url: HttpsUrl | None = None
    notes: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _filled_in(cls, data: Any) -> Any:
        """Refuses a contact left as `safeguide new` writes it; a way to get in touch left empty (`phone: ""` beside
        an email) counts as not given."""
        if data is None or data == "" or (isinstance(data, dict) and not any(v not in (None, "") for v in data.values())):
            raise ValueError("this contact is not filled in yet | Give at least its name and a phone number, email or url.")
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if not (key in WAYS_IN_TOUCH and value == "")}
        return data

    @field_validator("phone", "out_of_hours")
    @classmethod
    def _drama_if_example(cls, phone: str | None, info: ValidationInfo) -> str | None:
        """An example partnership's pages say its local numbers will not connect: make it so (Partnership._note_example)."""
        if phone and (info.context or {}).get("example") and not is_drama_or_national_short(phone):
            raise ValueError(
                f'"{phone}" is not in Ofcom\'s ranges reserved for drama, but this partnership says "example: true", and '
                "every page of an example site tells readers that its local numbers will not connect "
                "| Use a number from those ranges, for example 0114 496 0123 or 020 7946 0123 (README, Demo partnerships); "
                'if this partnership is real, remove the line "example: true".'
            )
        return phone

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not (self.phone or self.email or self.url):
            raise ValueError("gives no way to get in touch | Add a phone number (or an email or url).")
        return self


def _readable_on_white(colour: str, use: str) -> str:
    ratio = branding.contrast(colour, branding.WHITE)
    if ratio < branding.MIN_CONTRAST:
        raise ValueError(
            f"colour {colour} is too light: {use} has a contrast of {ratio:.2f}:1, below the "
            f"{branding.MIN_CONTRAST}:1 that WCAG 2.2 AA requires "
            f'| Use a darker colour, for example "{branding.darker_passing(colour)}".'
        )
    return colour


class Brand(Strict):
    logo: RelativePath | None = None
    primary: Colour = "#1d4f91"
    accent: Colour | None = None

    @field_validator("primary")
    @classmethod
    def _primary_readable(cls, colour: str) -> str:
        return _readable_on_white(colour, "white header text on it")

    @field_validator("accent")
    @classmethod
    def _accent_readable(cls, colour: str | None) -> str | None:
        return colour and _readable_on_white(colour, "link text in this colour on white")

    @field_validator("logo")
    @classmethod
    def _logo_exists(cls, logo: str | None, info: ValidationInfo) -> str | None:
        folder = (info.context or {}).get("folder")
        if not logo or not isinstance(folder, Path):
            return logo
        path = (folder / logo).resolve()
        if not path.is_relative_to(folder.resolve()):
            raise ValueError(f'"{logo}" points outside the partnership\'s folder | Put the logo file in the folder.')
        if path.suffix.lower() not in LOGO_TYPES:
            raise ValueError(f'"{logo}" is not an image safeguide can use | Use an .svg, .png, .jpg or .webp file.')
        if not path.is_file():
            raise ValueError(f'the logo file "{logo}" does not exist | Add the file to the partnership\'s folder or correct its name.')
        if problem := logos.logo_problem(path, logo):  # size, real type, no script in an SVG
            raise ValueError(problem)
        return logo


class Link(Strict):
    title: RequiredText
    url: HttpsUrl
    description: Text | None = None


def _regex(value: str | None) -> str | None:
    """A superseded rule's pattern, compiled by the `regex` package (Python's syntax) to check it.

    `regex` rather than `re`, because `safeguide review` runs partnership-supplied patterns with a time
    limit (review.superseded), which `re` cannot do: `^(\\w+\\s?)*$` made `re` run for ever."""
    if value is not None:
        try:
            regex.compile(value, regex.IGNORECASE)
        except regex.error as e:
            raise ValueError(f"this is not a valid pattern ({e}) | Check the brackets and backslashes, or leave pattern out to match the name as written.") from None
    return value


class SupersededRule(Strict):
    """A reference that guidance should no longer make, and what to write instead (for `safeguide review`)."""

    name: RequiredText
    pattern: Annotated[str | None, AfterValidator(_regex)] = None
    now: RequiredText
    since: Date | None = None
    note: Text | None = None

    def regex(self) -> regex.Pattern[str]:
        """The compiled pattern; run it with a `timeout=` (see `_regex`)."""
        return regex.compile(self.pattern or r"\b" + regex.escape(self.name) + r"\b", regex.IGNORECASE)


class Reader(Strict):
    """`reader:` in partnership.yml: what readers get besides the pages, each on unless turned off.

    The working copy's settings apply to every published version of the partnership, old releases
    included: they are how the site is offered, not part of the approved text.
    """

    display_options: bool = True  # text size and high visibility, on every page
    whole_guidance: bool = True  # every chapter on one page, to print (whole-guidance/)
    pdf: bool = True  # the same edition as a PDF, written at build time
    offline_copy: bool = True  # a zip of the version to read from disk, without a connection
    updates: bool = True  # an Atom feed of releases and a "Get updates" link
    change_notes: bool = True  # "Changed in version X" under the title of a page that changed


class Partnership(Strict):
    """partnerships/<id>/partnership.yml"""

    name: RequiredText
    short_name: Text | None = None
    version: Annotated[str, BeforeValidator(_text_only)] = "1.0"
    example: bool = False
    description: Text | None = None
    brand: Brand = Brand()
    contacts: dict[Role, Contact] = {}
    links: list[Link] = []
    exclude: list[RelativePath] = []
    glossary: list[GlossaryEntry] = []  # local terms, added to the national glossary (or replacing one)
    superseded: list[SupersededRule] = []  # local references that `safeguide review` should flag
    reader: Reader = Reader()  # reader features (text size, whole guidance, PDF, offline copy, updates)

    @model_validator(mode="before")
    @classmethod
    def _note_example(cls, data: Any, info: ValidationInfo) -> Any:
        """Tells the contacts' checks whether this is an example partnership (`example: true`), through the
        validation context that loading.validate makes for this one file."""
        if isinstance(info.context, dict) and isinstance(data, dict):
            info.context["example"] = data.get("example") is True
        return data

    @field_validator("version")
    @classmethod
    def _version_in_urls(cls, version: str) -> str:
        if not VERSION.fullmatch(version) or version.lower() in RESERVED_VERSIONS:
            raise ValueError(
                f'"{version}" cannot be used in a web address | '
                'Use digits, letters, dots or dashes, for example "2.1" (not "latest" or "draft").'
            )
        return version

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Baseline(Strict):
    """docs/_data/baseline.yml: national numbers and the local roles the baseline pages use."""

    national_contacts: dict[Role, Contact]
    roles: dict[Role, RequiredText]
    urgent: list[Role] = []
    required_pages: list[RelativePath] = []

    @model_validator(mode="after")
    def _urgent_roles_declared(self) -> Baseline:
        for role in self.urgent:
            if role not in self.roles and role not in self.national_contacts:
                raise ValueError(f"urgent role '{role}' is not declared under roles | Add it to roles or correct it.")
        return self


SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SourceId = Annotated[str, Field(pattern=SOURCE_ID.pattern)]


class Source(Strict):
    """One national source in docs/_data/sources.yml: what pages say they follow.

    `updated` is the day the source last changed in a way a page may need to follow (an Act's latest
    amendment taking effect, or guidance's new edition), and `change` says in a sentence or two what
    changed. Both are optional, but one is never given without the other. `safeguide review` lists every
    page that follows the source and was last reviewed before `updated` (review.source_changed).
    """

    title: RequiredText
    short: RequiredText
    publisher: RequiredText
    edition: RequiredText
    replaces: Text | None = None
    kind: Literal["guidance", "law"]
    url: HttpsUrl
    change: Text | None = None
    updated: Date | None = Field(default=None, validate_default=True)

    @field_validator("updated")
    @classmethod
    def _date_with_its_change(cls, updated: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if "change" not in info.data:
            return updated  # 'change' itself is wrong, and reported
        change = info.data["change"]
        if updated is not None and not change:
            raise ValueError(
                f"{updated.isoformat()} is the date of a change, but nothing says what changed "
                "| Add a 'change:' line under it, saying in a sentence what changed on that day, for example: "
                "change: The Data (Use and Access) Act 2025 added a seventh lawful basis."
            )
        if updated is None and change:
            raise ValueError(
                "'change' says what changed, but not when | Add an 'updated:' line with the date the change "
                "took effect, written YYYY-MM-DD, for example: updated: 2026-02-05"
            )
        return updated


class Sources(RootModel[dict[SourceId, Source]]):
    """docs/_data/sources.yml"""


class GlossaryEntry(Strict):
    """One term in docs/_data/glossary.yml. Abbreviations (with stands_for) are explained wherever they appear."""

    term: RequiredText
    stands_for: Text | None = None
    meaning: RequiredText


class Glossary(RootModel[list[GlossaryEntry]]):
    """docs/_data/glossary.yml"""

    @model_validator(mode="after")
    def _terms_unique(self) -> Glossary:
        seen: set[str] = set()
        for entry in self.root:
            if entry.term.lower() in seen:
                raise ValueError(f"'{entry.term}' is listed twice | Keep one entry for it.")
            seen.add(entry.term.lower())
        return self


class PageMeta(BaseModel):
    """The safeguide keys of a page's front matter; other keys belong to MkDocs and Material."""

    model_config = ConfigDict(extra="allow", frozen=True)

    reviewed: Date
    follows: list[SourceId] = []
    # Material lets a page pick its template (redirect.html, blog.html); those leave out the urgent bar
    # and the draft or replaced-version banner every page must carry, and redirect.html sends readers on.
    template: Literal["main.html"] | None = None

    @field_validator("template", mode="before")
    @classmethod
    def _own_template(cls, template: Any) -> Any:
        if template not in (None, "main.html"):
            raise ValueError(
                f"'template: {template}' would show this page without the urgent-help bar and version notices "
                "every page carries | Remove the template line."
            )
        return template

    @field_validator("follows")
    @classmethod
    def _known_sources(cls, follows: list[str], info: ValidationInfo) -> list[str]:
        known: Mapping[str, Any] | None = (info.context or {}).get("sources")
        for source in follows if known is not None else []:
            assert known is not None
            if source not in known:
                close = difflib.get_close_matches(source, list(known), n=1)
                hint = f"Did you mean '{close[0]}'? " if close else ""
                raise ValueError(
                    f"'{source}' is not a source listed in docs/_data/sources.yml | "
                    f"{hint}Use one of its ids, or add the source there first."
                )
        return follows


Partnership.model_rebuild()
