"""Contacts by role and slots inside pages, rendered in a sandbox (golden Markdown -> output checks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguide.core import page_language
from safeguide.core.problems import SafeguideError
from safeguide.core.variants import Project, load_variant
from safeguide.render import page_content as content
from tests.conftest import copy_project


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory):
    root = copy_project(tmp_path_factory.mktemp("content") / "project")
    folder = root / "partnerships" / "riverside"
    return load_variant(Project.at(root), "riverside"), folder


def render(variant, source: str) -> str:
    return content.render(variant[0], source, "docs/test.md")


def test_contact_renders_name_hours_and_tel_link(variant) -> None:
    v = variant[0]
    role = next(r for r in v.baseline.urgent if r in v.partnership.contacts)
    c = v.partnership.contacts[role]
    html = render(variant, f'Call {{{{ contact("{role}") }}}} now.')
    assert html.startswith("Call <span class=\"sg-contact\"")
    assert f'data-role="{role}"' in html
    assert c.name.replace("'", "&#39;") in html
    assert 'href="tel:+44' in html and f">{c.phone}</a>" in html


def test_phone_renders_only_the_link(variant) -> None:
    assert render(variant, '{{ phone("emergency") }}') == '<a class="sg-tel" href="tel:999">999</a>'


def test_contact_card_lists_every_detail(variant) -> None:
    html = render(variant, '{{ contact_card("emergency") }}')
    assert '<div class="sg-contact-card" data-role="emergency">' in html
    assert "<dt>Phone</dt>" in html and "<dt>Hours</dt>" in html


def test_pages_without_templating_are_untouched(variant) -> None:
    text = "## Heading {#custom-id}\n\nPlain {text} with braces.\n"
    assert render(variant, text) == text


def test_markdown_attribute_lists_survive_templated_pages(variant) -> None:
    text = '## Who to call {#who}\n\n{{ phone("police_non_emergency") }}\n'
    assert "## Who to call {#who}" in render(variant, text)


def test_missing_role_names_role_page_and_fix(variant) -> None:
    with pytest.raises(SafeguideError) as caught:
        render(variant, '{{ contact("no_such_service") }}')
    message = str(caught.value)
    assert "docs/test.md" in message and "'no_such_service'" in message and "partnership.yml" in message


@pytest.mark.parametrize("rename", [True, False], ids=["misspelt in partnership.yml", "left out of partnership.yml"])
def test_a_role_the_national_pages_use_is_told_once_at_partnership_yml(tmp_path: Path, rename: bool) -> None:
    """Found by a new user's trial: lado renamed to ladoo gave twelve problems against national pages, each saying
    "correct the page", with the rename last. Now: one problem, at partnership.yml, first, with the rename."""
    project = copy_project(tmp_path / "project")
    config = project / "partnerships" / "eastmoor" / "partnership.yml"
    text = config.read_text(encoding="utf-8")
    if rename:
        text = text.replace("\n  lado:\n", "\n  ladoo:\n")
    else:
        text = text[: text.index("\n  lado:\n") + 1] + text[text.index("\n  information_governance:\n") + 1 :]
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SafeguideError) as caught:
        load_variant(Project.at(project), "eastmoor")
    first, *others = caught.value.problems
    assert first.file == "partnerships/eastmoor/partnership.yml" and first.key == "contacts.lado", first
    assert "'lado' is used in" in first.message and "docs/adults.md line" in first.message
    assert ("rename it to 'lado:'" in first.fix) == rename and "add 'lado:'" in first.fix.lower()
    assert not any("lado" in str(p) for p in others), others


@pytest.mark.parametrize("linked_from_pages", [True, False], ids=["pages and flows link to it", "only flows link to it"])
def test_a_left_out_page_that_flows_link_to_is_told_once_at_its_exclude_line(tmp_path: Path, linked_from_pages: bool) -> None:
    """Found by a new user's trial: `exclude: [urgent.md]` gave eight problems against national flows, each suggesting
    another page, before the one at partnership.yml. Now: one problem, first, at the exclude line, naming the steps."""
    project = copy_project(tmp_path / "project")
    if not linked_from_pages:
        for page in (project / "docs").rglob("*.md"):
            page.write_text(page.read_text(encoding="utf-8").replace("](police.md", "](law.md").replace("](../police.md", "](../law.md"), encoding="utf-8")
    config = project / "partnerships" / "eastmoor" / "partnership.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("exclude: []", "exclude: [police.md]"), encoding="utf-8")
    with pytest.raises(SafeguideError) as caught:
        load_variant(Project.at(project), "eastmoor")
    [problem] = caught.value.problems
    assert (problem.file, problem.key) == ("partnerships/eastmoor/partnership.yml", "exclude[1]") and problem.line
    assert "'police.md' cannot be left out" in problem.message and "docs/flows/who-to-tell.yml line" in problem.message
    assert ("data-protection.md" in problem.message) == linked_from_pages


@pytest.mark.parametrize(
    "source",
    [
        '{{ "".__class__.__mro__ }}',
        "{{ partnership.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{% for x in range(10**9) %}{% endfor %}",
    ],
)
def test_sandbox_keeps_python_out_of_reach(variant, source: str) -> None:
    _uses, problems = page_language.scan(variant[0].jinja, source, "docs/test.md")
    assert problems, "scan must flag this"
    with pytest.raises(SafeguideError):
        render(variant, source)


def test_scan_finds_roles_and_slots_with_lines(variant) -> None:
    source = 'a\n{{ contact("lado") }}\n\n{% call slot("escalation") %}x{% endcall %}\n'
    uses, problems = page_language.scan(variant[0].jinja, source, "docs/x.md")
    assert problems == []
    assert [(u.function, u.name, u.line) for u in uses] == [("contact", "lado", 2), ("slot", "escalation", 4)]


def test_syntax_error_names_line(variant) -> None:
    _, problems = page_language.scan(variant[0].jinja, "ok\n{{ contact('x' }}\n", "docs/x.md")
    assert problems and problems[0].line == 2 and "syntax" in problems[0].message


def test_unfilled_slot_shows_the_default_and_filled_slot_is_labelled(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    page = '{% call slot("escalation") %}Default text.{% endcall %}'
    v = load_variant(Project.at(root), "riverside")
    v.slots.pop("escalation", None)
    assert content.render(v, page, "docs/x.md") == "Default text."
    slots = root / "partnerships" / "riverside" / "slots"
    slots.mkdir(exist_ok=True)
    (slots / "escalation.md").write_text('Ring {{ phone("police_non_emergency") }} first.\n')
    v = load_variant(Project.at(root), "riverside")
    html = content.render(v, page, "docs/x.md")
    assert 'data-slot="escalation"' in html and "Local procedure:" in html
    assert 'href="tel:101"' in html and "Default text." not in html


def test_a_page_scanned_again_gives_the_same_uses_and_its_problems_name_each_file(variant) -> None:
    """scan keeps a clean page's uses for the other editions of the process; a page with problems is scanned afresh,
    so that each file with it is named."""
    clean = 'Call {{ contact("lado") }}, then {{ flow("should-i-share") }}.\n'
    first = page_language.scan(variant[0].jinja, clean, "docs/a.md")
    assert first == page_language.scan(variant[0].jinja, clean, "partnerships/x/docs/a.md")
    assert [(u.function, u.name, u.line) for u in first[0]] == [("contact", "lado", 1), ("flow", "should-i-share", 1)]
    bad = "ok\n{% for x in y %}{% endfor %}\n"
    for shown in ("docs/one.md", "docs/two.md"):
        _, problems = page_language.scan(variant[0].jinja, bad, shown)
        assert problems and problems[0].file == shown and problems[0].line == 2


def test_a_contact_renders_once_per_build_and_the_same_on_every_page(variant) -> None:
    shown: dict = {}
    page = '{{ contact("emergency") }} or {{ phone("emergency") }}; {{ contact_card("emergency") }}'
    first = content.render(variant[0], page, "docs/a.md", contacts_shown=shown)
    assert first == content.render(variant[0], page, "docs/b.md") == content.render(variant[0], page, "docs/c.md", contacts_shown=shown)
    assert set(shown) == {("contact", "emergency"), ("phone", "emergency"), ("contact_card", "emergency")}
    with pytest.raises(SafeguideError):
        content.render(variant[0], '{{ contact("no_such_service") }}', "docs/d.md", contacts_shown=shown)
