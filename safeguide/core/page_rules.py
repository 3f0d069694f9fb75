"""What a page or slot may include (snippets) and contain (raw HTML), checked in its source before a build.

Two promises rest on this (issue 11, items 10 and 11; README "What local pages may contain"):

- **Includes.** `--8<-- "file"` (pymdownx.snippets) may pull in only files that a release freezes: the
  baseline's docs folder and the partnership's own folder (never its releases/ or hidden files). A
  release may include only files of its frozen copy. `safeguide.build.snippets.configure_snippets` makes the build itself keep
  to that (base_path, restrict_base_path, no downloads); `Checker` finds every refused or missing
  include first, with the page's file and line, so nobody meets pymdownx's SnippetMissingError.
- **Raw HTML.** No scripts, frames, embedded objects, forms, `<base>`, `<meta http-equiv>`, event
  attributes (in HTML or through attr_list), `javascript:`/`data:` addresses, and nothing loaded from
  another host (images, media, stylesheets). Text in fenced code blocks and inline code spans is
  quoted, not HTML, and is left alone. The built HTML is checked again after the build (backstop).

The source is read with the parsers' eyes: snippets' own expressions and path parsing, Markdown's
block-level tags, attr_list's own attribute parser, and `html.parser` for tags and attributes.
"""

from __future__ import annotations

import functools
import html
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markdown import Markdown
from markdown.extensions.attr_list import get_attrs_and_remainder
from pymdownx.snippets import SnippetExtension, SnippetPreprocessor
from pymdownx.snippets import SnippetMissingError as SnippetMissingError  # re-exported: the build catches it

from safeguide.core.html_positions import LazyPositions
from safeguide.core.loading import PAGE_LIMIT, read_text
from safeguide.core.problems import Problem, SafeguideError

SNIPPETS = "pymdownx.snippets"
# Front matter as MkDocs 1.6 finds it (mkdocs.utils.meta.YAML_RE), so the checks read what the build reads.
YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
MAX_INCLUDE_BYTES = 1024 * 1024  # an included file is text for a page; anything larger is a mistake
MAX_INCLUDE_DEPTH = 10  # includes inside included files; snippets itself stops only near the recursion limit


# --- includes (pymdownx.snippets) -----------------------------------------------------------------


@functools.cache
def _snippets() -> SnippetPreprocessor:
    """pymdownx.snippets' own parser: its expressions and path splitting, so we read what it reads."""
    return SnippetPreprocessor(SnippetExtension().getConfigs(), Markdown())


@dataclass(frozen=True)
class Include:
    line: int
    written: str  # as the page gives it, with any :lines or :section
    path: str  # the file part; "" when there is none
    section: str | None = None  # file.md:name includes only the part between --8<-- [start:name] and [end:name]


def includes(text: str) -> list[Include]:
    """Every file a page's text asks snippets to include, with its line (1-based, front matter counted).

    Mirrors `SnippetPreprocessor.parse_snippets`: single-line `--8<-- "file"`, blocks of paths between
    `--8<--` lines, `;`-escaped markers and `;`-commented paths skipped, inline markers inside a block
    ignored. Fenced code is no shelter: snippets runs before code blocks are recognised.
    """
    parser, found, block = _snippets(), [], False
    for number, line in enumerate(_body_lines(text), 1):
        inline = False
        m = parser.RE_ALL_SNIPPETS.match(line)
        if m:
            if m.group("escape") or (block and m.group("inline_marker")):
                continue
            if not m.group("inline_marker"):
                block = not block
                continue
            inline = True
        elif not block:
            continue
        else:
            m = parser.RE_SNIPPET.match(line)
        if m is None:
            continue
        written = m.group("snippet")[1:-1].strip() if inline else m.group("snippet").strip()
        if (not inline and not written) or written.startswith(";"):
            continue
        target = parser.parse_snippet_target(written)
        found.append(Include(number, written, target["path"], target["section"]) if target else Include(number, written, ""))
    return found


