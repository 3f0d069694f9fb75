"""Our scripts under Material's instant navigation (issue 15, point 6), in a real browser.

With `navigation.instant` Material swaps each page into the one document a reader opened, and tells of it through
its `document$`; our scripts run once. One build of riverside with the feature on; after in-site clicks (the
document stays: a marker set on `window` survives) the new page's decision helper and quiz are enhanced and work,
an answer is one history entry that Back and Forward move over with its answers, the print date is filled in, the
version button is named, a wide table's scroller is focusable, and the text-size control still works.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import load, version_url

pytestmark = pytest.mark.browser

_HELPER = """() => {
  const flow = document.querySelector("[data-flow]");
  return {
    enhanced: flow.classList.contains("sg-flow--js"),
    shown: Array.from(flow.querySelectorAll("[data-flow-step]")).filter(s => !s.hidden).map(s => s.dataset.flowStep),
    answers: Array.from(flow.querySelectorAll(".sg-flow__summary dd:not(.sg-flow__change)")).map(d => d.textContent),
  };
}"""


def follow(page, link, path: str) -> None:
    """Click an in-site link and wait for Material to have swapped in the page at `path`."""
    link.click()
    page.wait_for_url(re.compile(rf".*/{re.escape(path)}(#.*)?$"))
    page.wait_for_function("p => document.querySelector('link[rel=canonical]').href.endsWith(p)", arg=path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.sgSamePage") is True, f"{path}: the click was not handled by Material's instant navigation"


def test_helpers_quizzes_and_page_enhancements_after_instant_navigation(instant_site, new_page) -> None:
    url, site = instant_site
    page = new_page(1280)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    load(page, version_url(url, site, "riverside", "deciding/"))
    page.evaluate("window.sgSamePage = true")  # lost if the browser loads a new document

    # A decision helper: enhanced, and an answer is one history entry that keeps the answers.
    follow(page, page.locator("article a[href$='flows/should-i-share/']").first, "flows/should-i-share/")
    page.wait_for_selector("[data-flow].sg-flow--js")
    assert page.evaluate(_HELPER) == {"enhanced": True, "shown": ["danger"], "answers": []}
    entries = page.evaluate("history.length")
    page.locator("[data-flow-step='danger'] a[data-answer='No']").click()
    page.mouse.wheel(0, 300)  # Material keeps the scroll position in the history entry's state as the page scrolls
    page.wait_for_timeout(300)
    assert page.evaluate(_HELPER) == {"enhanced": True, "shown": ["purpose"], "answers": ["No"]}
    assert page.url.endswith("#should-i-share-purpose") and page.evaluate("history.length") == entries + 1
    page.go_back()
    page.wait_for_function("!location.hash")
    assert page.evaluate(_HELPER)["shown"] == ["danger"]
    page.go_forward()
    page.wait_for_function("location.hash === '#should-i-share-purpose'")
    assert page.evaluate(_HELPER) == {"enhanced": True, "shown": ["purpose"], "answers": ["No"]}
    assert page.evaluate("window.sgSamePage") is True

    # The print date and the version button's name, on the page swapped in.
    assert page.locator("[data-sg-print-date]").first.text_content().startswith("Printed ")
    assert re.fullmatch(r"Version \S+.*", page.locator(".md-version__current").first.get_attribute("aria-label") or "")

    # A quiz: enhanced, and an answer is marked.
    follow(page, page.locator(".md-sidebar--primary a[href$='learn/module-1/']").first, "learn/module-1/")
    page.wait_for_selector("[data-quiz].sg-quiz--js")
    quiz = page.locator("[data-quiz]").first
    item = quiz.locator("[data-quiz-item]").first
    correct = item.get_attribute("data-correct")
    item.get_by_role("button", name=re.compile("^True")).click()
    assert item.locator(".sg-quiz__verdict").text_content() == ("Correct." if correct == "true" else "Not quite: the answer is False.")
    assert quiz.locator(".sg-quiz__score").text_content().startswith("Answered 1 of ")

    # A wide table's sideways scroller can be reached by keyboard.
    follow(page, page.locator("a[href$='whole-guidance/']").first, "whole-guidance/")
    page.wait_for_selector(".md-typeset__scrollwrap")
    assert page.locator(".md-typeset__scrollwrap:not([tabindex='0'])").count() == 0

    # The text-size control in the header still works.
    button = page.get_by_role("button", name="Text size and contrast")
    button.click()
    page.get_by_role("radio", name="Large", exact=True).check()
    assert page.evaluate("document.documentElement.dataset.sgText") == "large"
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("window.sgSamePage") is True
    assert not errors, errors
