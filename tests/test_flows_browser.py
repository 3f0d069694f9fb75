"""Decision helpers, scenario cards and quizzes in a real browser, driven by keyboard alone: every outcome of
every flow is reached with JavaScript and without it; quizzes mark answers; reveals open; axe-core and the
privacy check pass on these pages with the JavaScript-added parts showing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import WIDTHS, axe_violations, describe_violations, load, version_url
from tests.conftest import demo_ids
from tests.site_html import routes_to_outcomes, site_pages
from tests.test_browser import check_axe_and_privacy

pytestmark = pytest.mark.browser

TAB_LIMIT = 150
# Every flow page of the showcase partnership, and Northbridge's own version of who-to-tell.
WALKS = [("riverside", "flows/should-i-share/"), ("riverside", "flows/who-to-tell/"), ("riverside", "flows/escalation/"), ("northbridge", "flows/who-to-tell/")]
TRAINING_PAGES = ["flows/should-i-share/", "flows/who-to-tell/", "scenarios/", "learn/module-1/"]
LOCAL_PAGES = {"riverside": ["flows/escalation/", "flowchart/"], "northbridge": ["should-i-tell-someone/"], "kingsport": ["course/"]}

_FOCUS_IS = """
([selector, text]) => {
  const el = document.activeElement;
  return !!el && el.matches(selector) && el.offsetParent !== null
    && (text === null || el.textContent.trim().replace(/\\s+/g, " ") === text);
}
"""


def tab_to(page, selector: str, text: str | None = None) -> None:
    """Press Tab until a visible element matching selector (and with exactly this text) has focus."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate(_FOCUS_IS, [selector, text]):
            return
    pytest.fail(f"{TAB_LIMIT} presses of Tab never reached {selector} {text!r}")


def visible_steps(page, flow: str) -> list[str]:
    return page.eval_on_selector_all(
        f'[data-flow="{flow}"] [data-flow-step]', "steps => steps.filter(s => s.offsetParent !== null).map(s => s.dataset.flowStep)"
    )


def walks() -> list:
    return [pytest.param(p, path, id=f"{p}-{path.strip('/').replace('/', '-')}") for p, path in WALKS]


def helper_of(demo_site: Path, partnership: str, path: str):
    return site_pages(demo_site, partnership)[path].select_one("[data-flow]")


# --- decision helpers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("partnership", "path"), walks())
def test_keyboard_walk_with_javascript_reaches_every_outcome_and_start_again_returns(new_page, site_url, demo_site, partnership, path) -> None:
    helper = helper_of(demo_site, partnership, path)
    flow, first = helper["data-flow"], helper.select_one("[data-first]")["data-flow-step"]
    routes = routes_to_outcomes(helper)
    page = new_page(390)
    load(page, version_url(site_url, demo_site, partnership, path))
    for outcome, route in routes.items():
        for step, label in route:
            assert visible_steps(page, flow) == [step]
            tab_to(page, "a[data-answer]", label)
            page.keyboard.press("Enter")
        assert visible_steps(page, flow) == [outcome], f"route {route} should end at {outcome}"
        assert page.evaluate("document.activeElement.classList.contains('sg-flow__title')"), "focus moves to the new step's heading"
        record = page.locator(f'[data-flow="{flow}"] .sg-record')
        assert record.is_visible(), f"{outcome} offers no record of the decision"
        said = record.inner_text()
        assert "Date" in said and "Outcome" in said
        for step, label in route:
            question = page.locator(f'[data-flow-step="{step}"] .sg-flow__title').text_content().strip()
            assert question in said and label in said, f"record lacks {question!r}: {label!r}"
        assert record.get_by_role("button", name="Print this record").is_visible()
        assert record.get_by_role("button", name="Copy this record").is_visible()
        assert page.locator(f'[data-flow-step="{outcome}"] a[href^="tel:"]').count() > 0, f"{outcome} shows no number to call"
        if route:
            assert page.locator(".sg-flow__summary").is_visible(), "'Your answers' lists the answers given"
            tab_to(page, "a[data-restart]", "Start again")
            page.keyboard.press("Enter")
        assert visible_steps(page, flow) == [first], "Start again returns to the first question"
        assert not page.locator(".sg-flow__summary").is_visible()


@pytest.mark.parametrize(("partnership", "path"), walks())
def test_keyboard_walk_without_javascript_reaches_every_outcome(new_page, site_url, demo_site, partnership, path) -> None:
    helper = helper_of(demo_site, partnership, path)
    flow, first = helper["data-flow"], helper.select_one("[data-first]")["data-flow-step"]
    page = new_page(390, java_script_enabled=False)
    url = version_url(site_url, demo_site, partnership, path)
    for outcome, route in routes_to_outcomes(helper).items():
        load(page, url)
        assert visible_steps(page, flow) == [first], "the first question shows when the address names no step"
        for step, label in route:
            assert visible_steps(page, flow) == [step]
            tab_to(page, "a[data-answer]", label)
            page.keyboard.press("Enter")
        assert visible_steps(page, flow) == [outcome], f"route {route} should end at {outcome}"
        assert page.url.endswith(f"#{flow}-{outcome}"), "each step has its own address"
        assert page.locator(f'[data-flow-step="{outcome}"] a[href^="tel:"]').first.is_visible()


