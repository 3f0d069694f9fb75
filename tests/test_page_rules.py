"""What pages and slots may include and contain, and which logos are published (issue 11, items 10 and 11).

Each refused include, raw HTML element or logo is a normal problem (file, line or key, fix) from the
real command, never a traceback or "internal error", and nothing of another partnership or of the
project's settings is published. Cases S01-S09 from shared/cases/hostile-inputs are kept here.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import copy_project, safeguide

RIVERSIDE = Path("partnerships/riverside")
KINGSPORT_NUMBER = "020 7946 0111"  # in Kingsport's partnership.yml only
EASTMOOR_NUMBER = "0113 496 0101"  # in Eastmoor's only
FRONT = "---\nreviewed: 2026-01-01\n---\n\n# Test page\n\n"

# The hostile-input cases, as the case folders give them: (where the file goes, its text, the line reported).
SNIPPET_CASES = {
    "S01": ("docs/zz-s01.md", FRONT + '--8<-- "/etc/passwd"\n', 7, "/etc/passwd"),
    "S02": ("docs/zz-s02.md", FRONT + '--8<-- "../../../etc/hostname"\n', 7, "../../../etc/hostname"),
    "S03": ("docs/zz-s03.md", FRONT + '--8<-- "partnerships/kingsport/partnership.yml"\n', 7, "partnerships/kingsport/partnership.yml"),
    "S04": ("docs/zz-s04.md", FRONT + '--8<-- "../kingsport/partnership.yml"\n', 7, "../kingsport/partnership.yml"),
    "S05": ("slots/escalation.md", '--8<-- "partnerships/kingsport/partnership.yml"\n', 1, "partnerships/kingsport/partnership.yml"),
    "S06": ("docs/zz-s06.md", FRONT + '--8<-- "https://example.org/x.md"\n', 7, "https://example.org/x.md"),
    "S07": ("docs/zz-s07.md", FRONT + '--8<-- "mkdocs.yml"\n', 7, "mkdocs.yml"),
    "S09": ("docs/zz-s09.md", FRONT + "--8<--\npartnerships/eastmoor/partnership.yml\n--8<--\n", 8, "partnerships/eastmoor/partnership.yml"),
}
LEAKING = ("S03", "S05", "S07", "S09")  # those that published another partnership's or the project's file


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def said(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


def assert_clear_failure(result: subprocess.CompletedProcess[str]) -> str:
    text = said(result)
    assert result.returncode != 0, text
    assert "Traceback" not in text and "internal error" not in text and "Please report it" not in text, text
    assert "How to fix" in text, text
    return text


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def text_of(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


# --- includes -------------------------------------------------------------------------------------------


def test_every_refused_include_is_a_problem_with_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", releases=True)
    own = project / RIVERSIDE
    for where, text, _, _ in SNIPPET_CASES.values():
        write(own / where, text)
    # The other places of the kind: a baseline page, a file included by an allowed include, the
    # partnership's own releases and hidden files (a release would not freeze them), a folder, a file
    # that is not there, a link that leads out of the folder, the block form with several paths.
    append(project / "docs" / "golden-rules.md", '\n--8<-- "../partnerships/kingsport/partnership.yml"\n')
    write(own / "includes" / "nested.md", 'Text.\n\n--8<-- "../kingsport/partnership.yml"\n')
    write(own / ".hidden.md", "Hidden.\n")
    (own / "kingsport-link").symlink_to(project / "partnerships" / "kingsport")
    write(own / "docs" / "zz-more.md", FRONT + "\n".join([
        '--8<-- "includes/nested.md"',          # line 7: allowed; its own include (line 3) is not
        '--8<-- "releases/3.1/release.yml"',    # line 8
        '--8<-- ".hidden.md"',                  # line 9
        '--8<-- "includes"',                    # line 10: a folder
        '--8<-- "includes/not-there.md"',       # line 11
        '--8<-- "kingsport-link/partnership.yml"',  # line 12
        "-8<-",                                 # line 13: a block, with a shorter marker
        "includes/nested.md",                   # line 14: allowed
        "mkdocs.yml",                           # line 15
        "-8<-",
        '--8<-- "includes/nested.md:no-such-part"',  # line 17
        '--8<-- "docs/_data/baseline.yml"',     # line 18: an allowed file, named from the project
        "",
    ]))

    text = assert_clear_failure(safeguide("check", "riverside", cwd=project))

    for where, _, line, target in SNIPPET_CASES.values():
        assert f"{RIVERSIDE / where}, line {line}: snippets cannot include {target}" in text, text
    for line, target in [(8, "releases/3.1/release.yml"), (9, ".hidden.md"), (10, "includes"), (11, "includes/not-there.md"), (12, "kingsport-link/partnership.yml"), (15, "mkdocs.yml")]:
        assert f"{RIVERSIDE}/docs/zz-more.md, line {line}: snippets cannot include {target}" in text, text
    assert "docs/golden-rules.md, line" in text and "snippets cannot include ../partnerships/kingsport/partnership.yml" in text
    assert "snippets cannot include releases/3.1/release.yml: approved releases cannot be included" in text
    assert f"{RIVERSIDE}/includes/nested.md, line 3: snippets cannot include ../kingsport/partnership.yml" in text
    assert "there is no such file" in text  # the missing file is told apart from a refused one
    assert f"zz-more.md, line 17: snippets cannot include includes/nested.md:no-such-part: {RIVERSIDE}/includes/nested.md has no part called 'no-such-part'" in text
    assert "zz-more.md, line 7:" not in text and "zz-more.md, line 14:" not in text  # the allowed includes
    assert 'zz-more.md, line 18: snippets cannot include docs/_data/baseline.yml: paths are read from inside docs/' in text
    assert 'Leave out the folder\'s own name: --8<-- "_data/baseline.yml"' in text


def test_allowed_includes_and_html_build_and_show(tmp_path: Path) -> None:
    """`;--8<--` shows the marker as text and `;path` in a block is a comment, as pymdownx.snippets reads
    them; the partnership's own file is included; quoted HTML stays quoted and nothing runs."""
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    write(project / RIVERSIDE / "includes" / "hours.md", "Open on **weekdays** from 9am.\n")
    write(project / RIVERSIDE / "docs" / "zz-ok.md", FRONT + "\n".join([
        ';--8<-- "mkdocs.yml"',
        "--8<--",
        ";partnerships/kingsport/partnership.yml",
        "includes/hours.md",
        "--8<--",
        "",
    ]))
    write(project / RIVERSIDE / "docs" / "zz-allowed.md", FRONT + HTML_ALLOWED.replace("![A local chart](images/chart.png)", ""))
    result = safeguide("build", "riverside", "--out", str(out), cwd=project)
    assert result.returncode == 0, said(result)
    allowed = (out / "riverside" / "3.2" / "zz-allowed" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script" in allowed and 'id="local-heading"' in allowed
    assert '<script src="https://example.org' not in allowed and "<iframe" not in allowed
    page = (out / "riverside" / "3.2" / "zz-ok" / "index.html").read_text(encoding="utf-8")
    assert "Open on <strong>weekdays</strong> from 9am." in page  # the partnership's own file is included
    assert '--8&lt;-- "mkdocs.yml"' in page  # the escaped marker is shown as text, nothing included
    assert KINGSPORT_NUMBER not in text_of(out) and "safeguide baseline" not in page


def test_refused_includes_publish_nothing_and_leave_the_site_alone(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    assert safeguide("build", "riverside", "--out", str(out), cwd=project).returncode == 0
    before = tree_digest(out)
    for case in LEAKING:
        where, text, _, _ = SNIPPET_CASES[case]
        write(project / RIVERSIDE / where, text)
    # As the cases do: a new version number, so that the build would publish a new draft.
    (project / RIVERSIDE / "partnership.yml").write_text(
        (project / RIVERSIDE / "partnership.yml").read_text(encoding="utf-8").replace('version: "3.2"', 'version: "9.9"'), encoding="utf-8"
    )

    result = safeguide("build", "riverside", "--out", str(out), cwd=project)

    assert_clear_failure(result)
    assert tree_digest(out) == before
    assert KINGSPORT_NUMBER not in text_of(out) and EASTMOOR_NUMBER not in text_of(out)
    assert "site_name:" not in text_of(out) and not (out / "riverside" / "9.9").exists()


def test_an_include_a_template_writes_is_a_problem_not_an_internal_error(tmp_path: Path) -> None:
    """The build keeps to the same folders (snippets' base_path), and says so in the normal way."""
    project = copy_project(tmp_path / "project")
    write(project / RIVERSIDE / "docs" / "zz-template.md", FRONT + '{{ "--8<-" }}- "partnerships/kingsport/partnership.yml"\n')
    text = assert_clear_failure(safeguide("check", "riverside", cwd=project))
    assert f"{RIVERSIDE}/docs/zz-template.md: snippets cannot include partnerships/kingsport/partnership.yml" in text


def test_a_release_cannot_include_anything_outside_its_frozen_copy(tmp_path: Path) -> None:
    """A release made before this rule (or edited by hand) whose page reaches into the working copy
    would change after approval: its build refuses instead."""
    project = copy_project(tmp_path / "project", releases=True)
    frozen = project / RIVERSIDE / "releases" / "3.1"
    (frozen / "SHA256SUMS").unlink()  # as released by an older safeguide, before digests and these rules
    write(frozen / "partnership" / "docs" / "zz-release.md", FRONT + "\n".join([
        '--8<-- "partnerships/riverside/partnership.yml"',  # the working copy, from the project's root
        '--8<-- "../../partnership.yml"',                    # the working copy, from the frozen folder
        '--8<-- "partnership.yml"',                          # the frozen partnership.yml: allowed
        "",
    ]))
    recorded = safeguide("release", "riverside", "3.1", "--record-digests", cwd=project)  # as README says to
    assert recorded.returncode == 0, said(recorded)
    text = assert_clear_failure(safeguide("build", "riverside", "--out", str(tmp_path / "out"), cwd=project))
    shown = f"{RIVERSIDE}/releases/3.1/partnership/docs/zz-release.md"
    assert f"{shown}, line 7: snippets cannot include partnerships/riverside/partnership.yml" in text, text
    assert f"{shown}, line 8: snippets cannot include ../../partnership.yml" in text, text
    assert f"{shown}, line 9" not in text
    assert f"{RIVERSIDE}/releases/3.1/docs/ and {RIVERSIDE}/releases/3.1/partnership/" in text


# --- raw HTML ------------------------------------------------------------------------------------------

# Each refused line of a local page, with a fragment of the message and of its fix.
HTML_PAGE = [
    ("<script>alert(1)</script>", "a script", "cannot run scripts"),
    ('<script src="https://cdn.example.org/x.js"></script>', "a script", "cannot run scripts"),
    ('<iframe src="https://www.youtube.com/embed/x"></iframe>', "embedded page", "Link to it instead"),
    ('<object data="local.pdf"></object>', "embedded content", "Link to it instead"),
    ('<embed src="x.swf">', "embedded content", "Link to it instead"),
    ('<base href="https://example.org/">', "<base>", "write each link in full"),
    ('<meta http-equiv="refresh" content="0; url=https://example.org">', "http-equiv", "link to it"),
    ('<form action="https://example.org/collect"><input name="q"></form>', "a form", "service's own website"),
    ("<style>@import url(https://example.org/a.css);</style>", "<style> block", "leave the styling"),
    ('<style>.x { background: url("//example.org/track.png") }</style>', "<style> block", "leave the styling"),
    ('<p onclick="alert(1)">Click</p>', "onclick", "Remove onclick"),
    ("## Heading { onclick=\"alert(1)\" }", "onclick", "Remove onclick"),
    ("A paragraph.\n{: onmouseover='alert(1)' }", "onmouseover", "Remove onmouseover"),
    ('[Report](https://example.org){ onclick="x()" }', "onclick", "Remove onclick"),
    ('![Logo](images/a.png){ src="https://example.org/a.png" }', "from another website", "Save the image"),
    ("[Run](javascript:alert(1))", "runs a script", "https://"),
    ('<a href="jav&#x61;script:alert(1)">Run</a>', "runs a script", "https://"),
    ("[Open](data:text/html;base64,PHNjcmlwdD4=)", "runs a script", "https://"),
    ('<img src="https://example.org/pixel.gif" alt="">', "from another website", "Save the image"),
    ("![Chart](https://example.org/chart.png)", "from another website", "Save the image"),
    ("![Chart][chart]\n\n[chart]: //example.org/chart.png", "from another website", "Save the image"),
    ('<link rel="stylesheet" href="https://example.org/a.css">', "<link>", "Remove it"),
    ('<video src="https://example.org/v.mp4" controls></video>', "<video> would load", "Link to the video"),
    ('<audio controls><source src="https://example.org/a.mp3"></audio>', "<source> would load", "Link to the video"),
    ('<p style="background:url(https://example.org/bg.png)">Text</p>', 'style="…"', "Save the image"),
    ("<!--> <img src=https://example.org/hidden.gif> -->", "from another website", "Save the image"),
]

# Nothing here may be reported: quoted HTML in code, ordinary links, local images, ids and classes.
HTML_ALLOWED = """
```html
<script src="https://example.org/x.js"></script>
<iframe src="https://example.org"></iframe>
```

Quote `<script>` and `<img src="https://example.org/x.png">` in inline code, or ``<iframe>`` too.

~~~
<form action="https://example.org"></form>
~~~

[An ordinary link](https://example.org/procedures){ target="_blank" .button }, <a href="mailto:hub@example.org">email</a>.

![A local chart](images/chart.png)

## Local heading {#local-heading .special}

<style>.sg-local { border-left: 4px solid #1d4f91; }</style>

<div markdown="1" class="note">Some *Markdown* in a div.</div>
"""


def test_raw_html_that_breaks_the_promises_is_refused_with_line_and_fix(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page, expected = [FRONT.rstrip("\n") + "\n"], []
    lines = page[0].count("\n")
    for source, what, fix in HTML_PAGE:
        lines += 1  # the blank line before each entry
        page.append("\n" + source + "\n")
        reported = lines + 1 + (1 if source.startswith("A paragraph") else 0)
        expected.append((reported, source, what, fix))
        lines += source.count("\n") + 1
    write(project / RIVERSIDE / "docs" / "zz-html.md", "".join(page) + HTML_ALLOWED)
    write(project / RIVERSIDE / "slots" / "escalation.md", "Call us.\n\n<script>steal()</script>\n\n[Call](tel:01174960123){ onclick=\"x()\" }\n")
    append(project / "docs" / "golden-rules.md", '\n<iframe src="https://example.org/embed"></iframe>\n')
    write(project / RIVERSIDE / "docs" / "images" / "diagram.svg", SVG.format('<circle r="4" onload="alert(1)"/>'))  # served from the site
    write(project / RIVERSIDE / "docs" / "images" / "plain.svg", SVG.format('<circle r="4" fill="url(#g)"/>'))
    # Material's redirect.html would send readers elsewhere, without the urgent bar or version banner.
    write(project / RIVERSIDE / "docs" / "go.md", "---\nreviewed: 2026-01-01\ntemplate: redirect.html\nlocation: https://example.org/\n---\n\n# Go\n")

    text = assert_clear_failure(safeguide("check", "riverside", cwd=project))

    shown = f"{RIVERSIDE}/docs/zz-html.md"
    for line, source, what, fix in expected:
        found = [block for block in text.split(f"{shown}, line {line}: ")[1:] if what in block.split("\n  ")[0]]
        assert found, f"line {line} ({source!r}): no problem mentioning {what!r} in:\n{text}"
        assert fix in found[0].split("How to fix:", 1)[1].split("\n  ")[0], f"line {line}: fix lacks {fix!r}:\n{found[0]}"
    allowed_from = "".join(page).count("\n") + 1
    reported_lines = {int(part.split(":", 1)[0]) for part in text.split(f"{shown}, line ")[1:]}
    assert not {n for n in reported_lines if n >= allowed_from}, f"allowed content was reported: {sorted(reported_lines)}\n{text}"
    assert f"{RIVERSIDE}/slots/escalation.md, line 3: pages cannot contain a script" in text
    assert f"{RIVERSIDE}/slots/escalation.md, line 5: the attribute onclick" in text
    assert "docs/golden-rules.md, line" in text and "embedded page (<iframe>)" in text
    assert f"{RIVERSIDE}/docs/images/diagram.svg: this SVG image has an event attribute (onload" in text
    assert "plain.svg" not in text
    assert f"{RIVERSIDE}/docs/go.md, line 3, template: 'template: redirect.html' would show this page without the urgent-help bar" in text


# --- logos ------------------------------------------------------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{}</svg>'
BAD_LOGOS: dict[str, tuple[str, bytes, str]] = {  # partnership id: (file, content, what the message says)
    "logo-script": ("logo.svg", SVG.format("<script>alert(1)</script>").encode(), "contains <script>"),
    "logo-foreign": ("logo.svg", SVG.format("<foreignObject><p>x</p></foreignObject>").encode(), "contains <foreignObject>"),
    "logo-event": ("logo.svg", SVG.format('<circle r="4" onclick="alert(1)"/>').encode(), "event attribute (onclick"),
    "logo-js": ("logo.svg", SVG.format('<a xlink:href="javascript:alert(1)"><circle r="4"/></a>').encode(), "javascript: address"),
    "logo-remote": ("logo.svg", SVG.format('<image href="https://example.org/x.png"/>').encode(), "https://example.org/x.png"),
    "logo-import": ("logo.svg", SVG.format("<style>@import url(https://example.org/a.css);</style>").encode(), "<style> block"),
    "logo-bomb": ("logo.svg", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + SVG.format("&b;").encode(), "<!ENTITY"),
    "logo-not-svg": ("logo.svg", b"<html><body>not a picture</body></html>", "does not start with <svg>"),
    "logo-fake-png": ("logo.png", b"GIF89a not really a png", "not really a PNG image"),
    "logo-fake-jpg": ("logo.jpg", b"\x89PNG\r\n\x1a\n", "not really a JPG image"),
}


def test_unsafe_or_oversized_logos_are_refused_at_brand_logo(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    partnerships = project / "partnerships"
    template = partnerships / "riverside"
    for pid, (name, content, _) in {**BAD_LOGOS, "logo-huge": ("logo.png", b"", "")}.items():
        folder = partnerships / pid
        shutil.copytree(template, folder, ignore=shutil.ignore_patterns("releases", "logo.svg"))
        config = folder / "partnership.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("logo: logo.svg", f"logo: {name}"), encoding="utf-8")
        (folder / name).write_bytes(content)
    with open(partnerships / "logo-huge" / "logo.png", "wb") as huge:  # 300 MB, sparse: reading it would show
        huge.write(b"\x89PNG\r\n\x1a\n")
        huge.truncate(300 * 1024 * 1024)
    line = 1 + (template / "partnership.yml").read_text(encoding="utf-8").split("\n").index("  logo: logo.svg")

    text = assert_clear_failure(safeguide("check", *BAD_LOGOS, "logo-huge", cwd=project))

    for pid, (_, _, what) in {**BAD_LOGOS, "logo-huge": ("", b"", "a logo can be at most 1 MB")}.items():
        where = f"partnerships/{pid}/partnership.yml, line {line}, brand.logo: "
        assert where in text, f"{pid}: no problem at {where!r} in:\n{text}"
        assert what in text.split(where, 1)[1].split("\n  ")[0] + text.split(where, 1)[1].split("\n")[0], f"{pid}: {what!r} missing"
    assert not list(project.rglob("site"))


@pytest.mark.parametrize("written", ['--8<-- "x.md"', "--8<--\nx.md\n--8<--"])
def test_includes_are_found_in_both_forms(written: str) -> None:
    from safeguide.core.page_rules import includes

    found = includes(FRONT + written + "\n")
    assert [(i.line, i.path) for i in found] == [(7 if written.startswith('--8<-- "') else 8, "x.md")]
