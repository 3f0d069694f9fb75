"""Inputs that used to hang, exhaust memory or crash: each ends within seconds in a normal problem
(file, line, what is wrong, how to fix it), exit code 1, no traceback and no "internal error".

Cases from ../shared/cases/hostile-inputs (Y18 Y19 Y22 Y35 O10 O11 O14 O21 T03 T07b T08b T10 T14) and
real-world-inputs/impossible-date, each kept here with its content, plus the other places of each kind."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from safeguide.core.loading import MAX_INDENT, PAGE_LIMIT, YAML_LIMIT, expected_problem
from tests.conftest import copy_project

GUARD = 60  # seconds: a subprocess guard against hangs, not a timed assertion

RIVERSIDE = Path("partnerships/riverside")
Y18_BOMB = """x_lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
lolb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
lolc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
lold: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
lole: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
lolf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
lolg: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
lolh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
loli: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
Y19_SELF = "extra_thing: &a [*a]\n"
Y22_DEEP = "deep: " + "[" * 20000 + "]" * 20000 + "\n"
PAGE_TOP = "---\nreviewed: 2026-01-01\n---\n\n# Test page\n\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command as users run it; guarded so that a hang fails the test instead of stalling the run."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "safeguide", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=GUARD)


def said(result: subprocess.CompletedProcess[str]) -> str:
    """What the user saw, with rich's line wrapping undone."""
    return " ".join((result.stdout + result.stderr).split())


def assert_clean_failure(result: subprocess.CompletedProcess[str]) -> str:
    text = said(result)
    assert result.returncode == 1, text
    assert "Traceback" not in text and "internal error" not in text and "Error:" not in text, text
    return text


