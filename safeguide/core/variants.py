"""One partnership's variant of the baseline: its settings, overlay pages, slots and contacts, checked together.

`load_variant` gathers every problem before failing, so a policy officer sees the whole list at once.
"""

from __future__ import annotations

import dataclasses
import difflib
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jinja2

from safeguide.core import logos, page_language, page_rules, training_blocks
from safeguide.core.flows import STEP_NAME, Flow, load_flow_document
from safeguide.core.loading import (
    PAGE_LIMIT,
    Key,
    YamlDocument,
    deep_indents,
    read_front_matter,
    read_text,
    read_yaml,
    validate,
)
from safeguide.core.models import (
    PARTNERSHIP_ID,
    Baseline,
    Contact,
    Glossary,
    GlossaryEntry,
    PageMeta,
    Partnership,
    Reader,
    Source,
    Sources,
)
from safeguide.core.problems import Problem, SafeguideError, display_path

BASELINE_DATA = "_data/baseline.yml"
SOURCES_DATA = "_data/sources.yml"
GLOSSARY_DATA = "_data/glossary.yml"
FLOWS_FOLDER = "flows/"  # flow files (flows/<id>.yml) sit beside the pages that show them
LOCAL_SECTION = "Local information"
SLOT_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class Project:
    """The folders a safeguide project is made of."""

    root: Path
    docs_dir: Path

    @classmethod
    def at(cls, root: Path, docs_dir: Path | None = None) -> Project:
        root = root.resolve()
        return cls(root, (docs_dir or root / "docs").resolve())

    @property
    def partnerships_dir(self) -> Path:
        return self.root / "partnerships"

    def show(self, path: Path) -> str:
        return display_path(path, self.root)

    def partnership_ids(self) -> list[str]:
        if not self.partnerships_dir.is_dir():
            return []
        return sorted(p.name for p in self.partnerships_dir.iterdir() if (p / "partnership.yml").is_file())

    @cached_property
    def baseline_files(self) -> dict[str, Path]:
        """Every file of the baseline by its path in the site, data files left out (walked once per build)."""
        return _files_under(self.docs_dir, skip_prefix="_data/")

    def load_baseline(self) -> Baseline:
        path = self.docs_dir / BASELINE_DATA
        return validate(Baseline, read_yaml(path, self.show(path)))

    def load_sources(self) -> dict[str, Source]:
        path = self.docs_dir / SOURCES_DATA
        return validate(Sources, read_yaml(path, self.show(path))).root

    def load_glossary(self) -> list[GlossaryEntry]:
        path = self.docs_dir / GLOSSARY_DATA
        return sorted(validate(Glossary, read_yaml(path, self.show(path))).root, key=lambda e: e.term.lower())


@dataclass(frozen=True)
class SlotText:
    source: str
    shown_as: str


