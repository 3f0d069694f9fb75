"""The review report (safeguide.core.review) as a page of the draft build (review/)."""

from __future__ import annotations

import datetime as dt

import jinja2

from safeguide.core.releases import Edition
from safeguide.core.review import KINDS, Finding
from safeguide.core.variants import Variant
from safeguide.render.environment import TEMPLATES


def report_html(variant: Variant, edition: Edition, findings: list[Finding], *, today: dt.date | None = None, templates: jinja2.Environment = TEMPLATES) -> str:
    """The report's page body (templates/review/report.html): the findings grouped by kind, in the order of
    safeguide.core.review.KINDS, each with where it is and what to do. `today` (default: today) dates it."""
    groups = [{"kind": kind, "title": title, "findings": [f for f in findings if f.kind == kind]} for kind, title in KINDS.items()]
    return templates.get_template("review/report.html").render(
        partnership=variant.partnership.name,
        version=edition.version,
        today=today or dt.date.today(),
        count=len(findings),
        groups=[g for g in groups if g["findings"]],
    )
