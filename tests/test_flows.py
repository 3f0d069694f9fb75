"""Flow files: a good flow loads and every path ends at an outcome; each kind of broken flow is refused
with a message naming the file, the step and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguide.core.flows import load_flow, paths_to_outcomes
from safeguide.core.problems import SafeguideError

ROLES = {"children_front_door", "information_governance"}
GOOD = """\
title: Should I share?
start: purpose
steps:
  purpose:
    question: Is there a clear and legitimate purpose?
    guidance: deciding.md#q-purpose
    answers:
      - label: "Yes"
        next: consent
      - label: "No"
        next: do-not-share
  consent:
    question: Do you have consent, or another lawful basis?
    answers:
      - label: "Yes"
        next: share
      - label: "No"
        next: do-not-share
      - label: Not sure
        next: advice
    guidance: deciding.md#q-consent
  share:
    outcome: Share, and record your decision
    kind: share
    call: [children_front_door]
    guidance: recording.md#what
  do-not-share:
    outcome: Do not share, and record your decision
    kind: do-not-share
    guidance: deciding.md#record
  advice:
    outcome: Get advice without naming the person
    kind: seek-advice
    call: [information_governance]
    guidance: deciding.md#advice
"""
PAGES = {"deciding.md", "recording.md", "index.md"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "share.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_flow_loads_and_every_path_ends_at_an_outcome(tmp_path: Path) -> None:
    flow = load_flow(write(tmp_path, GOOD), "docs/flows/share.yml", ROLES, PAGES)
    routes = paths_to_outcomes(flow)
    assert len(routes) == 4
    assert routes[0] == [("purpose", "Yes"), ("consent", "Yes"), ("share", "")]
    assert all(not flow.steps[route[-1][0]].is_question for route in routes)


BROKEN = {
    "dangling reference": (
        ("        next: advice\n", "        next: advise\n"),
        ["step 'consent'", "leads to 'advise', which is not a step", "line 20", "steps.consent.answers[3].next"],
    ),
    "unreachable step": (
        ("      - label: Not sure\n        next: advice\n", ""),
        ["step 'advice'", "no answer leads to this step"],
    ),
    "cycle": (
        ("      - label: Not sure\n        next: advice\n", "      - label: Not sure\n        next: purpose\n"),
        ["answers lead round in a circle", "purpose → consent → purpose"],
    ),
    "unknown contact role": (
        ("call: [information_governance]", "call: [caldicott_guardian]"),
        ["step 'advice'", "'caldicott_guardian' is not a contact role", "steps.advice.call[1]"],
    ),
    "question with one answer": (
        ("      - label: \"No\"\n        next: do-not-share\n  consent:", "  consent:"),
        ["step 'purpose'", "at least 2 answers"],
    ),
    "step that is both question and outcome": (
        ("    kind: share\n", "    kind: share\n    question: Really?\n"),
        ["steps.share", "either a question or an outcome"],
    ),
    "step without guidance": (
        ("    guidance: deciding.md#record\n", ""),
        ["step 'do-not-share'", "which part of the guidance explains it", "guidance:"],
    ),
    "guidance on a page the site lacks": (
        ("guidance: recording.md#what", "guidance: recordng.md#what"),
        ["step 'share'", "'recordng.md' is not a page of this site", "Did you mean 'recording.md'?", "steps.share.guidance"],
    ),
    "guidance naming no section": (
        ("guidance: recording.md#what", "guidance: recording.md"),
        ["step 'share'", "names a page but not the section", "recording.md#section-id"],
    ),
    "step name unfit for a web address": (
        ("  advice:\n", "  Get Advice:\n"),
        ["step 'Get Advice'", "lower-case letters, digits and dashes"],
    ),
    "missing start": (
        ("start: purpose", "start: begin"),
        ["starts at 'begin'", "line 2"],
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_flow_is_refused_with_file_step_and_line(tmp_path: Path, name: str) -> None:
    (old, new), expected = BROKEN[name]
    assert old in GOOD, name
    with pytest.raises(SafeguideError) as caught:
        load_flow(write(tmp_path, GOOD.replace(old, new, 1)), "docs/flows/share.yml", ROLES, PAGES)
    said = "\n".join(str(p) for p in caught.value.problems)
    assert "docs/flows/share.yml" in said
    for fragment in expected:
        assert fragment in said, f"{fragment!r} not in:\n{said}"