@dataclass(frozen=True)
class Variant:
    """One partnership's guidance, loaded and cross-checked by `load_variant`: the baseline with the
    partnership's settings, overlay pages, slots and flows. Frozen: nothing changes it once loaded; what a
    build learns as it runs is kept on the build (safeguide.build.state.Build)."""

    project: Project
    id: str
    partnership: Partnership
    baseline: Baseline
    slots: Mapping[str, SlotText] = field(default_factory=dict)
    overlay: Mapping[str, Path] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(default_factory=dict)
    glossary: Sequence[GlossaryEntry] = ()
    page_meta: Mapping[str, PageMeta] = field(default_factory=dict)  # page -> its front matter, checked
    flows: Mapping[str, Flow] = field(default_factory=dict)
    flow_files: Mapping[str, str] = field(default_factory=dict)  # flow id -> the file as the user knows it
    flow_docs: Mapping[str, YamlDocument] = field(default_factory=dict)  # flow id -> its YAML, for line numbers
    source_folder: Path | None = None  # a release's frozen copy of the partnership's folder
    reader: Reader = field(default_factory=Reader)  # reader features in effect: the working copy's (models.Reader)

    @property
    def folder(self) -> Path:
        return self.source_folder or self.project.partnerships_dir / self.id

    @cached_property
    def jinja(self) -> jinja2.Environment:
        return page_language.environment()

    @cached_property
    def contacts(self) -> dict[str, Contact]:
        return {**self.baseline.national_contacts, **self.partnership.contacts}

    @cached_property
    def files(self) -> dict[str, Path]:
        """The variant's files by site path: baseline, less what is left out, overlaid."""
        merged = {uri: p for uri, p in self.project.baseline_files.items() if uri not in self.partnership.exclude}
        merged.update(self.overlay)
        return merged

    @property
    def added_pages(self) -> list[str]:
        baseline = self.project.baseline_files
        return sorted(uri for uri in self.overlay if uri.endswith(".md") and uri not in baseline)

    def shown_as(self, uri: str) -> str:
        return self.project.show(self.files[uri]) if uri in self.files else uri

    def urgent_contacts(self) -> list[tuple[str, Contact]]:
        return [(role, self.contacts[role]) for role in self.baseline.urgent if role in self.contacts]

    def directory_sections(self) -> list[tuple[str, dict[str, Contact]]]:
        local = self.partnership.contacts
        urgent = {role: local[role] for role in self.baseline.urgent if role in local}
        others = {role: c for role, c in local.items() if role not in urgent}
        return [
            ("Urgent local contacts", urgent),
            (f"Other {self.partnership.label} contacts", others),
            ("National numbers", dict(self.baseline.national_contacts)),
        ]

    def flow_uris(self) -> dict[str, str]:
        """Flow id -> site path of its file (flows/<id>.yml); a partnership's file replaces the baseline's."""
        return {
            posixpath.splitext(posixpath.basename(uri))[0]: uri
            for uri in sorted(self.files)
            if uri.startswith(FLOWS_FOLDER) and uri.endswith((".yml", ".yaml"))
        }

    def missing_flow(self, flow_id: str, shown_as: str, line: int | None = None) -> Problem:
        close = difflib.get_close_matches(flow_id, list(self.flows), n=1)
        fix = f"Did you mean '{close[0]}'?" if close else f"Add docs/{FLOWS_FOLDER}{flow_id}.yml, or use one of: {', '.join(self.flows) or 'none yet'}."
        return Problem(shown_as, f"this page shows the flow '{flow_id}', but there is no such flow.", fix, line=line, key=flow_id)

    def missing_role(self, role: str, shown_as: str, line: int | None = None) -> Problem:
        close = difflib.get_close_matches(role, list(self.contacts), n=1)
        hint = f" (or correct the page if you meant '{close[0]}')" if close else ""
        return Problem(
            shown_as,
            f"this {'flow' if shown_as.endswith(('.yml', '.yaml')) else 'page'} {USES_ROLE} '{role}', but {self.project.show(self.folder / 'partnership.yml')} has no such contact.",
            f"Add '{role}:' with a name and phone number under contacts{hint}.",
            line=line,
            key=role,
        )


USES_ROLE = "uses the contact role"  # in Variant.missing_role's message, which _missing_roles_once gathers


def _missing_roles_once(variant: Variant, line_of: Callable[[Key], int | None], problems: list[Problem]) -> list[Problem]:
    """`problems` with a contact role that several files use but partnership.yml lacks told once, first, at
    partnership.yml, naming the files; and where partnership.yml has a role spelt nearly the same, as a rename of it
    (its "no page uses" problem then goes). A new user's trial: renaming lado to ladoo in partnership.yml gave twelve
    problems against national pages, each suggesting the page be corrected, and the rename last."""
    missing: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.key and problem.message.startswith((f"this page {USES_ROLE} ", f"this flow {USES_ROLE} ")) and problem.key not in variant.contacts:
            missing.setdefault(problem.key, []).append(problem)
    config = variant.project.show(variant.folder / "partnership.yml")
    told: list[Problem] = []
    renamed: set[str] = set()
    for role, found in missing.items():
        close = difflib.get_close_matches(role, list(variant.partnership.contacts), n=1)
        if len(found) == 1 and not close:
            continue
        places = [f"{p.file}" + (f" line {p.line}" if p.line else "") for p in found]
        listed = "; ".join(places[:4]) + (f"; and {len(places) - 4} more" if len(places) > 4 else "")
        files = len({p.file for p in found})
        add = f"add '{role}:' under contacts with a name and a phone number, email or url"
        if close:
            renamed.add(f"contacts.{close[0]}")
            fix = f"If '{close[0]}:' (line {line_of(('contacts', close[0]))}) is this service, rename it to '{role}:'; otherwise {add}."
        else:
            fix = add[0].upper() + add[1:] + "."
        told.append(Problem(config, f"the contact role '{role}' is used in {files} file{'s' if files != 1 else ''} ({listed}), but this file has no such contact.",
                            fix, line_of(("contacts", close[0])) if close else line_of(("contacts",)), f"contacts.{role}"))
    if not told:
        return problems
    gathered = {id(p) for role, found in missing.items() for p in found if any(t.key == f"contacts.{role}" for t in told)}
    rest = [p for p in problems if id(p) not in gathered and not (p.key in renamed and p.message.startswith("no page uses"))]
    return told + rest


