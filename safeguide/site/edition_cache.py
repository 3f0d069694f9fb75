"""Finished editions kept between builds, so that `safeguide build` rebuilds only what changed (issue 16).

Each published edition (a partnership's release, or its working copy) is stored under a key: a SHA-256 digest of
everything its pages depend on, read as file bytes before MkDocs is imported or any partnership is loaded:

- the generator: every file of the safeguide package, Python's version, the versions of every library the package
  needs and of everything those need in turn (`GENERATOR_ROOTS`, followed through their metadata:
  safeguide.build.dependencies), and the machine's fonts and text libraries, which shape the PDF
  (safeguide.build.typesetting);
- the site: mkdocs.yml, overrides/ and hooks/;
- the partnership's whole folder (its settings, pages, slots and every release: the release list shows in
  banners and the version history, the newest release's numbers in a replaced release's pages);
- for the working copy only, the baseline docs/ (a release has its own frozen copy in its folder);
- the build date (pages say when the site was built, and whether a review date has passed) and
  SOURCE_DATE_EPOCH.

An entry is a folder, `<cache>/editions/<key>/`, holding `site/` (the edition's folder as built), `outcome.json`
(what the landing page and versions.json need) and `manifest.json` (every file's SHA-256, written last). It is
made under a temporary name and renamed into place, so a killed build leaves no half entry; an entry whose
manifest is missing, unreadable or does not match its files is removed and the edition built again, never
published. The cache is safe to delete; `safeguide build --no-cache` neither reads nor writes it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import secrets
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeguide.build.dependencies import versions_digest
from safeguide.build.typesetting import typesetting_digest
from safeguide.site.output import copy_linked

FORMAT = 1  # of an entry; a change makes every old entry a miss
# The installed safeguide and its requirements (pyproject.toml's dependencies, tested), so that the key covers them
# when the package runs from a checkout that is not installed.
GENERATOR_ROOTS = ("safeguide", "mkdocs", "mkdocs-material", "pymdown-extensions", "jinja2", "pyyaml", "regex", "pydantic",
                   "phonenumbers", "click", "rich", "weasyprint", "tinycss2")
SITE_PARTS = ("mkdocs.yml", "overrides", "hooks")
MANIFEST = "manifest.json"
OUTCOME = "outcome.json"
SITE = "site"


class FileDigests:
    """SHA-256 digests of files, each read once while its size, modification time and inode stay the same: one
    `safeguide build` computes a key per edition, and a partnership's editions share most of their inputs."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int, int, int], bytes] = {}

    def of(self, path: Path) -> bytes:
        """The digest of `path`'s bytes. Raises OSError if it cannot be read."""
        status = path.stat()
        mark = (str(path), status.st_size, status.st_mtime_ns, status.st_ino)
        digest = self._known.get(mark)
        if digest is None:
            digest = self._known[mark] = hashlib.sha256(path.read_bytes()).digest()
        return digest


def _digest_files(digest: Any, base: Path, paths: Iterable[Path], files: FileDigests) -> None:
    for path in sorted(paths):
        if path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(base).parts):
            digest.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0")
            digest.update(files.of(path))


def _tree(digest: Any, base: Path, folder: Path, files: FileDigests) -> None:
    _digest_files(digest, base, folder.rglob("*") if folder.is_dir() else [folder], files)


@functools.cache
def generator_digest() -> str:
    """The package's own files, the versions of every library it needs, directly or not (versions_digest), and the
    machine's fonts and text libraries (typesetting_digest), as one hex digest."""
    digest = hashlib.sha256(f"format {FORMAT}\npython {sys.version}\ntypesetting {typesetting_digest()}\n".encode())
    package = Path(__file__).resolve().parent.parent
    _tree(digest, package.parent, package, FileDigests())
    digest.update(f"libraries {versions_digest(GENERATOR_ROOTS)}\n".encode())
    return digest.hexdigest()


def site_digest(root: Path) -> str:
    """The generator (generator_digest) and the site's own files (mkdocs.yml, overrides/, hooks/) as one hex digest:
    everything besides the editions that shapes a published site's bytes (the landing page, the partnerships' index
    pages, versions.json and feeds). Reads files only; raises OSError if one cannot be read."""
    digest = hashlib.sha256(f"{generator_digest()}\n".encode())
    for part in SITE_PARTS:
        _tree(digest, root, root / part, FileDigests())
    return digest.hexdigest()


