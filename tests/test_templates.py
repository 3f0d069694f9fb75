"""The package's templates (safeguide/render/templates/): overridable from a site's overrides/safeguide/, one
date and slug helper, and golden outputs of the flow and version-page templates.

The golden files (tests/golden/templates/) are the HTML or Markdown these models render to. After a reviewed
change to a template, write them again with `PYTHONPATH=. python -m tests.test_templates`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from safeguide.core.flows import load_flow
from safeguide.core.models import Contact
from safeguide.core.nav import Module
from safeguide.core.releases import Edition, Frozen, Release
from safeguide.render import contacts, flow_html, progress, review_page, version_pages
from safeguide.render.environment import TEMPLATES, long_date, slug, templates

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "templates"

# Text from input files that is both HTML and Markdown syntax: the golden files show how each place escapes it.
HOSTILE = "<b>Tom & Jerry's</b> *team* [x](javascript:alert(1)) `code` | pipe"

FLOW = f"""\
title: "Should I share? {HOSTILE}"
start: purpose
record: "Write down what you decided. {HOSTILE}"
steps:
  purpose:
    question: "Is there a clear purpose? {HOSTILE}"
    hint: "Think **why**. {HOSTILE}"
    guidance: deciding.md#q-purpose
    answers:
      - label: "Yes {HOSTILE}"
        next: consent
      - label: "No"
        next: do-not-share
  consent:
    question: Do you have consent, or another lawful basis?
    answers:
      - label: "Yes"
        next: share
      - label: "No"
        next: do-not-share
      - label: Not sure
        next: advice
    guidance: deciding.md#q-consent
  share:
    outcome: "Share, and record your decision {HOSTILE}"
    kind: share
    text: "Share **only** what is needed. See [the rules](https://example.org/rules). {HOSTILE}"
    call: [children_front_door]
    guidance: recording.md#what
  do-not-share:
    outcome: Do not share, and record your decision
    kind: do-not-share
    guidance: deciding.md#record
  advice:
    outcome: Get advice without naming the person
    kind: seek-advice
    call: [information_governance]
    guidance: deciding.md#advice
