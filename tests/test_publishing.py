"""Where the site is written (issue 11, item 8) and publishing that is all-or-nothing (item 12), through the CLI.

Output-folder refusals: cases F19, F19b, F20b and every other folder a build reads. Faults: SIGTERM and
Ctrl-C (F08), a read-only file system (F10), an immutable folder (F10b), two builds at once (F18b).
Killing builds at random moments (F02–F06): tests/test_faults.py.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project, safeguide

MARKER = ".safeguide-output"
TWO = ("kingsport", "riverside")  # two partnerships keep each build to a few seconds


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under folder (symbolic links as their target text) by path: what 'byte-identical' compares."""
    found = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            found[p.relative_to(folder).as_posix()] = "link:" + os.readlink(p)
        elif p.is_file():
            found[p.relative_to(folder).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


def two_partnerships(target: Path, releases: bool = False) -> Path:
    """A project copy with only kingsport and riverside."""
    project = copy_project(target, releases=releases)
    for folder in (project / "partnerships").iterdir():
        if folder.name not in TWO:
            shutil.rmtree(folder)
    return project


def start(*args: str, cwd: Path, env_extra: dict[str, str] | None = None, **options: object) -> subprocess.Popen[str]:
    """The command started as conftest.safeguide runs it, for tests that signal it or run two at once."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COLUMNS": "200", "NO_COLOR": "1", **(env_extra or {})}
    return subprocess.Popen([sys.executable, "-m", "safeguide", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)  # type: ignore[call-overload]


def strays(folder: Path, name: str = "site") -> list[str]:
    """Staging and old copies beside an output called `name` (the lock file is not one)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((f".{name}.staging-", f".{name}.old-")))


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    """Poll until condition() holds; fail (not hang) if the process ends first."""
    while not condition():
        assert process.poll() is None, "the build ended before the moment the test waits for:\n" + process.communicate()[1]
        time.sleep(0.005)  # leave the build the processor


# --- the output folder ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project_with_releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with its releases (refusals never build, so they cost nothing) and a stranger's folder."""
    project = copy_project(tmp_path_factory.mktemp("refusals") / "project", releases=True)
    (project / "docs" / "sub").mkdir()
    (project / "partnerships" / "riverside" / "releases" / "3.1" / "docs").mkdir(exist_ok=True)
    (project.parent / "holiday-photos").mkdir()
    (project.parent / "holiday-photos" / "beach.jpg").write_bytes(b"\xff\xd8 not really a photo")
    (project.parent / "notes.txt").write_text("a stranger's notes\n")
    (project / "into-docs").symlink_to(project / "docs")
    return project


