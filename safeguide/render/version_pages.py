"""The pages and banners that versions add to a site: version history, what changed, the draft banner."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import Any
from urllib.parse import urljoin

import jinja2
from markupsafe import Markup
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_build_datetime, get_relative_url

from safeguide.core.changes import (
    Change,
    PageChanges,
    Repeated,
    compare,
    explained_by,
    repeated,
    shown,
)
from safeguide.core.releases import Edition, Frozen
from safeguide.core.review import overdue_since
from safeguide.render.chapters import insert_after_title
from safeguide.render.environment import TEMPLATES, long_date, slug
from safeguide.render.escaping import markdown_text
from safeguide.render.feed import FEED_FILE
from safeguide.render.urgent import URGENT_PAGE

HISTORY_PAGE = "version-history.md"
CHANGES_PAGE = "what-changed.md"
REVIEW_PAGE = "review-report.md"
WHOLE_GUIDANCE_PAGE = "whole-guidance.md"  # safeguide.render.whole_guidance.PAGE
DEFAULT_SECTION = "Reference"


# While an offline copy is built: the published address of the partnership's versions (links to other
# versions leave the copy for the web); None otherwise.
other_versions: ContextVar[str | None] = ContextVar("safeguide_offline_other_versions", default=None)


def to_version(page_url: str, version: str, target_url: str = "") -> str:
    """A link from a page of one version to `target_url` in another: versions sit side by side. In an
    offline copy, where no other version is, the address of that version on the published site
    (`other_versions`, set by safeguide.build.offline.building_copy)."""
    web = other_versions.get()
    if web is not None:
        return f"{web}{version}/{target_url}"
    return "../" * (page_url.count("/") + 1) + f"{version}/{target_url}"


def generated_pages(edition: Edition) -> dict[str, str]:
    """Site path -> title of the pages this edition adds."""
    pages = {HISTORY_PAGE: "Version history", CHANGES_PAGE: "What changed"}
    if edition.is_draft:
        pages[REVIEW_PAGE] = "Review report"
    return pages


def nav_with_version_pages(nav: list[Any], edition: Edition, section: str) -> list[Any]:
    """The nav with the version pages at the end of `section` (or in a section of their own)."""
    entries = [{title: uri} for uri, title in generated_pages(edition).items()]
    result = []
    placed = False
    for item in nav:
        if not placed and isinstance(item, dict):
            title, target = next(iter(item.items()))
            if title == section and isinstance(target, list):
                item = {title: [*target, *entries]}
                placed = True
        result.append(item)
    if not placed:
        result.append({"About this guidance": entries})
    return result


# --- version history -----------------------------------------------------------------------------


def history_markdown(edition: Edition, *, templates: jinja2.Environment = TEMPLATES) -> str:
    """Every version, newest first: when it was approved, by whom, who wrote it, when it is due for review
    (templates/versions/history.md)."""
    page_url = HISTORY_PAGE.removesuffix(".md") + "/"
    releases = [_release_entry(frozen, edition, page_url) for frozen in reversed(edition.history)]
    return templates.get_template("versions/history.md").render(draft=edition.version if edition.is_draft else None, releases=releases)


def _release_entry(frozen: Frozen, edition: Edition, page_url: str) -> dict[str, Any]:
    """One version on the history page: its release's facts, labels and links."""
    r = frozen.release
    labels = []
    if edition.latest is frozen:
        labels.append("current")
    if frozen.version == edition.version and not edition.is_draft:
        labels.append("you are reading this version")
    reading_it = frozen.version == edition.version and not edition.is_draft
    return {
        "version": r.version,
        "labels": labels,
        "date": r.date,
        "approved_by": r.approved_by,
        "authors": r.authors,
        "review_due": r.review_due,
        "summary": r.summary,
        "read": "" if reading_it else to_version(page_url, r.version),
        "changes": to_version(page_url, r.version, "what-changed/"),
    }


# --- getting updates: the feed of releases, explained on the version history page ---------------


UPDATES_ID = "get-updates"  # the section's id: the footer's "Get updates" link leads to it


def add_updates_section(page: Page, site_url: str | None, *, templates: jinja2.Environment = TEMPLATES) -> None:
    """Add "Get updates" (updates_html) to the end of the version history page and to its contents.

    The feed sits in the partnership's folder beside the versions (safeguide.render.feed), one level above this
    version's root; `site_url` is this version's address (publish.edition_url), None if unknown."""
    href = "../" * (page.url.count("/") + 1) + FEED_FILE
    address = urljoin(site_url, f"../{FEED_FILE}") if site_url else None
    page.content = (page.content or "") + updates_html(href, address, templates=templates)
    section = AnchorLink("Get updates", UPDATES_ID, 2)
    (page.toc.items[0].children if page.toc.items else page.toc.items).append(section)


