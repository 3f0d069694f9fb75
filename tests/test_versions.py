"""Releases, drafts, version history, "What changed" and the review report, as users see them."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
import yaml

from safeguide.core.changes import blocks_of, compare_blocks, word_diff
from safeguide.core.review import shipped_rules, superseded
from tests.conftest import ROOT, copy_project, demo_ids, safeguide

IDS = demo_ids()


def releases(pid: str, root: Path = ROOT) -> list[dict]:
    found = [yaml.safe_load(p.read_text()) for p in (root / "partnerships" / pid / "releases").glob("*/release.yml")]
    return sorted(found, key=lambda r: r["date"])


# The footer's downloads: a build with PDFs and offline copies turned off (copy_project's default) leaves them out.
DOWNLOADS = re.compile(r'\s*<p class="sg-(downloads|offline-link)">.*?</p>', re.S)


def html_pages(folder: Path) -> dict[str, str]:
    """Every HTML file of a version, without the footer's download links (a reader setting, not the text)."""
    return {p.relative_to(folder).as_posix(): " ".join(DOWNLOADS.sub("", p.read_text(encoding="utf-8")).split()) for p in sorted(folder.rglob("*.html"))}


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def article(html: str) -> str:
    return re.search(r"<article\b.*?</article>", html, re.S).group(0)


# --- the demo ------------------------------------------------------------------------------------


def test_riverside_has_three_or_more_releases_and_each_partnership_one_latest(demo_site: Path) -> None:
    assert len(releases("riverside")) >= 3
    for pid in IDS:
        versions = json.loads((demo_site / pid / "versions.json").read_text())
        assert [v["version"] for v in versions if "latest" in v["aliases"]] == [releases(pid)[-1]["version"]]


def test_every_older_release_sends_readers_to_the_same_page_in_the_latest(demo_site: Path) -> None:
    checked = 0
    for pid in IDS:
        *older, latest = [r["version"] for r in releases(pid)]
        for version in older:
            folder = demo_site / pid / version
            for name, html in html_pages(folder).items():
                if name.startswith("search/") or name == "404.html":
                    continue
                banner = re.search(r'<p class="sg-edition sg-edition--outdated"[^>]*>(.*?)</p>', html, re.S)
                assert banner, f"{pid} {version} {name}: no banner"
                assert f"replaced by version {latest}" in text(banner.group(1))
                href = re.search(r'<a href="([^"]+)"', banner.group(1)).group(1)
                target = (folder / name).parent / href
                target = target / "index.html" if href.endswith("/") else target
                assert target.resolve().is_file(), f"{pid} {version} {name}: banner link {href} leads nowhere"
                assert target.resolve().is_relative_to((demo_site / pid / latest).resolve())
                if name != "index.html" and (demo_site / pid / latest / name).is_file():
                    assert target.resolve() == (demo_site / pid / latest / name).resolve(), "not the same page in the latest"
                checked += 1
        for name, html in html_pages(demo_site / pid / latest).items():
            assert "sg-edition--outdated" not in html, f"{pid} {latest} {name}: the current version carries a replaced banner"
    assert checked > 30


def test_every_version_has_a_history_of_every_release_with_approver_and_review_date(demo_site: Path) -> None:
    for pid in IDS:
        for folder in (p for p in (demo_site / pid).iterdir() if p.is_dir()):
            history = text(article((folder / "version-history" / "index.html").read_text()))
            for r in releases(pid):
                assert f"Version {r['version']}" in history, (pid, folder.name)
                assert r["approved_by"] in history
                due = r["review_due"] if isinstance(r["review_due"], str) else r["review_due"].isoformat()
                assert f'datetime="{due}"' in (folder / "version-history" / "index.html").read_text()


def test_what_changed_marks_insertions_and_deletions_word_by_word(demo_site: Path) -> None:
    versions = [r["version"] for r in releases("riverside")]
    first = text(article((demo_site / "riverside" / versions[0] / "what-changed" / "index.html").read_text()))
    assert "This is the first version" in first
    for previous, version in itertools.pairwise(versions):
        html = article((demo_site / "riverside" / version / "what-changed" / "index.html").read_text())
        assert f"Compared with version {previous}" in text(html)
        assert re.search(r"<ins>[^<]+</ins>", html) and re.search(r"<del>[^<]+</del>", html), version
    later = article((demo_site / "riverside" / "3.0" / "what-changed" / "index.html").read_text())
    assert "Working Together to Safeguard Children <del>2018" in later or re.search(r"<del>[^<]*2018[^<]*</del>\s*<ins>[^<]*2023", later)


