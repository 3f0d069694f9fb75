"""Load once, pass structure (issue 15): a build worker loads its partnership once for the site and its offline
copy, the loaded Variant cannot be changed, and a failed build hands back Problem objects, not text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from safeguide.build import integration
from safeguide.core import variants
from safeguide.core.problems import Problem
from safeguide.site import publish
from tests.conftest import copy_project


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = variants.load_variant

    def load(project: variants.Project, partnership_id: str, *args: object, **kwargs: object) -> variants.Variant:
        calls.append(partnership_id)
        return real(project, partnership_id, *args, **kwargs)  # type: ignore[arg-type]

    for module in (publish, integration):  # each imports the function by name
        monkeypatch.setattr(module, "load_variant", load)
    return calls


def test_a_worker_loads_the_partnership_once_for_the_site_and_its_offline_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "project", releases=True)
    config = root / "partnerships" / "northbridge" / "partnership.yml"
    text = config.read_text(encoding="utf-8").replace("  offline_copy: false\n", "  offline_copy: true\n")
    config.write_text(text, encoding="utf-8")
    calls = _counting(monkeypatch)
    out = tmp_path / "out"
    outcome = publish.build_partnership(str(root), "northbridge", str(out))
    assert outcome.ok, outcome.problems
    assert list((out / "northbridge").glob("*/*.zip")), "the offline copy was built too"
    assert calls == ["northbridge"]


def test_a_release_is_loaded_once_by_its_first_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "project", releases=True)
    config = root / "partnerships" / "kingsport" / "partnership.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  offline_copy: false\n", "  offline_copy: true\n"), encoding="utf-8")
    calls = _counting(monkeypatch)
    releases = sorted(p.name for p in (root / "partnerships" / "kingsport" / "releases").iterdir() if p.is_dir())
    outcome = publish.build_partnership(str(root), "kingsport", str(tmp_path / "out"), release=releases[0])
    assert outcome.ok, outcome.problems
    assert calls == ["kingsport"]


def test_a_loaded_variant_cannot_be_changed() -> None:
    variant = variants.load_variant(variants.Project.at(Path(__file__).resolve().parent.parent), "riverside")
    with pytest.raises(dataclasses.FrozenInstanceError):
        variant.flows = {}  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        variant.reader = variant.reader  # type: ignore[misc]
    assert variant.flows and variant.page_meta, "flows and front matter are part of what is loaded"


def test_a_failed_build_returns_problems_with_their_fields(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = root / "partnerships" / "riverside" / "partnership.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("version:", "versoin:", 1), encoding="utf-8")
    outcome = publish.build_partnership(str(root), "riverside", str(tmp_path / "out"))
    assert not outcome.ok
    assert outcome.problems and all(isinstance(p, Problem) for p in outcome.problems)
    [problem] = [p for p in outcome.problems if p.key and "versoin" in p.key]
    assert problem.file == "partnerships/riverside/partnership.yml" and problem.line and problem.fix


def test_the_parent_loads_each_partnership_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`safeguide build`'s own process: once per partnership, to plan its builds. The builds run in worker
    processes (two jobs), whose loads are counted in their own memory, not here."""
    root = copy_project(tmp_path / "project")
    calls = _counting(monkeypatch)
    outcomes = publish.publish(root, ["northbridge", "eastmoor"], tmp_path / "site", 2, on_done=lambda outcome: None)
    assert all(o.ok for o in outcomes), [o.problems for o in outcomes]
    assert sorted(calls) == ["eastmoor", "northbridge"]
