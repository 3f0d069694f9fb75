"""How long `safeguide build` takes for the demo partnerships, next to plain MkDocs builds of the same pages.

Run from the repository root:

    python benchmarks/build_demo.py [--repeat N]

Two measurements, each repeated N times (median reported):

safeguide  `python -m safeguide build --out TMP` as a subprocess (default --jobs), so process start-up
           counts just as in a user's run. Builds every edition it publishes: each partnership's
           releases, and its working copy while that is a draft.
reference  for each of those editions, the same pages (Variant.files) copied into a temporary docs folder
           and built with one plain `python -m mkdocs build -q` subprocess per edition, one after another:
           Material theme (font: false), the markdown_extensions of mkdocs.yml, the search plugin; no
           hooks, no custom_dir, no nav, not strict. Template calls such as {{ contact("x") }} are left
           as text. Only the mkdocs subprocesses are timed, not the copying.

Also reports the gzipped size of one partnership's home page and its search index, from the safeguide
output. Times are printed, never asserted on.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NoReturn

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so `safeguide` imports even without the editable install

from safeguide import versions
from safeguide.core.problems import SafeguideError
from safeguide.core.variants import Project, Variant, load_variant
from safeguide.site import publish

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def fail(what: str, result: subprocess.CompletedProcess[str] | None = None) -> NoReturn:
    print(f"benchmark stopped: {what}", file=sys.stderr)
    if result is not None:
        for stream in (result.stdout, result.stderr):
            if stream.strip():
                print(stream.rstrip(), file=sys.stderr)
    sys.exit(1)


def run(cmd: list[str]) -> float:
    """Run one command from the repository root; return its wall-clock seconds."""
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        fail(f"`{' '.join(cmd[1:])}` exited with {result.returncode}", result)
    return seconds


def load_variants(project: Project) -> list[Variant]:
    """Every edition `safeguide build` publishes: each release (from its frozen copy) and any draft."""
    variants = []
    for pid in project.partnership_ids():
        plan = publish.plan(project, pid)
        if plan.failed:
            fail(f"partnership '{pid}' does not load:\n" + "\n".join(f"  {m}" for m in plan.failed.messages))
        frozen = {f.version: f for f in versions.history(project.root, pid)}
        for job in plan.jobs:
            try:
                if job.release is None:
                    variants.append(load_variant(project, pid))
                else:
                    f = frozen[job.release]
                    variants.append(load_variant(Project.at(project.root, f.docs_dir), pid, folder=f.partnership_dir))
            except SafeguideError as e:
                fail(f"partnership '{pid}' does not load:\n" + "\n".join(f"  {p}" for p in e.problems))
    if not variants:
        fail("there are no partnerships under partnerships/.")
    return variants


def read_mkdocs_yml(project: Project) -> dict:
    """The project's mkdocs.yml, as written there."""
    with open(project.root / "mkdocs.yml", encoding="utf-8") as f:
        return yaml.load(f, Loader=_IgnoreTags) or {}


def previewed(config: dict) -> str | None:
    """The partnership `mkdocs serve` previews (extra.safeguide.partnership), if set."""
    value = ((config.get("extra") or {}).get("safeguide") or {})
    return value.get("partnership") if isinstance(value, dict) else None


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml even if it uses tags like !ENV or !!python/name (their values become None)."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def prepare_reference(variant: Variant, folder: Path, extensions: list) -> Path:
    """Copy the variant's files to their site paths and write a plain MkDocs config; return its path."""
    docs = folder / "docs"
    for uri, source in variant.files.items():
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    config = {
        "site_name": variant.partnership.name,
        "docs_dir": str(docs),
        "site_dir": str(folder / "site"),
        "theme": {"name": "material", "font": False},
        "markdown_extensions": extensions,
        "plugins": ["search"],
    }
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def time_safeguide(work: Path, ids: list[str]) -> float:
    out = work / "site"
    shutil.rmtree(out, ignore_errors=True)
    seconds = run([sys.executable, "-m", "safeguide", "build", "--out", str(out)])
    built = sorted(p.parent.name for p in out.glob("*/partnership.json"))
    if built != ids:  # partnerships added or removed since the reference pages were copied
        fail(f"safeguide built {built or 'nothing'}, but the reference has {ids}; run the benchmark again.")
    return seconds


def time_reference(configs: list[Path]) -> float:
    seconds = 0.0
    for cfg in configs:
        shutil.rmtree(cfg.parent / "site", ignore_errors=True)
        seconds += run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg)])
    return seconds


def gz_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=False)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def kib(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is reported (default 3)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    project = Project.at(ROOT)
    variants = load_variants(project)
    mkdocs_yml = read_mkdocs_yml(project)
    extensions = mkdocs_yml.get("markdown_extensions") or []
    pages = sum(1 for v in variants for uri in v.files if uri.endswith(".md"))

    with tempfile.TemporaryDirectory(prefix="safeguide-bench-") as tmp:
        work = Path(tmp)
        configs = [prepare_reference(v, work / "reference" / f"{v.id}-{v.partnership.version}", extensions) for v in variants]
        safeguide_runs, reference_runs = [], []
        for i in range(args.repeat):  # interleaved, so drift in machine load hits both alike
            safeguide_runs.append(time_safeguide(work / "safeguide", sorted({v.id for v in variants})))
            reference_runs.append(time_reference(configs))
            print(f"run {i + 1}/{args.repeat}: safeguide {safeguide_runs[-1]:.2f} s, reference {reference_runs[-1]:.2f} s", file=sys.stderr)

        # the home page shown: the partnership mkdocs.yml previews, else the first
        # (its newest edition: a partnership's editions come oldest first)
        first = next((v for v in reversed(variants) if v.id == previewed(mkdocs_yml)), variants[-1])
        site = work / "safeguide" / "site" / first.id / first.partnership.version
        home, index = site / "index.html", site / "search" / "search_index.json"
        missing = [p for p in (home, index) if not p.is_file()]
        if missing:
            fail("safeguide output lacks " + ", ".join(str(p.relative_to(work)) for p in missing))
        home_size, index_size = gz_size(home), gz_size(index)

    sg, ref = statistics.median(safeguide_runs), statistics.median(reference_runs)
    load = f", load average {load_at_start:.1f} at start" if load_at_start is not None else ""
    print(f"Median of {args.repeat} run{'s' if args.repeat != 1 else ''}; python {sys.version.split()[0]}, {os.cpu_count()} CPUs{load}\n")
    print(table([
        ["partnerships", "editions", "pages", "safeguide s", "reference s", "safeguide/reference"],
        [str(len({v.id for v in variants})), str(len(variants)), str(pages), f"{sg:.2f}", f"{ref:.2f}", f"{sg / ref:.2f}" if ref else "n/a"],
    ]))
    print()
    for label, (raw, gz) in ((f"{first.id} home page (index.html)", home_size), (f"{first.id} search/search_index.json", index_size)):
        print(f"{label + ':':<{len(first.id) + 28}} {kib(gz):>10} gzipped ({kib(raw)} raw)")


if __name__ == "__main__":
    main()
