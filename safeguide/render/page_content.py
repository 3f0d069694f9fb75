"""Pages' templating rendered: contacts by role, local slots, flows, the contacts directory, the glossary and
the sources list, through the page language's sandbox (safeguide.core.page_language).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from types import CodeType
from typing import TYPE_CHECKING, Any

import jinja2
import markdown
from markupsafe import Markup

from safeguide.core import page_language
from safeguide.core.loading import PAGE_LIMIT, read_text
from safeguide.core.page_language import SYNTAX_HELP
from safeguide.core.problems import Problem, SafeguideError
from safeguide.render import contacts, flow_html, glossary
from safeguide.render.environment import TEMPLATES
from safeguide.render.escaping import markdown_text

if TYPE_CHECKING:
    from safeguide.core.models import Contact, Source
    from safeguide.core.releases import Edition
    from safeguide.core.variants import Variant


# A page's templating, checked and compiled, by source text: the editions one process builds share most pages, and
# the same text always gives the same code (page_language.environment's settings are fixed; the environment's type
# is in the key). Only code derived from the text is kept, nothing of a build; pages with problems are never kept.
_COMPILED: dict[tuple[type, str], CodeType] = {}
_COMPILED_LIMIT = 4096


def render(
    variant: Variant,
    source: str,
    shown_as: str,
    link: Callable[[str], str] = str,
    edition: Edition | None = None,
    *,
    templates: jinja2.Environment = TEMPLATES,
    contacts_shown: dict[tuple[str, str], Markup] | None = None,
) -> str:
    """Render one page's Markdown for one partnership; `link` turns a page path into a URL from this page;
    `edition` (the build's) is what a decision record states; `templates` renders contacts and flows (the
    build's: safeguide.render.environment.templates). `contacts_shown`, if given, keeps each contact as rendered
    ({(function, role): HTML}) for the other pages of the same build: a contact renders the same on every page.
    Raises SafeguideError for templating that fails."""
    if not page_language.uses_templating(source):
        return source
    return _render(variant, source, shown_as, allow_slots=True, link=link, edition=edition, templates=templates, contacts_shown=contacts_shown)


def _render(
    variant: Variant,
    source: str,
    shown_as: str,
    allow_slots: bool,
    link: Callable[[str], str] = str,
    edition: Edition | None = None,
    templates: jinja2.Environment = TEMPLATES,
    contacts_shown: dict[tuple[str, str], Markup] | None = None,
) -> str:
    env = variant.jinja
    try:
        code = _COMPILED.get((type(env), source))
        if code is None:
            tree, _, problems = page_language.parse(env, source, shown_as)  # every caller gets the checks `scan` makes
            if problems or tree is None:
                raise SafeguideError(problems)
            code = env.compile(tree)
            if len(_COMPILED) >= _COMPILED_LIMIT:
                _COMPILED.clear()
            _COMPILED[(type(env), source)] = code
        functions = _functions(variant, shown_as, allow_slots, link, edition, templates, {} if contacts_shown is None else contacts_shown)
        template = env.template_class.from_code(env, code, env.make_globals(functions), None)
        return template.render()
    except SafeguideError:
        raise
    except jinja2.TemplateSyntaxError as e:
        raise SafeguideError(Problem(shown_as, f"template syntax error: {page_language.sentence(e.message or '')}", SYNTAX_HELP, line=e.lineno)) from None
    except jinja2.exceptions.SecurityError as e:
        raise SafeguideError(Problem(shown_as, f"this template is not allowed: {page_language.sentence(str(e))}", SYNTAX_HELP)) from None
    except jinja2.TemplateError as e:
        raise SafeguideError(Problem(shown_as, f"template error: {page_language.sentence(str(e))}", SYNTAX_HELP)) from None


def _functions(
    variant: Variant,
    shown_as: str,
    allow_slots: bool,
    link: Callable[[str], str],
    edition: Edition | None,
    templates: jinja2.Environment,
    contacts_shown: dict[tuple[str, str], Markup],
) -> dict[str, Any]:
    def lookup(role: str) -> Contact:
        found = variant.contacts.get(role)
        if found is None:
            raise SafeguideError(variant.missing_role(role, shown_as))
        return found

    def shown(function: str, role: str, make: Callable[[Contact], Markup]) -> Markup:
        key = (function, role)
        if key not in contacts_shown:
            contacts_shown[key] = make(lookup(role))
        return contacts_shown[key]

    def slot(name: str, caller: Callable[[], str] | None = None) -> Markup:
        if not allow_slots:
            raise SafeguideError(Problem(shown_as, "a slot's text cannot itself contain a slot.", "Remove the slot() call."))
        text = variant.slots.get(name)
        if text is None:
            return Markup(caller() if caller else "")
        local = _render(variant, text.source, text.shown_as, allow_slots=False, link=link, edition=edition, templates=templates, contacts_shown=contacts_shown)
        html = templates.get_template("page/slot.md").render(name=name, label=variant.partnership.label, text=Markup(local.strip()))
        return Markup(html + "\n\n")  # Markdown reads the block as its own paragraph

    def flow_view(flow_id: str) -> flow_html.FlowView:
        found = variant.flows.get(flow_id)
        if found is None:
            raise SafeguideError(variant.missing_flow(flow_id, shown_as))
        return flow_html.FlowView(flow_id, found, variant.contacts, link, flow_html.RecordFacts.of(variant, edition))

    return {
        "flow": lambda flow_id: flow_html.as_markup(flow_html.helper(flow_view(flow_id), templates=templates)),
        "flow_diagram": lambda flow_id: flow_html.as_markup(flow_html.diagram(flow_view(flow_id), templates=templates)),
        "flow_text": lambda flow_id: flow_html.as_markup(flow_html.text(flow_view(flow_id), templates=templates)),
        "contact": lambda role: shown("contact", role, lambda c: contacts.render_inline(c, role, templates=templates)),
        "phone": lambda role: shown("phone", role, lambda c: contacts.render_phone(c, templates=templates)),
        "contact_card": lambda role: shown("contact_card", role, lambda c: contacts.render_card(c, role, templates=templates)),
        "slot": slot,
        "contacts_directory": lambda: Markup(
            contacts.directory_markdown(variant.directory_sections(), templates=templates)
            + contacts.links_markdown(
                "Local procedures and websites",
                ((link.title, link.url, link.description) for link in variant.partnership.links),
            )
        ),
        "glossary": lambda: Markup(glossary.page_html(variant.glossary, templates=templates)),
        "sources_list": lambda: Markup(sources_html(variant.sources, templates=templates)),
        # Page templating puts these into Markdown: inert as Markdown and as HTML (escaping.markdown_text).
        "partnership": {
            "name": markdown_text(variant.partnership.name),
            "short_name": markdown_text(variant.partnership.label),
            "version": markdown_text(variant.partnership.version),
        },
    }


SOURCE_KINDS = {"guidance": "National guidance and codes of practice", "law": "Legislation"}


def sources_html(sources: Mapping[str, Source], *, templates: jinja2.Environment = TEMPLATES) -> str:
    """The Sources page (templates/page/sources.md): every national source with its edition, anchored for the
    pages that follow it, under a heading per kind (SOURCE_KINDS), as Markdown with HTML lists."""
    groups = [
        {"kind": kind, "heading": heading, "sources": [{"id": sid, "source": s} for sid, s in sources.items() if s.kind == kind]}
        for kind, heading in SOURCE_KINDS.items()
    ]
    groups = [g for g in groups if g["sources"]]
    return "\n\n" + templates.get_template("page/sources.md").render(groups=groups) + "\n\n"


def heading_of(variant: Variant, uri: str) -> str:
    """A page's title as readers see it in the nav, as plain text, before MkDocs has rendered the page:
    its front matter's title, or its first '# ' heading with templating filled in ({{ partnership.short_name }})
    and Markdown formatting removed. Raises SafeguideError for a heading whose templating fails."""
    meta = variant.page_meta.get(uri)
    if meta is not None and isinstance((meta.model_extra or {}).get("title"), str):
        return str(meta.model_extra["title"])  # type: ignore[index]
    path = variant.files.get(uri)
    text = read_text(path, variant.shown_as(uri), PAGE_LIMIT) if path else ""
    found = re.search(r"^# +(.+?)\s*(?:\{[^}]*\})?\s*$", text, re.MULTILINE)
    if not found:
        return ""
    return _plain_text(render(variant, found.group(1), variant.shown_as(uri)))


@functools.lru_cache(maxsize=4096)  # every edition names its pages again
def _plain_text(heading: str) -> str:
    """A heading's Markdown as plain text: formatting removed, entities decoded."""
    return Markup(markdown.markdown(heading)).striptags()
