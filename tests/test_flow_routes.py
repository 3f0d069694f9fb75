"""Every route through every decision flow, as each demo partnership's working copy publishes it.

The routes are written out in tests/golden/flow-routes.md: for each flow, each outcome and the answers
that reach it. A policy group reads the routes there, in one place. The test fails when a flow changes and
the file does not; after the change has been reviewed, write the file again with

    PYTHONPATH=. python -m tests.test_flow_routes

and commit it with the change, so the difference shows what the policy group signed.

The rules below hold for every flow, whatever the file says:
- a "do not share" outcome always offers advice and the front-door contacts;
- every answer that says someone is in danger leads straight to an outcome that shows 999, and every
  outcome that tells the reader to call 999 shows the 999 contact;
- a "Who do I tell?" flow has a route for FGM that names the police (101) and the children's front door;
  where the reader is a teacher or professional who knows, it says to report to the police yourself, that
  telling the safeguarding lead or the front door does not count, and to tell the lead as well. It has one
  for forced marriage and abuse in the name of honour that names the police and a front door;
- a "Who do I tell?" flow has routes for a child's radicalisation (to Prevent, with 999 for an attack),
  a missing child (999, 101 and the front door), self-harm or suicide (999), a worry about the head, lead
  or manager (straight to the LADO), and domestic abuse in a child's home (the front door, MARAC and adult
  social care); where it has routes for someone who works with adults (PiPoT) or modern slavery, they lead
  to adult social care and to the National Referral Mechanism with the adult's agreement;
- in "Who do I tell?", every route about an adult that ends by sending the reader to a service says that
  the adult's wishes count (the Care Act and the Mental Capacity Act; child logic does not carry over);
- "Should I share?" asks about immediate danger first, then purpose and lawful basis, and only then
  about confidentiality and consent (the order of the 2024 advice, not the 2015/2018 flowchart).
"""

from __future__ import annotations

import difflib
import re
import sys
from functools import cache
from pathlib import Path

import pytest

from safeguide.core.flows import Flow, paths_to_outcomes
from safeguide.core.variants import Project, load_variant

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "flow-routes.md"
REGENERATE = "PYTHONPATH=. python -m tests.test_flow_routes"

Route = list[tuple[str, str]]

DANGER = re.compile(r"danger", re.I)
PURPOSE = re.compile(r"\breason\b|\bpurpose\b", re.I)
LAWFUL = re.compile(r"lawful basis", re.I)
CONSENT_OR_CONFIDENCE = re.compile(r"\bagree|\bconsent|\bconfiden|in confidence", re.I)
FGM = re.compile(r"\bFGM\b|genital mutilation", re.I)
FORCED_MARRIAGE = re.compile(r"forced marriage|honour", re.I)
ADVICE = re.compile(r"\badvice\b", re.I)
WISHES = re.compile(r"\bwishes\b|what (?:they|the adult) wants?\b", re.I)
ABOUT_AN_ADULT = re.compile(r"\ban adult\b", re.I)
RADICALISATION = re.compile(r"radicali[sz]|extremis", re.I)
MISSING = re.compile(r"\bmissing\b", re.I)
SELF_HARM = re.compile(r"self-harm|suicid", re.I)
HEAD_OR_LEAD = re.compile(r"head teacher|safeguarding lead or your manager", re.I)
CHILD_DOMESTIC_ABUSE = re.compile(r"domestic abuse (in the child|at home)", re.I)
PIPOT = re.compile(r"works or volunteers with adults", re.I)
SLAVERY = re.compile(r"slavery|traffick", re.I)
CALLS_999 = re.compile(r"\b999\b")
FRONT_DOORS = {"children_front_door", "adults_front_door"}


class Flows:
    """Each flow file a partnership publishes (a partnership's own file replaces the national one), with
    the partnerships that publish it."""

    def __init__(self, root: Path) -> None:
        project = Project.at(root)
        self.files: dict[str, tuple[str, Flow]] = {}
        self.users: dict[str, list[str]] = {}
        for partnership in project.partnership_ids():
            variant = load_variant(project, partnership)
            for flow_id, flow in variant.flows.items():
                shown = variant.flow_files[flow_id]
                self.files[shown] = (flow_id, flow)
                self.users.setdefault(shown, []).append(variant.partnership.short_name or partnership)

    def items(self) -> list[tuple[str, str, Flow]]:
        return [(shown, flow_id, flow) for shown, (flow_id, flow) in sorted(self.files.items())]


