"""Shared fixtures: a throwaway copy of the project, the safeguide command, and one demo build per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides", "hooks", "partnerships")


def copy_project(target: Path) -> Path:
    """The parts of the project a build reads, copied so a test can break them."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
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
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every demo partnership built once, as README's first command does."""
    out = tmp_path_factory.mktemp("demo") / "site"
    result = safeguide("build", "--out", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def demo_ids() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "partnerships").glob("*/partnership.yml"))
