"""The whole guidance as a PDF, written with WeasyPrint while the version is built (issue 14).

The PDF is tagged for accessibility (WeasyPrint's PDF/UA-1 variant: structure tags, the document's
language and title), has a bookmark for every chapter and section (h1 and h2), page numbers, and on
every page a footer naming the partnership, the version and its web address (templates/
whole-guidance-pdf.html, data/whole-guidance-pdf.css).

WeasyPrint fetches nothing itself: every image the document uses is handed over from the build's own
files (`resources`), and any other address fails the build. Rendering takes seconds per version, so a
finished PDF is kept in a cache folder under a key made from everything it is made from (the document,
the bytes of each file it used, the versions of WeasyPrint and of every library it needs (pydyf writes the file,
fontTools subsets the fonts: safeguide.build.dependencies), our options, and the machine's fonts and text libraries:
safeguide.build.typesetting); a cached copy is checked against
its recorded digest before it is used, and rebuilt if it does not match.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources as package_files
from pathlib import Path

from markupsafe import Markup

from safeguide.build.dependencies import versions_digest
from safeguide.build.typesetting import typesetting_digest
from safeguide.core.problems import Problem, SafeguideError
from safeguide.render.environment import TEMPLATES
from safeguide.render.print_facts import css_string

OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}  # tagged PDF, PDF/UA-1 where WeasyPrint supports it
STYLESHEET = "whole-guidance-pdf.css"
CACHE_FORMAT = "1"  # change when what a cached entry records changes


@dataclass(frozen=True)
class Written:
    """The PDF as the site links to it: its file name in the version's folder, its number of pages and
    its size in bytes."""

    file: str
    pages: int
    size: int

    @property
    def kilobytes(self) -> int:
        """The size in KB (1 KB = 1,000 bytes, as people read sizes), at least 1."""
        return max(1, round(self.size / 1000))


@dataclass(frozen=True)
class Request:
    """What one PDF is made from. `body` is the whole guidance's HTML (safeguide.render.whole_guidance.body);
    `base_url` the document's web address, against which its images are resolved; `resources(url)` gives
    the bytes of a file of the build at that address, or None. `title`, `author` and `date` (ISO) are the
    PDF's metadata; `footer` the lines printed at the foot of every page. `shown_as` names the document
    in error messages."""

    body: str
    base_url: str
    resources: Callable[[str], bytes | None]
    title: str
    author: str
    date: str
    footer: list[str]
    language: str
    shown_as: str


def document(request: Request) -> str:
    """The HTML WeasyPrint lays out: the body with its own stylesheet and metadata."""
    stylesheet = package_files.files("safeguide").joinpath("data", STYLESHEET).read_text(encoding="utf-8")
    return TEMPLATES.get_template("whole-guidance-pdf.html").render(
        request=request,
        stylesheet=Markup(stylesheet),  # our own file, no input text in it
        footer=Markup(css_string("\n".join(request.footer))),  # escaped for a CSS string (print_facts.css_string)
        body=Markup(request.body),
    )


def write(request: Request, target: Path, cache: Path | None) -> Written:
    """Write the PDF to `target` (or copy the cached one) and say how long and large it is.

    Raises SafeguideError naming `request.shown_as` if WeasyPrint is missing, the document uses a file
    that is not part of the build, or rendering fails."""
    html = document(request)
    key = _key(html)
    target.parent.mkdir(parents=True, exist_ok=True)  # on_env comes before MkDocs makes the folder
    if cache is not None:
        hit = _cached(cache, key, request.resources)
        if hit is not None:
            data, pages = hit
            _write_atomic(target, data)
            return Written(target.name, pages, len(data))
    data, pages, used = _render(html, request)
    _write_atomic(target, data)
    if cache is not None:
        _store(cache, key, data, pages, used)
    return Written(target.name, pages, len(data))


def _key(html: str) -> str:
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, versions_digest(("weasyprint",)), typesetting_digest(), json.dumps(OPTIONS, sort_keys=True), html):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _render(html: str, request: Request) -> tuple[bytes, int, dict[str, str]]:
    """(PDF bytes, pages, {address: sha256 of each file used})."""
    try:
        import weasyprint
        from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise SafeguideError(Problem(request.shown_as, f"the PDF cannot be written: WeasyPrint is not installed ({e}).", "Set up again with `bash scripts/demo.sh`, or turn PDFs off with `reader: {pdf: false}` in partnership.yml.")) from None

    used: dict[str, str] = {}
    refused: list[str] = []

    class BuildFilesOnly(URLFetcher):  # type: ignore[misc]
        """Hands WeasyPrint the build's own files; refuses every other address (nothing is fetched)."""

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            data = request.resources(url)
            if data is None:
                refused.append(url)
                raise ValueError(f"{url} is not a file of this build")
            used[url] = hashlib.sha256(data).hexdigest()
            return URLFetcherResponse(url, body=data)

    handler = logging.NullHandler()  # WeasyPrint's warnings (CSS it ignores) stay out of the build's output
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        rendered = weasyprint.HTML(string=html, base_url=request.base_url, url_fetcher=BuildFilesOnly(fail_on_errors=True)).render()
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")  # the same text, the same file
        data = rendered.write_pdf(pdf_identifier=identifier, **OPTIONS)
    except (Exception, FatalURLFetchingError) as e:  # the second is a BaseException: it stops the layout
        what = f"it uses {refused[0]}, which is not part of the site" if refused else f"{type(e).__name__}: {e}"
        raise SafeguideError(Problem(
            request.shown_as,
            f"the whole guidance could not be written as a PDF ({what}).",
            "Check the page named above for an image or link to another site; or turn PDFs off with `reader: {pdf: false}` in partnership.yml.",
        )) from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    if data is None:
        raise SafeguideError(Problem(request.shown_as, "WeasyPrint wrote no PDF.", "Build again; if it happens again, report it."))
    return data, len(rendered.pages), used


def _cached(cache: Path, key: str, resources: Callable[[str], bytes | None]) -> tuple[bytes, int] | None:
    """The cached PDF and its page count, if the entry is whole and the files it used are unchanged."""
    try:
        record = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
        data = (cache / f"{key}.pdf").read_bytes()
        if record.get("format") != CACHE_FORMAT or hashlib.sha256(data).hexdigest() != record["sha256"]:
            return None
        for url, digest in record["resources"].items():
            now = resources(url)
            if now is None or hashlib.sha256(now).hexdigest() != digest:
                return None
        return data, int(record["pages"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, partial or corrupt: render again


def _store(cache: Path, key: str, data: bytes, pages: int, used: dict[str, str]) -> None:
    """Keep the PDF for the next build; a cache that cannot be written is no reason to fail one."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        _write_atomic(cache / f"{key}.pdf", data)
        record = {"format": CACHE_FORMAT, "sha256": hashlib.sha256(data).hexdigest(), "pages": pages, "resources": used}
        _write_atomic(cache / f"{key}.json", json.dumps(record, sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def default_cache(project_root: Path) -> Path | None:
    """Where finished PDFs are kept between builds: .safeguide-cache/pdf/ in the project (safe to
    delete), or SAFEGUIDE_CACHE's folder; none when SAFEGUIDE_CACHE is "off"."""
    setting = os.environ.get("SAFEGUIDE_CACHE")
    if setting == "off":
        return None
    return (Path(setting) if setting else project_root / ".safeguide-cache") / "pdf"
