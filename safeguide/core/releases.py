"""Releases: approved versions frozen in a partnership's history, and drafts of the next one.

A release is a folder `partnerships/<id>/releases/<version>/` holding everything its text came from,
so that later edits to the baseline or the overlay never change it:

    release.yml      who approved it, when, the review date and a summary (the history entry)
    docs/            the national baseline as it was
    partnership/     the partnership's folder as it was (partnership.yml, logo, docs/ overlay, slots/)
    nav.yml          the baseline's navigation as it was
    pages.json       the text of every built page, for "What changed" in the next version
    SHA256SUMS       a digest of every file above, so that no change to them goes unnoticed (safeguide.core.integrity)
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import filecmp
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from typing_extensions import (
    TypedDict,  # pydantic reads typing.TypedDict only from Python 3.12
)

from safeguide.core import integrity
from safeguide.core.loading import MB, read_text, read_yaml, validate
from safeguide.core.models import VERSION, Date, RequiredText, Strict, Text
from safeguide.core.nav import NavError, checked_nav
from safeguide.core.problems import Problem, SafeguideError, display_path

RELEASES = "releases"
RELEASE_FILE = "release.yml"
PAGES_FILE = "pages.json"
NAV_FILE = "nav.yml"
DUE_SOON_DAYS = 60
T = TypeVar("T")


class Release(Strict):
    """partnerships/<id>/releases/<version>/release.yml: one entry of the version history."""

    version: RequiredText
    date: Date
    approved_by: RequiredText
    review_due: Date
    authors: list[RequiredText] = []
    summary: Text | None = None


@dataclass(frozen=True)
class Frozen:
    """One release on disk."""

    folder: Path
    release: Release
    shown: str  # the folder as the user knows it: partnerships/eastmoor/releases/4.0
    sealed: bool = True  # has its digests recorded (safeguide.core.integrity); older releases have not

    @property
    def version(self) -> str:
        return self.release.version

    @property
    def docs_dir(self) -> Path:
        return self.folder / "docs"

    @property
    def partnership_dir(self) -> Path:
        return self.folder / "partnership"

    def nav(self) -> list[Any] | None:
        """The baseline's navigation as it was (a copy: the build changes it); None if the release has none.

        Raises SafeguideError naming nav.yml (and its line) when it cannot be read."""
        return copy.deepcopy(self._nav)

    @cached_property
    def _nav(self) -> list[Any] | None:
        return read_nav(self.folder, self.shown)

    @cached_property
    def pages(self) -> dict[str, dict[str, Any]]:
        """Page path -> {"title", "url", "blocks"}: the release's text as built when it was approved.

        Raises SafeguideError naming pages.json (and its line) when it cannot be read."""
        return read_pages(self.folder, self.shown)


def read_nav(folder: Path, shown_folder: str) -> list[Any] | None:
    """A release's nav.yml, checked as MkDocs checks a nav; None if it has none.

    Raises SafeguideError naming the file (and line) and how to restore it."""
    path = folder / NAV_FILE
    if not path.is_file():
        return None
    shown = f"{shown_folder}/{NAV_FILE}"
    doc = _release_file(lambda: read_yaml(path, shown), shown)
    try:
        return checked_nav(doc.data)  # type: ignore[no-any-return]
    except NavError as e:
        raise SafeguideError(Problem(shown, f"this is not a menu MkDocs can use: {e}.", integrity.restore_fix(shown))) from None


def read_pages(folder: Path, shown_folder: str) -> dict[str, dict[str, Any]]:
    """A release's pages.json ({} if it has none), checked for the shape `changes.page_record` writes.

    Raises SafeguideError naming the file (and line) and how to restore it."""
    path = folder / PAGES_FILE
    if not path.is_file():
        return {}
    shown = f"{shown_folder}/{PAGES_FILE}"
    text = _release_file(lambda: read_text(path, shown, PAGES_LIMIT), shown)
    try:
        return {uri: dict(record) for uri, record in _PAGES.validate_python(json.loads(text)).items()}
    except json.JSONDecodeError as e:
        raise SafeguideError(Problem(shown, f"this is not valid JSON: {e.msg}.", integrity.restore_fix(shown), line=e.lineno)) from None
    except PydanticValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise SafeguideError(Problem(shown, f"this is not the text of a release's pages ({where}: {first['msg']}).", integrity.restore_fix(shown))) from None


class _PageRecord(TypedDict):
    title: str
    url: str
    blocks: list[str]


_PAGES = TypeAdapter(dict[str, _PageRecord])
PAGES_LIMIT = 64 * MB  # the text of every page; the demo's largest is 0.2 MB


def _release_file(read: Callable[[], T], shown: str) -> T:
    """What `read` returns; a problem it raises says how to restore the file."""
    try:
        return read()
    except SafeguideError as e:
        raise SafeguideError([dataclasses.replace(p, fix=integrity.restore_fix(shown)) for p in e.problems]) from None


@dataclass(frozen=True)
class Edition:
    """What one build is: an approved release, a draft of the working copy, or a working copy whose
    version is released but whose text has been edited since (`mkdocs serve` shows it)."""

    version: str
    kind: Literal["release", "draft", "edited"]
    history: tuple[Frozen, ...]  # every release, oldest first

    @property
    def is_draft(self) -> bool:
        return self.kind != "release"

    @property
    def latest(self) -> Frozen | None:
        return self.history[-1] if self.history else None

    @property
    def this_release(self) -> Frozen | None:
        return next((f for f in self.history if f.version == self.version), None) if not self.is_draft else None

    @property
    def is_outdated(self) -> bool:
        return not self.is_draft and self.latest is not None and self.latest.version != self.version

    @property
    def previous(self) -> Frozen | None:
        """The release this edition's "What changed" compares against."""
        if self.is_draft:
            return self.latest
        index = next(i for i, f in enumerate(self.history) if f.version == self.version)
        return self.history[index - 1] if index else None


