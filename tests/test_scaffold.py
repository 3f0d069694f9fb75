"""`safeguide new` then filling in the scaffold is all it takes to add a partnership."""

from __future__ import annotations

from pathlib import Path

import yaml

from safeguide.core.variants import Project, roles_in_use
from tests.conftest import safeguide


def test_new_then_fill_in_is_all_it_takes(project: Path) -> None:
    result = safeguide("new", "north-vale", "--name", "North Vale Safeguarding Partnership", cwd=project)
    assert result.returncode == 0, result.stderr
    yml = project / "partnerships" / "north-vale" / "partnership.yml"
    roles = roles_in_use(Project.at(project))
    scaffold = yaml.safe_load(yml.read_text())
    assert scaffold["name"] == "North Vale Safeguarding Partnership"
    assert set(scaffold["contacts"]) == set(roles)

    unfilled = safeguide("check", "north-vale", cwd=project)
    assert unfilled.returncode != 0
    assert "Traceback" not in unfilled.stderr
    for role in roles:
        assert f"contacts.{role}" in unfilled.stderr, f"{role} not named"
    assert "not filled in yet" in unfilled.stderr

    for i, role in enumerate(sorted(roles)):
        scaffold["contacts"][role] = {"name": f"North Vale {role.replace('_', ' ')}", "phone": f"0114 496 0{i:03d}"}
    scaffold["reader"] = {"pdf": False, "offline_copy": False}  # seconds of CPU each; the demo's build tests them
    yml.write_text(yaml.safe_dump(scaffold, allow_unicode=True, sort_keys=False))
    assert safeguide("check", "north-vale", cwd=project).returncode == 0

    built = safeguide("build", "north-vale", cwd=project)
    assert built.returncode == 0, built.stderr
    home = (project / "site" / "north-vale" / "1.0" / "index.html").read_text()
    assert "North Vale Safeguarding Partnership" in home
    assert "North Vale Safeguarding Partnership" in (project / "site" / "index.html").read_text()


def test_new_refuses_existing_folder_and_bad_ids(project: Path) -> None:
    existing = safeguide("new", "riverside", "--name", "Again", cwd=project)
    assert existing.returncode == 1 and "already exists" in existing.stderr
    bad = safeguide("new", "Bad Id", "--name", "X", cwd=project)
    assert bad.returncode == 1 and "cannot be a partnership id" in bad.stderr
    assert "Traceback" not in existing.stderr + bad.stderr
