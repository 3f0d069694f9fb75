"""The pages and banners that versions add to a site: version history, what changed, the draft banner."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from safeguide.changes import PageChanges, compare, shown
from safeguide.escaping import markdown_text
from safeguide.versions import Edition, Frozen

HISTORY_PAGE = "version-history.md"
CHANGES_PAGE = "what-changed.md"
REVIEW_PAGE = "review-report.md"
DEFAULT_SECTION = "Reference"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _time(day: dt.date) -> str:
    return f'<time datetime="{day.isoformat()}">{long_date(day)}</time>'


def to_version(page_url: str, version: str, target_url: str = "") -> str:
    """A link from a page of one version to `target_url` in another: versions sit side by side."""
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


def history_markdown(edition: Edition) -> str:
    """Every version, newest first: when it was approved, by whom, who wrote it, when it is due for review."""
    lines = [
        "# Version history",
        "",
        "Every approved version of this guidance, newest first, with who approved it and when it is due for review. "
        "Each version stays online unchanged, so you can check what the guidance said at any time.",
        "",
    ]
    if edition.is_draft:
        lines += [
            f"## Version {markdown_text(edition.version)}: draft {{#v-{_slug(edition.version)}}}",
            "",
            '<p class="sg-release__status">You are reading this draft. It has not been approved yet, so do not rely on it.</p>',
            "",
        ]
    for frozen in reversed(edition.history):
        lines += _release_entry(frozen, edition, HISTORY_PAGE.removesuffix(".md") + "/")
    if not edition.history:
        lines += ["No version has been approved yet.", ""]
    return "\n".join(lines) + "\n"


def _release_entry(frozen: Frozen, edition: Edition, page_url: str) -> list[str]:
    r = frozen.release
    labels = []
    if edition.latest is frozen:
        labels.append("current")
    if frozen.version == edition.version and not edition.is_draft:
        labels.append("you are reading this version")
    # release.yml is a file on disk like any other input: its version is made inert for the Markdown heading too.
    heading = f"## Version {markdown_text(r.version)}" + (f" ({', '.join(labels)})" if labels else "") + f" {{#v-{_slug(r.version)}}}"
    rows = [("Approved", _time(r.date)), ("Approved by", escape(r.approved_by))]
    if r.authors:
        rows.append(("Written by", escape(", ".join(r.authors))))
    rows.append(("Review due", _time(r.review_due)))
    if r.summary:
        rows.append(("Summary", escape(r.summary)))
    details = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    links = []
    if frozen.version != edition.version or edition.is_draft:
        links.append(f'<a href="{escape(to_version(page_url, r.version))}">Read version {escape(r.version)}</a>')
    links.append(f'<a href="{escape(to_version(page_url, r.version, "what-changed/"))}">What changed in version {escape(r.version)}</a>')
    return [heading, "", f'<dl class="sg-release">{details}</dl>', "", f'<p class="sg-release__links">{" · ".join(links)}</p>', ""]


def _slug(version: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in version)


# --- what changed --------------------------------------------------------------------------------


def changes_markdown(edition: Edition) -> str:
    return f"# What changed in version {markdown_text(edition.version)}\n"


def changes_html(edition: Edition, current: dict[str, dict[str, Any]], page_url: str) -> str:
    """Pages added, removed and changed since the previous release, with words marked <ins> and <del>."""
    previous = edition.previous
    link = lambda url: get_relative_url(url, page_url)  # noqa: E731
    if previous is None:
        return "<p>This is the first version of this guidance, so there is no earlier version to compare it with.</p>"
    changes = compare(previous.pages, current)
    r = previous.release
    intro = (
        f"<p>Compared with version {escape(r.version)}, approved on {_time(r.date)} by {escape(r.approved_by)}. "
        f'<a href="{escape(to_version(page_url, previous.version))}">Read version {escape(r.version)}</a>.</p>'
    )
    if not changes:
        return intro + "<p>No page's text has changed.</p>"
    added = [c for c in changes if c.status == "added"]
    removed = [c for c in changes if c.status == "removed"]
    changed = [c for c in changes if c.status == "changed"]
    counts = ", ".join(f"{n} {what}" for n, what in ((len(added), "added"), (len(removed), "removed"), (len(changed), "changed")) if n)
    out = [
        intro,
        f"<p>Pages: {counts}.</p>",
        '<p class="sg-changes__key">In the changes below, <ins>new words are underlined</ins> and '
        "<del>words taken out are struck through</del>. Screen readers announce them as inserted and deleted.</p>",
    ]
    if added:
        out.append('<h2 id="pages-added">Pages added</h2><ul>' + "".join(f"<li>{_page_link(c, link)}</li>" for c in added) + "</ul>")
    if removed:
        out.append('<h2 id="pages-removed">Pages removed</h2><ul>' + "".join(f"<li>{_title(shown(c.title))}</li>" for c in removed) + "</ul>")
    if changed:
        out.append('<h2 id="pages-changed">Pages changed</h2>')
        for c in changed:
            out.append(_changed_page(c, link))
    return "\n".join(out)


def _page_link(change: PageChanges, link: Any) -> str:
    return f'<a href="{escape(link(change.url))}">{_title(change.title)}</a>'


def _title(title: str) -> str:
    """A page title as MkDocs records it, which is HTML text ("Sharing &amp; consent"), escaped exactly once."""
    return escape(Markup(title).unescape())


def _changed_page(change: PageChanges, link: Any) -> str:
    items = []
    for c in change.changes:
        where = f'<span class="sg-change__where">In “{escape(c.section)}”:</span> ' if c.section and c.section != change.title else ""
        items.append(f'<li class="sg-change">{where}{c.html()}</li>')
    n = len(change.changes)
    return (
        f'<h3 id="changed-{escape(_slug(change.uri))}">{_page_link(change, link)}</h3>'
        f'<p class="sg-change__count">{n} change{"s" if n != 1 else ""}:</p>'
        f'<ul class="sg-changes">{"".join(items)}</ul>'
    )


# --- banners -------------------------------------------------------------------------------------


def banner(edition: Edition, page_url: str, page_uri: str | None) -> dict[str, str] | None:
    """The notice at the top of every page of a draft or of a replaced release (None for the current one)."""
    latest = edition.latest
    target = ""
    if latest is not None and page_uri and page_uri in latest.pages:
        target = latest.pages[page_uri]["url"]
    elif page_uri in (HISTORY_PAGE, CHANGES_PAGE):  # every version has these
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
    return None