@cache
def working_copies() -> Flows:
    return Flows(ROOT)


def routes_by_outcome(flow: Flow) -> dict[str, list[Route]]:
    found: dict[str, list[Route]] = {}
    for route in paths_to_outcomes(flow):
        found.setdefault(route[-1][0], []).append(route[:-1])
    numbers = flow.numbers()
    return dict(sorted(found.items(), key=lambda item: numbers[item[0]]))


def says(flow: Flow, route: Route) -> str:
    """A route as the reader answered it: 'Q1 No · Q2 Yes'."""
    numbers = flow.numbers()
    return " · ".join(f"Q{numbers[step]} {label}" for step, label in route)


# --- the routes, written out ---------------------------------------------------------------------------------------


def render(flows: Flows) -> str:
    out = [
        "# Decision flow routes",
        "",
        "Written from the flow files by tests/test_flow_routes.py. Do not edit this file by hand.",
        f"After a reviewed change to a flow, write it again with `{REGENERATE}`.",
        "",
        "For each flow: its questions, numbered as in the flowchart, then each outcome, the contacts it shows,",
        "and every route that reaches it. A route lists each question's number and the answer given.",
        "",
    ]
    for shown, flow_id, flow in flows.items():
        numbers = flow.numbers()
        out += [f"## {flow.title} (`{flow_id}`)", "", f"File: `{shown}`. Published by: {', '.join(flows.users[shown])}.", "", "### Questions", ""]
        for name, number in numbers.items():
            step = flow.steps[name]
            if step.is_question:
                out.append(f"- Q{number}. {step.question} (`{name}`)")
        out.append("")
        for name, routes in routes_by_outcome(flow).items():
            step = flow.steps[name]
            out += [f"### Outcome {numbers[name]}: {step.outcome} (`{name}`, {step.kind})", ""]
            out.append(f"Contacts shown: {', '.join(role.replace('_', ' ') for role in step.call) or 'none'}.")
            out += ["", f"Reached by {len(routes)} route{'s' if len(routes) != 1 else ''}:", ""]
            out += [f"- {says(flow, route)}" for route in routes]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def test_the_routes_file_matches_the_flows() -> None:
    written = GOLDEN.read_text(encoding="utf-8") if GOLDEN.is_file() else ""
    now = render(working_copies())
    if written != now:
        diff = "".join(list(difflib.unified_diff(written.splitlines(True), now.splitlines(True), "tests/golden/flow-routes.md", "the flows now"))[:80])
        pytest.fail(f"A flow changed, so its routes changed. Review the difference, then run `{REGENERATE}` and commit the file.\n{diff}")


# --- rules every flow keeps ---------------------------------------------------------------------------------------


def do_not_share_problems(flows: Flows) -> list[str]:
    """A "do not share" outcome offers advice and the front doors (the adults' one, and the information
    governance contact, wherever the flow uses them elsewhere). An outcome that sends the reader for advice
    shows the front doors too, since a worry that waits for advice can become harm."""
    problems = []
    for shown, _, flow in flows.items():
        used = {role for step in flow.steps.values() for role in step.call}
        needed = {"children_front_door"} | (used & {"adults_front_door", "information_governance"})
        for name, routes in routes_by_outcome(flow).items():
            step = flow.steps[name]
            if step.kind == "seek-advice":
                missing = sorted((needed - {"information_governance"}) - set(step.call))
                if missing:
                    problems.append(f"{shown}: '{name}' sends the reader for advice but does not show {', '.join(missing)}")
            if step.kind != "do-not-share":
                continue
            reached = "; ".join(says(flow, route) for route in routes)
            missing = sorted(needed - set(step.call))
            if missing:
                problems.append(f"{shown}: '{name}' (reached by {reached}) does not show {', '.join(missing)}")
            if not ADVICE.search(step.text or ""):
                problems.append(f"{shown}: '{name}' (reached by {reached}) does not offer advice")
    return problems