@dataclass(frozen=True)
class IncludeArea:
    """The files a build's pages may include: under `roots` (in the order snippets tries them), not under
    `barred`, and no hidden file (a release does not freeze those)."""

    roots: tuple[Path, ...]
    barred: tuple[Path, ...]
    project_root: Path

    def show(self, path: Path) -> str:
        try:
            return path.relative_to(self.project_root).as_posix()
        except ValueError:
            return str(path)

    @property
    def described(self) -> str:
        return " and ".join(self.show(root) + "/" for root in self.roots)

    def candidate(self, path: str) -> Path | None:
        """The file snippets would read for `path`: the first root it stays under (by its written path,
        as `restrict_base_path` checks) where it exists."""
        for root in self.roots:
            joined = Path(os.path.abspath(os.path.join(root, path)))
            if joined.is_relative_to(root) and joined.exists():
                return joined
        return None

    def refusal(self, path: Path) -> str | None:
        """Why a file that exists may not be included, or None. Links are followed to where they lead."""
        real = path.resolve()
        root = next((r for r in self.roots if real.is_relative_to(r)), None)
        if root is None:
            return f"a page may include only files from {self.described}"
        if any(real.is_relative_to(b) for b in self.barred):
            return "approved releases cannot be included in a page"
        if any(part.startswith(".") for part in real.relative_to(root).parts):
            return "hidden files are not kept when a version is released"
        if not real.is_file():
            return "it is a folder, not a file" if real.is_dir() else "it is not an ordinary file"
        if real.stat().st_size > MAX_INCLUDE_BYTES:
            return f"it is larger than {MAX_INCLUDE_BYTES // (1024 * 1024)} MB"
        return None


@dataclass
class Checker:
    """Checks pages and slots of one build; remembers included files so each is checked once."""

    area: IncludeArea
    seen: set[Path] = field(default_factory=set)
    reported: set[Problem] = field(default_factory=set)  # a file that is a page and also included is told once

    @classmethod
    def of(cls, docs_dir: Path, folder: Path, project_root: Path) -> Checker:
        """For a working copy `folder` is partnerships/<id>; for a release, its frozen copy."""
        folder = folder.resolve()
        return cls(IncludeArea((docs_dir.resolve(), folder), (folder / "releases",), project_root.resolve()))

    def check(self, text: str, shown: str) -> list[Problem]:
        """Every problem with what a page or slot includes and contains, each told once per build."""
        found = [p for p in _unique(self._includes(text, shown, depth=0) + html_problems(text, shown)) if p not in self.reported]
        self.reported.update(found)
        return found

    def _includes(self, text: str, shown: str, depth: int) -> list[Problem]:
        problems: list[Problem] = []
        for include in includes(text):
            try:
                found = self.area.candidate(include.path) if include.path else None
                problem = self._refused(include, found, shown)
            except (OSError, RuntimeError):  # a link that points at itself, a file we may not read
                found, problem = None, Problem(shown, f"snippets cannot include {include.written}: the file cannot be read.", "Include an ordinary file from your own folder.", include.line)
            if problem is not None:
                problems.append(problem)
            elif found is not None and found.resolve() not in self.seen and depth < MAX_INCLUDE_DEPTH:
                self.seen.add(found.resolve())
                problems += self._included_file(found, depth)
        return problems

    def _included_file(self, path: Path, depth: int) -> list[Problem]:
        """An included file becomes part of the page: the same rules hold for its own text."""
        shown = self.area.show(path)
        try:
            text = read_text(path, shown, PAGE_LIMIT)  # size, encoding and readability, as for pages
        except SafeguideError as e:
            return e.problems
        return self._includes(text, shown, depth + 1) + html_problems(text, shown)

    def _refused(self, include: Include, found: Path | None, shown: str) -> Problem | None:
        where = self.area.described
        own = self.area.show(self.area.roots[-1])
        fix_outside = (
            f"Put the text in a file of your own, for example {own}/includes/hours.md, and include it as "
            f'--8<-- "includes/hours.md" (paths are read from {where}). Another partnership\'s files '
            "and the project's settings can never be included."
        )
        if not include.path:
            return Problem(shown, f'this include line, --8<-- "{include.written}", names no file.', "Write the file's path in the quotes, or remove the line.", include.line)
        if include.path.lower().startswith(("http://", "https://", "ftp://", "//")):
            return Problem(
                shown,
                f"snippets cannot include {include.written}: pages cannot pull in text from other websites.",
                "Copy the text you need into the page, or link to it: [title](https://…).",
                include.line,
            )
        if found is None:
            within = self._written_from_an_allowed_folder(include.path)
            if within is not None:  # "docs/_data/x.yml": the right file, named from the project instead of from docs/
                return Problem(
                    shown,
                    f"snippets cannot include {include.written}: paths are read from inside {where}, so this names {within[0]}/{include.path}, which does not exist.",
                    f'Leave out the folder\'s own name: --8<-- "{within[1]}".',
                    include.line,
                )
            exists_elsewhere = Path(include.path).is_absolute() or (self.area.project_root / include.path).exists()
            escapes = all(not Path(os.path.abspath(os.path.join(r, include.path))).is_relative_to(r) for r in self.area.roots)
            if exists_elsewhere or escapes:
                return Problem(shown, f"snippets cannot include {include.written}: {self._outside()}.", fix_outside, include.line)
            return Problem(
                shown,
                f"snippets cannot include {include.written}: there is no such file in {where}.",
                f"Check the file name. Paths are read from {where}, in that order: a file at {own}/includes/hours.md is included as --8<-- \"includes/hours.md\".",
                include.line,
            )
        reason = self.area.refusal(found)
        if reason is not None:
            return Problem(shown, f"snippets cannot include {include.written}: {reason}.", fix_outside, include.line)
        if include.section and not _has_section(found, include.section):
            return Problem(
                shown,
                f"snippets cannot include {include.written}: {self.area.show(found)} has no part called '{include.section}'.",
                f"Mark the part in that file with lines --8<-- [start:{include.section}] and --8<-- [end:{include.section}], or correct the name.",
                include.line,
            )
        return None

    def _written_from_an_allowed_folder(self, path: str) -> tuple[str, str] | None:
        """(the folder it was read from, the path to write) when `path` names a file of an allowed folder
        by its place in the project, such as docs/_data/baseline.yml for _data/baseline.yml."""
        for root in self.area.roots:
            prefix = self.area.show(root).rstrip("/") + "/"
            rest = path[len(prefix):] if path.startswith(prefix) else ""
            meant = self.area.candidate(rest) if rest else None
            if meant is not None and self.area.refusal(meant) is None:
                return self.area.show(root), rest
        return None

    def _outside(self) -> str:
        return f"a page may include only files from {self.area.described}"


