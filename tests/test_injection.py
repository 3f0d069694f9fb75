"""Script injection through input files (issue 11, item 9) and the check over the built HTML that backs
the source checks (item 11).

One hostile partnership, `evil`, has a hostile string in every text field of partnership.yml, in its
release record, its flow file, a local page's front matter and the baseline's data files; it is released once and then built with
a draft (two editions). Every built HTML, JSON and XML file is then read: nothing injected is live, and
the text still shows, escaped. Cases I01, I02 and I03 are kept verbatim.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown
import material
import pytest
import yaml
from bs4 import BeautifulSoup

from safeguide.build import assets, html_check
from safeguide.render.escaping import markdown_text
from tests.conftest import ROOT, copy_project, safeguide

I01_NAME = "Evil <script>alert('NAME')</script> & Co"  # hostile-inputs/I01/snippet.yml
I02_SHORT_NAME = "<img src=x onerror=alert('SHORT')>"  # hostile-inputs/I02/snippet.yml
I03_DESCRIPTION = 'x"><script>alert("DESC2")</script>'  # hostile-inputs/I03/snippet.yml


def payload(field: str) -> str:
    """Breaks out of an attribute and a tag, and tries Markdown's links, attribute lists and emphasis."""
    return f"""{field}"'><script>alert('{field}')</script><img src=x onerror=alert('{field}')> [md](javascript:alert('{field}')) *{field}*{{: onclick=alert(1) }}"""


CONTACT_TEXT = ("name", "purpose", "hours", "out_of_hours_name", "notes")
TRICKY_URL = "https://example.org/path_(x)*[y]{z}|~#frag"  # valid, but full of Markdown syntax
SHIPPED_SCRIPTS = ("bundle.", "flows.js")  # Material's bundle and ours (safeguide.bundle.js); flows.js, which ours loads
LOCAL_PAGE = """---
reviewed: 2026-11-20
title: 'Local "><script>alert("META")</script> page'
description: '"><script>alert("METADESC")</script>'
---

# Welcome to {{ partnership.name }} {#welcome}

A sentence naming {{ partnership.name }}, also called {{ partnership.short_name }}, in version {{ partnership.version }}.

- A list item: [{{ partnership.name }}](https://example.org/) and **{{ partnership.short_name }}**

| Partnership | Short |
| --- | --- |
| {{ partnership.name }} | {{ partnership.short_name }} |
"""


