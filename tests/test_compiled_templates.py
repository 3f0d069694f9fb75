"""What a worker keeps of the theme between the editions it builds: compiled templates
(safeguide.build.compiled_templates), of which an edited template is still compiled afresh and which environments that
compile differently never share; and the listing of the theme's files (safeguide.build.theme_files), which publishes
exactly what MkDocs publishes."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from safeguide.build import theme_files
from safeguide.build.compiled_templates import CompiledTemplates
from safeguide.build.theme_files import ThemeLoader
from tests.conftest import ROOT


def _env(folder: Path, cache: CompiledTemplates, **options: object) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), auto_reload=False, **options)  # as MkDocs makes it, per build
    env.bytecode_cache = cache
    return env


def test_a_second_build_reuses_the_code_and_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    cache = CompiledTemplates()
    (tmp_path / "main.html").write_text("<p>{{ name }}, version 1</p>", encoding="utf-8")
    assert _env(tmp_path, cache).get_template("main.html").render(name="Riverside") == "<p>Riverside, version 1</p>"
    assert len(cache._code) == 1
    assert _env(tmp_path, cache).get_template("main.html").render(name="Kingsport") == "<p>Kingsport, version 1</p>"
    (tmp_path / "main.html").write_text("<p>{{ name }}, version 2</p>", encoding="utf-8")  # e.g. during `safeguide serve`
    assert _env(tmp_path, cache).get_template("main.html").render(name="Riverside") == "<p>Riverside, version 2</p>"


def test_environments_that_compile_differently_do_not_share_code(tmp_path: Path) -> None:
    cache = CompiledTemplates()
    (tmp_path / "page.html").write_text("{{ text }}\n{% if x %}yes{% endif %}\nend", encoding="utf-8")
    plain = _env(tmp_path, cache).get_template("page.html").render(text="<b>", x=True)
    escaped = _env(tmp_path, cache, autoescape=True).get_template("page.html").render(text="<b>", x=True)
    trimmed = _env(tmp_path, cache, trim_blocks=True).get_template("page.html").render(text="<b>", x=True)
    assert (plain, escaped, trimmed) == ("<b>\nyes\nend", "&lt;b&gt;\nyes\nend", "<b>\nyesend")
    assert len(cache._code) == 3


# --- The theme's files, listed once per process (safeguide.build.theme_files) ---------------------------------------

def _config(overrides: Path) -> MkDocsConfig:
    """The project's configuration with `overrides` as the theme's custom_dir."""
    return load_config(str(ROOT / "mkdocs.yml"), theme={"name": "material", "custom_dir": str(overrides)})


def _theme_dirs(overrides: Path) -> list[str]:
    """The theme's folders as MkDocs orders them: the overrides, Material, MkDocs' own."""
    dirs: list[str] = _config(overrides).theme.dirs
    assert Path(dirs[0]).resolve() == overrides.resolve()
    return dirs


def _published(loader: jinja2.BaseLoader, overrides: Path) -> set[str]:
    """The theme files MkDocs would publish with this loader (Files.add_files_from_theme, as in a build)."""
    config = _config(overrides)
    files = Files([])
    files.add_files_from_theme(jinja2.Environment(loader=loader), config)
    return {file.src_uri for file in files}


def test_the_theme_loader_publishes_what_mkdocs_publishes_and_loads_hidden_templates(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    (overrides / "assets").mkdir(parents=True)
    (overrides / "assets" / "ours.css").write_text("p{}", encoding="utf-8")
    (overrides / ".hidden").mkdir()
    (overrides / ".hidden" / "secret.css").write_text("p{}", encoding="utf-8")
    dirs = _theme_dirs(overrides)
    plain = jinja2.FileSystemLoader(dirs)
    ours = ThemeLoader(dirs, {overrides.resolve()})
    published = _published(ours, overrides)
    assert published == _published(plain, overrides)
    assert "assets/ours.css" in published and not [uri for uri in published if "/." in "/" + uri]
    assert ours.list_templates() == [name for name in plain.list_templates() if not any(part.startswith(".") for part in name.split("/"))]
    env = jinja2.Environment(loader=ours)
    assert "<svg" in env.get_template(".icons/material/phone.svg").render()  # Material includes its icons by name


def test_the_overrides_are_listed_afresh_and_an_installed_theme_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    dirs = _theme_dirs(overrides)
    ours = ThemeLoader(dirs, {overrides.resolve()})
    assert "late.css" not in ours.list_templates()
    (overrides / "late.css").write_text("p{}", encoding="utf-8")  # e.g. added while `safeguide serve` runs
    walked: list[str] = []
    real_walk = theme_files._walk
    monkeypatch.setattr(theme_files, "_walk", lambda folder, follow: walked.append(folder) or real_walk(folder, follow))
    assert "late.css" in ThemeLoader(dirs, {overrides.resolve()}).list_templates()
    assert walked == [str(overrides)]  # Material's and MkDocs' folders came from the process's listing
