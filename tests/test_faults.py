"""A build killed with SIGKILL at any moment leaves the output complete, old or new, and the next build
leaves nothing beside it (issue 11, item 12; cases F02–F06)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

from tests.test_publishing import (
    MARKER,
    start,
    strays,
    tree_digest,
    two_partnerships,
    wait_for,
)

SEED = 11  # the kill moments are random, and the same on every run
NEW_VERSIONS = {"kingsport": "2026.9", "riverside": "3.9"}


def new_versions(project: Path) -> None:
    """Give both partnerships a new version number: the new site differs from the old in every page."""
    for pid, version in NEW_VERSIONS.items():
        path = project / "partnerships" / pid / "partnership.yml"
        lines = [f'version: "{version}"' if line.startswith("version:") else line for line in path.read_text().splitlines()]
        path.write_text("\n".join(lines) + "\n")


def killed(process: subprocess.Popen[str]) -> None:
    """SIGKILL the build, as F02–F06 do; its worker processes must end with it (no one else writes on)."""
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    for _ in range(1000):  # a guard: the workers end within moments of the build
        if not in_group(process.pid):
            return
        time.sleep(0.01)
    raise AssertionError(f"worker processes outlived the killed build: {in_group(process.pid)}")


def in_group(group: int) -> list[int]:
    """Live processes of a process group (Linux /proc); the build is started as the leader of its own."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site_and_no_stray(tmp_path: Path) -> None:
    project = two_partnerships(tmp_path / "project")
    site, kept = project / "site", tmp_path / "old-site"

    def build(*args: str, **env: str) -> subprocess.Popen[str]:
        return start("build", "--jobs", "2", *args, cwd=project, start_new_session=True, env_extra=env)

    began = time.monotonic()
    first = build()
    assert first.wait(timeout=300) == 0, first.communicate()
    duration = time.monotonic() - began  # only to spread the kill moments over a build
    shutil.copytree(site, kept)
    old = tree_digest(site)
    new_versions(project)

    def from_old() -> None:
        shutil.rmtree(site)
        shutil.copytree(kept, site)

    rng, seen = random.Random(SEED), []
    for quarter in range(4):  # F02–F04: anywhere in the build, from staging to the swap
        from_old()
        process = build()
        time.sleep(rng.uniform(quarter, quarter + 1) * duration / 4)
        killed(process)
        seen.append(tree_digest(site))  # old or new: the new one is known once a build completes, below

    from_old()  # F05/F06: killed just before the swap: the new site is complete in staging, the old is out
    process = build(SAFEGUIDE_TEST_PAUSE_BEFORE_SWAP="120")
    wait_for(lambda: any((project / s / MARKER).exists() for s in strays(project)), process)
    killed(process)
    assert tree_digest(site) == old
    new = next(tree_digest(project / s) for s in strays(project) if (project / s / MARKER).exists())
    assert new != old and {"kingsport", "riverside", "index.html"} <= {p.split("/")[0] for p in new}
    for quarter, digest in enumerate(seen):
        assert digest in (old, new), f"killed {quarter}/4 into the build: the site is neither old nor new"

    from_old()  # ... and just after it: the new site is out, the old one still beside it
    process = build(SAFEGUIDE_TEST_PAUSE_AFTER_SWAP="120")
    wait_for(lambda: (site / "riverside" / NEW_VERSIONS["riverside"]).is_dir(), process)
    killed(process)
    assert tree_digest(site) == new
    assert any(tree_digest(project / s) == old for s in strays(project)), "the old site is left beside it"

    last = build()  # the lock of a killed build does not block, and every stray goes
    stdout, stderr = last.communicate(timeout=300)
    assert last.returncode == 0, stdout + stderr
    assert "Waiting" not in stderr
    assert strays(project) == [] and not (project / ".site.lock").exists()
    assert tree_digest(site) == new


def test_a_worker_killed_from_outside_ends_the_build_clearly_and_publishes_nothing(tmp_path: Path) -> None:
    """As the system does when memory runs out: one build process is killed, the run is not."""
    project = two_partnerships(tmp_path / "project")
    (project / "site").mkdir()
    process = start("build", "--jobs", "2", cwd=project, start_new_session=True)
    wait_for(lambda: len(in_group(process.pid)) >= 3, process)  # the build and its two workers
    victim = next(pid for pid in in_group(process.pid) if pid != process.pid)
    os.kill(victim, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=120)

    assert process.returncode == 1, stdout + stderr
    assert "a build process ended unexpectedly" in stderr and "How to fix" in stderr
    assert "Traceback" not in stdout + stderr
    assert list((project / "site").iterdir()) == [] and strays(project) == []
