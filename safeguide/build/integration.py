"""The MkDocs side of a build: what the hooks in hooks/ call.

Per-build state is a `Build` (safeguide.build.state), kept on the build's own config (`config.extra["build"]`),
never in module globals: MkDocs keeps hook modules alive between builds in one process.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import material
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils import get_relative_url

from safeguide.build import html_check, snippets, theme_files
from safeguide.build.errors import reported
from safeguide.build.state import Build
from safeguide.core import colours as branding
from safeguide.core import nav as nav_data
from safeguide.core import old_versions, review
from safeguide.core import releases as versions
from safeguide.core.changes import page_record
from safeguide.core.problems import Problem, SafeguideError
from safeguide.core.variants import LOCAL_SECTION, Project, Variant, load_variant, working_reader
from safeguide.render import chapters, environment, glossary, numbering, progress, review_page, urgent, version_pages
from safeguide.render import page_content as content
from safeguide.render.whole_guidance import PAGE as WHOLE_GUIDANCE_PAGE

BRAND_CSS = "assets/partnership/brand.css"
LOGO_STEM = "assets/partnership/logo"
SOURCES_PAGE = "sources.md"
DEFAULT_CHAPTERS = "Guidance"
DEFAULT_MODULES = "Learn"
MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"


@reported
def settings(config: MkDocsConfig) -> dict[str, Any]:
    """`extra.safeguide` in mkdocs.yml: which partnership this build is for."""
    value = config.extra.get("safeguide") or {}
    if not isinstance(value, dict) or not value.get("partnership"):
        raise SafeguideError(
            Problem(config.config_file_path or "mkdocs.yml", "extra.safeguide.partnership is not set.", "Name the partnership to preview, e.g. `partnership: riverside`.", key="extra.safeguide.partnership")
        )
    return value


@reported
def build_of(config: MkDocsConfig) -> Build:
    """This build's state (set by `configure`). Raises SafeguideError if hooks/partnership.py did not run first."""
    build = config.extra.get("build")
    if not isinstance(build, Build):
        raise SafeguideError(Problem("mkdocs.yml", "the safeguide hooks are listed in the wrong order.", "List hooks/partnership.py first."))
    return build


def variant_of(config: MkDocsConfig) -> Variant:
    """The partnership this build is for, as loaded and checked."""
    return build_of(config).variant


@reported
def configure(config: MkDocsConfig) -> MkDocsConfig:
    build = _load_edition(config)
    variant, edition = build.variant, build.edition
    build.templates = environment.templates(config.theme.custom_dir)  # overrides/safeguide/ replaces the package's templates
    theme_files.use_theme_loader(config.theme)  # theme listed and compiled once per process
    partnership = variant.partnership
    config.extra["build"] = build
    # Material's templates print these without autoescape (MkDocs' theme environment has it off), in
    # <title>, the header, the drawer and <meta name="description">: hand them over already escaped.
    config.site_name = escape(partnership.name)
    config.site_description = escape(partnership.description or f"Information-sharing guidance from {partnership.name}")
    config.extra_css.insert(0, BRAND_CSS)
    config.markdown_extensions.append(numbering.ChapterNumbers())  # type: ignore[arg-type]  # MkDocs takes Extension instances too; every page's Markdown numbers chapters: expect_page
    snippets.configure_snippets(config, variant.project.docs_dir, variant.folder)  # includes: baseline and own folder only
    if partnership.brand.logo:
        logo = LOGO_STEM + Path(partnership.brand.logo).suffix.lower()
        config.theme["logo"] = logo
        config.theme["favicon"] = logo
    if config.nav is not None:
        config.nav = _nav_for(config.nav, set(partnership.exclude), variant.added_pages)
        config.nav = version_pages.nav_with_version_pages(config.nav, edition, settings(config).get("versions_section", version_pages.DEFAULT_SECTION))
        build.chapters = nav_data.numbers_from_nav(config.nav, settings(config).get("chapters", DEFAULT_CHAPTERS))
        build.modules = nav_data.modules_from_nav(config.nav, settings(config).get("modules", DEFAULT_MODULES))
    return config


