"""The installed versions of a package and of everything it needs, followed through the packages' own metadata.

A cache key must change when any library that shapes the output changes, not only the ones we call: Material's
code blocks come from Pygments, WeasyPrint writes the PDF with pydyf and subsets fonts with fontTools, our stylesheets
are minified with tinycss2. A hand-kept list misses such libraries, so the keys follow each distribution's
`Requires-Dist` instead, as pip does, with the extras it names (fontTools' `woff`), and skip what only another extra
needs (our own `test` tools). A requirement whose environment marker is not about extras is followed if it is
installed and recorded as absent if not, so the answer never depends on evaluating markers. Package names are
compared normalised (PEP 503: `PyYAML` and `pyyaml` are one package).

Reads metadata only (about 25 ms for the 55 distributions our build needs); imports none of the packages.
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import metadata

_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")


def normalised(name: str) -> str:
    """A distribution name as PEP 503 compares it ("PyYAML" → "pyyaml", "mkdocs_material" → "mkdocs-material")."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_closure(roots: tuple[str, ...]) -> dict[str, str]:
    """{normalised name (with "[extra,...]" where extras were asked for): installed version, or "absent"} for each of
    `roots` and everything they need, without what only an extra they were not asked for needs. Never raises."""
    found: dict[str, str] = {}
    todo: list[tuple[str, tuple[str, ...]]] = [(root, ()) for root in roots]
    while todo:
        name, extras = todo.pop()
        label = normalised(name) + (f"[{','.join(extras)}]" if extras else "")
        if label in found:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            found[label] = "absent"
            continue
        found[label] = distribution.version
        for requirement in distribution.requires or ():
            parsed = _REQUIREMENT.match(requirement)
            if parsed is None:
                continue
            marker = requirement.partition(";")[2]
            needed_by = set(_EXTRA.findall(marker))
            if needed_by and not needed_by & set(extras):
                continue
            wanted = tuple(sorted({extra.strip() for extra in (parsed.group(2) or "").split(",") if extra.strip()}))
            todo.append((parsed.group(1), wanted))
    return dict(sorted(found.items()))


@functools.cache
def versions_digest(roots: tuple[str, ...]) -> str:
    """installed_closure(roots) as one hex digest, worked out once per process."""
    text = "".join(f"{label}=={version}\n" for label, version in installed_closure(roots).items())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