def fgm_problems(flows: Flows) -> list[str]:
    """Who do I tell?: FGM leads to the police on 101 and the children's front door, and the route for a
    teacher or professional who knows says to report to the police yourself. Forced marriage and abuse in
    the name of honour lead to the police and a front door."""
    problems = []
    for shown, flow_id, flow in flows.items():
        if flow_id != "who-to-tell":
            continue
        fgm, forced = [], []
        for outcome, routes in routes_by_outcome(flow).items():
            for route in routes:
                words = " ".join(f"{flow.steps[step].question} {label}" for step, label in route)
                if FGM.search(words):
                    fgm.append((outcome, route))
                elif FORCED_MARRIAGE.search(" ".join(label for _, label in route)):
                    forced.append((outcome, route))
        if not fgm:
            problems.append(f"{shown}: no answer leads to an FGM route")
        for outcome, route in fgm:
            step = flow.steps[outcome]
            missing = sorted({"police_non_emergency", "children_front_door"} - set(step.call))
            if missing or "101" not in (step.text or ""):
                problems.append(f"{shown}: the FGM route {says(flow, route)} ends at '{outcome}', which does not name {', '.join(missing) or '101 in its text'}")
        if fgm and not any(re.search(r"police yourself|yourself on \*\*101", flow.steps[o].text or "") for o, _ in fgm):
            problems.append(f"{shown}: no FGM route tells a teacher or professional to report to the police themselves")
        for outcome, route in fgm:
            text = flow.steps[outcome].text or ""
            if re.search(r"must tell the police yourself", text) and not (re.search(r"safeguarding lead", text) and re.search(r"does not count|does not replace", text)):
                problems.append(f"{shown}: the FGM duty route {says(flow, route)} ends at '{outcome}', which does not say to tell the safeguarding lead too, or that telling them does not count as the police report")
        if not forced:
            problems.append(f"{shown}: no answer leads to a route for forced marriage or abuse in the name of honour")
        for outcome, route in forced:
            step = flow.steps[outcome]
            if "police_non_emergency" not in step.call or not FRONT_DOORS & set(step.call):
                problems.append(f"{shown}: the forced-marriage route {says(flow, route)} ends at '{outcome}', which does not name the police and a front door")
    return problems


def danger_problems(flows: Flows) -> list[str]:
    """Every flow: an answer of yes to a question about danger leads straight to an outcome that shows 999;
    an outcome that tells the reader to call 999 shows the 999 contact, so the number is there to tap."""
    problems = []
    for shown, _, flow in flows.items():
        for name, step in flow.steps.items():
            if step.is_question and DANGER.search(step.question or ""):
                for answer in step.answers:
                    if answer.label.lower().startswith("yes"):
                        to = flow.steps[answer.next]
                        if to.is_question or "emergency" not in to.call:
                            problems.append(f"{shown}: '{answer.label}' to '{step.question}' does not lead straight to an outcome with 999")
            if not step.is_question and CALLS_999.search(step.text or "") and "emergency" not in step.call:
                problems.append(f"{shown}: '{name}' tells the reader to call 999 but does not show the 999 contact")
    return problems


def _routes_with(flow: Flow, pattern: re.Pattern[str]) -> list[tuple[str, Route]]:
    """(outcome, route) for every route on which some answer's label matches."""
    return [(outcome, route) for outcome, routes in routes_by_outcome(flow).items() for route in routes if any(pattern.search(label) for _, label in route)]