def _load_edition(config: MkDocsConfig) -> Build:
    """The build's state for the edition this build is for: a frozen release (extra.safeguide.release) or the
    working copy. The partnership is loaded here, unless the caller loaded it already and handed it over as
    extra.safeguide.loaded (safeguide.site.publish: one load per worker, shared by the site and its offline copy)."""
    wanted = settings(config)
    root = Path(config.config_file_path).parent
    partnership_id = str(wanted["partnership"])
    past = versions.history(root, partnership_id)
    release = wanted.get("release")
    loaded = wanted.get("loaded")
    if release:
        frozen = next((f for f in past if f.version == str(release)), None)
        if frozen is None:
            raise SafeguideError(Problem(f"partnerships/{partnership_id}/releases", f"there is no release '{release}'.", f"Releases: {', '.join(f.version for f in past) or 'none yet'}."))
        config.docs_dir = str(frozen.docs_dir)
        nav = frozen.nav()
        if nav is not None:
            config.nav = nav
        if not isinstance(loaded, Variant):  # the site's reader settings, not the frozen text's
            loaded = load_variant(Project.at(root, frozen.docs_dir), partnership_id, folder=frozen.partnership_dir, reader=working_reader(Project.at(root), partnership_id))
        edition = versions.Edition(frozen.version, "release", past)
        newest = old_versions.newest_of(edition.latest, root) if edition.is_outdated and edition.latest is not None else None  # old links lead to current numbers
        return Build(loaded, edition, source_nav=copy.deepcopy(config.nav), newest=newest)
    variant = loaded if isinstance(loaded, Variant) else load_variant(Project.at(root, Path(config.docs_dir)), partnership_id)
    edition, _ = versions.working_edition(root, Path(config.docs_dir), partnership_id, variant.partnership.version, config.nav, past)
    return Build(variant, edition, source_nav=copy.deepcopy(config.nav))


def _nav_for(nav: list[Any], excluded: set[str], added: list[str]) -> list[Any]:
    """The baseline's navigation without left-out pages, and with added local pages in their own section."""

    def prune(items: list[Any]) -> list[Any]:
        kept: list[Any] = []
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


@reported
def files(files: Files, config: MkDocsConfig) -> Files:
    """Swap in the overlay, drop left-out pages, and add the partnership's stylesheet and logo. The site's
    overrides of the package's templates (overrides/safeguide/) are read by the build, not published."""
    build = build_of(config)
    variant, edition = build.variant, build.edition
    if config.theme.custom_dir:
        overrides = Path(config.theme.custom_dir).resolve() / environment.OVERRIDE_FOLDER
        for file in [f for f in files if f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(overrides)]:
            files.remove(file)
    for uri in variant.partnership.exclude:
        if (existing := files.get_file_from_path(uri)) is not None:
            files.remove(existing)
    for uri in variant.overlay:
        if (existing := files.get_file_from_path(uri)) is not None:
            files.remove(existing)
        files.append(File(uri, str(variant.folder / "docs"), config.site_dir, config.use_directory_urls))
    for uri in variant.flow_uris().values():  # flow files are data: the pages show them, the site does not copy them
        if (existing := files.get_file_from_path(uri)) is not None:
            files.remove(existing)
    for uri in version_pages.generated_pages(edition):
        if files.get_file_from_path(uri) is not None:
            raise SafeguideError(Problem(variant.shown_as(uri), f"{uri} is a page safeguide makes itself.", "Rename this page."))
    files.append(File.generated(config, version_pages.HISTORY_PAGE, content=version_pages.history_markdown(edition, templates=build.templates)))
    files.append(File.generated(config, version_pages.CHANGES_PAGE, content=version_pages.changes_markdown(edition)))
    if edition.is_draft:
        files.append(File.generated(config, version_pages.REVIEW_PAGE, content="# Review report\n"))
    brand = variant.partnership.brand
    css = branding.stylesheet(brand.primary, brand.accent or brand.primary)
    files.append(File.generated(config, BRAND_CSS, content=css))
    if brand.logo:
        logo_path = variant.folder / brand.logo
        files.append(File.generated(config, LOGO_STEM + logo_path.suffix.lower(), abs_src_path=str(logo_path)))
    return files