def test_a_draft_is_noindex_bannered_and_hidden_from_the_selector(demo_site: Path) -> None:
    draft = yaml.safe_load((ROOT / "partnerships" / "eastmoor" / "partnership.yml").read_text())["version"]
    assert draft not in [r["version"] for r in releases("eastmoor")]
    versions = json.loads((demo_site / "eastmoor" / "versions.json").read_text())
    entry = next(v for v in versions if v["version"] == draft)
    assert entry["properties"] == {"hidden": True} and entry["aliases"] == []
    for name, html in html_pages(demo_site / "eastmoor" / draft).items():
        if name.startswith("search/") or name == "404.html":
            continue
        assert '<meta name="robots" content="noindex">' in html, name
        assert "sg-edition--draft" in html, name
    report = text(article((demo_site / "eastmoor" / draft / "review-report" / "index.html").read_text()))
    assert "Review date" in report and "was due on 2019-04-03" in report
    assert "Data Protection Act 1998" in report and "Working Together to Safeguard Children 2015" in report
    for pid in IDS:
        for r in releases(pid):
            home = (demo_site / pid / r["version"] / "index.html").read_text()
            assert "noindex" not in home and not (demo_site / pid / r["version"] / "review-report").exists()


# --- releases are immutable; drafts become releases ----------------------------------------------


def test_edits_to_the_baseline_never_change_a_release_and_show_in_the_new_draft(tmp_path: Path, demo_site: Path) -> None:
    project = copy_project(tmp_path / "project", releases=True)
    site = tmp_path / "site"
    shutil.copytree(demo_site, site, symlinks=True)  # the session's demo build is this project's build, unchanged
    # Kingsport (whose next version is drafted here) and Riverside (five releases): all four would double the build.
    rebuilt = ("kingsport", "riverside")
    before = {pid: {r["version"]: html_pages(site / pid / r["version"]) for r in releases(pid, project)} for pid in rebuilt}

    for page in (project / "docs").rglob("*.md"):
        page.write_text(page.read_text() + "\nA sentence added to the baseline after every release.\n")
    config = project / "partnerships" / "kingsport" / "partnership.yml"
    config.write_text(re.sub(r'^version: .*$', 'version: "2027.1"', config.read_text(), flags=re.M))
    result = safeguide("build", *rebuilt, "--out", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "already released, but its text has changed" in result.stderr  # riverside, whose version is released, is told
    checked = safeguide("check", "riverside", cwd=project)  # check warns as build does (a new user's trial: it did not)
    assert checked.returncode == 0 and "riverside: version 3.2 is already released, but its text has changed" in checked.stderr, checked.stderr

    for pid, versions in before.items():
        for version, pages in versions.items():
            assert html_pages(site / pid / version) == pages, f"released {pid} {version} changed"
    draft = site / "kingsport" / "2027.1"
    assert "A sentence added to the baseline after every release." in (draft / "law" / "index.html").read_text()
    assert '<meta name="robots" content="noindex">' in (draft / "law" / "index.html").read_text()
    versions = json.loads((site / "kingsport" / "versions.json").read_text())
    assert versions[0]["aliases"] == ["latest"] and versions[0]["version"] != "2027.1"
    assert next(v for v in versions if v["version"] == "2027.1")["properties"] == {"hidden": True}
    assert 'url=2027.1/' not in (site / "kingsport" / "index.html").read_text()

    result = safeguide("release", "kingsport", "2027.1", "--approved-by", "Kingsport Test Board", "--date", "2027-01-10", "--summary", "Added a sentence.", cwd=project)
    assert result.returncode == 0, result.stderr
    assert safeguide("build", "kingsport", "--out", str(site), cwd=project).returncode == 0
    versions = json.loads((site / "kingsport" / "versions.json").read_text())
    assert versions[0] == {"version": "2027.1", "title": "2027.1", "aliases": ["latest"]}
    assert 'url=2027.1/' in (site / "kingsport" / "index.html").read_text()
    law = (site / "kingsport" / "2027.1" / "law" / "index.html").read_text()
    assert "noindex" not in law and "sg-edition" not in law
    history = text(article((site / "kingsport" / "2027.1" / "version-history" / "index.html").read_text()))
    assert "Version 2027.1 (current, you are reading this version)" in history and "Kingsport Test Board" in history
    changes = article((site / "kingsport" / "2027.1" / "what-changed" / "index.html").read_text())
    assert "<ins>A sentence added to the baseline after every release.</ins>" in changes
    old = (site / "kingsport" / versions[1]["version"] / "law" / "index.html").read_text()
    assert "replaced by version 2027.1" in text(old)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["riverside", "3.2", "--approved-by", "X"], "version 3.2 is already released, and a release never changes"),
        (["riverside", "3.3", "--approved-by", "X"], "the working copy is version 3.2, not 3.3"),
        (["eastmoor", "5.0", "--approved-by", "X", "--date", "2027-01-01", "--review-due", "2026-01-01"], "is not after the release date"),
        (["eastmoor", "5.0", "--approved-by", "X", "--date", "1 Jan 2027"], "'1 Jan 2027' does not match the format"),
        (["eastmoor", "5.0", "--approved-by", "X", "--date", "2016-01-01"], "is before the last release"),
    ],
)
def test_a_release_that_cannot_be_made_says_why_and_writes_nothing(tmp_path: Path, args: list[str], says: str) -> None:
    project = copy_project(tmp_path / "project", releases=True)
    before = sorted(p.name for p in (project / "partnerships" / args[0] / "releases").iterdir())
    result = safeguide("release", *args, cwd=project)
    assert result.returncode != 0
    assert says in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (project / "partnerships" / args[0] / "releases").iterdir()) == before


