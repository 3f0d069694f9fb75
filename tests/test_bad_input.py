"""Each bad input: non-zero exit, a message naming file and key or role, no traceback, and the
previously published site left byte-for-byte as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import safeguide


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def yml(project: Path) -> Path:
    return project / "partnerships" / "riverside" / "partnership.yml"


def unknown_key(project: Path) -> tuple[str, ...]:
    edit(yml(project), "brand:\n", "brand:\n  colour: \"#000000\"\n")
    return ("partnerships/riverside/partnership.yml", "brand.colour", "not a setting")


def invalid_phone(project: Path) -> tuple[str, ...]:
    text = yml(project).read_text(encoding="utf-8")
    first = text.split('phone: "', 1)[1].split('"', 1)[0]
    edit(yml(project), f'phone: "{first}"', 'phone: "0117 496 01"')
    return ("partnerships/riverside/partnership.yml", ".phone", "not a valid UK phone number")


def role_missing(project: Path) -> tuple[str, ...]:
    page = project / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + '\nAsk {{ contact("youth_offending_team") }}.\n', encoding="utf-8")
    return ("docs/about.md", "youth_offending_team", "has no such contact")


def yaml_syntax(project: Path) -> tuple[str, ...]:
    edit(yml(project), "contacts:\n", "contacts: [\n")
    return ("partnerships/riverside/partnership.yml", "line", "not valid YAML")


def low_contrast(project: Path) -> tuple[str, ...]:
    text = yml(project).read_text(encoding="utf-8")
    primary = text.split("primary: ", 1)[1].split("\n", 1)[0]
    edit(yml(project), f"primary: {primary}", 'primary: "#ffcc00"')
    return ("partnerships/riverside/partnership.yml", "brand.primary", ":1")


def missing_logo(project: Path) -> tuple[str, ...]:
    text = yml(project).read_text(encoding="utf-8")
    if "logo:" in text:
        logo = text.split("logo: ", 1)[1].split("\n", 1)[0].strip().strip('"')
        (yml(project).parent / logo).unlink()
    else:
        edit(yml(project), "brand:\n", "brand:\n  logo: logo.svg\n")
    return ("partnerships/riverside/partnership.yml", "brand.logo", "does not exist")


def no_review_date(project: Path) -> tuple[str, ...]:
    page = project / "docs" / "consent.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.split("---\n", 2)[2], encoding="utf-8")  # drop the front matter
    return ("docs/consent.md", "does not say when it was last reviewed", "reviewed:")


def unknown_source(project: Path) -> tuple[str, ...]:
    edit(project / "docs" / "consent.md", "info-sharing-2024", "info-sharing-2042")
    return ("docs/consent.md", "follows", "'info-sharing-2042' is not a source", "info-sharing-2024")


def linked_page_left_out(project: Path) -> tuple[str, ...]:
    edit(yml(project), "exclude: []", "exclude:\n  - consent.md")
    return ("partnerships/riverside/partnership.yml", "exclude[1]", "'consent.md' cannot be left out", "link")


BAD_INPUTS: dict[str, Callable[[Path], tuple[str, ...]]] = {
    "page without a review date": no_review_date,
    "page following an unknown source": unknown_source,
    "left-out page that others link to": linked_page_left_out,
    "unknown key": unknown_key,
    "invalid phone number": invalid_phone,
    "contact role a page uses but the partnership lacks": role_missing,
    "YAML syntax error": yaml_syntax,
    "brand colour with too little contrast": low_contrast,
    "missing logo file": missing_logo,
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    from tests.conftest import copy_project

    base = tmp_path_factory.mktemp("published")
    project = copy_project(base / "project")
    result = safeguide("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project, tree_digest(project / "site")


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_fails_clearly_and_leaves_the_site_alone(
    published: tuple[Path, dict[str, str]], tmp_path: Path, name: str, command: str
) -> None:
    import shutil

    source, digest = published
    project = tmp_path / "project"
    shutil.copytree(source, project)
    expected = BAD_INPUTS[name](project)

    result = safeguide(command, cwd=project)

    said = result.stdout + result.stderr
    assert result.returncode != 0, said
    assert "Traceback" not in said
    for fragment in expected:
        assert fragment in said, f"{fragment!r} missing from:\n{said}"
    assert "How to fix" in said
    assert tree_digest(project / "site") == digest
    assert not list(project.glob(".site.*")), "staging folders must be cleaned up"


def test_failure_in_one_partnership_publishes_none(published: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    import shutil

    source, digest = published
    project = tmp_path / "project"
    shutil.copytree(source, project)
    low_contrast(project)
    result = safeguide("build", "--jobs", "2", cwd=project)
    assert result.returncode == 1
    assert "Nothing was published" in result.stderr
    assert tree_digest(project / "site") == digest


def test_unknown_partnership_is_named(project: Path) -> None:
    result = safeguide("build", "nowhere", cwd=project)
    assert result.returncode == 1
    assert "there is no partnership 'nowhere'" in result.stderr and "Traceback" not in result.stderr
