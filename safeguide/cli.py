"""The `safeguide` command: build, check, new, serve, release, review, merge, plan."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from safeguide.core.loading import ISO_DATE, parse_date
from safeguide.core.problems import SafeguideError
from safeguide.core.variants import Project, Variant, load_variant
from safeguide.site.output import STOP_SIGNALS, StopOnSignal, Stopped, quiet_lost_stops
from safeguide.site.publish import (
    Job,
    Outcome,
    build_partnership,
    load_config_nav,
    plan,
    publish,
    run_builds,
)
from safeguide.site.shards import Share, build_shard, survey
from safeguide.site.shards import merge as merge_shards

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
            out.print(f"[green]✓[/] {o.label}: unchanged, from the cache" if o.cached else f"[green]✓[/] {o.label}: {verb} ({o.seconds:.1f} s)")
        else:
            ok = False
            err.print(f"[bold red]✗ {o.label}[/]: {len(o.problems)} problem{'s' if len(o.problems) != 1 else ''}")
            for message in map(str, o.problems):
                err.print("  " + message.replace("\n", "\n  "), markup=False)
    return ok


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)


@click.group()
@click.version_option(package_name="safeguide")
def cli() -> None:
    """Publish safeguarding information-sharing guidance: one site per partnership."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class ShardType(click.ParamType):  # type: ignore[type-arg]  # generic in click 8.3's types, not at runtime in 8.1
    """--shard K/N: shard K of N (safeguide.site.shards.Share)."""

    name = "K/N"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> Share:
        if isinstance(value, Share):
            return value
        try:
            return Share.parse(str(value))
        except ValueError as e:
            self.fail(str(e), param, ctx)


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None, help="Where to publish. Default: site/ in the project.")
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="number of CPUs", help="Partnerships built at once.")
@click.option("--no-cache", is_flag=True, help="Build every edition afresh, without reading or writing the cache of finished editions.")
@click.option("--shard", type=ShardType(), default=None, help="Build only shard K of N of the editions into --out, for `safeguide merge` to publish.")
def build(ids: tuple[str, ...], out_dir: Path | None, jobs: int, no_cache: bool, shard: Share | None) -> None:
    """Build every partnership (or those named) into OUT; nothing is published unless all succeed. Editions whose
    inputs have not changed since they were last built come from the cache (.safeguide-cache/editions/)."""
    root = find_root()
    if shard is not None and out_dir is None:
        raise click.UsageError(f"--shard needs --out: a folder of its own for this shard (not the site), for example --out shards/{shard.index}. Then publish all {shard.count} with: safeguide merge shards/* --out site")
    target = root / "site" if out_dir is None else Path.cwd() / out_dir  # an absolute out_dir stays as given
    unchanged: list[bool] = []  # set when the output already is this build: nothing was written
    with _progress() as progress:
        task = progress.add_task("Building" if shard is None else f"Building shard {shard}", total=None)
        def started(count: int) -> None:
            progress.update(task, total=count)

        def warned(text: str) -> None:
            err.print(f"[bold yellow]Warning[/]: {escape(text)}")

        def waiting() -> None:
            err.print(f"Waiting for another build into {escape(str(target))} to finish…")

        if shard is None:
            outcomes = publish(
                root, list(ids) or None, target, jobs, lambda o: progress.advance(task), started, warned, waiting, use_cache=not no_cache,
                on_unchanged=lambda: unchanged.append(True),
            )
        else:
            outcomes = build_shard(root, list(ids) or None, shard, target, jobs, lambda o: progress.advance(task), started, warned, waiting, use_cache=not no_cache)
    if not _report(outcomes, "built"):
        err.print(f"[bold red]Nothing was published[/]: {escape(str(target))} is unchanged.")
        sys.exit(1)
    if shard is not None:
        out.print(f"Built shard {shard} ({len(outcomes)} edition{'s' if len(outcomes) != 1 else ''}) into {escape(str(target))}. Publish all {shard.count} shards with: safeguide merge DIR… --out site")
        return
    count = len({o.partnership for o in outcomes})
    if unchanged:
        out.print(f"Nothing changed: {escape(str(target))} already holds this build of {count} partnership{'s' if count != 1 else ''}.")
        return
    out.print(f"Published {count} partnership{'s' if count != 1 else ''} to {escape(str(target))}")


