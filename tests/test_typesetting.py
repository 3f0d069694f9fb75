"""A PDF depends on the machine's fonts: neither cache may publish one laid out with other fonts (issue 16, point 2).

Found on a fresh machine following README: `scripts/demo.sh` built and cached the PDFs in DejaVu Sans; `scripts/test.sh`
then installed Chromium, which brings Liberation Sans, the first font of our PDF stylesheet, and the demo build the
tests share came from the cache, 117 pages against a fresh build's 110. The fonts here are the test's own: a
fontconfig configuration (FONTCONFIG_FILE) naming one folder, into which fonts are copied from the system's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from safeguide.build import typesetting
from tests.conftest import copy_project, safeguide

SYSTEM_FONTS = Path("/usr/share/fonts")
CONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def system_font(name: str) -> Path:
    found = sorted(SYSTEM_FONTS.rglob(name))
    assert found, f"{name} is not installed: scripts/test.sh installs fonts-dejavu-core and fonts-liberation"
    return found[0]


@pytest.fixture
def fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty font folder, the only one fontconfig reads in this test and the builds it starts."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(CONFIG.format(fonts=folder, cache=tmp_path / "fontconfig-cache"), encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    return folder


def test_the_digest_changes_with_the_fonts_fontconfig_finds_and_only_then(fonts: Path) -> None:
    shutil.copy(system_font("DejaVuSans.ttf"), fonts)
    before = typesetting.measure()
    assert typesetting.measure() == before, "nothing changed"
    (fonts / "more").mkdir()
    shutil.copy(system_font("LiberationSans-Regular.ttf"), fonts / "more")
    added = typesetting.measure()
    assert added != before, "a font added in a folder under a configured one"
    (fonts / "more" / "LiberationSans-Regular.ttf").write_bytes(system_font("LiberationSans-Bold.ttf").read_bytes())
    assert typesetting.measure() != added, "a font file replaced by another"


def test_the_digest_changes_with_the_zlib_that_compresses_the_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    before = typesetting.measure()
    monkeypatch.setattr(typesetting.zlib, "ZLIB_RUNTIME_VERSION", "0.0.1")
    assert typesetting.measure() != before


def pdf_fonts(path: Path) -> set[str]:
    """The fonts a PDF embeds, by name without the subset prefix or dashes ("DejaVuSansBold")."""
    names = set()
    for page in PdfReader(path).pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1].replace("-", ""))
    return names


def test_new_fonts_rebuild_a_cached_edition_and_its_pdf(tmp_path: Path, fonts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEGUIDE_CACHE", str(tmp_path / "cache"))  # both caches: finished editions and PDFs
    project = copy_project(tmp_path / "project")
    config = project / "partnerships" / "eastmoor" / "partnership.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  pdf: false\n", ""), encoding="utf-8")
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(system_font(name), fonts)

    def build() -> tuple[str, set[str]]:
        result = safeguide("build", "eastmoor", "--out", str(tmp_path / "site"), cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
        [pdf] = (tmp_path / "site" / "eastmoor").glob("*/eastmoor-guidance-*.pdf")
        return result.stdout, pdf_fonts(pdf)

    said, used = build()
    assert used and all(name.startswith("DejaVuSans") for name in used), used
    said, again = build()
    assert "from the cache" in said and again == used, "nothing changed: the cache serves the edition"

    for name in ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"):
        shutil.copy(system_font(name), fonts)
    said, used = build()
    assert "from the cache" not in said, said
    assert used and all(name.startswith("LiberationSans") for name in used), f"the PDF is laid out again in the stylesheet's first font: {used}"
