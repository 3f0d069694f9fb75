"""The package's templates (safeguide/render/templates/): one autoescaping Jinja environment for every HTML
fragment the package renders (flows, contact cards, version pages, banners, the review report, the landing
page and redirects). Values are escaped by the template (autoescape) and nowhere else; `Markup` is only for
HTML another template or a trusted renderer made. StrictUndefined makes a missing value an error.

A site can replace any of these templates the way it replaces Material's partials: a file of the same
name under `overrides/safeguide/` (e.g. `overrides/safeguide/flow/helper.html`) wins over the package's
(`templates(custom_dir)`). `TEMPLATES` is the package's own environment, the default of every renderer.

The one date format (`long_date`, "1 March 2026", from safeguide.core.dates) and the one slug helper (`slug`) are
registered as filters, so templates and Python callers write dates and ids the same way.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from safeguide.core.dates import long_date as long_date  # the one date helper, also the `long_date` filter
from safeguide.core.phones import tel_href
from safeguide.render.escaping import inert_attr, inert_text, markdown_text

OVERRIDE_FOLDER = "safeguide"  # inside a site's custom_dir (overrides/): overrides/safeguide/<template>
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, *, each: bool = False) -> str:
    """`text` as part of an id.

    By default lower case, every run of characters other than a-z and 0-9 one "-", none at either end
    ("Sharing & consent" -> "sharing-consent"). With `each=True`, the older rule of the version pages'
    ids, kept because published addresses link to them: case kept and every character that is not a
    letter or digit its own "-" ("3.1" -> "3-1", "flows/share.md" -> "flows-share-md")."""
    if each:
        return "".join(c if c.isalnum() else "-" for c in text)
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def _markdown_text(value: str) -> Markup:
    return markdown_text(str(value))


def one_line(html: str | Markup) -> Markup:
    """HTML as one line, so that Markdown keeps it as one block: each line stripped, the non-blank ones
    joined with a space. Plain text (not Markup) is escaped first, as autoescape would."""
    return Markup(" ".join(line.strip() for line in str(escape(html)).splitlines() if line.strip()))


def _environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(long_date=long_date, slug=slug, markdown_text=_markdown_text, one_line=one_line, inert=inert_text, inert_attr=inert_attr)
    env.globals["tel_href"] = tel_href  # a phone number's tel: address (safeguide.core.phones)
    return env


_PACKAGE = jinja2.PackageLoader("safeguide.render", "templates")

TEMPLATES = _environment(_PACKAGE)


@cache
def _for_folder(folder: Path) -> jinja2.Environment:
    return _environment(jinja2.ChoiceLoader([jinja2.FileSystemLoader(folder), _PACKAGE]))


def templates(override_dir: Path | str | None = None) -> jinja2.Environment:
    """The environment for a build whose theme's custom_dir is `override_dir` (a site's `overrides/`):
    a template in `override_dir/safeguide/` replaces the package's of the same name. The package's own
    `TEMPLATES` when `override_dir` is None or has no `safeguide/` folder. One environment per folder,
    kept for the process (Jinja caches compiled templates, and checks override files for changes)."""
    if override_dir is None:
        return TEMPLATES
    folder = Path(override_dir).resolve() / OVERRIDE_FOLDER
    if not folder.is_dir():
        return TEMPLATES
    return _for_folder(folder)
