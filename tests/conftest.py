"""Shared fixtures: a throwaway copy of the project, the safeguide command, and one demo build per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides", "hooks", "partnerships")
# Every `python -m safeguide` a test starts runs this checkout's code, whichever checkout the virtualenv was
# installed from (an editable install points at one; a second git worktree shares it).
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)


# Each costs seconds of CPU per version (WeasyPrint; a second MkDocs build): a copy builds without them
# unless its test is about them. partnership.yml's `reader:` is the switch partnerships use too (README).
WITHOUT_DOWNLOADS = "\nreader:\n  pdf: false\n  offline_copy: false\n"


def copy_project(target: Path, releases: bool = False, downloads: bool = False) -> Path:
    """The parts of the project a build reads, copied so a test can break them.

    Without `releases`, the partnerships' approved releases are left out, so that each working copy is
    published (as a draft) and a test's edits show in the built site. Without `downloads`, every
    partnership's PDF and offline copy are turned off (WITHOUT_DOWNLOADS).
    """
    target.mkdir(parents=True, exist_ok=True)
    skip = None if releases else shutil.ignore_patterns("releases")
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=skip)
        else:
            shutil.copy2(source, target / part)
    if not downloads:
        for config in (target / "partnerships").glob("*/partnership.yml"):
            text = config.read_text(encoding="utf-8")
            if "\nreader:" not in text:
                config.write_text(text.rstrip("\n") + "\n" + WITHOUT_DOWNLOADS, encoding="utf-8")
    return target


def safeguide(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would, capturing what they would see."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "safeguide", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """Every demo partnership built once per test run, as README's first command does, and shared by
    the test processes (pytest-xdist): whichever asks first builds it, the others wait for it. Tests
    only read it."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    out, built = shared / "demo" / "site", shared / "demo" / "built"
    with FileLock(str(shared / "demo.lock")):
        if not built.is_file():
            result = safeguide("build", "--out", str(out), cwd=ROOT)
            assert result.returncode == 0, result.stdout + result.stderr
            built.write_text("ok", encoding="utf-8")
    return out


# The light and dark palettes, each with its toggle (test_display_browser: the display choice holds in both).
PALETTE = """  palette:
    - scheme: default
      primary: custom
      accent: custom
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - scheme: slate
      primary: custom
      accent: custom
      toggle: {icon: material/brightness-4, name: Switch to light mode}
"""


@pytest.fixture(scope="session")
def instant_build(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """riverside and kingsport built with Material's instant navigation and a light/dark toggle, kingsport
    without the text-size control: once per test run, shared by the processes as demo_site is. Tests only read it."""
    from filelock import FileLock

    from tests.browser import with_instant_navigation

    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    project, built = shared / "instant" / "project", shared / "instant" / "built"
    with FileLock(str(shared / "instant.lock")):
        if not built.is_file():
            shutil.rmtree(project, ignore_errors=True)
            copy_project(project)
            mkdocs = project / "mkdocs.yml"
            text = with_instant_navigation(mkdocs.read_text(encoding="utf-8").replace("  font: false ", PALETTE + "  font: false ", 1))
            assert "scheme: slate" in text, "mkdocs.yml has changed"
            mkdocs.write_text(text, encoding="utf-8")
            off = project / "partnerships" / "kingsport" / "partnership.yml"
            off.write_text(off.read_text(encoding="utf-8").replace("\nreader:\n", "\nreader:\n  display_options: false\n"), encoding="utf-8")
            result = safeguide("build", "riverside", "kingsport", "--out", str(project / "site"), cwd=project)
            assert result.returncode == 0, result.stdout + result.stderr
            built.write_text("ok", encoding="utf-8")
    return project / "site"


@pytest.fixture(scope="session")
def instant_site(instant_build: Path) -> Iterator[tuple[str, Path]]:
    """instant_build on a local server whose sitemaps give its port (instant navigation) and whose search indexes
    are empty: (url, site)."""
    from tests.browser import serve

    with serve(instant_build, search=False, instant=True) as url:
        yield url, instant_build


def demo_ids() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "partnerships").glob("*/partnership.yml"))


# --- real browser (tests marked `browser`) ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_url(demo_site: Path) -> Iterator[str]:
    """The demo build on a local server whose search indexes are empty (tests.browser.serve), for tests that do
    not search: each page loads without the search worker indexing the whole version."""
    from tests.browser import serve

    with serve(demo_site, search=False) as url:
        yield url


@pytest.fixture(scope="session")
def search_site_url(demo_site: Path) -> Iterator[str]:
    """The demo build on a local server as published, search indexes and all, for the tests that search."""
    from tests.browser import serve

    with serve(demo_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from tests.browser import launch, require_tools

    require_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., object]]:
    """new_page(width, **context_options): a page in a fresh context, closed after the test."""
    from tests.browser import HEIGHT

    contexts = []

    def make(width: int, **options: object):
        context = browser.new_context(viewport={"width": width, "height": HEIGHT}, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# --- order: the longest test files first -----------------------------------------------------------------------------

# pytest-xdist hands out whole files in collection order (scripts/test.sh passes --no-loadscope-reorder), so the files
# that take minutes start first and the run does not end with one of them alone on the machine. Files building their
# own projects are interleaved with those waiting for the demo build, so the processors are busy while it is made.
# Measured on two cores (issue 14): in the default order test_reflow_browser.py started after every other file ended.
LONGEST_FIRST = (  # as measured on a fresh clone (issue 16: seconds of wall time per file in a run of 4 processes)
    "test_flows_browser.py",  # 416
    "test_versions.py",  # 242
    "test_whole_guidance.py",  # 241
    "test_shards.py",  # 221
    "test_guidance_browser.py",  # 219
    "test_overlay.py",  # 190
    "test_browser.py",  # 188
    "test_reflow_browser.py",  # 184
    "test_edition_cache.py",  # 146
    "test_bad_input.py",  # 145
    "test_release_integrity.py",  # 128
    "test_publishing.py",  # 119
    "test_injection.py",  # 112
    "test_typesetting.py",  # 80 (measured with the demo already cached; two builds with a PDF)
    "test_page_rules.py",  # 73
    "test_real_world.py",  # 72
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order
