"""The policy group's review report: what needs attention before a partnership's next version.

One list of findings per partnership: the review date, superseded law and bodies, pages reviewed
before a source they follow changed, contacts and settings, broken links, local pages whose national
counterpart changed, and unreleased edits.
The same findings feed `safeguide review` (text or JSON) and the review page of a draft build.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from safeguide.core.dates import long_date
from safeguide.core.loading import (
    FRONT_MATTER,
    PAGE_LIMIT,
    parse_yaml,
    read_front_matter,
    read_text,
    read_yaml,
    validate,
)
from safeguide.core.models import Strict, SupersededRule, Text
from safeguide.core.problems import Problem, SafeguideError
from safeguide.core.releases import (
    DUE_SOON_DAYS,
    RELEASE_FILE,
    Edition,
    Frozen,
    differences,
    load_history,
    unsealed,
    working_edition,
    working_sources,
)
from safeguide.core.variants import (
    FLOWS_FOLDER,
    SOURCES_DATA,
    Project,
    Variant,
    load_variant,
)

KINDS = {
    "release": "Approved versions changed since approval",  # `review` exits non-zero: nothing can be published
    "digests": "Approved versions whose changes cannot be noticed",
    "review-date": "Review date",
    "superseded": "Superseded law and bodies",
    "source-changed": "Pages to check against a changed source",
    "settings": "Contacts and settings",
    "link": "Broken links",
    "baseline-changed": "National pages changed under local versions",
    "unreleased": "Unreleased changes",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    file: str | None = None
    line: int | None = None
    found: str | None = None  # superseded: the words as the page has them
    replacement: str | None = None
    since: str | None = None
    fix: str | None = None
    source: str | None = None  # source-changed: the id in docs/_data/sources.yml
    reviewed: str | None = None  # source-changed: the page's `reviewed:` date
    updated: str | None = None  # source-changed: the source's `updated:` date
    change: str | None = None  # source-changed: what changed, as sources.yml says
    key: str | None = None  # the setting, e.g. "steps.ask.guidance", where a problem names one

    def where(self) -> str:
        if not self.file:
            return ""
        return self.file + (f", line {self.line}" if self.line else "") + (f", {self.key}" if self.key else "")


@dataclass
class Report:
    id: str
    name: str
    working_version: str | None
    state: str  # draft (not released yet), released, edited (released, but its text has changed since), unreadable
    latest: dict[str, str] | None
    findings: list[Finding] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)  # approved versions that cannot be published until restored

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [{k: v for k, v in asdict(f).items() if v is not None} for f in self.findings]
        return data


SHIPPED_RULES = "safeguide/data/superseded.yml"


class RuleBook(Strict):
    history_words: list[Text] = []
    rules: list[SupersededRule]


def shipped_rules() -> RuleBook:
    text = resources.files("safeguide").joinpath("data/superseded.yml").read_text(encoding="utf-8")
    return validate(RuleBook, parse_yaml(text, SHIPPED_RULES))


# --- the findings --------------------------------------------------------------------------------


def overdue_since(edition: Edition, today: dt.date) -> dt.date | None:
    """The review date of the newest release when it has passed by `today`, for an edition that is that
    release (the rule `review_date` reports); None for a draft, a replaced release, or one not yet due."""
    latest = edition.latest
    if edition.is_draft or edition.is_outdated or latest is None or latest.release.review_due >= today:
        return None
    return latest.release.review_due


def review_date(edition: Edition, today: dt.date, project: Project, damaged: bool = False) -> list[Finding]:
    """Overdue or due soon (DUE_SOON_DAYS). `damaged`: approved versions exist but cannot be read, which
    the release findings report; they are not "nothing approved yet"."""
    latest = edition.latest
    if latest is None and damaged:
        return []
    if latest is None:
        return [Finding("review-date", "no version has been approved yet, so there is nothing published to review.", fix="Approve the draft with `safeguide release`.")]
    due, file = latest.release.review_due, project.show(latest.folder / RELEASE_FILE)
    days = (due - today).days
    if days < 0:
        return [Finding("review-date", f"the review of version {latest.version} was due on {due.isoformat()}, {-days} days ago.", file, fix="Review the guidance and approve a new version with `safeguide release`.")]
    if days <= DUE_SOON_DAYS:
        return [Finding("review-date", f"the review of version {latest.version} is due on {due.isoformat()}, in {days} days.", file, fix="Plan the review: this report lists what has changed since.")]
    return []


def _sentence(line: str, start: int, end: int) -> str:
    left = max(line.rfind(". ", 0, start), line.rfind("? ", 0, start), line.rfind("! ", 0, start))
    right = min((i for i in (line.find(". ", end), line.find("? ", end), line.find("! ", end)) if i >= 0), default=len(line))
    return line[left + 1 : right + 1]


RULE_SECONDS = 0.5  # what one superseded rule may spend on one report: real rules need milliseconds


def superseded(texts: dict[str, str], rules: list[SupersededRule], history_words: list[str], rule_file: Callable[[SupersededRule], str | None] = lambda rule: None) -> list[Finding]:
    """Every reference to superseded law or bodies, with file, line and what to write instead.

    A sentence that itself says the reference was replaced ("the DPA 1998 was repealed…") is history,
    not an error. Each rule's pattern runs with a time limit (RULE_SECONDS over all the texts): a pattern
    that needs longer, such as ^(\\w+\\s?)*$ on a long line, is stopped and reported as a finding of its
    own, in the file `rule_file` names, instead of running for ever.
    """
    marks = re.compile(r"\b(" + "|".join(re.escape(w) for w in history_words) + r")\b", re.IGNORECASE) if history_words else None
    found = []
    spent = dict.fromkeys(range(len(rules)), 0.0)
    lines = [(shown, number, line) for shown, text in texts.items() for number, line in _body_lines(shown, text)]
    for index, rule in enumerate(rules):
        pattern = rule.regex()
        for shown, number, line in lines:
            started = time.perf_counter()
            try:
                matches = list(pattern.finditer(line, timeout=max(RULE_SECONDS - spent[index], 0.001)))
            except TimeoutError:
                found.append(_too_slow(rule, rule_file(rule)))
                break
            spent[index] += time.perf_counter() - started
            for match in matches:
                if not match.group(0) or (marks and marks.search(_sentence(line, match.start(), match.end()))):
                    continue  # an empty match names nothing (a pattern like (\w+)* matches every blank line)
                found.append(
                    Finding(
                        "superseded",
                        f'"{match.group(0)}" is out of date: {rule.name} was replaced by {rule.now}' + (f" on {long_date(rule.since)}." if rule.since else "."),
                        shown,
                        number,
                        found=match.group(0),
                        replacement=rule.now,
                        since=rule.since.isoformat() if rule.since else None,
                        fix=f"Write {rule.now} instead." + (f" {rule.note}" if rule.note else ""),
                    )
                )
    order = {shown: i for i, shown in enumerate(texts)}
    return sorted(found, key=lambda f: (order.get(f.file or "", -1), f.line or 0))


def source_changed(variant: Variant, today: dt.date) -> list[Finding]:
    """Pages last reviewed before a source they follow changed: one finding per page and source.

    A page of the variant (national or local) names its sources in `follows:` and the day it was last
    checked in `reviewed:`; a source in docs/_data/sources.yml may give the day it last changed
    (`updated:`, an amendment or a new edition) and what changed (`change:`). A page whose `reviewed` is
    earlier than a followed source's `updated` may now be out of step with it, for example a page on lawful
    bases checked before the Data (Use and Access) Act 2025 added a seventh basis to Article 6 of the UK
    GDPR on 5 February 2026. A change dated after `today` (a planned new edition) counts from that day.
    Uses `variant.page_meta`, which `load_variant` fills; raises nothing.
    """
    found = []
    listed_in = variant.project.show(variant.project.docs_dir / SOURCES_DATA)
    for uri, meta in sorted(variant.page_meta.items()):
        for source_id in meta.follows:
            source = variant.sources.get(source_id)
            if source is None or source.updated is None or not meta.reviewed < source.updated <= today:
                continue
            shown = variant.shown_as(uri)
            found.append(
                Finding(
                    "source-changed",
                    f"this page was last reviewed on {long_date(meta.reviewed)}, but a source it follows changed after that. "
                    f"{source.short}, {long_date(source.updated)}: {source.change}",
                    shown,
                    _reviewed_line(variant, uri),
                    fix=f"Check the page against {_in_sentence(source.short)} as it now stands ({listed_in}, '{source_id}'), "
                    "correct it where needed, then set `reviewed:` to the date you checked it.",
                    source=source_id,
                    reviewed=meta.reviewed.isoformat(),
                    updated=source.updated.isoformat(),
                    change=source.change,
                )
            )
    return found


def _in_sentence(name: str) -> str:
    """A source's short name inside a sentence: "The eight Caldicott principles" -> "the eight …"."""
    return "t" + name[1:] if name.startswith("The ") else name


