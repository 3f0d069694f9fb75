"""What one edition costs to build, in CPU seconds, next to plain Material building the same Markdown the same way.

Run from the repository root (a few minutes per pair on two cores):

    python benchmarks/edition_cost.py [--pairs 3] [--partnership riverside]

The partnership's project is copied to a scratch folder, with its PDF and offline copy turned off (plain Material
makes neither). Then:

safeguide  `python -m safeguide build ID --jobs 1` in a subprocess: every edition the partnership publishes (its
           releases, and its working copy while it is a draft), one after another in one process.
reference  the same editions built by plain MkDocs + Material, one after another in one process
           (`mkdocs.commands.build.build` per edition): for each, the pages' Markdown exactly as safeguide hands
           it to Markdown (contacts, slots and flows already rendered; captured by a hook added for this run
           only), the edition's navigation, the same markdown_extensions and search settings; no hooks, no
           theme overrides, no stylesheets or scripts of ours.

Every measurement is CPU seconds (user + system of the subprocess and its children, from getrusage) and wall
seconds. Runs are paired and interleaved (A B, then B A, ...), and each figure is the median of the per-pair
ratios, so that a change in machine load between pairs cancels out. Reported:

- per edition: safeguide / reference, cold;
- no-change rebuild: `safeguide build` again with nothing changed (from the cache of finished editions), over a
  cold build (`--no-cache`);
- one-page edit: a sentence added to one baseline page, then `safeguide build`, over a cold build.

Times are printed, never asserted (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("mkdocs.yml", "docs", "overrides", "hooks", "partnerships")
EXPORT_ENV = "SAFEGUIDE_BENCH_EXPORT"
NO_DOWNLOADS = "\nreader:\n  pdf: false\n  offline_copy: false\n"
EDITED_PAGE = "golden-rules.md"

# Added as the last hook of the scratch copy: after safeguide's own hooks have rendered a page, it keeps the
# Markdown and the edition's navigation for the reference build.
EXPORT_HOOK = '''"""Benchmark only (benchmarks/edition_cost.py): keep each page's Markdown as safeguide hands it to Markdown."""
import os
from pathlib import Path

import yaml


def _folder(config):
    build = config.extra["build"]
    return Path(os.environ["{env}"]) / build.variant.id / build.edition.version


def on_config(config):
    folder = _folder(config)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nav.yml").write_text(yaml.safe_dump(config.nav, allow_unicode=True), encoding="utf-8")
    return config


def on_page_markdown(markdown, page, config, files):
    target = _folder(config) / "docs" / page.file.src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown, encoding="utf-8")
    return markdown
