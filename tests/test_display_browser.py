"""Text size and high visibility (issue 14, item 1) in a real browser.

- By keyboard alone a reader opens the header's control, picks Largest and High visibility in two named radio
  groups, and closes it with Escape; the button's name and aria-expanded say what it is and whether it is open.
- The choice holds on the next page, after a reload and in a new tab, and is in effect when the parser reaches
  <body> (before anything is drawn): a script put at the very start of <body> already sees it.
- axe-core finds nothing in each mode at 1280 and 390 px on a chapter and a decision helper, and in high
  visibility nothing under 7:1 either (its `color-contrast-enhanced` rule).
- At 320 px and Largest nothing scrolls sideways and every phone number is whole and in view.
- Without JavaScript the control does not show and the page reads as usual.
- One extra build of riverside with Material's instant navigation and a light/dark palette: the choice holds
  across an in-site click, the control still works, and high visibility holds in the dark scheme; the same
  build's kingsport turns the control off (`reader: {display_options: false}`) and has neither control nor script.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import AXE, AXE_TAGS, current_version, describe_violations, load, version_url
from tests.test_reflow_browser import _CHECK as REFLOW_CHECK

pytestmark = pytest.mark.browser

CONTROL = "Text size and contrast"
YELLOW, BLACK = "rgb(255, 255, 0)", "rgb(0, 0, 0)"
ROOT_SIZE = {"standard": "20px", "large": "25px", "largest": "30px"}  # Material's 125 % below 100em, scaled

# What the page looks like: the attributes the head script set, and what CSS made of them.
_LOOK = """() => ({
  text: document.documentElement.getAttribute("data-sg-text"),
  contrast: document.documentElement.getAttribute("data-sg-contrast"),
  size: getComputedStyle(document.documentElement).fontSize,
  background: getComputedStyle(document.body).backgroundColor,
  colour: getComputedStyle(document.body).color,
})"""
# The same, written into the page at the start of <body>: it runs before any of the body is parsed or drawn.
_AT_BODY_START = "<script>window.sgFirst = (" + _LOOK + ")();</script>"

_RUN_AXE = """async ([tags, enhanced]) => {
  const results = await axe.run(document, { runOnly: { type: "tag", values: tags },
    rules: enhanced ? { "color-contrast-enhanced": { enabled: true } } : {} });
  return results.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({ target: n.target, summary: n.failureSummary || "" })) }));
}"""


def choose(page, text: str = "standard", contrast: str = "standard") -> None:
    """Store a choice as the control does, for the next page load."""
    page.evaluate("([t, c]) => { localStorage.setItem('sg-text', t); localStorage.setItem('sg-contrast', c); }", [text, contrast])


def looks(page) -> dict:
    return page.evaluate(_LOOK)


def axe(page, enhanced: bool) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(_RUN_AXE, [AXE_TAGS, enhanced])


def test_by_keyboard_the_choice_applies_at_once_and_holds_before_first_paint(new_page, site_url, demo_site) -> None:
    page = new_page(1280)
    chapter = version_url(site_url, demo_site, "riverside", "consent/")
    load(page, chapter)
    button = page.get_by_role("button", name=CONTROL, exact=True)
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    for _ in range(40):  # Tab from the top of the page to the control
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('[data-sg-display] button')"):
            break
    else:
        pytest.fail("Tab never reaches the text size and contrast button")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    sizes, colours = page.get_by_role("group", name="Text size"), page.get_by_role("group", name="Colours")
    assert [sizes.get_by_role("radio", name=n, exact=True).is_checked() for n in ("Standard", "Large", "Largest")] == [True, False, False]
    assert colours.get_by_role("radio", name="High visibility (yellow on black)").is_visible()
    page.keyboard.press("Tab")  # into the text sizes, at the checked one
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert sizes.get_by_role("radio", name="Largest").is_checked()
    assert looks(page)["size"] == ROOT_SIZE["largest"], "the size did not change at once"
    page.keyboard.press("Tab")  # into the colours
    page.keyboard.press("ArrowDown")
    assert looks(page) == {"text": "largest", "contrast": "high", "size": ROOT_SIZE["largest"], "background": BLACK, "colour": YELLOW}
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not sizes.is_visible()
    assert page.evaluate("document.activeElement.matches('[data-sg-display] button')"), "Escape did not return focus to the button"
    button.click()  # a click outside closes it too
    page.locator("h1").click()
    assert button.get_attribute("aria-expanded") == "false"

    chosen = {"text": "largest", "contrast": "high", "size": ROOT_SIZE["largest"], "background": BLACK, "colour": YELLOW}
    # The next page, with a script at the start of its <body> that records what is in effect before any of it is drawn.
    flow = version_url(site_url, demo_site, "riverside", "flows/should-i-share/")

    def at_body_start(route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _AT_BODY_START, response.text(), count=1))

    page.route(flow, at_body_start)
    load(page, flow)
    assert page.evaluate("window.sgFirst") == chosen, "the choice was not in effect when the page began to draw"
    page.unroute(flow)
    page.reload()
    assert looks(page) == chosen, "the choice was lost on reload"
    tab = page.context.new_page()
    load(tab, version_url(site_url, demo_site, "riverside", ""))
    assert looks(tab) == chosen, "a new tab did not keep the choice"
    tab.get_by_role("button", name=CONTROL).click()
    assert tab.get_by_role("radio", name="Largest").is_checked() and tab.get_by_role("radio", name="High visibility (yellow on black)").is_checked()


# Each text size and each colour scheme, at both widths (a mode's colours do not depend on its size).
MODES = [(1280, "large", "high"), (1280, "largest", "standard"), (390, "largest", "high"), (390, "large", "standard")]


@pytest.mark.parametrize(("width", "text", "contrast"), MODES)
def test_each_mode_passes_axe_and_high_visibility_is_at_least_7_to_1(new_page, site_url, demo_site, width, text, contrast) -> None:
    page = new_page(width)
    problems = []
    for index, path in enumerate(("consent/", "flows/should-i-share/")):
        url = version_url(site_url, demo_site, "riverside", path)
        load(page, url)
        if index == 0:
            choose(page, text, contrast)
            load(page, url)
        assert looks(page)["size"] == ROOT_SIZE[text]
        violations = axe(page, enhanced=contrast == "high")
        if violations:
            problems.append(describe_violations(violations, f"{url} at {width} px, text {text}, colours {contrast}"))
    assert not problems, "\n".join(problems)


def test_at_largest_on_a_320_px_phone_nothing_scrolls_sideways_and_numbers_stay_whole(new_page, site_url, demo_site) -> None:
    page = new_page(320)
    problems = []
    pages = [("", "page"), ("consent/", "page"), ("contacts/", "page"), ("flows/who-to-tell/", "js")]  # the flow at every outcome
    for index, (path, mode) in enumerate(pages):
        url = version_url(site_url, demo_site, "riverside", path)
        load(page, url)
        if index == 0:
            choose(page, "largest", "high")
            load(page, url)
        assert looks(page)["size"] == ROOT_SIZE["largest"]
        problems += [f"{url}: {problem}" for problem in page.evaluate(REFLOW_CHECK, [mode])]
    assert not problems, "\n".join(problems)


def test_without_javascript_the_control_is_hidden_and_the_page_reads_as_usual(new_page, site_url, demo_site) -> None:
    page = new_page(390, java_script_enabled=False)
    load(page, version_url(site_url, demo_site, "riverside", "consent/"))
    assert page.locator("[data-sg-display]").count() == 1 and not page.locator("[data-sg-display]").is_visible()
    assert page.locator("h1").is_visible() and page.locator(".sg-urgent-link").is_visible()
    look = looks(page)
    assert (look["text"], look["contrast"], look["size"], look["background"]) == (None, None, ROOT_SIZE["standard"], "rgb(255, 255, 255)")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


# --- one extra build: instant navigation, a light/dark palette, and a partnership that turns the control off ---

def test_instant_navigation_and_the_dark_palette_keep_the_choice_and_the_control(instant_site, new_page) -> None:
    url, site = instant_site
    page = new_page(1280)
    load(page, version_url(url, site, "riverside", "consent/"))
    button = page.get_by_role("button", name=CONTROL)
    button.click()
    page.get_by_role("radio", name="Largest").check()
    page.get_by_role("radio", name="High visibility (yellow on black)").check()
    page.keyboard.press("Escape")
    page.evaluate("window.sgSamePage = true")  # lost if the browser loads a new document
    page.locator(".md-sidebar--primary a[href$='contacts/']").first.click()
    page.wait_for_url(re.compile(r".*/contacts/(#.*)?$"))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.sgSamePage") is True, "the click was not handled by Material's instant navigation"
    assert looks(page) == {"text": "largest", "contrast": "high", "size": ROOT_SIZE["largest"], "background": BLACK, "colour": YELLOW}
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    page.get_by_role("radio", name="Large", exact=True).check()
    assert looks(page)["size"] == ROOT_SIZE["large"]
    page.keyboard.press("Escape")

    page.locator("label[title='Switch to dark mode']").click()  # Material's palette toggle
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert looks(page)["background"] == BLACK and looks(page)["colour"] == YELLOW, "high visibility lost in the dark scheme"
    violations = axe(page, enhanced=True)
    assert not violations, describe_violations(violations, "riverside contacts, dark scheme, high visibility")
    button.click()
    page.get_by_role("radio", name="Standard").last.check()  # standard colours: the dark scheme's own
    assert looks(page)["background"] not in (BLACK, "rgb(255, 255, 255)")


def test_a_partnership_can_turn_the_control_off(instant_site, new_page) -> None:
    url, site = instant_site
    def built(partnership: str) -> str:
        return (site / partnership / current_version(site, partnership) / "consent" / "index.html").read_text(encoding="utf-8")

    assert "data-sg-display" not in built("kingsport") and "sg-contrast" not in built("kingsport")
    assert "data-sg-display" in built("riverside") and "sg-contrast" in built("riverside")
    page = new_page(1280)
    load(page, version_url(url, site, "kingsport", "consent/"))
    choose(page, "largest", "high")  # a choice made on another partnership's site, same address
    load(page, version_url(url, site, "kingsport", "consent/"))
    assert looks(page)["text"] is None and looks(page)["contrast"] is None
    assert page.get_by_role("button", name=CONTROL).count() == 0