@cli.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="DIR...")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None, help="Where to publish. Default: site/ in the project.")
def merge(folders: tuple[Path, ...], out_dir: Path | None) -> None:
    """Publish the shards that `safeguide build --shard K/N` wrote (every one of them, K = 1 to N) as one site:
    the same site a single build writes."""
    root = find_root()
    target = root / "site" if out_dir is None else Path.cwd() / out_dir
    with _progress() as progress:
        task = progress.add_task("Merging", total=None)
        outcomes = merge_shards(
            root, list(folders), target,  # relative to where the command runs, and named as given
            on_done=lambda o: progress.advance(task),
            on_warning=lambda text: err.print(f"[bold yellow]Warning[/]: {escape(text)}"),
            on_wait=lambda: err.print(f"Waiting for another build into {escape(str(target))} to finish…"),
        )
    count = len({o.partnership for o in outcomes})
    out.print(f"Merged {len(folders)} shard{'s' if len(folders) != 1 else ''}: published {len(outcomes)} edition{'s' if len(outcomes) != 1 else ''} of {count} partnership{'s' if count != 1 else ''} to {escape(str(target))}")


@cli.command(name="plan")
@click.argument("ids", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--shards", type=click.IntRange(min=1), default=None, help="Also say which of N shards (safeguide build --shard K/N) builds each edition.")
def plan_command(ids: tuple[str, ...], fmt: str, shards: int | None) -> None:
    """List the editions a build would publish, each with its key and whether the cache holds it. Builds nothing."""
    found = survey(find_root(), list(ids) or None, shards, on_warning=lambda text: err.print(f"[bold yellow]Warning[/]: {escape(text)}"))
    if isinstance(found, list):
        _report(found, "planned")
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps(found.as_dict(), indent=2, ensure_ascii=False))
        return
    width = max((len(e.partnership) + len(e.version) for e in found.editions), default=0) + 10
    for e in found.editions:
        name = f"{e.partnership} {e.version}" + (" (draft)" if e.release is None else "")
        shard = f"  shard {e.shard}/{shards}" if e.shard is not None else ""
        out.print(f"{escape(name):<{width}}{'in the cache' if e.cached else 'to build':<14}{shard}  key {e.key[:12]}")
    cached = sum(e.cached for e in found.editions)
    out.print(f"{len(found.editions)} edition{'s' if len(found.editions) != 1 else ''} for {found.date.isoformat()}: {cached} in the cache, {len(found.editions) - cached} to build.")
    for k in found.shard_keys():
        out.print(f"Shard {k['shard']}/{shards}: {k['editions']} edition{'s' if k['editions'] != 1 else ''}, key {k['key']}")


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
        planned = plan(project, pid)  # as `build` plans it, so that check warns as build does
        if planned.failed is not None:
            failed.append(planned.failed)
            continue
        for warning in planned.warnings:  # e.g. edits to a version already released, which build will not publish
            err.print(f"[bold yellow]Warning[/]: {escape(warning)}")
        ready.append(pid)
    with tempfile.TemporaryDirectory(prefix="safeguide-check-") as tmp, _progress() as progress:
        task = progress.add_task("Checking", total=len(ready))
        built = run_builds(root, [Job(pid) for pid in ready], Path(tmp), jobs, lambda o: progress.advance(task))
    if not _report(failed + built, "ready to build"):
        sys.exit(1)


