"""Markdown blocks for training material, built on pymdown-extensions' Blocks API.

    /// scenario | Bruises that keep coming back
    The situation, in a paragraph or two.

    Is there a concern?
    : Yes. What it may be a sign of.

    Who should I tell?
    : Who, with {{ contact("children_front_door") }}.
    ///

    /// quiz | Check your understanding
    A statement to judge.
    : False. One line on why.
    ///

The closing definition list becomes reveals (a scenario) or "Show answer" disclosures (a quiz), so
the answers are there without JavaScript; overrides/assets/flows.js adds quiz marking.
`check_page` finds mistakes in these blocks before a build, with the file and line.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

from safeguide.core.training_blocks import VERDICT
from safeguide.render.environment import slug


def _move_content(source: etree.Element, target: etree.Element) -> None:
    """Move an element's text and children into another; bare text becomes a paragraph."""
    if source.text and source.text.strip():
        p = etree.SubElement(target, "p")
        p.text = source.text
    for child in list(source):
        source.remove(child)
        target.append(child)


def _text_of(element: etree.Element) -> str:
    return "".join(element.itertext()).strip()


def _last_definition_list(container: etree.Element) -> etree.Element | None:
    lists = [child for child in container if child.tag == "dl"]
    return lists[-1] if lists else None


def _pairs(dl: etree.Element) -> list[tuple[etree.Element, etree.Element]]:
    pairs, term = [], None
    for child in dl:
        if child.tag == "dt":
            term = child
        elif child.tag == "dd" and term is not None:
            pairs.append((term, child))
            term = None
    return pairs


class Scenario(Block):
    """A situation, then reveals: is there a concern, and who to tell."""

    NAME = "scenario"
    ARGUMENT = True

    def on_create(self, parent: etree.Element) -> etree.Element:
        title = str(self.argument)
        card = etree.SubElement(parent, "section", {"class": "sg-scenario", "data-scenario": slug(title)})
        heading = etree.SubElement(card, "h3", {"class": "sg-scenario__title"})
        heading.text = title
        etree.SubElement(card, "div", {"class": "sg-scenario__situation"})
        return card

    def on_add(self, block: etree.Element) -> etree.Element:
        return block[1]

    def on_end(self, block: etree.Element) -> None:
        situation = block[1]
        dl = _last_definition_list(situation)
        if dl is None:
            return
        situation.remove(dl)
        for index, (term, definition) in enumerate(_pairs(dl)):
            reveal = etree.SubElement(block, "details", {"class": "sg-reveal", "data-reveal": "concern" if index == 0 else "who"})
            summary = etree.SubElement(reveal, "summary")
            summary.text = _text_of(term)
            _move_content(definition, etree.SubElement(reveal, "div", {"class": "sg-reveal__body"}))


class Quiz(Block):
    """True-or-false statements, each with its answer behind "Show answer"."""

    NAME = "quiz"
    ARGUMENT = None

    def on_create(self, parent: etree.Element) -> etree.Element:
        title = str(self.argument or "Quiz")
        quiz = etree.SubElement(parent, "section", {"class": "sg-quiz", "data-quiz": slug(title), "aria-label": title})
        if self.argument:
            heading = etree.SubElement(quiz, "p", {"class": "sg-quiz__title"})
            heading.text = title
        etree.SubElement(quiz, "div", {"class": "sg-quiz__intro"})
        return quiz

    def on_add(self, block: etree.Element) -> etree.Element:
        return block[-1]

    def on_end(self, block: etree.Element) -> None:
        intro = block[-1]
        dl = _last_definition_list(intro)
        if dl is None:
            return
        intro.remove(dl)
        if not len(intro) and not (intro.text or "").strip():
            block.remove(intro)
        items = etree.SubElement(block, "ol", {"class": "sg-quiz__items"})
        for term, definition in _pairs(dl):
            verdict = VERDICT.match(_text_of(definition))
            item = etree.SubElement(items, "li", {"class": "sg-quiz__item", "data-quiz-item": "", "data-correct": verdict.group(1).lower() if verdict else ""})
            _move_content(term, etree.SubElement(item, "div", {"class": "sg-quiz__statement"}))
            answer = etree.SubElement(item, "details", {"class": "sg-quiz__answer"})
            summary = etree.SubElement(answer, "summary")
            summary.text = "Show answer"
            _move_content(definition, etree.SubElement(answer, "div", {"class": "sg-quiz__explanation"}))


class TrainingBlocksExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:  # noqa: N802 (Markdown's name)
        block_mgr.register(Scenario, self.getConfigs())
        block_mgr.register(Quiz, self.getConfigs())


def makeExtension(**kwargs: object) -> TrainingBlocksExtension:  # noqa: N802 (Markdown's name)
    return TrainingBlocksExtension(**kwargs)