def test_changing_an_answer_goes_back_to_that_question(new_page, site_url, demo_site) -> None:
    page = new_page(1280)
    load(page, version_url(site_url, demo_site, "riverside", "flows/should-i-share/"))
    for label in ("No", "Yes"):  # not in danger; a clear purpose
        tab_to(page, "a[data-answer]", label)
        page.keyboard.press("Enter")
    assert visible_steps(page, "should-i-share") == ["identify"]
    answers = page.locator(".sg-flow__summary dd:not(.sg-flow__change)")
    assert answers.all_inner_texts() == ["No", "Yes"]
    tab_to(page, ".sg-flow__summary button", None)  # the first "Change": immediate danger
    assert "Is anyone in immediate danger?" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    assert visible_steps(page, "should-i-share") == ["danger"]
    assert not page.locator(".sg-flow__summary").is_visible(), "answers after the changed one are dropped"


@pytest.mark.parametrize("width", WIDTHS)
def test_helper_at_an_outcome_has_no_axe_violations(new_page, site_url, demo_site, width) -> None:
    page = new_page(width)
    load(page, version_url(site_url, demo_site, "riverside", "flows/should-i-share/"))
    page.locator("[data-flow-step]:not([hidden]) a[data-answer]", has_text="No").first.click()  # not in danger
    for _ in range(12):  # then "Yes" to each question, to "share", with the record showing
        if page.locator(".sg-record").is_visible():
            break
        page.locator("[data-flow-step]:not([hidden]) a[data-answer]", has_text="Yes").first.click()
    assert page.locator(".sg-record").is_visible()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, f"the helper's outcome at width {width}")


def test_diagram_is_readable_at_320_px(new_page, site_url, demo_site) -> None:
    page = new_page(320)
    load(page, version_url(site_url, demo_site, "riverside", "flows/who-to-tell/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the page scrolls sideways at 320 px"
    boxes = page.locator("[data-flow-diagram] .sg-diagram__box")
    assert boxes.count() >= 10
    for i in range(boxes.count()):
        box = boxes.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, f"box {i} is cut off: {box}"
    smallest = page.eval_on_selector_all("[data-flow-diagram] .sg-diagram__label", "els => Math.min(...els.map(e => parseFloat(getComputedStyle(e).fontSize)))")
    assert smallest >= 14, f"diagram text is {smallest}px"


# --- quizzes and scenario cards ---------------------------------------------------------------------------------------


def test_quiz_marks_answers_and_keeps_score(new_page, site_url, demo_site) -> None:
    page = new_page(390)
    load(page, version_url(site_url, demo_site, "riverside", "learn/module-1/"))
    items = page.locator("[data-quiz] [data-quiz-item]")
    count = items.count()
    for i in range(count):
        item = items.nth(i)
        correct = item.get_attribute("data-correct")
        choice = ("False" if correct == "true" else "True") if i == 0 else correct.title()  # the first one wrong
        item.get_by_role("button", name=choice).focus()
        page.keyboard.press("Enter")
        assert item.get_by_role("button", name=choice).get_attribute("aria-pressed") == "true"
        verdict = item.locator(".sg-quiz__verdict").inner_text()
        assert verdict.startswith("Not quite" if i == 0 else "Correct"), verdict
        assert item.locator("details .sg-quiz__explanation").is_visible(), "choosing shows the explanation"
    assert page.locator("[data-quiz] .sg-quiz__score").inner_text() == f"You scored {count - 1} out of {count}."
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, "a marked quiz")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_quiz_answers_and_scenario_reveals_open_by_keyboard(new_page, site_url, demo_site, javascript) -> None:
    page = new_page(390, java_script_enabled=javascript)
    load(page, version_url(site_url, demo_site, "riverside", "learn/module-2/"))
    tab_to(page, "[data-quiz-item] summary", "Show answer")
    explanation = page.locator("[data-quiz-item] .sg-quiz__explanation").first
    assert not explanation.is_visible()
    page.keyboard.press("Enter")
    assert explanation.is_visible() and explanation.inner_text().split(".")[0] in ("True", "False")

    load(page, version_url(site_url, demo_site, "riverside", "scenarios/"))
    card = page.locator("[data-scenario]").first
    who = card.locator('details[data-reveal="who"]')
    tab_to(page, '[data-scenario] details[data-reveal="concern"] summary')
    page.keyboard.press("Enter")
    assert card.locator('details[data-reveal="concern"] .sg-reveal__body').is_visible()
    assert not who.locator(".sg-reveal__body").is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert who.locator(".sg-reveal__body").is_visible()
    assert who.locator('a[href^="tel:"]').first.is_visible(), "the reveal says whom to call, with the number"


# --- axe-core and privacy on every flow, scenario and quiz page ------------------------------------------------------


def training_pages() -> list:
    found = []
    for partnership in demo_ids():
        for path in TRAINING_PAGES + LOCAL_PAGES.get(partnership, []):
            found.append(pytest.param(partnership, path, id=f"{partnership}-{path.strip('/').replace('/', '-')}"))
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("partnership", "path"), training_pages())
def test_training_page_has_no_axe_violations_and_requests_only_the_local_server(new_page, site_url, demo_site, partnership, path, width) -> None:
    check_axe_and_privacy(new_page(width), version_url(site_url, demo_site, partnership, path), width)
