"""What partnerships really write (issue 11): typography in search, generated lists that show what the page
shows, contact text in every Markdown context, pre-checks that parse as the renderer does, literal braces,
short and costly phone numbers, and values that only look valid (a trailing newline, a number as a role,
a three-digit colour).

Each case of ../shared/cases is kept under tests/cases/real-world/<case>/ and driven through the real command: one
partnership built once (`testp`, a copy of riverside with every case applied), two broken partnerships
checked once, and one browser session searching the built site.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from safeguide.core import page_language, phones, training_blocks
from safeguide.core.loading import parse_yaml, validate
from safeguide.core.models import Contact, Partnership, Sources
from safeguide.core.problems import SafeguideError
from safeguide.render import chapters, contacts
from tests.conftest import copy_project, safeguide

CASES = Path(__file__).parent / "cases" / "real-world"
MULTILINE_HOURS = ("Mon–Thu 9am–5pm", "Fri 9am–4.30pm")
MARKDOWN_SIGNS = "Mon–Fri 9am–5pm | Sat *by appointment* [call first] _or_ `ask`"  # every character Markdown would read

CONTEXTS_PAGE = """---
reviewed: 2026-01-10
---

# Contacts everywhere

In a sentence: call {{ contact("children_front_door") }} today.

- In a list: {{ contact("children_front_door") }}
- The LADO: {{ contact("lado") }}

| Service | Contact |
|---|---|
| Front door | {{ contact("children_front_door") }} |
| LADO | {{ contact("lado") }} |
| Adults | {{ contact("adults_front_door") }} |

!!! note "Who to call"
    Call {{ contact("children_front_door") }} and say who you are.

    Or the LADO, {{ contact("lado") }}, for allegations.

{{ contact_card("children_front_door") }}

{{ contact_card("lado") }}

Last line of the page.
"""

KEY_POINTS_WITH_CARD = """---
reviewed: 2026-01-10
---

# Who to tell

!!! key-points "Key points"
    - Tell the front door.

    {{ contact_card("children_front_door") }}

    - Then write it down.

## First section {#first}

One.

## Second section {#second}

Two.

## Third section {#third}

Three.
"""


def _contact(fragment: Path) -> tuple[str, dict]:
    """The one contact a case's partnership.yml.fragment gives (role, settings)."""
    [(role, settings)] = yaml.safe_load(fragment.read_text(encoding="utf-8")).items()
    return role, settings