def test_an_edited_release_file_is_reported_by_name(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", releases=True)
    entry = project / "partnerships" / "riverside" / "releases" / "2.0" / "release.yml"
    entry.write_text(entry.read_text().replace("review_due:", "reveiw_due:"))
    result = safeguide("build", "riverside", "--out", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "partnerships/riverside/releases/2.0/release.yml" in result.stderr and "reveiw_due" in result.stderr


# --- the review report ---------------------------------------------------------------------------


def test_review_reports_superseded_law_bodies_and_a_passed_review_date(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", releases=True)
    local = project / "partnerships" / "eastmoor" / "docs" / "health-partners.md"
    local.write_text(
        "---\nreviewed: 2026-11-01\n---\n\n# Health partners\n\n"
        "We share health information as the Data Protection Act 1998 allows.\n\n"
        "Ask the Eastmoor Clinical Commissioning Group for its safeguarding lead.\n"
    )
    result = safeguide("review", "eastmoor", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)["partnerships"][0]
    findings = report["findings"]
    shown = "partnerships/eastmoor/docs/health-partners.md"
    dpa = [f for f in findings if f.get("file") == shown and f["found"] == "Data Protection Act 1998"]
    ccg = [f for f in findings if f.get("file") == shown and f["found"] == "Clinical Commissioning Group"]
    assert dpa and dpa[0]["line"] == 7 and "Data Protection Act 2018" in dpa[0]["replacement"] and "UK GDPR" in dpa[0]["replacement"]
    assert ccg and ccg[0]["line"] == 9 and "Integrated Care Board" in ccg[0]["replacement"]
    overdue = [f for f in findings if f["kind"] == "review-date"]
    assert overdue and "was due on 2019-04-03" in overdue[0]["message"]
    assert overdue[0]["file"] == "partnerships/eastmoor/releases/4.0/release.yml"

    strict = safeguide("review", "eastmoor", "--strict", cwd=project)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert "health-partners.md, line 7" in strict.stdout and "Integrated Care Board" in strict.stdout


def test_review_of_a_partnership_in_good_order_passes_strict(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", releases=True)
    result = safeguide("review", "riverside", "kingsport", "--strict", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("Nothing needs attention.") == 2


def test_review_flags_due_soon_unreleased_edits_local_rules_and_drift(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", releases=True)
    (project / "docs" / "about.md").write_text((project / "docs" / "about.md").read_text() + "\nA national change.\n")
    config = project / "partnerships" / "riverside" / "partnership.yml"
    config.write_text(config.read_text() + "superseded:\n  - name: Riverside Children's Services Department\n    now: Riverside Children's Advice Hub\n")
    (project / "partnerships" / "riverside" / "docs" / "local-arrangements.md").write_text(
        (project / "partnerships" / "riverside" / "docs" / "local-arrangements.md").read_text() + "\nCall the Riverside Children's Services Department.\n"
    )
    result = safeguide("review", "riverside", "--format", "json", "--as-of", "2027-10-01", cwd=project)
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["partnerships"][0]["findings"]
    kinds = {f["kind"] for f in findings}
    assert kinds >= {"review-date", "superseded", "baseline-changed", "unreleased"}, findings
    assert any("is due on 2027-11-30, in 60 days" in f["message"] for f in findings)
    assert any(f.get("replacement") == "Riverside Children's Advice Hub" for f in findings)
    assert any(f["kind"] == "baseline-changed" and f["file"] == "partnerships/riverside/docs/about.md" for f in findings)
    assert any(f["kind"] == "unreleased" and "already released" in f["message"] for f in findings)


def test_review_of_an_unknown_partnership_says_so(tmp_path: Path) -> None:
    result = safeguide("review", "nowhere", cwd=copy_project(tmp_path / "project"))
    assert result.returncode != 0 and "there is no partnership 'nowhere'" in result.stderr and "Traceback" not in result.stderr


# --- the pieces ----------------------------------------------------------------------------------


def test_word_diff_marks_only_the_words_that_changed() -> None:
    assert word_diff("Working Together 2018 applies.", "Working Together 2023 applies.") == "Working Together <del>2018</del> <ins>2023</ins> applies."
    assert word_diff("a <b>", "a <b> c") == "a &lt;b&gt; <ins>c</ins>"


def test_word_diff_marks_a_changed_phone_number_whole() -> None:
    """README: "A number is shown whole". Found by a new user's trial: a page's entry read "0114 496 [-0123] [+0124]"."""
    assert word_diff("Call the hub on 0114 496 0123 (Mon–Fri).", "Call the hub team on 0114 496 0124 (Mon–Fri) now.") == (
        "Call the hub <ins>team</ins> on <del>0114 496 0123</del> <ins>0114 496 0124</ins> (Mon–Fri) <ins>now</ins>."
    )
    assert word_diff("Call 0114 496 0123 or 0114 496 0999.", "Call 0114 496 0124 or 0114 496 0999.") == (
        "Call <del>0114 496 0123</del> <ins>0114 496 0124</ins> or 0114 496 0999."
    ), "the other number, which did not change, stays as it is"
    assert word_diff("From 9 until 5 daily", "From 8 until 5 daily") == "From <del>9</del> <ins>8</ins> until 5 daily"


def test_page_text_leaves_out_permalinks_and_repeated_flow_renderings() -> None:
    html = '<h2 id="x">Rules<a class="headerlink" href="#x">¶</a></h2><p>One <em>two</em></p><div data-search-exclude><p>copy</p></div><ul><li>three</li></ul>'
    assert blocks_of(html) == ["§ Rules", "One two", "three"]
    changes = compare_blocks(blocks_of(html), blocks_of(html.replace("three", "four").replace("<p>One", "<p>New</p><p>One")))
    assert [(c.section, c.html()) for c in changes] == [("Rules", "<ins>New</ins>"), ("Rules", "<del>three</del> <ins>four</ins>")]


def test_a_sentence_that_says_the_law_was_replaced_is_history_not_a_finding() -> None:
    book = shipped_rules()
    texts = {"a.md": "---\nreviewed: 2026-01-01\n---\n\nThe Data Protection Act 1998 was repealed in 2018.\nShare under the Data Protection Act 1998.\n"}
    found = superseded(texts, book.rules, book.history_words)
    assert [(f.line, f.found) for f in found] == [(6, "Data Protection Act 1998")]


def test_a_partnership_rule_with_a_broken_pattern_is_a_clear_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = project / "partnerships" / "riverside" / "partnership.yml"
    config.write_text(config.read_text() + "superseded:\n  - name: Old board\n    pattern: '(Old board'\n    now: New board\n")
    result = safeguide("check", "riverside", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "superseded[1].pattern" in result.stderr and "not a valid pattern" in result.stderr
