"""A flow drawn three ways at build time: the decision helper, the diagram and the text equivalent.

The helper works without JavaScript: every step is a section with its own address and every answer
is a link to the next one (CSS shows the step in the address). overrides/assets/flows.js runs it
in place instead: each answer becomes a history entry, and it adds "your answers" and fills in the
record of the decision that each outcome carries (hidden until then; see `record`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from safeguide.core.flows import Flow, Step
from safeguide.core.models import Contact
from safeguide.core.releases import Edition
from safeguide.render import contacts
from safeguide.render.environment import TEMPLATES

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
        return f"{self.id}-{step}"

    def box_id(self, step: str) -> str:
        return f"{self.id}-box-{step}"

    def text_id(self, step: str) -> str:
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


def _inline(text: str | None) -> str:
    """A step's own text (flow YAML, which partnerships may write): simple Markdown (bold, links) as HTML.

    Raw HTML in it is shown as text, not run (its < > & and quotes are escaped before Markdown sees them),
    and links keep only web, email, phone and in-site addresses (_SafeLinks)."""
    return markdown.markdown(str(escape(text or "")), extensions=[_FlowText()])


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _outcome_label(step: Step) -> str:
    return OUTCOME_LABELS.get(step.kind or "", "Outcome")


def helper(view: FlowView) -> str:
    flow, numbers = view.flow, view.flow.numbers()
    sections = []
    for name in numbers:
        step = flow.steps[name]
        first = name == flow.start
        title_id = view.step_id(name) + "-title"
        attrs = (
            f'class="sg-flow__step" id="{view.step_id(name)}" data-flow-step="{escape(name)}" '
            f'data-kind="{"question" if step.is_question else "outcome"}" aria-labelledby="{title_id}"'
            + (" data-first" if first else "")
        )
        parts = []
        if step.is_question:
            parts.append(f'<h2 class="sg-flow__title" id="{title_id}" tabindex="-1">{escape(step.question)}</h2>')
            if step.hint:
                parts.append(f'<div class="sg-flow__hint">{_inline(step.hint)}</div>')
            answers = "".join(
                f'<li><a class="sg-flow__answer" href="#{view.step_id(a.next)}" data-answer="{escape(a.label)}" '
                f'data-next="{escape(a.next)}">{escape(a.label)}</a></li>'
                for a in step.answers
            )
            parts.append(f'<ul class="sg-flow__answers" aria-label="Answers">{answers}</ul>')
        else:
            attrs += f' data-outcome="{escape(step.kind or "")}"'
            parts.append(f'<p class="sg-flow__kind sg-flow__kind--{escape(step.kind or "none")}">{escape(_outcome_label(step))}</p>')
            parts.append(f'<h2 class="sg-flow__title" id="{title_id}" tabindex="-1">{escape(step.outcome)}</h2>')
            if step.text:
                parts.append(f'<div class="sg-flow__text">{_inline(step.text)}</div>')
            if step.call:
                cards = "".join(str(contacts.render_card(view.contacts[role], role)) for role in step.call)
                parts.append(f'<div class="sg-flow__call"><h3>Who to contact</h3>{cards}</div>')
            if flow.record:
                parts.append(f'<div class="sg-flow__record-note"><h3>Record your decision</h3>{_inline(flow.record)}</div>')
            parts.append(record(view, name))
        if step.guidance:
            about = "this question" if step.is_question else "this"
            parts.append(f'<p class="sg-flow__guidance"><a href="{escape(view.link(step.guidance))}">What the guidance says about {about}</a></p>')
        if not first:
            parts.append(f'<p class="sg-flow__restart"><a href="#{view.step_id(flow.start)}" data-restart>Start again</a></p>')
        sections.append(f"<section {attrs}>{''.join(parts)}</section>")
    return (
        f'<div class="sg-flow" data-flow="{escape(view.id)}" data-title="{escape(flow.title)}">'
        f'<div class="sg-flow__steps">{"".join(sections)}</div></div>'
    )


def record(view: FlowView, name: str) -> str:
    """The record of a decision that ends at outcome `name`, as one line of HTML (so that Markdown
    keeps it as one block): a <template>, which flows.js copies into the outcome with the answers, date
    and address filled in. Without JavaScript it shows nothing."""
    step, facts = view.flow.steps[name], view.facts
    html = TEMPLATES.get_template("flow_record.html").render(
        partnership=facts.partnership if facts else "",
        version=facts.version if facts else "",
        title=view.flow.title,
        label=_outcome_label(step),
        outcome=step.outcome,
        advice=Markup(_inline(step.text)) if step.text else "",
        contacts=[contacts.render_inline(view.contacts[role], role) for role in step.call],
        instruction=view.flow.record or "",
        prompts=RECORD_PROMPTS,
        prompt_names=" and ".join(p.rstrip(":").split(",")[0].lower() for p in RECORD_PROMPTS),
    )
    return " ".join(line.strip() for line in html.splitlines() if line.strip())


def _target_name(view: FlowView, name: str) -> str:
    step = view.flow.steps[name]
    return step.question if step.is_question else f"{_outcome_label(step)}: {step.outcome}"  # type: ignore[return-value]


def diagram(view: FlowView) -> str:
    """The flow as numbered boxes in number order: the questions in a column, then the outcomes.

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
        column.append(_box(view, name, numbers))
        following = questions[i + 1] if i + 1 < len(questions) else None
        link = next((a for a in flow.steps[name].answers if a.next == following), None)
        if link is not None:
            # The box above already lists this exit for screen readers; the arrow only draws it.
            column.append(f'<p class="sg-diagram__link" aria-hidden="true" data-from="{numbers[name]}" data-to="{numbers[link.next]}">'
                          f'<span class="sg-diagram__link-arrow">↓</span> {escape(link.label)}</p>')
    ends = "".join(_box(view, name, numbers) for name in outcomes)
    return (
        f'<figure class="sg-diagram" data-flow-diagram="{escape(view.id)}" data-search-exclude>'
        f'<figcaption>Flowchart: {escape(_sentence(flow.title))} Start at box 1. Each answer shows the number of the box it leads to, '
        f'always further on. Boxes {numbers[outcomes[0]]} to {numbers[outcomes[-1]]} are the outcomes.</figcaption>'
        f'<div class="sg-diagram__questions">{"".join(column)}</div>'
        f'<div class="sg-diagram__outcomes">{ends}</div></figure>'
    )


