"""Approved releases cannot change unnoticed (cases R01, R03, R14): `release` records a digest of every
file it froze (SHA256SUMS, sha256sum's format); `build` refuses and `review` reports a release whose
files no longer match, naming each file and how to restore it; restoring it makes the build pass again."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from safeguide.core.integrity import DIGESTS_FILE, digests, read_digests
from safeguide.core.releases import load_history
from tests.conftest import ROOT, copy_project, demo_ids

EASTMOOR_40 = Path("partnerships/eastmoor/releases/4.0")
RESTORE = "git checkout HEAD -- partnerships/eastmoor/releases/4.0/"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "safeguide", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def said(result: subprocess.CompletedProcess[str]) -> str:
    return " ".join((result.stdout + result.stderr).split())


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", releases=True)


def test_every_demo_release_has_digests_that_match_its_files() -> None:
    for pid in demo_ids():
        past, problems = load_history(ROOT, pid)
        assert problems == [], problems
        assert past and all(f.sealed for f in past), f"{pid}: a release without {DIGESTS_FILE}"
        for frozen in past:
            assert read_digests(frozen.folder, frozen.shown) == digests(frozen.folder)


def test_r01_a_hand_edited_release_stops_build_and_review_until_it_is_restored(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run("build", "eastmoor", "--out", str(site), cwd=project).returncode == 0
    published = tree_digest(site)
    config = project / EASTMOOR_40 / "partnership" / "partnership.yml"
    approved = config.read_bytes()
    config.write_bytes(approved.replace(b"0113 496 0111", b"0113 496 0999"))
    assert approved != config.read_bytes()

    built = run("build", "eastmoor", "--out", str(site), cwd=project)
    text = said(built)
    assert built.returncode == 1 and "Traceback" not in text and "internal error" not in text, text
    assert "partnerships/eastmoor/releases/4.0/partnership/partnership.yml: this file of approved version 4.0 has been changed since it was approved" in text
    assert RESTORE + "partnership/partnership.yml" in text
    assert tree_digest(site) == published, "a refused build changed what was published"
    assert "0113 496 0999" not in (site / "eastmoor" / "4.0" / "contacts" / "index.html").read_text(encoding="utf-8")

    reviewed = run("review", "eastmoor", cwd=project)
    text = said(reviewed)
    assert reviewed.returncode == 1 and "Traceback" not in text and "internal error" not in text, text
    assert "Approved versions changed since approval" in text and "partnership/partnership.yml" in text
    assert text.count("has been changed since it was approved") == 1, "said once, not again as a build problem"
    assert "approved version 4.0 cannot be published until its files are restored" in text
    assert "nothing approved yet" not in text and "no version has been approved yet" not in text, text

    config.write_bytes(approved)  # what `git checkout HEAD -- …` does
    assert run("build", "eastmoor", "--out", str(site), cwd=project).returncode == 0


def test_r03_r14_corrupt_added_and_removed_release_files_are_each_named_with_a_fix(project: Path, tmp_path: Path) -> None:
    release = project / EASTMOOR_40
    (release / "pages.json").write_text('{"about.md": {"blocks": [\n', encoding="utf-8")  # R03
    (release / "nav.yml").write_text("- Home: [index.md\n", encoding="utf-8")  # R14
    (release / "docs" / "extra.md").write_text("---\nreviewed: 2026-01-01\n---\n\n# Added later\n", encoding="utf-8")
    (release / "docs" / "about.md").unlink()
    (release / "docs" / ".about.md.swp").write_text("an editor's file: not part of the release", encoding="utf-8")
    sums = project / "partnerships" / "kingsport" / "releases" / "2026.1" / DIGESTS_FILE
    sums.write_text(sums.read_text(encoding="utf-8").replace("  ", " ", 1), encoding="utf-8")  # the record itself

    built = run("build", "eastmoor", "kingsport", "--out", str(tmp_path / "site"), cwd=project)
    text = said(built)
    assert built.returncode == 1 and "Traceback" not in text and "internal error" not in text, text
    assert not (tmp_path / "site").exists()
    assert "releases/4.0/pages.json, line 2: this is not valid JSON" in text and RESTORE + "pages.json" in text
    assert "releases/4.0/nav.yml, line 2: this is not valid YAML" in text and RESTORE + "nav.yml" in text
    assert "releases/4.0/docs/extra.md: this file was added to approved version 4.0 after it was approved" in text
    assert "releases/4.0/docs/about.md: this file of approved version 4.0 is missing" in text and RESTORE + "docs/about.md" in text
    assert ".swp" not in text
    assert "releases/2026.1/SHA256SUMS, line 1: this line is not a file's digest" in text

    # check meets the releases inside MkDocs (while building the working copy): each file still counted apart
    checked = run("check", "eastmoor", cwd=project)
    assert checked.returncode == 1 and "eastmoor: 4 problems" in said(checked), said(checked)

    reviewed = run("review", "eastmoor", "--format", "json", cwd=project)
    assert reviewed.returncode == 1 and "Traceback" not in reviewed.stderr, reviewed.stderr
    findings = json.loads(reviewed.stdout)["partnerships"][0]["findings"]
    named = {(f["file"].rsplit("/4.0/", 1)[1], f.get("line")) for f in findings if f["kind"] == "release"}
    assert named == {("pages.json", 2), ("nav.yml", 2), ("docs/extra.md", None), ("docs/about.md", None)}, findings
    assert not any("internal error" in f["message"] for f in findings)


def test_a_corrupt_release_without_digests_is_still_a_clear_problem(project: Path) -> None:
    release = project / EASTMOOR_40
    (release / DIGESTS_FILE).unlink()
    (release / "pages.json").write_text("[1, 2]\n", encoding="utf-8")
    (release / "release.yml").write_text("version: '4.0'\ndate: 2017-02-30\n", encoding="utf-8")
    checked = run("check", "eastmoor", cwd=project)
    text = said(checked)
    assert checked.returncode == 1 and "Traceback" not in text and "internal error" not in text, text
    assert "releases/4.0/pages.json: this is not the text of a release's pages" in text
    assert "releases/4.0/release.yml, line 2, date: 2017-02-30 is not a real date: February 2017 has 28 days" in text
    assert "Restore it from version control" in text


def test_an_older_release_without_digests_is_published_with_a_warning_and_can_be_protected(project: Path, tmp_path: Path) -> None:
    recorded = (project / EASTMOOR_40 / DIGESTS_FILE).read_bytes()
    (project / EASTMOOR_40 / DIGESTS_FILE).unlink()
    built = run("build", "eastmoor", "--out", str(tmp_path / "site"), cwd=project)
    assert built.returncode == 0, said(built)
    assert "Warning" in built.stderr and "safeguide release eastmoor 4.0 --record-digests" in said(built)
    assert (tmp_path / "site" / "eastmoor" / "4.0" / "index.html").is_file()
    reviewed = run("review", "eastmoor", "--format", "json", cwd=project)
    assert reviewed.returncode == 0, reviewed.stderr
    unsealed = [f for f in json.loads(reviewed.stdout)["partnerships"][0]["findings"] if f["kind"] == "digests"]
    assert len(unsealed) == 1 and "cannot be noticed" in unsealed[0]["message"]
    assert "safeguide release eastmoor 4.0 --record-digests" in unsealed[0]["fix"]

    sealed = run("release", "eastmoor", "4.0", "--record-digests", cwd=project)
    assert sealed.returncode == 0, said(sealed)
    assert (project / EASTMOOR_40 / DIGESTS_FILE).read_bytes() == recorded
    again = run("release", "eastmoor", "4.0", "--record-digests", cwd=project)
    assert again.returncode == 1 and "already has its digests recorded" in said(again)


def test_a_new_release_records_the_digest_of_every_file_it_froze(project: Path) -> None:
    config = project / "partnerships" / "kingsport" / "partnership.yml"
    config.write_text(re.sub(r"^version: .*$", 'version: "2027.1"', config.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    released = run("release", "kingsport", "2027.1", "--approved-by", "Kingsport Test Board", "--date", "2027-01-10", cwd=project)
    assert released.returncode == 0, said(released)
    folder = project / "partnerships" / "kingsport" / "releases" / "2027.1"
    recorded = (folder / DIGESTS_FILE).read_text(encoding="utf-8").splitlines()
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != DIGESTS_FILE)
    assert sorted(line.split("  ", 1)[1] for line in recorded) == files
    assert {"release.yml", "nav.yml", "pages.json", "partnership/partnership.yml"} <= set(files)
    for line in recorded:  # sha256sum -c would agree
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