def _reviewed_line(variant: Variant, uri: str) -> int | None:
    """The line of a page's `reviewed:` key, counted from the top of the page."""
    path = variant.files.get(uri)
    if path is None:
        return None
    try:
        doc = read_front_matter(read_text(path, variant.shown_as(uri), PAGE_LIMIT), variant.shown_as(uri))
    except SafeguideError:
        return None
    return doc.line_of(("reviewed",)) if doc is not None else None


def _body_lines(shown: str, text: str) -> list[tuple[int, str]]:
    """A text's lines with their numbers, a page's front matter left out."""
    front = FRONT_MATTER.match(text) if shown.endswith(".md") else None
    skip_to = text[: front.end()].count("\n") if front else 0
    return [(number, line) for number, line in enumerate(text.splitlines(), 1) if number > skip_to]


def _too_slow(rule: SupersededRule, file: str | None) -> Finding:
    return Finding(
        "superseded",
        f"the superseded rule '{rule.name}' was stopped: its pattern takes too long to search the text "
        f"(more than {RULE_SECONDS:g} seconds), so this report cannot say where it is used.",
        file,
        fix="Simplify the pattern: the usual cause is a repeat inside a repeat, such as (\\w+\\s?)*. "
        "Or leave pattern out to find the name as written.",
    )


