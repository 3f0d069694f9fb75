"""The navigation as data: which pages are chapters (and their numbers) and which are learning modules.

Read from mkdocs.yml's `nav` (a list of strings and one-key mappings, as MkDocs gives it) before any page is built.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


def nav_section(nav: Iterable[Any], section: str) -> list[Any]:
    """The entries of the top-level nav section titled `section` (none if there is no such section)."""
    for item in nav:
        if isinstance(item, dict):
            title, target = next(iter(item.items()))
            if title == section and isinstance(target, list):
                return target
    return []


def numbers_from_nav(nav: Iterable[Any], section: str) -> dict[str, int]:
    """Chapter numbers, in nav order, for the pages of the nav section titled `section`."""
    pages = [_page_of(entry) for entry in nav_section(nav, section)]
    return {uri: n for n, uri in enumerate((p for p in pages if p), 1)}


def _page_of(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        target = next(iter(entry.values()))
        return target if isinstance(target, str) else None
    return None


@dataclass(frozen=True)
class Module:
    uri: str
    title: str


def modules_from_nav(nav: Iterable[Any], section: str) -> list[Module]:
    """The section's pages in nav order; its index page (the course overview) is not a module."""
    found = []
    for entry in nav_section(nav, section):
        title, uri = next(iter(entry.items())) if isinstance(entry, dict) else ("", entry)
        if isinstance(uri, str) and posixpath.basename(uri) not in ("index.md", "README.md"):
            found.append(Module(uri, title or ""))
    return found


class NavError(ValueError):
    """A menu MkDocs cannot use; the message is MkDocs' own wording."""


def checked_nav(value: object, top: bool = True) -> Any:
    """`value` (a nav read from YAML) checked as MkDocs 1.6 checks mkdocs.yml's `nav`
    (mkdocs.config.config_options.Nav, same messages): a list of page paths and one-key mappings whose
    value is a path, a URL or a list of the same. An empty top-level list becomes None.

    Raises NavError naming the first item that is wrong."""
    if value is None and top:  # an empty file: no menu, as MkDocs reads an option left unset
        return None
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                if len(item) != 1:
                    raise NavError(f"Expected nav item to be a dict of size 1, got {_shown(item)}")
                for sub in item.values():
                    checked_nav(sub, top=False)
            elif not isinstance(item, str):
                raise NavError(f"Expected nav item to be a string or dict, got {_shown(item)}")
        return None if top and not value else value
    if isinstance(value, dict) and value and not top:  # MkDocs only warns here
        for sub in value.values():
            checked_nav(sub, top=False)
        return value
    if isinstance(value, str) and not top:
        return value
    raise NavError(f"Expected nav to be a list, got {_shown(value)}")


def _shown(value: object) -> str:
    if isinstance(value, dict) and value:
        return f"dict with keys {tuple(value.keys())}"
    if isinstance(value, (str, type(None))):
        return repr(value)
    return f"a {type(value).__name__}: {value!r}"
