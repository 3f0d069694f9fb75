"""Learning modules: the pages of one nav section, shown as a sequence with progress ("Module 2 of 5")."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import escape


@dataclass(frozen=True)
class Module:
    uri: str
    title: str


def modules_from_nav(nav: Iterable[Any], section: str) -> list[Module]:
    """The section's pages in nav order; its index page (the course overview) is not a module."""
    for item in nav:
        if isinstance(item, dict):
            title, target = next(iter(item.items()))
            if title == section and isinstance(target, list):
                found = []
                for entry in target:
                    name, uri = next(iter(entry.items())) if isinstance(entry, dict) else ("", entry)
                    if isinstance(uri, str) and posixpath.basename(uri) not in ("index.md", "README.md"):
                        found.append(Module(uri, name or ""))
                return found
    return []


def progress_html(modules: list[Module], current: str, url_of: Callable[[str], str], title_of: Callable[[str], str]) -> str:
    """Where this module sits in the course: "Module 2 of 5", and every module as a step."""
    uris = [m.uri for m in modules]
    position = uris.index(current) + 1
    steps = []
    for n, module in enumerate(modules, 1):
        title = escape(module.title or title_of(module.uri) or f"Module {n}")
        state = "done" if n < position else "current" if n == position else "todo"
        if n == position:
            steps.append(f'<li class="sg-progress__step sg-progress__step--current" aria-current="step">{title}</li>')
        else:
            label = " (done)" if state == "done" else ""
            steps.append(f'<li class="sg-progress__step sg-progress__step--{state}"><a href="{escape(url_of(module.uri))}">{title}</a><span class="sg-visually-hidden">{label}</span></li>')
    return (
        f'<nav class="sg-progress" aria-label="Course progress">'
        f'<p class="sg-progress__count">Module {position} of {len(modules)}</p>'
        f'<ol class="sg-progress__steps" style="--sg-progress: {position / len(modules):.3f}">{"".join(steps)}</ol></nav>'
    )
