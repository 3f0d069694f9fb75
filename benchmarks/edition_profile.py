"""Where an edition's CPU goes: the stages of safeguide's builds, timed without a profiler.

Run from the repository root:

    python benchmarks/edition_profile.py [--partnership riverside] [--versions 1.0 2.0 ...]

The partnership is copied to a scratch folder with its PDF and offline copy off (edition_cost.copy_project) and its
editions (default: every release and the working copy, as `safeguide build` publishes them) are built one after
another in this process, as a build worker does. Each stage below is timed in CPU seconds (time.process_time) around
the function that does it, counted once when a stage calls itself; the table gives each stage's share of the total.
A profiler (cProfile) would add its own cost to every call, most to the many small calls of our checks, and so
overstate them. Stages overlap: MkDocs' page building contains our hooks' work on each page. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from edition_cost import ROOT, copy_project

sys.path.insert(0, str(ROOT))

# (module, function or Class.method, what it is)
STAGES = (
    ("mkdocs.commands.build", "build", "one MkDocs build: all of an edition but reading mkdocs.yml"),
    ("mkdocs.commands.build", "_populate_page", "MkDocs: a page's Markdown read, templated by our hooks, converted"),
    ("mkdocs.structure.pages", "Page.render", "Markdown to HTML (Python-Markdown and its extensions)"),
    ("mkdocs.commands.build", "_build_page", "MkDocs: a page through the theme, search and our hooks, written"),
    ("material.plugins.search.plugin", "SearchPlugin.on_page_context", "Material's search index, per page"),
    ("mkdocs.commands.build", "_build_theme_template", "404 page and sitemap"),
    ("mkdocs.structure.files", "Files.add_files_from_theme", "listing the theme's files"),
    ("safeguide.build.integration", "configure", "ours: partnership loaded and checked, navigation"),
    ("safeguide.build.integration", "render_page", "ours: page templating (contacts, slots, flows)"),
    ("safeguide.build.integration", "finish_page", "ours: chapter numbers, facts line, abbreviations"),
    ("safeguide.build.integration", "finish_output", "ours: replaced numbers, version banner"),
    ("safeguide.build.integration", "finish_version_pages", "ours: version history and What changed"),
    ("safeguide.build.integration", "check_built_html", "ours: the check over the built HTML"),
    ("safeguide.build.downloads", "build", "ours: the whole guidance page"),
    ("safeguide.build.assets", "finish_page", "ours: pages unindented, what they use gathered"),
    ("safeguide.build.assets", "trim_theme_css", "ours: Material's stylesheet trimmed"),
)


def _timed(module_name: str, qualified: str, spent: collections.Counter[str]) -> None:
    owner: Any = importlib.import_module(module_name)
    *path, name = qualified.split(".")
    for part in path:
        owner = getattr(owner, part)
    original: Callable[..., Any] = getattr(owner, name)
    key = f"{module_name}.{qualified}"
    depth = [0]

    def timed(*args: Any, **kwargs: Any) -> Any:
        if depth[0]:
            return original(*args, **kwargs)
        depth[0] += 1
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key] += time.process_time() - started
            depth[0] -= 1

    setattr(owner, name, timed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partnership", default="riverside")
    parser.add_argument("--versions", nargs="*", help="versions to build (default: what `safeguide build` publishes); 'working' for the working copy")
    args = parser.parse_args(argv)
    import material.plugins.search.plugin  # noqa: F401
    import mkdocs.commands.build  # noqa: F401  # imported before timing starts, as in a warm worker

    from safeguide.core.variants import Project
    from safeguide.site import publish

    spent: collections.Counter[str] = collections.Counter()
    for module_name, qualified, _ in STAGES:
        _timed(module_name, qualified, spent)
    with tempfile.TemporaryDirectory(prefix="safeguide-profile-") as tmp:
        project = copy_project(Path(tmp) / "project")
        if args.versions:
            jobs = [None if v == "working" else v for v in args.versions]
        else:
            planned = publish.plan(Project.at(project), args.partnership)
            if planned.failed is not None:
                raise SystemExit(f"{args.partnership}: {planned.failed.problems[:1]}")
            jobs = [job.release for job in planned.jobs]
        started = time.process_time()
        for release in jobs:
            outcome = publish.build_partnership(str(project), args.partnership, str(Path(tmp) / "site"), release)
            if not outcome.ok:
                raise SystemExit(f"{args.partnership} {release or 'working copy'} failed: {outcome.problems[:1]}")
        total = time.process_time() - started
    print(f"{args.partnership}: {len(jobs)} editions ({', '.join(r or 'working copy' for r in jobs)}), {total:.2f} s CPU in all")
    for module_name, qualified, about in STAGES:
        seconds = spent[f"{module_name}.{qualified}"]
        print(f"{seconds:7.2f} s {100 * seconds / total:5.1f} %  {about}")


if __name__ == "__main__":
    main()
