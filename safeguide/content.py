"""Templating inside pages: contacts by role and local slots, rendered in a Jinja sandbox.

Pages can only call the functions below; the sandbox stops content from reaching Python internals.
Comments use `{%# ... #%}` so that Markdown attribute lists such as `{#my-id}` stay untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from safeguide import contacts, flow_html, glossary
from safeguide.errors import Problem, SafeguideError

if TYPE_CHECKING:
    from safeguide.models import Source
    from safeguide.variants import Variant

ROLE_FUNCTIONS = ("contact", "phone", "contact_card")
FLOW_FUNCTIONS = ("flow", "flow_diagram", "flow_text")
NAMED_FUNCTIONS = (*ROLE_FUNCTIONS, *FLOW_FUNCTIONS, "slot")  # their first argument names a role, flow or slot
FUNCTIONS = (*NAMED_FUNCTIONS, "contacts_directory", "glossary", "sources_list")
VARIABLES = ("partnership",)
SYNTAX_HELP = (
    'Write {{ contact("role") }}, {{ phone("role") }}, {{ contact_card("role") }}, {{ slot("name") }} '
    'or {{ flow("flow-id") }}, with the role, slot or flow name in quotes.'
)


def environment() -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        comment_start_string="{%#",
        comment_end_string="#%}",
    )
    env.globals.clear()  # no range(), cycler() and friends: pages get our functions and nothing else
    return env


def uses_templating(source: str) -> bool:
    return "{{" in source or "{%" in source


@dataclass(frozen=True)
class Use:
    function: str
    name: str
    line: int


def scan(env: jinja2.Environment, source: str, shown_as: str) -> tuple[list[Use], list[Problem]]:
    """Every role and slot a page refers to, found without rendering it."""
    if not uses_templating(source):
        return [], []
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as e:
        return [], [Problem(shown_as, f"template syntax error: {e.message}.", SYNTAX_HELP, line=e.lineno)]
    uses: list[Use] = []
    problems: list[Problem] = []
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in FUNCTIONS + VARIABLES:
            problems.append(
                Problem(shown_as, f"'{name.name}' is not something pages can use.", SYNTAX_HELP, line=name.lineno)
            )
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", "")
        if not isinstance(node.node, nodes.Name) or node.node.name not in VARIABLES or str(attr).startswith("_"):
            problems.append(Problem(shown_as, "pages may only read partnership.name, partnership.short_name and partnership.version.", SYNTAX_HELP, line=node.lineno))
    for call in tree.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name) or call.node.name not in NAMED_FUNCTIONS:
            continue
        first = call.args[0] if call.args else None
        if not (isinstance(first, nodes.Const) and isinstance(first.value, str)):
            problems.append(
                Problem(shown_as, f"{call.node.name}() needs a name in quotes.", SYNTAX_HELP, line=call.lineno)
            )
            continue
        uses.append(Use(call.node.name, first.value, call.lineno))
    return uses, problems


def render(variant: Variant, source: str, shown_as: str, link: Callable[[str], str] = str) -> str:
    """Render one page's Markdown for one partnership; `link` turns a page path into a URL from this page."""
    if not uses_templating(source):
        return source
    return _render(variant, source, shown_as, allow_slots=True, link=link)


def _render(variant: Variant, source: str, shown_as: str, allow_slots: bool, link: Callable[[str], str] = str) -> str:
    env = variant.jinja
    try:
        template = env.from_string(source, globals=_functions(variant, shown_as, allow_slots, link))
        return template.render()
    except SafeguideError:
        raise
    except jinja2.TemplateSyntaxError as e:
        raise SafeguideError(Problem(shown_as, f"template syntax error: {e.message}.", SYNTAX_HELP, line=e.lineno)) from None
    except jinja2.exceptions.SecurityError as e:
        raise SafeguideError(Problem(shown_as, f"this template is not allowed: {e}.", SYNTAX_HELP)) from None
    except jinja2.TemplateError as e:
        raise SafeguideError(Problem(shown_as, f"template error: {e}.", SYNTAX_HELP)) from None


def _functions(variant: Variant, shown_as: str, allow_slots: bool, link: Callable[[str], str]) -> dict[str, Any]:
    def lookup(role: str) -> contacts.Contact:
        found = variant.contacts.get(role)
        if found is None:
            raise SafeguideError(variant.missing_role(role, shown_as))
        return found

    def slot(name: str, caller: Callable[[], str] | None = None) -> Markup:
        if not allow_slots:
            raise SafeguideError(Problem(shown_as, "a slot's text cannot itself contain a slot.", "Remove the slot() call."))
        text = variant.slots.get(name)
        if text is None:
            return Markup(caller() if caller else "")
        local = _render(variant, text.source, text.shown_as, allow_slots=False, link=link)
        label = escape(f"Local procedure: {variant.partnership.label}")
        return Markup(
            f'\n\n<div class="sg-local" data-slot="{escape(name)}" markdown="1">\n'
            f'<p class="sg-local__label">{label}</p>\n\n{local.strip()}\n\n</div>\n\n'
        )

    def flow_view(flow_id: str) -> flow_html.FlowView:
        found = variant.flows.get(flow_id)
        if found is None:
            raise SafeguideError(variant.missing_flow(flow_id, shown_as))
        return flow_html.FlowView(flow_id, found, variant.contacts, link)

    return {
        "flow": lambda flow_id: flow_html.as_markup(flow_html.helper(flow_view(flow_id))),
        "flow_diagram": lambda flow_id: flow_html.as_markup(flow_html.diagram(flow_view(flow_id))),
        "flow_text": lambda flow_id: flow_html.as_markup(flow_html.text(flow_view(flow_id))),
        "contact": lambda role: contacts.render_inline(lookup(role), role),
        "phone": lambda role: contacts.render_phone(lookup(role)),
        "contact_card": lambda role: contacts.render_card(lookup(role), role),
        "slot": slot,
        "contacts_directory": lambda: Markup(
            contacts.directory_markdown(variant.directory_sections())
            + contacts.links_markdown(
                "Local procedures and websites",
                ((link.title, link.url, link.description) for link in variant.partnership.links),
            )
        ),
        "glossary": lambda: Markup(glossary.page_html(variant.glossary)),
        "sources_list": lambda: Markup(sources_html(variant.sources)),
        "partnership": {
            "name": variant.partnership.name,
            "short_name": variant.partnership.label,
            "version": variant.partnership.version,
        },
    }


SOURCE_KINDS = {"guidance": "National guidance and codes of practice", "law": "Legislation"}


def sources_html(sources: dict[str, Source]) -> str:
    """The Sources page: every national source with its edition, anchored for the pages that follow it."""
    parts = []
    for kind, heading in SOURCE_KINDS.items():
        items = []
        for source_id, source in sources.items():
            if source.kind != kind:
                continue
            replaces = f" It replaces {escape(source.replaces)}." if source.replaces else ""
            items.append(
                f'<li id="{escape(source_id)}"><a href="{escape(source.url)}">{escape(source.title)}</a>. '
                f"{escape(source.publisher)}; {escape(source.edition)}.{replaces}</li>"
            )
        if items:
            slug = kind + "-sources"
            parts.append(f"## {heading} {{#{slug}}}\n\n" + '<ul class="sg-sources">\n' + "\n".join(items) + "\n</ul>")
    return "\n\n" + "\n\n".join(parts) + "\n\n"
