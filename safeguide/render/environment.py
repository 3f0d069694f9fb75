"""The package's own templates (safeguide/render/templates/): one autoescaping Jinja environment for every HTML
fragment the package renders (landing page, redirects, "What changed", the urgent page's panel, the
record of a decision). Values are escaped by the template; StrictUndefined makes a missing value an error."""

from __future__ import annotations

import jinja2

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("safeguide.render", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
