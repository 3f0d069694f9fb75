"""site/<id>/feed.xml: an Atom feed (RFC 4287) of a partnership's approved releases, for feed readers.

Written by the parent process once every edition is built (safeguide.site.publish), from what each build
reported (publish._site_info). Nothing in it depends on when it was built: every date is a release's
date, so rebuilding the same releases gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urljoin

from safeguide.core.dates import long_date  # as every page writes a date
from safeguide.render.environment import TEMPLATES

FEED_FILE = "feed.xml"  # in the partnership's folder, beside versions.json
SITEMAP_FILE = "sitemap.xml"  # beside it: the versions' sitemaps (sitemap_index)
CHANGES_URL = "what-changed/"  # each version's "What changed" page (version_pages.CHANGES_PAGE, directory URLs)
TAG_AUTHORITY = "safeguide,2026"  # RFC 4151 tag: ids when there is no site_url to give addresses


def sitemap_index(editions: Sequence[Mapping[str, Any]]) -> str:
    """site/<id>/sitemap.xml: a sitemap index of the published versions' own sitemaps (absolute addresses,
    as the sitemap protocol wants; with no site_url, an empty list). Material's script fetches the sitemap
    beside every <link rel="alternate"> of a page, the feed link included: this answers it."""
    locations = [urljoin(str(e["site_url"]), "sitemap.xml") for e in editions if e.get("site_url") and not e["draft"]]  # drafts are not for search engines
    return TEMPLATES.get_template("sitemap-index.xml").render(locations=sorted(locations))


def feed_xml(partnership_id: str, name: str, editions: Sequence[Mapping[str, Any]]) -> str | None:
    """The feed of the releases among `editions` (publish._site_info dicts, any order), newest first.

    None when there is nothing to publish: no release yet (a feed needs a date it was last updated, and
    only a release gives one), or the partnership turned updates off (`reader: {updates: false}`).
    Addresses are absolute when the build knew its address (mkdocs.yml `site_url`); otherwise relative
    to the feed, which feed readers resolve against the address they fetched it from.
    """
    releases = [e for e in editions if not e["draft"] and e.get("date")]
    if not releases or not all(e.get("updates", True) for e in editions):
        return None
    releases.sort(key=lambda e: (str(e["date"]), _version_key(str(e["version"]))), reverse=True)
    base = _partnership_url(releases[0].get("site_url"))
    entries = [_entry(partnership_id, e, base, name) for e in releases]
    return TEMPLATES.get_template("feed.xml").render(
        title=f"{name}: guidance updates",
        subtitle=f"Each new approved version of the information-sharing guidance of {name}.",
        id=urljoin(base, FEED_FILE) if base else f"tag:{TAG_AUTHORITY}:{partnership_id}",
        updated=entries[0]["updated"],
        self_href=urljoin(base, FEED_FILE) if base else FEED_FILE,
        site_href=base or "./",
        name=name,
        entries=entries,
    )


def _entry(partnership_id: str, edition: Mapping[str, Any], base: str | None, name: str) -> dict[str, Any]:
    version = str(edition["version"])
    day = dt.date.fromisoformat(str(edition["date"]))
    href = f"{version}/{CHANGES_URL}"
    summary = [f"Approved by {edition.get('approved_by') or 'the partnership'} on {long_date(day)}."]
    if edition.get("review_due"):
        summary.append(f"Due for review by {long_date(dt.date.fromisoformat(str(edition['review_due'])))}.")
    if edition.get("summary"):
        summary.append(str(edition["summary"]))
    return {
        "title": f"Version {version} approved",
        "id": urljoin(base, f"{version}/") if base else f"tag:{TAG_AUTHORITY}:{partnership_id}/{version}",
        "updated": _timestamp(day),
        "href": urljoin(base, href) if base else href,
        "authors": list(edition.get("authors") or []) or [name],
        "approved_by": edition.get("approved_by"),
        "summary": " ".join(summary),
    }


def _partnership_url(edition_url: str | None) -> str | None:
    """The partnership's folder from one edition's address (publish.edition_url: <site_url><id>/<version>/)."""
    return urljoin(edition_url, "../") if edition_url else None


def _timestamp(day: dt.date) -> str:
    """Atom dates are date-times (RFC 3339): a release is dated by its day, taken as midnight UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Releases on the same day in version order: "3.10" after "3.9"."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in version.replace("-", ".").split("."))