def edition_key(root: Path, partnership_id: str, release: str | None, today: dt.date, files: FileDigests | None = None) -> str:
    """The key of one edition of `partnership_id` (`release` None: the working copy) built on `today`: a hex SHA-256
    of everything listed in this module's docstring. `files` shares file digests between the keys of one build.
    Reads files only; raises OSError if one cannot be read."""
    files = files or FileDigests()
    digest = hashlib.sha256(f"{generator_digest()}\n{partnership_id}\n{release or ''}\n{today.isoformat()}\n{os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    for part in SITE_PARTS:
        _tree(digest, root, root / part, files)
    _tree(digest, root, root / "partnerships" / partnership_id, files)
    if release is None:
        _tree(digest, root, root / "docs", files)
    return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    """A stored edition: its folder, and what the parent needs of its build (`outcome`: the Outcome's fields)."""

    folder: Path
    outcome: dict[str, Any]

    @property
    def site(self) -> Path:
        return self.folder / SITE


def cache_dir(root: Path) -> Path | None:
    """Where editions are kept: SAFEGUIDE_CACHE's folder (or `<project>/.safeguide-cache`) + /editions; None when
    SAFEGUIDE_CACHE is "off"."""
    setting = os.environ.get("SAFEGUIDE_CACHE", "")
    if setting.lower() == "off":
        return None
    return (Path(setting) if setting else root / ".safeguide-cache") / "editions"


def find(cache: Path, key: str) -> Entry | None:
    """The entry stored under `key` if it is whole: its manifest lists exactly its files, each with the digest it
    has now. An entry that is not whole is removed (and None returned), so the edition is built again."""
    folder = cache / key
    if not folder.is_dir():
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        outcome = json.loads((folder / OUTCOME).read_text(encoding="utf-8"))
        site = folder / SITE
        files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
        if not isinstance(manifest, dict) or set(manifest.get("files", {})) != files or manifest.get("key") != key:
            raise ValueError("the manifest does not list the entry's files")
        for name, expected in manifest["files"].items():
            if hashlib.sha256((site / name).read_bytes()).hexdigest() != expected:
                raise ValueError(f"{name} has changed")
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return Entry(folder, outcome)


def store(cache: Path, key: str, built: Path, outcome: dict[str, Any]) -> None:
    """Keep the edition built in `built` under `key`: copied (hard links where the file system allows) into a
    temporary folder, its manifest written last, then renamed into place. An entry already there is kept."""
    cache.mkdir(parents=True, exist_ok=True)
    if (cache / key).is_dir():
        return
    scratch = cache / f".{key}.{secrets.token_hex(4)}.tmp"
    try:
        copy_linked(built, scratch / SITE)
        (scratch / OUTCOME).write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")
        files = {p.relative_to(scratch / SITE).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((scratch / SITE).rglob("*")) if p.is_file()}
        (scratch / MANIFEST).write_text(json.dumps({"key": key, "files": files}), encoding="utf-8")
        os.rename(scratch, cache / key)
    except OSError:
        pass  # another build stored it first, or the cache cannot be written: the next build simply builds again
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def place(entry: Entry, target: Path) -> None:
    """The stored edition's folder at `target` (hard links where possible: published files are never rewritten in place)."""
    copy_linked(entry.site, target)


STRAY_AGE = 3600  # seconds untouched after which a temporary folder is taken as a killed build's, not one being written


def remove_strays(cache: Path) -> None:
    """Temporary folders that killed builds left in the cache: those untouched for STRAY_AGE, so that the folder another
    build sharing the cache is writing now (a shard built beside this one) is left alone."""
    if cache.is_dir():
        for stray in cache.glob(".*.tmp"):
            try:
                if time.time() - stray.stat().st_mtime > STRAY_AGE:
                    shutil.rmtree(stray, ignore_errors=True)
            except OSError:
                pass  # gone meanwhile: renamed into place, or removed by another build