def _left_out_pages_once(variant: Variant, line_of: Callable[[Key], int | None], problems: list[Problem]) -> list[Problem]:
    """`problems` with a baseline page that partnership.yml leaves out (`exclude`) but pages or flows link to told
    once, first, at its exclude line: the flows' steps that link to it are named there instead of each step being told
    its page "is not a page of this site" (a new user's trial: `exclude: [urgent.md]` gave eight such problems, each
    suggesting another page, before the one that said urgent.md cannot be left out)."""
    told: list[Problem] = []
    taken: set[int] = set()
    for i, page in enumerate(variant.partnership.exclude):
        key = f"exclude[{i + 1}]"
        steps = [p for p in problems if p.file.endswith((".yml", ".yaml")) and f"its guidance page '{page}' is not a page of this site" in p.message]
        said = [p for p in problems if p.key == key and "cannot be left out" in p.message]
        if not steps and len(said) < 2:
            continue
        taken.update(id(p) for p in steps + said)
        places = "; ".join(f"{p.file} line {p.line}" if p.line else p.file for p in steps)
        flows = f"the flows link to it ({places})" if steps else ""
        if said:
            first = said[0]
            told.append(dataclasses.replace(first, message=first.message + (f" Also {flows}." if flows else "")))
        else:
            told.append(Problem(variant.project.show(variant.folder / "partnership.yml"), f"'{page}' cannot be left out: {flows}.",
                                f"Remove it from exclude, or put your own shorter version at docs/{page} in your folder.", line_of(("exclude", i)), key))
    return told + [p for p in problems if id(p) not in taken] if told else problems


def load_variant(project: Project, partnership_id: str, folder: Path | None = None, reader: Reader | None = None) -> Variant:
    """Load and cross-check everything one partnership's build needs; raise SafeguideError with every problem found.

    `folder` is the partnership's folder when it is not partnerships/<id>/: a release's frozen copy. `reader`
    replaces the reader settings of its partnership.yml (a release is shown with the working copy's).
    """
    source_folder = folder
    folder = folder or project.partnerships_dir / partnership_id
    config_path = folder / "partnership.yml"
    shown = project.show(config_path)
    if not PARTNERSHIP_ID.fullmatch(partnership_id):
        raise SafeguideError(
            Problem(project.show(folder), f"'{partnership_id}' cannot be a partnership id.", "Use lower-case letters, digits and dashes.")
        )
    if not config_path.is_file():
        known = ", ".join(project.partnership_ids()) or "none yet"
        raise SafeguideError(
            Problem(shown, f"there is no partnership '{partnership_id}'.", f"Known partnerships: {known}. Create one with `safeguide new {partnership_id} --name \"...\"`.")
        )

    problems: list[Problem] = []
    baseline = _collect(problems, project.load_baseline)
    sources = _collect(problems, project.load_sources)
    glossary = _collect(problems, project.load_glossary)
    document = _collect(problems, lambda: read_yaml(config_path, shown))
    partnership = document and _collect(problems, lambda: validate(Partnership, document, {"folder": folder}))
    overlay = _overlay_files(project, folder, problems)
    slots = _slot_texts(project, folder, problems)
    if baseline is None or partnership is None or document is None or sources is None or glossary is None:
        raise SafeguideError(problems)

    variant = Variant(
        project, partnership_id, partnership, baseline, slots, overlay, sources, tuple(merge_glossary(glossary, partnership.glossary)),
        source_folder=source_folder, reader=reader or partnership.reader,
    )
    flows, flow_docs, flow_files = _load_flows(variant, problems)
    variant = dataclasses.replace(variant, flows=flows, flow_docs=flow_docs, flow_files=flow_files)
    variant = dataclasses.replace(variant, page_meta=_cross_check(variant, document.line_of, problems))
    problems = _left_out_pages_once(variant, document.line_of, _missing_roles_once(variant, document.line_of, problems))
    if problems:
        raise SafeguideError(problems)
    return variant