def hostile_partnership(project: Path) -> Path:
    """partnerships/evil: riverside with a hostile string in every text field (version 9.8), a hostile
    local page and a hostile flow; the cases I01-I03 in name, short_name and description."""
    folder = project / "partnerships" / "evil"
    shutil.copytree(project / "partnerships" / "riverside", folder)
    data = yaml.safe_load((folder / "partnership.yml").read_text(encoding="utf-8"))
    data.update(version="9.8", name=I01_NAME, short_name=I02_SHORT_NAME, description=I03_DESCRIPTION)
    for role, contact in data["contacts"].items():
        contact.update({key: payload(f"{role}.{key}") for key in CONTACT_TEXT})
        contact["out_of_hours"] = contact.get("out_of_hours") or "0117 496 0999"
    data["contacts"]["children_front_door"]["url"] = TRICKY_URL
    data["links"] = [{"title": payload("links.title"), "url": TRICKY_URL, "description": payload("links.description")}]
    data["glossary"] = [{"term": "EVT", "stands_for": payload("glossary.stands_for"), "meaning": payload("glossary.meaning")},
                        {"term": payload("glossary.term"), "stands_for": payload("glossary.term.stands_for"), "meaning": "An attack."},
                        {"term": payload("glossary.backslash") + "\\", "stands_for": payload("glossary.b"), "meaning": "An attack."}]
    (folder / "partnership.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "docs" / "evil-page.md").write_text(LOCAL_PAGE, encoding="utf-8")
    flow = yaml.safe_load((project / "docs" / "flows" / "should-i-share.yml").read_text(encoding="utf-8"))
    flow.update(title=payload("flow.title"), record=payload("flow.record"))
    first = flow["steps"][flow["start"]]
    first.update(question=payload("flow.question"), hint=payload("flow.hint"))
    first["answers"][0]["label"] = payload("flow.label")
    outcome = next(s for s in flow["steps"].values() if "outcome" in s)
    outcome.update(outcome=payload("flow.outcome"), text=payload("flow.text"))
    (folder / "docs" / "flows").mkdir(exist_ok=True)
    (folder / "docs" / "flows" / "should-i-share.yml").write_text(yaml.safe_dump(flow, allow_unicode=True), encoding="utf-8")
    hostile_baseline_data(project / "docs" / "_data")
    return folder


def hostile_baseline_data(data: Path) -> None:
    """The baseline's data files, with a hostile string in a national contact, a source and a glossary entry."""
    def rewrite(name: str, change: Callable[[Any], None]) -> None:
        loaded = yaml.safe_load((data / name).read_text(encoding="utf-8"))
        change(loaded)
        (data / name).write_text(yaml.safe_dump(loaded, allow_unicode=True, sort_keys=False), encoding="utf-8")

    rewrite("baseline.yml", lambda d: d["national_contacts"]["emergency"].update(hours=payload("national.hours"), notes=payload("national.notes")))
    rewrite("sources.yml", lambda d: d["info-sharing-2024"].update({k: payload(f"source.{k}") for k in ("title", "short", "publisher", "edition", "replaces")}))
    rewrite("glossary.yml", lambda d: d[0].update(meaning=payload("national.meaning")))


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile partnership released as 9.8 (hostile approval record), then built with its 9.9 draft;
    the baseline's data files are hostile too."""
    project = copy_project(tmp_path_factory.mktemp("injection") / "project")
    for other in ("kingsport", "eastmoor", "northbridge"):
        shutil.rmtree(project / "partnerships" / other, ignore_errors=True)
    folder = hostile_partnership(project)
    released = safeguide(
        "release", "evil", "9.8", "--approved-by", payload("approved_by"), "--summary", payload("summary"),
        "--author", payload("author"), "--date", "2026-11-20", cwd=project,
    )
    assert released.returncode == 0, released.stdout + released.stderr
    yml = folder / "partnership.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("version: '9.8'", "version: '9.9'"), encoding="utf-8")
    built = safeguide("build", "evil", "--out", "out", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    return project / "out"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def live_injections(path: Path) -> list[str]:
    """What is live in one built HTML file: scripts we did not ship, event attributes, <img src=x>,
    script links, or a raw payload left unescaped in the file."""
    page, text = soup(path), path.read_text(encoding="utf-8")
    found = []
    for script in page.find_all("script"):
        src = script.get("src")
        if (src and not any(name in src for name in SHIPPED_SCRIPTS)) or "alert(" in script.get_text():
            found.append(f"script {script}")
    for element in page.find_all(True):
        found += [f"<{element.name} {name}>" for name in element.attrs if name.lower().startswith("on")]
        found += [f"<{element.name}> {name}=javascript:" for name, value in element.attrs.items() if isinstance(value, str) and value.strip().lower().startswith("javascript:")]
    found += [f"<img src={img['src']}>" for img in page.find_all("img", src="x")]
    found += [raw for raw in ("<script>alert(", "<img src=x") if raw in text]
    return found


def test_nothing_injected_is_live_in_any_built_file(evil_site: Path) -> None:
    html = [p for p in evil_site.rglob("*") if p.suffix in (".html", ".svg")]
    assert len(html) > 60  # both editions, every page
    live = {p.relative_to(evil_site).as_posix(): found for p in html if (found := live_injections(p))}
    assert live == {}
    for path in evil_site.rglob("*.json"):
        parsed = json.loads(path.read_text(encoding="utf-8"))  # valid JSON: every value escaped for JSON
        if path.name == "search_index.json":  # Material's search shows titles and text as HTML
            assert "<script>alert(" not in json.dumps(parsed, ensure_ascii=False)
            assert "<img src=x" not in json.dumps(parsed, ensure_ascii=False)
    for path in evil_site.rglob("*.xml"):
        tree = ElementTree.parse(path)  # well-formed XML
        if path.name == "feed.xml":  # the name is the feed's text (Atom's default type="text"), escaped for XML
            atom = "{http://www.w3.org/2005/Atom}"
            assert I01_NAME in tree.find(f"{atom}title").text
            assert all(e.get("type", "text") == "text" for e in tree.iter() if e.tag in (f"{atom}title", f"{atom}summary", f"{atom}subtitle"))
            continue
        assert "alert(" not in path.read_text(encoding="utf-8")


def test_the_escaped_text_is_shown(evil_site: Path) -> None:
    draft = evil_site / "evil" / "9.9"
    home = soup(draft / "index.html")
    assert home.title.get_text() == I01_NAME  # case I01
    topic = home.select_one(".md-header__topic .md-ellipsis")
    assert (topic.select_one(".sg-name--long") or topic).get_text(strip=True) == I01_NAME  # a phone shows the short name
    assert home.select_one(".md-header__button.md-logo")["aria-label"] == I01_NAME
    assert I01_NAME in home.select_one(".md-copyright__highlight").get_text()
    assert I01_NAME in home.select_one(".sg-example").get_text()
    assert home.select_one(".sg-urgent a[href='urgent/']").get_text() == f"What to do and who to call in {I02_SHORT_NAME}"  # case I02
    assert home.find("meta", attrs={"name": "description"})["content"] == I03_DESCRIPTION  # case I03
    assert f"published by {I01_NAME} and follows" in home.get_text(" ")
    info = json.loads((evil_site / "evil" / "partnership.json").read_text(encoding="utf-8"))
    assert (info["name"], info["short_name"], info["description"]) == (I01_NAME, I02_SHORT_NAME, I03_DESCRIPTION)
    landing = soup(evil_site / "index.html")
    assert landing.select_one("li[data-partnership=evil] h2").get_text() == I01_NAME


def test_page_templating_of_the_partnership_is_escaped(evil_site: Path) -> None:
    page = soup(evil_site / "evil" / "9.9" / "evil-page" / "index.html")
    article = page.select_one("article")
    heading = article.find("h1")
    heading.find("a", class_="headerlink").decompose()
    assert heading.get_text() == f"Welcome to {I01_NAME}"
    assert f"A sentence naming {I01_NAME}, also called {I02_SHORT_NAME}, in version 9.9." in article.get_text()
    item = article.select_one("li")
    assert item.find("a", href="https://example.org/").get_text() == I01_NAME
    assert item.find("strong").get_text() == I02_SHORT_NAME
    assert [td.get_text() for td in article.select("td")] == [I01_NAME, I02_SHORT_NAME]
    assert page.title.get_text() == f'Local "><script>alert("META")</script> page - {I01_NAME}'
    assert page.find("meta", attrs={"name": "description"})["content"] == '"><script>alert("METADESC")</script>'


def test_contacts_links_glossary_flow_and_release_text_show_as_written(evil_site: Path) -> None:
    draft = evil_site / "evil" / "9.9"
    contacts = soup(draft / "contacts" / "index.html").select_one("article").get_text(" ")
    for key in CONTACT_TEXT:
        assert payload(f"children_front_door.{key}") in contacts
    assert payload("links.title") in contacts and payload("links.description") in contacts
    assert soup(draft / "contacts" / "index.html").find("a", string=payload("links.title"))["href"] == TRICKY_URL
    glossary = soup(draft / "glossary" / "index.html").select_one("article").get_text(" ")
    assert payload("glossary.term") in glossary and payload("glossary.meaning") in glossary
    flow = soup(draft / "flows" / "should-i-share" / "index.html").select_one("article").get_text(" ")
    for key in ("question", "hint", "label", "outcome", "record"):
        assert payload(f"flow.{key}").replace("*", "") in flow.replace("*", "")  # hint and text are Markdown: *x* is emphasis
    assert payload("national.notes") in contacts
    sources = soup(draft / "sources" / "index.html").select_one("article").get_text(" ")
    assert all(payload(f"source.{key}") in sources for key in ("title", "publisher", "edition", "replaces"))
    assert payload("national.meaning") in glossary
    history = soup(draft / "version-history" / "index.html").select_one("article").get_text(" ")
    for key in ("approved_by", "summary", "author"):
        assert payload(key) in history


MARKDOWN_ATTACK = "Co [md](javascript:alert(1)) *em* _u_ `code` {: onclick=alert(2) } | cell | <b>b</b> &amp; \\<i>x</i> #"


@pytest.mark.parametrize("line", ["# Welcome to {} {{#welcome}}", "A sentence naming {} here.", "- [{}](https://example.org/)", "| {} | x |"])
def test_page_templating_values_are_inert_in_markdown(line: str) -> None:
    """{{ partnership.name }} lands in Markdown before it is converted: no link, emphasis, attribute or tag from it."""
    source = line.format(markdown_text(MARKDOWN_ATTACK))
    if line.startswith("|"):
        source = "| a | b |\n| --- | --- |\n" + source
    html = markdown.markdown(source, extensions=["attr_list", "tables", "md_in_html", "abbr", "toc"])
    parsed = BeautifulSoup(html, "html.parser")
    assert not parsed.find_all(["em", "code", "b", "i"]) and not parsed.find(attrs={"onclick": True})
    assert not [a for a in parsed.find_all("a") if a.get("href", "").startswith("javascript")]
    assert MARKDOWN_ATTACK in parsed.get_text()


def test_unsafe_addresses_are_refused_with_file_key_and_fix(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    yml = project / "partnerships" / "riverside" / "partnership.yml"
    data = yaml.safe_load(yml.read_text(encoding="utf-8"))
    data["links"] = [
        {"title": "Closes the link", "url": "https://example.org/a><script>alert(1)</script>"},
        {"title": "Script address", "url": "javascript:alert(1)"},
        {"title": "Quote", "url": 'https://example.org/"onmouseover="alert(1)'},
        {"title": "Disguised host", "url": "https://example.org@evil.example/"},
        {"title": "Backslash", "url": "https://example.org\\@evil.example/"},
        {"title": "Space", "url": "https://example.org/a b"},
    ]
    data["contacts"]["lado"]["url"] = "https://example.org/x>y"
    data["contacts"]["lado"]["email"] = 'lado"><script>alert(1)</script>@example.org'
    data["contacts"]["information_governance"]["email"] = "ig@example.org>"
    yml.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = safeguide("check", "riverside", cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output and "internal error" not in output
    for key in [f"links[{i}].url" for i in range(1, 7)] + ["contacts.lado.url", "contacts.lado.email", "contacts.information_governance.email"]:
        assert key in output, key
    assert "partnerships/riverside/partnership.yml" in output and "How to fix" in output


# --- the check over the built HTML -------------------------------------------------------------------


@pytest.fixture(scope="module")
def allowed() -> html_check.Allowed:
    return html_check.allowed_for(Path(material.__file__).parent / "templates", ROOT / "overrides", [assets.BUNDLE_JS])


MATERIAL_SCOPE = '<script>__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}</script>'

ALLOWED_HTML = [
    MATERIAL_SCOPE,
    '<script src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script><script src="../../assets/safeguide.bundle.js"></script>',
    '<script id="__config" type="application/json">{"base": "../.."}</script>',
    '<a href="https://www.gov.uk/guidance">GOV.UK</a> <a href="tel:999">999</a> <a href="mailto:a@example.org">a</a>',
    '<img src="../../assets/partnership/logo.svg" alt=""><img src="data:image/png;base64,AAAA" alt="">',
    '<link rel="stylesheet" href="../../assets/safeguide.bundle.css"><link rel="canonical" href="https://example.org/a/">',
    '<meta http-equiv="refresh" content="0; url=9.9/">',
    '<p style="color: #1d4f91">Text</p>',
    '<img src="a.png" alt="javascript: a language" title="onclick"><p data-answer="javascript: no">x</p>',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#60;iframe&#62; &amp</p>",  # text that only names tags
    '<pre><code class="language-mermaid">graph TD</code></pre><pre class="highlight"><code>x</code></pre>',  # shown as code
]

FORBIDDEN_HTML = {
    "inline script": ("<script>alert(1)</script>", "script written into the page"),
    "script after loose entities": ("fish &amp chips &# &<script>alert(1)</script>", "script written into the page"),
    "script from elsewhere": ('<script src="https://cdn.example/x.js"></script>', "another website"),
    "script not shipped": ('<script src="../../assets/evil.js"></script>', "not one safeguide ships"),
    "module script": ('<script type="module">import("x")</script>', "script written into the page"),
    "data script not ours": ('<script type="application/json" id="other">{}</script>', "did not make"),
    "event attribute": ('<p onclick="alert(1)">x</p>', "onclick"),
    "event on svg": ('<svg><circle onload="alert(1)"/></svg>', "onload"),
    "iframe": ('<iframe src="contacts/"></iframe>', "embeds"),
    "object": ('<object data="x.pdf"></object>', "embeds"),
    "embed": ('<embed src="x.swf">', "embeds"),
    "image from elsewhere": ('<img src="https://tracker.example/p.gif" alt="">', "another website"),
    "protocol-relative": ('<img src="//tracker.example/p.gif" alt="">', "another website"),
    "backslash host": ('<img src="/\\tracker.example/p.gif" alt="">', "another website"),
    "srcset": ('<img src="a.png" srcset="a.png 1x, https://tracker.example/b.png 2x" alt="">', "another website"),
    "video poster": ('<video poster="https://tracker.example/p.png"></video>', "another website"),
    "audio": ('<audio src="https://tracker.example/a.mp3"></audio>', "another website"),
    "source": ('<picture><source srcset="https://tracker.example/a.webp"></picture>', "another website"),
    "stylesheet": ('<link rel="stylesheet" href="https://fonts.example/css">', "another website"),
    "icon": ('<link rel="icon" href="https://tracker.example/i.png">', "another website"),
    "preload": ('<link rel="preload" href="//cdn.example/f.woff2" as="font">', "another website"),
    "form": ('<form action="https://collect.example/"><button>Send</button></form>', "another website"),
    "formaction": ('<button formaction="https://collect.example/">Send</button>', "another website"),
    "base": ('<base href="https://evil.example/">', "point elsewhere"),
    "style url": ('<p style="background: url(https://tracker.example/p.gif)">x</p>', "another website"),
    "style import": ('<style>@import "https://fonts.example/a.css";</style>', "another website"),
    "svg image": ('<svg><image href="https://tracker.example/p.png"/></svg>', "another website"),
    "javascript link": ('<a href="javascript:alert(1)">x</a>', "script address"),
    "javascript hidden": ('<a href=" java\tscript:alert(1)">x</a>', "script address"),
    "javascript entity": ('<a href="&#106;avascript:alert(1)">x</a>', "script address"),
    "svg animation": ('<svg><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>', "script address"),
    "svg animation of an event": ('<svg><set attributeName="onmouseover" to="alert(1)"/></svg>', "could run a script"),
    "refresh elsewhere": ('<meta http-equiv="refresh" content="0; url=https://evil.example/">', "automatically"),
    "refresh script": ('<meta http-equiv="Refresh" content="0;URL=javascript:alert(1)">', "automatically"),
    # what makes Material's bundle fetch from another host itself (found by a new user's trial)
    "mermaid diagram": ('<pre class="mermaid"><code>graph TD; A--&gt;B</code></pre>', "unpkg.com"),
    "repository facts": ('<a href="https://github.com/x/y" data-md-component="source">x/y</a>', "GitHub"),
}


@pytest.mark.parametrize("html", ALLOWED_HTML)
def test_html_check_allows_what_material_and_we_ship(html: str, allowed: html_check.Allowed) -> None:
    assert html_check.check_html(html, "evil/page/index.html", allowed) == []


@pytest.mark.parametrize("case", sorted(FORBIDDEN_HTML))
def test_html_check_finds_scripts_embeds_and_requests_elsewhere(case: str, allowed: html_check.Allowed) -> None:
    html, expected = FORBIDDEN_HTML[case]
    findings = html_check.check_html(f"<p>Before</p>\n{html}", "evil/page/index.html", allowed)
    assert findings and expected in findings[0].message
    assert findings[0].line == 2


def test_html_check_reports_a_repeated_tag_every_time_it_occurs(tmp_path: Path, allowed: html_check.Allowed) -> None:
    """check_site remembers what each start tag gave; a tag seen before is still reported, on every page and line."""
    body = "\n".join(html for html, _ in FORBIDDEN_HTML.values())
    for page in ("a", "b/c"):
        (tmp_path / page).mkdir(parents=True)
        (tmp_path / page / "index.html").write_text(f"<p>Before</p>\n{body}\n<p>Between</p>\n{body}\n", encoding="utf-8")
    findings = html_check.check_site(tmp_path, allowed)
    one_page = html_check.check_html(f"<p>Before</p>\n{body}\n<p>Between</p>\n{body}\n", "a/index.html", allowed)
    assert [(f.line, f.message) for f in findings if f.path == "a/index.html"] == [(f.line, f.message) for f in one_page]
    assert [(f.line, f.message) for f in findings if f.path == "b/c/index.html"] == [(f.line, f.message) for f in one_page]
    lines = body.count("\n") + 1
    for case, (html, expected) in FORBIDDEN_HTML.items():
        first = 2 + body.split("\n").index(html.split("\n")[0])
        found = {f.line for f in one_page if expected in f.message}
        assert {first, first + lines + 1} <= found, case


def test_html_check_problems_name_the_page_once_per_finding() -> None:
    findings = [html_check.Finding(f"{page}/index.html", 9, "it has a script") for page in ("a", "b", "c")]
    problems = html_check.problems(findings, lambda built: "docs/" + built.split("/")[0] + ".md")
    assert len(problems) == 1
    assert problems[0].file == "docs/a.md (built as a/index.html, line 9)"
    assert "same is on 2 other pages" in problems[0].message and problems[0].fix


def test_the_demo_passes_the_html_check(demo_site: Path, allowed: html_check.Allowed) -> None:
    editions = [p.parent for p in demo_site.glob("*/*/sitemap.xml")]
    assert len(editions) >= 4
    for edition in editions:
        root = f"/{edition.parent.name}/{edition.name}/"  # the 404 page names scripts from the host's root (site_url)
        assert html_check.check_site(edition, dataclasses.replace(allowed, root=root)) == [], edition


def test_a_script_from_elsewhere_fails_the_build_and_names_the_page(tmp_path: Path) -> None:
    """A script added in mkdocs.yml is in no page's source: only the check over the built HTML sees it."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("\nextra_javascript:\n", "\nextra_javascript:\n  - https://cdn.example/analytics.js\n", 1), encoding="utf-8")
    result = safeguide("check", "riverside", cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output and "internal error" not in output
    assert re.search(r"docs/\S+\.md \(built as \S+\.html, line \d+\): <script> loads https://cdn\.example/analytics\.js from another website", output), output
    assert "The same is on" in output and "How to fix" in output


# --- in a real browser -----------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_no_injected_script_runs_in_a_browser(evil_site: Path, new_page) -> None:
    """Every payload calls alert(): no dialog opens on the hostile pages, nor in search results (Material
    writes search results into the page as HTML)."""
    from tests.browser import serve

    dialogs: list[str] = []
    with serve(evil_site) as url:
        page = new_page(1280)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url + "evil/")  # the redirect page leads on to the release
        page.wait_for_url("**/evil/9.8/")
        for path in ("contacts/", "evil-page/", "flows/should-i-share/", "glossary/", "version-history/", "sources/"):
            page.goto(f"{url}evil/9.9/{path}", wait_until="load")
        search = page.locator("input.md-search__input")
        search.click()  # at 1280 px the search box sits in the header
        search.press_sequentially("evil", delay=30)  # the name, with its <script>, is in the results
        page.locator(".md-search-result__item").first.wait_for()
    assert dialogs == []
