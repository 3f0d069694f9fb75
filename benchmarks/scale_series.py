"""How build cost grows with the number of partnerships: N synthetic partnerships, each with three releases and a draft.

Run from the repository root (N = 150 takes the better part of an hour of CPU on two cores):

    python benchmarks/scale_series.py [--sizes 10 50 150] [--pairs 3] [--jobs 2]

For each N, a scratch project is made: the baseline (mkdocs.yml, docs/, overrides/, hooks/) and N fictional
partnerships, synth-000 ... synth-N-1. Each has every contact role filled with a number from Ofcom's drama ranges, a
local page, three releases (1.0, 2.0, 3.0, each approved by `safeguide release` after an edit of the local page) and
a working copy that is a draft of 4.0: four editions each, 4N in all. One partnership is made with safeguide's own
commands; the others are copies of it under their own id, name and numbers (their frozen releases are rewritten the
same way and their SHA256SUMS recorded afresh), so that making the project does not itself cost 3N builds. The PDF
and the offline copy are off, as in edition_cost.py: plain Material makes neither.

Measured, in CPU seconds (user + system of the command and its children) and wall seconds:

cold        `safeguide build --no-cache --jobs J`, paired and interleaved with plain Material building the same
            4N editions from the Markdown as safeguide renders it (edition_cost.py's reference), split over the
            same J processes;
no-change   `safeguide build` again with nothing changed (from the cache of finished editions), over a cold build;
one-edit    one sentence added to docs/golden-rules.md, then `safeguide build`: the N drafts are rebuilt, the 3N
            releases come from the cache; over a cold build.

Each figure is the median of the per-pair ratios. The cost per added partnership is the difference between the
cold CPU of the largest and the smallest N, divided by the difference in N. Nothing is asserted
(benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from edition_cost import EXPORT_ENV, EXPORT_HOOK, ROOT, measure, median_ratio, paired, reference_projects

BASELINE_PARTS = ("mkdocs.yml", "docs", "overrides", "hooks")
ROLES = ("partnership_team", "adults_front_door", "lado", "domestic_abuse_service", "children_front_door", "information_governance", "community_safety")
RELEASES = ("1.0", "2.0", "3.0")
DRAFT = "4.0"
EDITED_PAGE = "golden-rules.md"
TEMPLATE = "synth-000"


def _number(index: int, role: int) -> str:
    """A number from Ofcom's ranges for drama (FACTS.md): 0113 496 0000-0999, then 0114, 0115, 0116, 0117, 0118."""
    serial = index * len(ROLES) + role
    area = ("0113", "0114", "0115", "0116", "0117", "0118")[serial // 1000]
    return f"{area} 496 {serial % 1000:04d}"


def _settings(index: int, version: str) -> str:
    contacts = {
        role: {"name": f"Synthetic {index:03d} {role.replace('_', ' ')}", "phone": _number(index, r), "hours": "Mon–Fri 9am–5pm"}
        for r, role in enumerate(ROLES)
    }
    data = {
        "name": f"Synthetic Safeguarding Partnership {index:03d}",
        "short_name": f"Synthetic {index:03d}",
        "version": version,
        "example": True,
        "description": f"A fictional partnership made by benchmarks/scale_series.py (number {index:03d}).",
        "brand": {"primary": "#1d4f91"},
        "contacts": contacts,
        "reader": {"pdf": False, "offline_copy": False},
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _local_page(index: int, edit: int, reviewed: str) -> str:
    lines = ["---", f"reviewed: {reviewed}", "---", "", f"# Local arrangements in Synthetic {index:03d}", "", "This partnership is fictional; its numbers are kept for drama and will not connect.", ""]
    lines += [f"Change {k}: the front door's hours were reviewed." for k in range(edit)]
    return "\n".join(lines) + "\n"


def _safeguide(project: Path, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "safeguide", *args], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SAFEGUIDE_CACHE": "off"})
    if result.returncode != 0:
        raise SystemExit(f"safeguide {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def make_template(project: Path) -> Path:
    """synth-000, made with safeguide's commands: three releases, then a draft of 4.0."""
    folder = project / "partnerships" / TEMPLATE
    (folder / "docs").mkdir(parents=True)
    for edit, version in enumerate(RELEASES):
        (folder / "partnership.yml").write_text(_settings(0, version), encoding="utf-8")
        (folder / "docs" / "local.md").write_text(_local_page(0, edit, f"202{edit + 3}-03-15"), encoding="utf-8")
        _safeguide(project, "release", TEMPLATE, version, "--approved-by", "Synthetic Partnership Board", "--date", f"202{edit + 3}-04-01")
    (folder / "partnership.yml").write_text(_settings(0, DRAFT), encoding="utf-8")
    (folder / "docs" / "local.md").write_text(_local_page(0, len(RELEASES), "2026-11-01"), encoding="utf-8")
    return folder


def clone(template: Path, index: int) -> Path:
    """The template under another id, with its own name and numbers in the working copy and every frozen release."""
    from safeguide.core.integrity import write_digests

    target = template.parent / f"synth-{index:03d}"
    shutil.copytree(template, target)
    swaps = [("Synthetic Safeguarding Partnership 000", f"Synthetic Safeguarding Partnership {index:03d}"), ("Synthetic 000", f"Synthetic {index:03d}"),
             ("(number 000)", f"(number {index:03d})")]
    swaps += [(_number(0, r), _number(index, r)) for r in range(len(ROLES))]
    for path in target.rglob("*"):
        if path.is_file() and path.suffix in (".yml", ".md", ".json"):
            text = path.read_text(encoding="utf-8")
            for old, new in swaps:
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")
    for release in (target / "releases").iterdir():
        write_digests(release)
    return target


def make_project(target: Path, count: int, export: Path | None = None) -> Path:
    """A scratch project with `count` synthetic partnerships (and, with `export`, edition_cost.py's export hook)."""
    target.mkdir(parents=True)
    for part in BASELINE_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
    template = make_template(target)
    for index in range(1, count):
        clone(template, index)
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("    partnership: riverside", f"    partnership: {TEMPLATE}", 1), encoding="utf-8")
    if export is not None:
        (target / "hooks" / "bench_export.py").write_text(EXPORT_HOOK, encoding="utf-8")
        last = "  - hooks/downloads.py"
        config.write_text(config.read_text(encoding="utf-8").replace(last, last + "\n  - hooks/bench_export.py", 1), encoding="utf-8")
    return target


def series(count: int, pairs: int, jobs: int, scratch: Path) -> dict[str, float]:
    python = sys.executable
    project = make_project(scratch / "project", count)
    out = scratch / "site"

    def cold() -> tuple[float, float]:
        shutil.rmtree(out, ignore_errors=True)
        return measure([python, "-m", "safeguide", "build", "--jobs", str(jobs), "--out", str(out), "--no-cache"], project)

    def again() -> tuple[float, float]:
        return measure([python, "-m", "safeguide", "build", "--jobs", str(jobs), "--out", str(out)], project)

    # The reference's Markdown: one build of a copy with the export hook.
    export = scratch / "export"
    exporter = scratch / "exporter"
    shutil.copytree(project, exporter)
    (exporter / "hooks" / "bench_export.py").write_text(EXPORT_HOOK, encoding="utf-8")
    config = exporter / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - hooks/downloads.py", "  - hooks/downloads.py\n  - hooks/bench_export.py", 1), encoding="utf-8")
    measure([python, "-m", "safeguide", "build", "--jobs", str(jobs), "--out", str(scratch / "exported-site"), "--no-cache"], exporter, {EXPORT_ENV: str(export)})
    editions = [e for pid in sorted(p.name for p in export.iterdir()) for e in reference_projects(export, exporter, pid)]
    shares = [editions[k::jobs] for k in range(jobs)]
    script = str(Path(__file__).resolve().parent / "edition_cost.py")

    def reference() -> tuple[float, float]:
        for edition in editions:
            shutil.rmtree(edition / "site", ignore_errors=True)
        processes = [subprocess.Popen([python, script, "--reference", *map(str, share)], env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}) for share in shares if share]
        return _wait_all(processes)

    cold_pairs = paired(pairs, cold, reference)
    again()  # fills the cache
    rebuild = [(again(), cold()) for _ in range(pairs)]
    page = project / "docs" / EDITED_PAGE
    original = page.read_text(encoding="utf-8")
    edits = []
    for i in range(pairs):
        again()
        page.write_text(original + f"\n\nA sentence added for the benchmark ({i}).\n", encoding="utf-8")
        edited = again()
        page.write_text(original, encoding="utf-8")
        edits.append((edited, cold()))
    return {
        "editions": len(editions),
        "cold_cpu": statistics.median(a[0] for a, _ in cold_pairs),
        "cold_wall": statistics.median(a[1] for a, _ in cold_pairs),
        "plain_cpu": statistics.median(b[0] for _, b in cold_pairs),
        "ratio": median_ratio(cold_pairs, 0),
        "no_change": median_ratio(rebuild, 0),
        "no_change_wall": statistics.median(a[1] for a, _ in rebuild),
        "one_edit": median_ratio(edits, 0),
        "one_edit_wall": statistics.median(a[1] for a, _ in edits),
    }


def _wait_all(processes: list[subprocess.Popen[bytes]]) -> tuple[float, float]:
    """(CPU, wall) of processes started together, from the moment they were started until the last ends."""
    import resource
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    for process in processes:
        if process.wait() != 0:
            raise SystemExit(f"{' '.join(map(str, process.args))} failed")  # type: ignore[arg-type]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 150], help="numbers of partnerships (default 10 50 150)")
    parser.add_argument("--pairs", type=int, default=3, help="paired runs of each comparison (default 3)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes on each side (default: one per CPU)")
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs); {args.pairs} pairs; {args.jobs} processes a side")
    results = {}
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"safeguide-scale-{count}-") as tmp:
            results[count] = found = series(count, args.pairs, args.jobs, Path(tmp))
        print(f"N={count:<4} {found['editions']:4.0f} editions  cold {found['cold_cpu']:8.1f} s CPU ({found['cold_cpu'] / found['editions']:.2f} per edition, "
              f"wall {found['cold_wall']:.0f} s)  plain Material {found['plain_cpu']:8.1f} s CPU  ratio {found['ratio']:.2f}  "
              f"no-change {found['no_change']:.3f} of cold (wall {found['no_change_wall']:.1f} s)  one-edit {found['one_edit']:.2f} of cold (wall {found['one_edit_wall']:.0f} s)",
              flush=True)
    if len(results) > 1:
        small, large = min(results), max(results)
        per = (results[large]["cold_cpu"] - results[small]["cold_cpu"]) / (large - small)
        print(f"per added partnership (cold, N={small} to N={large}): {per:.1f} s CPU")


if __name__ == "__main__":
    main()
