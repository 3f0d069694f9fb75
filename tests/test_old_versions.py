"""Old links and stale guidance (issue 12), read from the built demo's HTML without a browser.

- Every page of every replaced release keeps a notice in the header (which stays in view), its urgent bar and
  header urgent link lead to the newest release's urgent page, and no `tel:` link on it dials a number that
  the newest release no longer lists: such numbers are shown as "no longer in use". Drafts and current
  releases are left as they are.
- The newest release of a partnership past its review date says so, with the date, on every page and on
  its landing card.
- The urgent page of every version opens with who to call.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from safeguide.core import old_versions
from safeguide.core.releases import Frozen, Release
from tests.conftest import ROOT
from tests.site_html import resolve


def _digits(number: str) -> str:
    """A number as the digits a UK caller dials: "+44 117 496 0123" and "tel:+441174960123" -> "01174960123"."""
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:] if number.replace("tel:", "").strip().startswith("+44") else digits


def _release_numbers(folder: Path) -> set[str]:
    """Every number a release lists: its contacts, the national numbers of its baseline, tel: links in its pages."""
    found = set()
    partnership = yaml.safe_load((folder / "partnership" / "partnership.yml").read_text(encoding="utf-8"))
    baseline = yaml.safe_load((folder / "docs" / "_data" / "baseline.yml").read_text(encoding="utf-8"))
    for contact in [*partnership.get("contacts", {}).values(), *baseline["national_contacts"].values()]:
        found.update(_digits(contact[key]) for key in ("phone", "out_of_hours") if contact.get(key))
    for page in folder.rglob("*.md"):
        found.update(_digits(n) for n in re.findall(r"tel:(\+?[0-9][0-9-]*)", page.read_text(encoding="utf-8")))
    return found


def _releases(partnership: str) -> list[tuple[str, dict]]:
    """(version, release.yml) of every release, oldest first, as versions.json lists them (newest first)."""
    folder = ROOT / "partnerships" / partnership / "releases"
    found = [(p.name, yaml.safe_load((p / "release.yml").read_text(encoding="utf-8"))) for p in folder.iterdir() if (p / "release.yml").is_file()]
    return sorted(found, key=lambda r: (str(r[1]["date"]), r[0]))


@cache
def _pages(site: Path, partnership: str, version: str) -> dict[str, BeautifulSoup]:
    """Every HTML page of a version by its address inside it ("" home, "consent/", "404.html")."""
    folder = site / partnership / version
    pages = {}
    for path in sorted(folder.rglob("*.html")):
        address = path.relative_to(folder).as_posix()
        if address.endswith("index.html"):
            address = address.removesuffix("index.html")
        pages[address] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return pages


def _target(partnership: str, version: str, page: str, href: str) -> str:
    """Where a link on a page leads, as a path inside the site ("riverside/3.1/urgent/")."""
    if href.startswith("/"):
        return resolve("", href.lstrip("/"))[0]
    return resolve(f"{partnership}/{version}/{page}", href)[0]


PARTNERSHIPS = sorted(p.parent.name for p in (ROOT / "partnerships").glob("*/partnership.yml"))
REPLACED = [(p, version) for p in PARTNERSHIPS for version, _ in _releases(p)[:-1]]


def test_the_demo_has_replaced_releases_with_numbers_no_longer_in_use() -> None:
    """So that the test below sees old numbers marked: at least one replaced release of the demo lists a
    number its partnership's newest release no longer does."""
    gone = {
        (p, v): _release_numbers(ROOT / "partnerships" / p / "releases" / v) - _release_numbers(ROOT / "partnerships" / p / "releases" / _releases(p)[-1][0])
        for p, v in REPLACED
    }
    assert any(gone.values()), f"no replaced release has a number the newest no longer lists: {sorted(gone)}"