def releases_dir(partnership_folder: Path) -> Path:
    return partnership_folder / RELEASES


def history(project_root: Path, partnership_id: str) -> tuple[Frozen, ...]:
    """Every release of a partnership, oldest first (by date, then by version number).

    Raises SafeguideError if any release cannot be used: see `load_history`."""
    found, problems = load_history(project_root, partnership_id)
    if problems:
        raise SafeguideError(problems)
    return found


def load_history(project_root: Path, partnership_id: str) -> tuple[tuple[Frozen, ...], list[Problem]]:
    """The releases that can be used, oldest first, and a problem for each file of any other: a file
    changed, missing or added since approval (see safeguide.core.integrity), or a release.yml, nav.yml or
    pages.json that cannot be read. Every problem says how to restore the file."""
    folder = releases_dir(project_root / "partnerships" / partnership_id)
    found: list[Frozen] = []
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name.startswith(".") or not path.is_dir():
            continue
        frozen, wrong = _load_release(path, display_path(path, project_root))
        problems += wrong
        if frozen is not None and not wrong:
            found.append(frozen)
    return tuple(sorted(found, key=lambda f: (f.release.date, _natural(f.version)))), problems


def _load_release(path: Path, shown_folder: str) -> tuple[Frozen | None, list[Problem]]:
    """One release folder, checked against its digests and read through (release.yml, nav.yml,
    pages.json), with every problem found. A file that cannot be read is named once, with its line."""
    changed = integrity.changed_files(path, shown_folder, path.name)
    unreadable: list[Problem] = []
    shown = f"{shown_folder}/{RELEASE_FILE}"
    frozen = None
    try:
        release = _release_file(lambda: validate(Release, read_yaml(path / RELEASE_FILE, shown)), shown)
        if release.version != path.name:
            unreadable.append(Problem(shown, f"this release says it is version '{release.version}', but its folder is named '{path.name}'.", integrity.restore_fix(shown_folder), key="version"))
        frozen = Frozen(path, release, shown_folder, sealed=(path / integrity.DIGESTS_FILE).exists())
    except SafeguideError as e:
        unreadable += e.problems
    for read in (read_nav, read_pages):  # now, so that a broken file stops the build before MkDocs starts
        try:
            read(path, shown_folder)
        except SafeguideError as e:
            unreadable += e.problems
    named = {p.file for p in unreadable}
    return frozen, sorted(unreadable + [p for p in changed if p.file not in named], key=lambda p: p.file)


