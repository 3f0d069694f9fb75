"""Building the editions on several machines and merging them into one site (issue 16).

`safeguide build --shard K/N --out DIR` builds shard K of N: a share of the editions (a partnership's release, or
its working copy while it is a draft) into DIR, a folder of its own, never the site. `safeguide merge DIR… --out
site/` checks the shards and publishes them, with every partnership's versions.json, partnership.json, index.html
and feed and the landing page, exactly as one `safeguide build` writes them: the same bytes.

Which shard builds an edition: every edition of the run is listed with the partnerships in order of their ids and
each partnership's editions in publishing order (releases oldest first, then the draft); the i-th (from 0) falls in
shard i mod N + 1. So every machine given the same inputs and N assigns the same editions, whatever order the
partnerships were named in, and the shards differ by at most one edition.

A shard folder holds, besides the editions it built at <id>/<version>/, `shard.json` (SHARD):

    {"format": 1, "shard": K, "of": N, "date": "YYYY-MM-DD",
     "inputs": hex,   # fingerprint of the whole run (every key below but format, shard, of and built): equal in every shard of one run
     "site": hex,     # edition_cache.site_digest: the program and the site's own files
     "ids": [id, …] | null, "known": [id, …],
     "partnerships": {id: {"name": str, "description": str | null, "draft": str | null, "warnings": [str], "jobs": [release | null, …]}},
     "editions": [{"partnership": id, "release": str | null, "key": hex, "shard": k}, …],   # the whole run, in the order above
     "built": [{"partnership": id, "release": str | null, "info": {…}, "warnings": [str]}, …]}   # this shard's

and the `.safeguide-output` marker, like a published site: a shard folder is replaced as a whole by the next
shard build into it. Shards share the cache of finished editions (safeguide.site.edition_cache, SAFEGUIDE_CACHE)
as single builds do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeguide.core.problems import Problem, SafeguideError, display_path
from safeguide.core.variants import Project
from safeguide.site import edition_cache
from safeguide.site.output import MARKER, check_output, copy_linked
from safeguide.site.publish import (
    Job,
    Outcome,
    Plan,
    ProgressCallback,
    Run,
    build_editions,
    prepare,
    publish_staged,
    stage_site,
)

SHARD = "shard.json"
FORMAT = 1
_SHARE = re.compile(r"\s*(-?\d+)\s*/\s*(-?\d+)\s*")


@dataclass(frozen=True)
class Share:
    """Shard `index` (1 to `count`) of `count`."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @classmethod
    def parse(cls, text: str) -> Share:
        """"K/N" as a Share; raises ValueError with a message for the user when it is not one."""
        found = _SHARE.fullmatch(text)
        if not found:
            raise ValueError(f"{text!r} is not K/N: give this shard's number and the number of shards, for example 1/3.")
        index, count = int(found[1]), int(found[2])
        if count < 1:
            raise ValueError(f"{text!r}: the number of shards (N) must be at least 1, for example 1/3.")
        if not 1 <= index <= count:
            raise ValueError(f"{text!r}: shards are numbered 1 to {count}, so K must be one of those, for example 1/{count}.")
        return cls(index, count)


def in_order(plans: dict[str, Plan]) -> list[Job]:
    """Every edition of the plans, partnerships in order of their ids, each one's editions in publishing order."""
    return [job for pid in sorted(plans) for job in plans[pid].jobs]


def assign(plans: dict[str, Plan], count: int) -> dict[Job, int]:
    """The shard (1 to count) of every edition: round robin over in_order (this module's docstring)."""
    return {job: i % count + 1 for i, job in enumerate(in_order(plans))}


@dataclass(frozen=True)
class Edition:
    """One edition as `safeguide plan` shows it: its version (the release, or the draft's version), its key in the
    cache of finished editions, whether the cache holds it, and its shard (None when no number of shards was given)."""

    partnership: str
    release: str | None
    version: str
    key: str
    cached: bool
    shard: int | None

    def as_dict(self) -> dict[str, object]:
        return {"partnership": self.partnership, "version": self.version, "draft": self.release is None, "key": self.key, "cached": self.cached, "shard": self.shard}


@dataclass(frozen=True)
class Survey:
    """What `safeguide plan` prints: the build day, the run's fingerprint (`inputs`, as in shard.json), every edition,
    and with a number of shards, each shard's key (a digest of its editions' keys: what a CI cache of it is keyed by)."""

    date: dt.date
    inputs: str
    editions: list[Edition]
    count: int | None

    def shard_keys(self) -> list[dict[str, object]]:
        found: list[dict[str, object]] = []
        for k in range(1, (self.count or 0) + 1):
            keys = [e.key for e in self.editions if e.shard == k]
            found.append({"shard": k, "editions": len(keys), "key": hashlib.sha256("\n".join(keys).encode()).hexdigest()})
        return found

    def as_dict(self) -> dict[str, object]:
        return {"date": self.date.isoformat(), "inputs": self.inputs, "shards": self.shard_keys() if self.count else None, "editions": [e.as_dict() for e in self.editions]}


