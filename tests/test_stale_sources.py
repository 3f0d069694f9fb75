"""Pages reviewed before a source they follow changed, and references the 2025-2026 law changes made stale.

Issue 13, item 7: each source in docs/_data/sources.yml can say when it last changed (`updated:`) and what
changed (`change:`); `safeguide review` lists every page whose `reviewed:` date is earlier (`source-changed`).
The superseded rules know that Article 6 of the UK GDPR has had seven lawful bases since 5 February 2026.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from safeguide.core.releases import Edition
from safeguide.core.review import findings_for, shipped_rules, superseded
from safeguide.core.variants import Project, load_variant
from safeguide.render.review_page import report_html
from tests.conftest import ROOT, copy_project, safeguide

AS_OF = "2026-11-30"
SOURCES = Path("docs") / "_data" / "sources.yml"
LOCAL = Path("partnerships") / "riverside" / "docs"
CHANGE = "A new edition reworded principle 8 about telling people how their information is used."


def set_source(project: Path, source_id: str, *lines: str) -> None:
    """Give one source in the copy's sources.yml these `updated`/`change` lines, in place of any it has."""
    path = project / SOURCES
    text = path.read_text(encoding="utf-8")
    block = re.search(rf"^{re.escape(source_id)}:\n(?:[ #].*\n|\n)*", text, re.MULTILINE)
    assert block, source_id
    kept = re.sub(r"^  (updated|change):.*\n(?:    .*\n)*", "", block.group(0), flags=re.MULTILINE)
    path.write_text(text[: block.start()] + kept + "".join(f"  {line}\n" for line in lines) + text[block.end() :], encoding="utf-8")


