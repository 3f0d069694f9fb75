"""A flow drawn three ways at build time: the decision helper, the diagram and the text equivalent.

The helper works without JavaScript: every step is a section with its own address and every answer
is a link to the next one (CSS shows the step in the address). overrides/assets/flows.js runs it
in place instead: each answer becomes a history entry, and it adds "your answers" and fills in the
record of the decision that each outcome carries (hidden until then; see `record`).
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from safeguide.core.flows import Flow, Step
from safeguide.core.models import Contact
from safeguide.core.releases import Edition
from safeguide.render import contacts
from safeguide.render.environment import TEMPLATES, one_line

if TYPE_CHECKING:
    from safeguide.core.variants import Variant

OUTCOME_LABELS = {
    "share": "Share",
    "do-not-share": "Do not share",
    "seek-advice": "Get advice",
    "urgent": "Act now",
    "refer": "Tell this service",
}


# What the record of a decision asks the reader to add; printed with room to write, copied as headings.
RECORD_PROMPTS = ("Your reasons:", "Who you shared with, what and when:")



@dataclass(frozen=True)
class RecordFacts:
    """What a printed or copied record says about the guidance it came from."""

    partnership: str  # the partnership's full name
    version: str  # e.g. "3.1 · Approved 1 March 2026" or "3.2 · DRAFT – not approved"

    @classmethod
    def of(cls, variant: Variant, edition: Edition | None = None) -> RecordFacts:
        """From the build's Variant: its partnership and, once the build knows it, its edition."""
        version = version_line(edition) if edition else variant.partnership.version
        return cls(variant.partnership.name, version)


def version_line(edition: Edition) -> str:
    """The version as a printout must state it (safeguide.render.print_facts.version_line: one wording everywhere)."""
    # Imported here: printing -> version_pages -> review -> variants -> content -> flow_html would be a cycle.
    from safeguide.render.print_facts import version_line as printed

    return printed(edition)


@dataclass(frozen=True)
class FlowView:
    """One flow as one page shows it: links resolved from that page, contacts from its partnership."""

    id: str
    flow: Flow
    contacts: Mapping[str, Contact]
    link: Callable[[str], str]  # "deciding.md#q-purpose" -> a URL relative to the page
    facts: RecordFacts | None = None  # None: a bare build (tests) names no partnership or version

    def step_id(self, step: str) -> str:
        """The id of a step's section in the helper."""
        return f"{self.id}-{step}"

    def box_id(self, step: str) -> str:
        """The id of a step's box in the diagram."""
        return f"{self.id}-box-{step}"

    def text_id(self, step: str) -> str:
        """The id of a step's item in the text version."""
        return f"{self.id}-text-{step}"


LINK_SCHEMES = ("https:", "http:", "mailto:", "tel:")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")


class _SafeLinks(Treeprocessor):
    """Keeps a link's text but drops its address unless it is a web, email, phone or in-site address
    (a `javascript:` link in a flow file would otherwise run a script)."""

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            href = re.sub(r"[\x00-\x20]+", "", link.get("href", "")).lower()
            if SCHEME.match(href) and not href.startswith(LINK_SCHEMES):
                del link.attrib["href"]


class _FlowText(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_SafeLinks(md), "sg_safe_links", 0)


@functools.lru_cache(maxsize=4096)  # a flow is shown on several pages of every edition; the HTML depends on the text only
def _inline(text: str | None) -> str:
    """A step's own text (flow YAML, which partnerships may write): simple Markdown (bold, links) as HTML.

    Raw HTML in it is shown as text, not run (its < > & and quotes are escaped before Markdown sees them),
    and links keep only web, email, phone and in-site addresses (_SafeLinks)."""
    return markdown.markdown(str(escape(text or "")), extensions=[_FlowText()])


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _outcome_label(step: Step) -> str:
    return OUTCOME_LABELS.get(step.kind or "", "Outcome")


def helper(view: FlowView, *, templates: jinja2.Environment = TEMPLATES) -> str:
    """The decision helper (templates/flow/helper.html): one section per step, in number order, each answer
    a link to the step it leads to; each outcome with its contacts and the record of the decision."""
    flow = view.flow
    steps = []
    for name in flow.numbers():
        step = flow.steps[name]
        entry: dict[str, Any] = {
            "name": name,
            "id": view.step_id(name),
            "first": name == flow.start,
            "is_question": step.is_question,
            "guidance": view.link(step.guidance) if step.guidance else "",
        }
        if step.is_question:
            entry |= {
                "question": step.question,
                "hint": Markup(_inline(step.hint)) if step.hint else "",
                "answers": [{"href": view.step_id(a.next), "label": a.label, "next": a.next} for a in step.answers],
            }
        else:
            entry |= {
                "kind": step.kind,
                "label": _outcome_label(step),
                "outcome": step.outcome,
                "text": Markup(_inline(step.text)) if step.text else "",
                "cards": [contacts.render_card(view.contacts[role], role, templates=templates) for role in step.call],
                "record_note": Markup(_inline(flow.record)) if flow.record else "",
                "record": Markup(record(view, name, templates=templates)),
            }
        steps.append(entry)
    return templates.get_template("flow/helper.html").render(id=view.id, title=flow.title, steps=steps, restart=view.step_id(flow.start))