def survey(root: Path, ids: list[str] | None, count: int | None, on_warning: Callable[[str], None] = lambda w: None) -> Survey | list[Outcome]:
    """Every edition a build of `ids` (None: all) would publish, with its key and whether the cache holds it (a cache
    entry that is not whole is removed, as a build would), and with `count` its shard. Builds nothing and writes
    nothing but the cache of plans. Returns the failed outcomes when a partnership's plan fails; raises SafeguideError
    as safeguide.site.publish.prepare does."""
    run = prepare(root, ids, None, True, on_warning)
    if isinstance(run, list):
        return run
    keys = _keys(run)
    shards = assign(run.plans, count or 1)
    editions = [
        Edition(job.partnership, job.release, job.release or str(run.plans[job.partnership].draft), keys[job],
                run.cache is not None and edition_cache.find(run.cache, keys[job]) is not None, shards[job] if count else None)
        for job in in_order(run.plans)
    ]
    return Survey(run.today, _fingerprint(_inputs(run, keys, shards)), editions, count)


def build_shard(
    root: Path, ids: list[str] | None, share: Share, out: Path, workers: int, on_done: ProgressCallback, on_start: Callable[[int], None] = lambda n: None,
    on_warning: Callable[[str], None] = lambda w: None, on_wait: Callable[[], None] = lambda: None, use_cache: bool = True,
) -> list[Outcome]:
    """Build shard `share` of the editions of `ids` (None: every partnership) into `out`, a folder of its own, replaced
    as a whole, atomically, only if all its editions built (as safeguide.site.publish.publish does a site). Editions
    the cache holds are placed, not built. Returns this shard's outcomes (the failed ones, if a plan or a build
    failed: nothing is written then). Raises SafeguideError for an unknown partnership, or an output folder that is
    not allowed (those publish refuses, the project's site/, and any published site) or cannot be written."""
    run = prepare(root, ids, out, use_cache, on_warning)
    if isinstance(run, list):
        return run
    target = run.target
    assert target is not None
    if target == (run.project.root / "site").resolve() or ((target / MARKER).is_file() and not (target / SHARD).is_file()):
        shown = display_path(target, run.project.root)
        raise SafeguideError(Problem(
            f"--out {shown}", "this is where a site is published; a shard goes to a folder of its own, which `safeguide merge` then publishes from.",
            f"Give each shard a new folder, for example --out shards/{share.index}, then: safeguide merge shards/* --out {shown}",
        ))
    keys = _keys(run)
    shards = assign(run.plans, share.count)
    mine = [job for job in in_order(run.plans) if shards[job] == share.index]
    facts = _inputs(run, keys, shards)

    def fill(staging: Path) -> list[Outcome]:
        staging.mkdir()
        on_start(len(mine))
        outcomes = build_editions(run.project.root, mine, staging, workers, on_done, run.cache, run.today)
        if all(o.ok for o in outcomes):
            built = [{"partnership": o.partnership, "release": o.version, "info": o.info, "warnings": o.warnings} for o in outcomes]
            record = {"format": FORMAT, "shard": share.index, "of": share.count, "inputs": _fingerprint(facts), **facts, "built": built}
            (staging / SHARD).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return outcomes

    return publish_staged(run, on_wait, fill)


@dataclass(frozen=True)
class Shard:
    """A shard folder as merge reads it: where it is, as the user gave it, and its shard.json."""

    folder: Path  # resolved
    shown: str
    record: dict[str, Any]

    @property
    def index(self) -> int:
        return int(self.record["shard"])

    @property
    def count(self) -> int:
        return int(self.record["of"])


