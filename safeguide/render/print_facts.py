"""What a printed page says about itself: partnership, version, approval (or draft / replaced), its web
address and the date it was printed (issue 12, "Print").

overrides/partials/print-header.html shows these facts twice: as a block at the top of the first printed
page (every browser), and in the page margins of every printed page (CSS `@page` margin boxes, which
Chromium draws; overrides/assets/print.css lays them out). The margin boxes take their text from CSS
custom properties, so each value is also given here as a CSS string literal. overrides/assets/print.js
puts in the print date, and the address where the build did not know it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from safeguide.core.releases import Edition
from safeguide.render.environment import long_date

DRAFT = "DRAFT – not approved"
NO_ADDRESS = "Web address not known"
# Characters left as they are in a CSS string; any other is written as a hex escape, so that no value
# from an input file can end the string, the rule or the <style> element ("</style>").
_CSS_PLAIN = re.compile(r"[A-Za-z0-9 .,:;/?=&%#@+_~()!*'-]")


@dataclass(frozen=True)
class PrintFacts:
    """The facts for one page. `address` is the page's published address (MkDocs' canonical URL, from
    `site_url`), or None when the build does not know it (no site_url, or the 404 page)."""

    partnership: str
    version: str
    status: Literal["approved", "draft", "replaced"]
    approved: str | None  # "1 March 2026"; None for a draft
    replaced_by: str | None  # the newest release's version, for a replaced release
    address: str | None
    built: str  # the day the site was built, "30 November 2026"

    @property
    def edition(self) -> str:
        """One line: "Riverside Safeguarding Partnership · Version 3.1 · Approved 1 March 2026", with
        "DRAFT – not approved" or "REPLACED BY version 3.1" where they apply."""
        return " · ".join([self.partnership, f"Version {self.version}", *self.standing])

    @property
    def standing(self) -> list[str]:
        """["Approved 1 March 2026"], ["DRAFT – not approved"] or ["Approved …", "REPLACED BY version 3.1"]."""
        if self.status == "draft":
            return [DRAFT]
        parts = [f"Approved {self.approved}" if self.approved else "Approved"]
        if self.status == "replaced":
            parts.append(f"REPLACED BY version {self.replaced_by}")
        return parts

    @property
    def undated(self) -> str:
        """What the date line says when no script runs to put in the print date: the build date, named as such."""
        return f"Print date not known (site built {self.built})"

    def css(self) -> dict[str, str]:
        """The margin boxes' text, as CSS string literals: {"edition", "address", "date"}."""
        return {"edition": css_string(self.edition), "address": css_string(self.address or NO_ADDRESS), "date": css_string(self.undated)}


def facts(edition: Edition, partnership_name: str, page: Any, built: dt.date) -> PrintFacts:
    """The print facts of `page` (a MkDocs Page, or None for a page without one such as 404.html)."""
    this = edition.this_release
    if edition.is_draft:
        status: Literal["approved", "draft", "replaced"] = "draft"
    elif edition.is_outdated:
        status = "replaced"
    else:
        status = "approved"
    latest = edition.latest
    return PrintFacts(
        partnership=partnership_name,
        version=edition.version,
        status=status,
        approved=long_date(this.release.date) if this is not None and status != "draft" else None,
        replaced_by=latest.version if status == "replaced" and latest is not None else None,
        address=getattr(page, "canonical_url", None) or None,
        built=long_date(built),
    )


def version_line(edition: Edition) -> str:
    """The version as every printout states it, e.g. "3.1 · Approved 1 March 2026", "5.0 · DRAFT – not
    approved" or "1.0 · Approved 15 June 2020 · REPLACED BY version 3.1" (the decision record uses it too)."""
    return " · ".join([edition.version, *facts(edition, "", None, dt.date.today()).standing])


def css_string(text: str) -> str:
    """`text` as a double-quoted CSS string that is safe inside a <style> element."""
    return '"' + "".join(c if _CSS_PLAIN.fullmatch(c) else f"\\{ord(c):x} " for c in text) + '"'