def _collect(problems: list[Problem], load):  # type: ignore[no-untyped-def]
    try:
        return load()
    except SafeguideError as e:
        problems.extend(e.problems)
        return None


def _files_under(folder: Path, skip_prefix: str = "") -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    found = {}
    for path in folder.rglob("*"):
        uri = path.relative_to(folder).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts) and not (skip_prefix and uri.startswith(skip_prefix)):
            found[uri] = path
    return found


def _overlay_files(project: Project, folder: Path, problems: list[Problem]) -> dict[str, Path]:
    files = _files_under(folder / "docs")
    for uri, path in list(files.items()):
        if not path.resolve().is_relative_to(folder.resolve()):
            problems.append(
                Problem(project.show(path), f"this file is a link to {project.show(path.resolve())}, outside the partnership's folder.", "Copy the file into the folder instead of linking to it.")
            )
            del files[uri]
    return files


def _slot_texts(project: Project, folder: Path, problems: list[Problem]) -> dict[str, SlotText]:
    slots = {}
    for path in sorted((folder / "slots").glob("*")) if (folder / "slots").is_dir() else []:
        shown = project.show(path)
        if path.name.startswith("."):
            continue
        if path.suffix != ".md" or not SLOT_NAME.fullmatch(path.stem):
            problems.append(Problem(shown, "slot files must be named after their slot, like escalation.md.", "Rename the file: lower-case letters, digits, dashes and underscores, ending .md."))
        elif not path.resolve().is_relative_to(folder.resolve()):
            problems.append(Problem(shown, f"this file is a link to {project.show(path.resolve())}, outside the partnership's folder.", "Copy the file into the folder instead of linking to it."))
        else:
            text = _collect(problems, lambda: read_text(path, shown, PAGE_LIMIT))
            if text is not None:
                problems.extend(deep_indents(text, shown))
                slots[path.stem] = SlotText(text, shown)
    return slots


def _load_flows(variant: Variant, problems: list[Problem]) -> tuple[dict[str, Flow], dict[str, YamlDocument], dict[str, str]]:
    """The partnership's flows that load without problems: (flow, its YAML, its file as shown) by flow id; the
    problems of the others are added to `problems`."""
    flows: dict[str, Flow] = {}
    docs: dict[str, YamlDocument] = {}
    files: dict[str, str] = {}
    pages = [uri for uri in variant.files if uri.endswith(".md")]
    for flow_id, uri in variant.flow_uris().items():
        shown = variant.shown_as(uri)
        if not STEP_NAME.fullmatch(flow_id):
            problems.append(Problem(shown, f"'{flow_id}' cannot be a flow's name: it becomes part of web addresses.", "Rename the file using lower-case letters, digits and dashes, like who-to-tell.yml."))
            continue
        # Roles the baseline declares are valid in any flow; a partnership that lacks one is told so.
        roles = {*variant.contacts, *variant.baseline.roles}
        loaded = _collect(problems, lambda: load_flow_document(variant.files[uri], shown, roles, pages))
        if loaded is None:
            continue
        flow, doc = loaded
        missing = [
            variant.missing_role(role, shown, doc.line_of(("steps", name, "call", i)))
            for name, step in flow.steps.items()
            for i, role in enumerate(step.call)
            if role not in variant.contacts
        ]
        if missing:
            problems += missing
        else:
            flows[flow_id], docs[flow_id], files[flow_id] = flow, doc, shown
    return flows, docs, files