def merge(root: Path, folders: list[Path], out: Path, on_done: ProgressCallback = lambda o: None, on_warning: Callable[[str], None] = lambda w: None,
          on_wait: Callable[[], None] = lambda: None) -> list[Outcome]:
    """Publish the shards in `folders` into `out` as one `safeguide build` of the same inputs would: the same bytes.

    Every problem with the shards is found before anything is written and raised together as a SafeguideError, each
    naming the folder, what is wrong and how to fix it: a folder that is not a shard, shards of different runs (N,
    day, program, inputs), a shard given twice or missing, a shard missing an edition, a merge run with another
    program or site settings than the shards were built with, an output that is a shard or holds one, and whatever
    check_output refuses. Then as publish: under the output's lock, through a staging folder, swapped in atomically;
    when shards were built for named partnerships, the others already published in `out` are kept. Returns an
    Outcome per edition (in publishing order; on_done is called for each); raises SafeguideError if `out` cannot be written."""
    project = Project.at(root)
    shards = _read(project.root, folders)
    target = _check_output(project.root, shards, out)
    first = shards[0].record
    plans = {pid: Plan([Job(pid, release) for release in p["jobs"]], list(p["warnings"]), None, str(p["name"]), p["description"], p["draft"])
             for pid, p in first["partnerships"].items()}
    run = Run(project, list(first["known"]), first["ids"], plans, target, None, dt.date.fromisoformat(first["date"]))
    for p in plans.values():
        for warning in p.warnings:
            on_warning(warning)
    made = {(e["partnership"], e["release"]): (shard, e) for shard in shards for e in shard.record["built"]}

    def editions(jobs: list[Job], staging: Path) -> list[Outcome]:
        outcomes = []
        for job in jobs:
            shard, built = made[(job.partnership, job.release)]
            version = str(built["info"]["version"])
            copy_linked(shard.folder / job.partnership / version, staging / job.partnership / version, symlinks=True)
            outcomes.append(Outcome(job.partnership, ok=True, warnings=list(built["warnings"]), info=built["info"], version=job.release))
            on_done(outcomes[-1])
        return outcomes

    return publish_staged(run, on_wait, lambda staging: stage_site(run, staging, editions))


# --- what makes the shards of one run -----------------------------------------------------------------------------------


def _keys(run: Run) -> dict[Job, str]:
    return {job: edition_cache.edition_key(run.project.root, job.partnership, job.release, run.today) for job in run.jobs}


def _inputs(run: Run, keys: dict[Job, str], shards: dict[Job, int]) -> dict[str, Any]:
    """Everything of the run that the shards of one run share (shard.json but format, shard, of, inputs and built)."""
    return {
        "date": run.today.isoformat(),
        "site": edition_cache.site_digest(run.project.root),
        "ids": sorted(run.ids) if run.ids else None,
        "known": run.known,
        "partnerships": {pid: {"name": p.name, "description": p.description, "draft": p.draft, "warnings": p.warnings, "jobs": [j.release for j in p.jobs]} for pid, p in sorted(run.plans.items())},
        "editions": [{"partnership": j.partnership, "release": j.release, "key": keys[j], "shard": shards[j]} for j in in_order(run.plans)],
    }