def updates_html(feed_href: str, feed_address: str | None, *, templates: jinja2.Environment = TEMPLATES) -> str:
    """The "Get updates" section: what a feed reader is, how to add the partnership's feed to one, and what
    to do without one. `feed_href` is the feed relative to the page; `feed_address` its full address,
    written out to copy (None when mkdocs.yml has no site_url: the reader then copies the link's address)."""
    return templates.get_template("versions/get-updates.html").render(id=UPDATES_ID, href=feed_href, address=feed_address)


# --- what changed --------------------------------------------------------------------------------


def changes_markdown(edition: Edition) -> str:
    """The "What changed" page's Markdown: its title only (changes_html makes its body). Left out of search (front
    matter Material's search plugin reads): its text is every other page's, words removed included, and a search
    should lead to the guidance itself."""
    return f"---\nsearch:\n  exclude: true\n---\n\n# What changed in version {markdown_text(edition.version)}\n"


def changes_html(edition: Edition, changes: list[PageChanges], page_url: str, *, templates: jinja2.Environment = TEMPLATES) -> str:
    """Pages added, removed and changed since the previous release (`changes`: safeguide.core.changes.compare of
    its pages with this edition's, made once per build: the change notes use it too), with words marked
    <ins> and <del>.

    Starts with a contents list; a replacement made in many places (a new phone number) is listed once,
    with where it was made, and left out of each page's own list (safeguide.core.changes.repeated)."""
    previous = edition.previous

    def link(url: str) -> str:
        return get_relative_url(url, page_url)

    if previous is None:
        return templates.get_template("versions/what-changed.html").render(previous=None)
    r = previous.release
    added = [c for c in changes if c.status == "added"]
    removed = [c for c in changes if c.status == "removed"]
    changed = [c for c in changes if c.status == "changed"]
    common = repeated(changed)
    counts = ", ".join(f"{n} {what}" for n, what in ((len(added), "added"), (len(removed), "removed"), (len(changed), "changed")) if n)
    return templates.get_template("versions/what-changed.html").render(
        previous={
            "version": r.version,
            "date": r.date,
            "approved_by": r.approved_by,
            "href": to_version(page_url, previous.version),
        },
        counts=counts,
        added=[{"id": entry_id(c), "href": link(c.url or ""), "title": _title(c.title)} for c in added],
        removed=[_title(shown(c.title)) for c in removed],
        repeated=[_repeated(item, link) for item in common],
        changed=[_changed_page(c, link, common) for c in changed],
    )


def entry_id(change: PageChanges) -> str:
    """The id of a page's entry on "What changed": its heading if it changed, its list item if it is new."""
    return f"{'added' if change.status == 'added' else 'changed'}-{slug(change.uri, each=True)}"


def _title(title: str) -> str:
    """A page title as MkDocs records it, which is HTML text ("Sharing &amp; consent"), as plain text
    (the template escapes it exactly once)."""
    return str(Markup(title).unescape())


def _where(change: Change, page: PageChanges) -> str:
    """The section a change falls in, or "" when that is the page's own title."""
    return change.section if change.section and change.section != _title(page.title) and change.section != page.title else ""


def _repeated(item: Repeated, link: Any) -> dict[str, Any]:
    """One line of "Changes made in many places": the words, how often, and on which pages and sections."""
    pages: dict[str, dict[str, Any]] = {}
    for page, change in item.places:
        entry = pages.setdefault(page.uri, {"href": link(page.url), "title": _title(page.title), "count": 0, "sections": {}})
        entry["count"] += 1
        where = _where(change, page)
        if where:
            entry["sections"][where] = entry["sections"].get(where, 0) + 1
    for entry in pages.values():
        entry["sections"] = list(entry["sections"].items())
    return {"old": item.old, "new": item.new, "count": len(item.places), "pages": list(pages.values())}


def _changed_page(change: PageChanges, link: Any, common: list[Repeated]) -> dict[str, Any]:
    """A changed page: its heading's id and link, how many blocks changed, and those not explained by `common`."""
    shown_here = [c for c in change.changes if not explained_by(c, common)]
    return {
        "id": entry_id(change),
        "href": link(change.url),
        "title": _title(change.title),
        "count": len(change.changes),
        "repeated": len(change.changes) - len(shown_here),
        "shown": [{"where": _where(c, change), "diff": Markup(c.html())} for c in shown_here],
    }


# --- change notes: "Changed in version X" under the title of each page that changed ----------------

NO_CHANGE_NOTE = {"index.md"}  # the home page leads into the guidance; "What changed" is one click from it


def changes_since_previous(edition: Edition, current: dict[str, dict[str, Any]]) -> list[PageChanges]:
    """This edition's pages compared with the release before it (none for a first release): what "What
    changed" lists and what the change notes point to, computed once per build."""
    previous = edition.previous
    return compare(previous.pages, current) if previous is not None else []


