"""The whole guidance as one document (issue 14): the print edition of one version.

Shaped like the partnership guidance documents practitioners print, file and attach to board papers
(source document 002): a cover (partnership, logo, version, approval, review date, and a DRAFT or
REPLACED notice where it applies), the version table (version, authors, approved by, date, review date,
for every release up to this one), a contents list, then the parts in order: what to do if someone is at
risk now, every numbered chapter, the partnership's own pages, its contacts, and the decision flowcharts
as appendices.

Each part is a page of the site as built (its numbered headings included). Its HTML is copied with
every id made unique in the document (`wg-<part>-<id>`), links to a part made links within the
document, links to pages left out (glossary, sources, learning modules) made full web addresses, and
images re-addressed from the document's own address. The same body is the site's whole-guidance/ page
and the PDF (safeguide.build.pdf).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Literal
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from safeguide.core.html_positions import LazyPositions
from safeguide.core.releases import Edition, Frozen
from safeguide.render import environment
from safeguide.render.environment import TEMPLATES, long_date
from safeguide.render.version_pages import WHOLE_GUIDANCE_PAGE

PAGE = WHOLE_GUIDANCE_PAGE  # made by safeguide.build.downloads; not in the menu
TITLE = "Whole guidance"
CONTACTS_PAGE = "contacts.md"
URGENT_PAGE = "urgent.md"
PREFIX = "wg"
INVALID_ROOT = "https://site.invalid/edition/"  # stands for the version's address when site_url is not set
# Attributes that name other elements by id (one or several, space-separated).
ID_REFERENCES = {"for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-details", "headers", "list"}
LOCAL_URL = re.compile(r"url\(#([^)\s]+)\)")
ADDRESS_SCHEMES = ("tel:", "mailto:", "sms:")
PartKind = Literal["urgent", "chapter", "local", "contacts", "appendix"]


@dataclass(frozen=True)
class Source:
    """One page of the built site that becomes a part: its path in the docs (`uri`), its address in the
    site (`url`, e.g. "consent/"), its title and its finished HTML (MkDocs' page.content)."""

    uri: str
    url: str
    title: str
    html: str


@dataclass(frozen=True)
class Part:
    """One part of the document: `anchor` is the id of its section, `label` its name in the contents
    ("Appendix A" for an appendix, else "")."""

    kind: PartKind
    anchor: str
    title: str
    label: str
    html: Markup


def slug(uri: str) -> str:
    """`flows/should-i-share.md` -> `flows-should-i-share`: a part's name inside ids."""
    return environment.slug(uri.removesuffix(".md")) or "home"


def choose(pages: Iterable[Source], chapters: dict[str, int], local: Iterable[str], has_flow: Callable[[Source], bool]) -> list[tuple[PartKind, Source]]:
    """The pages of the document in order: urgent, chapters by number, the partnership's own pages (in
    menu order), contacts, then every other page with a decision flowchart (menu order) as appendices.
    `pages` come in menu order; `chapters` maps a page to its chapter number (safeguide.render.chapters)."""
    pages = [p for p in pages if p.uri != PAGE]
    by_uri = {p.uri: p for p in pages}
    chosen: list[tuple[PartKind, Source]] = []
    if URGENT_PAGE in by_uri:
        chosen.append(("urgent", by_uri[URGENT_PAGE]))
    chosen += [("chapter", by_uri[uri]) for uri, _ in sorted(chapters.items(), key=lambda item: item[1]) if uri in by_uri]
    local_pages = set(local)
    chosen += [("local", p) for p in pages if p.uri in local_pages and p.uri not in chapters]
    if CONTACTS_PAGE in by_uri and CONTACTS_PAGE not in local_pages:
        chosen.append(("contacts", by_uri[CONTACTS_PAGE]))
    taken = {source.uri for _, source in chosen}
    chosen += [("appendix", p) for p in pages if p.uri not in taken and has_flow(p)]
    return chosen


def parts(chosen: list[tuple[PartKind, Source]], document_url: str, site_url: str | None, for_pdf: bool = False) -> list[Part]:
    """Each chosen page's HTML, re-addressed for one document at `document_url` (the page's address in
    the site, "whole-guidance/"). `site_url` is this version's web address ("https://…/riverside/3.2/"),
    or None when it is not known: links to pages left out are then relative to the document.

    `for_pdf`: images get full addresses under `site_url` (or a stand-in, see INVALID_ROOT), so that the
    PDF's document is the same whether the site is built with directory URLs or as plain files (the
    offline copy): one PDF serves both builds (safeguide.build.pdf's cache)."""
    anchors = {source.url: f"{PREFIX}-{slug(source.uri)}" for _, source in chosen}
    result = []
    appendices = 0
    for kind, source in chosen:
        label = ""
        if kind == "appendix":
            appendices += 1
            label = f"Appendix {_letter(appendices)}"
        part = anchors[source.url]
        html = _Rebase(part, source.url, document_url, anchors, site_url, for_pdf).rebase(source.html)
        result.append(Part(kind, part, _plain_title(source.title), label, Markup(html)))
    return result


def _letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _plain_title(title: str) -> str:
    """MkDocs keeps titles as HTML text ("Sharing &amp; consent"); the template escapes them once."""
    return str(Markup(title).unescape())


# --- the cover and the version table ---------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    """One row of the version table, as source document 002 lays it out."""

    version: str
    authors: str
    approved_by: str
    date: str
    review_due: str
    this: bool


def version_rows(edition: Edition) -> list[VersionRow]:
    """Every release up to and including this edition, oldest first; a draft adds its own row last."""
    rows = []
    for frozen in edition.history:
        rows.append(_row(frozen, this=frozen.version == edition.version and not edition.is_draft))
        if frozen.version == edition.version and not edition.is_draft:
            break
    if edition.is_draft:
        rows.append(VersionRow(f"{edition.version} (draft)", "", "Not yet approved", "", "", this=True))
    return rows


def _row(frozen: Frozen, this: bool) -> VersionRow:
    r = frozen.release
    return VersionRow(r.version, ", ".join(r.authors), r.approved_by, long_date(r.date), long_date(r.review_due), this)


@dataclass(frozen=True)
class Cover:
    """What the first page says. `status` is "approved", "draft" or "replaced"; dates are written out
    ("30 November 2026"); `address` is this version's web address, `current_address` the newest
    release's (for a replaced release), each None when not known."""

    partnership: str
    example: bool
    logo: str | None
    version: str
    status: Literal["approved", "draft", "replaced"]
    approved: str | None
    approved_by: str | None
    review_due: str | None
    replaced_by: str | None
    replaced_on: str | None
    address: str | None
    current_address: str | None


def cover(edition: Edition, partnership: str, example: bool, logo: str | None, address: str | None, current_address: str | None) -> Cover:
    """The cover of `edition`'s whole guidance. Raises nothing."""
    this = edition.this_release
    latest = edition.latest
    status: Literal["approved", "draft", "replaced"] = "draft" if edition.is_draft else "replaced" if edition.is_outdated else "approved"
    r = this.release if this is not None else None
    return Cover(
        partnership=partnership,
        example=example,
        logo=logo,
        version=edition.version,
        status=status,
        approved=long_date(r.date) if r else None,
        approved_by=r.approved_by if r else None,
        review_due=long_date(r.review_due) if r else None,
        replaced_by=latest.version if status == "replaced" and latest else None,
        replaced_on=long_date(latest.release.date) if status == "replaced" and latest else None,
        address=address,
        current_address=current_address if status == "replaced" else None,
    )


def body(the_cover: Cover, rows: list[VersionRow], the_parts: list[Part]) -> str:
    """The document's HTML: cover, version table, contents and parts (templates/whole-guidance.html)."""
    return TEMPLATES.get_template("whole-guidance.html").render(cover=the_cover, rows=rows, parts=the_parts, prefix=PREFIX)


# --- re-addressing one page's HTML --------------------------------------------------------------------


class _Rebase(LazyPositions):
    """Copies HTML as it is, except ids, references to ids, links and image addresses (see the module's
    docstring). Tags whose attributes do not change are copied byte for byte."""

    def __init__(self, part: str, page_url: str, document_url: str, anchors: dict[str, str], site_url: str | None, absolute_sources: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.part, self.page_url, self.document_url, self.anchors = part, page_url, document_url, anchors
        self.absolute_sources = absolute_sources
        # Links are resolved against the page's full address; a made-up one when the site's is not known.
        self.root = site_url or INVALID_ROOT
        self.known_root = site_url is not None
        self.out: list[str] = []
        self.spelled: dict[str, str] = {}  # SVG's camelCase tag names, to close them as opened

    def rebase(self, html: str) -> str:
        self.feed(html)
        self.close()
        return "".join(self.out)

    # -- ids -----------------------------------------------------------------------------------------

    def _id(self, value: str) -> str:
        return f"{self.part}-{value}"

    def _link(self, href: str) -> str:
        if not href or href.startswith(ADDRESS_SCHEMES):
            return href
        if href.startswith("#"):
            return "#" + (self._id(href[1:]) if href[1:] else self.part)
        absolute = urljoin(self.root + self.page_url, href)
        if not absolute.startswith(self.root):
            return href if urlsplit(href).scheme else absolute  # another site, or another version of this one
        path, _, fragment = absolute[len(self.root):].partition("#")
        path = path.split("?")[0]
        target = self.anchors.get(path) or self.anchors.get(path.removesuffix("index.html"))
        if target is not None:
            return f"#{target}-{fragment}" if fragment else f"#{target}"
        if self.known_root:  # the published page: its address as the web has it, also from the offline copy
            return self.root + web_path(path) + (f"#{fragment}" if fragment else "")
        return relative(path, self.document_url) + (f"#{fragment}" if fragment else "")

    def _source(self, src: str) -> str:
        if not src or urlsplit(src).scheme or src.startswith(("/", "#")):
            return src
        absolute = urljoin(self.root + self.page_url, src)
        if not absolute.startswith(self.root):
            return src
        return absolute if self.absolute_sources else relative(absolute[len(self.root):], self.document_url)

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str | None]] | None:
        changed = False
        result = []
        for name, value in attrs:
            new = value
            if value is not None:
                if name == "id":
                    new = self._id(value)
                elif name in ID_REFERENCES:
                    new = " ".join(self._id(v) for v in value.split())
                elif name == "href" and tag in ("a", "area"):
                    new = self._link(value)
                elif name in ("href", "xlink:href") and value.startswith("#"):
                    new = "#" + self._id(value[1:])
                elif name == "src" and tag in ("img", "source"):
                    new = self._source(value)
                elif "url(#" in value:
                    new = LOCAL_URL.sub(lambda m: f"url(#{self._id(m.group(1))})", value)
            changed = changed or new != value
            result.append((name, new))
        return result if changed else None

    # -- copying -------------------------------------------------------------------------------------

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        text = self.get_starttag_text() or ""
        spelled = text[1 : 1 + len(tag)]
        if spelled != tag:
            self.spelled[tag] = spelled
        new = self._attrs(tag, attrs)
        if new is None:
            self.out.append(text)
            return
        written = "".join(f" {n}" if v is None else f' {n}="{escape(v, quote=True)}"' for n, v in new)
        self.out.append(f"<{spelled}{written}{' /' if closed else ''}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{self.spelled.get(tag, tag)}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")


def web_path(path: str) -> str:
    """A page's path as the published site has it ("consent/"), from either form ("consent.html", the
    offline copy's plain files; "consent/index.html")."""
    if path.endswith("index.html"):
        return path.removesuffix("index.html")
    if path.endswith(".html"):
        return path.removesuffix(".html") + "/"
    return path


def relative(path: str, from_url: str) -> str:
    """A site path ("assets/logo.svg", "glossary/") as seen from the page at `from_url` ("whole-guidance/")."""
    base = (from_url if from_url.endswith("/") else posixpath.dirname(from_url)).rstrip("/") or "."
    relative = posixpath.relpath(path or ".", base)
    if path.endswith("/") and not relative.endswith("/"):
        relative += "/"
    return "./" if relative in (".", "./") else relative
