"""Shard across machines (issue 16, point 5): `safeguide build --shard K/N` builds a share of the editions into a
folder of its own, `safeguide merge` publishes the shards as one site, byte for byte the site a single build
writes, and `safeguide plan` lists the editions with their keys and whether the cache holds them.

One run of builds serves the file (module fixture): riverside (five releases) and eastmoor (a release and a draft,
with its offline copy, so that is compared too), built once as a single build without the cache and once
as three shards started at the same time, as on three CI runners, sharing one fresh cache.
"""

from __future__ import annotations

import json
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project, safeguide
from tests.test_edition_cache import same_tree
from tests.test_publishing import start, strays, tree_digest, wait_for

WANTED = ("riverside", "eastmoor")


@dataclass
class Run:
    project: Path
    cache: Path  # SAFEGUIDE_CACHE of the shards
    single: Path  # `safeguide build riverside eastmoor --no-cache`
    shards: list[Path]  # shards/1 … shards/3
    site: Path  # the project's site/: the three shards merged
    before: dict  # type: ignore[type-arg]  # `safeguide plan --format json --shards 3` before any build
    after: dict  # type: ignore[type-arg]  # the same after the shards were built
    shard_output: list[str]
    merge_output: str


def plan_json(project: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = safeguide("plan", *WANTED, "--format", "json", *args, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("shards")
    env = {"SAFEGUIDE_CACHE": str(base / "cache")}  # fresh: every edition is built once, by the shard it falls in
    project = copy_project(base / "project", releases=True)
    eastmoor = project / "partnerships" / "eastmoor" / "partnership.yml"
    # The offline copy on (a download made by a second build of each edition); the PDF off, for time: it is a file like
    # any other here, and test_whole_guidance shows a rebuilt PDF is the same.
    eastmoor.write_text((ROOT / "partnerships" / "eastmoor" / "partnership.yml").read_text(encoding="utf-8") + "\nreader:\n  pdf: false\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SAFEGUIDE_CACHE", env["SAFEGUIDE_CACHE"])
        before = plan_json(project, "--shards", "3")
        single = safeguide("build", *WANTED, "--out", str(base / "single"), "--no-cache", cwd=project)
        assert single.returncode == 0, single.stdout + single.stderr
        # Named in another order than the single build: the share must not depend on it.
        builds = [start("build", *reversed(WANTED), "--shard", f"{k}/3", "--out", f"../shards/{k}", "--jobs", "1", cwd=project, env_extra=env) for k in (1, 2, 3)]
        outputs = []
        for process in builds:
            stdout, stderr = process.communicate(timeout=600)
            assert process.returncode == 0, stdout + stderr
            outputs.append(stdout)
        after = plan_json(project, "--shards", "3")
        merged = safeguide("merge", "../shards/1", "../shards/2", "../shards/3", cwd=project)  # --out: site/ by default
        assert merged.returncode == 0, merged.stdout + merged.stderr
    return Run(project, base / "cache", base / "single", [base / "shards" / str(k) for k in (1, 2, 3)], project / "site", before, after, outputs, merged.stdout)


def test_merging_three_shards_gives_the_single_build_byte_for_byte(run: Run) -> None:
    assert same_tree(run.single, run.site) == [], "every path, hidden files included, and every byte"
    assert tree_digest(run.single) == tree_digest(run.site)
    assert (run.site / "eastmoor" / "4.0" / "eastmoor-guidance-4.0-offline.zip").is_file(), "the comparison covers the downloads"
    assert "Merged 3 shards: published 7 editions of 2 partnerships" in run.merge_output
    assert strays(run.project) == [] and not (run.project / ".site.lock").exists()


def test_each_shard_builds_its_share_only_and_holds_no_site_pages(run: Run) -> None:
    shares = [[(e["partnership"], e["version"]) for e in run.before["editions"] if e["shard"] == k] for k in (1, 2, 3)]
    assert sorted(len(s) for s in shares) == [2, 2, 3], "balanced: at most one edition apart"
    for shard, share, output in zip(run.shards, shares, run.shard_output, strict=True):
        record = json.loads((shard / "shard.json").read_text(encoding="utf-8"))
        assert [(b["partnership"], b["info"]["version"]) for b in record["built"]] == share
        assert sorted(p.relative_to(shard).as_posix() for p in shard.glob("*/*")) == sorted(f"{pid}/{v}" for pid, v in share)
        assert not (shard / "index.html").exists() and not list(shard.glob("*/versions.json")), "the site's own pages are merge's"
        assert "from the cache" not in output, "each edition built once, by its own shard"
        assert record["inputs"] == run.before["inputs"] == run.after["inputs"]


def test_plan_lists_every_edition_with_its_key_its_shard_and_whether_the_cache_holds_it(run: Run) -> None:
    editions = run.before["editions"]
    assert [(e["partnership"], e["version"], e["draft"]) for e in editions] == [
        ("eastmoor", "4.0", False), ("eastmoor", "5.0", True),
        ("riverside", "1.0", False), ("riverside", "2.0", False), ("riverside", "3.0", False), ("riverside", "3.1", False), ("riverside", "3.2", False),
    ]
    assert [e["shard"] for e in editions] == [1, 2, 3, 1, 2, 3, 1], "round robin over the editions in order of partnership id"
    assert all(len(e["key"]) == 64 for e in editions) and len({e["key"] for e in editions}) == 7
    assert not any(e["cached"] for e in editions)
    assert all(e["cached"] for e in run.after["editions"]), "the shards stored what they built"
    assert [e["key"] for e in run.after["editions"]] == [e["key"] for e in editions]
    assert [s["shard"] for s in run.before["shards"]] == [1, 2, 3] and sum(s["editions"] for s in run.before["shards"]) == 7
    keys = {(e["partnership"], e["release"]): e["key"] for shard in run.shards for e in json.loads((shard / "shard.json").read_text(encoding="utf-8"))["editions"]}
    assert keys == {(e["partnership"], None if e["draft"] else e["version"]): e["key"] for e in editions}


def test_plan_in_words_builds_nothing(run: Run, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = safeguide("plan", "riverside", "--shards", "2", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "riverside 3.2 (draft)" in result.stdout and "to build" in result.stdout and "shard 1/2" in result.stdout
    assert "1 edition for " in result.stdout and "0 in the cache, 1 to build." in result.stdout
    assert not (project / "site").exists()
    assert not list((project / ".safeguide-cache").glob("editions/*")), "plan builds nothing"


@pytest.mark.parametrize(("value", "says"), [
    ("0/3", "shards are numbered 1 to 3"),
    ("4/3", "shards are numbered 1 to 3"),
    ("x", "'x' is not K/N"),
    ("1/0", "the number of shards (N) must be at least 1"),
])
def test_a_bad_shard_is_refused_by_the_command_line(run: Run, value: str, says: str) -> None:
    result = safeguide("build", "--shard", value, "--out", "../elsewhere", cwd=run.project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Invalid value for '--shard'" in result.stderr and says in result.stderr
    assert "Traceback" not in result.stderr


def test_a_shard_needs_an_output_of_its_own_never_the_site(run: Run) -> None:
    before = tree_digest(run.site)
    without = safeguide("build", "--shard", "1/3", cwd=run.project)
    assert without.returncode == 2 and "--shard needs --out" in without.stderr
    into_site = safeguide("build", *WANTED, "--shard", "1/3", "--out", "site", cwd=run.project)
    assert into_site.returncode == 1 and "--out site: this is where a site is published; a shard goes to a folder of its own" in into_site.stderr
    onto_shard = safeguide("merge", "../shards/1", "../shards/2", "../shards/3", "--out", "../shards/2", cwd=run.project)
    assert onto_shard.returncode == 1 and "this folder is the shard ../shards/2" in onto_shard.stderr, onto_shard.stderr
    assert tree_digest(run.site) == before


@pytest.fixture
def odd_shards(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Shard folders that do not make one run: a 2-shard run's first shard (from the shards' cache: no building), and
    a copy of shard 3 that says it was built from other inputs."""
    monkeypatch.setenv("SAFEGUIDE_CACHE", str(run.cache))
    result = safeguide("build", *WANTED, "--shard", "1/2", "--out", str(tmp_path / "of-two"), cwd=run.project)
    assert result.returncode == 0 and result.stdout.count("from the cache") == 4, result.stdout + result.stderr
    shutil.copytree(run.shards[2], tmp_path / "other")
    record = json.loads((tmp_path / "other" / "shard.json").read_text(encoding="utf-8"))
    (tmp_path / "other" / "shard.json").write_text(json.dumps({**record, "inputs": "0" * 64}), encoding="utf-8")
    (tmp_path / "not-a-shard").mkdir()
    return tmp_path


MERGE_ERRORS = {
    # the folders given (relative to the project), and what the message must say
    "a shard missing": (["../shards/1", "../shards/3"], ["safeguide merge: shard 2/3 is missing: a site needs all 3 shards of the run.", "How to fix: Add the folder that `safeguide build --shard 2/3` wrote"]),
    "two missing": (["../shards/2"], ["shards 1/3, 3/3 are missing"]),
    "a shard twice": (["../shards/1", "../shards/2", "../shards/3", "../shards/2"], ["../shards/2: this is shard 2 of 3 again: the same folder, given twice.", "How to fix: Give each shard once."]),
    "shards of different N": (["../shards/1", "../shards/2", "../shards/3", "{odd}/of-two"], ["of-two: this is shard 1 of 2, but ../shards/1 is shard 1 of 3: they are of different runs.", "all built with the same N"]),
    "other inputs": (["../shards/1", "../shards/2", "{odd}/other"], ["other: this shard was built from other inputs than ../shards/1", "from the same commit, on the same day"]),
    "not a shard": (["../shards/1", "../shards/2", "../shards/3", "{odd}/not-a-shard"], ["not-a-shard: this folder is not a shard: it has no shard.json.", "Give the folders that `safeguide build --shard K/N --out DIR` wrote"]),
    "no such folder": (["../shards/1", "../shards/9"], ["../shards/9: this folder does not exist."]),
}


@pytest.mark.parametrize("case", list(MERGE_ERRORS))
def test_shards_that_do_not_make_one_run_are_refused_and_the_site_is_untouched(run: Run, odd_shards: Path, case: str) -> None:
    folders, messages = MERGE_ERRORS[case]
    before = tree_digest(run.site)
    result = safeguide("merge", *(f.format(odd=odd_shards) for f in folders), cwd=run.project)
    assert result.returncode == 1, result.stdout + result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(run.site) == before and strays(run.project) == []


def test_a_shard_missing_an_edition_is_refused(run: Run, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(run.shards[0], broken)
    shutil.rmtree(broken / "riverside" / "2.0")
    result = safeguide("merge", str(broken), "../shards/2", "../shards/3", "--out", str(tmp_path / "site"), cwd=run.project)
    assert result.returncode == 1
    assert "broken: this shard is incomplete: it lacks riverside/2.0/." in result.stderr and "How to fix: Build shard 1/3 again" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_stopped_merge_leaves_the_published_site_untouched(run: Run) -> None:
    before = tree_digest(run.site)
    process = start("merge", "../shards/1", "../shards/2", "../shards/3", cwd=run.project, env_extra={"SAFEGUIDE_TEST_PAUSE_BEFORE_SWAP": "30"})
    wait_for(lambda: any((run.project / s / ".safeguide-output").is_file() for s in strays(run.project)), process)  # whole, about to be swapped in
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stdout + stderr
    assert "Stopped. Nothing was published." in stderr and "Traceback" not in stderr
    assert tree_digest(run.site) == before and strays(run.project) == []


def test_the_share_does_not_depend_on_how_partnerships_are_named() -> None:
    from safeguide.site.publish import Job, Plan
    from safeguide.site.shards import assign

    plans = {"b": Plan([Job("b", "1"), Job("b", None)]), "a": Plan([Job("a", "1"), Job("a", "2"), Job("a", "3")])}
    shares = assign(plans, 2)
    assert shares == assign(dict(reversed(plans.items())), 2)
    assert [shares[j] for j in (Job("a", "1"), Job("a", "2"), Job("a", "3"), Job("b", "1"), Job("b", None))] == [1, 2, 1, 2, 1]
    assert set(assign(plans, 9).values()) == {1, 2, 3, 4, 5}, "more shards than editions: the last shards are empty"