def _cross_check(variant: Variant, line_of: Callable[[tuple[str | int, ...]], int | None], problems: list[Problem]) -> dict[str, PageMeta]:
    """What only shows when partnership, baseline and pages are read together, added to `problems`; returns
    each page's checked front matter."""
    metas: dict[str, PageMeta] = {}
    project, partnership, baseline = variant.project, variant.partnership, variant.baseline
    shown = project.show(variant.folder / "partnership.yml")
    baseline_files = project.baseline_files

    for i, page in enumerate(partnership.exclude):
        if page in baseline.required_pages:
            problems.append(Problem(shown, f"'{page}' cannot be left out: every page links to it.", f"Remove it from exclude; to change it, put your own version at docs/{page} in your folder.", line_of(("exclude", i)), f"exclude[{i + 1}]"))
        elif page not in baseline_files:
            close = difflib.get_close_matches(page, list(baseline_files), n=1)
            fix = f"Did you mean '{close[0]}'?" if close else "List a page path from docs/, such as 'contacts.md'."
            problems.append(Problem(shown, f"'{page}' is not a baseline page, so it cannot be left out.", fix, line_of(("exclude", i)), f"exclude[{i + 1}]"))

    for role in partnership.contacts:
        if role in baseline.national_contacts:
            problems.append(Problem(shown, f"'{role}' is a national number that the baseline already provides.", "Remove it, or give your local service another role name.", line_of(("contacts", role)), f"contacts.{role}"))

    used_roles: set[str] = set()
    offered_slots: set[str] = set()
    rules = page_rules.Checker.of(project.docs_dir, variant.folder, project.root)  # what pages may include and contain
    flow_ids = variant.flow_uris()  # a flow with errors is already reported; a page showing it is not
    texts: dict[str, str] = {}
    for uri, path in sorted(variant.files.items()):
        if not uri.endswith(".md"):
            problems += logos.image_problems(path, project.show(path))  # an SVG opened on its own runs its script
            continue
        page_shown = project.show(path)
        text = _collect(problems, lambda: read_text(path, page_shown, PAGE_LIMIT))
        if text is None:
            continue
        problems += deep_indents(text, page_shown)
        texts[uri] = text
        meta = _collect(problems, lambda: page_meta(text, page_shown, variant.sources, baseline_page=uri not in variant.overlay))
        if meta is not None:
            metas[uri] = meta
        uses, found = page_language.scan(variant.jinja, text, page_shown)
        problems += found + training_blocks.check_page(text, page_shown)
        problems += rules.check(text, page_shown)
        for use in uses:
            if use.function == "slot":
                offered_slots.add(use.name)
            elif use.function in page_language.FLOW_FUNCTIONS:
                if use.name not in flow_ids:
                    problems.append(variant.missing_flow(use.name, page_shown, use.line))
            else:
                used_roles.add(use.name)
                if use.name not in variant.contacts:
                    problems.append(variant.missing_role(use.name, page_shown, use.line))
    for slot in variant.slots.values():
        uses, found = page_language.scan(variant.jinja, slot.source, slot.shown_as)
        problems += found + rules.check(slot.source, slot.shown_as)
        for use in uses:
            used_roles.add(use.name)
            if use.function in page_language.ROLE_FUNCTIONS and use.name not in variant.contacts:
                problems.append(variant.missing_role(use.name, slot.shown_as, use.line))

    for i, page in enumerate(partnership.exclude):
        linking = [uri for uri, text in sorted(texts.items()) if page in linked_pages(uri, text)]
        if linking:
            problems.append(
                Problem(
                    shown,
                    f"'{page}' cannot be left out: {', '.join(linking)} link{'s' if len(linking) == 1 else ''} to it.",
                    f"Remove it from exclude, or put your own shorter version at docs/{page} in your folder.",
                    line_of(("exclude", i)),
                    f"exclude[{i + 1}]",
                )
            )

    for name, slot in variant.slots.items():
        if name not in offered_slots:
            close = difflib.get_close_matches(name, sorted(offered_slots), n=1)
            fix = f"Rename it to {close[0]}.md?" if close else f"Slots the pages offer: {', '.join(sorted(offered_slots)) or 'none'}."
            problems.append(Problem(slot.shown_as, f"no page offers a slot called '{name}', so this text would never appear.", fix))

    for flow in variant.flows.values():
        used_roles.update(role for step in flow.steps.values() for role in step.call)
    known_roles = used_roles | set(baseline.roles)
    for role in partnership.contacts:
        if role not in known_roles and role not in baseline.national_contacts:
            close = difflib.get_close_matches(role, sorted(known_roles), n=1)
            fix = f"Did you mean '{close[0]}'?" if close else "Use it in a local page with {{ contact(\"" + role + "\") }}, or remove it."
            problems.append(Problem(shown, f"no page uses the contact role '{role}'.", fix, line_of(("contacts", role)), f"contacts.{role}"))
    return metas


MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s#>]+\.md)")


def linked_pages(uri: str, text: str) -> set[str]:
    """The pages a Markdown page links to, as paths in the site."""
    folder = posixpath.dirname(uri)
    return {posixpath.normpath(posixpath.join(folder, target)) for target in MARKDOWN_LINK.findall(text) if "://" not in target}


def merge_glossary(national: list[GlossaryEntry], local: list[GlossaryEntry]) -> list[GlossaryEntry]:
    """The national glossary with the partnership's own terms added; a local entry replaces a national one."""
    merged = {entry.term.lower(): entry for entry in national}
    merged.update((entry.term.lower(), entry) for entry in local)
    return sorted(merged.values(), key=lambda e: e.term.lower())


def page_meta(text: str, shown_as: str, sources: Mapping[str, Source], baseline_page: bool) -> PageMeta:
    """A page's front matter: every page says when it was last reviewed; baseline pages say what they follow."""
    example = "---\nreviewed: 2026-11-20\n" + ("follows: [info-sharing-2024]\n" if baseline_page else "") + "---"
    doc = read_front_matter(text, shown_as)
    if doc is None or doc.data is None:
        raise SafeguideError(
            Problem(shown_as, "this page does not say when it was last reviewed.", f"Add these lines at the very top of the page:\n{example}")
        )
    if not isinstance(doc.data, dict):
        raise SafeguideError(Problem(shown_as, "the front matter at the top of this page is not a list of settings.", f"Write it like this:\n{example}", line=2))
    problems = []
    if "reviewed" not in doc.data:
        problems.append(Problem(shown_as, "the front matter has no 'reviewed' date.", "Add 'reviewed: YYYY-MM-DD', the date the page was last checked.", line=1, key="reviewed"))
    if baseline_page and "follows" not in doc.data:
        problems.append(
            Problem(
                shown_as,
                "this baseline page does not say which national sources it follows.",
                "Add 'follows: [...]' with ids from docs/_data/sources.yml, or 'follows: []' if it rests on none.",
                line=1,
                key="follows",
            )
        )
    if problems:
        raise SafeguideError(problems)
    return validate(PageMeta, doc, {"sources": sources})


def roles_in_use(project: Project) -> dict[str, list[str]]:
    """Every local contact role the baseline pages use, with the pages that use each."""
    env = page_language.environment()
    found: dict[str, list[str]] = {}
    baseline = project.load_baseline()
    for uri, path in sorted(project.baseline_files.items()):
        if uri.endswith(".md"):
            uses, _ = page_language.scan(env, read_text(path, project.show(path), PAGE_LIMIT), uri)
            for use in uses:
                if use.function in page_language.ROLE_FUNCTIONS and use.name not in baseline.national_contacts:
                    found.setdefault(use.name, [])
                    if uri not in found[use.name]:
                        found[use.name].append(uri)
    for role in baseline.roles:
        found.setdefault(role, [])
    return found


def working_reader(project: Project, partnership_id: str) -> Reader:
    """The reader features the partnership's working partnership.yml turns on or off (models.Reader).

    A release is built from its frozen partnership.yml, but these settings are the site's, so every
    version follows the working copy. Raises SafeguideError if that file cannot be read or is invalid.
    """
    path = project.partnerships_dir / partnership_id / "partnership.yml"
    shown = project.show(path)
    return validate(Partnership, read_yaml(path, shown), {"folder": path.parent}).reader
