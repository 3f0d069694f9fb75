"""The `safeguide` command: build, check, new, serve."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from safeguide.errors import SafeguideError
from safeguide.publish import Outcome, publish, run_builds
from safeguide.variants import Project, load_variant

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def find_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "docs").is_dir():
            return folder
    raise click.ClickException("no safeguide project here: run this inside the folder that holds mkdocs.yml and docs/.")


def _report(outcomes: list[Outcome], verb: str) -> bool:
    ok = True
    for o in outcomes:
        if o.ok:
            out.print(f"[green]✓[/] {o.partnership}: {verb} ({o.seconds:.1f} s)")
        else:
            ok = False
            err.print(f"[bold red]✗ {o.partnership}[/]: {len(o.messages)} problem{'s' if len(o.messages) != 1 else ''}")
            for message in o.messages:
                err.print("  " + message.replace("\n", "\n  "), markup=False)
    return ok


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)


@click.group()
@click.version_option(package_name="safeguide")
def cli() -> None:
    """Publish safeguarding information-sharing guidance: one site per partnership."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True, help="Where to publish.")
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="number of CPUs", help="Partnerships built at once.")
def build(ids: tuple[str, ...], out_dir: Path, jobs: int) -> None:
    """Build every partnership (or those named) into OUT; nothing is published unless all succeed."""
    root = find_root()
    target = out_dir if out_dir.is_absolute() else Path.cwd() / out_dir
    with _progress() as progress:
        task = progress.add_task("Building", total=None)
        outcomes = publish(
            root, list(ids) or None, target, jobs,
            on_done=lambda o: progress.advance(task),
            on_start=lambda wanted: progress.update(task, total=len(wanted)),
        )
    if not _report(outcomes, "built"):
        err.print(f"[bold red]Nothing was published[/]: {target} is unchanged.")
        sys.exit(1)
    out.print(f"Published {len(outcomes)} partnership{'s' if len(outcomes) != 1 else ''} to {target}")


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="number of CPUs")
def check(ids: tuple[str, ...], jobs: int) -> None:
    """Check everything a build needs, without publishing anything."""
    root = find_root()
    project = Project.at(root)
    wanted = list(ids) or project.partnership_ids()
    if not wanted:
        raise click.ClickException('there are no partnerships to check: create one with `safeguide new ID --name "NAME"`.')
    failed: list[Outcome] = []
    ready: list[str] = []
    for pid in wanted:  # settings first: quick, and lists every problem at once
        try:
            load_variant(project, pid)
            ready.append(pid)
        except SafeguideError as e:
            failed.append(Outcome(pid, ok=False, messages=[str(p) for p in e.problems]))
    with tempfile.TemporaryDirectory(prefix="safeguide-check-") as tmp, _progress() as progress:
        task = progress.add_task("Checking", total=len(ready))
        built = run_builds(root, ready, Path(tmp), jobs, lambda o: progress.advance(task))
    if not _report(failed + built, "ready to build"):
        sys.exit(1)


@cli.command()
@click.argument("partnership_id", metavar="ID")
@click.option("--name", required=True, help="The partnership's full name.")
def new(partnership_id: str, name: str) -> None:
    """Start a partnership: partnerships/ID/ with every contact role to fill in."""
    from safeguide.scaffold import scaffold

    project = Project.at(find_root())
    folder = scaffold(project, partnership_id, name)
    out.print(f"Created {project.show(folder)}/partnership.yml. Fill in its contacts, then run: safeguide check {partnership_id}")


@cli.command()
@click.argument("partnership_id", metavar="[ID]", required=False)
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(partnership_id: str | None, dev_addr: str) -> None:
    """Live preview of one partnership (default: the one named in mkdocs.yml)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    root = find_root()
    project = Project.at(root)
    if partnership_id:
        load_variant(project, partnership_id)  # clear errors before the server starts
    # A throwaway config that inherits mkdocs.yml: paths in it resolve from the project root.
    config = root / f".preview-{partnership_id or 'default'}.yml"
    config.write_text(
        "INHERIT: mkdocs.yml\n"
        + (f"extra:\n  safeguide:\n    partnership: {partnership_id}\n" if partnership_id else ""),
        encoding="utf-8",
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # tidy up the throwaway config when stopped
    try:
        mkdocs_serve(str(config), dev_addr=dev_addr, strict=False)
    finally:
        config.unlink(missing_ok=True)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except SafeguideError as e:
        for problem in e.problems:
            err.print(str(problem), markup=False)
        sys.exit(1)
    except click.exceptions.Abort:
        err.print("Stopped. Nothing was published.")
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        err.print("Stopped. Nothing was published.")
        sys.exit(130)
