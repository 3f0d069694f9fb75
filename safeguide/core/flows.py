"""Decision flows declared as data: question steps whose answers lead to other steps or to outcomes.

A flow file is checked as a whole before anything is built from it: every answer leads somewhere that
exists, every step can be reached from the start, no path loops back on itself, every question offers
a real choice, and every contact an outcome names is one the partnership has.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from safeguide.core.loading import YamlDocument, read_yaml, validate
from safeguide.core.models import RequiredText, Role, Strict, Text
from safeguide.core.problems import Problem, SafeguideError

MIN_ANSWERS = 2
MAX_STEPS = 200  # the longest real flow has about 20; every check below walks the steps
STEP_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # also flow ids (file names): both end up in web addresses


class Answer(Strict):
    label: RequiredText
    next: RequiredText


class Step(Strict):
    """A question (with answers) or an outcome (what to do, whom to call)."""

    question: Text | None = None
    hint: Text | None = None
    answers: list[Answer] = []
    outcome: Text | None = None
    kind: Literal["share", "do-not-share", "seek-advice", "urgent", "refer"] | None = None
    text: Text | None = None
    call: list[Role] = []
    guidance: Text | None = None  # the page (and section) that explains this step, e.g. deciding.md#q-purpose

    @model_validator(mode="after")
    def _question_or_outcome(self) -> Step:
        if bool(self.question) == bool(self.outcome):
            raise ValueError("a step is either a question or an outcome | Give it 'question:' with answers, or 'outcome:'.")
        if self.outcome and self.answers:
            raise ValueError("an outcome ends the flow, so it cannot have answers | Move the answers to a question step.")
        return self

    @property
    def is_question(self) -> bool:
        return self.question is not None


class Flow(Strict):
    title: RequiredText
    description: Text | None = None
    start: RequiredText
    record: Text | None = None  # shown at every outcome under "Record your decision"
    steps: dict[RequiredText, Step]

    def numbers(self) -> dict[str, int]:
        """Each step's box number: questions first, then outcomes, so that every answer leads to a
        higher number than its own (the flow has no loops). Where the order is free, steps keep the
        order a reader meets them in (breadth-first from the start). Only reachable steps get one."""
        meets = _walk_order(self)
        rank = {name: i for i, name in enumerate(meets)}
        questions = [n for n in meets if self.steps[n].is_question]
        waiting = {n: 0 for n in questions}  # answers from questions not yet numbered
        for name in questions:
            for nxt in _next_steps(self, name):
                if nxt in waiting:
                    waiting[nxt] += 1
        ordered: list[str] = []
        ready = [n for n in questions if waiting[n] == 0]
        while ready:
            name = min(ready, key=rank.__getitem__)
            ready.remove(name)
            ordered.append(name)
            for nxt in dict.fromkeys(_next_steps(self, name)):
                if nxt in waiting:
                    waiting[nxt] -= _next_steps(self, name).count(nxt)
                    if waiting[nxt] == 0:
                        ready.append(nxt)
        ordered += [n for n in meets if not self.steps[n].is_question]
        return {name: i for i, name in enumerate(ordered, 1)}


def load_flow(path: Path, shown_as: str, roles: Iterable[str], pages: Iterable[str]) -> Flow:
    """Read and check one flow file; every problem found is reported at once."""
    return load_flow_document(path, shown_as, roles, pages)[0]


def load_flow_document(path: Path, shown_as: str, roles: Iterable[str], pages: Iterable[str]) -> tuple[Flow, YamlDocument]:
    """The checked flow and its YAML (which knows the line of every key)."""
    doc = read_yaml(path, shown_as)
    flow = validate(Flow, doc)
    problems = check_flow(flow, doc, set(roles), set(pages))
    if problems:
        raise SafeguideError(problems)
    return flow, doc


def check_flow(flow: Flow, doc: YamlDocument, roles: set[str], pages: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    file, steps = doc.file, flow.steps

    def problem(step: str, message: str, fix: str, *key: str | int) -> None:
        where = ("steps", step, *key)
        dotted = ".".join(str(k) if isinstance(k, str) else f"[{k + 1}]" for k in where).replace(".[", "[")
        problems.append(Problem(file, f"step '{step}': {message}", fix, doc.line_of(where), dotted))

    if len(steps) > MAX_STEPS:
        return [
            Problem(file, f"this flow has {len(steps)} steps; a flow may have at most {MAX_STEPS}, so that a reader can follow it.", "Split it into shorter flows, each shown on its own page.", doc.line_of(("steps",)), "steps")
        ]
    if flow.start not in steps:
        problems.append(
            Problem(file, f"the flow starts at '{flow.start}', but there is no step of that name.", f"Name one of: {', '.join(steps)}.", doc.line_of(("start",)), "start")
        )
    for name, step in steps.items():
        if not STEP_NAME.fullmatch(name):
            problem(name, "a step's name becomes part of its web address, so it may use only lower-case letters, digits and dashes.", "Rename it, e.g. 'lawful-basis', and the answers that lead to it.")
        if step.is_question and len(step.answers) < MIN_ANSWERS:
            problem(name, f"a question needs at least {MIN_ANSWERS} answers, and this one has {len(step.answers)}.", "Add the other answers (for example Yes and No).", "answers")
        for i, answer in enumerate(step.answers):
            if answer.next not in steps:
                problem(name, f"the answer '{answer.label}' leads to '{answer.next}', which is not a step.", f"Name one of: {', '.join(steps)}.", "answers", i, "next")
        if not step.guidance:
            problem(name, "it does not say which part of the guidance explains it.", "Add 'guidance:' with a page and section, such as deciding.md#q-purpose.")
        elif "#" not in step.guidance:
            problem(name, f"its guidance link '{step.guidance}' names a page but not the section.", f"Add the section's id: {step.guidance}#section-id (the id after the heading, written {{#section-id}}).", "guidance")
        elif step.guidance.split("#")[0] not in pages:
            problem(name, f"its guidance page '{step.guidance.split('#')[0]}' is not a page of this site.", _page_hint(step.guidance.split("#")[0], pages), "guidance")
        for i, role in enumerate(step.call):
            if role not in roles:
                problem(name, f"'{role}' is not a contact role.", f"Use one of: {', '.join(sorted(roles))}.", "call", i)
    if flow.start in steps:
        reached = _reachable(flow)
        for name in steps:
            if name not in reached:
                problem(name, "no answer leads to this step, so no one can reach it.", "Point an answer at it, or remove it.")
        cycle = _cycle(flow)
        if cycle:
            problem(cycle[0], f"answers lead round in a circle: {' → '.join(cycle)}.", "Every path must end at an outcome; point one of these answers at an outcome.")
    return problems


def _page_hint(page: str, pages: set[str]) -> str:
    close = difflib.get_close_matches(page, sorted(pages), n=1)
    return f"Did you mean '{close[0]}'?" if close else "Give the path of a page under docs/, such as deciding.md#q-purpose."


def _next_steps(flow: Flow, name: str) -> list[str]:
    return [a.next for a in flow.steps[name].answers if a.next in flow.steps]


def _reachable(flow: Flow) -> set[str]:
    seen, todo = {flow.start}, [flow.start]
    while todo:
        for nxt in _next_steps(flow, todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _cycle(flow: Flow) -> list[str] | None:
    """The first loop found by walking from the start, as the steps that form it (first repeated at the end).

    Depth-first with a stack of its own rather than recursion, so a flow of any length cannot exhaust
    Python's call stack."""
    path: list[str] = [flow.start]
    done: set[str] = set()
    stack = [iter(_next_steps(flow, flow.start))]
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            done.add(path.pop())
        elif nxt in path:
            return path[path.index(nxt) :] + [nxt]
        elif nxt not in done:
            path.append(nxt)
            stack.append(iter(_next_steps(flow, nxt)))
    return None


def _walk_order(flow: Flow) -> list[str]:
    """Steps breadth-first from the start: the order a reader meets them."""
    order, todo = [flow.start], [flow.start]
    while todo:
        for nxt in _next_steps(flow, todo.pop(0)):
            if nxt not in order:
                order.append(nxt)
                todo.append(nxt)
    return order


def paths_to_outcomes(flow: Flow, limit: int = 1000) -> list[list[tuple[str, str]]]:
    """Routes from the start to an outcome, as (step, answer label) pairs ending with (outcome, ""), in
    answer order; at most `limit` of them, since a flow of many questions can have more routes than atoms."""
    routes: list[list[tuple[str, str]]] = []
    todo: list[tuple[str, list[tuple[str, str]]]] = [(flow.start, [])]
    while todo and len(routes) < limit:
        name, route = todo.pop()
        step = flow.steps[name]
        if not step.is_question:
            routes.append([*route, (name, "")])
            continue
        todo.extend((answer.next, [*route, (name, answer.label)]) for answer in reversed(step.answers))
    return routes