def _box(view: FlowView, name: str, numbers: Mapping[str, int]) -> str:
    step = view.flow.steps[name]
    label = escape(step.question if step.is_question else step.outcome)
    title = f'<a href="{escape(view.link(step.guidance))}">{label}</a>' if step.guidance else label
    if step.is_question:
        kind, tag = "question", ""
        arrows = "".join(
            f'<li><a href="#{view.box_id(a.next)}"><span class="sg-diagram__answer">{escape(a.label)}</span> '
            f'<span aria-hidden="true">→</span><span class="sg-visually-hidden">: go to box</span> {numbers[a.next]}'
            f'<span class="sg-visually-hidden">, {escape(_target_name(view, a.next))}</span></a></li>'
            for a in step.answers
        )
        hint = f'<p class="sg-diagram__hint">{escape(step.hint)}</p>' if step.hint else ""  # printed only: see text()
        body = f'{hint}<ul class="sg-diagram__arrows">{arrows}</ul>'
    else:
        kind = f"outcome sg-diagram__box--{escape(step.kind or 'none')}"
        tag = f'<span class="sg-diagram__kind">{escape(_outcome_label(step))}</span>'
        body = ""
    return (
        f'<div class="sg-diagram__box sg-diagram__box--{kind}" id="{view.box_id(name)}" data-box="{numbers[name]}">'
        f'<p class="sg-diagram__label"><span class="sg-diagram__number">{numbers[name]}</span> {tag}{title}</p>{body}</div>'
    )


def text(view: FlowView) -> str:
    """The same flow as a numbered list, for screen readers and print."""
    flow, numbers = view.flow, view.flow.numbers()
    items = []
    for name, number in numbers.items():
        step = flow.steps[name]
        guidance = f' <a href="{escape(view.link(step.guidance))}">Guidance</a>.' if step.guidance else ""
        if step.is_question:
            answers = "".join(
                f'<li>{escape(a.label)}: go to <a href="#{view.text_id(a.next)}">{numbers[a.next]}. '
                f"{escape(_target_name(view, a.next))}</a></li>"
                for a in step.answers
            )
            hint = f" {escape(step.hint)}" if step.hint else ""
            items.append(f'<li class="sg-flow-text__question" value="{number}" id="{view.text_id(name)}"><p><strong>{escape(step.question)}</strong>{hint}{guidance}</p><ul>{answers}</ul></li>')
        else:
            calls = "; ".join(str(contacts.render_inline(view.contacts[role], role)) for role in step.call)
            call = f"<p>Contact: {calls}.</p>" if calls else ""
            body = _inline(step.text)
            items.append(
                f'<li class="sg-flow-text__outcome" value="{number}" id="{view.text_id(name)}"><p><strong>{escape(_outcome_label(step))}: {escape(step.outcome)}.</strong>{guidance}</p>'
                f"{body}{call}</li>"
            )
    record = f'<p class="sg-flow-text__record"><strong>At every outcome, record your decision.</strong> {escape(flow.record)}</p>' if flow.record else ""
    # In print the chart above carries the questions (with their hints), so only the outcomes print here.
    note = '<p class="sg-flow-text__print-note">The questions and their answers are in the chart above. What each outcome means:</p>'
    return f'<div class="sg-flow-text" data-flow-text="{escape(view.id)}" data-search-exclude>{note}<ol>{"".join(items)}</ol>{record}</div>'


def as_markup(html: str) -> Markup:
    # Blank lines around the block keep Markdown from wrapping it in a paragraph.
    return Markup(f"\n\n{html}\n\n")