def _has_section(path: Path, name: str) -> bool:
    """Whether a file marks the part `name` as snippets finds it (an unescaped [start:name] marker)."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError:
        return True  # told apart when the file itself is checked
    for line in lines:
        m = _snippets().match_section(line)
        if m and not m.group("escape") and m.group("type") == "start" and m.group("name") == name:
            return True
    return False


def snippet_failure(error: SnippetMissingError, log: list[str], shown_as: Callable[[str], str] = str) -> Problem:
    """The build's backstop when snippets refuses a file that the page check did not see (for example an
    include line that a template wrote). The page is the one MkDocs was building, taken from its `log`
    messages; `shown_as` turns its path in the site into the file as the user knows it."""
    uri = next((m.split("'")[1] for m in log if m.startswith(("Error reading page '", "Error building page '"))), None)
    written = re.search(r"'(.*)'", str(error))
    what = written.group(1) if written else "a file"
    if str(error).startswith("Snippet section"):
        message = f"snippets cannot find the part '{what}' in the file it includes."
    else:
        message = f"snippets cannot include {what}: pages may include only files from the baseline's docs folder and their own partnership's folder."
    return Problem(
        shown_as(uri) if uri else "a page",
        message,
        "Include a file from docs/ or your partnership's folder, by its path from there, or copy the text into the page.",
    )


# --- raw HTML ---------------------------------------------------------------------------------------

NO_SCRIPT_FIX = "Remove it: pages cannot run scripts. For something interactive, use a flow or a quiz block (see README)."
LINK_INSTEAD_FIX = "Link to it instead of embedding it: [title](https://…)."
IMAGE_FIX = "Save the image in your partnership's docs folder (for example docs/images/) and use its file name: ![Description](images/name.png)."
MEDIA_FIX = "Link to the video or recording instead of embedding it: [Watch the video](https://…)."
FILE_FIX = "Save the file in your partnership's docs folder and link to it by name, or link to where it is published."

# tag -> (what it is, in plain words, how to fix). <style> is allowed when it loads nothing (checked below).
FORBIDDEN_TAGS: dict[str, tuple[str, str]] = {
    "script": ("a script (<script>)", NO_SCRIPT_FIX),
    "iframe": ("an embedded page (<iframe>)", LINK_INSTEAD_FIX),
    "frame": ("an embedded page (<frame>)", LINK_INSTEAD_FIX),
    "frameset": ("an embedded page (<frameset>)", LINK_INSTEAD_FIX),
    "portal": ("an embedded page (<portal>)", LINK_INSTEAD_FIX),
    "object": ("embedded content (<object>)", LINK_INSTEAD_FIX),
    "embed": ("embedded content (<embed>)", LINK_INSTEAD_FIX),
    "applet": ("embedded content (<applet>)", LINK_INSTEAD_FIX),
    "base": ("a <base> element, which changes where every link on the page goes", "Remove it and write each link in full."),
    "form": ("a form, which could send what readers type to another website", "Remove it and link to the form on the service's own website instead."),
    "link": ("a <link> element, which loads a file into the page", "Remove it: the site's own styles load on every page. Link to other pages with [title](address)."),
}
MEDIA_TAGS = {"video", "audio", "source", "track"}
IMAGE_TAGS = {"img", "image", "picture", "input", "feimage", "body", "table", "td", "th", "svg"}
LOADING_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "manifest", "codebase", "archive", "action", "formaction", "icon"}
URL_ATTRIBUTES = LOADING_ATTRIBUTES | {"href", "xlink:href", "cite", "longdesc", "usemap", "ping"}
HREF_LOADS = {"link", "image", "use", "feimage", "script", "tref"}  # elements whose href loads a file rather than links
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
SCRIPT_SCHEMES = {"javascript", "vbscript", "data", "livescript", "mocha"}
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)")
CSS_SCRIPT = re.compile(r"javascript:|vbscript:|expression\s*\(|behavior\s*:|-moz-binding", re.IGNORECASE)
# Another host: an address with a scheme (data: images excepted) or starting //, in url(), @import or a string.
CSS_REMOTE = re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//|(?:url\(|@import)\s*['\"]?\s*(?!data:image/)[a-z][a-z0-9+.-]*:", re.IGNORECASE)
HTML_COMMENT = re.compile(r"<!--(?:>|->|.*?(?:--!?>))", re.DOTALL)  # as HTML5 ends them: <!--> is a whole comment
FENCE = re.compile(r"^[ \t]*(?:>[ \t]*)*(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")
ATTR_LIST = re.compile(r"(?<![{%])\{(?![{%#]):?((?:\"[^\"\n]*\"|'[^'\n]*'|[^}\"'\n])*)\}")
MD_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)")
MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
MD_REFERENCE = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)")
MD_IMAGE_REF = re.compile(r"!\[((?:[^\]\\]|\\.)*)\](?:\s?\[([^\]]*)\])?")


def html_problems(text: str, shown: str) -> list[Problem]:
    """Raw HTML, attr_list attributes and Markdown images and links that break the privacy and safety
    promises, each with its line. Text in fenced code and inline code spans is skipped."""
    lines = _visible_lines(text)
    problems = _tag_problems("\n".join(lines), shown)
    problems += _attr_list_problems(lines, shown) + _markdown_problems(lines, shown)
    return _unique(sorted(problems, key=lambda p: p.line or 0))


def _body_lines(text: str) -> list[str]:
    """The page's lines with the front matter blanked (MkDocs takes it off before Markdown runs)."""
    found = YAML_RE.match(text)
    head = found.group(0).count("\n") if found else 0
    lines = text.split("\n")
    return [""] * head + lines[head:]


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _visible_lines(text: str) -> list[str]:
    """The page's lines as HTML would see them: code blanked out, comments blanked, positions kept.

    Jinja tags stay: `{{ "<script>" }}` would put a script in the page. An unclosed fence or comment
    hides nothing, since Markdown and browsers would not treat the rest of the page as hidden either.
    """
    lines = _body_lines(text)
    out: list[str] = []
    raw: tuple[str, int] | None = None  # inside a raw HTML block Markdown leaves backticks alone
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line) if raw is None else None
        end = _fence_end(lines, i, fence.group(1)) if fence else None
        if end is not None:
            out += [" " * len(x) for x in lines[i : end + 1]]
            i = end + 1
            continue
        in_raw = raw is not None or _starts_raw_block(line)
        raw = _raw_block(line, raw)
        out.append(line if in_raw else INLINE_CODE.sub(_blank, line))
        i += 1
    visible = HTML_COMMENT.sub(_blank, "\n".join(out))
    return visible.split("\n")


