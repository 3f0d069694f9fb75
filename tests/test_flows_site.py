"""Flows, scenario cards, quizzes and modules as every demo partnership publishes them, read from the built
HTML as a browser without JavaScript would follow it: answer links, diagram links, <details> answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import Tag

from tests.conftest import demo_ids
from tests.site_html import local_digits, matching, resolve, site_pages, tel_digits

IDS = demo_ids()


# --- flows ----------------------------------------------------------------------------------------------------------


def walk_without_javascript(helper: Tag) -> tuple[set[str], list[str]]:
    """Follow every answer link from the first step; return the outcomes reached and any dead ends."""
    steps = {step["id"]: step for step in helper.select("[data-flow-step]")}
    first = helper.select_one("[data-flow-step][data-first]")
    assert first is not None, f"flow {helper['data-flow']} has no first step"
    reached, dead_ends, todo, seen = set(), [], [first["id"]], set()
    while todo:
        step_id = todo.pop()
        if step_id in seen:
            continue
        seen.add(step_id)
        step = steps.get(step_id)
        if step is None:
            dead_ends.append(f"a link to #{step_id}, which is not a step")
            continue
        if step["data-kind"] == "outcome":
            reached.add(step["data-flow-step"])
            continue
        answers = step.select("a[data-answer]")
        if len(answers) < 2:
            dead_ends.append(f"question {step['data-flow-step']} offers {len(answers)} answer(s)")
        for answer in answers:
            assert answer["href"].startswith("#"), answer
            todo.append(answer["href"][1:])
    return reached, dead_ends


@pytest.mark.parametrize("partnership", IDS)
def test_every_partnership_has_two_flows_whose_every_path_ends_at_an_outcome(demo_site: Path, partnership: str) -> None:
    helpers = {helper["data-flow"]: helper for helper in matching(demo_site, partnership, "[data-flow]")}
    assert len(helpers) >= 2, f"{partnership} shows {len(helpers)} flow(s)"
    for flow_id, helper in helpers.items():
        reached, dead_ends = walk_without_javascript(helper)
        assert not dead_ends, f"{partnership}/{flow_id}: {dead_ends}"
        outcomes = {step["data-flow-step"] for step in helper.select('[data-kind="outcome"]')}
        assert reached == outcomes, f"{partnership}/{flow_id}: outcomes never reached: {outcomes - reached}"
        assert len(outcomes) >= 3


@pytest.mark.parametrize("partnership", IDS)
def test_every_diagram_box_links_to_a_section_that_exists(demo_site: Path, partnership: str) -> None:
    pages = site_pages(demo_site, partnership)
    diagrams = [(url, d) for url, soup in pages.items() for d in soup.select("[data-flow-diagram]")]
    assert len({d["data-flow-diagram"] for _, d in diagrams}) >= 2
    for url, diagram in diagrams:
        boxes = diagram.select(".sg-diagram__box")
        assert boxes
        for box in boxes:
            link = box.select_one(".sg-diagram__label a")
            assert link is not None, f"{url}: box {box['id']} has no link"
            target, fragment = resolve(url, link["href"])
            assert target in pages, f"{url}: box {box['id']} links to {link['href']}, not a page"
            assert fragment and pages[target].find(id=fragment), f"{url}: box {box['id']} links to #{fragment}, missing on {target}"
            for arrow in box.select(".sg-diagram__arrows a"):
                assert diagram.find(id=arrow["href"][1:]), f"{url}: arrow {arrow['href']} leads to no box"


@pytest.mark.parametrize("partnership", IDS)
def test_outcomes_end_on_the_partnerships_own_numbers(demo_site: Path, partnership: str) -> None:
    own = local_digits(partnership)
    for url, soup in site_pages(demo_site, partnership).items():
        for helper in soup.select("[data-flow]"):
            shown = set().union(*(tel_digits(o) for o in helper.select('[data-kind="outcome"]')))
            assert shown & own, f"{url}: no outcome of {helper['data-flow']} shows a {partnership} number"


@pytest.mark.parametrize("partnership", IDS)
def test_every_flow_has_a_text_equivalent_covering_every_step(demo_site: Path, partnership: str) -> None:
    for url, soup in site_pages(demo_site, partnership).items():
        for helper in soup.select("[data-flow]"):
            text = soup.select_one(f'[data-flow-text="{helper["data-flow"]}"]')
            assert text is not None, f"{url}: {helper['data-flow']} has no text version"
            words = text.get_text(" ")
            for title in helper.select(".sg-flow__title"):
                assert title.get_text(" ").strip() in words


def test_the_should_i_share_flow_always_asks_for_a_record(demo_site: Path) -> None:
    for partnership in IDS:
        page = site_pages(demo_site, partnership)["flows/should-i-share/"]
        outcomes = page.select('[data-flow="should-i-share"] [data-kind="outcome"]')
        kinds = {o["data-outcome"] for o in outcomes}
        assert {"share", "do-not-share", "seek-advice"} <= kinds
        for outcome in outcomes:
            assert "Record your decision" in outcome.get_text(" "), outcome["id"]


def test_a_partnership_can_override_and_add_flows(demo_site: Path) -> None:
    northbridge = site_pages(demo_site, "northbridge")["flows/who-to-tell/"]
    riverside = site_pages(demo_site, "riverside")["flows/who-to-tell/"]
    ids = lambda soup: [s["data-flow-step"] for s in soup.select("[data-flow-step]")]  # noqa: E731
    assert ids(northbridge) != ids(riverside), "Northbridge's own who-to-tell flow should replace the national one"
    assert "flows/escalation/" in site_pages(demo_site, "riverside")
    assert "flows/escalation/" not in site_pages(demo_site, "eastmoor")
    published_data = [f for p in IDS for f in (demo_site / p).rglob("*.yml")]
    assert not published_data, f"flow files are data, not published: {published_data}"


# --- scenario cards, quizzes, modules -------------------------------------------------------------------------------


@pytest.mark.parametrize("partnership", IDS)
def test_at_least_ten_scenario_cards_most_with_a_number(demo_site: Path, partnership: str) -> None:
    cards = matching(demo_site, partnership, "[data-scenario]")
    assert len(cards) >= 10
    for card in cards:
        reveals = card.select("details.sg-reveal")
        assert [r["data-reveal"] for r in reveals] == ["concern", "who"], card["data-scenario"]
        assert card.find(["h2", "h3", "h4"]), card["data-scenario"]
    with_number = [c for c in cards if c.select_one('details[data-reveal="who"] a[href^="tel:"]')]
    assert len(with_number) > len(cards) / 2
    own = local_digits(partnership)
    assert any(tel_digits(c) & own for c in cards), f"no card shows a {partnership} number"


@pytest.mark.parametrize("partnership", IDS)
def test_at_least_three_quizzes_answerable_without_javascript(demo_site: Path, partnership: str) -> None:
    quizzes = matching(demo_site, partnership, "[data-quiz]")
    assert len(quizzes) >= 3
    for quiz in quizzes:
        items = quiz.select("[data-quiz-item]")
        assert len(items) >= 3
        for item in items:
            answer = item.select_one("details")
            assert answer.summary.get_text(strip=True) == "Show answer"
            explanation = answer.get_text(" ", strip=True).removeprefix("Show answer").strip()
            assert explanation.lower().startswith(item["data-correct"]), explanation
            assert item["data-correct"] in ("true", "false")


def test_learning_modules_show_their_place_in_the_course(demo_site: Path) -> None:
    pages = site_pages(demo_site, "riverside")
    for n in range(1, 6):
        progress = pages[f"learn/module-{n}/"].select_one("nav.sg-progress")
        assert progress is not None
        assert progress.select_one(".sg-progress__count").get_text() == f"Module {n} of 5"
        current = progress.select_one('[aria-current="step"]')
        assert current is not None and current.get_text(strip=True) == pages[f"learn/module-{n}/"].h1.get_text(strip=True).rstrip("¶")
        for link in progress.select("a"):
            assert resolve(f"learn/module-{n}/", link["href"])[0] in pages
    assert pages["learn/"].select_one("nav.sg-progress") is None, "the course overview is not a module"
