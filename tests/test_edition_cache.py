"""Rebuild only what changed (issue 16): finished editions are kept under a key of everything they depend on
(safeguide.site.edition_cache), a build with nothing changed places them instead of building, and the site is
byte-identical either way."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from tests.conftest import copy_project, safeguide


def same_tree(a: Path, b: Path) -> list[str]:
    """Every file that differs in bytes, or is in one folder only."""
    differ = []
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differ += [f"only in one: {p}" for p in sorted(files_a ^ files_b)]
    differ += [str(p) for p in sorted(files_a & files_b) if not filecmp.cmp(a / p, b / p, shallow=False)]
    return differ


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAFEGUIDE_CACHE", str(tmp_path / "cache"))
    return copy_project(tmp_path / "project", releases=True)


def build(project: Path, out: Path, *options: str) -> str:
    result = safeguide("build", "eastmoor", "--out", str(out), *options, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_an_unchanged_build_comes_from_the_cache_and_is_byte_identical(project: Path, tmp_path: Path) -> None:
    cold = build(project, tmp_path / "cold", "--no-cache")
    assert not (tmp_path / "cache" / "editions").exists(), "--no-cache writes nothing"
    assert "from the cache" not in cold
    first = build(project, tmp_path / "first")
    again = build(project, tmp_path / "again")
    assert "from the cache" not in first
    assert "eastmoor 4.0: unchanged, from the cache" in again and "eastmoor 5.0: unchanged, from the cache" in again
    assert same_tree(tmp_path / "cold", tmp_path / "first") == []
    assert same_tree(tmp_path / "cold", tmp_path / "again") == []


def test_editing_a_baseline_page_rebuilds_only_the_working_copy(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "first")
    page = project / "docs" / "golden-rules.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added by a test.\n", encoding="utf-8")
    edited = build(project, tmp_path / "edited")
    assert "eastmoor 4.0: unchanged, from the cache" in edited, "a release has its own frozen copy of the pages"
    assert "eastmoor 5.0: built" in edited
    assert "A sentence added by a test." in (tmp_path / "edited" / "eastmoor" / "5.0" / "golden-rules" / "index.html").read_text(encoding="utf-8")
    assert same_tree(tmp_path / "first" / "eastmoor" / "4.0", tmp_path / "edited" / "eastmoor" / "4.0") == []


def test_a_changed_or_broken_entry_is_built_again_never_published(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "first")
    entries = sorted((tmp_path / "cache" / "editions").iterdir())
    assert len(entries) == 2
    tampered = next(p for p in (entries[0] / "site").rglob("index.html"))
    tampered.unlink()  # the published file is a hard link to it: replace, do not edit in place
    tampered.write_text("<p>not what was built</p>", encoding="utf-8")
    (entries[1] / "manifest.json").unlink()  # as a build killed while storing it would leave it (were it not renamed last)
    again = build(project, tmp_path / "again")
    assert "unchanged, from the cache" not in again, again
    assert same_tree(tmp_path / "first", tmp_path / "again") == []
    third = build(project, tmp_path / "third")
    assert third.count("unchanged, from the cache") == 2, "the rebuilt editions were stored again"


def test_the_key_covers_the_generator_the_site_and_the_day(project: Path) -> None:
    import datetime as dt

    from safeguide.site import edition_cache

    day = dt.date(2026, 11, 30)
    release = edition_cache.edition_key(project, "eastmoor", "4.0", day)
    working = edition_cache.edition_key(project, "eastmoor", None, day)
    assert release != working
    assert edition_cache.edition_key(project, "eastmoor", "4.0", day + dt.timedelta(days=1)) != release, "pages say when they were built"
    (project / "overrides" / "assets" / "safeguide.css").write_text("/* changed */\n", encoding="utf-8")
    assert edition_cache.edition_key(project, "eastmoor", "4.0", day) != release
    before = edition_cache.edition_key(project, "eastmoor", None, day)
    (project / "partnerships" / "northbridge" / "partnership.yml").write_text("name: changed\n", encoding="utf-8")
    assert edition_cache.edition_key(project, "eastmoor", None, day) == before, "another partnership's files are not eastmoor's inputs"
    (project / "docs" / "golden-rules.md").write_text("# Changed\n", encoding="utf-8")
    assert edition_cache.edition_key(project, "eastmoor", None, day) != before, "the working copy reads the baseline"


def test_a_build_with_nothing_changed_writes_nothing_and_a_changed_output_is_published_again(project: Path, tmp_path: Path) -> None:
    for other in ("kingsport", "northbridge", "riverside"):  # one partnership, so that the whole site is built
        shutil.rmtree(project / "partnerships" / other)
    out = tmp_path / "site"

    def build_all() -> str:
        result = safeguide("build", "--out", str(out), cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    build_all()
    build_all()  # published from the cache: every edition's files are now the cache's own
    def state() -> dict[Path, tuple[int, int, int]]:
        return {p: (p.lstat().st_ino, p.lstat().st_mtime_ns, p.lstat().st_size) for p in [out, *out.rglob("*")]}

    published = state()
    again = build_all()
    assert again.count("unchanged, from the cache") == 2
    assert f"Nothing changed: {out} already holds this build of 1 partnership." in " ".join(again.split())
    assert state() == published, "a build with nothing changed rewrote the site"

    cold = tmp_path / "cold"
    shutil.copytree(out, cold)  # as published (the cache's output is byte-identical to a cold build's: the first test)
    (out / "eastmoor" / "4.0" / "contacts" / "index.html").unlink()  # the published site changed by hand
    (out / "eastmoor" / "notes.txt").write_text("a stray file", encoding="utf-8")
    build_all()
    assert same_tree(cold, out) == [], "the site was not published again whole"
    (out / "index.html").write_text("<p>changed</p>", encoding="utf-8")
    build_all()
    assert same_tree(cold, out) == []
