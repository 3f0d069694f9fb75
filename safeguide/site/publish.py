"""Building partnerships into the output folder: parallel, with progress, and all-or-nothing.

Every build writes into a staging folder beside the output; only when all succeed does the staging
folder replace the output, so a failed or interrupted run leaves what was published untouched. Which
folder may be the output, the lock and the atomic swap: safeguide.site.output.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from safeguide.build.link_messages import link_problem
from safeguide.build.state import Build
from safeguide.core import page_rules
from safeguide.core.loading import expected_problem
from safeguide.core.problems import Problem, SafeguideError
from safeguide.core.releases import history, unsealed, working_edition
from safeguide.core.review import overdue_since
from safeguide.core.variants import Project, Variant, load_variant, working_reader
from safeguide.render import environment
from safeguide.render.feed import FEED_FILE, SITEMAP_FILE, feed_xml, sitemap_index
from safeguide.render.landing import landing_page, redirect_page
from safeguide.site import edition_cache
from safeguide.site.output import (
    MARKER,
    MARKER_TEXT,
    PAUSE_BEFORE_SWAP,
    SITE_INFO,
    cannot_write,
    check_output,
    check_writable,
    copy_linked,
    custom_dir,
    exclusive,
    mark,
    pause,
    remove_strays,
    staging_path,
    start_worker,
    stops_deferred,
    stops_held,
    swap_in,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from safeguide.core.releases import Edition


@dataclass
class Outcome:
    partnership: str
    ok: bool
    problems: list[Problem] = field(default_factory=list)  # why the build failed; empty when it succeeded
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)  # _site_info: what the landing page, versions.json and the feed need
    version: str | None = None  # the release built, or None for the working copy
    cached: bool = False  # placed from the cache of finished editions (safeguide.site.edition_cache), not built

    @property
    def label(self) -> str:
        return f"{self.partnership} {self.info.get('version') or self.version or ''}".strip()


class _Collect(logging.Handler):
    """Keeps what MkDocs says during one build, to report it once the build ends."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured_mkdocs_log() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler, propagate, level = _Collect(), logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = propagate, level


