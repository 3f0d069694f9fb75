"""Files saved with Windows line endings (CRLF) read exactly as the same files with LF.

Found by a new user: a local page saved in Notepad was refused with "this page does not say when it was last
reviewed" although its first lines said so, because safeguide read the carriage returns that MkDocs drops
(MkDocs reads pages with Python's universal newlines). The kind is any file safeguide reads itself: the
baseline's pages and flows, a partnership's settings, pages and slots. So the whole project is converted here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_project, safeguide
from tests.test_edition_cache import same_tree

TEXT = {".md", ".yml", ".yaml"}


def with_crlf(project: Path) -> int:
    converted = 0
    for path in sorted(project.rglob("*")):
        if path.suffix in TEXT and path.is_file():
            data = path.read_bytes()
            assert b"\r" not in data, f"{path} already has carriage returns"
            path.write_bytes(data.replace(b"\n", b"\r\n"))
            converted += 1
    return converted


def test_a_project_saved_with_windows_line_endings_checks_and_builds_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEGUIDE_CACHE", "off")
    lf, crlf = copy_project(tmp_path / "lf"), copy_project(tmp_path / "crlf")
    assert with_crlf(crlf) > 50, "the baseline pages, flows, partnership settings, local pages and slots"
    checked = safeguide("check", "eastmoor", "riverside", cwd=crlf)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for project in (lf, crlf):
        result = safeguide("build", "eastmoor", "--out", str(project / "site"), cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
    assert same_tree(lf / "site", crlf / "site") == []
