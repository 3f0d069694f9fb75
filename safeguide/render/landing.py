"""The pages safeguide writes around the MkDocs builds, from Jinja templates with autoescape:
site/index.html (every partnership with its name, logo, current version and a link) and
site/<id>/index.html (leads on to the current version)."""

from __future__ import annotations

from typing import Any

import jinja2

from safeguide.render.environment import TEMPLATES, long_date


def landing_page(partnerships: list[dict[str, Any]], *, templates: jinja2.Environment = TEMPLATES) -> str:
    """site/index.html: a card per partnership (the partnership.json its build wrote: name, logo, current
    version and approval date, a draft being prepared, and "review_overdue", the passed review date of
    its newest release, shown as a warning on the card)."""
    ordered = [
        {**p, "date_shown": _long_date(p.get("date")), "overdue_shown": _long_date(p.get("review_overdue"))}
        for p in sorted(partnerships, key=lambda p: str(p["name"]).lower())
    ]
    return templates.get_template("landing.html").render(partnerships=ordered)


def redirect_page(target: str, name: str, *, templates: jinja2.Environment = TEMPLATES) -> str:
    """site/<id>/index.html: `target` ("3.1/", relative) reached at once, by meta refresh, script or link.

    Autoescape covers the text and attributes; `tojson` makes the target a safe JavaScript string."""
    return templates.get_template("redirect.html").render(target=target, name=name)


def _long_date(iso: str | None) -> str:
    """An ISO date from partnership.json as the site writes dates (environment.long_date); "" for none."""
    return long_date(iso) if iso else ""
