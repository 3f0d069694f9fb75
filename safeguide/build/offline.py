"""The offline copy of an edition (issue 14, point 4): a zip that works opened from disk, without a server.

`safeguide build` builds each edition twice when the partnership's `reader.offline_copy` is on
(safeguide.site.publish.build_partnership): first with Material's offline plugin into a temporary folder,
which this module turns into `<id>-guidance-<version>-offline.zip`, then the edition itself, whose pages
link to the zip with its size. What the offline build changes, and why:

- Material's offline plugin turns directory URLs off (a folder opened from disk shows a file listing,
  not its index.html) and inlines the search index into a script. It would load its Web Worker shim
  from unpkg.com; the copy uses ours instead (overrides/assets/vendor/iframe-worker/, listed under
  `extra.polyfills` in this build only).
- The version selector is left out: it fetches ../versions.json, which is not in the copy.
- A link that would leave the copy (another version, the partnership's feed) goes to that place on the
  published site, or is not made when mkdocs.yml has no `site_url` (`finish_copy`). Links between
  versions are absolute from the start (`other_versions`, read by version_pages.to_version).
- Sitemaps, the 404 page and source maps are left out: they serve the site on the web (or its
  developers), not a reader on disk.

The zip is deterministic: entries sorted, one top folder named like the zip, fixed timestamps (the
release's approval date; 1980-01-01 for a draft) and permissions, so a frozen release rebuilt gives the
same bytes. Source of the shape: the issue's design notes and Material's offline plugin
(material/plugins/offline/plugin.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import os
import posixpath
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from safeguide.core.problems import Problem, SafeguideError
from safeguide.render import version_pages

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

SHIM = "assets/vendor/iframe-worker/shim.js"  # iframe-worker's shim (npm, MIT), vendored
PLUGIN = "material/offline"
LEFT_OUT = frozenset({"sitemap.xml", "sitemap.xml.gz", "404.html", "search/search_index.json"})  # the index is in search_index.js
LEFT_OUT_SUFFIXES = (".map",)  # source maps: only a browser's developer tools read them
ZIP_EPOCH = dt.date(1980, 1, 1)  # the earliest date a zip entry can hold
FILE_MODE = 0o644

# Where links to other versions of this partnership go while the offline copy is built: the address of
# the partnership's folder on the published site ("https://example.org/riverside/"). Set only around the
# offline build (`building_copy`), in the worker process that runs it; unset (None) in every other build.

# href="..." of an <a> or <link> (MkDocs and Material write attributes in double quotes).
_LINK = re.compile(r'<(a|link)\b([^>]*?)\shref="([^"]*)"([^>]*)>', re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True)
class Download:
    """The offline copy as the edition's pages offer it: its file name (in the edition's folder) and size."""

    file: str
    bytes: int

    def as_extra(self) -> dict[str, object]:
        """For config.extra["safeguide"]["offline_zip"] (overrides/partials/sg-offline-link.html)."""
        return {"file": self.file, "bytes": self.bytes, "size": size_in_words(self.bytes)}


def zip_stem(partnership_id: str, version: str) -> str:
    """The zip's name without ".zip", also its top folder: "riverside-guidance-3.2-offline"."""
    return f"{partnership_id}-guidance-{version}-offline"


def size_in_words(size: int) -> str:
    """A file size as readers see it next to a download link: "850 KB", "2.3 MB" (decimal units, as
    operating systems show file sizes; one decimal below 10 MB)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    mb = size / 1_000_000
    return f"{mb:.1f} MB" if mb < 10 else f"{round(mb)} MB"


def configure(config: MkDocsConfig, site_dir: Path) -> None:
    """Make a freshly loaded MkDocs config (mkdocs.yml, as build_partnership set it up, without the
    version selector) build the offline copy into `site_dir`: Material's offline plugin on, with the
    vendored Web Worker shim. Raises SafeguideError if mkdocs.yml does not list the plugin."""
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        raise SafeguideError(Problem(
            "mkdocs.yml", "the offline copy needs Material's offline plugin, and `plugins:` does not list it.",
            "Add `- offline: {enabled: false}` under `plugins:` (safeguide turns it on for the offline copy only), "
            "or turn offline copies off in partnership.yml with `reader: {offline_copy: false}`.",
        ))
    plugin.config.enabled = True
    config.extra["polyfills"] = [SHIM]  # the plugin adds unpkg.com's copy unless one is listed
    config.extra.pop("version", None)  # the selector fetches ../versions.json, which is not in the copy
    config.extra["safeguide"]["offline"] = True  # templates leave out what only works on the web (the feed link)
    config.site_dir = str(site_dir)


@contextmanager
def building_copy(site_url: str | None, partnership_id: str) -> Iterator[None]:
    """While the offline copy is built: links to other versions go to the published site (`other_versions`)."""
    token = version_pages.other_versions.set(f"{site_url.rstrip('/')}/{partnership_id}/" if site_url else None)
    try:
        yield
    finally:
        version_pages.other_versions.reset(token)


def finish_copy(folder: Path, site_url: str | None, edition_path: str) -> None:
    """Rewrite the links of the built copy in `folder` so that each works from disk.

    `edition_path` is the edition's place on the published site ("riverside/3.2/"), `site_url` that
    site's address (mkdocs.yml). In every HTML file: a link to a folder inside the copy ("what-changed/")
    goes to its page's file; a link that leaves the copy goes to the same place on the published site,
    or, without a `site_url`, is not made (an <a> keeps its text, a <link> is dropped); the edition's
    web address of the page (printed on it, and its canonical link) is the page's address on the web."""
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    edition_url = f"{site_url.rstrip('/')}/{edition_path}" if site_url else None
    for page in sorted(p for p in files if p.endswith(".html")):
        path = folder / page
        text = path.read_text(encoding="utf-8")
        fixed = _LINK.sub(functools.partial(_fixed_link, page=page, files=files, site_url=site_url, edition_path=edition_path), text)
        if edition_url:
            fixed = fixed.replace(f'"{edition_url}{page}"', f'"{edition_url}{_web_url(page)}"')
            fixed = fixed.replace(f">{edition_url}{page}<", f">{edition_url}{_web_url(page)}<")
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def _web_url(page: str) -> str:
    """A page's address on the published site (directory URLs) from its file in the copy."""
    if page == "index.html" or page.endswith("/index.html"):
        return page.removesuffix("index.html")
    return page.removesuffix(".html") + "/"


