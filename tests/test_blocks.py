"""Scenario and quiz blocks: Markdown in, the HTML the markup contract promises out; mistakes found with their line."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup

from safeguide.core.training_blocks import check_page

EXTENSIONS = ["def_list", "attr_list", "md_in_html", "pymdownx.details", "safeguide.render.blocks"]

SCENARIO = """\
/// scenario | Bruises that keep coming back
A child has new bruises each week.

Is there a concern?
: Yes. It may be **physical abuse**.

Who should I tell?
: Your safeguarding lead, today. Call <a href="tel:01174960123">0117 496 0123</a>.
///
"""

QUIZ = """\
/// quiz | Test yourself
You always need consent.
: False. Not when a child may be at risk.

Sharing early helps.
: True. Small worries add up.
///
"""


def render(text: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(text, extensions=EXTENSIONS), "html.parser")


def test_a_scenario_is_a_titled_card_with_two_reveals() -> None:
    card = render(SCENARIO).select_one("section[data-scenario]")
    assert card["data-scenario"] == "bruises-that-keep-coming-back"
    assert card.h3.get_text() == "Bruises that keep coming back"
    assert card.select_one(".sg-scenario__situation").get_text(strip=True) == "A child has new bruises each week."
    concern, who = card.select("details.sg-reveal")
    assert (concern["data-reveal"], concern.summary.get_text()) == ("concern", "Is there a concern?")
    assert concern.strong.get_text() == "physical abuse", "Markdown inside a reveal is rendered"
    assert (who["data-reveal"], who.summary.get_text()) == ("who", "Who should I tell?")
    assert who.select_one('a[href="tel:01174960123"]')
    assert not card.select("dl"), "the definition list becomes the reveals"


def test_a_quiz_is_a_list_of_statements_with_answers_behind_show_answer() -> None:
    quiz = render(QUIZ).select_one("section[data-quiz]")
    assert quiz["aria-label"] == "Test yourself"
    items = quiz.select("li[data-quiz-item]")
    assert [i["data-correct"] for i in items] == ["false", "true"]
    assert items[0].select_one(".sg-quiz__statement").get_text(strip=True) == "You always need consent."
    assert items[0].details.summary.get_text() == "Show answer"
    assert items[0].select_one(".sg-quiz__explanation").get_text(strip=True).startswith("False. Not when")


def test_well_formed_blocks_pass_the_check() -> None:
    assert check_page("# Page\n\n" + SCENARIO + "\n" + QUIZ, "docs/x.md") == []


def test_mistakes_in_blocks_are_named_with_their_line() -> None:
    broken_quiz = QUIZ.replace(": True. Small", ": Yes. Small")
    problems = check_page("# Page\n\n" + broken_quiz, "docs/x.md")
    assert [(p.line, "must start with True or False" in p.message) for p in problems] == [(8, True)]

    one_answer = SCENARIO.replace("Who should I tell?\n: Your", "Who should I tell? Your")
    problems = check_page(one_answer, "docs/x.md")
    assert len(problems) == 1 and problems[0].line == 1 and "this one has 1" in problems[0].message

    untitled = SCENARIO.replace("/// scenario | Bruises that keep coming back", "/// scenario")
    assert "no title" in check_page(untitled, "docs/x.md")[0].message

    unclosed = SCENARIO.removesuffix("///\n")
    assert "never closed" in check_page(unclosed, "docs/x.md")[0].message