def unsealed(past: tuple[Frozen, ...], partnership_id: str) -> list[Problem]:
    """A warning for each release made before safeguide recorded digests: its files are not checked,
    so it is published as it stands until `release ID VERSION --record-digests` records them."""
    return [
        Problem(
            f"{f.shown}/{RELEASE_FILE}",
            f"version {f.version} was released by an older safeguide, which did not record its files' digests, so changes to it cannot be noticed.",
            f"Check it is as approved (git log -- {f.shown}), then run: safeguide release {partnership_id} {f.version} --record-digests",
        )
        for f in past
        if not f.sealed
    ]


def record_digests(frozen: Frozen) -> Path:
    """Record the digests of a release made before safeguide recorded them; returns SHA256SUMS.

    Raises SafeguideError if it already has them (they never change)."""
    if frozen.sealed:
        shown = f"{frozen.shown}/{integrity.DIGESTS_FILE}"
        raise SafeguideError(Problem(shown, f"version {frozen.version} already has its digests recorded, and they never change.", "Nothing to do. If its files were changed, restore them: safeguide build names each one."))
    return integrity.write_digests(frozen.folder)


def _natural(version: str) -> list[tuple[int, str]]:
    """'3.10' after '3.9'."""
    return [(int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"[._-]", version)]


# --- what differs between the working copy and a release -------------------------------------------


def _tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, Path]:
    files: dict[str, Path] = {}
    if not folder.is_dir():
        return files
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(p.startswith(".") for p in parts) and parts[0] not in skip:
            files[path.relative_to(folder).as_posix()] = path
    return files


def working_sources(project_root: Path, docs_dir: Path, partnership_id: str) -> dict[str, Path]:
    """Every file the working copy's text comes from, named as a release would store it."""
    folder = project_root / "partnerships" / partnership_id
    files = {f"docs/{uri}": p for uri, p in _tree(docs_dir).items()}
    files.update({f"partnership/{uri}": p for uri, p in _tree(folder, skip=(RELEASES,)).items()})
    return files


def frozen_sources(frozen: Frozen) -> dict[str, Path]:
    files = {f"docs/{uri}": p for uri, p in _tree(frozen.docs_dir).items()}
    files.update({f"partnership/{uri}": p for uri, p in _tree(frozen.partnership_dir).items()})
    return files


@dataclass(frozen=True)
class Difference:
    path: str  # as a release stores it: docs/law.md, partnership/docs/local.md, nav.yml
    change: Literal["added", "removed", "changed"]


def differences(working: dict[str, Path], nav: list[Any] | None, frozen: Frozen) -> list[Difference]:
    """How the working copy's text differs from a release: files added, removed or changed, and the menu."""
    released = frozen_sources(frozen)
    found = [Difference(p, "added") for p in sorted(set(working) - set(released))]
    found += [Difference(p, "removed") for p in sorted(set(released) - set(working))]
    found += [Difference(p, "changed") for p in sorted(set(working) & set(released)) if not _same_text(p, working[p], released[p])]
    if nav is not None and nav != frozen.nav():
        found.append(Difference(NAV_FILE, "changed"))
    return sorted(found, key=lambda d: d.path)


PARTNERSHIP_FILE = "partnership/partnership.yml"


