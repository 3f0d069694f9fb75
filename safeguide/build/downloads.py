"""The MkDocs side of what a version offers besides its pages: the whole guidance on one page
(whole-guidance/) and as a PDF (issue 14). Called by hooks/downloads.py; the document itself is
safeguide.render.whole_guidance, the PDF safeguide.build.pdf. Both follow the partnership's `reader:` settings
(models.Reader: whole_guidance, pdf).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_build_datetime

from safeguide.build import pdf
from safeguide.build.errors import reported
from safeguide.build.integration import build_of, call_now_panel, settings, variant_of
from safeguide.build.state import Build
from safeguide.core import old_versions
from safeguide.core.problems import Problem, SafeguideError
from safeguide.render import urgent, whole_guidance

# Material's search leaves the page out: every word of it is on the chapter pages already.
PAGE_SOURCE = f"---\ntitle: {whole_guidance.TITLE}\nsearch:\n  exclude: true\n---\n"


@reported
def add_page(files: Files, config: MkDocsConfig) -> Files:
    """Add whole-guidance/ (not in the menu: the footer of every page links to it)."""
    variant = variant_of(config)
    if not variant.reader.whole_guidance:
        return files
    if files.get_file_from_path(whole_guidance.PAGE) is not None:
        raise SafeguideError(Problem(variant.shown_as(whole_guidance.PAGE), f"{whole_guidance.PAGE} is a page safeguide makes itself (the whole guidance).", "Rename this page."))
    files.append(File.generated(config, whole_guidance.PAGE, content=PAGE_SOURCE, inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def pdf_name(build: Build) -> str:
    """The PDF's file name in the version's folder: "riverside-guidance-3.2.pdf"."""
    return f"{build.variant.id}-guidance-{build.edition.version}.pdf"


@reported
def build(env: Any, config: MkDocsConfig, files: Files) -> None:
    """Once every page's HTML exists (MkDocs' on_env): fill in the whole guidance page, write the PDF into
    the version's folder, and give the templates `sg_downloads` for the footer's links."""
    build = build_of(config)
    variant = build.variant
    reader = variant.reader
    env.globals["sg_downloads"] = {"page": None, "pdf": None}
    if not (reader.whole_guidance or reader.pdf):
        return
    document_file = files.get_file_from_path(whole_guidance.PAGE)
    document_url = document_file.url if document_file is not None else ("whole-guidance/" if config.use_directory_urls else "whole-guidance.html")
    chosen = _chosen(build, files)
    if document_file is not None and document_file.page is not None:
        document_file.page.content = _body(build, config, chosen, document_url, for_pdf=False)
        env.globals["sg_downloads"]["page"] = document_file.url
    wanted = settings(config)
    if reader.pdf and not wanted.get("preview") and not wanted.get("texts_out"):  # not for `safeguide serve`, nor the build `safeguide release` reads
        document = _body(build, config, chosen, document_url, for_pdf=True)
        newest = build.newest
        if newest is not None and config.site_url:  # a replaced release: as its pages do (integration.finish_output)
            contacts = urljoin(config.site_url, f"../{newest.version}/{newest.url_of(old_versions.CONTACTS_PAGE, 'contacts/')}")
            document = old_versions.mark_replaced(document, newest.numbers, contacts)
        written = _write_pdf(build, config, files, document, document_url)
        env.globals["sg_downloads"]["pdf"] = {"file": written.file, "pages": written.pages, "kilobytes": written.kilobytes}


def _chosen(build: Build, files: Files) -> list[tuple[whole_guidance.PartKind, whole_guidance.Source]]:
    """The pages of the document, in order (whole_guidance.choose), as this build made them."""
    pages = []
    for file in files.documentation_pages():
        page = file.page
        if page is None or page.content is None or file.src_uri == whole_guidance.PAGE:
            continue
        html = page.content
        if file.src_uri == whole_guidance.URGENT_PAGE:  # the call-now panel the site adds to the finished page
            html = urgent.with_call_now(html, call_now_panel(build))
        pages.append(whole_guidance.Source(file.src_uri, file.url, page.title or "", html))
    order = {uri: i for i, uri in enumerate(build.nav_order)}
    pages.sort(key=lambda p: order.get(p.uri, len(order)))
    return whole_guidance.choose(pages, build.chapters, build.variant.added_pages, lambda p: 'data-flow="' in p.html)


def _body(build: Build, config: MkDocsConfig, chosen: list[tuple[whole_guidance.PartKind, whole_guidance.Source]], document_url: str, for_pdf: bool) -> str:
    variant, edition = build.variant, build.edition
    parts = whole_guidance.parts(chosen, document_url, config.site_url or None, for_pdf=for_pdf)
    logo = config.theme.get("logo")
    if logo:
        logo = (config.site_url or whole_guidance.INVALID_ROOT) + logo if for_pdf else whole_guidance.relative(logo, document_url)
    latest = edition.latest
    current = urljoin(config.site_url, f"../{latest.version}/") if config.site_url and latest is not None else None
    cover = whole_guidance.cover(edition, variant.partnership.name, variant.partnership.example, logo, config.site_url or None, current)
    return whole_guidance.body(cover, whole_guidance.version_rows(edition), parts)


def _write_pdf(build: Build, config: MkDocsConfig, files: Files, html: str, document_url: str) -> pdf.Written:
    variant, edition = build.variant, build.edition
    root = config.site_url or whole_guidance.INVALID_ROOT
    by_url = {f.url: f for f in files if not f.is_documentation_page()}

    def resources(url: str) -> bytes | None:
        if not url.startswith(root):
            return None
        file = by_url.get(url[len(root):].split("#")[0].split("?")[0])
        return file.content_bytes if file is not None else None

    this = edition.this_release
    date = this.release.date if this is not None else get_build_datetime().date()
    name = variant.partnership.name
    footer = [f"{name} · information-sharing guidance · Version {edition.version}"]
    if edition.is_draft:
        footer[0] += " · DRAFT – not approved"
    elif edition.is_outdated and edition.latest is not None:
        footer[0] += f" · REPLACED BY version {edition.latest.version}"
    footer.append(f"This version: {config.site_url}" if config.site_url else "Web address not known")
    request = pdf.Request(
        body=html,
        base_url=root + document_url,
        resources=resources,
        title=f"{name}: information-sharing guidance, version {edition.version}",
        author=name,
        date=date.isoformat(),
        footer=footer,
        language=str(config.theme.get("language") or "en"),
        shown_as=f"the PDF of {variant.id} version {edition.version}",
    )
    return pdf.write(request, Path(config.site_dir) / pdf_name(build), pdf.default_cache(variant.project.root))
