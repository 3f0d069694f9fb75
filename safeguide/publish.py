"""Building partnerships into the output folder: parallel, with progress, and all-or-nothing.

Every build writes into a staging folder beside the output; only when all succeed does the staging
folder replace the output, so a failed or interrupted run leaves what was published untouched.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from safeguide.errors import Problem, SafeguideError
from safeguide.variants import Project, load_variant

SITE_INFO = "partnership.json"  # per partnership: what the landing page shows


@dataclass
class Outcome:
    partnership: str
    ok: bool
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    info: dict[str, str | bool | None] = field(default_factory=dict)


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


def build_partnership(root: str, partnership_id: str, out_root: str) -> Outcome:
    """Build one partnership into out_root/<id>/<version>/. Runs in a worker process; never raises."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    started = time.perf_counter()
    outcome = Outcome(partnership_id, ok=False)
    with _captured_mkdocs_log() as log:
        try:
            project = Project.at(Path(root))
            variant = load_variant(project, partnership_id)  # fail fast, before MkDocs starts
            version = variant.partnership.version
            config = load_config(str(project.root / "mkdocs.yml"), strict=True)
            config.extra["safeguide"] = {**(config.extra.get("safeguide") or {}), "partnership": partnership_id}
            config.extra["version"] = {"provider": "mike", "default": "latest"}
            config.site_dir = str(Path(out_root) / partnership_id / version)
            build(config)
            outcome.ok = True
            outcome.info = _site_info(variant)
        except SafeguideError as e:
            outcome.messages = [str(p) for p in e.problems]
        except (Abort, MkDocsException) as e:
            outcome.messages = _mkdocs_messages(log.records) or [str(e)]
        except Exception as e:  # a bug of ours: say so plainly, without a traceback
            outcome.messages = [f"internal error in safeguide ({type(e).__name__}: {e}). Please report it."]
    outcome.warnings = [r.getMessage() for r in log.records if r.levelno == logging.WARNING]
    outcome.seconds = time.perf_counter() - started
    return outcome


def _mkdocs_messages(records: list[logging.LogRecord]) -> list[str]:
    messages = []
    for r in records:
        text = r.getMessage().strip()
        if text and not text.startswith("Error reading page") and not text.startswith("Error building page"):
            messages.append(text)
    return messages


def _site_info(variant) -> dict[str, str | bool | None]:  # type: ignore[no-untyped-def]
    p = variant.partnership
    logo = f"{p.version}/assets/partnership/logo{Path(p.brand.logo).suffix.lower()}" if p.brand.logo else None
    return {"id": variant.id, "name": p.name, "short_name": p.label, "version": p.version,
            "description": p.description, "example": p.example, "logo": logo}


ProgressCallback = Callable[[Outcome], None]


def run_builds(root: Path, ids: list[str], out_root: Path, jobs: int, on_done: ProgressCallback) -> list[Outcome]:
    """Build each partnership; in worker processes when there is more than one job."""
    outcomes: list[Outcome] = []
    if jobs <= 1 or len(ids) <= 1:
        for pid in ids:
            outcomes.append(build_partnership(str(root), pid, str(out_root)))
            on_done(outcomes[-1])
        return outcomes
    with ProcessPoolExecutor(max_workers=min(jobs, len(ids))) as pool:
        futures = [pool.submit(build_partnership, str(root), pid, str(out_root)) for pid in ids]
        for future in as_completed(futures):
            outcomes.append(future.result())
            on_done(outcomes[-1])
    return sorted(outcomes, key=lambda o: ids.index(o.partnership))


def publish(root: Path, ids: list[str] | None, out: Path, jobs: int, on_done: ProgressCallback, on_start: Callable[[list[str]], None] = lambda ids: None) -> list[Outcome]:
    """Build into a staging folder, then swap it in only if every build succeeded."""
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

    out = out.resolve()
    staging = out.with_name(f".{out.name}.staging-{uuid.uuid4().hex[:8]}")
    try:
        if ids and out.is_dir():
            _copy_tree(out, staging)  # keep the partnerships not rebuilt this time
        staging.mkdir(parents=True, exist_ok=True)
        for pid in wanted:
            shutil.rmtree(staging / pid, ignore_errors=True)
        on_start(wanted)
        outcomes = run_builds(project.root, wanted, staging, jobs, on_done)
        if not all(o.ok for o in outcomes):
            return outcomes
        for o in outcomes:
            _write_partnership_index(staging / o.partnership, o.info)
        _write_landing(staging, known)
        _swap_in(staging, out)
        return outcomes
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _copy_tree(source: Path, target: Path) -> None:
    """Hard links where possible: fast, and nothing here is ever rewritten in place."""
    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link, symlinks=True)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _write_partnership_index(folder: Path, info: dict[str, str | bool | None]) -> None:
    version = str(info["version"])
    versions = [{"version": version, "title": version, "aliases": ["latest"]}]
    _write_atomic(folder / "versions.json", json.dumps(versions, indent=2) + "\n")
    _write_atomic(folder / SITE_INFO, json.dumps(info, indent=2) + "\n")
    _write_atomic(folder / "index.html", _redirect_page(f"{version}/", str(info["name"])))


def _redirect_page(target: str, name: str) -> str:
    t, n = escape(target), escape(name)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{n}: current guidance</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={t}">
<link rel="canonical" href="{t}">
<script>location.replace("{t}" + location.hash)</script>
</head>
<body>
<main><p>The current guidance of {n} is at <a href="{t}">{t}</a>.</p></main>
</body>
</html>
"""


def _write_landing(staging: Path, known: list[str]) -> None:
    from safeguide.landing import landing_page

    infos = []
    for pid in known:
        path = staging / pid / SITE_INFO
        if path.is_file():
            infos.append(json.loads(path.read_text(encoding="utf-8")))
    _write_atomic(staging / "index.html", landing_page(infos))


def _swap_in(staging: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
    if out.exists():
        os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)