def _fingerprint(inputs: dict[str, Any]) -> str:
    """The run's inputs as one hex digest, independent of the number of shards (so `safeguide plan` gives it too)."""
    editions = [{k: v for k, v in e.items() if k != "shard"} for e in inputs["editions"]]
    return hashlib.sha256(json.dumps({**inputs, "editions": editions}, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


_HOW_TO_BUILD = "Build every shard of one run from the same commit, on the same day: safeguide build --shard K/N --out DIR, for K = 1 to N."


def _read(root: Path, folders: list[Path]) -> list[Shard]:
    """The shards in `folders`, once they make one whole run; raises SafeguideError naming every problem otherwise."""
    problems: list[Problem] = []
    shards: list[Shard] = []
    for given in folders:
        shown = display_path(given, root)
        folder = given.resolve()
        try:
            record = json.loads((folder / SHARD).read_text(encoding="utf-8"))
            if not isinstance(record, dict) or record.get("format") != FORMAT:
                raise ValueError(f"its {SHARD} is not one this safeguide reads (format {record.get('format') if isinstance(record, dict) else '?'})")
            if not 1 <= int(record["shard"]) <= int(record["of"]):
                raise ValueError(f"it says it is shard {record['shard']} of {record['of']}")
            for key in ("inputs", "site", "date", "known", "partnerships", "editions", "built"):
                record[key]  # present, or KeyError
        except FileNotFoundError:
            what = "this folder does not exist" if not folder.exists() else f"this folder is not a shard: it has no {SHARD}"
            problems.append(Problem(shown, f"{what}.", "Give the folders that `safeguide build --shard K/N --out DIR` wrote, one per shard."))
            continue
        except (OSError, ValueError, KeyError, TypeError) as e:
            problems.append(Problem(shown, f"this shard cannot be read: {e}.", f"Build this shard again with safeguide build --shard K/N --out {shown}."))
            continue
        shards.append(Shard(folder, shown, record))
    if problems:
        raise SafeguideError(problems)
    if not shards:
        raise SafeguideError(Problem("safeguide merge", "no shard folders were given.", "Name every shard folder: safeguide merge shards/1 shards/2 shards/3 --out site"))
    first = shards[0]
    for shard in shards[1:]:
        problems += _differs(shard, first)
    if problems:
        raise SafeguideError(problems)
    seen: dict[int, Shard] = {}
    for shard in shards:
        if shard.index in seen:
            again = "the same folder, given twice" if seen[shard.index].folder == shard.folder else f"{seen[shard.index].shown} is shard {shard.index} too"
            problems.append(Problem(shard.shown, f"this is shard {shard.index} of {shard.count} again: {again}.", "Give each shard once."))
        seen.setdefault(shard.index, shard)
    missing = [k for k in range(1, first.count + 1) if k not in seen]
    if missing:
        named = ", ".join(f"{k}/{first.count}" for k in missing)
        problems.append(Problem(
            "safeguide merge", f"shard{'s' if len(missing) > 1 else ''} {named} {'are' if len(missing) > 1 else 'is'} missing: a site needs all {first.count} shards of the run.",
            f"Add the folder{'s' if len(missing) > 1 else ''} that `safeguide build --shard {missing[0]}/{first.count}`{' (and the others)' if len(missing) > 1 else ''} wrote to the command, or build {'them' if len(missing) > 1 else 'it'} first.",
        ))
    for shard in seen.values():
        problems += _incomplete(shard)
    if problems:
        raise SafeguideError(problems)
    here = edition_cache.site_digest(root)
    if first.record["site"] != here:
        raise SafeguideError(Problem(
            first.shown, "the shards were built by another safeguide, Python or library version, or with another mkdocs.yml, overrides/ or hooks/, than this merge runs with, so its pages would not match a single build.",
            "Run the merge from the same commit, with the same Python and requirements as the shards were built with.",
        ))
    return sorted(seen.values(), key=lambda s: s.index)


def _differs(shard: Shard, first: Shard) -> list[Problem]:
    """Why `shard` is not of the same run as `first` (the first difference only), or []."""
    a, b = shard.record, first.record
    if shard.count != first.count:
        return [Problem(shard.shown, f"this is shard {shard.index} of {shard.count}, but {first.shown} is shard {first.index} of {first.count}: they are of different runs.", f"Merge the shards of one run only, all built with the same N. {_HOW_TO_BUILD}")]
    if a["site"] != b["site"]:
        return [Problem(shard.shown, f"this shard was built by another safeguide, Python or library version, or with another mkdocs.yml, overrides/ or hooks/, than {first.shown}.", _HOW_TO_BUILD)]
    if a["date"] != b["date"]:
        return [Problem(shard.shown, f"this shard was built for {a['date']}, {first.shown} for {b['date']}; pages say the day they were built, so they would not match.", f"{_HOW_TO_BUILD} (In CI, set SOURCE_DATE_EPOCH to the commit's time so that every runner builds for the same day.)")]
    if a["inputs"] != b["inputs"]:
        return [Problem(shard.shown, f"this shard was built from other inputs than {first.shown} (other partnerships named, or other pages, settings or releases).", _HOW_TO_BUILD)]
    return []


def _incomplete(shard: Shard) -> list[Problem]:
    """A shard whose editions are not all there: those it was given (shard.json's editions) against those it built."""
    expected = [(e["partnership"], e["release"]) for e in shard.record["editions"] if e["shard"] == shard.index]
    built = [(e["partnership"], e["release"]) for e in shard.record["built"]]
    absent = [f"{b['partnership']}/{b['info']['version']}/" for b in shard.record["built"] if not (shard.folder / b["partnership"] / str(b["info"]["version"])).is_dir()]
    if built != expected or absent:
        what = f"it lacks {', '.join(absent)}" if absent else "its list of built editions does not match its share"
        return [Problem(shard.shown, f"this shard is incomplete: {what}.", f"Build shard {shard.index}/{shard.count} again into a new folder, then merge.")]
    return []


def _check_output(root: Path, shards: list[Shard], out: Path) -> Path:
    """The merge's output, resolved and checked: never a shard folder, inside one, or holding one; then check_output."""
    target = Path(out).absolute().resolve()
    shown = display_path(target, root)
    for shard in shards:
        if target == shard.folder or target.is_relative_to(shard.folder) or shard.folder.is_relative_to(target):
            relation = "is" if target == shard.folder else "is inside" if target.is_relative_to(shard.folder) else "holds"
            raise SafeguideError(Problem(
                f"--out {shown}", f"this folder {relation} the shard {shard.shown}. Publishing there would replace the shard while it is read.",
                "Publish the merged site to a folder of its own, for example --out site (the default), with the shards elsewhere.",
            ))
    if (target / SHARD).is_file():
        raise SafeguideError(Problem(f"--out {shown}", "this folder is a shard, not a site.", "Publish the merged site to a folder of its own, for example --out site (the default)."))
    return check_output(root, target)

