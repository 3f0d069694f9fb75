"""Per-build state: what one MkDocs build of one (partnership, edition) learns as it goes.

Kept on the build's own config (`config.extra["build"]`), never in module globals: MkDocs keeps hook
modules alive between builds in one process. The partnership's files, as loaded and checked, are the
`Variant` (safeguide.core.variants), which does not change once loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2

from safeguide.core.models import Partnership, Reader
from safeguide.core.nav import Module
from safeguide.core.old_versions import Newest
from safeguide.core.releases import Edition
from safeguide.core.variants import Variant
from safeguide.render.environment import TEMPLATES


@dataclass
class Build:
    """One build. `variant` and `edition` are set when it starts (hooks/partnership.py, on_config); the rest
    fills in as MkDocs reaches each event."""

    variant: Variant
    edition: Edition  # which release or draft this build is
    source_nav: list[Any] | None = None  # the navigation as the baseline (or the release) gives it
    newest: Newest | None = None  # a replaced release: what the newest release lists (safeguide.core.old_versions)
    chapters: dict[str, int] = field(default_factory=dict)  # page -> chapter number (core.nav)
    modules: list[Module] = field(default_factory=list)  # the learning modules, in order (core.nav)
    anchors: dict[str, set[str]] = field(default_factory=dict)  # page -> the ids in its built HTML
    page_texts: dict[str, dict[str, Any]] = field(default_factory=dict)  # page -> its built text, for "What changed"
    nav_order: list[str] = field(default_factory=list)  # every page, in menu order
    templates: jinja2.Environment = TEMPLATES  # the package's templates, or the site's overrides/safeguide/ first
    bundled_css: list[str] = field(default_factory=list)  # our stylesheets, joined into one (safeguide.build.assets)
    bundled_js: list[str] = field(default_factory=list)  # our scripts, joined into one
    page_css_rules: list[Any] = field(default_factory=list)  # what the selectors of the stylesheets only some pages link need (assets.Needs)
    contacts_shown: dict[tuple[str, str], Any] = field(default_factory=dict)  # contacts as pages show them (page_content.render)
    pages_used: Any = None  # what the finished pages use (assets.Used), gathered as MkDocs writes them
    pages_read: dict[str, int] = field(default_factory=dict)  # each of those pages' path and size in bytes

    # The theme's templates read these as config.extra.build.partnership and .reader (overrides/).
    @property
    def partnership(self) -> Partnership:
        return self.variant.partnership

    @property
    def reader(self) -> Reader:
        return self.variant.reader
