"""The MkDocs side of a build: what the hooks in hooks/ call.

Per-build state is the `Variant`, kept on the build's own config (`config.extra["build"]`), never in
module globals: MkDocs keeps hook modules alive between builds in one process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils import get_relative_url

from safeguide import branding, chapters, content, glossary, modules
from safeguide.errors import Problem, SafeguideError
from safeguide.variants import LOCAL_SECTION, Project, Variant, load_variant

BRAND_CSS = "assets/partnership/brand.css"
LOGO_STEM = "assets/partnership/logo"
SOURCES_PAGE = "sources.md"
DEFAULT_CHAPTERS = "Guidance"
DEFAULT_MODULES = "Learn"


def settings(config: MkDocsConfig) -> dict[str, Any]:
    """`extra.safeguide` in mkdocs.yml: which partnership this build is for."""
    value = config.extra.get("safeguide") or {}
    if not isinstance(value, dict) or not value.get("partnership"):
        raise SafeguideError(
            Problem(config.config_file_path or "mkdocs.yml", "extra.safeguide.partnership is not set.", "Name the partnership to preview, e.g. `partnership: riverside`.", key="extra.safeguide.partnership")
        )
    return value


def variant_of(config: MkDocsConfig) -> Variant:
    variant = config.extra.get("build")
    if not isinstance(variant, Variant):
        raise SafeguideError(Problem("mkdocs.yml", "the safeguide hooks are listed in the wrong order.", "List hooks/partnership.py first."))
    return variant


def configure(config: MkDocsConfig) -> MkDocsConfig:
    project = Project.at(Path(config.config_file_path).parent, Path(config.docs_dir))
    variant = load_variant(project, settings(config)["partnership"])
    partnership = variant.partnership
    config.extra["build"] = variant
    config.site_name = partnership.name
    config.site_description = partnership.description or f"Information-sharing guidance from {partnership.name}"
    config.extra_css.insert(0, BRAND_CSS)
    if partnership.brand.logo:
        logo = LOGO_STEM + Path(partnership.brand.logo).suffix.lower()
        config.theme["logo"] = logo
        config.theme["favicon"] = logo
    if config.nav is not None:
        config.nav = _nav_for(config.nav, set(partnership.exclude), variant.added_pages)
        variant.chapters = chapters.numbers_from_nav(config.nav, settings(config).get("chapters", DEFAULT_CHAPTERS))
        variant.modules = modules.modules_from_nav(config.nav, settings(config).get("modules", DEFAULT_MODULES))
    return config


def _nav_for(nav: list[Any], excluded: set[str], added: list[str]) -> list[Any]:
    """The baseline's navigation without left-out pages, and with added local pages in their own section."""

    def prune(items: list[Any]) -> list[Any]:
        kept = []
        for item in items:
            if isinstance(item, str):
                if item not in excluded:
                    kept.append(item)
            elif isinstance(item, dict):
                title, target = next(iter(item.items()))
                if isinstance(target, list):
                    target = prune(target)
                    if target:
                        kept.append({title: target})
                elif target not in excluded:
                    kept.append(item)
        return kept

    result = prune(nav)
    if added:
        result.append({LOCAL_SECTION: list(added)})
    return result


def files(files: Files, config: MkDocsConfig) -> Files:
    """Swap in the overlay, drop left-out pages, and add the partnership's stylesheet and logo."""
    variant = variant_of(config)
    for uri in variant.partnership.exclude:
        if (existing := files.get_file_from_path(uri)) is not None:
            files.remove(existing)
    for uri, path in variant.overlay.items():
        if (existing := files.get_file_from_path(uri)) is not None:
            files.remove(existing)
        files.append(File(uri, str(variant.folder / "docs"), config.site_dir, config.use_directory_urls))
    for uri in variant.flow_uris().values():  # flow files are data: the pages show them, the site does not copy them
        if (existing := files.get_file_from_path(uri)) is not None:
            files.remove(existing)
    brand = variant.partnership.brand
    css = branding.stylesheet(brand.primary, brand.accent or brand.primary)
    files.append(File.generated(config, BRAND_CSS, content=css))
    if brand.logo:
        logo_path = variant.folder / brand.logo
        files.append(File.generated(config, LOGO_STEM + logo_path.suffix.lower(), abs_src_path=str(logo_path)))
    return files


def render_page(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Contacts, slots and flows filled in; abbreviations from the glossary defined for Markdown's abbr."""
    variant = variant_of(config)
    rendered = content.render(variant, markdown, variant.shown_as(page.file.src_uri), lambda target: _link(target, page, files))
    return rendered + glossary.abbreviation_definitions(variant.glossary)


def finish_page(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Chapter and section numbers, the reviewed/follows line, in-page contents, reachable abbreviations."""
    variant = variant_of(config)
    uri = page.file.src_uri
    number = variant.chapters.get(uri)
    contents = ""
    if number is not None:
        html, sections = chapters.number_sections(html, number)
        page.title = f"{number}. {page.title}"
        _number_toc(page.toc, number, {s.id: s.number for s in sections})
        contents = chapters.contents_html(sections, "In this chapter")
    sources_page = files.get_file_from_path(SOURCES_PAGE)
    facts = chapters.facts_html(
        variant.page_meta.get(uri),
        variant.sources,
        get_relative_url(sources_page.url, page.url) if sources_page and uri != SOURCES_PAGE else None,
        variant.partnership.name if uri in variant.overlay else None,
    )
    if any(m.uri == uri for m in variant.modules):
        facts = modules.progress_html(variant.modules, uri, lambda target: _link(target, page, files), variant.heading_of) + facts
    html = chapters.insert_after_title(html, facts, contents)
    return glossary.focusable_abbreviations(html)


def _link(target: str, page: Page, files: Files) -> str:
    """A page path (with an optional #section), as a URL from `page`."""
    path, _, anchor = target.partition("#")
    file = files.get_file_from_path(path)
    url = get_relative_url(file.url, page.url) if file is not None else path
    return url + (f"#{anchor}" if anchor else "")


def record_anchors(html: str, page: Page, config: MkDocsConfig) -> str:
    variant_of(config).anchors[page.file.src_uri] = set(chapters.ID.findall(html))
    return html


def check_flow_links(config: MkDocsConfig) -> None:
    """Every flow step's guidance link leads to a section that exists (known only once every page is built)."""
    variant = variant_of(config)
    problems = []
    for flow_id, flow in variant.flows.items():
        for name, step in flow.steps.items():
            page, _, anchor = (step.guidance or "").partition("#")
            ids = variant.anchors.get(page)
            if anchor and ids is not None and anchor not in ids:
                doc = variant.flow_docs.get(flow_id)
                problems.append(
                    Problem(
                        variant.flow_files[flow_id],
                        f"step '{name}': its guidance link goes to '#{anchor}', but {page} has no section with that id.",
                        f"Use the id of a heading in {page} (written like {{#q-purpose}} after the heading), or give a heading that id.",
                        doc.line_of(("steps", name, "guidance")) if doc else None,
                        f"steps.{name}.guidance",
                    )
                )
    if problems:
        raise SafeguideError(problems)


def _number_toc(toc: TableOfContents, chapter: int, numbers: dict[str, str]) -> None:
    for title_item in toc:
        title_item.title = f"{chapter}. {title_item.title}"
        for item in title_item.children:
            if item.id in numbers:
                item.title = f"{numbers[item.id]} {item.title}"


def watch(server: Any, config: MkDocsConfig) -> None:
    """`mkdocs serve` also rebuilds when the partnership's own files change."""
    server.watch(str(variant_of(config).folder))
