"""Print facts (safeguide.render.print_facts) handed to the theme's templates for one build: every printed page
says which partnership, version and address it is (overrides/partials/print-header.html)."""

from __future__ import annotations

from typing import Any

from mkdocs.utils import get_build_datetime

from safeguide.build.errors import reported
from safeguide.build.integration import build_of
from safeguide.render.print_facts import facts


@reported
def add_to_templates(env: Any, config: Any) -> None:
    """Give the theme's templates `sg_print(page)` for this build (MkDocs' on_env)."""
    build = build_of(config)
    variant, edition = build.variant, build.edition
    built = get_build_datetime().date()  # honours SOURCE_DATE_EPOCH, as MkDocs' own build date does
    env.globals["sg_print"] = lambda page: facts(edition, variant.partnership.name, page or None, built)