def _fence_end(lines: list[str], start: int, fence: str) -> int | None:
    closing = re.compile(rf"^[ \t]*(?:>[ \t]*)*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    return next((j for j in range(start + 1, len(lines)) if closing.match(lines[j])), None)


@functools.cache
def _block_tags() -> frozenset[str]:
    return frozenset(Markdown().block_level_elements)


BLOCK_START = re.compile(r"^ {0,3}<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)")


def _starts_raw_block(line: str) -> bool:
    m = BLOCK_START.match(line)
    return bool(m and m.group(1).lower() in _block_tags() and "markdown" not in m.group(2).lower())


def _raw_block(line: str, open_block: tuple[str, int] | None) -> tuple[str, int] | None:
    """The raw HTML block (its tag and nesting depth) still open after this line, as Python-Markdown
    reads such blocks: from a block-level tag at the start of a line (without markdown="1") to its
    matching end tag."""
    if open_block is None:
        m = BLOCK_START.match(line)
        if not m or not _starts_raw_block(line):
            return None
        open_block = (m.group(1).lower(), 0)
    tag, depth = open_block
    for found in re.finditer(rf"<(/?){tag}\b", line, re.IGNORECASE):
        depth += -1 if found.group(1) else 1
    return (tag, depth) if depth > 0 else None


class _TagScanner(LazyPositions):
    """Collects problems with tags and their attributes, with the line each starts on."""

    def __init__(self, shown: str):
        super().__init__(convert_charrefs=True)
        self.shown = shown
        self.problems: list[Problem] = []
        self._in_style = False

    def set_cdata_mode(self, elem: str, *, escapable: bool = False) -> None:
        """Read inside <script> and <style> as markup too, so nothing after an unclosed one is missed."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        self.problems += [Problem(self.shown, message + ".", fix, line) for message, fix in tag_problems(tag, attrs)]
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and (found := css_problem(data)):
            self.problems.append(Problem(self.shown, f"this <style> block {found[0]}.", found[1], self.getpos()[0]))


def _tag_problems(visible: str, shown: str) -> list[Problem]:
    scanner = _TagScanner(shown)
    scanner.feed(visible)
    scanner.close()
    return scanner.problems


def tag_problems(tag: str, attrs: list[tuple[str, str | None]] | list[list[str]]) -> list[tuple[str, str]]:
    """(what is wrong, how to fix) for one element and its attributes; `tag` "" for attr_list's."""
    found: list[tuple[str, str]] = []
    if tag in FORBIDDEN_TAGS:
        what, fix = FORBIDDEN_TAGS[tag]
        return [(f"pages cannot contain {what}", fix)]  # its attributes do not matter: it goes
    names = {str(name).lower() for name, _ in attrs}
    if tag == "meta" and "http-equiv" in names:
        found.append(("pages cannot contain a <meta http-equiv> element, which can reload the page or send readers elsewhere", "Remove it; to send readers to another page, link to it."))
    for name, value in attrs:
        problem = attribute_problem(tag, str(name).lower(), value or "")
        if problem:
            found.append(problem)
    return found


def attribute_problem(tag: str, name: str, value: str) -> tuple[str, str] | None:
    """What is wrong with one attribute, or None: event handlers, script addresses, loads from another host."""
    if name.startswith("on"):
        return (f"the attribute {name}=\"…\" runs a script when a reader uses the page, and pages cannot run scripts", f"Remove {name}=\"…\".")
    if name == "style" and (css := css_problem(value)):
        return (f"the style=\"…\" attribute {css[0]}", css[1])
    if name == "ping":
        return ("the attribute ping=\"…\" reports each click to another address", "Remove ping=\"…\".")
    if name not in URL_ATTRIBUTES:
        return None
    urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
    for url in urls:
        scheme, remote = url_kind(url)
        if scheme in SCRIPT_SCHEMES:
            return (f"{name}=\"{scheme}:…\" is an address that runs a script or hides content in the page", "Link to a page of this site, or to a web address starting https://.")
        if remote and (name in LOADING_ATTRIBUTES or (name in ("href", "xlink:href") and tag in HREF_LOADS)):
            what = f"<{tag}>" if tag else "this"
            return (f"{what} would load {url} from another website, which tells that site who reads the page", _fix_for(tag))
    return None


def _fix_for(tag: str) -> str:
    if tag in MEDIA_TAGS:
        return MEDIA_FIX
    if tag in IMAGE_TAGS or not tag:
        return IMAGE_FIX
    return FILE_FIX


def url_kind(url: str) -> tuple[str | None, bool]:
    """(the address's scheme, whether it points at another host), read as a browser would: character
    references decoded, control characters and spaces dropped, backslashes as slashes."""
    cleaned = "".join(ch for ch in html.unescape(url) if ord(ch) > 0x20 and ch != "\x7f").replace("\\", "/").lower()
    m = SCHEME.match(cleaned)
    scheme = m.group(1) if m else None
    return scheme, bool(scheme) or cleaned.startswith("//")


def css_problem(css: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix) for CSS in a style attribute or <style> block, after CSS escapes."""
    decoded = CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) and int(m.group(1), 16) < 0x110000 else (m.group(2) or ""), css)
    if CSS_SCRIPT.search(decoded):
        return ("runs a script", "Remove it: pages cannot run scripts.")
    if CSS_REMOTE.search(decoded):
        return ("loads a file or style from another website (url(…) or @import), which tells that site who reads the page", "Save the image in your partnership's docs folder and use it from there, or leave the styling to the site.")
    return None


def _attr_list_problems(lines: list[str], shown: str) -> list[Problem]:
    """attr_list's `{ key="value" }` can set any attribute, onclick or src included."""
    problems = []
    for number, line in enumerate(lines, 1):
        for m in ATTR_LIST.finditer(line):
            attrs, _ = get_attrs_and_remainder(m.group(1))
            for name, value in attrs:
                if not re.search(rf"(?<![\w.#-]){re.escape(str(name))}\s*=", m.group(1)):
                    continue  # a bare word ({one}) is prose in braces, not an attribute anyone meant
                found = attribute_problem("", str(name).lower(), str(value))
                if found:
                    problems.append(Problem(shown, f"{found[0]} (set with {{ … }} after the text).", found[1], number))
    return problems


def _markdown_problems(lines: list[str], shown: str) -> list[Problem]:
    """Markdown images from another host, and links whose address runs a script."""
    problems: list[Problem] = []
    references = {m.group(1).lower(): (number, m.group(2)) for number, line in enumerate(lines, 1) if (m := MD_REFERENCE.match(line))}
    for number, line in enumerate(lines, 1):
        for address in MD_LINK.findall(line) + [r[1] for r in references.values() if r[0] == number]:
            scheme, _ = url_kind(address)
            if scheme in SCRIPT_SCHEMES:
                problems.append(Problem(shown, f"the link to {scheme}:… is an address that runs a script or hides content in the page.", "Link to a page of this site, or to a web address starting https://.", number))
        images = [(m.group(1), number) for m in MD_IMAGE.finditer(line)]
        for m in MD_IMAGE_REF.finditer(line):
            ref = (m.group(2) or m.group(1)).lower()
            if ref in references:
                images.append((references[ref][1], number))  # where the image is shown, not defined
        for address, at in images:
            if url_kind(address)[1] and url_kind(address)[0] not in SCRIPT_SCHEMES:
                problems.append(Problem(shown, f"this image would be loaded from another website ({address}), which tells that site who reads the page.", IMAGE_FIX, at))
    return problems


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))

