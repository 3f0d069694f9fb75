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

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

from safeguide.errors import Problem

VERDICT = re.compile(r"^\W*(true|false)\b", re.IGNORECASE)
SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return SLUG.sub("-", text.lower()).strip("-")


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
        card = etree.SubElement(parent, "section", {"class": "sg-scenario", "data-scenario": _slug(title)})
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
        quiz = etree.SubElement(parent, "section", {"class": "sg-quiz", "data-quiz": _slug(title), "aria-label": title})
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


BLOCK_START = re.compile(r"(/{3,})\s*(scenario|quiz)\b\s*(?:\|\s*(.*))?")  # on a stripped line, with fullmatch
# Python-Markdown's def_list: a definition is ':' after at most 3 spaces, then 1 to 3 spaces (DefListProcessor.RE).
DEFINITION = re.compile(r"[ ]{0,3}:[ ]{1,3}(.*)")
CODE_FENCE = re.compile(r"\s*(`{3,}|~{3,})")
SCENARIO_EXAMPLE = "/// scenario | A short title\nThe situation.\n\nIs there a concern?\n: Yes. ...\n\nWho should I tell?\n: ...\n///"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _answers(lines: list[str], start: int, end: int, indent: int) -> list[tuple[int, str]]:
    """(line number, text) of each definition in lines[start:end], read as the renderer reads them:
    relative to the block's own indentation (a block may sit inside an admonition or a list item)."""
    found = []
    for j in range(start, end):
        line = lines[j]
        if line[:indent].strip():
            continue  # less indented than the block: not part of it
        definition = DEFINITION.fullmatch(line[indent:])
        if definition:
            found.append((j + 1, definition.group(1).strip()))
    return found


def _outside_code(lines: list[str]) -> list[bool]:
    """For each line, False while it is inside a fenced code block (``` or ~~~), where nothing is a block."""
    result, fence = [], ""
    for line in lines:
        found = CODE_FENCE.match(line)
        if fence:
            result.append(False)
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence) and not line.strip()[len(found.group(1)):].strip():
                fence = ""
        else:
            result.append(not found)
            fence = found.group(1) if found else ""
    return result


def check_page(text: str, shown_as: str) -> list[Problem]:
    """Mistakes in scenario and quiz blocks, found in the page's source with their line numbers.

    Parses as pymdown-extensions' Blocks and Python-Markdown's def_list do: a block may be indented
    (inside `??? example` or a list item), and blocks shown inside fenced code are examples, not blocks.
    """
    problems: list[Problem] = []
    lines = text.splitlines()
    live = _outside_code(lines)
    i = 0
    while i < len(lines):
        start = BLOCK_START.fullmatch(lines[i].strip()) if live[i] else None
        if not start:
            i += 1
            continue
        fence, kind, title = start.group(1), start.group(2), (start.group(3) or "").strip()
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == fence), None)
        if end is None:
            problems.append(Problem(shown_as, f"this {kind} block is never closed.", f"End it with a line holding only {fence}.", line=i + 1))
            break
        answers = _answers(lines, i + 1, end, _indent(lines[i]))
        if kind == "scenario":
            if not title:
                problems.append(Problem(shown_as, "this scenario has no title.", f"Put a short title after the bar: {fence} scenario | A short title", line=i + 1))
            if len(answers) != 2:
                problems.append(
                    Problem(shown_as, f"a scenario ends with two answers (is there a concern? who should I tell?), and this one has {len(answers)}.", f"Write it like this:\n{SCENARIO_EXAMPLE}", line=i + 1)
                )
        else:
            if not answers:
                problems.append(Problem(shown_as, "this quiz has no statements.", "Add a statement, then on the next line ': True.' or ': False.' and why.", line=i + 1))
            for line, answer in answers:
                if not VERDICT.match(answer):
                    problems.append(Problem(shown_as, f"a quiz answer must start with True or False, and this one starts '{answer[:30]}'.", "Begin the answer with 'True.' or 'False.', then say why.", line=line))
        i = end + 1
    return problems
