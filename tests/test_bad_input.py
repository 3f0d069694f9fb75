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


def real_number_in_an_example(project: Path) -> tuple[str, ...]:
    text = yml(project).read_text(encoding="utf-8")
    assert "\nexample: true\n" in text
    first = text.split('phone: "', 1)[1].split('"', 1)[0]
    edit(yml(project), f'phone: "{first}"', 'phone: "0117 123 4567"')
    return ("partnerships/riverside/partnership.yml", ".phone", "reserved for drama")


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


def local_link(link: str, *expected: str) -> Callable[[Path], tuple[str, ...]]:
    """A link in riverside's own page that MkDocs cannot follow: named by its file and line, with a fix (found by a
    new user's trial: MkDocs' own words named "local.md" without its folder or line)."""

    def fault(project: Path) -> tuple[str, ...]:
        page = project / "partnerships" / "riverside" / "docs" / "local-arrangements.md"
        lines = page.read_text(encoding="utf-8").split("\n")
        page.write_text("\n".join([*lines, "", f"See {link} for more.", ""]), encoding="utf-8")
        return ("partnerships/riverside/docs/local-arrangements.md", f"line {len(lines) + 2}", f"the link '{link.split('(')[1][:-1]}'", *expected)

    return fault


def flow_file(project: Path) -> Path:
    return project / "docs" / "flows" / "should-i-share.yml"


FLOW = "docs/flows/should-i-share.yml"


def flow_dangling_answer(project: Path) -> tuple[str, ...]:
    edit(flow_file(project), "        next: identify\n", "        next: identfy\n")
    return (FLOW, "step 'purpose'", "leads to 'identfy', which is not a step", "steps.purpose.answers[1].next", "line")


def flow_unreachable_step(project: Path) -> tuple[str, ...]:
    text = flow_file(project).read_text(encoding="utf-8")
    flow_file(project).write_text(text + "\n  leftover:\n    outcome: Nobody gets here\n    kind: share\n    guidance: deciding.md#advice\n", encoding="utf-8")
    return (FLOW, "step 'leftover'", "no answer leads to this step")


def flow_cycle(project: Path) -> tuple[str, ...]:
    edit(flow_file(project), "      - label: \"No\"\n        next: share-not-personal-data\n", "      - label: \"No\"\n        next: purpose\n")
    return (FLOW, "answers lead round in a circle", "purpose → identify → purpose")


def flow_unknown_role(project: Path) -> tuple[str, ...]:
    edit(flow_file(project), "call: [information_governance]", "call: [caldicott_guardian]")
    return (FLOW, "'caldicott_guardian' is not a contact role", ".call[1]", "step '")


def flow_missing_section(project: Path) -> tuple[str, ...]:
    edit(flow_file(project), "guidance: deciding.md#q-purpose", "guidance: deciding.md#q-porpose")
    return (FLOW, "step 'purpose'", "'#q-porpose'", "deciding.md has no section with that id", "steps.purpose.guidance")


def page_shows_unknown_flow(project: Path) -> tuple[str, ...]:
    edit(project / "docs" / "flows" / "should-i-share.md", '{{ flow("should-i-share") }}', '{{ flow("should-i-shar") }}')
    return ("docs/flows/should-i-share.md", "line", "the flow 'should-i-shar', but there is no such flow", "Did you mean 'should-i-share'?")


def quiz_answer_not_true_or_false(project: Path) -> tuple[str, ...]:
    page = project / "docs" / "learn" / "module-1.md"
    text = page.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith(": True."))
    edit(page, first, first.replace(": True.", ": Yes.", 1))
    return ("docs/learn/module-1.md", "line", "must start with True or False")


def stylesheet_not_there(project: Path) -> tuple[str, ...]:
    config = project / "mkdocs.yml"
    line = next(n for n, text in enumerate(config.read_text(encoding="utf-8").splitlines(), start=1) if text.startswith("  - assets/search.css"))
    edit(config, "  - assets/search.css", "  - assets/serach.css")
    return (f"mkdocs.yml, line {line}, extra_css", "lists assets/serach.css, which is neither in docs/ nor", "Did you mean assets/search.css?")


BAD_INPUTS: dict[str, Callable[[Path], tuple[str, ...]]] = {
    "flow answer leading nowhere": flow_dangling_answer,
    "flow step nothing leads to": flow_unreachable_step,
    "flow going round in a circle": flow_cycle,
    "flow calling an unknown contact role": flow_unknown_role,
    "flow step linking to a missing section": flow_missing_section,
    "page showing an unknown flow": page_shows_unknown_flow,
    "quiz answer that is not true or false": quiz_answer_not_true_or_false,
    "page without a review date": no_review_date,
    "page following an unknown source": unknown_source,
    "left-out page that others link to": linked_page_left_out,
    "link to a page that is not there": local_link("[consent](consnt.md)", "does not exist"),
    "link to a section that is not there": local_link("[who](consent.md#no-such-section)", "no heading on consent.md"),
    "link to a section of the same page that is not there": local_link("[here](#nowhere)", "no heading on this page"),
    "link to a web address inside the site": local_link("[consent](../consent/)", "Did you mean 'consent.md'?"),
    "link from the site's root": local_link("[consent](/consent/)", "starts with /"),
    "unknown key": unknown_key,
    "invalid phone number": invalid_phone,
    "number that would connect in an example partnership": real_number_in_an_example,
    "contact role a page uses but the partnership lacks": role_missing,
    "YAML syntax error": yaml_syntax,
    "brand colour with too little contrast": low_contrast,
    "missing logo file": missing_logo,
    "stylesheet in mkdocs.yml that is not there": stylesheet_not_there,
}

# The partnership each fault shows in (named in the command, so the others' builds are spared): riverside's files
# and the baseline it uses, except a baseline page riverside leaves out (about.md).
SHOWN_IN = {name: "riverside" for name in BAD_INPUTS} | {"contact role a page uses but the partnership lacks": "kingsport"}


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

    # A fault in one partnership of several: test_failure_in_one_partnership_publishes_none.
    result = safeguide(command, SHOWN_IN[name], cwd=project)

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