def long_flow(steps: int) -> str:
    """O14: a flow of `steps` questions in a row, each leading on or to the end."""
    out = ["title: Long", "start: s0", "steps:"]
    for i in range(steps):
        out += [f"  s{i}:", f"    question: Q{i}?", "    guidance: urgent.md#child", "    answers:",
                '      - label: "Yes"', f"        next: s{i + 1}" if i + 1 < steps else "        next: end",
                '      - label: "No"', "        next: end"]
    out += ["  end:", "    outcome: Stop", "    kind: share", "    guidance: urgent.md#child"]
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One project holding every bad page, slot and flow at once: `check` reports them all in one run."""
    project = copy_project(tmp_path_factory.mktemp("limits") / "project")
    docs, slots = project / RIVERSIDE / "docs", project / RIVERSIDE / "slots"
    pages = {
        "zz-t03.md": "{% include '/etc/passwd' %}\n",
        "zz-t07b.md": "{{ 9**(9**9) }}\n",
        "zz-t08b.md": '{% for a in "x"*10**5 %}{% for b in "x"*10**5 %}{% endfor %}{% endfor %}done\n',
        "zz-t10.md": "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}\n",
        "zz-t14.md": '{% extends "base.html" %}\n',
        "zz-import.md": 'Text.\n\n{% import "x.html" as x %}\n',
        "zz-set.md": "{% set x = 1 %}\n",
        "zz-macro.md": "{% macro m() %}x{% endmacro %}\n",
        "zz-filter.md": "{{ partnership.name | upper }}\n",
        "zz-compare.md": '{{ partnership.name == "x" }}\n',
        "zz-slot-body.md": '{% call slot("escalation") %}{{ 2 * 3 }}{% endcall %}\n',
        "zz-long.md": '{{ flow("long") }}\n',
        "zz-deep-list.md": "".join("    " * i + "- x\n" for i in range(300)),
    }
    for name, body in pages.items():
        (docs / name).write_text(PAGE_TOP + body, encoding="utf-8")
    (docs / "local-review.md").write_text("---\nreviewed: 2026-11-31\n---\n\n# Local review arrangements\n\nOur procedures group meets every quarter.\n", encoding="utf-8")
    (docs / "bad-date.md").write_text("---\nreviewed: 2026-13-45\n---\n\n# Bad\n", encoding="utf-8")
    (docs / "zz-other-date.md").write_text("---\nreviewed: 2026-01-01\nupdated: 2026-02-30\n---\n\n# Other\n", encoding="utf-8")
    (docs / "zz-alias-front.md").write_text("---\nreviewed: 2026-01-01\n" + Y19_SELF + "---\n\n# Alias\n", encoding="utf-8")
    (docs / "latin.md").write_bytes(b"---\nreviewed: 2026-01-01\n---\n\n# Caf\xe9\n")  # O11: latin-1
    (docs / "zz-huge.md").write_text(PAGE_TOP + ("A line of text. " * 8 + "\n") * (PAGE_LIMIT // 120), encoding="utf-8")
    (docs / "flows" / "long.yml").write_text(long_flow(1500), encoding="utf-8")
    (docs / "flows" / "bomb.yml").write_text("title: Bomb\n" + Y18_BOMB, encoding="utf-8")
    (docs / "flows" / "deep.yml").write_text("title: Deep\n" + Y22_DEEP, encoding="utf-8")
    (slots / "escalation.md").write_bytes(b"Caf\xe9 text\n")  # O10
    (slots / "recording-where.md").mkdir()  # a slot that is a folder
    result = run("check", "riverside", cwd=project)
    return project, assert_clean_failure(result)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("T03", ["zz-t03.md, line 7: include is not allowed in a page"]),
        ("T07b", ["zz-t07b.md, line 7: arithmetic (**) is not allowed"]),
        ("T08b", ["zz-t08b.md, line 7: a for loop is not allowed"]),
        ("T10", ["zz-t10.md, line 7: brackets are nested more than"]),
        ("T14", ["zz-t14.md, line 7: extends is not allowed in a page"]),
        ("import", ["zz-import.md, line 9: import is not allowed"]),
        ("set", ["zz-set.md, line 7: set is not allowed"]),
        ("macro", ["zz-macro.md, line 7: macro is not allowed"]),
        ("filter", ["zz-filter.md, line 7: a filter (|upper) is not allowed"]),
        ("comparison", ["zz-compare.md, line 7: a comparison is not allowed"]),
        ("arithmetic inside a slot's default text", ["zz-slot-body.md, line 7: arithmetic (*) is not allowed"]),
        ("O14", ["docs/flows/long.yml, line 3, steps: this flow has 1501 steps; a flow may have at most 200"]),
        ("Y18 in a flow", ["docs/flows/bomb.yml, line 6: the aliases (*) in this file stand for more than 10,000 values", "Write the values out"]),
        ("Y19 in front matter", ["zz-alias-front.md, line 3: the alias *a is inside the value it stands for"]),
        ("Y22 in a flow", ["docs/flows/deep.yml, line 2: this is nested more than 50 levels deep"]),
        ("O21", ["docs/bad-date.md, line 2, reviewed: 2026-13-45 is not a real date: there is no month 13", "YYYY-MM-DD"]),
        ("impossible-date", ["docs/local-review.md, line 2, reviewed: 2026-11-31 is not a real date: November 2026 has 30 days"]),
        ("an impossible date under any key", ["zz-other-date.md, line 3, updated: 2026-02-30 is not a real date: February 2026 has 28 days"]),
        ("O11", ["docs/latin.md, line 5: this file is not UTF-8 text", "Save it as UTF-8"]),
        ("O10", ["slots/escalation.md, line 1: this file is not UTF-8 text"]),
        ("slot that is a folder", ["slots/recording-where.md: this is a folder, but safeguide expects a file here"]),
        ("page over the size limit", ["zz-huge.md: this file is 1.1 MB, more than the 1.0 MB safeguide reads"]),
        ("lists nested hundreds deep", [f"zz-deep-list.md, line {7 + MAX_INDENT // 4 + 1}: this line is indented", "Nest lists and quotes less deeply"]),
    ],
)
def test_each_hostile_page_slot_and_flow_is_a_clear_problem(hostile: tuple[Path, str], case: str, expected: list[str]) -> None:
    _, text = hostile
    for fragment in expected:
        assert fragment in text, f"{case}: {fragment!r} not in {text}"


@pytest.mark.parametrize(
    ("name", "appended", "expected"),
    [
        ("Y18 alias bomb", Y18_BOMB, "the aliases (*) in this file stand for more than 10,000 values"),
        ("Y19 self-referring alias", Y19_SELF, "the alias *a is inside the value it stands for, so that value would never end"),
        ("an alias that nests past the limit", "one: &x " + "[" * 30 + "]" * 30 + "\ntwo: " + "[" * 25 + "*x" + "]" * 25 + "\n", "with the alias *x written out, this is nested more than 50 levels deep"),
        ("Y22 20,000-deep nesting", Y22_DEEP, "nested more than 50 levels deep"),
        ("block nesting past the limit", "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n", "nested more than 50 levels deep"),
        ("an integer of 5,000 digits", "huge: " + "9" * 5000 + "\n", "is not a value YAML can read as type int"),
        ("a control character", 'odd: "a\x07b"\n', "a character that YAML does not allow (#x0007"),
    ],
)
def test_partnership_yml_that_would_hang_or_crash_is_refused_with_its_line(tmp_path: Path, name: str, appended: str, expected: str) -> None:
    project = copy_project(tmp_path / "project")
    config = project / RIVERSIDE / "partnership.yml"
    first_new_line = config.read_text(encoding="utf-8").count("\n") + 1
    config.write_text(config.read_text(encoding="utf-8") + appended, encoding="utf-8")
    text = assert_clean_failure(run("check", "riverside", cwd=project))
    assert "partnerships/riverside/partnership.yml, line " in text, text
    line = int(re.search(r"partnership\.yml, line (\d+)", text)[1])
    assert line >= first_new_line, f"{name}: line {line} is before the appended text"
    assert expected in text, f"{name}: {text}"


def test_a_huge_partnership_yml_is_refused_before_it_is_read(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = project / RIVERSIDE / "partnership.yml"
    with config.open("a", encoding="utf-8") as f:
        f.write("# padding\n" * (5 * YAML_LIMIT // 10))
    text = assert_clean_failure(run("check", "riverside", cwd=project))
    assert "partnerships/riverside/partnership.yml: this file is 5.0 MB, more than the 1.0 MB safeguide reads" in text, text


def test_dates_in_release_yml_and_command_options_say_which_date_is_not_real(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", releases=True)
    result = run("release", "eastmoor", "5.0", "--approved-by", "Board", "--date", "2026-11-31", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--date': 2026-11-31 is not a real date: November 2026 has 30 days" in said(result)
    result = run("review", "eastmoor", "--as-of", "2027-02-29", cwd=project)
    assert result.returncode == 2 and "February 2027 has 28 days" in said(result)


def test_review_of_a_working_copy_that_cannot_be_read_names_the_partnership_and_the_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / RIVERSIDE / "docs" / "local-review.md"
    page.write_text("---\nreviewed: 2026-11-31\n---\n\n# Local review\n", encoding="utf-8")
    result = run("review", "riverside", "--format", "json", cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout)["partnerships"][0]
    assert report["name"] == "Riverside Safeguarding Children Partnership" and report["state"] == "unreadable"
    assert any(f.get("file", "").endswith("local-review.md") and f.get("line") == 2 and "not a real date" in f["message"] for f in report["findings"]), report


def test_a_catastrophic_superseded_pattern_is_stopped_and_reported(tmp_path: Path) -> None:
    """Y35: check, review and the draft's review page all finish; the rule is named as too slow."""
    project = copy_project(tmp_path / "project")
    config = project / RIVERSIDE / "partnership.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + 'superseded:\n  - name: Anything\n    pattern: "^(\\\\w+\\\\s?)*$"\n    now: something else\n'
        + '  - name: Backtracking\n    pattern: "^(\\\\w|\\\\s|\\\\w\\\\w|\\\\w\\\\s|\\\\s\\\\w)+$"\n    now: something else\n',
        encoding="utf-8",
    )
    result = run("review", "riverside", "--format", "json", cwd=project)
    assert result.returncode == 0, said(result)
    findings = json.loads(result.stdout)["partnerships"][0]["findings"]
    slow = [f for f in findings if "was stopped" in f["message"]]
    assert [f["file"] for f in slow] == ["partnerships/riverside/partnership.yml"], findings
    assert "'Backtracking'" in slow[0]["message"] and "repeat inside a repeat" in slow[0]["fix"]
    assert not any(f.get("found") == "" for f in findings), "an empty match names nothing"


def test_an_error_from_a_users_file_during_the_build_is_a_problem_not_an_internal_error() -> None:
    """The backstop in publish.build_partnership, for what changes while a build runs."""
    log = ["Error reading page 'local.md': 'utf-8' codec can't decode byte 0xe9"]
    latin = expected_problem(UnicodeDecodeError("utf-8", b"\xe9", 0, 1, "invalid continuation byte"), log)
    assert latin and latin.startswith("the page local.md: this file is not UTF-8 text")
    missing = expected_problem(PermissionError(13, "Permission denied", "/p/docs/x.md"), [])
    assert missing and missing.startswith("/p/docs/x.md: this file could not be read or written (Permission denied)")
    assert expected_problem(RecursionError(), log) and expected_problem(KeyError("bug"), log) is None