def set_front_matter(page: Path, front: str) -> None:
    """Replace the page's front matter (between its first two --- lines)."""
    text = page.read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    page.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def plant_stale_pages(project: Path) -> None:
    """The Caldicott principles change on 1 October 2026. Stale: the national Caldicott page (reviewed the day
    before) and Riverside's local arrangements (reviewed 14 September). Up to date: Riverside's about page,
    reviewed on the day of the change, and every other page that follows the principles."""
    set_source(project, "caldicott-2020", "updated: 2026-10-01", f"change: {CHANGE}")
    caldicott = project / "docs" / "caldicott.md"
    caldicott.write_text(re.sub(r"^reviewed: .*$", "reviewed: 2026-09-30", caldicott.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    set_front_matter(project / LOCAL / "local-arrangements.md", "reviewed: 2026-09-14\nfollows: [caldicott-2020]\n")
    set_front_matter(project / LOCAL / "about.md", "reviewed: 2026-10-01\nfollows: [caldicott-2020]\n")
    local = project / LOCAL / "local-arrangements.md"
    local.write_text(
        local.read_text(encoding="utf-8")
        + "\nThere are six lawful bases under Article 6 of the UK GDPR.\n"
        + "\nThe Care Act statutory guidance sets out six principles, and we reply within six working days.\n",
        encoding="utf-8",
    )


# --- the finding, through `safeguide review` -----------------------------------------------------------------------


def test_review_lists_pages_reviewed_before_a_source_they_follow_changed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    plant_stale_pages(project)

    result = safeguide("review", "riverside", "--format", "json", "--as-of", AS_OF, cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout)["partnerships"][0]
    assert report["state"] == "draft", report
    stale = [f for f in report["findings"] if f["kind"] == "source-changed" and f["source"] == "caldicott-2020"]
    assert [(f["file"], f["line"], f["reviewed"]) for f in stale] == [
        ("docs/caldicott.md", 2, "2026-09-30"),
        ("partnerships/riverside/docs/local-arrangements.md", 2, "2026-09-14"),
    ], report["findings"]
    for finding in stale:
        assert finding["updated"] == "2026-10-01" and finding["change"] == CHANGE
        assert "The eight Caldicott principles, 1 October 2026: " + CHANGE in finding["message"]
        assert "Check the page against the eight Caldicott principles" in finding["fix"] and "`reviewed:`" in finding["fix"]
    # "six lawful bases" in a page is out of date; the Care Act's six principles and six working days are not.
    six = [(f["file"], f["found"]) for f in report["findings"] if f["kind"] == "superseded" and "six" in f["found"].lower()]
    assert six == [("partnerships/riverside/docs/local-arrangements.md", "six lawful bases")], report["findings"]

    strict = safeguide("review", "riverside", "--strict", "--as-of", AS_OF, cwd=project)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr, strict.stderr
    assert "Pages to check against a changed source" in strict.stdout
    assert "docs/caldicott.md, line 2: this page was last reviewed on 30 September 2026" in strict.stdout
    assert "partnerships/riverside/docs/local-arrangements.md, line 2: this page was last reviewed on 14 September 2026" in strict.stdout
    assert "docs/about.md, line 2" not in strict.stdout


def test_the_drafts_review_page_lists_the_changed_source_and_a_page_reviewed_since_is_left_out(tmp_path: Path) -> None:
    """The review page of a draft build is made from the same findings (integration.py): checked here without a build."""
    project = copy_project(tmp_path / "project")
    plant_stale_pages(project)
    variant = load_variant(Project.at(project), "riverside")
    edition = Edition(variant.partnership.version, "draft", ())
    findings = findings_for(variant, edition, dt.date(2026, 11, 30))
    stale = [(f.file, f.source) for f in findings if f.kind == "source-changed" and f.source == "caldicott-2020"]
    assert stale == [("docs/caldicott.md", "caldicott-2020"), ("partnerships/riverside/docs/local-arrangements.md", "caldicott-2020")]
    html = report_html(variant, edition, findings)
    assert '<h2 id="source-changed">Pages to check against a changed source</h2>' in html
    assert "partnerships/riverside/docs/local-arrangements.md, line 2</code>: this page was last reviewed on 14 September 2026" in html

    # Before the change happened (a report as of an earlier date), nothing is stale yet.
    earlier = findings_for(variant, edition, dt.date(2026, 9, 30))
    assert not [f for f in earlier if f.kind == "source-changed" and f.source == "caldicott-2020"]


# --- sources.yml: the new settings and their errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        (["updated: 5 February 2026", f"change: {CHANGE}"], ["caldicott-2020.updated", "'5 February 2026' is not a date", "YYYY-MM-DD"]),
        (["updated: 2026-10-01"], ["caldicott-2020.updated", "2026-10-01 is the date of a change, but nothing says what changed", "Add a 'change:' line"]),
        ([f"change: {CHANGE}"], ["caldicott-2020.updated", "'change' says what changed, but not when"]),
        (["updatd: 2026-10-01", f"change: {CHANGE}"], ["caldicott-2020.updatd", "Did you mean 'updated'?"]),
    ],
)
def test_a_wrong_updated_setting_names_the_file_line_and_key(tmp_path: Path, lines: list[str], said: list[str]) -> None:
    project = copy_project(tmp_path / "project")
    set_source(project, "caldicott-2020", *lines)
    text = (project / SOURCES).read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if t.startswith("  " + lines[0].split(":")[0] + ":"))
    result = safeguide("check", "riverside", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    if "but not when" not in said[1]:
        assert f"docs/_data/sources.yml, line {line}, {said[0]}" in result.stderr, result.stderr
    else:  # there is no `updated:` line to point at: the error points at the source
        start = text.index("caldicott-2020:") + 1
        assert f"docs/_data/sources.yml, line {start}, {said[0]}" in result.stderr, result.stderr
    for words in said[1:]:
        assert words in result.stderr, result.stderr


def test_sources_changed_in_2025_and_2026_carry_the_date_facts_gives() -> None:
    """UK GDPR and DPA 2018: the Data (Use and Access) Act 2025, most of it in force on 5 February 2026 (SI 2026/82).
    Children Act 2004: the Children's Wellbeing and Schools Act 2026, enacted 29 April 2026 (s.16LA, s.16LB)."""
    sources = Project.at(ROOT).load_sources()
    assert sources["uk-gdpr"].updated == dt.date(2026, 2, 5) and "recognised legitimate interests" in (sources["uk-gdpr"].change or "")
    assert sources["dpa-2018"].updated == dt.date(2026, 2, 5) and "Data (Use and Access) Act 2025" in (sources["dpa-2018"].change or "")
    assert sources["children-act-2004"].updated == dt.date(2026, 4, 29) and "16LA" in (sources["children-act-2004"].change or "")
    assert "check whether it has started" in (sources["children-act-2004"].change or ""), "never present the duty as in force"
    raw = yaml.safe_load((ROOT / SOURCES).read_text(encoding="utf-8"))
    assert all(("updated" in s) == ("change" in s) for s in raw.values())


# --- the superseded rules for the 2025-2026 changes ---------------------------------------------------------------


def rule_findings(lines: list[str]) -> list[tuple[int, str]]:
    book = shipped_rules()
    found = superseded({"local.md": "\n".join(lines) + "\n"}, book.rules, book.history_words)
    for f in found:
        assert f.since == "2026-02-05" and "recognised legitimate interests" in (f.replacement or ""), f
    return [(f.line or 0, f.found or "") for f in found]


def test_six_lawful_bases_is_flagged_and_an_unrelated_six_is_not() -> None:
    """Article 6 of the UK GDPR has seven bases since the Data (Use and Access) Act 2025 added recognised
    legitimate interests (Art. 6(1)(ea)), in force 5 February 2026."""
    lines = [
        "There are six lawful bases for sharing.",  # 1
        "UK GDPR: 6 lawful bases.",  # 2
        "You need one of the six bases in Article 6.",  # 3
        "Article 6 of the UK GDPR lists six of them.",  # 4
        "The statutory guidance to the Care Act sets out six principles for all adult safeguarding work:",
        "Keep records for six years, and reply within six weeks.",
        "The six local authorities in the area each need a lawful basis to share.",
        "The Article 6 lawful bases are listed below.",
        "Article 6 used to have six lawful bases; since February 2026 it has seven.",  # history, not a finding
        "Some young people use new psychoactive substances (NPS).",
    ]
    assert rule_findings(lines) == [(1, "six lawful bases"), (2, "6 lawful bases"), (3, "six bases"), (4, "Article 6 of the UK GDPR lists six")]


def test_charities_told_to_balance_legitimate_interests_are_flagged_and_the_new_basis_is_not() -> None:
    """data-protection.md:57 as the policy review found it (H1); a line that names recognised legitimate
    interests, or ordinary legitimate interests without charities, is not reported."""
    lines = [
        ":   Needed for your or someone else's legitimate interests, balanced against the person's rights. "
        "Charities, private nurseries and other non-public bodies may rely on this.",
        "Charities can use recognised legitimate interests to safeguard; it needs no balancing test.",
        "Legitimate interests still needs a balancing test.",
    ]
    assert rule_findings(lines) == [(1, "legitimate interests")]
