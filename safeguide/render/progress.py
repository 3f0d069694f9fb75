"""Learning modules: the pages of one nav section, shown as a sequence with progress ("Module 2 of 5")."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import escape

from safeguide.core.nav import Module


def progress_html(modules: list[Module], current: str, url_of: Callable[[str], str], title_of: Callable[[str], str]) -> str:
    """Where this module sits in the course: "Module 2 of 5", and every module as a step."""
    position = [m.uri for m in modules].index(current) + 1
    steps = []
    for n, module in enumerate(modules, 1):
        title = escape(module.title or title_of(module.uri) or f"Module {n}")
        if n == position:
            steps.append(f'<li class="sg-progress__step sg-progress__step--current" aria-current="step">{title}</li>')
        else:
            state, label = ("done", " (done)") if n < position else ("todo", "")
            steps.append(f'<li class="sg-progress__step sg-progress__step--{state}"><a href="{escape(url_of(module.uri))}">{title}</a><span class="sg-visually-hidden">{label}</span></li>')
    return (
        f'<nav class="sg-progress" aria-label="Course progress">'
        f'<p class="sg-progress__count">Module {position} of {len(modules)}</p>'
        f'<ol class="sg-progress__steps">{"".join(steps)}</ol></nav>'
    )
