"""The theme's compiled templates are kept for the process (safeguide.build.compiled_templates): an edited template
is still compiled afresh, and environments that compile differently never share code."""

from __future__ import annotations

from pathlib import Path

import jinja2

from safeguide.build.compiled_templates import CompiledTemplates


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
