"""The page language: templating inside pages (contacts by role, local slots, flows), in a Jinja sandbox, and
its static scan, which finds every use and every mistake before a page is rendered (safeguide.render.page_content
renders it).

Pages can only call the functions below; the sandbox stops content from reaching Python internals.
Comments use `{%# ... #%}` so that Markdown attribute lists such as `{#my-id}` stay untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from safeguide.core.problems import Problem

ROLE_FUNCTIONS = ("contact", "phone", "contact_card")
FLOW_FUNCTIONS = ("flow", "flow_diagram", "flow_text")
NAMED_FUNCTIONS = (*ROLE_FUNCTIONS, *FLOW_FUNCTIONS, "slot")  # their first argument names a role, flow or slot
FUNCTIONS = (*NAMED_FUNCTIONS, "contacts_directory", "glossary", "sources_list")
VARIABLES = ("partnership",)
SYNTAX_HELP = (
    'Write {{ contact("role") }}, {{ phone("role") }}, {{ contact_card("role") }}, {{ slot("name") }} '
    'or {{ flow("flow-id") }}, with the role, slot or flow name in quotes. '
    "To show braces as they are (for example an email template's placeholders), "
    "put {% raw %} before that text and {% endraw %} after it."
)


def unknown_name_help(name: str) -> str:
    """The fix for `{{ name }}` that is none of ours: most often a placeholder the page quotes (an email
    template's {{ child_name }}), which Jinja can show literally inside {% raw %} (Jinja's documented escape)."""
    return (
        f"If the page means to show {{{{ {name} }}}} as it is, wrap that text like this: "
        f"{{% raw %}}{{{{ {name} }}}}{{% endraw %}} (a whole paragraph or code block can go between the two). "
        f'Otherwise use one of: {{{{ contact("role") }}}}, {{{{ phone("role") }}}}, {{{{ contact_card("role") }}}}, '
        f'{{{{ slot("name") }}}}, {{{{ flow("flow-id") }}}} or {{{{ partnership.name }}}}.'
    )


def sentence(message: str) -> str:
    """A message from Jinja as one sentence: it may already end with a full stop ("Encountered unknown tag 'sign'.")."""
    return message.rstrip().rstrip(".") + "."


class _PageSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with every arithmetic operator intercepted: refused when it runs, and never
    computed by the compiler's constant folding (which would work out {{ 9**(9**9) }} before anything
    else). `scan` refuses arithmetic first; this is the backstop."""

    intercepted_binops = frozenset(("+", "-", "*", "/", "//", "%", "**"))
    intercepted_unops = frozenset(("+", "-"))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        raise SecurityError(f"arithmetic ({operator}) is not allowed in a page")

    def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
        raise SecurityError(f"arithmetic ({operator}) is not allowed in a page")


