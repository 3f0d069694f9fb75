"""Reading the built demo site as a browser without JavaScript would: pages, links, phone numbers, flow routes."""

from __future__ import annotations

import re
from collections import deque
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup, Tag

from tests.browser import current_version
from tests.conftest import ROOT

WHOLE_GUIDANCE = "whole-guidance"  # every chapter again on one page, for print (tests/test_whole_guidance.py)


@cache
def site_pages(site: Path, partnership: str) -> dict[str, BeautifulSoup]:
    """Every page of a partnership's current version, by its URL path inside the version ('' for home)."""
    folder = site / partnership / current_version(site, partnership)
    pages = {}
    for path in sorted(folder.rglob("index.html")):
        url = path.parent.relative_to(folder).as_posix()
        if url not in ("search", "404", WHOLE_GUIDANCE):  # the whole guidance repeats the pages: test_whole_guidance
            pages["" if url == "." else url + "/"] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return pages


def matching(site: Path, partnership: str, selector: str) -> list[Tag]:
    """Every element matching `selector` on any page of the partnership's current version."""
    return [element for soup in site_pages(site, partnership).values() for element in soup.select(selector)]


def resolve(page_url: str, href: str) -> tuple[str, str]:
    """A link on page_url as (page URL path, fragment)."""
    parts = urlsplit(urljoin("http://site/" + page_url, href))
    path = unquote(parts.path).lstrip("/")
    return (path.removesuffix("index.html"), parts.fragment)


def local_digits(partnership: str) -> set[str]:
    """The partnership's own phone numbers, digits only, as they appear in tel: links."""
    data = yaml.safe_load((ROOT / "partnerships" / partnership / "partnership.yml").read_text(encoding="utf-8"))
    found = set()
    for contact in data["contacts"].values():
        for key in ("phone", "out_of_hours"):
            if contact.get(key):
                found.add(re.sub(r"\D", "", contact[key]))
    return found


def tel_digits(element: Tag) -> set[str]:
    return {re.sub(r"\D", "", a["href"]).replace("44", "0", 1) if a["href"].startswith("tel:+44") else re.sub(r"\D", "", a["href"]) for a in element.select('a[href^="tel:"]')}


def routes_to_outcomes(helper: Tag) -> dict[str, list[tuple[str, str]]]:
    """For each outcome of a helper, the shortest route to it: (step id, answer label) pairs."""
    first = helper.select_one("[data-flow-step][data-first]")
    routes: dict[str, list[tuple[str, str]]] = {}
    todo = deque([(first, [])])
    seen = {first["id"]}
    while todo:
        step, route = todo.popleft()
        if step["data-kind"] == "outcome":
            routes.setdefault(step["data-flow-step"], route)
            continue
        for answer in step.select("a[data-answer]"):
            target = helper.find(id=answer["href"][1:])
            if target is not None and target["id"] not in seen:
                seen.add(target["id"])
                todo.append((target, [*route, (step["data-flow-step"], answer["data-answer"])]))
    return routes