def _same_text(name: str, working: Path, released: Path) -> bool:
    """Whether a working file says what the released one does. partnership.yml's `reader:` settings are
    the site's, not the approved text (models.Reader), so turning a reader feature on or off is no edit."""
    if filecmp.cmp(working, released, shallow=False):
        return True
    if name != PARTNERSHIP_FILE:
        return False
    try:
        ours, theirs = (yaml.safe_load(f.read_text(encoding="utf-8")) for f in (working, released))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False  # a broken file differs; loading it reports why
    if not isinstance(ours, dict) or not isinstance(theirs, dict):
        return False
    return {k: v for k, v in ours.items() if k != "reader"} == {k: v for k, v in theirs.items() if k != "reader"}


def working_edition(project_root: Path, docs_dir: Path, partnership_id: str, version: str, nav: list[Any] | None, past: tuple[Frozen, ...]) -> tuple[Edition, list[Difference]]:
    """The working copy as an edition, and how it differs from the release of the same number, if any."""
    released = next((f for f in past if f.version == version), None)
    if released is None:
        return Edition(version, "draft", past), []
    changed = differences(working_sources(project_root, docs_dir, partnership_id), nav, released)
    return Edition(version, "edited" if changed else "release", past), changed


# --- making a release ----------------------------------------------------------------------------


def freeze(
    project_root: Path,
    docs_dir: Path,
    partnership_id: str,
    release: Release,
    nav: list[Any] | None,
    pages: dict[str, dict[str, Any]],
) -> Frozen:
    """Write a release folder; all or nothing. The caller has checked and built the working copy."""
    folder = releases_dir(project_root / "partnerships" / partnership_id)
    target = folder / release.version
    stage = folder / f".{release.version}.{uuid.uuid4().hex[:8]}"
    try:
        for name, source in working_sources(project_root, docs_dir, partnership_id).items():
            dest = stage / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest)
        (stage / NAV_FILE).write_text(yaml.dump(nav, Dumper=_NoAliases, sort_keys=False, allow_unicode=True), encoding="utf-8")
        (stage / PAGES_FILE).write_text(json.dumps(pages, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        data = release.model_dump(mode="json", exclude_none=True)
        if not data.get("authors"):
            data.pop("authors", None)
        (stage / RELEASE_FILE).write_text(
            "# Approved release: never edit this folder. Make a new release instead.\n"
            + yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        integrity.write_digests(stage)  # last: a digest of everything frozen above
        os.rename(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return Frozen(target, release, display_path(target, project_root))


class _NoAliases(yaml.SafeDumper):
    """nav.yml is read back by safeguide.core.loading, which refuses anchors and aliases: never write any."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def check_new_release(partnership_file: str, working_version: str, release: Release, past: tuple[Frozen, ...]) -> list[Problem]:
    """What would make this release wrong: a number already used or not the working copy's, odd dates."""
    problems = []
    if not VERSION.fullmatch(release.version):
        problems.append(Problem(partnership_file, f"'{release.version}' cannot be a version number.", 'Use digits, letters, dots or dashes, for example "3.2".'))
    if any(f.version == release.version for f in past):
        problems.append(
            Problem(
                partnership_file,
                f"version {release.version} is already released, and a release never changes.",
                'Give the working copy a new version number (version: "…" in partnership.yml), then release that.',
                key="version",
            )
        )
    elif release.version != working_version:
        problems.append(
            Problem(
                partnership_file,
                f"the working copy is version {working_version}, not {release.version}.",
                f'Set version: "{release.version}" in partnership.yml and check the draft first, or release {working_version}.',
                key="version",
            )
        )
    if past and release.date < past[-1].release.date:
        problems.append(Problem(partnership_file, f"the release date {release.date} is before the last release ({past[-1].version}, {past[-1].release.date}).", "Give today's date, or the date the group approved it."))
    if release.review_due <= release.date:
        problems.append(Problem(partnership_file, f"the review date {release.review_due} is not after the release date {release.date}.", "Give a review date in the future, for example a year after approval."))
    return problems


def next_review(date: dt.date, years: int = 1) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)