def texts_of(variant: Variant) -> dict[str, str]:
    """The text of every page, flow and slot of a variant, by the file as the user knows it."""
    texts = {}
    for uri, path in sorted(variant.files.items()):
        if uri.endswith(".md") or (uri.startswith(FLOWS_FOLDER) and uri.endswith((".yml", ".yaml"))):
            texts[variant.shown_as(uri)] = read_text(path, variant.shown_as(uri), PAGE_LIMIT)
    for slot in variant.slots.values():
        texts[slot.shown_as] = slot.source
    return texts


def rules_for(variant: Variant, book: RuleBook) -> list[SupersededRule]:
    return [*book.rules, *variant.partnership.superseded]


def rule_file_of(variant: Variant) -> Callable[[SupersededRule], str]:
    """Where a rule of `rules_for` comes from: the partnership's settings, or the rules safeguide ships."""
    local = variant.project.show(variant.folder / "partnership.yml")
    return lambda rule: local if rule in variant.partnership.superseded else SHIPPED_RULES


def baseline_changed(variant: Variant, latest: Frozen | None) -> list[Finding]:
    """Local pages replacing a national page that has changed since the last release."""
    if latest is None:
        return []
    found = []
    baseline = variant.project.baseline_files
    for uri, path in sorted(variant.overlay.items()):
        if uri not in baseline:
            continue
        then = latest.docs_dir / uri
        now = baseline[uri].read_bytes()
        if not then.is_file():
            message = f"the national baseline now has its own {uri}, which this local page replaces."
        elif then.read_bytes() != now:
            message = f"this local page replaces the national {uri}, which has changed since version {latest.version} was released."
        else:
            continue
        found.append(Finding("baseline-changed", message, variant.project.show(path), fix=f"Compare it with docs/{uri} and bring it up to date, or delete it to use the national text."))
    return found


def unreleased(variant: Variant, edition: Edition, nav: list[Any] | None) -> list[Finding]:
    latest = edition.latest
    working = working_sources(variant.project.root, variant.project.docs_dir, variant.id)
    if latest is None:
        return [Finding("unreleased", f"the working copy (version {variant.partnership.version}) has never been released.", fix="Approve it with `safeguide release`.")]
    diffs = differences(working, nav, latest)
    if not diffs:
        return []
    listed = ", ".join(f"{d.path} ({d.change})" for d in diffs[:8]) + (f" and {len(diffs) - 8} more" if len(diffs) > 8 else "")
    version = variant.partnership.version
    file = variant.project.show(variant.folder / "partnership.yml")
    if any(f.version == version for f in edition.history):
        return [
            Finding(
                "unreleased",
                f"version {version} is already released, but its text has changed since: {listed}. These edits are not published.",
                file,
                fix='Give the working copy a new version number (version: "…" in partnership.yml); it is then published as a draft until released.',
            )
        ]
    return [Finding("unreleased", f"draft version {version} differs from the published version {latest.version}: {listed}.", file, fix=f"When the group has approved it: safeguide release {variant.id} {version} --approved-by \"…\".")]