def _testp(project: Path) -> Path:
    """Riverside as a new partnership with no releases (its working copy is published), with every case applied."""
    folder = project / "partnerships" / "testp"
    riverside = project / "partnerships" / "riverside"
    shutil.copytree(riverside / "docs", folder / "docs")
    shutil.copytree(riverside / "slots", folder / "slots")
    shutil.copy2(riverside / "logo.svg", folder / "logo.svg")
    data = yaml.safe_load((riverside / "partnership.yml").read_text(encoding="utf-8"))
    data["version"] = "1.0"
    data.update(yaml.safe_load((CASES / "header-name-on-phone" / "partnership.yml.fragment").read_text(encoding="utf-8")))
    data["brand"].update(yaml.safe_load((CASES / "C06" / "snippet.yml").read_text(encoding="utf-8"))["brand"])
    for case in ("multiline-hours", "short-number-out-of-hours"):
        role, settings = _contact(CASES / case / "partnership.yml.fragment")
        data["contacts"][role] = settings
    data["contacts"]["lado"]["hours"] = MARKDOWN_SIGNS
    data["glossary"] = [{"term": "Children's & Families' Hub", "meaning": "Advice & support, in one place."}]
    (folder / "partnership.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    docs = folder / "docs"
    (docs / "learn").mkdir(exist_ok=True)
    shutil.copy2(CASES / "search-apostrophe" / "local-protocols.md", docs)
    shutil.copy2(CASES / "scenario-in-details" / "local-practice.md", docs)
    shutil.copy2(CASES / "module-title-jinja" / "module-2.md", docs / "learn")
    shutil.copy2(CASES / "chapter-contents-ampersand" / "consent.md", docs / "consent.md")
    # The key-points case is the consent chapter too; here it stands in for another chapter.
    shutil.copy2(CASES / "key-points-nested-admonition" / "consent.md", docs / "caldicott.md")
    (docs / "contexts.md").write_text(CONTEXTS_PAGE, encoding="utf-8")
    flow = (project / "docs" / "flows" / "who-to-tell.yml").read_text(encoding="utf-8")
    flow = flow.replace("title: Who do I tell?", "title: Who do I tell? Children & adults").replace(
        "question: Is anyone in immediate danger?", "question: Is anyone in immediate danger, at home & elsewhere?"
    )
    (docs / "flows" / "who-to-tell.yml").write_text(flow, encoding="utf-8")
    (docs / "myths.md").write_text(KEY_POINTS_WITH_CARD, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """testp built once; the folder of its draft 1.0."""
    project = copy_project(tmp_path_factory.mktemp("real-world") / "project")
    _testp(project)
    result = safeguide("build", "testp", "--out", "out", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "out" / "testp" / "1.0"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def article(site: Path, url: str) -> Tag:
    found = page(site, url).select_one("article")
    assert found is not None
    return found


# --- 2: generated text shows what the page shows ----------------------------------------------------------------------


def test_chapter_contents_shows_an_ampersand_once(built: Path) -> None:
    contents = article(built, "consent").select_one(".sg-contents")
    assert contents is not None
    items = [li.get_text() for li in contents.select("li")]
    assert items[0] == "6.1 Children's & Families' Hub"
    assert "&amp;amp;" not in (built / "consent" / "index.html").read_text(encoding="utf-8")


def test_no_generated_list_or_label_is_escaped_twice(built: Path) -> None:
    """Chapter contents, module steps, contact cards, glossary, version pages, review report, flows: anywhere
    text from pages or partnership.yml is put into HTML we build, one escape and no more."""
    twice = re.compile(r"&amp;(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
    found = {
        path.relative_to(built).as_posix(): twice.findall(text)
        for path in built.rglob("*.html")
        if twice.search(text := path.read_text(encoding="utf-8"))
    }
    assert not found
    flow = article(built, "flows/who-to-tell")
    assert flow.select_one("[data-flow]")["data-title"] == "Who do I tell? Children & adults"
    assert "Is anyone in immediate danger, at home & elsewhere?" in [h.get_text() for h in flow.select(".sg-flow__title")]
    assert "Who do I tell? Children & adults" in flow.select_one(".sg-diagram figcaption").get_text()
    glossary = article(built, "glossary").get_text()
    assert "Children's & Families' Hub" in glossary and "Advice & support, in one place." in glossary


def test_module_progress_shows_the_rendered_title(built: Path) -> None:
    steps = [li.get_text(" ", strip=True) for li in article(built, "learn/module-3").select(".sg-progress__step")]
    assert "Sharing information in Gogledd Cymru (done)" in steps
    assert not any("{{" in step for step in steps)
    nav_titles = [a.get_text(" ", strip=True) for a in page(built, "learn/module-3").select(".md-nav__link")]
    assert "Sharing information in Gogledd Cymru" in nav_titles  # the same title the menu shows


# --- 4: pre-checks parse as the renderer does -------------------------------------------------------------------------


def test_scenario_inside_a_collapsible_example_is_built_with_both_answers(built: Path) -> None:
    scenario = article(built, "local-practice").select_one("details .sg-scenario")
    assert scenario is not None
    assert [d.summary.get_text() for d in scenario.select(".sg-reveal")] == ["Is there a concern?", "Who should I tell?"]


@pytest.mark.parametrize("url", ["caldicott", "myths"])
def test_chapter_contents_come_after_the_whole_key_points_box(built: Path, url: str) -> None:
    """A nested admonition (the case) or a contact card inside Key points: contents follow the box, not its first </div>."""
    body = article(built, url)
    contents = body.select_one(".sg-contents")
    assert contents is not None and contents.find_parent(class_="key-points") is None
    box = contents.find_previous_sibling()
    assert box is not None and "key-points" in box.get("class", [])
    assert box.select_one(".admonition.note, .sg-contact-card") is not None
    assert "Then write it down." in box.get_text() or "The Welsh procedures say the same." in box.get_text()


def test_key_points_box_that_never_closes_leaves_contents_after_the_title() -> None:
    html = '<h1>T</h1><div class="admonition key-points"><p>x</p><div>y</div>'
    out = chapters.insert_after_title(html, "", "<nav>C</nav>")
    assert out == '<h1>T</h1><nav>C</nav><div class="admonition key-points"><p>x</p><div>y</div>'


INDENTED_IN_A_LIST = """# T

1. A step.

    /// scenario | In a list
    The situation.

    Is there a concern?
    :   Yes.

    Who should I tell?
    :   The hub.
    ///
"""

QUOTED_IN_CODE = """# T

```markdown
/// scenario | Only an example of the syntax
Text.
///
```
"""


@pytest.mark.parametrize("text", [(CASES / "scenario-in-details" / "local-practice.md").read_text(encoding="utf-8"), INDENTED_IN_A_LIST, QUOTED_IN_CODE])
def test_block_check_accepts_what_the_renderer_accepts(text: str) -> None:
    assert training_blocks.check_page(text, "page.md") == []
    rendered = markdown.markdown(text, extensions=["admonition", "def_list", "pymdownx.details", "pymdownx.superfences", "safeguide.render.blocks"])
    if "```" not in text:
        assert rendered.count('class="sg-reveal"') == 2


def test_block_check_still_counts_answers_of_an_indented_scenario() -> None:
    text = "??? example\n\n    /// scenario | One answer\n    Text.\n\n    Is there a concern?\n    : Yes.\n    ///\n"
    [problem] = training_blocks.check_page(text, "page.md")
    assert problem.line == 3 and "this one has 1" in problem.message


# --- 3: contact text in every Markdown context ------------------------------------------------------------------------


def test_multiline_hours_stay_whole_in_every_context(built: Path) -> None:
    body = article(built, "contexts")
    inline = body.select('.sg-contact[data-role="children_front_door"]')
    assert [c.parent.name for c in inline] == ["p", "li", "td", "p"]
    for contact in inline:
        assert "(Mon–Thu 9am–5pm; Fri 9am–4.30pm); out of hours 0117 496 0999" in contact.get_text(), contact
        assert "\n" not in contact.decode()
    note = body.select_one(".admonition.note")
    assert note is not None and "and say who you are." in note.get_text()
    card = body.select_one('.sg-contact-card[data-role="children_front_door"] dd:-soup-contains("Thu")')
    assert card is not None and [t.strip() for t in card.strings] == list(MULTILINE_HOURS) and card.br is not None
    consent_note = next(n for n in article(built, "consent").select(".admonition.note") if "16 year old" in n.get_text())
    assert "Fri 9am–4.30pm); out of hours" in consent_note.get_text() and "records his reasons." in consent_note.get_text()


def test_markdown_characters_in_a_contact_field_show_as_written(built: Path) -> None:
    body = article(built, "contexts")
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in body.select("table tbody tr")]
    assert [len(row) for row in rows] == [2, 2, 2]  # the | in the LADO's hours did not split its cell
    lado = body.select('.sg-contact[data-role="lado"]')
    assert [c.parent.name for c in lado] == ["li", "td", "p"]
    for contact in lado:
        assert MARKDOWN_SIGNS in contact.get_text(), contact
        assert contact.select("em, code") == []
    card = body.select_one('.sg-contact-card[data-role="lado"]')
    assert card is not None and MARKDOWN_SIGNS in card.get_text()


def test_contact_fields_in_flow_outcomes_keep_their_lines(built: Path) -> None:
    cards = [
        dd
        for url in ("flows/who-to-tell", "flows/should-i-share")
        for dd in article(built, url).select('.sg-flow .sg-contact-card[data-role="children_front_door"] dd')
        if "Thu" in dd.get_text()
    ]
    assert cards and all([t.strip() for t in dd.strings] == list(MULTILINE_HOURS) for dd in cards)
    inline = [c for url in ("flows/who-to-tell", "flows/should-i-share") for c in article(built, url).select('.sg-flow-text .sg-contact[data-role="children_front_door"]')]
    assert inline and all("Mon–Thu 9am–5pm; Fri 9am–4.30pm" in c.get_text() for c in inline)


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Hub\nNorth"), ("hours", "Mon\nTue | Wed"), ("out_of_hours_name", "Duty\nteam"), ("purpose", "Line *one*\nLine two"), ("notes", "A [b]\nC")],
)
def test_every_contact_field_renders_on_one_line_with_nothing_for_markdown(field: str, value: str) -> None:
    contact = Contact.model_validate({"name": "Hub", "phone": "0117 496 0123", "out_of_hours": "101", **{field: value}})
    for html in (contacts.render_inline(contact, "hub"), contacts.render_card(contact, "hub")):
        assert "\n" not in html and "|" not in html and "*" not in html and "[" not in html
        table = markdown.markdown(f"| A | B |\n|---|---|\n| x | {html} |\n", extensions=["tables"])
        assert table.count("<td>") == 2 and "<em>" not in table


# --- 6: short numbers, and numbers that cost callers extra --------------------------------------------------------------


def test_short_number_for_a_local_contact_is_a_tel_link(built: Path) -> None:
    body = article(built, "contacts")
    card = body.select_one('.sg-contact-card[data-role="adults_front_door"]')
    assert card is not None
    link = card.select_one('a[href="tel:101"]')
    assert link is not None and link.get_text() == "101"
    assert "Police, who contact the on-call social worker (1.30am to 8.30am)" in card.get_text()


def test_contacts_page_headings_stay_one_line() -> None:
    contact = Contact.model_validate({"name": "North Vale\nChildren's *Hub*", "phone": "0117 496 0123"})
    html = markdown.markdown(contacts.directory_markdown([("Local", {"hub": contact})]), extensions=["attr_list", "md_in_html"])
    heading = BeautifulSoup(html, "html.parser").select_one("h3#contact-hub")
    assert heading is not None and heading.get_text() == "North Vale; Children's *Hub*"


@pytest.mark.parametrize(("number", "href"), [("101", "tel:101"), ("116 123", "tel:116123"), ("111", "tel:111"), ("0117 496 0123", "tel:+441174960123"), ("+44 117 496 0123", "tel:+441174960123")])
def test_tel_links_for_full_and_short_numbers(number: str, href: str) -> None:
    assert phones.tel_href(phones.normalise_phone(number)) == href


# --- 7: values that only look valid ---------------------------------------------------------------------------------


def test_three_digit_colour_is_expanded_in_the_stylesheet(built: Path) -> None:
    bundle = (built / "assets" / "safeguide.bundle.css").read_text(encoding="utf-8")
    css = bundle[: bundle.index("}") + 1]  # the partnership's colours (brand.css) come first, minified
    assert "--md-accent-fg-color:#003366;" in css and "--md-accent-fg-color--transparent:#0033661a;" in css
    assert not re.search(r"#[0-9a-f]{3}(?![0-9a-f])|#[0-9a-f]{5}(?![0-9a-f])|#[0-9a-f]{7}(?![0-9a-f])", css, re.IGNORECASE)


BRACES_PAGE_WITH_SIGN = """---
reviewed: 2026-01-10
---

# Signs

Look for any {%-sign of harm.
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Two broken partnerships checked in one run: one with page problems, one with partnership.yml problems."""
    project = copy_project(tmp_path_factory.mktemp("real-world-bad") / "project")
    riverside = project / "partnerships" / "riverside"
    pages = project / "partnerships" / "badpages"
    shutil.copytree(riverside, pages)
    shutil.copy2(CASES / "jinja-braces-in-prose" / "email-template.md", pages / "docs")
    (pages / "docs" / "signs.md").write_text(BRACES_PAGE_WITH_SIGN, encoding="utf-8")
    settings = project / "partnerships" / "badsettings"
    shutil.copytree(riverside, settings)
    text = (settings / "partnership.yml").read_text(encoding="utf-8")
    assert "  lado:\n" in text and 'phone: "0117 496 0530"' in text and 'phone: "0117 496 0640"' in text
    text = text.replace("  lado:\n", "  123:\n", 1)  # case Y29
    text = text.replace('phone: "0117 496 0530"', 'phone: "0909 879 0000"').replace('phone: "0117 496 0640"', 'phone: "0871 234 5678"')
    text = text.replace('phone: "0117 496 0750"', 'phone: "0117 496 0750"\n    out_of_hours: "118 118"')
    (settings / "partnership.yml").write_text(text, encoding="utf-8")
    result = safeguide("check", "badpages", "badsettings", cwd=project)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output
    return output


def _line_of(project_file_text: str, needle: str) -> int:
    return project_file_text.splitlines().index(needle) + 1


def test_quoted_placeholders_get_a_fix_that_shows_braces_literally(checked: str) -> None:
    assert "partnerships/badpages/docs/email-template.md, line 7: 'child_name' is not something pages can use." in checked
    for name in ("child_name", "date_of_birth", "school_contact"):
        assert f"'{name}' is not something pages can use." in checked
        assert f"{{% raw %}}{{{{ {name} }}}}{{% endraw %}}" in checked


def test_the_fix_for_literal_braces_works() -> None:
    """Following the fix: the page's quoted template inside {% raw %} is shown as written, and check finds nothing."""
    page = (CASES / "jinja-braces-in-prose" / "email-template.md").read_text(encoding="utf-8")
    head, body = page.split("# Asking a school for information\n")
    fixed = head + "# Asking a school for information\n{% raw %}" + body + "{% endraw %}\n"
    env = page_language.environment()
    assert page_language.scan(env, fixed, "page.md") == ([], [])
    shown = env.from_string(fixed).render()
    assert "fills {{ child_name }} and\n{{ date_of_birth }} in" in shown and "Dear {{ school_contact }}," in shown


def test_template_errors_end_with_one_full_stop(checked: str) -> None:
    assert "partnerships/badpages/docs/signs.md, line 7: template syntax error: Encountered unknown tag 'sign'." in checked
    assert ".." not in checked.replace("...", "")


def test_numeric_contact_role_is_named_as_written_on_its_own_line(checked: str) -> None:
    riverside = (Path(__file__).parent.parent / "partnerships" / "riverside" / "partnership.yml").read_text(encoding="utf-8")
    line = _line_of(riverside, "  lado:")
    assert f"partnerships/badsettings/partnership.yml, line {line}, contacts.123: YAML reads this role as a number, not a name: role names must be text: use letters." in checked
    assert "[key]" not in checked and "contacts[124]" not in checked


@pytest.mark.parametrize(
    ("model", "text", "expected"),
    [
        (Partnership, 'name: X\ncontacts:\n  yes:\n    name: A\n    phone: "101"\n', "f.yml, line 3, contacts.yes: YAML reads this role as yes or no"),
        (Partnership, 'name: X\ncontacts:\n  7:\n    name: B\n', "f.yml, line 3, contacts.7: YAML reads this role as a number"),
        (Partnership, 'name: X\ncontacts:\n  Front-Door:\n    name: B\n    phone: "101"\n', "f.yml, line 3, contacts.Front-Door: 'Front-Door' cannot be a contact role"),
        (Sources, "12:\n  title: x\n", "f.yml, line 1, 12.short: '12.short' is required"),
        (Sources, "12:\n  title: x\n", "f.yml, line 1, 12: YAML reads this key as a number, not a name"),
    ],
)
def test_mapping_keys_yaml_reads_as_numbers_are_named_as_written(model: type, text: str, expected: str) -> None:
    with pytest.raises(SafeguideError) as caught:
        validate(model, parse_yaml(text, "f.yml"))
    assert expected in str(caught.value)
    assert "[key]" not in str(caught.value) and "[13]" not in str(caught.value)


def test_numbers_that_cost_callers_extra_are_refused_with_the_reason(checked: str) -> None:
    assert re.search(r'contacts\.domestic_abuse_service\.phone: "0909 879 0000" is a premium-rate', checked)
    assert re.search(r'contacts\.community_safety\.phone: "0871 234 5678" is a premium-rate or service-charge number', checked)
    assert re.search(r'contacts\.partnership_team\.out_of_hours: "118 118" is a directory enquiries number', checked)
    assert checked.count("free 0800 or 0808 number") == 3


@pytest.mark.parametrize("bad_id", ["evil\n", "north-vale\n", "\nnorth-vale", "North-Vale", "north vale", "../north-vale"])
def test_new_refuses_an_id_that_only_looks_valid(project: Path, bad_id: str) -> None:
    before = sorted(p.name for p in (project / "partnerships").iterdir())
    result = safeguide("new", bad_id, "--name", "X", cwd=project)
    assert result.returncode != 0
    assert f"{bad_id!r} cannot be a partnership id" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert sorted(p.name for p in (project / "partnerships").iterdir()) == before


# --- 1: search finds a word whatever apostrophe was typed (real browser) -------------------------------------------------


SEARCHES = {
    "Clare's": "disclosure-schemes/",
    "Clare’s": "disclosure-schemes/",
    "Clares": "disclosure-schemes/",
    "Clare": "disclosure-schemes/",
    "Quenby's": "local-protocols/",
    "Quenbys": "local-protocols/",
    "Tamsin's": "local-protocols/",
    "Tamsin’s": "local-protocols/",
}


def _search(page, query: str) -> list[str]:
    """Type `query` as a reader does and return the result links, once search has answered."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    page.wait_for_function(
        "q => { const m = document.querySelector('.md-search-result__meta');"
        " return document.querySelector('input.md-search__input').value === q && m && /matching|No matching/.test(m.textContent); }",
        arg=query,
    )
    return page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")


HEADER_NAME = """() => [...document.querySelectorAll('.md-header__topic:first-child .md-ellipsis')].map(e => {
  const shown = [...e.querySelectorAll('.sg-name')].find(n => n.getBoundingClientRect().width > 0);
  return { text: shown ? shown.innerText : e.innerText, fits: e.scrollWidth <= e.clientWidth + 1 };
})[0]"""


@pytest.mark.browser
@pytest.mark.parametrize(("width", "expected"), [(320, "Gogledd Cymru"), (1280, "Bwrdd Diogelu Plant ac Oedolion Gogledd Cymru")])
def test_header_shows_a_readable_name_on_a_phone(built: Path, browser, width: int, expected: str) -> None:
    """The case's 150-character Welsh name showed as "B." at 320 px; its short_name shows whole instead."""
    from tests.browser import HEIGHT, serve

    with serve(built.parent.parent) as url:
        context = browser.new_context(viewport={"width": width, "height": HEIGHT})
        try:
            page = context.new_page()
            page.goto(f"{url}testp/1.0/consent/", wait_until="load")
            name = page.evaluate(HEADER_NAME)
            assert name["text"].startswith(expected), name
            if width == 320:
                assert name == {"text": expected, "fits": True}
                assert page.locator(".md-header .md-version__current").first.is_visible()
        finally:
            context.close()


@pytest.mark.browser
def test_search_finds_possessives_whatever_apostrophe(built: Path, browser) -> None:
    from tests.browser import HEIGHT, serve

    with serve(built.parent.parent) as url:
        context = browser.new_context(viewport={"width": 1280, "height": HEIGHT})
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            for query, expected in SEARCHES.items():
                page.goto(f"{url}testp/1.0/", wait_until="load")
                links = _search(page, query)
                assert links and links[0].split("?")[0] == f"{url}testp/1.0/{expected}", (query, links[:3])
        finally:
            context.close()


# --- superseded rules that read an abbreviation in another sense ---------------------------------------------------


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("Some young people use new psychoactive substances (NPS). If NPS use is linked to exploitation, say so.", []),
        ("The UN CRC gives every child the right to be heard.", []),
        ("Tell the NPS probation officer.", ["NPS"]),
        ("Ask probation: the CRC supervises him.", ["CRC"]),
        ("The National Probation Service works with the police.", ["National Probation Service"]),
    ],
)
def test_probation_abbreviations_are_flagged_only_where_they_mean_probation(line: str, flagged: list[str]) -> None:
    """nps-false-positive: "NPS" (new psychoactive substances) and "CRC" (the UN Convention on the Rights of
    the Child) are not the old probation bodies; the shipped rule names them only beside "probation"."""
    from safeguide.core.review import shipped_rules, superseded

    book = shipped_rules()
    found = superseded({"local.md": line + "\n"}, book.rules, book.history_words)
    assert [f.found for f in found] == flagged


def test_review_does_not_flag_new_psychoactive_substances(project: Path) -> None:
    """The case's page, through `safeguide review`."""
    page = project / "partnerships" / "riverside" / "docs" / "local-substances.md"
    case = (CASES / "nps-false-positive" / "local-substances.md").read_text(encoding="utf-8")
    page.write_text(case + "\nAsk the Clinical Commissioning Group.\n", encoding="utf-8")  # proves the page is read
    result = safeguide("review", "riverside", "--format", "json", cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    findings = [f for p in json.loads(result.stdout)["partnerships"] for f in p["findings"]]
    here = [f["found"] for f in findings if f["kind"] == "superseded" and "local-substances" in f.get("file", "")]
    assert here == ["Clinical Commissioning Group"], findings
