"""Decision helpers with JavaScript, as the browser's own controls use them: every answer is a history entry, so
Back returns to the previous question with the earlier answers kept, Forward restores, and reloading a step's
address comes back to that step and its answers. Each new question is focused and shown whole below the header on
a phone; Enter and Space both answer; in forced-colours mode the answers and buttons keep visible borders.

Every distinct flow of the demo partnerships (baseline and local flows) is walked along its longest route, in one shared
page per module (a context per test would cost more than the walks)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import HEIGHT, current_version, load, version_url
from tests.conftest import demo_ids
from tests.site_html import WHOLE_GUIDANCE

pytestmark = pytest.mark.browser

PHONE = 390


_FLOW = re.compile(r'<div class="sg-flow" data-flow="([^"]+)"')
_SHAPE = re.compile(r'data-flow-step="([^"]*)"|data-answer="([^"]*)"|class="sg-flow__title"[^>]*>([^<]*)<')


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow_pages(demo_site: Path, distinct: bool = True) -> list[tuple[str, str, str]]:
    """(partnership, page path, flow id) for every helper on the pages of every partnership's current version; with
    `distinct`, only the first page of those whose helpers have the same steps, questions and answers (the same flow
    shown again with other phone numbers adds nothing to a walk through its history). Read with regular expressions:
    parsing every page would cost more than the walks."""
    found, seen = [], set()
    for partnership in demo_ids():
        folder = demo_site / partnership / current_version(demo_site, partnership)
        for file in sorted(folder.rglob("index.html")):
            if file.parent.name == WHOLE_GUIDANCE:  # its flowcharts are text, every step in view
                continue
            text = file.read_text(encoding="utf-8")
            flows = _FLOW.findall(text)
            shape = (tuple(flows), tuple(_SHAPE.findall(text)))
            if flows and (not distinct or shape not in seen):
                seen.add(shape)
                found += [(partnership, file.parent.relative_to(folder).as_posix() + "/", flow) for flow in flows]
    return found


# Routes through a helper, read from the page: (step, answer label) pairs from the first step to an outcome.
# "longest": the most answers; "fullest": the most answers among the routes to the outcome with the most text
# (advice and contacts), the hardest record to fit on one printed page.
ROUTES = """
(flow) => {
  const root = document.querySelector(`[data-flow="${flow}"]`);
  const step = name => root.querySelector(`[data-flow-step="${name}"]`);
  const outcomes = [...root.querySelectorAll('[data-kind="outcome"]')];
  const richest = outcomes.reduce((a, b) => (b.textContent.length > a.textContent.length ? b : a)).dataset.flowStep;
  const longest = (name, goal) => {  // the longest route from `name` to `goal` (any outcome if null), or null
    if (step(name).dataset.kind === "outcome") return goal === null || goal === name ? [] : null;
    let best = null;
    for (const a of step(name).querySelectorAll("a[data-answer]")) {
      const rest = longest(a.dataset.next, goal);
      if (rest !== null && (best === null || rest.length + 1 > best.length)) best = [[name, a.dataset.answer], ...rest];
    }
    return best;
  };
  const first = root.querySelector("[data-first]").dataset.flowStep;
  return { longest: longest(first, null), fullest: longest(first, richest) };
}
"""


@pytest.fixture(scope="module")
def phone(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": PHONE, "height": HEIGHT})
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


_SHOWN = """
(flow) => [...document.querySelectorAll(`[data-flow="${flow}"] [data-flow-step]`)]
  .filter(s => s.offsetParent !== null).map(s => s.dataset.flowStep)
"""
_ANSWERS = """
(flow) => [...document.querySelectorAll(`[data-flow="${flow}"] .sg-flow__summary dd:not(.sg-flow__change)`)]
  .filter(d => d.offsetParent !== null).map(d => d.textContent.trim())