"""
CONTACTS = {
    "children_front_door": Contact(
        name=f"Children's Front Door {HOSTILE}",
        phone="0117 496 0123",
        hours="Monday to Friday, 9am to 5pm\nFriday until 4:30pm",
        out_of_hours="020 7946 0123",
        out_of_hours_name="Emergency Duty Team",
        email="front.door@example.org",
        purpose=f"Concerns about a child. {HOSTILE}",
        notes="Say it is urgent.",
    ),
    "information_governance": Contact(name="Information governance", email="ig@example.org", url="https://example.org/ig"),
}


def _view(tmp_path: Path) -> flow_html.FlowView:
    path = tmp_path / "share.yml"
    path.write_text(FLOW, encoding="utf-8")
    flow = load_flow(path, "docs/flows/share.yml", set(CONTACTS), {"deciding.md", "recording.md"})
    facts = flow_html.RecordFacts(f"Kingsport {HOSTILE}", "3.1 · Approved 1 March 2026")
    return flow_html.FlowView("share", flow, CONTACTS, lambda target: "../" + target.replace(".md", "/"), facts)


def _release(folder: Path, version: str, date: dt.date, pages: dict[str, dict], **fields: object) -> Frozen:
    release = Release(version=version, date=date, approved_by=f"Policy group {HOSTILE}", review_due=date.replace(year=date.year + 1), **fields)
    frozen = Frozen(folder / version, release, f"partnerships/kingsport/releases/{version}")
    frozen.__dict__["pages"] = pages  # the release's pages.json, without the file
    return frozen


def _history(tmp_path: Path) -> tuple[Frozen, ...]:
    one = {
        "index.md": {"title": "Home", "url": "", "blocks": ["<h1>Home</h1>", "<p>Welcome.</p>"]},
        "consent.md": {"title": "Sharing &amp; consent", "url": "consent/", "blocks": ["<h1>Sharing &amp; consent</h1>", "<p>Call 0117 496 0000 first.</p>", "<p>Ask the person.</p>"]},
        "old.md": {"title": "Old page", "url": "old/", "blocks": ["<h1>Old page</h1>"]},
    }
    two = {
        "index.md": one["index.md"],
        "consent.md": {"title": "Sharing &amp; consent", "url": "consent/", "blocks": ["<h1>Sharing &amp; consent</h1>", "<p>Call 0117 496 0123 first.</p>", "<p>Ask the person <b>if it is safe</b>.</p>"]},
        "new.md": {"title": f"New {HOSTILE}", "url": "new/", "blocks": ["<h1>New</h1>"]},
    }
    return (
        _release(tmp_path, "1.0", dt.date(2025, 3, 1), one, authors=["A. Author", "B. Writer"]),
        _release(tmp_path, "2.0", dt.date(2026, 3, 1), two, summary=f"Phone numbers updated. {HOSTILE}"),
    )


def outputs(tmp_path: Path) -> dict[str, str]:
    """Golden file name -> what the templates render now."""
    view = _view(tmp_path)
    past = _history(tmp_path)
    current, draft, old = Edition("2.0", "release", past), Edition("2.1", "draft", past), Edition("1.0", "release", past)
    changes = version_pages.changes_since_previous(current, past[-1].pages)
    banners = {
        "draft": version_pages.banner(draft, "consent/", "consent.md"),
        "old": version_pages.banner(old, "consent/", "consent.md"),
        "overdue": version_pages.banner(current, "consent/", "consent.md", today=dt.date(2028, 1, 1)),
        "current": version_pages.banner(current, "consent/", "consent.md", today=dt.date(2026, 6, 1)),
        "replaced": version_pages.replaced_notice(old, "consent.md"),
    }
    return {
        "flow-helper.html": flow_html.helper(view),
        "flow-diagram.html": flow_html.diagram(view),
        "flow-text.html": flow_html.text(view),
        "contact-card.html": str(contacts.render_card(CONTACTS["children_front_door"], "children_front_door")),
        "contact-inline.html": str(contacts.render_inline(CONTACTS["children_front_door"], "children_front_door")),
        "contact-directory.md": contacts.directory_markdown([("Urgent local contacts", CONTACTS), ("None here", {}), ("Advice", {"information_governance": CONTACTS["information_governance"]})]),
        "version-history.md": version_pages.history_markdown(current),
        "version-history-draft.md": version_pages.history_markdown(draft),
        "what-changed.html": version_pages.changes_html(current, changes, "what-changed/"),
        "change-notes.html": "\n".join(
            version_pages.change_note_html(edition, change, f"../what-changed/#{version_pages.entry_id(change)}")
            for edition in (current, draft)
            for change in changes
            if change.status != "removed"
        ),
        "banners.txt": "\n".join(f"{name}: {value}" for name, value in banners.items()),
        "progress.html": progress.progress_html(
            [Module("a.md", f"One {HOSTILE}"), Module("b.md", ""), Module("c.md", "")],
            "b.md",
            lambda uri: uri.replace(".md", "/"),
            lambda uri: "Three" if uri == "c.md" else "",
        ),
    }


NAMES = (
    "flow-helper.html", "flow-diagram.html", "flow-text.html", "contact-card.html", "contact-inline.html", "contact-directory.md", "version-history.md",
    "version-history-draft.md", "what-changed.html", "change-notes.html", "banners.txt", "progress.html",
)


@pytest.mark.parametrize("name", NAMES)
def test_templates_render_as_the_golden_files(tmp_path: Path, name: str) -> None:
    now = outputs(tmp_path)[name]
    written = (GOLDEN / name).read_text(encoding="utf-8")
    assert now == written, f"tests/golden/templates/{name} differs: check the change, then `PYTHONPATH=. python -m tests.test_templates`"


def test_contacts_and_flows_stay_one_line_and_inert(tmp_path: Path) -> None:
    now = outputs(tmp_path)
    for name in ("flow-helper.html", "flow-diagram.html", "flow-text.html", "contact-card.html", "contact-inline.html"):
        assert "\n" not in now[name], name
        assert "<b>" not in now[name] and 'href="javascript' not in now[name], name
    assert "&#42;team&#42;" in now["contact-card.html"] and "&#124; pipe" in now["contact-card.html"]


def test_a_template_in_overrides_replaces_the_package_one(tmp_path: Path) -> None:
    folder = tmp_path / "overrides" / "safeguide" / "contact"
    folder.mkdir(parents=True)
    (folder / "card.html").write_text('<div class="my-card">{{ contact.name | inert }}</div>', encoding="utf-8")
    env = templates(tmp_path / "overrides")
    card = CONTACTS["children_front_door"]
    assert str(contacts.render_card(card, "x", templates=env)).startswith('<div class="my-card">Children&#39;s Front Door &lt;b&gt;')
    # Templates it does not override still come from the package, and the package's own stays as it was.
    assert str(contacts.render_inline(card, "x", templates=env)) == str(contacts.render_inline(card, "x"))
    assert str(contacts.render_card(card, "x")).startswith('<div class="sg-contact-card"')
    assert templates(tmp_path / "overrides") is env  # one environment per folder


def test_without_an_override_folder_the_package_templates_are_used(tmp_path: Path) -> None:
    assert templates(None) is TEMPLATES
    assert templates(tmp_path) is TEMPLATES  # no safeguide/ inside


def test_one_date_and_slug_helper() -> None:
    assert long_date(dt.date(2026, 3, 1)) == "1 March 2026" == long_date("2026-03-01")
    assert TEMPLATES.from_string("{{ d | long_date }}").render(d=dt.date(2026, 12, 25)) == "25 December 2026"
    assert slug("Sharing & consent: 2026!") == "sharing-consent-2026"
    # The version pages' ids keep their own rule (published links point at them): one "-" per character.
    assert slug("flows/Share.md", each=True) == "flows-Share-md" and slug("3.1", each=True) == "3-1"
    assert review_page.report_html.__kwdefaults__["templates"] is TEMPLATES


if __name__ == "__main__":  # write the golden files again
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in outputs(Path(tmp)).items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
            print(f"wrote tests/golden/templates/{name}", file=sys.stderr)