def _fixed_link(match: re.Match[str], page: str, files: set[str], site_url: str | None, edition_path: str) -> str:
    tag, before, value, after = match.groups()
    href = html.unescape(value)
    here = posixpath.dirname(page)
    edition_url = f"{site_url.rstrip('/')}/{edition_path}" if site_url else None
    if edition_url and tag.lower() == "a" and href.startswith(edition_url):  # this version: read it in the copy
        path, mark, rest = _split(href.removeprefix(edition_url))
        found = _file_for(path.rstrip("/"), files) if not path or path.endswith("/") else path if path in files else None
        if found:
            return f'<{tag}{before} href="{html.escape(posixpath.relpath(found, here or ".") + mark + rest)}"{after}>'
        return match.group(0)
    if not href or href.startswith(("#", "/", "?")) or _SCHEME.match(href):
        return match.group(0)
    path, mark, rest = _split(href)
    inside = posixpath.normpath(posixpath.join(here, path)) if path else page
    if inside == ".." or inside.startswith("../"):
        on_web = posixpath.normpath(posixpath.join(edition_path, here, path))
        if site_url and not on_web.startswith(".."):
            slash = "/" if path.endswith("/") and on_web != "." else ""
            target = f"{site_url.rstrip('/')}/{'' if on_web == '.' else on_web}{slash}{mark}{rest}"
            return f'<{tag}{before} href="{html.escape(target)}"{after}>'
        return "" if tag.lower() == "link" else f"<{tag}{before}{after}>"
    if path.endswith("/") or inside == ".":
        found = _file_for("" if inside == "." else inside, files)
        if found:
            return f'<{tag}{before} href="{html.escape(posixpath.relpath(found, here or ".") + mark + rest)}"{after}>'
    return match.group(0)


def _file_for(folder: str, files: set[str]) -> str | None:
    """The page a directory URL means in the copy ("what-changed" -> "what-changed.html", "learn" ->
    "learn/index.html", "" -> "index.html"), or None if the copy has none."""
    for candidate in (f"{folder}/index.html" if folder else "index.html", f"{folder}.html"):
        if candidate in files:
            return candidate
    return None


def _split(href: str) -> tuple[str, str, str]:
    """("what-changed/", "#", "law") from "what-changed/#law": the path, and the query or fragment after it."""
    cut = min((i for i in (href.find("#"), href.find("?")) if i >= 0), default=len(href))
    return href[:cut], href[cut:cut + 1], href[cut + 1:]


def write_zip(folder: Path, target: Path, day: dt.date | None) -> int:
    """Zip the built copy in `folder` into `target`, deterministically, under one top folder named like
    the zip; returns its size in bytes. `day` (the release's approval date; None for a draft: 1980-01-01)
    is every entry's timestamp. Raises SafeguideError (naming `target`) if it cannot be written."""
    stem = target.name.removesuffix(".zip")
    stamp = (max(day or ZIP_EPOCH, ZIP_EPOCH).timetuple()[:3]) + (0, 0, 0)
    entries = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    partial = target.with_name(target.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name in entries:
                if name in LEFT_OUT or name.endswith(LEFT_OUT_SUFFIXES):
                    continue
                info = zipfile.ZipInfo(f"{stem}/{name}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o100000 | FILE_MODE) << 16  # a regular file, rw-r--r--
                info.create_system = 3  # Unix, so that the permissions above are read
                archive.writestr(info, (folder / name).read_bytes(), compresslevel=9)
        os.replace(partial, target)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise SafeguideError(Problem(
            target.name, f"the offline copy could not be written in the temporary folder {target.parent} ({e.strerror or e}).",
            "Check that the temporary folder (TMPDIR) is writable and its disk has space, then build again.",
        )) from None
    return target.stat().st_size
