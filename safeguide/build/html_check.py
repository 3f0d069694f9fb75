"""A check over the built site: no script we did not ship, and no request to another host.

The source checks (raw HTML in local pages, snippets, logos) stop unsafe input early, with the line to
fix. This check backs them: after each edition is built, every HTML (and SVG) file of it is read once
with the standard library's HTMLParser, and the build fails if any page

- has a <script src> that is not one of the theme's or our shipped scripts, or an inline <script>
  whose text is not one Material's templates (or our overrides) emit;
- has an event attribute (onclick, onerror, ...), or an SVG animation that sets one or an address;
- embeds another page or program (<iframe>, <frame>, <object>, <embed>, <applet>);
- loads anything from another host: src/srcset/poster/data/action/formaction/background of the
  elements that fetch, <link> other than plain navigation (canonical, prev, next, ...), <base href>,
  url(...) or @import in a style, or a <meta http-equiv="refresh"> to another site;
- has a `javascript:` (or `vbscript:`) address in any attribute that holds an address;
- has what makes Material's bundle fetch from another host itself: a Mermaid diagram (`<pre class="mermaid">`: its
  code from unpkg.com) or a repository link (`data-md-component="source"`: facts from GitHub's or GitLab's API).
  (The bundle's third such fetch, a ResizeObserver polyfill for old browsers, is answered by
  overrides/partials/sg-polyfills-head.html.)

Plain <a href> links to other sites are allowed: following one is the reader's choice, not a request
the page makes. Source of the rules: the product's privacy promise ("a built page requests nothing
from any other host") and issue 11, item 11.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from safeguide.core.html_positions import LazyPositions
from safeguide.core.problems import Problem

CHECKED_SUFFIXES = (".html", ".htm", ".xhtml", ".svg")
EMBEDDING = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"}
# Attributes that make the browser fetch something, by element ("*": on any element).
LOADING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src", "formaction"),
    "button": ("formaction",),
    "form": ("action",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "*": ("background", "ping"),
}
# <link rel> values that only describe a relation and fetch nothing.
NAVIGATION_RELS = {"canonical", "alternate", "prev", "next", "author", "license", "help", "bookmark", "search", "me"}
# Attributes that hold an address (HTML, SVG, and SVG animation values that may set one).
URL_ATTRIBUTES = {
    "href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background", "ping",
    "cite", "codebase", "longdesc", "manifest", "lowsrc", "dynsrc", "values", "to", "from", "by",
}
SVG_ANIMATION = {"animate", "set", "animatemotion", "animatetransform"}
DATA_SCRIPT_TYPES = {"application/json"}  # data for Material's bundle (#__config); browsers do not run it
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
CONTROL = re.compile(r"[\x00-\x20]+")  # browsers drop these inside URLs ("java\tscript:")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE | re.DOTALL)
REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]*)", re.IGNORECASE)
JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
FIX = (
    "Remove it from the page or the setting it comes from. Guidance sites run only the scripts safeguide ships "
    "and load nothing from other websites, so that they stay private and work offline. "
    "To point readers to another website, use an ordinary link."
)
SHIPPED_SCRIPT = re.compile(r"""['"](assets/javascripts/[^'"]+\.js)['"]""")
STATEFUL_TAGS = frozenset(HTMLParser.CDATA_CONTENT_ELEMENTS)  # script and style: what they hold is checked too
PLAIN_END_TAG = re.compile(r"</([a-zA-Z][-.a-zA-Z0-9:_]*)>")  # as HTMLParser's endtagfind, without spaces


@dataclass(frozen=True)
class Allowed:
    """What a built page may run: site-relative script paths, and patterns for inline script text."""

    scripts: frozenset[str]
    inline: tuple[re.Pattern[str], ...]
    root: str = "/"  # the site's path on its host (from site_url): MkDocs' 404 page names scripts from there


@dataclass(frozen=True)
class Finding:
    """One thing wrong in one built file: `path` relative to the site, `line` in that file."""

    path: str
    line: int
    message: str


def allowed_for(material_dir: Path, custom_dir: Path | None, extra_javascript: Iterable[object], site_url: str | None = None) -> Allowed:
    """The allow-list for a build, read from the theme itself so that it follows Material's upgrades.

    Script files: what Material's base.html names under assets/javascripts/ (its bundle), plus
    mkdocs.yml's extra_javascript (strings, or MkDocs' ExtraScriptValue with `.path`), plus the scripts
    vendored in custom_dir's assets/vendor/<package>/. Inline scripts:
    the <script> blocks of Material's partials/javascripts/*.html and of every template in our
    custom_dir, where a `{{ ... }}` (Material puts the base URL there) may be any relative path.
    `site_url` (the edition's own address) says where the site's root is for "/..." script paths.
    """
    scripts = {str(getattr(s, "path", s)).lstrip("/") for s in extra_javascript}
    scripts.update(SHIPPED_SCRIPT.findall((material_dir / "base.html").read_text(encoding="utf-8")))
    if custom_dir:  # scripts we vendor and ship (the offline copy lists iframe-worker's shim under extra.polyfills)
        scripts.update(p.relative_to(custom_dir).as_posix() for p in custom_dir.glob("assets/vendor/*/*.js"))
    templates = sorted((material_dir / "partials" / "javascripts").glob("*.html"))
    templates += sorted(custom_dir.rglob("*.html")) if custom_dir else []
    inline = tuple(_script_pattern(body) for t in templates for body in INLINE_SCRIPT.findall(t.read_text(encoding="utf-8")))
    return Allowed(frozenset(scripts), inline, urlsplit(site_url or "/").path or "/")


def _script_pattern(body: str) -> re.Pattern[str]:
    literal = [re.escape(part) for part in JINJA_EXPRESSION.split(body.strip())]
    return re.compile(r"[\w./-]*".join(literal))


def check_site(site_dir: Path, allowed: Allowed) -> list[Finding]:
    """Every HTML and SVG file under `site_dir`, checked; findings in path order."""
    findings: list[Finding] = []
    seen: dict[str, tuple[str, list[str]]] = {}  # shared by the site's pages, which repeat most of their tags
    for path in sorted(site_dir.rglob("*")):
        if path.suffix.lower() in CHECKED_SUFFIXES and path.is_file():
            relative = path.relative_to(site_dir).as_posix()
            findings += check_html(path.read_text(encoding="utf-8", errors="replace"), relative, allowed, seen)
    return findings


def check_html(html: str, page_path: str, allowed: Allowed, seen: dict[str, tuple[str, list[str]]] | None = None) -> list[Finding]:
    """One file's findings; `page_path` (site-relative, e.g. "contacts/index.html") resolves relative script srcs.
    `seen` keeps, across the files of one check, what each start tag's exact text gave (its name and messages):
    a site of 150 pages has about 25,000 start tags but only about 1,000 different ones."""
    scanner = _Scanner(page_path, allowed, {} if seen is None else seen)
    scanner.feed(html)
    scanner.close()
    return scanner.findings


def problems(findings: list[Finding], describe: Callable[[str], str] = str) -> list[Problem]:
    """Findings as the project's problems, one per distinct finding (a partnership's name is on every
    page); `describe` names the source a built file comes from, e.g. "docs/contacts.md"."""
    pages: dict[str, list[Finding]] = {}
    for finding in findings:
        pages.setdefault(finding.message, []).append(finding)
    result = []
    for message, found in pages.items():
        first = next((f for f in found if describe(f.path) != f.path), found[0])  # a page with a source, if any
        source = describe(first.path)
        where = f"{source} (built as {first.path}, line {first.line})" if source != first.path else f"{first.path} in the built site, line {first.line}"
        others = len({f.path for f in found}) - 1
        elsewhere = f" The same is on {others} other page{'s' if others != 1 else ''}." if others else ""
        result.append(Problem(where, message + elsewhere, FIX))
    return result


class _Scanner(LazyPositions):
    """One pass over one file, collecting findings; attribute values arrive with entities decoded."""

    def __init__(self, page_path: str, allowed: Allowed, seen: dict[str, tuple[str, list[str]]]) -> None:
        # Attribute values are decoded either way, and tags are found the same way; decoded text arrives in fewer pieces
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.allowed = allowed
        self.seen = seen
        self.findings: list[Finding] = []
        self._script: list[str] | None = None  # the text of the inline <script> being read
        self._style: list[str] | None = None  # the text of the <style> being read

    def _found(self, message: str) -> None:
        self.findings.append(Finding(self.page_path, self.getpos()[0], message))

    def parse_starttag(self, i: int) -> int:
        """HTMLParser's, but a start tag whose exact text was checked before gives the same messages without being
        parsed again. Not <script> and <style>, whose findings depend on the page and what follows them."""
        end = self.check_for_whole_start_tag(i)
        text = self.rawdata[i:end] if end > i else ""
        known = self.seen.get(text) if text else None
        if known is not None:
            self.lasttag, messages = known
            for message in messages:
                self._found(message)
            return end
        before = len(self.findings)
        result: int = super().parse_starttag(i)
        if text and result == end and self.lasttag not in STATEFUL_TAGS:
            self.seen[text] = (self.lasttag, [f.message for f in self.findings[before:]])
        return result

    def parse_endtag(self, i: int) -> int:
        """HTMLParser's, without the work for a plain end tag (`</p>`) outside <script> and <style>: only theirs
        matter here."""
        if self.cdata_elem is None:  # HTMLParser's, set while inside <script> or <style>
            plain = PLAIN_END_TAG.match(self.rawdata, i)
            if plain is not None and plain.group(1).lower() not in STATEFUL_TAGS:
                return plain.end()
        result: int = super().parse_endtag(i)
        return result

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, {name: value or "" for name, value in attrs})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self._element(tag, values)
        if tag == "script":
            self._script = [] if "src" not in values and values.get("type", "").lower() not in DATA_SCRIPT_TYPES else None
        elif tag == "style":
            self._style = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        elif self._style is not None:
            self._style.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            body = "".join(self._script).strip()
            if body and not any(p.fullmatch(body) for p in self.allowed.inline):
                self._found(f"it has a script written into the page that safeguide did not make: {_short(body)}")
            self._script = None
        elif tag == "style" and self._style is not None:
            self._css("".join(self._style), "a <style> block")
            self._style = None

    def _element(self, tag: str, values: dict[str, str]) -> None:
        """Checks one start tag; `values`: its attributes, names lower-case, entities decoded."""
        for name, value in values.items():
            if name.startswith("on"):
                self._found(f'<{tag}> has the event attribute {name}="{_short(value)}", which would run a script.')
            if name in URL_ATTRIBUTES and CONTROL.sub("", value).lower().startswith(SCRIPT_SCHEMES):
                self._found(f'<{tag}> has a script address ({name}="{_short(value)}").')
        if tag in SVG_ANIMATION and values.get("attributename", "").lower().startswith(("on", "href", "xlink:href")):
            self._found(f'<{tag}> changes the {values["attributename"]} of an element, which could run a script.')
        if tag in EMBEDDING:
            self._found(f"<{tag}> embeds another page or program in the page.")
        for name in (*LOADING.get(tag, ()), *LOADING["*"]):
            if name in values:
                self._loads(tag, name, values[name])
        if tag == "script" and "src" in values and not _elsewhere(values["src"]):
            self._own_script(values["src"])
        if tag == "link" and "href" in values and not set(values.get("rel", "").lower().split()) <= NAVIGATION_RELS:
            self._loads(tag, "href", values["href"])
        if tag == "base" and values.get("href"):
            self._found(f'<base href="{_short(values["href"])}"> would make every address on the page point elsewhere.')
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self._refresh(values.get("content", ""))
        if tag == "script" and values.get("type", "").lower() in DATA_SCRIPT_TYPES and values.get("id") != "__config":
            self._found(f'<script type="{values["type"]}"> that safeguide did not make.')
        if "style" in values:
            self._css(values["style"], f"the style of <{tag}>")
        if tag == "pre" and "mermaid" in values.get("class", "").split():
            self._found('<pre class="mermaid"> is a Mermaid diagram, which Material draws with code it loads from another '
                        "website (unpkg.com). Draw it as a safeguide flow (docs/flows/) or save it as an image in your folder.")
        if values.get("data-md-component") == "source":
            self._found(f'<{tag} data-md-component="source"> makes Material fetch facts about a code repository from another '
                        "website (GitHub's or GitLab's). Leave out the attribute, and repo_url in mkdocs.yml.")

    def _loads(self, tag: str, name: str, value: str) -> None:
        urls = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
        for url in urls:
            if _elsewhere(url):
                self._found(f'<{tag}> loads {_short(url)} from another website ({name}).')

    def _own_script(self, src: str) -> None:
        path = urlsplit(src.replace("\\", "/")).path
        # "/assets/..." (Material's 404 page; "/<id>/<version>/assets/..." with a site_url) is read from the
        # site's root, "assets/..." from the page's folder
        root = self.allowed.root
        resolved = path.removeprefix(root if path.startswith(root) else "/") if path.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(self.page_path), path))
        if resolved not in self.allowed.scripts:
            self._found(f"it loads the script {_short(src)}, which is not one safeguide ships.")

    def _refresh(self, content: str) -> None:
        target = REFRESH_URL.search(content)
        if target and (_elsewhere(target.group(1)) or CONTROL.sub("", target.group(1)).lower().startswith(SCRIPT_SCHEMES)):
            self._found(f"it sends the reader on to {_short(target.group(1))} automatically (meta refresh).")

    def _css(self, css: str, where: str) -> None:
        for match in CSS_URL.finditer(css):
            url = match.group(2) if match.group(2) is not None else match.group(4)
            if url and _elsewhere(url):
                self._found(f"{where} loads {_short(url)} from another website.")


def _elsewhere(url: str) -> bool:
    """True if fetching `url` from a page would contact another host (any scheme but data:, or //host)."""
    cleaned = CONTROL.sub("", url).replace("\\", "/")  # browsers read "\\host" and "/\\host" as "//host"
    if cleaned.startswith("//"):
        return True
    scheme = SCHEME.match(cleaned)
    return scheme is not None and scheme.group(1).lower() != "data"


def _short(text: str, limit: int = 80) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
