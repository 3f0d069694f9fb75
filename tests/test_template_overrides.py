"""A site replaces any of the package's templates from overrides/safeguide/ (issue 15), as it replaces
Material's partials from overrides/partials/: the built pages and the landing page use the site's copy,
and the copy itself is not published."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT, copy_project, safeguide

TEMPLATES = ROOT / "safeguide" / "render" / "templates"


def _override(project: Path, name: str, old: str, new: str) -> None:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    assert old in text, f"{name} no longer has {old!r}: update this test"
    target = project / "overrides" / "safeguide" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_sites_own_templates_replace_the_packages(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    _override(project, "contact/card.html", 'class="sg-contact-card"', 'class="sg-contact-card" data-local-card')
    _override(project, "flow/helper.html", "data-flow=", "data-local-helper data-flow=")
    _override(project, "landing.html", '<html lang="en">', '<html lang="en" data-local-landing>')
    out = tmp_path / "site"
    result = safeguide("build", "northbridge", "--out", str(out), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    built = [p.read_text(encoding="utf-8") for p in (out / "northbridge").glob("*/**/index.html")]
    assert any("data-local-card" in html for html in built), "a contact card from the site's template"
    assert any("data-local-helper" in html for html in built), "a decision helper from the site's template"
    assert "data-local-landing" in (out / "index.html").read_text(encoding="utf-8")
    assert not list(out.rglob("card.html")) and not [p for p in out.rglob("*") if "safeguide" in p.relative_to(out).parts[:3]], "the overrides are not published"