@pytest.mark.parametrize(("partnership", "version"), REPLACED)
def test_every_page_of_a_replaced_release_points_to_the_current_one_and_dials_no_old_number(demo_site: Path, partnership: str, version: str) -> None:
    releases = _releases(partnership)
    latest = releases[-1][0]
    current = _release_numbers(ROOT / "partnerships" / partnership / "releases" / latest)
    own = _release_numbers(ROOT / "partnerships" / partnership / "releases" / version)
    gone = own - current  # may be empty: a release that kept every number still points to the current one
    problems: list[str] = []
    shown_as_replaced: set[str] = set()
    pages = _pages(demo_site, partnership, version)
    assert len(pages) > 10
    for address, soup in pages.items():
        where = f"{partnership}/{version}/{address}"
        bar = soup.select_one("header.md-header .sg-replaced-bar")
        if bar is None or f"replaced by {latest}" not in bar.get_text(" "):
            problems.append(f"{where}: no notice in the header saying it was replaced by {latest}")
        elif not _target(partnership, version, address, bar.a["href"]).startswith(f"{partnership}/{latest}/"):
            problems.append(f"{where}: the header notice's link leads to {bar.a['href']}, not to version {latest}")
        urgent_links = {
            "header urgent link": soup.select_one("a.sg-urgent-link"),
            "urgent bar": soup.select_one('.sg-urgent a:not([href^="tel:"])'),
        }
        for name, link in urgent_links.items():
            target = _target(partnership, version, address, link["href"]) if link is not None else None
            if target != f"{partnership}/{latest}/urgent/":
                problems.append(f"{where}: the {name} leads to {target}, not to {partnership}/{latest}/urgent/")
        for link in soup.select('a[href^="tel:"]'):
            if _digits(link["href"]) not in current:
                problems.append(f"{where}: {link.get_text(strip=True)} is a tel: link, but version {latest} no longer lists it")
        for old in soup.select(".sg-replaced-number"):
            text = old.get_text(" ", strip=True)
            if "no longer in use" not in text or old.find("a", href=re.compile("^tel:")):
                problems.append(f"{where}: a replaced number is not marked as no longer in use: {text!r}")
            elif not _target(partnership, version, address, old.a["href"]).startswith(f"{partnership}/{latest}/"):
                problems.append(f"{where}: a replaced number's note links to {old.a['href']}, not to version {latest}")
            shown_as_replaced.add(_digits(old.select_one(".sg-replaced-number__digits").get_text()))
    assert not problems, "\n".join(problems)
    missing = sorted(gone - shown_as_replaced)
    assert not missing, f"{partnership} {version}: numbers {latest} no longer lists are not shown as replaced anywhere: {missing}"


def _overdue(partnership: str, today: dt.date) -> tuple[str, dt.date] | None:
    version, release = _releases(partnership)[-1]
    due = dt.date.fromisoformat(str(release["review_due"]))
    return (version, due) if due < today else None


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# The notice in the banner (overrides/main.html): read as text, since this walks every page of several versions.
_OVERDUE = re.compile(r'<aside class="md-banner">.*?<p class="sg-edition[^"]*" data-edition="overdue">(.*?)</p>', re.S)


