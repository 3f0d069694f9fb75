"""The training blocks' source (scenario and quiz, written with pymdown-extensions' Blocks syntax: see
safeguide.render.blocks for what they become): `check_page` finds their mistakes before a build, with the
file and line."""

from __future__ import annotations

import re

from safeguide.core.problems import Problem

VERDICT = re.compile(r"^\W*(true|false)\b", re.IGNORECASE)
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