REFUSED = {
    # --out as typed (from the project folder), ids built, and what the message must say
    "F20b: the project folder": (".", (), "this is the project folder"),
    "the folder holding the project": ("..", (), "this folder holds the project folder"),
    "F19b: docs": ("docs", (), "this is docs/ (the national baseline guidance)"),
    "F19: docs, one partnership": ("docs", ("riverside",), "this is docs/"),
    "inside docs": ("docs/sub", ("riverside",), "inside docs/"),
    "inside docs through a new folder and ..": ("partnerships/../docs/new/site", (), "inside docs/"),
    "inside docs through a symbolic link": ("into-docs/site", (), "inside docs/"),
    "partnerships": ("partnerships", (), "this is partnerships/"),
    "a partnership's folder": ("partnerships/kingsport", ("kingsport",), "inside partnerships/"),
    "a releases folder": ("partnerships/riverside/releases", (), "this is partnerships/riverside/releases/"),
    "inside a release": ("partnerships/riverside/releases/3.1/docs", ("riverside",), "inside partnerships/riverside/releases/"),
    "overrides": ("overrides", (), "this is overrides/"),
    "hooks": ("hooks", (), "this is hooks/"),
    "a stranger's folder": ("../holiday-photos", (), "holds files that safeguide did not publish (beach.jpg)"),
    "an existing file": ("../notes.txt", (), "this is a file, not a folder"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_an_output_folder_that_would_damage_something_is_refused_before_anything_is_touched(project_with_releases: Path, name: str) -> None:
    out, ids, says = REFUSED[name]
    before = tree_digest(project_with_releases.parent)

    result = safeguide("build", *ids, "--out", out, cwd=project_with_releases)

    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert says in said and "How to fix" in said, said
    assert said.lstrip().startswith("--out "), "the problem names the folder first, as typed or resolved: " + said
    assert "Traceback" not in said and "internal error" not in said
    assert tree_digest(project_with_releases.parent) == before, "nothing may change"
    assert not list(project_with_releases.parent.rglob(".*.lock")), "not even a lock file"


def test_the_safeguide_program_folder_is_refused_when_it_sits_in_the_project(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "safeguide", project / "safeguide", ignore=shutil.ignore_patterns("__pycache__"))
    before = tree_digest(project / "safeguide")

    result = safeguide("build", "riverside", "--out", "safeguide", cwd=project)  # runs the copy: python -m, from here

    assert result.returncode == 1, result.stdout + result.stderr
    assert "this is safeguide/ (the safeguide program itself)" in result.stderr and "How to fix" in result.stderr
    assert tree_digest(project / "safeguide") == before


# --- publishing, and publishing again -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two partnerships built into the default site/."""
    project = two_partnerships(tmp_path_factory.mktemp("published") / "project")
    result = safeguide("build", "--jobs", "2", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_the_default_output_is_site_in_the_project_marked_as_ours_with_nothing_left_beside_it(published: Path) -> None:
    site = published / "site"
    assert (site / "index.html").is_file() and {"kingsport", "riverside"} <= {p.name for p in site.iterdir()}
    assert "published by safeguide" in (site / MARKER).read_text()
    left = sorted(p.name for p in published.iterdir() if p.name.startswith("."))
    assert left == [".safeguide-cache"], "no staging, old copy or lock: only the cache of finished editions (README)"


def test_a_folder_inside_a_published_site_is_refused_as_part_of_it(published: Path) -> None:
    before = tree_digest(published / "site")
    result = safeguide("build", "riverside", "--out", "site/riverside", cwd=published)
    said = result.stdout + result.stderr
    assert result.returncode == 1 and "this folder is inside site/, a site safeguide published" in said, said
    assert "safeguide build riverside" in said and "Traceback" not in said
    assert tree_digest(published / "site") == before


def test_site_is_in_the_project_even_when_building_from_a_subfolder(published: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(published, project, symlinks=True)
    result = safeguide("build", "kingsport", cwd=project / "docs")  # site/ in docs/ would be refused
    assert result.returncode == 0, result.stderr
    assert f"to {project / 'site'}" in result.stdout and not (project / "docs" / "site").exists()


def test_a_new_folder_an_empty_folder_and_an_output_from_before_the_marker_are_accepted(published: Path, tmp_path: Path) -> None:
    fresh, empty = tmp_path / "new" / "deeper" / "site", tmp_path / "empty"
    empty.mkdir()
    for out in (fresh, empty):
        result = safeguide("build", "kingsport", "--out", str(out), cwd=published)
        assert result.returncode == 0, result.stderr
        assert (out / "kingsport" / "index.html").is_file() and (out / MARKER).is_file()
    (empty / MARKER).unlink()  # as published by safeguide before there was a marker
    result = safeguide("build", "riverside", "--out", str(empty), cwd=published)
    assert result.returncode == 0, result.stderr
    assert {"kingsport", "riverside", "index.html", MARKER} <= {p.name for p in empty.iterdir()}, "the second build keeps the first"
    assert strays(tmp_path, "empty") == [] and not (tmp_path / ".empty.lock").exists()


def test_an_output_from_before_the_marker_with_a_stranger_s_file_in_it_is_refused(published: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    shutil.copytree(published / "site", out)
    (out / MARKER).unlink()
    (out / "minutes.docx").write_text("meeting minutes")
    before = tree_digest(tmp_path)
    result = safeguide("build", "--out", str(out), cwd=published)
    assert result.returncode == 1 and "(minutes.docx)" in result.stderr, result.stderr
    assert tree_digest(tmp_path) == before


def test_two_builds_at_once_wait_for_each_other_and_both_are_published(published: Path, tmp_path: Path) -> None:
    """F18b: riverside and kingsport with new version numbers, built at the same time."""
    project = tmp_path / "project"
    shutil.copytree(published, project, symlinks=True)
    for pid, version in (("riverside", "3.2"), ("kingsport", "2026.2")):
        path = project / "partnerships" / pid / "partnership.yml"
        path.write_text(re.sub(r"^version:.*$", f'version: "{version}"', path.read_text(), count=1, flags=re.M))

    # Without the cache of finished editions: from it, the first build could end before the second starts.
    first = start("build", "riverside", "--no-cache", cwd=project)
    wait_for(lambda: strays(project) != [], first)  # it holds the lock while it builds
    second = start("build", "kingsport", "--no-cache", cwd=project)
    said = [p.communicate(timeout=120) for p in (first, second)]

    assert [first.returncode, second.returncode] == [0, 0], said
    assert "Waiting for another build into" in said[1][1]
    assert (project / "site" / "riverside" / "3.2" / "index.html").is_file()
    assert (project / "site" / "kingsport" / "2026.2" / "index.html").is_file()
    assert strays(project) == [] and not (project / ".site.lock").exists()


# --- stopping and faults ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_a_stopped_build_says_so_removes_its_staging_and_publishes_nothing(published: Path, how: str) -> None:
    """F08: SIGTERM stops a build as Ctrl-C does. Ctrl-C reaches every process of the terminal's group,
    worker processes included; neither may print a traceback."""
    before = tree_digest(published / "site")
    process = start("build", "--jobs", "2", "--no-cache", cwd=published, start_new_session=True)  # built, not placed from the cache
    staging = lambda: [published / s for s in strays(published)]  # noqa: E731
    wait_for(lambda: any((s / pid).is_dir() for s in staging() for pid in TWO), process)  # the workers are writing

    if how == "SIGTERM":
        process.send_signal(signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == (143 if how == "SIGTERM" else 130), stdout + stderr
    assert "Stopped. Nothing was published." in stderr
    assert "Traceback" not in stdout + stderr
    assert strays(published) == [] and not (published / ".site.lock").exists()
    assert tree_digest(published / "site") == before


@contextmanager
def read_only_file_system(folder: Path) -> Iterator[str]:
    """folder made read-only: a read-only tmpfs mounted on it (F10) where this process may mount,
    otherwise its mode (which stops every user but root)."""
    copy = folder.with_name(folder.name + ".copy")
    shutil.copytree(folder, copy)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(folder)], capture_output=True).returncode == 0
    try:
        if mounted:
            shutil.copytree(copy, folder, dirs_exist_ok=True)
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            yield "read-only file system"
        else:
            assert os.geteuid() != 0, "root here, but cannot mount: give the test a way to make a folder read-only"
            folder.chmod(0o555)
            yield "permission denied"
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)
        folder.chmod(0o755)
        shutil.rmtree(copy)


@contextmanager
def immutable(folder: Path) -> Iterator[str]:
    """folder made immutable with chattr +i (F10b) where this process may, otherwise read-only by its mode."""
    if os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0:
        try:
            yield "operation not permitted"
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        return
    with read_only_file_system(folder) as reason:
        yield reason


@pytest.mark.parametrize("fault", ["read-only file system", "immutable folder"])
def test_an_output_that_cannot_be_written_is_named_clearly_and_left_alone(published: Path, tmp_path: Path, fault: str) -> None:
    """F10, F10b: the folder holding the output cannot be written; found before building."""
    holder = tmp_path / "locked"
    shutil.copytree(published / "site", holder / "site")
    protect = read_only_file_system if fault == "read-only file system" else immutable
    with protect(holder) as reason:
        before = tree_digest(holder)
        result = safeguide("build", "--out", str(holder / "site"), cwd=published)
        assert tree_digest(holder) == before
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert f"cannot write beside {holder / 'site'}: {reason}" in said and "How to fix" in said, said
    assert "Traceback" not in said and "✓" not in said, "refused before building"


def test_an_immutable_output_folder_or_a_mount_point_is_found_before_building(published: Path, tmp_path: Path) -> None:
    """The folder beside it is writable, the output itself cannot be swapped: checked before building."""
    out = tmp_path / "site"
    shutil.copytree(published / "site", out)
    with immutable(out) as reason:
        before = tree_digest(out)
        result = safeguide("build", "kingsport", "--out", str(out), cwd=published)
        assert tree_digest(out) == before
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert f"cannot write beside {out}: " in said and "Nothing was published" in said, said
    assert reason in said or "mount point" in said, said  # a mount point where chattr cannot be used
    assert "Traceback" not in said and "✓" not in said, "refused before building"
    assert strays(tmp_path) == [] and not (tmp_path / ".site.lock").exists()


def test_without_an_atomic_exchange_two_renames_publish_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The documented fallback (systems and file systems without renameat2 exchange)."""
    from safeguide.site import output

    monkeypatch.setattr(output, "_libc_renameat2", lambda: None)
    target, staging = tmp_path / "site", tmp_path / ".site.staging-0123abcd"
    for folder, text in ((target, "old"), (staging, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    output.swap_in(staging, target)
    assert (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