"""
# Where the step shown stands: is its heading focused; is all of it (heading to last answer) inside the window
# and not under the sticky header (the element drawn at its top and bottom corners belongs to the step)?
_IN_VIEW = """
(flow) => {
  const step = [...document.querySelectorAll(`[data-flow="${flow}"] [data-flow-step]`)].find(s => !s.hidden);
  const title = step.querySelector(".sg-flow__title");
  const last = [...step.querySelectorAll("a[data-answer]")].pop() || title;
  const top = title.getBoundingClientRect(), bottom = last.getBoundingClientRect();
  const drawn = (x, y) => { const el = document.elementFromPoint(x, y); return !!el && step.contains(el); };
  return {
    focused: document.activeElement === title,
    inside: top.top >= 0 && bottom.bottom <= window.innerHeight,
    uncovered: drawn(top.left + 2, top.top + 2) && drawn(bottom.left + 2, bottom.bottom - 2),
    where: [Math.round(top.top), Math.round(bottom.bottom), window.innerHeight],
  };
}
"""


_SETTLED = """
([flow, step]) => {
  const shown = [...document.querySelectorAll(`[data-flow="${flow}"] [data-flow-step]`)].filter(s => s.offsetParent !== null);
  return shown.length === 1 && shown[0].dataset.flowStep === step && document.activeElement === shown[0].querySelector(".sg-flow__title");
}
"""


def settle(page, flow: str, step: str, what: str) -> None:
    """Wait (briefly: history events come just after the navigation) until `step` alone shows, its heading focused."""
    try:
        page.wait_for_function(_SETTLED, arg=[flow, step], timeout=2_000)
    except Exception:
        shown = page.evaluate(_SHOWN, flow)
        focus = page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
        pytest.fail(f"{what}: expected step {step!r} shown with its heading focused; shown {shown}, focus on {focus}")


def test_answers_are_history_entries_focused_in_view_and_answered_by_enter_or_space(phone, site_url, demo_site) -> None:
    walked = 0
    for partnership, path, flow in flow_pages(demo_site):
        where = f"{partnership}/{path} ({flow})"
        url = version_url(site_url, demo_site, partnership, path)
        phone.goto(url, wait_until="load")
        route = phone.evaluate(ROUTES, flow)["longest"]
        shown = [route[0][0]]  # the step on screen after each answer
        for i, (step, label) in enumerate(route):
            assert phone.evaluate(_SHOWN, flow) == [step], f"{where}: expected question {step}"
            phone.locator(f'[data-flow="{flow}"] [data-flow-step="{step}"] a[data-answer={css_string(label)}]').focus()
            phone.keyboard.press("Space" if i % 2 else "Enter")  # both answer
            [now] = phone.evaluate(_SHOWN, flow)
            shown.append(now)
            assert phone.url.endswith(f"#{flow}-{now}"), f"{where}: the address does not name step {now}: {phone.url}"
            place = phone.evaluate(_IN_VIEW, flow)
            assert place["focused"], f"{where}: after answering {label!r}, focus is not on the new step's heading"
            if phone.evaluate(f'document.querySelector(\'[data-flow="{flow}"] [data-flow-step="{now}"]\').dataset.kind') == "question":
                assert place["inside"] and place["uncovered"], f"{where}: question {now} is not wholly in view below the header {place['where']}"
        labels = [label for _, label in route]

        for back in range(1, len(route) + 1):  # Back, one question at a time, earlier answers kept
            phone.go_back(wait_until="commit")
            settle(phone, flow, shown[-1 - back], f"{where}: Back {back} time(s)")
            assert phone.evaluate(_ANSWERS, flow) == labels[: len(route) - back], f"{where}: Back lost or kept the wrong answers"
        assert phone.url.split("#")[0] == url.split("#")[0], f"{where}: Back left the page"
        for forward in range(1, len(route) + 1):  # and Forward again
            phone.go_forward(wait_until="commit")
            settle(phone, flow, shown[forward], f"{where}: Forward {forward} time(s)")
            assert phone.evaluate(_ANSWERS, flow) == labels[:forward], f"{where}: Forward lost the answers"

        phone.go_back(wait_until="commit")  # the last question, then reload its address: the same step and answers
        settle(phone, flow, shown[-2], f"{where}: Back from the outcome")
        phone.reload(wait_until="load")
        assert phone.evaluate(_SHOWN, flow) == [shown[-2]], f"{where}: reloading did not restore step {shown[-2]}"
        assert phone.evaluate(_ANSWERS, flow) == labels[:-1], f"{where}: reloading lost the answers"
        phone.go_forward(wait_until="commit")
        settle(phone, flow, shown[-1], f"{where}: Forward after a reload")
        walked += 1
    assert walked >= 4, f"only {walked} distinct helpers found"


def test_a_step_address_opened_afresh_shows_that_step(phone, site_url, demo_site) -> None:
    """A step's address from elsewhere (a bookmark, a link) opens at that step, as it does without JavaScript,
    and Back from an answer there comes back to it."""
    url = version_url(site_url, demo_site, "riverside", "flows/should-i-share/")
    load(phone, url + "#should-i-share-consent")
    assert phone.evaluate(_SHOWN, "should-i-share") == ["consent"]
    phone.locator('[data-flow-step="consent"] a[data-answer="Yes"]').click()
    assert phone.evaluate(_SHOWN, "should-i-share") == ["right-way"]
    phone.go_back()
    assert phone.evaluate(_SHOWN, "should-i-share") == ["consent"]
    assert phone.evaluate(_ANSWERS, "should-i-share") == []


_BORDERS = """
() => [...document.querySelectorAll("[data-flow] a[data-answer], [data-flow] button")]
  .filter(el => el.offsetParent !== null)
  .map(el => {
    const s = getComputedStyle(el);
    return { text: el.textContent.trim(), style: s.borderTopStyle, width: parseFloat(s.borderTopWidth),
             colour: s.borderTopColor, background: s.backgroundColor };
  })
"""


def test_answers_and_buttons_keep_visible_borders_in_forced_colours(phone, site_url, demo_site) -> None:
    phone.emulate_media(forced_colors="active")
    try:
        load(phone, version_url(site_url, demo_site, "riverside", "flows/should-i-share/"))
        seen = []
        for label in ("No", "Yes", "No"):  # to "not personal data": answers, then "Change" and the record's buttons
            seen += phone.evaluate(_BORDERS)
            phone.locator(f"[data-flow-step]:not([hidden]) a[data-answer={css_string(label)}]").click()
        seen += phone.evaluate(_BORDERS)
        kinds = {item["text"] for item in seen}
        assert {"Yes", "No", "Print this record", "Copy this record"} <= kinds, kinds
        for item in seen:
            assert item["style"] not in ("none", "hidden") and item["width"] >= 1, f"{item['text']!r} has no border in forced colours: {item}"
            assert item["colour"] != item["background"], f"{item['text']!r}: border drawn in its own background colour: {item}"
    finally:
        phone.emulate_media(forced_colors="none")
