"""MkDocs' words for a link that leads nowhere, turned into a problem a policy officer can act on.

MkDocs (mkdocs.structure.pages, with mkdocs.yml's `validation:` and a strict build) stops the build with
"Doc file 'local.md' contains a link 'consnt.md', but the target is not found among documentation files.": it names
the page by its place in the built site, which for a partnership's own page or a page it replaces is not the file the
officer edits, gives no line, and says nothing of how to fix it. Here the page is named as the officer knows it
(`Variant.shown_as`: partnerships/north-vale/docs/local.md), with the line that holds the link, and a fix for each of
MkDocs' four kinds: a page that is not there, a section (anchor) that is not there, a web address used where a page
file belongs, and an address that starts with "/". MkDocs' own suggestion ("Did you mean 'consent.md'?") is kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from safeguide.core.loading import PAGE_LIMIT, read_text
from safeguide.core.problems import Problem, SafeguideError
from safeguide.core.variants import Variant

# mkdocs/structure/pages.py (MkDocs 1.6): _RelativePathTreeprocessor.path_to_url and Page.validate_anchor_links
_MESSAGE = re.compile(r"Doc file '(?P<page>[^']+)' contains (?P<kind>a link|an unrecognized relative link|an absolute link) '(?P<href>[^']*)'")
_SUGGESTION = re.compile(r" Did you mean '(?P<better>[^']*)'\?")
_OTHER_PAGE_ANCHOR = re.compile(r"the doc '(?P<target>[^']+)' does not contain an anchor '(?P<anchor>#[^']*)'")
EXAMPLE = "for example [Consent](consent.md) or [Who to tell](consent.md#who-to-tell)"


def link_problem(message: str, variant: Variant | None) -> Problem | None:
    """The problem MkDocs' `message` describes, or None if it is not about a link. `variant` (None when the build
    stopped before loading one) names the page's file and finds the line; without it the page keeps MkDocs' name."""
    found = _MESSAGE.search(message)
    if found is None:
        return None
    page, href, kind = found["page"], found["href"], found["kind"]
    better = _SUGGESTION.search(message)
    hint = f"Did you mean '{better['better']}'? " if better else ""
    other = _OTHER_PAGE_ANCHOR.search(message)
    if other or "no such anchor on this page" in message:
        where = f"on {other['target']}" if other else "on this page"
        what = f"the link '{href}' goes to a section that is not there: no heading {where} has the anchor {other['anchor'] if other else href[href.find('#'):]}"
        fix = (hint + "Use the anchor of a heading that page has: its words in lower case joined by dashes (## Who to tell is "
               "#who-to-tell), or {#an-anchor} written after the heading; or link to the page without the # part.")
    elif kind == "an unrecognized relative link":
        what = f"the link '{href}' is a web address inside this site, which does not lead to a page file"
        fix = hint + f"Link to the page's .md file, {EXAMPLE}: safeguide turns it into the right address in every version."
    elif kind == "an absolute link":
        what = f"the link '{href}' starts with /, so it would leave this version of the site"
        fix = hint + f"Link to the page's .md file, {EXAMPLE}; for another website, give its whole address (https://...)."
    else:
        what = f"the link '{href}' goes to a page that does not exist in this site"
        fix = hint + f"Correct the file name of the page you link to, {EXAMPLE}; or take the link out if that page is gone or left out."
    shown, line = page, None
    if variant is not None:
        shown = variant.shown_as(page)
        line = _line_of(variant.files.get(page), shown, href)
    return Problem(shown, what + ".", fix, line=line, kind="link")


def _line_of(path: Path | None, shown: str, href: str) -> int | None:
    """The first line of the page's source that holds `href` as a link target, or None (the link may come from a
    slot or snippet the page includes)."""
    if path is None or not href:
        return None
    try:
        text = read_text(path, shown, PAGE_LIMIT)
    except SafeguideError:
        return None
    for number, line in enumerate(text.split("\n"), 1):
        if any(f"{left}{href}{right}" in line for left, right in (("(", ")"), ("(", " "), ('"', '"'), ("'", "'"), ("<", ">"), (": ", ""))):
            return number
    return None