def record(view: FlowView, name: str, *, templates: jinja2.Environment = TEMPLATES) -> str:
    """The record of a decision that ends at outcome `name`, as one line of HTML (so that Markdown
    keeps it as one block): a <template>, which flows.js copies into the outcome with the answers, date
    and address filled in. Without JavaScript it shows nothing."""
    step, facts = view.flow.steps[name], view.facts
    html = templates.get_template("flow/record.html").render(
        partnership=facts.partnership if facts else "",
        version=facts.version if facts else "",
        title=view.flow.title,
        label=_outcome_label(step),
        outcome=step.outcome,
        advice=Markup(_inline(step.text)) if step.text else "",
        contacts=[contacts.render_inline(view.contacts[role], role, templates=templates) for role in step.call],
        instruction=view.flow.record or "",
        prompts=RECORD_PROMPTS,
        prompt_names=" and ".join(p.rstrip(":").split(",")[0].lower() for p in RECORD_PROMPTS),
    )
    return str(one_line(Markup(html)))  # the template's own output


def _target_name(view: FlowView, name: str) -> str:
    step = view.flow.steps[name]
    return step.question if step.is_question else f"{_outcome_label(step)}: {step.outcome}"  # type: ignore[return-value]


def diagram(view: FlowView, *, templates: jinja2.Environment = TEMPLATES) -> str:
    """The flow as numbered boxes in number order (templates/flow/diagram.html): the questions in a column,
    then the outcomes.

    Every answer leads to a higher number (Flow.numbers), so a reader goes down the chart. Each
    question lists its real exits ("Yes → 3"); a "↓" joins two boxes only where an answer leads from
    one to the next, labelled with that answer. Each box opens its guidance. The diagram and the text
    equivalent repeat the helper's words, so search indexes only the helper."""
    flow, numbers = view.flow, view.flow.numbers()
    order = sorted(numbers, key=numbers.__getitem__)
    questions = [name for name in order if flow.steps[name].is_question]
    outcomes = [name for name in order if not flow.steps[name].is_question]
    column = []
    for i, name in enumerate(questions):
        following = questions[i + 1] if i + 1 < len(questions) else None
        link = next((a for a in flow.steps[name].answers if a.next == following), None)
        box = _box(view, name, numbers)
        box["link"] = {"number": numbers[link.next], "label": link.label} if link is not None else None
        column.append(box)
    return templates.get_template("flow/diagram.html").render(
        id=view.id,
        title=_sentence(flow.title),
        first_outcome=numbers[outcomes[0]],
        last_outcome=numbers[outcomes[-1]],
        questions=column,
        outcomes=[_box(view, name, numbers) for name in outcomes],
    )


def _box(view: FlowView, name: str, numbers: Mapping[str, int]) -> dict[str, Any]:
    """What one box of the diagram shows: its number, words, guidance link and (a question) its exits."""
    step = view.flow.steps[name]
    box: dict[str, Any] = {
        "id": view.box_id(name),
        "number": numbers[name],
        "question": step.is_question,
        "title": step.question if step.is_question else step.outcome,
        "guidance": view.link(step.guidance) if step.guidance else "",
    }
    if step.is_question:
        box["hint"] = step.hint or ""  # printed only: see text()
        box["answers"] = [
            {"href": view.box_id(a.next), "label": a.label, "number": numbers[a.next], "target": _target_name(view, a.next)} for a in step.answers
        ]
    else:
        box["kind"] = step.kind
        box["label"] = _outcome_label(step)
    return box


def text(view: FlowView, *, templates: jinja2.Environment = TEMPLATES) -> str:
    """The same flow as a numbered list, for screen readers and print (templates/flow/text.html)."""
    flow, numbers = view.flow, view.flow.numbers()
    items = []
    for name, number in numbers.items():
        step = flow.steps[name]
        item: dict[str, Any] = {
            "number": number,
            "id": view.text_id(name),
            "is_question": step.is_question,
            "guidance": view.link(step.guidance) if step.guidance else "",
        }
        if step.is_question:
            item |= {
                "question": step.question,
                "hint": step.hint or "",
                "answers": [{"label": a.label, "href": view.text_id(a.next), "number": numbers[a.next], "target": _target_name(view, a.next)} for a in step.answers],
            }
        else:
            item |= {
                "label": _outcome_label(step),
                "outcome": step.outcome,
                "body": Markup(_inline(step.text)),
                "contacts": [contacts.render_inline(view.contacts[role], role, templates=templates) for role in step.call],
            }
        items.append(item)
    return templates.get_template("flow/text.html").render(id=view.id, items=items, record=flow.record or "")


def as_markup(html: str) -> Markup:
    """A flow's HTML (made by its template) to put in a page's Markdown: blank lines around the block keep
    Markdown from wrapping it in a paragraph."""
    return Markup(f"\n\n{html}\n\n")