@reported
def render_page(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Contacts, slots and flows filled in; abbreviations from the glossary defined for Markdown's abbr."""
    build = build_of(config)
    variant = build.variant
    rendered = content.render(variant, markdown, variant.shown_as(page.file.src_uri), lambda target: _link(target, page, files), edition=build.edition, templates=build.templates, contacts_shown=build.contacts_shown)
    return rendered + glossary.abbreviation_definitions(variant.glossary)


@reported
def expect_page(page: Page, config: MkDocsConfig) -> None:
    """Before MkDocs converts `page`'s Markdown: tell the build's numbering (safeguide.render.numbering) which
    chapter it is, if it is one, so that its title and sections are numbered in the Markdown tree."""
    uri = page.file.src_uri
    _numbering(config).expect(uri, build_of(config).chapters.get(uri))


def _numbering(config: MkDocsConfig) -> numbering.ChapterNumbers:
    """The build's numbering, listed in its markdown_extensions by `configure`."""
    return next(e for e in config.markdown_extensions if isinstance(e, numbering.ChapterNumbers))


@reported
def finish_page(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The page title and table of contents numbered like the page (numbered in the Markdown tree: see
    expect_page), the reviewed/follows line, in-page contents, reachable abbreviations."""
    build = build_of(config)
    variant = build.variant
    uri = page.file.src_uri
    number = build.chapters.get(uri)
    contents = ""
    if number is not None:
        sections = _numbering(config).sections_of(uri)
        page.title = f"{number}. {page.title}"
        _number_toc(page.toc, number, {s.id: s.number for s in sections})
        contents = chapters.contents_html(sections, "In this chapter", templates=build.templates)
    sources_page = files.get_file_from_path(SOURCES_PAGE)
    facts = chapters.facts_html(
        variant.page_meta.get(uri),
        variant.sources,
        get_relative_url(sources_page.url, page.url) if sources_page and uri != SOURCES_PAGE else None,
        variant.partnership.name if uri in variant.overlay else None,
        templates=build.templates,
    )
    if any(m.uri == uri for m in build.modules):
        facts = progress.progress_html(build.modules, uri, lambda target: _link(target, page, files), lambda uri: content.heading_of(variant, uri), templates=build.templates) + facts
    html = chapters.insert_after_title(html, facts, contents)
    return glossary.focusable_abbreviations(html)


def _link(target: str, page: Page, files: Files) -> str:
    """A page path (with an optional #section), as a URL from `page`."""
    path, _, anchor = target.partition("#")
    file = files.get_file_from_path(path)
    url = get_relative_url(file.url, page.url) if file is not None else path
    return url + (f"#{anchor}" if anchor else "")


@reported
def record_anchors(html: str, page: Page, config: MkDocsConfig) -> str:
    """Keep the ids `page` has, which MkDocs collected while converting it (in its text and its raw HTML)."""
    build_of(config).anchors[page.file.src_uri] = set(page.present_anchor_ids or ())
    return html


@reported
def check_flow_links(config: MkDocsConfig) -> None:
    """Every flow step's guidance link leads to a section that exists (known only once every page is built)."""
    build = build_of(config)
    variant = build.variant
    problems = []
    for flow_id, flow in variant.flows.items():
        for name, step in flow.steps.items():
            page, _, anchor = (step.guidance or "").partition("#")
            ids = build.anchors.get(page)
            if anchor and ids is not None and anchor not in ids:
                doc = variant.flow_docs.get(flow_id)
                problems.append(
                    Problem(
                        variant.flow_files[flow_id],
                        f"step '{name}': its guidance link goes to '#{anchor}', but {page} has no section with that id.",
                        f"Use the id of a heading in {page} (written like {{#q-purpose}} after the heading), or give a heading that id.",
                        doc.line_of(("steps", name, "guidance")) if doc else None,
                        f"steps.{name}.guidance",
                        kind="link",
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


@reported
def watch(server: Any, config: MkDocsConfig) -> None:
    """`mkdocs serve` also rebuilds when the partnership's own files change."""
    server.watch(str(variant_of(config).folder))


# --- versions: the text of each page, "What changed", the review report and the banner ---------------


@reported
def record_nav(nav: Any, config: MkDocsConfig) -> None:
    build_of(config).nav_order = [p.file.src_uri for p in nav.pages]


@reported
def record_text(html: str, page: Page, config: MkDocsConfig) -> str:
    """Keep each page's finished text: "What changed" compares it with the previous release's."""
    build = build_of(config)
    uri = page.file.src_uri
    if _approved_texts(build) is not None:
        return html  # a release: its text as approved is stored with it
    if uri not in version_pages.generated_pages(build.edition) and uri != WHOLE_GUIDANCE_PAGE:  # made from the others
        build.page_texts[uri] = page_record(page.title or "", page.url, html)
    return html


def _approved_texts(build: Build) -> dict[str, dict[str, Any]] | None:
    """A release's pages as they were built when it was approved (its pages.json), or None for a draft or a release
    made before safeguide stored them. "What changed" then compares approved text with approved text, whatever
    this version of safeguide would make of the same pages."""
    this = build.edition.this_release
    return this.pages if this is not None and this.pages else None


def page_texts(build: Build) -> dict[str, dict[str, Any]]:
    """Every page's text, in menu order: as approved for a release that stores it, else as built."""
    order = {uri: i for i, uri in enumerate(build.nav_order)}
    texts = _approved_texts(build) or build.page_texts
    return dict(sorted(texts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))


@reported
def finish_version_pages(env: Any, config: MkDocsConfig, files: Files) -> None:
    """Once every page is built: fill in "What changed" and the review report, put a change note under the
    title of each page that changed (after its text was recorded, so "What changed" never sees the note),
    explain the feed on the version history page, and give templates the banner."""
    build = build_of(config)
    variant, edition = build.variant, build.edition
    compared = version_pages.changes_since_previous(edition, page_texts(build))  # once: "What changed" and the notes
    changes = files.get_file_from_path(version_pages.CHANGES_PAGE)
    if changes is not None and changes.page is not None:
        changes.page.content = (changes.page.content or "") + version_pages.changes_html(edition, compared, changes.page.url, templates=build.templates)
        if variant.reader.change_notes:
            pages = {f.src_uri: f.page for f in files.documentation_pages() if f.page is not None}
            version_pages.with_change_notes(edition, compared, pages, changes.page.url, templates=build.templates)
    history_file = files.get_file_from_path(version_pages.HISTORY_PAGE)
    if variant.reader.updates and edition.history and history_file is not None and history_file.page is not None:
        version_pages.add_updates_section(history_file.page, config.site_url, templates=build.templates)
    report = files.get_file_from_path(version_pages.REVIEW_PAGE)
    if report is not None and report.page is not None:
        findings = review.findings_for(variant, edition, nav=build.source_nav)
        report.page.content = (report.page.content or "") + review_page.report_html(variant, edition, findings, templates=build.templates)
    # page is None on 404.html: its notice's link is then relative to the version's folder (main.html applies `url`).
    env.globals["sg_banner"] = lambda page: version_pages.banner(edition, page.url if page else "", page.file.src_uri if page and page.file else None)
    env.globals["sg_replaced"] = lambda page: version_pages.replaced_notice(edition, page.file.src_uri if page and page.file else None)


@reported
def finish_output(output: str, page: Page, config: MkDocsConfig) -> str:
    """The finished HTML of a page (after its text is recorded for "What changed"): the urgent page opens
    with who to call now (safeguide.render.urgent); on a replaced release, numbers the newest release no longer
    lists are not links (safeguide.core.old_versions)."""
    build = build_of(config)
    newest = build.newest
    if page.file.src_uri == urgent.URGENT_PAGE:
        output = urgent.with_call_now(output, call_now_panel(build))
    if newest is not None:
        contacts_url = version_pages.to_version(page.url, newest.version, newest.url_of(old_versions.CONTACTS_PAGE, "contacts/"))
        output = old_versions.mark_replaced(output, newest.numbers, contacts_url)
    return output


def call_now_panel(build: Build) -> str:
    """The urgent page's "Who to call now" (safeguide.render.urgent); a replaced release's gives the newest release's numbers."""
    variant, newest = build.variant, build.newest
    if newest is not None:
        return urgent.call_now_html(newest.emergency, newest.urgent, f"Numbers from the current version ({newest.version}).", templates=build.templates)
    return urgent.call_now_html(variant.contacts.get("emergency"), variant.urgent_contacts(), templates=build.templates)


@reported
def write_page_texts(config: MkDocsConfig) -> None:
    """For `safeguide release`: the built text of every page, stored with the release."""
    target = settings(config).get("texts_out")
    if target:
        Path(target).write_text(json.dumps(page_texts(build_of(config)), ensure_ascii=False), encoding="utf-8")


# --- output safety: front matter escaped for the theme, and a check over the built HTML -------------


@reported
def escape_front_matter(page: Page) -> None:
    """Every text value of a page's front matter, escaped: Material prints page.meta.title, description,
    author and others without autoescape, in <title>, the header, the navigation and <meta> tags."""
    page.meta = {key: escape(value) if isinstance(value, str) else value for key, value in page.meta.items()}


@reported
def check_built_html(config: MkDocsConfig) -> None:
    """Fail the build if any built page runs a script we did not ship or loads from another host (safeguide.build.html_check)."""
    build = build_of(config)
    variant = build.variant
    custom_dir = config.theme.custom_dir
    allowed = html_check.allowed_for(MATERIAL_TEMPLATES, Path(custom_dir) if custom_dir else None, config.extra_javascript, config.site_url)
    findings = html_check.check_site(Path(config.site_dir), allowed)
    if findings:
        built_from = {_built_path(record["url"]): uri for uri, record in page_texts(build).items()}
        raise SafeguideError(html_check.problems(findings, lambda built: variant.shown_as(built_from.get(built, built))))


def _built_path(url: str) -> str:
    """A page's URL ("contacts/", "") as the file MkDocs writes ("contacts/index.html", "index.html")."""
    return url + "index.html" if url == "" or url.endswith("/") else url