'''.replace("{env}", EXPORT_ENV)


def copy_project(target: Path, export: Path | None = None) -> Path:
    """The project's parts in `target`, every partnership without PDF or offline copy; with `export`, the export hook
    is added so that a build writes each edition's Markdown and navigation there."""
    target.mkdir(parents=True)
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    for config in (target / "partnerships").glob("*/partnership.yml"):
        text = config.read_text(encoding="utf-8")
        if "\nreader:" not in text:
            config.write_text(text.rstrip("\n") + "\n" + NO_DOWNLOADS, encoding="utf-8")
    if export is not None:
        (target / "hooks" / "bench_export.py").write_text(EXPORT_HOOK, encoding="utf-8")
        mkdocs = target / "mkdocs.yml"
        text = mkdocs.read_text(encoding="utf-8")
        last = "  - hooks/downloads.py"
        assert last in text, "mkdocs.yml's hooks have changed: update benchmarks/edition_cost.py"
        mkdocs.write_text(text.replace(last, last + "\n  - hooks/bench_export.py", 1), encoding="utf-8")
    return target


def reference_projects(export: Path, project: Path, partnership: str) -> list[Path]:
    """One plain MkDocs project per exported edition: the exported Markdown and navigation, the baseline's other files
    (images), and mkdocs.yml without hooks, theme overrides or our stylesheets and scripts."""
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    theme = {k: v for k, v in config["theme"].items() if k not in ("custom_dir", "palette", "logo", "favicon")}
    made = []
    for edition in sorted((export / partnership).iterdir()):
        docs = edition / "docs"
        for asset in (project / "docs").rglob("*"):
            if asset.is_file() and asset.suffix != ".md" and not (docs / asset.relative_to(project / "docs")).exists():
                (docs / asset.relative_to(project / "docs")).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(asset, docs / asset.relative_to(project / "docs"))
        extensions = []
        for item in config.get("markdown_extensions", []):
            name = next(iter(item)) if isinstance(item, dict) else item
            if name == "pymdownx.snippets":  # includes are already in the exported Markdown's folder, or the partnership's
                settings = dict(item[name]) if isinstance(item, dict) else {}
                settings["base_path"] = [str(docs), str(project / "partnerships" / partnership)]
                item = {name: settings}
            extensions.append(item)
        plain = {
            "site_name": config["site_name"],
            "site_url": config.get("site_url"),
            "theme": theme,
            "markdown_extensions": extensions,
            "plugins": config.get("plugins", ["search"]),
            "nav": yaml.load((edition / "nav.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader),
            "docs_dir": "docs",
            "site_dir": "site",
        }
        (edition / "mkdocs.yml").write_text(yaml.safe_dump(plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
        made.append(edition)
    return made


def build_references(folders: list[str]) -> None:
    """The reference run itself (this script with --reference): every edition, one after another, in this process."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for folder in folders:
        build(load_config(str(Path(folder) / "mkdocs.yml")))


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of `command` and everything it starts. Raises if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def paired(pairs: int, first: Callable[[], tuple[float, float]], second: Callable[[], tuple[float, float]]) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """`pairs` measurements of both, interleaved: first then second, then second then first, and so on."""
    found = []
    for i in range(pairs):
        if i % 2 == 0:
            a = first()
            b = second()
        else:
            b = second()
            a = first()
        found.append((a, b))
    return found


def median_ratio(results: list[tuple[tuple[float, float], tuple[float, float]]], index: int) -> float:
    return statistics.median(a[index] / b[index] for a, b in results)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=3, help="paired runs of each comparison (default 3)")
    parser.add_argument("--partnership", default="riverside")
    parser.add_argument("--reference", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reference:
        build_references(args.reference)
        return
    python = sys.executable
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs); {args.pairs} pairs; partnership {args.partnership}")
    with tempfile.TemporaryDirectory(prefix="safeguide-bench-") as tmp:
        scratch = Path(tmp)
        export = scratch / "export"
        exporter = copy_project(scratch / "exporter", export)
        measure([python, "-m", "safeguide", "build", args.partnership, "--jobs", "1", "--out", str(scratch / "exported-site")], exporter, {EXPORT_ENV: str(export)})
        editions = reference_projects(export, exporter, args.partnership)
        project = copy_project(scratch / "project")
        out = scratch / "site"

        def safeguide_cold() -> tuple[float, float]:
            shutil.rmtree(out, ignore_errors=True)
            return measure([python, "-m", "safeguide", "build", args.partnership, "--jobs", "1", "--out", str(out), "--no-cache"], project)

        def safeguide_again() -> tuple[float, float]:
            """A build as users run it: editions whose inputs have not changed come from the cache."""
            return measure([python, "-m", "safeguide", "build", args.partnership, "--jobs", "1", "--out", str(out)], project)

        def reference() -> tuple[float, float]:
            for edition in editions:
                shutil.rmtree(edition / "site", ignore_errors=True)
            return measure([python, __file__, "--reference", *map(str, editions)], ROOT)

        cold = paired(args.pairs, safeguide_cold, reference)
        safeguide_again()  # fills the cache
        rebuild = [(safeguide_again(), safeguide_cold()) for _ in range(args.pairs)]  # a rebuild of unchanged inputs, then a cold build
        page = project / "docs" / EDITED_PAGE
        original = page.read_text(encoding="utf-8")
        edits = []
        for i in range(args.pairs):
            safeguide_again()  # the cache holds the unedited editions
            page.write_text(original + f"\n\nA sentence added for the benchmark ({i}).\n", encoding="utf-8")
            edited = safeguide_again()
            page.write_text(original, encoding="utf-8")
            edits.append((edited, safeguide_cold()))

    n = len(editions)
    s_cpu = statistics.median(a[0] for a, _ in cold)
    r_cpu = statistics.median(b[0] for _, b in cold)
    print(f"editions: {n} ({', '.join(e.name for e in editions)})")
    print(f"cold, per edition     safeguide {s_cpu / n:6.2f} s CPU   plain Material {r_cpu / n:6.2f} s CPU   ratio {median_ratio(cold, 0):.2f} (wall {median_ratio(cold, 1):.2f})")
    print(f"no-change rebuild     {median_ratio(rebuild, 0):.2f} of a cold build's CPU (wall {median_ratio(rebuild, 1):.2f})")
    print(f"one-page edit         {median_ratio(edits, 0):.2f} of a cold build's CPU (wall {median_ratio(edits, 1):.2f}); page: docs/{EDITED_PAGE}")


if __name__ == "__main__":
    main()
