"""Learning modules: the pages of one nav section, shown as a sequence with progress ("Module 2 of 5")."""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from safeguide.core.nav import Module
from safeguide.render.environment import TEMPLATES


def progress_html(
    modules: list[Module], current: str, url_of: Callable[[str], str], title_of: Callable[[str], str], *, templates: jinja2.Environment = TEMPLATES
) -> str:
    """Where this module sits in the course (templates/course/progress.html): "Module 2 of 5", and every
    module as a step, linked by `url_of` and titled by its nav title, `title_of` or its number."""
    position = [m.uri for m in modules].index(current) + 1
    shown = [
        {"title": module.title or title_of(module.uri) or f"Module {n}", "href": url_of(module.uri) if n != position else ""}
        for n, module in enumerate(modules, 1)
    ]
    return templates.get_template("course/progress.html").render(position=position, modules=shown)