@cli.command()
@click.argument("partnership_id", metavar="ID")
@click.option("--name", required=True, help="The partnership's full name.")
def new(partnership_id: str, name: str) -> None:
    """Start a partnership: partnerships/ID/ with every contact role to fill in."""
    from safeguide.site.scaffold import scaffold

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
    # preview: no PDF (seconds of CPU on every change; safeguide.build.downloads).
    config.write_text(
        "INHERIT: mkdocs.yml\nextra:\n  safeguide:\n    preview: true\n"
        + (f"    partnership: {partnership_id}\n" if partnership_id else ""),
        encoding="utf-8",
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # tidy up the throwaway config when stopped
    try:
        mkdocs_serve(str(config), dev_addr=dev_addr, strict=False)
    finally:
        config.unlink(missing_ok=True)


class IsoDate(click.ParamType):  # type: ignore[type-arg]  # generic in click 8.3's types, not at runtime in 8.1
    """A command option's date, YYYY-MM-DD, checked as dates in files are (safeguide.core.loading.parse_date)."""

    name = "date"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        if not ISO_DATE.fullmatch(str(value).strip()):
            self.fail(f"{str(value)!r} does not match the format YYYY-MM-DD (for example 2026-11-20).", param, ctx)
        try:
            return parse_date(str(value))
        except ValueError as e:
            what, _, fix = str(e).partition(" | ")
            self.fail(f"{what}. {fix}", param, ctx)


DATE = IsoDate()


@cli.command()
@click.argument("partnership_id", metavar="ID")
@click.argument("version")
@click.option("--approved-by", help="Who approved this version, e.g. the name of the group. Required, except with --record-digests.")
@click.option("--date", "day", type=DATE, help="The date it was approved (YYYY-MM-DD). Default: today.")
@click.option("--review-due", type=DATE, help="When it must next be reviewed (YYYY-MM-DD). Default: a year after --date.")
@click.option("--summary", help="One or two sentences on what changed, for the version history.")
@click.option("--author", "authors", multiple=True, help="Who wrote it; give once per author.")
@click.option("--record-digests", is_flag=True, help="For VERSION released by an older safeguide: record its files' digests as they are now, so that any later change is noticed.")
def release(partnership_id: str, version: str, approved_by: str | None, day: dt.date | None, review_due: dt.date | None, summary: str | None, authors: tuple[str, ...], record_digests: bool) -> None:
    """Approve the working copy as VERSION: freeze its text, for good, in the partnership's history."""
    from pydantic import ValidationError

    from safeguide.core.releases import (
        Release,
        check_new_release,
        freeze,
        history,
        next_review,
    )

    root = find_root()
    if record_digests:
        _record_digests(root, partnership_id, version)
        return
    if not approved_by:
        raise click.UsageError("Missing option '--approved-by': who approved this version, e.g. the name of the group.")
    project = Project.at(root)
    variant = load_variant(project, partnership_id)
    shown = project.show(variant.folder / "partnership.yml")
    date = day or dt.date.today()
    try:
        entry = Release(version=version, date=date, approved_by=approved_by, review_due=review_due or next_review(date), summary=summary, authors=list(authors))
    except ValidationError as e:
        raise click.BadParameter("; ".join(str(x["msg"]).partition(" | ")[0] for x in e.errors()), param_hint=", ".join(str(x["loc"][0]).replace("_", "-") for x in e.errors())) from None
    past = history(root, partnership_id)
    problems = check_new_release(shown, variant.partnership.version, entry, past)
    if problems:
        raise SafeguideError(problems)
    with tempfile.TemporaryDirectory(prefix="safeguide-release-") as tmp, _progress() as progress:
        progress.add_task(f"Checking {partnership_id} {version}", total=None)
        texts = Path(tmp) / "pages.json"
        outcome = build_partnership(str(root), partnership_id, str(Path(tmp) / "site"), texts_out=str(texts))
        pages = json.loads(texts.read_text(encoding="utf-8")) if outcome.ok else {}
    if not _report([outcome], "checked"):
        err.print("[bold red]Nothing was released[/]: fix the problems above, then try again.")
        sys.exit(1)
    frozen = freeze(root, project.docs_dir, partnership_id, entry, load_config_nav(project), pages)
    out.print(f"Released {partnership_id} version {version}, approved by {escape(approved_by)} on {date.isoformat()}; review due {entry.review_due.isoformat()}.")
    out.print(f"Frozen in {project.show(frozen.folder)}. Run `safeguide build {partnership_id}` to publish it.")


def _record_digests(root: Path, partnership_id: str, version: str) -> None:
    """`release ID VERSION --record-digests`: protect a release made before safeguide recorded digests."""
    from safeguide.core.releases import load_history, record_digests

    past, problems = load_history(root, partnership_id)
    frozen = next((f for f in past if f.version == version), None)
    if frozen is None:
        here = [p for p in problems if f"/releases/{version}/" in p.file + "/"]
        if here:
            raise SafeguideError(here)
        raise click.ClickException(f"{partnership_id} has no release {version}. Releases: {', '.join(f.version for f in past) or 'none'}.")
    written = record_digests(frozen)
    out.print(f"Recorded the digests of the {len(written.read_text(encoding='utf-8').splitlines())} files of {partnership_id} version {version} in {frozen.shown}/{written.name}.")
    out.print("Commit it: from now on, build and review name any file of this release that changes.")


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Exit non-zero if anything is found.")
@click.option("--as-of", "as_of", type=DATE, help="Report as on this date (YYYY-MM-DD), e.g. the group's next meeting. Default: today.")
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="number of CPUs")
def review(ids: tuple[str, ...], fmt: str, strict: bool, as_of: dt.date | None, jobs: int) -> None:
    """The policy group's report: review dates, superseded law, contacts, links, drift, unreleased edits."""
    from safeguide.core.review import report_for

    root = find_root()
    project = Project.at(root)
    known = project.partnership_ids()
    wanted = list(ids) or known
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise click.ClickException(f"there is no partnership {', '.join(repr(u) for u in unknown)}. Known partnerships: {', '.join(known) or 'none'}.")
    loaded: dict[str, Variant | SafeguideError] = {}
    for pid in wanted:  # once each: the report reads what was loaded here
        try:
            loaded[pid] = load_variant(project, pid)
        except SafeguideError as e:
            loaded[pid] = e  # the report lists these problems
    ready = [pid for pid in wanted if isinstance(loaded[pid], Variant)]
    with tempfile.TemporaryDirectory(prefix="safeguide-review-") as tmp, _progress() as progress:
        task = progress.add_task("Checking links", total=len(ready))
        built = run_builds(root, [Job(pid) for pid in ready], Path(tmp), jobs, lambda o: progress.advance(task))
    problems = {o.partnership: o.problems for o in built if not o.ok}
    today = as_of or dt.date.today()
    nav = load_config_nav(project)
    reports = [report_for(root, pid, today, nav, problems.get(pid), loaded[pid]) for pid in wanted]
    if fmt == "json":
        click.echo(json.dumps({"date": today.isoformat(), "partnerships": [r.as_dict() for r in reports]}, indent=2, ensure_ascii=False))
    else:
        _print_reports(reports, today)
    if strict and any(r.findings for r in reports):
        sys.exit(1)
    if any(f.kind == "release" for r in reports for f in r.findings):
        # An approved version that no longer matches stops every build: not a matter of --strict.
        err.print("[bold red]An approved version has changed since it was approved[/]: nothing can be published until it is restored (see above).")
        sys.exit(1)


