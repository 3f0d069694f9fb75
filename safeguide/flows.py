"""Decision flows declared as data: question steps whose answers lead to other steps or to outcomes.

A flow file is checked as a whole before anything is built from it: every answer leads somewhere that
exists, every step can be reached from the start, no path loops back on itself, every question offers
a real choice, and every contact an outcome names is one the partnership has.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from safeguide.errors import Problem, SafeguideError
from safeguide.loading import YamlDocument, read_yaml, validate
from safeguide.models import RequiredText, Role, Strict, Text

MIN_ANSWERS = 2


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
    steps: dict[RequiredText, Step]


def load_flow(path: Path, shown_as: str, roles: Iterable[str]) -> Flow:
    """Read and check one flow file; every problem found is reported at once."""
    doc = read_yaml(path, shown_as)
    flow = validate(Flow, doc)
    problems = check_flow(flow, doc, set(roles))
    if problems:
        raise SafeguideError(problems)
    return flow


def check_flow(flow: Flow, doc: YamlDocument, roles: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    file, steps = doc.file, flow.steps

    def problem(step: str, message: str, fix: str, *key: str | int) -> None:
        where = ("steps", step, *key)
        dotted = ".".join(str(k) if isinstance(k, str) else f"[{k + 1}]" for k in where).replace(".[", "[")
        problems.append(Problem(file, f"step '{step}': {message}", fix, doc.line_of(where), dotted))

    if flow.start not in steps:
        problems.append(
            Problem(file, f"the flow starts at '{flow.start}', but there is no step of that name.", f"Name one of: {', '.join(steps)}.", doc.line_of(("start",)), "start")
        )
    for name, step in steps.items():
        if step.is_question and len(step.answers) < MIN_ANSWERS:
            problem(name, f"a question needs at least {MIN_ANSWERS} answers, and this one has {len(step.answers)}.", "Add the other answers (for example Yes and No).", "answers")
        for i, answer in enumerate(step.answers):
            if answer.next not in steps:
                problem(name, f"the answer '{answer.label}' leads to '{answer.next}', which is not a step.", f"Name one of: {', '.join(steps)}.", "answers", i, "next")
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
    """The first loop found by walking from the start, as the steps that form it (first repeated at the end)."""
    path: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> list[str] | None:
        if name in path:
            return path[path.index(name) :] + [name]
        if name in done:
            return None
        path.append(name)
        for nxt in _next_steps(flow, name):
            found = visit(nxt)
            if found:
                return found
        path.pop()
        done.add(name)
        return None

    return visit(flow.start)


def paths_to_outcomes(flow: Flow) -> list[list[tuple[str, str]]]:
    """Every route from the start to an outcome, as (step, answer label) pairs ending with (outcome, "")."""
    routes: list[list[tuple[str, str]]] = []

    def walk(name: str, route: list[tuple[str, str]]) -> None:
        step = flow.steps[name]
        if not step.is_question:
            routes.append([*route, (name, "")])
            return
        for answer in step.answers:
            walk(answer.next, [*route, (name, answer.label)])

    walk(flow.start, [])
    return routes
