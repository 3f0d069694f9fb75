"""The theme's files listed once per process, without its hidden folders.

Every MkDocs build lists every file of the theme's folders to publish its assets (mkdocs.structure.files.Files.
add_files_from_theme, through the Jinja loader's list_templates) and then drops, by pattern, the hidden ones. Most of
Material's files are hidden: `.icons/` holds about 14,000 SVG icons, which its templates include by name and MkDocs
never publishes. Walking and filtering them cost a twentieth of an edition's CPU, in every edition.

`ThemeLoader` is Jinja's FileSystemLoader with two differences, both in `list_templates` only: hidden files and
folders (a name starting with ".") are not listed, as MkDocs' filter ('.*' and '*/.*') would drop them anyway; and
the listing of an installed theme's folder (every folder but the site's own overrides) is kept for the life of the
process, since an installed package does not change while it runs. Loading a template by name, hidden or not, works
exactly as before. The site's overrides folder is walked at every build, so that `mkdocs serve` sees a new file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.theme import Theme

from safeguide.build import compiled_templates

_LISTED: dict[tuple[str, bool], tuple[str, ...]] = {}  # (installed folder, followlinks) -> its files; see the module


class ThemeLoader(jinja2.FileSystemLoader):
    """FileSystemLoader over the theme's folders (`searchpath`, in order); `live` are the folders listed afresh at
    every call (the site's overrides), the others are listed once per process."""

    def __init__(self, searchpath: list[str], live: set[Path], encoding: str = "utf-8", followlinks: bool = False) -> None:
        super().__init__(searchpath, encoding=encoding, followlinks=followlinks)
        self.live = {path for path in self.searchpath if Path(path).resolve() in live}

    def list_templates(self) -> list[str]:
        """Every file of every folder, as "/"-separated paths relative to its folder, sorted, without duplicates;
        hidden files and folders left out."""
        found: set[str] = set()
        for searchpath in self.searchpath:
            if searchpath in self.live:
                found.update(_walk(searchpath, self.followlinks))
            else:
                key = (searchpath, self.followlinks)
                if key not in _LISTED:
                    _LISTED[key] = _walk(searchpath, self.followlinks)
                found.update(_LISTED[key])
        return sorted(found)


def _walk(folder: str, followlinks: bool) -> tuple[str, ...]:
    files = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=followlinks):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]  # os.walk descends only into what is left
        relative = os.path.relpath(dirpath, folder)
        prefix = "" if relative == "." else relative.replace(os.path.sep, "/") + "/"
        files += [prefix + name for name in filenames if not name.startswith(".")]
    return tuple(files)


def use_theme_loader(theme: Theme) -> None:
    """From now on, the environments `theme` makes for this build (MkDocs calls Theme.get_env once per build, before
    the on_files event) list the theme's files with `ThemeLoader` and share the process's compiled templates
    (safeguide.build.compiled_templates). Call it in on_config; the theme's custom_dir (the site's overrides) is the
    folder listed afresh."""
    make_env: Callable[[], jinja2.Environment] = theme.get_env
    live = {Path(theme.custom_dir).resolve()} if theme.custom_dir else set()

    def get_env() -> jinja2.Environment:
        env = make_env()
        loader: Any = env.loader
        if type(loader) is jinja2.FileSystemLoader:  # MkDocs' own; anything else is left as it is
            env.loader = ThemeLoader(loader.searchpath, live, loader.encoding, loader.followlinks)
        compiled_templates.reuse_compiled(env)
        return env

    theme.get_env = get_env  # type: ignore[method-assign]  # this build's theme only