def change_note_html(edition: Edition, change: PageChanges, href: str, *, templates: jinja2.Environment = TEMPLATES) -> str:
    """The note under a page's title: "Changed in version 3.2" (or "New in", or for a draft "Changed in this
    draft, version 3.3") and a link (`href`) to the page's entry on "What changed"."""
    previous = edition.previous
    this = edition.this_release
    return templates.get_template("versions/change-note.html").render(
        new=change.status == "added",
        draft=edition.is_draft,
        version=edition.version,
        approved=this.release.date if this else None,
        previous=previous.version if previous else None,
        href=href,
    )


def with_change_notes(edition: Edition, changes: list[PageChanges], pages: dict[str, Page], changes_url: str, *, templates: jinja2.Environment = TEMPLATES) -> None:
    """Put a change note under the title of every page in `changes` that was added or changed.

    `pages` maps a source path to its MkDocs Page, whose `content` (the HTML the theme will show, after its
    text was recorded for "What changed") gets the note; `changes_url` is the "What changed" page's URL."""
    for change in changes:
        page = pages.get(change.uri)
        if change.status == "removed" or change.uri in NO_CHANGE_NOTE or page is None or not page.content:
            continue
        href = f"{get_relative_url(changes_url, page.url)}#{entry_id(change)}"
        page.content = insert_after_title(page.content, change_note_html(edition, change, href, templates=templates), "")


# --- banners -------------------------------------------------------------------------------------


def banner(edition: Edition, page_url: str, page_uri: str | None, today: dt.date | None = None) -> dict[str, str] | None:
    """The notice at the top of every page of a draft, of a replaced release, or of a newest release that is
    past its review date (None for a current release within its review date).

    A dict: "kind" (draft, outdated or overdue), "text", and optionally "link" (relative to page_url) and
    "link_text".
    `today` defaults to the build's date (mkdocs.utils.get_build_datetime, honouring SOURCE_DATE_EPOCH);
    "overdue" follows the rule of `safeguide review` (review.overdue_since)."""
    latest = edition.latest
    target = ""
    if latest is not None and page_uri and page_uri in latest.pages:
        target = latest.pages[page_uri]["url"]
    elif page_uri in (HISTORY_PAGE, CHANGES_PAGE, WHOLE_GUIDANCE_PAGE):  # every version has these (reader settings apply to all)
        target = page_uri.removesuffix(".md") + "/"
    if edition.kind == "edited":  # only previews show this: builds publish the release as approved
        return {"kind": "draft", "text": f"Preview: version {edition.version} is approved, but this text has edits since that are not. Give it a new version number."}
    if edition.is_draft:
        text = f"Draft version {edition.version}: not yet approved. Do not rely on it."
        if latest is None:
            return {"kind": "draft", "text": text}
        return {
            "kind": "draft",
            "text": text,
            "link": to_version(page_url, latest.version, target),
            "link_text": f"Read this page in the approved version ({latest.version})" if target else f"Read the approved version ({latest.version})",
        }
    if edition.is_outdated and latest is not None:
        this = edition.this_release
        approved = f", approved {long_date(this.release.date)}" if this else ""
        return {
            "kind": "outdated",
            "text": f"This is version {edition.version} of the guidance{approved}. It has been replaced by version {latest.version}.",
            "link": to_version(page_url, latest.version, target),
            "link_text": "Read this page in the current version" if target else "Go to the current version",
        }
    due = overdue_since(edition, today or get_build_datetime().date())
    if due is not None:
        return {
            "kind": "overdue",
            "text": f"Version {edition.version} of this guidance was due for review on {long_date(due)} and has not been reviewed since. "
            "Parts of it may be out of date: check the law and contacts it gives before you rely on them.",
            "link": get_relative_url(HISTORY_PAGE.removesuffix(".md") + "/", page_url),
            "link_text": "See the version history",
        }
    return None


def replaced_notice(edition: Edition, page_uri: str | None) -> dict[str, str] | None:
    """For a page of a replaced release (`page_uri` None for a page without a source, such as 404.html):
    what the header and the urgent bar need. None for a current release or a draft (a draft's urgent links
    stay in the draft).

    A dict: "short" (the notice in one line, kept in view under the header), "link" and "link_text" (the
    same page in the newest release, or its home page), and "urgent" (the newest release's urgent page).
    Addresses are relative to this version's folder ("../3.1/urgent/"): templates pass them through
    MkDocs' `url` filter, which makes them relative to the page, or absolute on 404.html."""
    notice = banner(edition, "", page_uri)
    latest = edition.latest
    if notice is None or notice["kind"] != "outdated" or latest is None:
        return None
    record = latest.pages.get(URGENT_PAGE)
    return {
        "short": f"Old version {edition.version}: replaced by {latest.version}.",
        "link": notice["link"],
        "link_text": notice["link_text"],
        "urgent": to_version("", latest.version, record["url"] if record else "urgent/"),
    }