def _print_reports(reports: list, today: dt.date) -> None:  # type: ignore[type-arg]
    from safeguide.core.review import KINDS

    for r in reports:
        latest = r.latest
        out.print(f"[bold]{escape(r.id)}[/]: {escape(r.name)}")
        states = {"draft": "a draft", "released": "released", "edited": "released, but edited since"}
        state = f"working copy {r.working_version}: {states[r.state]}" if r.working_version else "the working copy cannot be read"
        published = f"published: version {latest['version']}, approved {latest['date']}, review due {latest['review_due']}" if latest else "nothing approved yet"
        if r.damaged:  # approved, but its files no longer match: nothing of it is published until restored
            versions = ", ".join(r.damaged)
            published = (f"{published}; " if latest else "") + f"approved version {versions} cannot be published until its files are restored"
        out.print(f"  {escape(state)}; {escape(published)}")
        if not r.findings:
            out.print("  [green]Nothing needs attention.[/]\n")
            continue
        out.print(f"  [bold red]{len(r.findings)} finding{'s' if len(r.findings) != 1 else ''}[/] as of {today.isoformat()}:")
        for kind, title in KINDS.items():
            group = [f for f in r.findings if f.kind == kind]
            if group:
                out.print(f"  [bold]{title}[/]")
            shown_fix = None
            for f in group:
                where = f"{f.where()}: " if f.file else ""
                out.print(f"    - {escape(where + f.message)}")
                if f.fix and f.fix != shown_fix:  # said once for a run of findings with the same remedy
                    out.print(f"      What to do: {escape(f.fix)}")
                shown_fix = f.fix
        out.print("")


def main() -> None:
    """The console script: problems, usage errors and stops end with a message and an exit code, never a traceback.

    SIGTERM stops a run as Ctrl-C does (exit 128 + signal: 130 for Ctrl-C, 143 for SIGTERM).
    """
    stop = StopOnSignal()
    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    sys.unraisablehook = quiet_lost_stops
    try:
        cli.main(standalone_mode=False)
    except SafeguideError as e:
        for problem in e.problems:
            err.print(str(problem), markup=False)
        sys.exit(1)
    except click.exceptions.Abort as e:  # click turns Ctrl-C (and so SIGTERM: see Stopped) into Abort
        _stopped(e.__cause__ if isinstance(e.__cause__, KeyboardInterrupt) else KeyboardInterrupt())
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except KeyboardInterrupt as e:
        _stopped(e)


def _stopped(stop: KeyboardInterrupt) -> None:
    """Say what a stop left behind and exit 128 + signal (130 for Ctrl-C, 143 for SIGTERM)."""
    published = isinstance(stop, Stopped) and stop.published
    err.print("Stopped, just after the new site was published." if published else "Stopped. Nothing was published.")
    sys.exit(stop.exit_code if isinstance(stop, Stopped) else 130)