def who_to_tell_problems(flows: Flows) -> list[str]:
    """Who do I tell?: the routes the 2026 policy review found missing, each with the contacts and words it
    needs (see the module docstring). PiPoT and modern slavery are checked where a flow has them."""
    problems = []

    def need(shown: str, flow: Flow, what: str, pattern: re.Pattern[str], calls: set[str], words: list[str], required: bool = True) -> None:
        found = _routes_with(flow, pattern)
        if not found and required:
            problems.append(f"{shown}: no answer leads to a route for {what}")
        for outcome, route in found:
            step = flow.steps[outcome]
            missing = sorted(calls - set(step.call)) + [w for w in words if not re.search(w, step.text or "", re.I)]
            if missing:
                problems.append(f"{shown}: the {what} route {says(flow, route)} ends at '{outcome}', which lacks {', '.join(missing)}")

    for shown, flow_id, flow in flows.items():
        if flow_id != "who-to-tell":
            continue
        need(shown, flow, "radicalisation", RADICALISATION, {"emergency", "children_front_door"}, [r"\bPrevent\b", r"\b999\b", r"safeguarding lead"])
        need(shown, flow, "a missing child", MISSING, {"emergency", "police_non_emergency", "children_front_door"}, [r"\b999\b", r"\b101\b"])
        need(shown, flow, "self-harm or suicide", SELF_HARM, {"emergency"}, [r"\b999\b", r"safeguarding lead"])
        need(shown, flow, "domestic abuse in a child's home", CHILD_DOMESTIC_ABUSE, {"children_front_door", "adults_front_door", "domestic_abuse_service"}, [r"\bMARAC\b", r"care and support needs"])
        need(shown, flow, "someone who works with adults (PiPoT)", PIPOT, {"adults_front_door"}, [r"do not (?:question or )?warn"], required=False)
        need(shown, flow, "modern slavery", SLAVERY, {"police_non_emergency", "adults_front_door"}, [r"National Referral Mechanism", r"\bagree"], required=False)
        heads = [(name, a) for name, step in flow.steps.items() if step.is_question and HEAD_OR_LEAD.search(step.question or "") for a in step.answers if a.label.lower().startswith("yes")]
        if not heads:
            problems.append(f"{shown}: no question asks whether the worry is about the head teacher, the safeguarding lead or a manager")
        for name, answer in heads:
            to = flow.steps[answer.next]
            if to.is_question or "lado" not in to.call or re.search(r"tell your (?:organisation's |own )?safeguarding lead", to.text or "", re.I):
                problems.append(f"{shown}: '{answer.label}' to '{flow.steps[name].question}' does not go straight to the LADO")
        for outcome, route in _routes_with(flow, ABOUT_AN_ADULT):
            step = flow.steps[outcome]
            if step.kind == "refer" and not WISHES.search(step.text or ""):
                problems.append(f"{shown}: the route about an adult {says(flow, route)} ends at '{outcome}', which does not say that the adult's wishes count")
        for step in flow.steps.values():
            if step.is_question and re.search(r"\badult\b", step.question or "", re.I) and not re.search(r"\bchild", step.question or "", re.I):
                for answer in step.answers:
                    to = flow.steps[answer.next]
                    if answer.label.lower().startswith("yes") and to.kind == "refer" and not WISHES.search(to.text or ""):
                        problems.append(f"{shown}: '{answer.label}' to '{step.question}' ends at '{answer.next}', which does not say that the adult's wishes count")
    return problems


def order_problems(flows: Flows) -> list[str]:
    """Should I share?: immediate danger first (999, then the front door); then purpose and lawful basis;
    confidentiality and consent only after both, on every route."""
    problems = []
    for shown, flow_id, flow in flows.items():
        if flow_id != "should-i-share":
            continue
        first = flow.steps[flow.start]
        if not DANGER.search(first.question or ""):
            problems.append(f"{shown}: the first question is not about immediate danger")
            continue
        urgent = flow.steps[first.answers[0].next]
        if urgent.is_question or urgent.call[:1] != ["emergency"] or not FRONT_DOORS & set(urgent.call):
            problems.append(f"{shown}: '{first.answers[0].label}' to immediate danger does not lead to 999 and then the front door")
        after = flow.steps[first.answers[-1].next]
        if not after.is_question or CONSENT_OR_CONFIDENCE.search(after.question or "") or not (PURPOSE.search(after.question or "") or LAWFUL.search(after.question or "")):
            problems.append(f"{shown}: the first question after immediate danger is not about purpose or lawful basis")
        for route in paths_to_outcomes(flow):
            asked = [flow.steps[step].question or "" for step, _ in route[:-1]]
            consent_at = next((i for i, q in enumerate(asked) if CONSENT_OR_CONFIDENCE.search(q) and not LAWFUL.search(q)), None)
            if consent_at is None:
                continue
            before = asked[:consent_at]
            if not any(PURPOSE.search(q) for q in before) or not any(LAWFUL.search(q) for q in before):
                problems.append(f"{shown}: the route {says(flow, route[:-1])} asks about confidence or consent before purpose and lawful basis")
    return problems


def test_no_route_ends_at_do_not_share_without_advice_and_the_front_door() -> None:
    assert not (problems := do_not_share_problems(working_copies())), "\n".join(problems)


def test_fgm_and_forced_marriage_routes_name_the_police_and_the_front_door() -> None:
    assert not (problems := fgm_problems(working_copies())), "\n".join(problems)


def test_every_danger_answer_reaches_999() -> None:
    assert not (problems := danger_problems(working_copies())), "\n".join(problems)


def test_who_do_i_tell_has_the_routes_the_review_found_missing() -> None:
    assert not (problems := who_to_tell_problems(working_copies())), "\n".join(problems)


def test_should_i_share_asks_purpose_and_lawful_basis_before_consent() -> None:
    assert not (problems := order_problems(working_copies())), "\n".join(problems)


if __name__ == "__main__":
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(render(working_copies()), encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}", file=sys.stderr)
