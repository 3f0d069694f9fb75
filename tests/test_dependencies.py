"""Cache keys follow every library that shapes the output, not only the ones we call (issue 16, point 2).

Same kind of fault as tests/test_typesetting.py: a cache key that leaves out something the output depends on serves
stale pages. A hand-kept list of libraries missed Pygments (Material's code blocks), tinycss2 (our minified
stylesheets), and pydyf and fontTools (which write and subset the PDF). A library's version is faked here with a
metadata folder placed first on the path: `importlib.metadata` then reports it, while Python still imports the real
package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from safeguide.build.dependencies import installed_closure, normalised
from safeguide.site.edition_cache import GENERATOR_ROOTS
from tests.conftest import ROOT, copy_project, safeguide


def test_the_closure_follows_requirements_and_the_extras_they_name_but_not_other_extras() -> None:
    found = installed_closure(("safeguide",))
    for library in ("pygments", "tinycss2", "pydyf", "fonttools[woff]", "brotli", "markdown", "babel"):
        assert found.get(library, "absent") != "absent", f"{library} shapes the output and is installed"
    assert "pytest" not in found and "playwright" not in found, "only safeguide's [test] extra needs them"


def test_the_roots_are_the_package_and_every_dependency_in_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {normalised(requirement.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].strip()) for requirement in declared}
    assert set(GENERATOR_ROOTS) == names | {"safeguide"}


def fake(folder: Path, name: str, version: str) -> None:
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")


def plan_keys(project: Path) -> dict[str, str]:
    result = safeguide("plan", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return {f"{e['partnership']} {e['version']}": e["key"] for e in json.loads(result.stdout)["editions"]}


@pytest.mark.parametrize(("library", "changes"), [("Pygments", True), ("tinycss2", True), ("pytest", False)])
def test_an_edition_key_changes_with_a_library_the_output_depends_on_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str, changes: bool
) -> None:
    project = copy_project(tmp_path / "project")
    before = plan_keys(project)
    fake(tmp_path / "fake", library, "0.0.1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join((str(tmp_path / "fake"), os.environ["PYTHONPATH"])))
    after = plan_keys(project)
    assert before.keys() == after.keys()
    if changes:
        assert all(after[edition] != before[edition] for edition in before), f"{library} 0.0.1 must make every key new"
    else:
        assert after == before, f"{library} is a test tool: a new version must not rebuild the site"


def pdf_key(extra_path: Path | None) -> str:
    path = os.pathsep.join(p for p in (str(extra_path) if extra_path else "", os.environ["PYTHONPATH"]) if p)
    code = "from safeguide.build import pdf; print(pdf._key('<p>the same document</p>'))"
    result = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": path}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_pdf_key_changes_with_the_library_that_writes_the_file(tmp_path: Path) -> None:
    fake(tmp_path / "fake", "pydyf", "0.0.1")
    assert pdf_key(None) == pdf_key(None), "the same document on the same machine"
    assert pdf_key(tmp_path / "fake") != pdf_key(None), "WeasyPrint's PDF writer (pydyf) changed"
