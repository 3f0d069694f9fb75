"""Overlays: a partnership adds pages, replaces baseline pages, leaves some out and fills slots."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from safeguide.core.variants import Project
from safeguide.site.scaffold import scaffold
from tests.conftest import safeguide

NAME = "Testshire Safeguarding Partnership"
FRONT = "---\nreviewed: 2026-11-01\n---\n\n"  # every page says when it was last reviewed


def make_partnership(project: Path, **extra: object) -> Path:
    folder = scaffold(Project.at(project), "testshire", NAME)
    data = yaml.safe_load((folder / "partnership.yml").read_text())
    for i, role in enumerate(sorted(data["contacts"])):
        data["contacts"][role] = {"name": f"Testshire {role}", "phone": f"0151 496 0{i:03d}"}
    data.update(extra)
    (folder / "partnership.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def build(project: Path) -> tuple[int, str]:
    result = safeguide("build", "testshire", cwd=project)
    return result.returncode, result.stdout + result.stderr


def page(project: Path, path: str) -> str:
    return (project / "site" / "testshire" / "1.0" / path).read_text(encoding="utf-8")


def test_overlay_adds_and_replaces_pages_and_leaves_pages_out(project: Path) -> None:
    folder = make_partnership(project, exclude=["disclosure-schemes.md"])
    # Nothing may link to a page that is left out; replace the baseline pages that do.
    for md in (project / "docs").rglob("*.md"):
        if "disclosure-schemes.md" in md.read_text() and md.name != "disclosure-schemes.md":
            local = folder / "docs" / md.relative_to(project / "docs")
            local.parent.mkdir(parents=True, exist_ok=True)
            # Keep the sections (flows link to them), drop the text.
            sections = "\n\n".join(line for line in md.read_text().splitlines() if line.startswith("## ") and "{#" in line)
            local.write_text(FRONT + f"# Local {md.stem}\n\nOur own version of this page.\n\n{sections}\n")
    (folder / "docs" / "about.md").write_text(FRONT + "# About Testshire's guidance\n\nWritten locally. Ask {{ contact(\"lado\") }}.\n")
    (folder / "docs" / "local-procedures.md").write_text(FRONT + "# Testshire procedures\n\nOnly in Testshire.\n")
    code, said = build(project)
    assert code == 0, said

    about = page(project, "about/index.html")
    assert "Written locally." in about and "Testshire lado" in about
    prose = [line for line in (project / "docs" / "about.md").read_text().splitlines() if re.fullmatch(r"[A-Za-z ,.']{40,}.*", line)]
    baseline_words = re.match(r"[A-Za-z ,.']{40}", prose[0]).group(0)  # plain words, rendered as written
    assert baseline_words not in about, "the baseline page should have been replaced"
    added = page(project, "local-procedures/index.html")
    assert "Only in Testshire." in added
    home = page(project, "index.html")
    assert "Local information" in home and "local-procedures/" in home
    assert not (project / "site" / "testshire" / "1.0" / "disclosure-schemes").exists()
    assert "disclosure-schemes/" not in home


def test_slot_is_filled_with_labelled_local_text(project: Path) -> None:
    folder = make_partnership(project)
    (folder / "slots" / "escalation.md").write_text("Tell the Testshire escalation desk on {{ phone(\"partnership_team\") }}.\n")
    code, said = build(project)
    assert code == 0, said
    deciding = page(project, "deciding/index.html")
    assert 'data-slot="escalation"' in deciding
    assert "Tell the Testshire escalation desk" in deciding and 'href="tel:+44151496' in deciding


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"exclude": ["urgent.md"]}, ["exclude[1]", "cannot be left out"]),
        ({"exclude": ["golden-rule.md"]}, ["exclude[1]", "not a baseline page", "golden-rules.md"]),
        ({"exclude": ["../mkdocs.yml"]}, ["exclude[1]", "outside the partnership's folder"]),
    ],
)
def test_bad_exclusions_are_named(project: Path, change: dict, expected: list[str]) -> None:
    make_partnership(project, **change)
    code, said = build(project)
    assert code == 1 and "Traceback" not in said
    for fragment in expected:
        assert fragment in said


def test_national_role_cannot_be_redefined(project: Path) -> None:
    folder = make_partnership(project)
    data = yaml.safe_load((folder / "partnership.yml").read_text())
    data["contacts"]["emergency"] = {"name": "Our 999", "phone": "0151 496 0999"}
    (folder / "partnership.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    code, said = build(project)
    assert code == 1 and "contacts.emergency" in said and "national number" in said


def test_contact_role_typo_is_caught(project: Path) -> None:
    folder = make_partnership(project)
    data = yaml.safe_load((folder / "partnership.yml").read_text())
    data["contacts"]["childrens_front_door"] = data["contacts"]["children_front_door"]
    (folder / "partnership.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    code, said = build(project)
    assert code == 1 and "contacts.childrens_front_door" in said and "children_front_door" in said


def test_slot_nobody_offers_is_caught(project: Path) -> None:
    folder = make_partnership(project)
    (folder / "slots" / "escalaton.md").write_text("Local text.\n")
    code, said = build(project)
    assert code == 1 and "slots/escalaton.md" in said and "escalation.md" in said


def test_overlay_cannot_reach_outside_its_folder(project: Path, tmp_path: Path) -> None:
    folder = make_partnership(project)
    secret = tmp_path / "secret.md"
    secret.write_text(FRONT + "# Secret\n")
    os.symlink(secret, folder / "docs" / "secret.md")
    code, said = build(project)
    assert code == 1 and "docs/secret.md" in said and "outside the partnership's folder" in said
    assert f"{folder.relative_to(project).as_posix()}/docs/secret.md: this file is a link to {secret}" in said, "the link, by its own name"