def environment() -> jinja2.Environment:
    env = _PageSandbox(
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
    """Every role, slot and flow a page refers to, found without rendering it, and a problem (with its
    line) for anything in the page's templating that pages may not use: see `_check`."""
    if not uses_templating(source):
        return [], []
    known = _SCANNED.get((type(env), source))
    if known is not None:
        return list(known), []
    _, uses, problems = parse(env, source, shown_as)
    if not problems:  # only a clean page's uses are kept: problems name the file they are in
        if len(_SCANNED) >= _SCANNED_LIMIT:
            _SCANNED.clear()
        _SCANNED[(type(env), source)] = tuple(uses)
    return uses, problems


# The uses found in a page without problems, by its text: the editions one process builds share most pages (as
# safeguide.render.page_content's compiled pages, only what derives from the text is kept).
_SCANNED: dict[tuple[type, str], tuple[Use, ...]] = {}
_SCANNED_LIMIT = 4096


MAX_BRACKETS = 10  # brackets inside brackets within one {{ }}: pages need one level, contact("role")
PAGE_ATTRIBUTES = ("name", "short_name", "version")  # partnership.<this>
ALLOWED = (
    "pages may only show contacts, slots, flows, the glossary, the sources and partnership.name, "
    "partnership.short_name or partnership.version"
)
_STATEMENTS: dict[type[nodes.Node], str] = {
    nodes.Include: "include",
    nodes.Extends: "extends",
    nodes.Import: "import",
    nodes.FromImport: "import",
    nodes.For: "a for loop",
    nodes.If: "if",
    nodes.Macro: "macro",
    nodes.CallBlock: "a call block other than {% call slot(\"name\") %}",
    nodes.Assign: "set",
    nodes.AssignBlock: "set",
    nodes.Block: "block",
    nodes.FilterBlock: "filter",
    nodes.With: "with",
    nodes.ScopedEvalContextModifier: "autoescape",
    nodes.Compare: "a comparison",
    nodes.And: "and",
    nodes.Or: "or",
    nodes.Not: "not",
    nodes.Concat: "joining with ~",
    nodes.CondExpr: "if … else",
    nodes.Getitem: "reading with […]",
    nodes.Slice: "a slice",
    nodes.Getattr: "reading an attribute",
    nodes.List: "a list",
    nodes.Tuple: "a tuple",
    nodes.Dict: "a dictionary",
}


def parse(env: jinja2.Environment, source: str, shown_as: str) -> tuple[nodes.Template | None, list[Use], list[Problem]]:
    """The page's template tree (None if it cannot be parsed), the uses found, and the problems.

    Bracket depth is checked on the lexer's tokens first: Jinja's parser recurses once per bracket, so
    3,000 nested parentheses would end in RecursionError (caught too, as a backstop)."""
    try:
        deep = _too_deeply_nested(env, source, shown_as)
        if deep is not None:
            return None, [], [deep]
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as e:
        return None, [], [Problem(shown_as, f"template syntax error: {sentence(e.message or '')}", SYNTAX_HELP, line=e.lineno)]
    except RecursionError:
        return None, [], [Problem(shown_as, "the templating on this page is nested too deeply.", SYNTAX_HELP)]
    uses, problems = _check(tree, shown_as)
    return tree, uses, problems


def _too_deeply_nested(env: jinja2.Environment, source: str, shown_as: str) -> Problem | None:
    depth = 0
    for line, kind, value in env.lex(source):
        if kind == "operator" and value in ("(", "[", "{"):
            depth += 1
            if depth > MAX_BRACKETS:
                return Problem(shown_as, f"brackets are nested more than {MAX_BRACKETS} deep here.", SYNTAX_HELP, line=line)
        elif kind == "operator" and value in (")", "]", "}"):
            depth = max(0, depth - 1)
        elif kind in ("variable_end", "block_end"):
            depth = 0
    return None


def _check(tree: nodes.Template, shown_as: str) -> tuple[list[Use], list[Problem]]:
    """Walk the tree (with a stack, not recursion) and allow only what pages may use: text, {% raw %}
    (which Jinja turns into text), constant text ({{ "{{" }}), our functions called with a name in quotes
    (or nothing), partnership.name / short_name / version, and slot's call-block form whose body follows
    the same rules. Loops, arithmetic, include and the rest are refused before anything is rendered: the
    sandbox keeps Python's internals out of reach, but not a loop of 10^10 steps or 9**(9**9)."""
    uses: list[Use] = []
    problems: list[Problem] = []
    todo: list[nodes.Node] = list(reversed(tree.body))
    while todo:
        node = todo.pop()
        if isinstance(node, nodes.Output):
            todo.extend(reversed(node.nodes))
        elif isinstance(node, nodes.Scope):  # {% autoescape %} wraps itself in one: report the tag, with its line
            todo.extend(reversed(node.body))
        elif isinstance(node, nodes.TemplateData) or (isinstance(node, nodes.Const) and isinstance(node.value, str)):
            continue
        elif isinstance(node, nodes.Call):
            _check_call(node, shown_as, uses, problems)
        elif isinstance(node, nodes.CallBlock) and _is_slot(node.call) and not node.args:
            _check_call(node.call, shown_as, uses, problems)
            todo.extend(reversed(node.body))
        elif _is_partnership_value(node):
            continue
        elif isinstance(node, nodes.Name):
            problems.append(_name_problem(node, shown_as))
        else:
            problems.append(Problem(shown_as, f"{_describe(node)} is not allowed in a page: {ALLOWED}.", SYNTAX_HELP, line=node.lineno))
    return uses, sorted(problems, key=lambda p: p.line or 0)


def _check_call(call: nodes.Call, shown_as: str, uses: list[Use], problems: list[Problem]) -> None:
    if not isinstance(call.node, nodes.Name) or call.node.name not in FUNCTIONS:
        problems.append(Problem(shown_as, f"only safeguide's own functions can be called in a page: {ALLOWED}.", SYNTAX_HELP, line=call.lineno))
        return
    name = call.node.name
    if call.kwargs or call.dyn_args or call.dyn_kwargs:
        problems.append(Problem(shown_as, f"{name}() takes only a name in quotes.", SYNTAX_HELP, line=call.lineno))
    elif name not in NAMED_FUNCTIONS:
        if call.args:
            problems.append(Problem(shown_as, f"{name}() takes nothing between its brackets.", f"Write {{{{ {name}() }}}}.", line=call.lineno))
    elif len(call.args) != 1 or not (isinstance(call.args[0], nodes.Const) and isinstance(call.args[0].value, str)):
        problems.append(Problem(shown_as, f"{name}() needs a name in quotes.", SYNTAX_HELP, line=call.lineno))
    else:
        uses.append(Use(name, call.args[0].value, call.lineno))


def _is_slot(call: nodes.Call) -> bool:
    return isinstance(call.node, nodes.Name) and call.node.name == "slot"


def _is_partnership_value(node: nodes.Node) -> bool:
    """partnership.name (or ["name"]), .short_name or .version."""
    if isinstance(node, nodes.Getattr):
        attr = node.attr
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        attr = node.arg.value
    else:
        return False
    return isinstance(node.node, nodes.Name) and node.node.name in VARIABLES and attr in PAGE_ATTRIBUTES


def _name_problem(node: nodes.Name, shown_as: str) -> Problem:
    if node.name in VARIABLES:
        return Problem(shown_as, "pages may only read partnership.name, partnership.short_name and partnership.version.", SYNTAX_HELP, line=node.lineno)
    if node.name in FUNCTIONS:
        return Problem(shown_as, f"{node.name} is a function: it needs brackets.", SYNTAX_HELP, line=node.lineno)
    return Problem(shown_as, f"'{node.name}' is not something pages can use.", unknown_name_help(node.name), line=node.lineno)


def _describe(node: nodes.Node) -> str:
    """What a refused node is, in the words a page's author used."""
    if isinstance(node, nodes.BinExpr):
        return f"arithmetic ({node.operator})"
    if isinstance(node, nodes.UnaryExpr):
        return f"arithmetic ({node.operator})"
    if isinstance(node, nodes.Const):
        return f"the value {node.value!r} (only text in quotes)"
    if isinstance(node, (nodes.Filter, nodes.Test)):
        return f"a {'filter (|' if isinstance(node, nodes.Filter) else 'test (is '}{node.name})"
    for kind, words in _STATEMENTS.items():
        if isinstance(node, kind):
            return words
    return f"'{type(node).__name__}'"
