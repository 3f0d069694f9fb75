"""Everything we publish is in our own words: no 12-word run shared with the source documents."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

TOOL = ROOT.parent / "shared" / "tools" / "seed_overlap.py"


def test_no_passage_repeats_the_source_documents() -> None:
    assert TOOL.is_file(), f"{TOOL} is missing: the shared folder must sit beside the repository"
    paths = [p for p in ("docs", "partnerships", "overrides", "safeguide/render/templates") if (ROOT / p).exists()]
    result = subprocess.run([sys.executable, str(TOOL), *paths], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, "rewrite these in our own words:\n" + result.stdout


def test_the_check_itself_catches_a_copied_passage(tmp_path) -> None:
    seed = sorted((TOOL.parent.parent / "seeds").glob("*.txt"))[0].read_text(errors="replace")
    words = seed.split()
    copied = tmp_path / "copied.md"
    copied.write_text(" ".join(words[200:230]) + "\n")
    result = subprocess.run([sys.executable, str(TOOL), str(copied)], capture_output=True, text=True)
    assert result.returncode == 1