def build_partnership(root: str, partnership_id: str, out_root: str, release: str | None = None, texts_out: str | None = None) -> Outcome:
    """Build one edition of a partnership into out_root/<id>/<version>/: a release, or (release None)
    the working copy. Runs in a worker process; never raises."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    from safeguide.build import offline  # MkDocs, like the build itself, is imported in the workers only

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    started = time.perf_counter()
    outcome = Outcome(partnership_id, ok=False)
    built: MkDocsConfig | None = None  # the configuration of the build under way, once there is one
    with _captured_mkdocs_log() as log:
        try:
            project = Project.at(Path(root))
            # Loaded once here (the working copy: to fail fast, before MkDocs starts) or by the first build (a
            # release), then handed to every build of this edition: the site's and its offline copy's.
            variant = load_variant(project, partnership_id) if release is None else None
            version = variant.partnership.version if variant is not None else str(release)

            def edition_config() -> MkDocsConfig:
                loaded = load_config(str(project.root / "mkdocs.yml"), strict=True)
                loaded.extra["safeguide"] = {**(loaded.extra.get("safeguide") or {}), "partnership": partnership_id, "release": release, "texts_out": texts_out, "loaded": variant}
                return loaded

            folder = Path(out_root) / partnership_id / version
            # Inside the staging folder, so that a build killed here leaves nothing the next build does not remove.
            Path(out_root).mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(prefix=".offline-", dir=out_root) as scratch:
                copy = None
                # Not when `safeguide release` builds only to record the pages' text (texts_out).
                if texts_out is None and (variant.reader if variant is not None else working_reader(project, partnership_id)).offline_copy:
                    config = built = edition_config()  # first, so that the edition's pages can give the zip's size
                    copy = _offline_copy(config, build, Path(scratch), partnership_id, version)
                    variant = config.extra["build"].variant
                config = built = edition_config()
                if copy is not None:
                    config.extra["safeguide"]["offline_zip"] = offline.Download(copy.name, copy.stat().st_size).as_extra()
                config.extra["version"] = {"provider": "mike", "default": "latest"}
                config.site_dir = str(folder)
                config.site_url = edition_url(config.site_url, partnership_id, version)
                build(config)
                if copy is not None:  # after the build, which empties its site_dir
                    shutil.move(copy, folder / copy.name)
            outcome.ok = True
            outcome.info = _site_info(config.extra["build"], config.site_url)
        except SafeguideError as e:
            outcome.problems = list(e.problems)
        except (Abort, MkDocsException) as e:
            # MkDocs logs a hook's error as one message and raises Abort from it: keep its problems apart.
            cause = e.__context__
            outcome.problems = list(cause.problems) if isinstance(cause, SafeguideError) else _mkdocs_problems(log.records, built) or [Problem("", str(e))]
        except page_rules.SnippetMissingError as e:  # backstop: the page check before the build finds these first
            known = _variant_of(built)
            shown_as = known.shown_as if known is not None else str
            outcome.problems = [page_rules.snippet_failure(e, [r.getMessage() for r in log.records], shown_as)]
        except Exception as e:  # a user's file (loading.expected_problem) or a bug of ours: plainly, no traceback
            outcome.problems = [Problem("", expected_problem(e, [r.getMessage() for r in log.records]) or f"internal error in safeguide ({type(e).__name__}: {e}). Please report it.")]
    outcome.warnings = [r.getMessage() for r in log.records if r.levelno == logging.WARNING]
    outcome.seconds = time.perf_counter() - started
    return outcome


def _offline_copy(config: MkDocsConfig, build: Callable[[MkDocsConfig], None], scratch: Path, partnership_id: str, version: str) -> Path:
    """Build the edition's offline copy with `config` (freshly loaded, set up for this edition) into
    `scratch` and zip it there (safeguide.build.offline); returns the zip. Raises as the build does, or
    SafeguideError if the zip cannot be written."""
    from safeguide.build import offline

    site_url = config.site_url
    config.site_url = edition_url(site_url, partnership_id, version)
    offline.configure(config, scratch / "copy")
    with offline.building_copy(site_url, partnership_id):
        build(config)
    offline.finish_copy(scratch / "copy", site_url, f"{partnership_id}/{version}/")
    this = config.extra["build"].edition.this_release  # the Variant the build loaded (hooks/partnership.py)
    target = scratch / (offline.zip_stem(partnership_id, version) + ".zip")
    offline.write_zip(scratch / "copy", target, this.release.date if this else None)
    return target


def edition_url(site_url: str | None, partnership_id: str, version: str) -> str | None:
    """Where one edition is published: mkdocs.yml's `site_url` is the address of the whole output folder,
    and each edition sits at <id>/<version>/ in it. MkDocs then gives every page its full address
    (page.canonical_url: the printed address, <link rel="canonical"> and sitemap.xml). None without a
    site_url: pages then have no known address (print.js shows the browser's)."""
    if not site_url:
        return None
    return f"{site_url.rstrip('/')}/{partnership_id}/{version}/"  # ids and versions are URL-safe (models)


# MkDocs' own words for a link or anchor that leads nowhere (mkdocs.structure.pages, strict validation).
_MKDOCS_LINK = re.compile(r"\b(link|anchor)", re.IGNORECASE)


def _variant_of(config: MkDocsConfig | None) -> Variant | None:
    """The partnership a build under way had loaded (hooks/partnership.py keeps it on the Build), if it got that far."""
    state = config.extra.get("build") if config is not None else None
    return state.variant if isinstance(state, Build) else None


def _mkdocs_problems(records: list[logging.LogRecord], config: MkDocsConfig | None) -> list[Problem]:
    """What MkDocs itself said when it stopped a build (not one of our Problems): one Problem per message. A link
    that leads nowhere names the page's file, line and fix (safeguide.build.link_messages); anything else keeps
    MkDocs' words, without a file (MkDocs names the page in them), filed under "link" when it is about a link."""
    variant = _variant_of(config)
    problems = []
    for r in records:
        text = r.getMessage().strip()
        if text and not text.startswith("Error reading page") and not text.startswith("Error building page"):
            problems.append(link_problem(text, variant) or Problem("", text, kind="link" if _MKDOCS_LINK.search(text) else None))
    return problems


def _site_info(build: Build, site_url: str | None) -> dict[str, Any]:
    """One edition as the parent needs it once every build is done: the landing card (partnership.json),
    versions.json and the feed of releases (safeguide.render.feed). JSON-ready values; `site_url` is the
    edition's address (edition_url) or None; "updates" is the working copy's reader.updates setting."""
    variant, edition = build.variant, build.edition
    p = variant.partnership
    this = edition.this_release
    release = this.release if this else None
    logo = f"{edition.version}/assets/partnership/logo{Path(p.brand.logo).suffix.lower()}" if p.brand.logo else None
    return {"id": variant.id, "name": p.name, "short_name": p.label, "version": edition.version,
            "draft": edition.is_draft, "date": release.date.isoformat() if release else None,
            "description": p.description, "example": p.example, "logo": logo,
            "review_overdue": _overdue(edition),
            "approved_by": release.approved_by if release else None,
            "review_due": release.review_due.isoformat() if release else None,
            "authors": list(release.authors) if release else [],
            "summary": release.summary if release else None,
            "site_url": site_url, "updates": variant.reader.updates}


def _overdue(edition: Edition) -> str | None:
    """The newest release's review date if it has passed (the rule of `safeguide review`), for the landing card."""
    from mkdocs.utils import get_build_datetime  # mkdocs is imported in the build workers only

    due = overdue_since(edition, get_build_datetime().date())
    return due.isoformat() if due else None


ProgressCallback = Callable[[Outcome], None]


@dataclass(frozen=True)
class Job:
    partnership: str
    release: str | None = None  # None: the working copy, published as a draft


@dataclass
class Plan:
    """What to publish for one partnership: every release, plus the working copy while it is a draft."""

    jobs: list[Job]
    warnings: list[str] = field(default_factory=list)
    failed: Outcome | None = None
    name: str = ""  # as the working copy gives it: the partnership today
    description: str | None = None
    draft: str | None = None  # the working copy's version when it is published as a draft (Job(id, None) is in jobs)


def plan(project: Project, partnership_id: str) -> Plan:
    try:
        past = history(project.root, partnership_id)
        variant = load_variant(project, partnership_id)
    except SafeguideError as e:
        return Plan([], failed=Outcome(partnership_id, ok=False, problems=list(e.problems)))
    jobs = [Job(partnership_id, f.version) for f in past]
    name, description = variant.partnership.name, variant.partnership.description
    version = variant.partnership.version
    edition, changed = working_edition(project.root, project.docs_dir, partnership_id, version, load_config_nav(project), past)
    if edition.kind == "draft":
        return Plan([*jobs, Job(partnership_id)], name=name, description=description, draft=version)
    if edition.kind == "release":
        return Plan(jobs, name=name, description=description)
    files = ", ".join(d.path for d in changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return Plan(jobs, warnings=[
        f"{partnership_id}: version {version} is already released, but its text has changed since ({files}). "
        f"The release is published as approved; the edits are not. To publish them as a draft, give "
        f"{project.show(variant.folder / 'partnership.yml')} a new version number."
    ], name=name, description=description)


def _cached_plan(project: Project, partnership_id: str, cache: Path | None, today: dt.date, digests: edition_cache.FileDigests | None = None) -> Plan:
    """`plan`, kept in the cache under the working copy's key (which covers every input of the partnership), so
    that a build with nothing changed neither loads the partnership nor imports MkDocs. Failed plans are not kept."""
    if cache is None:
        return plan(project, partnership_id)
    stored = cache.parent / "plans" / f"{edition_cache.edition_key(project.root, partnership_id, None, today, digests)}.json"
    try:
        data = json.loads(stored.read_text(encoding="utf-8"))
        return Plan([Job(partnership_id, release) for release in data["jobs"]], list(data["warnings"]), None, str(data["name"]), data["description"], data["draft"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    made = plan(project, partnership_id)
    if made.failed is None:
        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(stored, json.dumps({"jobs": [j.release for j in made.jobs], "warnings": made.warnings, "name": made.name, "description": made.description, "draft": made.draft}))
        except OSError:
            pass  # an unwritable cache only costs the next build its shortcut
    return made


def _build_date() -> dt.date:
    """The day pages say they were built (MkDocs' get_build_datetime: UTC, or SOURCE_DATE_EPOCH), without importing MkDocs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date()


def load_config_nav(project: Project) -> list | None:  # type: ignore[type-arg]
    """The baseline's navigation as mkdocs.yml gives it."""
    from mkdocs.config import load_config

    return load_config(str(project.root / "mkdocs.yml")).nav


def run_builds(root: Path, jobs: list[Job], out_root: Path, workers: int, on_done: ProgressCallback) -> list[Outcome]:
    """Build each job; in worker processes when there is more than one.

    On Ctrl-C or SIGTERM (KeyboardInterrupt in this process) the workers are ended before it propagates,
    so none writes on into a folder the caller is about to remove.
    """
    outcomes: list[Outcome] = []
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            outcomes.append(_run(root, job, out_root))
            on_done(outcomes[-1])
        return outcomes
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=start_worker, initargs=(os.getpid(),))
    try:
        with stops_deferred():  # the first submit forks the workers
            futures = [pool.submit(_run, root, job, out_root) for job in jobs]
        for future in as_completed(futures):
            outcomes.append(future.result())
            on_done(outcomes[-1])
    except BrokenProcessPool:  # a worker was killed from outside, e.g. by the system when memory ran out
        _end_workers(pool)
        raise SafeguideError(Problem(
            "safeguide build", "a build process ended unexpectedly (stopped from outside, or out of memory). Nothing was published.",
            "Build again; if it happens again, build fewer partnerships at once with --jobs 1.",
        )) from None
    except BaseException:
        _end_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    order = {(j.partnership, j.release): i for i, j in enumerate(jobs)}
    return sorted(outcomes, key=lambda o: order[(o.partnership, o.version)])


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now rather than after its build. The executor has no public way before
    Python 3.14 (terminate_workers), hence its process table."""
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def _run(root: Path, job: Job, out_root: Path) -> Outcome:
    outcome = build_partnership(str(root), job.partnership, str(out_root), job.release)
    outcome.version = job.release
    return outcome


@dataclass
class Run:
    """One run's settled inputs, before anything is written: the partnerships to publish (`ids` as named, None for
    all; `known`: every partnership of the project, for the landing page), each one's plan, the output folder
    (resolved and checked; None where nothing is published), the cache (None: not used) and the build day."""

    project: Project
    known: list[str]
    ids: list[str] | None
    plans: dict[str, Plan]
    target: Path | None
    cache: Path | None
    today: dt.date
    digests: edition_cache.FileDigests = field(default_factory=edition_cache.FileDigests)  # the inputs' digests, read once for every key of the run

    @property
    def jobs(self) -> list[Job]:
        """Every edition to publish, in publishing order (partnerships as named, each one's releases oldest first, its draft last)."""
        return [job for p in self.plans.values() for job in p.jobs]


def prepare(root: Path, ids: list[str] | None, out: Path | None, use_cache: bool = True, on_warning: Callable[[str], None] = lambda w: None) -> Run | list[Outcome]:
    """Settle a run without writing anything: the partnerships (`ids`, or all), `out` checked (check_output; None:
    no output), and every partnership's plan; plans' warnings go to on_warning. Returns the Run, or the failed
    outcomes when a plan failed. Raises SafeguideError for an unknown partnership, none at all, or an output
    folder that is not allowed."""
    project = Project.at(root)
    known = project.partnership_ids()
    wanted = ids or known
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise SafeguideError([
            Problem(f"partnerships/{i}", f"there is no partnership '{i}'.", f"Known partnerships: {', '.join(known) or 'none'}.")
            for i in unknown
        ])
    if not wanted:
        raise SafeguideError(Problem("partnerships/", "there are no partnerships to build.", 'Create one with `safeguide new ID --name "NAME"`.'))
    target = check_output(project.root, out) if out is not None else None
    cache = edition_cache.cache_dir(project.root) if use_cache else None
    today = _build_date()

    digests = edition_cache.FileDigests()
    plans = {pid: _cached_plan(project, pid, cache, today, digests) for pid in wanted}
    failed = [p.failed for p in plans.values() if p.failed]
    if failed:
        return failed
    for p in plans.values():
        for warning in p.warnings:
            on_warning(warning)
    for pid in wanted:  # releases made before safeguide recorded digests (safeguide.core.integrity)
        for problem in unsealed(history(project.root, pid), pid):
            on_warning(str(problem))
    return Run(project, known, ids, plans, target, cache, today, digests)


def publish(
    root: Path, ids: list[str] | None, out: Path, jobs: int, on_done: ProgressCallback, on_start: Callable[[int], None] = lambda n: None,
    on_warning: Callable[[str], None] = lambda w: None, on_wait: Callable[[], None] = lambda: None, use_cache: bool = True,
    on_unchanged: Callable[[], None] = lambda: None,
) -> list[Outcome]:
    """Build into a staging folder beside `out`, then swap it in only if every build succeeded. When `out` already
    holds exactly what this build would publish, nothing is written and on_unchanged is called.

    Before anything is written, `out` must pass safeguide.site.output.check_output. The whole run holds the
    output's lock (on_wait is called once if another build holds it), starts by removing what killed runs
    left, and publishes with one atomic exchange. Returns every outcome (the failed ones, if a plan or
    build failed: nothing is published then). An edition whose inputs are unchanged since it was last built
    comes from the cache (safeguide.site.edition_cache) unless `use_cache` is False. Raises SafeguideError for an unknown partnership, an output
    folder that is not allowed or cannot be written; Stopped (KeyboardInterrupt) on Ctrl-C or SIGTERM.
    """
    run = prepare(root, ids, out, use_cache, on_warning)
    if isinstance(run, list):
        return run

    def editions(all_jobs: list[Job], staging: Path) -> list[Outcome]:
        return build_editions(run.project.root, all_jobs, staging, jobs, on_done, run.cache, run.today, run.digests)

    def unchanged() -> list[Outcome] | None:
        outcomes = published_already(run)
        if outcomes is not None:
            on_unchanged()
            on_start(len(outcomes))
            for outcome in outcomes:
                on_done(outcome)
        return outcomes

    return publish_staged(run, on_wait, lambda staging: stage_site(run, staging, editions, on_start), unchanged)


def publish_staged(
    run: Run, on_wait: Callable[[], None], fill: Callable[[Path], list[Outcome]], unchanged: Callable[[], list[Outcome] | None] = lambda: None,
) -> list[Outcome]:
    """Under run.target's lock (on_wait is called once if another run holds it), with what killed runs left removed:
    `fill` writes the new output into a new staging folder beside it, and if every outcome it returns succeeded,
    the staging folder is marked as ours and swapped in atomically. The staging folder is removed in every case.
    Returns fill's outcomes, or, without writing anything, `unchanged`'s when it finds the output already is what
    this run would publish. Raises SafeguideError when the output cannot be written (nothing is published then)."""
    target = run.target
    assert target is not None, "publish_staged needs a Run with an output folder"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with exclusive(target, on_wait):
            check_writable(target)
            remove_strays(target)
            already = unchanged()
            if already is not None:
                return already
            staging = staging_path(target)
            try:
                outcomes = fill(staging)
                if all(o.ok for o in outcomes):
                    mark(staging)
                    pause(PAUSE_BEFORE_SWAP)
                    with stops_held():
                        swap_in(staging, target)
                return outcomes
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as e:
        raise cannot_write(target, run.project.root, e) from None


def stage_site(run: Run, staging: Path, editions: Callable[[list[Job], Path], list[Outcome]], on_start: Callable[[int], None] = lambda n: None) -> list[Outcome]:
    """Write the whole site into `staging`: the partnerships not in the run as published (when some were named),
    every edition of the run (`editions(jobs, staging)` places them at staging/<id>/<version>/ and returns their
    outcomes, in the jobs' order), then, if all succeeded, each partnership's index and the landing page."""
    target = run.target
    if run.ids and target is not None and target.is_dir():
        copy_linked(target, staging, symlinks=True)  # keep the partnerships not rebuilt this time
    staging.mkdir(exist_ok=True)
    for pid in run.plans:
        shutil.rmtree(staging / pid, ignore_errors=True)
    on_start(len(run.jobs))
    outcomes = editions(run.jobs, staging)
    if all(o.ok for o in outcomes):
        write_indexes(staging, run.plans, outcomes, run.known, environment.templates(custom_dir(run.project.root)))  # overrides/safeguide/ first
    return outcomes


def build_editions(
    root: Path, all_jobs: list[Job], staging: Path, workers: int, on_done: ProgressCallback, cache: Path | None, today: dt.date,
    digests: edition_cache.FileDigests | None = None,
) -> list[Outcome]:
    """Every job's edition at staging/<id>/<version>/: placed from the cache when it holds the edition's key, built
    otherwise (run_builds, `workers` at once). When all succeed, the built ones are stored in the cache. Returns the
    outcomes in the jobs' order."""
    keys: dict[Job, str] = {}
    outcomes: list[Outcome] = []
    to_build: list[Job] = []
    digests = digests or edition_cache.FileDigests()
    for job in all_jobs:
        if cache is not None:
            keys[job] = edition_cache.edition_key(root, job.partnership, job.release, today, digests)
            entry = edition_cache.find(cache, keys[job])
            if entry is not None:
                outcome = Outcome(**entry.outcome, cached=True)
                edition_cache.place(entry, staging / job.partnership / str(outcome.info["version"]))
                outcomes.append(outcome)
                on_done(outcome)
                continue
        to_build.append(job)
    built = run_builds(root, to_build, staging, workers, on_done)
    order = {(j.partnership, j.release): i for i, j in enumerate(all_jobs)}
    outcomes = sorted(outcomes + built, key=lambda o: order[(o.partnership, o.version)])  # versions.json reads releases oldest first
    if cache is not None and all(o.ok for o in outcomes):
        edition_cache.remove_strays(cache)
        after = edition_cache.FileDigests()  # read afresh: an input may have changed during the build
        for o in built:
            if edition_cache.edition_key(root, o.partnership, o.version, today, after) != keys[Job(o.partnership, o.version)]:
                continue  # an input changed while it was built: keep nothing that might not match its key
            stored = {"partnership": o.partnership, "ok": True, "warnings": o.warnings, "info": o.info, "version": o.version}
            edition_cache.store(cache, keys[Job(o.partnership, o.version)], staging / o.partnership / str(o.info["version"]), stored)
    return outcomes


def write_indexes(staging: Path, plans: dict[str, Plan], outcomes: list[Outcome], known: list[str], templates: jinja2.Environment) -> None:
    """What a site holds besides its editions: for each planned partnership its versions.json, partnership.json,
    index.html and feed (from its outcomes' info, in publishing order, and its plan's name and description), then
    the landing page of every `known` partnership whose partnership.json is in `staging`."""
    for pid, p in plans.items():
        named = {"name": p.name, "description": p.description}
        _write_partnership_index(staging / pid, [{**o.info, **named} for o in outcomes if o.partnership == pid], templates)
    _write_landing(staging, known, templates)


def published_already(run: Run) -> list[Outcome] | None:
    """The run's outcomes, all from the cache, if run.target already holds exactly what the run would publish (see
    _published_as); None otherwise, or without a cache. Call it under the output's lock."""
    if run.cache is None or run.target is None or not run.target.is_dir():
        return None
    entries: dict[Job, edition_cache.Entry] = {}
    for job in run.jobs:
        entry = edition_cache.find(run.cache, edition_cache.edition_key(run.project.root, job.partnership, job.release, run.today, run.digests))
        if entry is None:
            return None
        entries[job] = entry
    templates = environment.templates(custom_dir(run.project.root))
    if not _published_as(run.target, run.plans, run.known, entries, templates, whole=not run.ids):
        return None
    return [Outcome(**entries[job].outcome, cached=True) for job in run.jobs]


def _published_as(
    target: Path, plans: dict[str, Plan], known: list[str], entries: dict[Job, edition_cache.Entry], templates: jinja2.Environment, whole: bool,
) -> bool:
    """True if `target` holds exactly what publishing these cached editions would write: the same files, each edition's
    files the very files of its cache entry (hard links: same device and inode; entries are checked whole by
    edition_cache.find), and the same partnership indexes, landing page and marker. With `whole` False (some
    partnerships named), the folders of the others are left out of the comparison, as the build keeps them. Then a
    build with nothing changed writes nothing, instead of linking a new copy of the site and deleting the old one."""
    expected: dict[str, str] = {MARKER: MARKER_TEXT}
    linked: dict[str, Path] = {}
    for pid, p in plans.items():
        editions = [{**entries[job].outcome["info"], "name": p.name, "description": p.description} for job in p.jobs]
        for name, text in _partnership_index(pid, editions, templates).items():
            expected[f"{pid}/{name}"] = text
        for job in p.jobs:
            version = str(entries[job].outcome["info"]["version"])
            site = entries[job].site
            for path in site.rglob("*"):
                if not path.is_dir():
                    linked[f"{pid}/{version}/{path.relative_to(site).as_posix()}"] = path
    try:
        expected["index.html"] = _landing(known, lambda pid: expected.get(f"{pid}/{SITE_INFO}") or _text_if_file(target / pid / SITE_INFO), templates)
        found = {
            path.relative_to(target).as_posix() for path in target.rglob("*")
            if not path.is_dir() and (whole or len(path.relative_to(target).parts) == 1 or path.relative_to(target).parts[0] in plans)
        }
        if found != expected.keys() | linked.keys():
            return False
        for name, source in linked.items():
            mine, theirs = (target / name).lstat(), source.lstat()
            if (mine.st_dev, mine.st_ino) != (theirs.st_dev, theirs.st_ino):
                return False
        return all((target / name).read_text(encoding="utf-8") == text for name, text in expected.items())
    except (OSError, ValueError):  # ValueError: JSON or UTF-8 that cannot be read
        return False


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # its own: builds sharing a cache may write the same plan at once
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _write_partnership_index(folder: Path, editions: list[dict[str, Any]], templates: jinja2.Environment) -> None:
    """Write `_partnership_index` into the partnership's folder."""
    for name, text in _partnership_index(folder.name, editions, templates).items():
        _write_atomic(folder / name, text)


def _partnership_index(partnership_id: str, editions: list[dict[str, Any]], templates: jinja2.Environment) -> dict[str, str]:
    """The files of site/<id>/ besides its editions, by name: versions.json for Material's selector (newest release
    first, aliased latest; drafts hidden), the landing page's entry, index.html leading to the newest release (or the
    draft while there is none), and the Atom feed of releases (safeguide.render.feed; none before the first release or
    with updates off) with its sitemap."""
    releases = [e for e in editions if not e["draft"]]  # oldest first, as built
    drafts = [e for e in editions if e["draft"]]
    versions: list[dict[str, object]] = [
        {"version": e["version"], "title": e["version"], "aliases": ["latest"] if i == 0 else []}
        for i, e in enumerate(reversed(releases))
    ]
    versions += [{"version": e["version"], "title": f"{e['version']} (draft)", "aliases": [], "properties": {"hidden": True}} for e in drafts]
    current = releases[-1] if releases else drafts[0]
    info = {**current, "draft_version": drafts[0]["version"] if drafts and releases else None}
    files = {
        "versions.json": json.dumps(versions, indent=2) + "\n",
        SITE_INFO: json.dumps(info, indent=2) + "\n",
        "index.html": redirect_page(f"{current['version']}/", str(current["name"]), templates=templates),
    }
    feed = feed_xml(partnership_id, str(current["name"]), editions)
    if feed is not None:
        files[FEED_FILE] = feed + "\n"
        files[SITEMAP_FILE] = sitemap_index(editions) + "\n"  # asked for by Material beside the feed link
    return files


def _write_landing(staging: Path, known: list[str], templates: jinja2.Environment) -> None:
    _write_atomic(staging / "index.html", _landing(known, lambda pid: _text_if_file(staging / pid / SITE_INFO), templates))


def _landing(known: list[str], info_of: Callable[[str], str | None], templates: jinja2.Environment) -> str:
    """The landing page over the partnerships in `known` that have a site_info.json; `info_of(id)` gives its text, or
    None. Raises OSError, or ValueError for a file that is not UTF-8 JSON."""
    return landing_page([json.loads(text) for pid in known if (text := info_of(pid)) is not None], templates=templates)


def _text_if_file(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None