def published_superseded(variant: Variant, latest: Frozen | None, book: RuleBook) -> list[Finding]:
    """Superseded references still published in a release the working copy has moved on from."""
    if latest is None:
        return []
    try:
        frozen = load_variant(Project.at(variant.project.root, latest.docs_dir), variant.id, folder=latest.partnership_dir)
    except SafeguideError:
        return []
    found = []
    for f in superseded(texts_of(frozen), rules_for(frozen, book), book.history_words, rule_file_of(frozen)):
        found.append(Finding(f.kind, f"in published version {latest.version}, " + f.message, f.file, f.line, f.found, f.replacement, f.since, "It stays published until a new version is released: fix the working copy, then release it."))
    return found


def findings_for(variant: Variant, edition: Edition, today: dt.date | None = None, nav: list[Any] | None = None, damaged: bool = False) -> list[Finding]:
    """Everything this report checks without building the site."""
    today = today or dt.date.today()
    book = shipped_rules()
    found = review_date(edition, today, variant.project, damaged)
    found += superseded(texts_of(variant), rules_for(variant, book), book.history_words, rule_file_of(variant))
    found += source_changed(variant, today)
    latest = edition.latest
    if latest is not None and latest.version != variant.partnership.version:
        found += published_superseded(variant, latest, book)
    found += baseline_changed(variant, latest)
    if nav is not None:
        found += unreleased(variant, edition, nav)
    return found


def report_for(
    root: Path, partnership_id: str, today: dt.date, nav: list[Any] | None, build_problems: list[Problem] | None = None, loaded: Variant | SafeguideError | None = None
) -> Report:
    """The whole report for one partnership, from its working copy and its releases. `loaded` is the working
    copy as the caller already loaded it (or the error loading it gave), so that it is read once; None: load it here."""
    project = Project.at(root)
    past, damaged = load_history(root, partnership_id)
    releases = release_findings(past, damaged, partnership_id)
    latest = {"version": past[-1].version, "date": past[-1].release.date.isoformat(), "review_due": past[-1].release.review_due.isoformat(), "approved_by": past[-1].release.approved_by} if past else None
    good = {f.version for f in past}
    folder = project.partnerships_dir / partnership_id / "releases"
    unusable = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in good) if damaged and folder.is_dir() else []
    try:
        if isinstance(loaded, SafeguideError):
            raise loaded
        variant = loaded if loaded is not None else load_variant(project, partnership_id)
    except SafeguideError as e:
        report = Report(partnership_id, _name_as_written(project, partnership_id), None, "unreadable", latest, damaged=unusable)
        report.findings = releases + review_date(Edition("", "draft", past), today, project, bool(unusable)) + [
            Finding("settings", p.message, p.file, p.line, fix=p.fix or None, key=p.key) for p in e.problems
        ]
        return report
    version = variant.partnership.version
    edition, _ = working_edition(root, project.docs_dir, partnership_id, version, nav, past)
    state = {"draft": "draft", "release": "released", "edited": "edited"}[edition.kind]
    report = Report(partnership_id, variant.partnership.name, version, state, latest, damaged=unusable)
    report.findings = releases + findings_for(variant, edition, today, nav, bool(unusable))
    said = [str(p) for p in damaged]  # the build stopped on the same problems: list them once
    for problem in build_problems or []:
        if any(text in str(problem) for text in said):
            continue
        report.findings.append(Finding(problem.kind or "settings", problem.message, problem.file or None, problem.line, fix=problem.fix or None, key=problem.key))
    return report


def _name_as_written(project: Project, partnership_id: str) -> str:
    """The partnership's name from partnership.yml when the rest of its settings cannot be used; else its id."""
    try:
        data = read_yaml(project.partnerships_dir / partnership_id / "partnership.yml", partnership_id).data
    except SafeguideError:
        return partnership_id
    name = data.get("name") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else partnership_id


def release_findings(past: tuple[Frozen, ...], damaged: list[Problem], partnership_id: str) -> list[Finding]:
    """Files of approved versions that differ from what was approved (or cannot be read), and versions
    released before safeguide recorded digests (see safeguide.core.integrity)."""
    found = [Finding("release", p.message, p.file, p.line, fix=p.fix or None) for p in damaged]
    return found + [Finding("digests", p.message, p.file, fix=p.fix) for p in unsealed(past, partnership_id)]