def _raw_pages(site: Path, partnership: str, version: str) -> dict[str, str]:
    folder = site / partnership / version
    return {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.html"))}


def test_a_newest_release_past_its_review_date_says_so_on_every_page_and_its_landing_card(demo_site: Path) -> None:
    today = dt.date.today()
    assert _overdue("eastmoor", today) == ("4.0", dt.date(2019, 4, 3)), "the demo's Eastmoor 4.0 was due for review in 2019"
    landing = BeautifulSoup((demo_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    problems = []
    for partnership in PARTNERSHIPS:
        overdue = _overdue(partnership, today)
        card = landing.select_one(f'li[data-partnership="{partnership}"]')
        card_note = card.select_one(".overdue")
        latest = _releases(partnership)[-1][0]
        if overdue is None:
            if card_note is not None:
                problems.append(f"landing card of {partnership}: says overdue, but {latest} is not")
        elif card_note is None or _long(overdue[1]) not in card_note.get_text(" "):
            problems.append(f"landing card of {partnership}: does not say {latest} was due for review on {_long(overdue[1])}")
        for address, html in _raw_pages(demo_site, partnership, latest).items():
            notice = _OVERDUE.search(html)
            if overdue is None and notice is not None:
                problems.append(f"{partnership}/{latest}/{address}: says overdue, but it is not")
            elif overdue is not None and (notice is None or _long(overdue[1]) not in notice.group(1)):
                problems.append(f"{partnership}/{latest}/{address}: does not say it was due for review on {_long(overdue[1])}")
    # The draft being prepared has its own notice, and replaced releases theirs.
    for address, html in _raw_pages(demo_site, "eastmoor", "5.0").items():
        if _OVERDUE.search(html) or 'data-edition="draft"' not in html:
            problems.append(f"eastmoor/5.0/{address}: a draft should carry the draft notice only")
    assert not problems, "\n".join(problems[:50])


_URGENT_LINK = re.compile(r'<a href="([^"]*)" class="md-header__button sg-urgent-link"')


def test_every_urgent_page_opens_with_who_to_call_and_only_replaced_releases_lead_elsewhere(demo_site: Path) -> None:
    assert ("riverside", "1.0") in REPLACED and ("riverside", "3.0") in REPLACED, "the demo should have replaced releases to check"
    problems = []
    for partnership in PARTNERSHIPS:
        releases = [r for r, _ in _releases(partnership)]
        for info in json.loads((demo_site / partnership / "versions.json").read_text(encoding="utf-8")):
            version = info["version"]
            if version not in releases[:-1]:  # the current release and a draft: nothing points elsewhere
                for path in sorted((demo_site / partnership / version).rglob("*.html")):
                    html, where = path.read_text(encoding="utf-8"), path.relative_to(demo_site).as_posix()
                    if any(mark in html for mark in ("sg-replaced-bar", "sg-replaced-number", "sg-edition--outdated")):
                        problems.append(f"{where}: marked as replaced")
                    link = _URGENT_LINK.search(html)
                    address = path.relative_to(demo_site / partnership / version).as_posix().removesuffix("index.html")
                    if link is None or _target(partnership, version, address, link.group(1)) != f"{partnership}/{version}/urgent/":
                        problems.append(f"{where}: the header urgent link leaves this version")
            # A replaced release shows the newest release's numbers; the others their own.
            numbers_from = releases[-1] if version in releases[:-1] else version
            folder = ROOT / "partnerships" / partnership
            config = folder / "releases" / numbers_from / "partnership" / "partnership.yml"
            contacts = yaml.safe_load((config if config.is_file() else folder / "partnership.yml").read_text(encoding="utf-8"))["contacts"]
            soup = BeautifulSoup((demo_site / partnership / version / "urgent" / "index.html").read_text(encoding="utf-8"), "html.parser")
            title = soup.select_one("article h1")
            panel = title.find_next_sibling()
            where = f"{partnership}/{version}/urgent/"
            if panel is None or "sg-call-now" not in (panel.get("class") or []):
                problems.append(f"{where}: the title is not followed by who to call")
                continue
            dialled = [_digits(a["href"]) for a in panel.select('a[href^="tel:"]')]
            expected = ["999"] + [_digits(contacts[role]["phone"]) for role in ("children_front_door", "adults_front_door")]
            if [n for n in dialled if n in expected] != expected or dialled[0] != "999":
                problems.append(f"{where}: who to call lists {dialled}, expected 999 then {expected[1:]} (and out-of-hours numbers)")
    assert not problems, "\n".join(problems)


# --- the parts, on input the demo does not have -------------------------------------------------------------------


def test_every_kind_of_tel_link_to_a_number_no_longer_listed_becomes_text() -> None:
    html = (
        '<p>Call <a class="sg-tel" href="tel:+441174960100" aria-label="Hub: 0117 496 0100">0117 496 0100</a> or '
        '<a href="tel:01174960123">0117 496 0123</a>; written in a page: <a href="tel:0117-496-0100">the old hub</a>; '
        '<a href="TEL:999">999</a>; <abbr title="x">EDT</abbr> <a href="https://example.org/tel:0117">site</a></p>'
    )
    numbers = frozenset({old_versions.number_key("0117 496 0123"), old_versions.number_key("999")})
    out = old_versions.mark_replaced(html, numbers, "../../3.1/contacts/")
    soup = BeautifulSoup(out, "html.parser")
    assert [a["href"] for a in soup.select("a")] == ["../../3.1/contacts/", "tel:01174960123", "../../3.1/contacts/", "TEL:999", "https://example.org/tel:0117"]
    replaced = [s.get_text(" ", strip=True) for s in soup.select(".sg-replaced-number")]
    assert replaced == ["0117 496 0100 (no longer in use – see the current version )", "the old hub (no longer in use – see the current version )"]


def test_the_newest_release_lists_its_contacts_national_numbers_and_tel_links_in_its_pages(tmp_path: Path) -> None:
    release = tmp_path / "releases" / "2.0"
    (release / "docs" / "_data").mkdir(parents=True)
    (release / "partnership" / "docs").mkdir(parents=True)
    (release / "docs" / "_data" / "baseline.yml").write_text((ROOT / "docs" / "_data" / "baseline.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (release / "partnership" / "partnership.yml").write_text(
        "name: Test Partnership\ncontacts:\n  children_front_door:\n    name: Hub\n    phone: '0117 496 0123'\n    out_of_hours: '0117 496 0999'\n",
        encoding="utf-8",
    )
    (release / "partnership" / "docs" / "local.md").write_text("Call [the line](tel:+44-117-496-0555) (a line kept for the test).\n", encoding="utf-8")
    frozen = Frozen(release, Release(version="2.0", date=dt.date(2026, 1, 1), approved_by="Group", review_due=dt.date(2027, 1, 1)), "releases/2.0")
    newest = old_versions.newest_of(frozen, tmp_path)
    for number in ("0117 496 0123", "0117 496 0999", "999", "101", "0808 2000 247", "+44 117 496 0555"):
        assert old_versions.number_key(number) in newest.numbers, number
    assert old_versions.number_key("0117 496 0100") not in newest.numbers
    assert [role for role, _ in newest.urgent] == ["children_front_door"]
    assert newest.emergency is not None and newest.emergency.phone == "999"
