"""Lighter pages (issue 16, point 4): what a browser fetches for a page, at or below plain Material's on the same
Markdown (benchmarks/page_weight.py measures it). Called by hooks/assets.py, the last hook.

- **One stylesheet, one script of ours.** mkdocs.yml lists our stylesheets and scripts one by one (overrides/assets/),
  so that each stays small and readable; every page links one of each instead: `assets/safeguide.bundle.css` (the
  partnership's brand.css first, then mkdocs.yml's extra_css in order) and `assets/safeguide.bundle.js`, each the
  files joined and minified (comments and spare white space left out). `configure` puts the two in extra_css and
  extra_javascript in place of the files they join; `bundle` makes them and leaves the joined files out of the
  site. Addresses of other hosts, and scripts with a type, async or defer, are left as they are (the check over the
  built site refuses the former).
- **Flows only where a flow is.** PAGE_CSS (flows.css) is joined in only for the pages it can style, as
  `assets/safeguide-flows.bundle.css` (`finish_page` chooses), unless instant navigation is on; the decision
  helpers' and quizzes' script (assets/flows.js) is fetched by the bundle, once, on a page with a flow or quiz
  (overrides/assets/safeguide.js).
- **Nothing no page uses.** Material's source maps (`*.map`, read only by a browser's developer tools) and the
  search languages mkdocs.yml's search `lang` does not need (Material's search worker imports
  lunr/min/lunr.<lang>.min.js for each language but English, lunr.multi for more than one language,
  lunr.stemmer.support with any of them, tinyseg.js for Japanese and wordcut.js for Hindi and Thai) are not
  copied to the site; nor is palette.css when the theme has no palette (brand.css sets the colours).
- **Material's stylesheet trimmed** (`trim_theme_css`) of selectors no page or script of the edition can match, and
  **pages without indentation** (`unindented`).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

import tinycss2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from safeguide.build.errors import reported
from safeguide.build.integration import build_of
from safeguide.core.problems import Problem, SafeguideError

BUNDLE_CSS = "assets/safeguide.bundle.css"
BUNDLE_PAGE_CSS = "assets/safeguide-flows.bundle.css"  # BUNDLE_CSS with PAGE_CSS: for the pages PAGE_CSS styles
# Stylesheets joined in only for the pages they style (decision helpers, flow diagrams, scenario cards, quizzes,
# module progress), unless Material's instant navigation is on (it swaps pages in without their stylesheets).
PAGE_CSS = ("assets/flows.css",)
STYLESHEET_LINK = re.compile(r'(<link rel="stylesheet" href="[^"]*?)' + re.escape(BUNDLE_CSS) + '"')
BUNDLE_JS = "assets/safeguide.bundle.js"
KEEPS_WHITE_SPACE = re.compile(r"(<(pre|code|textarea|script|style)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
INDENT = re.compile(r"\n[ \t]+")
BLANK_LINES = re.compile(r"\n{2,}")
SEARCH_PLUGIN = "material/search"
LUNR = "assets/javascripts/lunr/"
PALETTE = re.compile(r"assets/stylesheets/palette\.[0-9a-f]+\.min\.css$")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)
# White space next to these tokens (and inside the start and end of a block, and after a colon) means nothing in CSS.
CSS_TIGHT = {";", ",", ">", "{", "}"}


def _local(path: str) -> bool:
    return not SCHEME.match(path)


@reported
def configure(config: MkDocsConfig) -> MkDocsConfig:
    """extra_css and extra_javascript: our own files, in order, replaced by the one bundle of each (at the place
    of the first); what they were is kept on the build for `bundle`. After hooks/partnership.py, which puts the
    partnership's brand.css first."""
    build = build_of(config)
    css = [str(path) for path in config.extra_css]
    build.bundled_css = [path for path in css if _local(path)]
    if build.bundled_css:
        first = css.index(build.bundled_css[0])
        config.extra_css = [*css[:first], BUNDLE_CSS, *(p for p in css[first:] if not _local(p))]
    scripts: list[Any] = list(config.extra_javascript)
    joined = [s for s in scripts if _plain_local_script(s)]
    build.bundled_js = [str(getattr(s, "path", s)) for s in joined]
    if joined:
        first = scripts.index(joined[0])
        kept = [s for s in scripts if not _plain_local_script(s)]
        config.extra_javascript = [*kept[:first], BUNDLE_JS, *kept[first:]]
    return config


def _plain_local_script(script: object) -> bool:
    """A script of ours that runs like any other (no type="module", async or defer), and so can be joined."""
    path = str(getattr(script, "path", script))
    return _local(path) and not getattr(script, "type", None) and not getattr(script, "async_", False) and not getattr(script, "defer", False)


@reported
def bundle(files: Files, config: MkDocsConfig) -> Files:
    """The bundles in place of the files they join; source maps, unused search languages and an unused palette left
    out. After hooks/partnership.py, which adds brand.css."""
    build = build_of(config)
    css = _contents(files, build.bundled_css, config, "extra_css")
    scripts = _contents(files, build.bundled_js, config, "extra_javascript")
    instant = "navigation.instant" in (config.theme.get("features") or [])
    page_only = {} if instant else {path: text for path, text in css.items() if path.lstrip("/") in PAGE_CSS}
    if css:
        files.append(File.generated(config, BUNDLE_CSS, content=_joined([t for p, t in css.items() if p not in page_only], minified_css, "\n")))
    if page_only:
        files.append(File.generated(config, BUNDLE_PAGE_CSS, content=_joined(list(css.values()), minified_css, "\n")))
        build.page_css_rules = [needs for text in page_only.values() for needs in _page_rules(text)]
    if scripts:
        files.append(File.generated(config, BUNDLE_JS, content=_joined(list(scripts.values()), minified_js, ";\n")))
    needed = lunr_files(search_languages(config))
    palette = bool(config.theme.get("palette"))
    for file in list(files):
        uri = file.src_uri
        if uri.endswith(".map") or (uri.startswith(LUNR) and uri.removeprefix(LUNR) not in needed) or (not palette and PALETTE.match(uri)):
            files.remove(file)
    return files


def _contents(files: Files, sources: list[str], config: MkDocsConfig, key: str) -> dict[str, str]:
    """{path: text} of the files joined into a bundle, in order; each left out of the site. Raises SafeguideError
    naming mkdocs.yml's `key` (extra_css or extra_javascript) and line for a file that is not there."""
    found = {}
    for source in sources:
        file = files.get_file_from_path(source.lstrip("/"))
        if file is None:
            suffix = Path(source).suffix
            close = difflib.get_close_matches(source.lstrip("/"), [f.src_uri for f in files if f.src_uri.endswith(suffix)], n=1)
            raise SafeguideError(Problem(
                "mkdocs.yml", f"{key} lists {source}, which is neither in docs/ nor in the theme's overrides.",
                (f"Did you mean {close[0]}? " if close else "")
                + "Correct the path (it is read from docs/ or overrides/, e.g. assets/safeguide.css), or take the line out.",
                line=_line_listing(config, source), key=key,
            ))
        found[source] = file.content_string
        files.remove(file)
    return found


def _line_listing(config: MkDocsConfig, source: str) -> int | None:
    """The line of mkdocs.yml that lists `source` as an item, if there is one."""
    item = re.compile(r"""\s*-\s*(?:path:\s*)?['"]?""" + re.escape(source) + r"""['"]?\s*(?:#.*)?""")
    try:
        lines = Path(config.config_file_path).read_text(encoding="utf-8").splitlines()
    except (OSError, TypeError):
        return None
    return next((number for number, line in enumerate(lines, start=1) if item.fullmatch(line)), None)


def _joined(texts: list[str], minify: Callable[[str], str], joiner: str) -> str:
    return joiner.join(minify(text) for text in texts) + "\n"


@reported
def finish_page(html: str, path: str, config: MkDocsConfig) -> str:
    """A built page's HTML without indentation (`unindented`), linking the bundle with the page-only stylesheets
    (PAGE_CSS) if any of their rules can style something on it (a decision helper, a quiz, a scenario card, module
    progress), the one without otherwise. What the page uses is kept on the build for `trim_theme_css`, with `path`
    (where MkDocs writes the page)."""
    html = unindented(html)
    build = build_of(config)
    if build.pages_used is None:
        build.pages_used = Used()
    used = Used()
    read_page(used, html, script_words=build.pages_used)  # the page-only rules go by its markup, not by its scripts
    rules = build.page_css_rules
    if rules and any(needs.met_by(used) for needs in rules):
        html = STYLESHEET_LINK.sub(lambda m: m.group(1) + BUNDLE_PAGE_CSS + '"', html, count=1)
    build.pages_used.update(used)
    build.pages_read[path] = len(html.encode("utf-8", "xmlcharrefreplace"))  # as MkDocs writes it
    return html


def unindented(html: str) -> str:
    """`html` without the spaces and tabs that start its lines, and without empty lines: the templates' indentation,
    which a browser does not show (a line break is white space enough). Left as they are: <pre>, <code> and
    <textarea>, which show their white space, and <script> and <style>."""
    parts = KEEPS_WHITE_SPACE.split(html)  # the rest, then each kept element and its tag name, the rest, ...
    return "".join(BLANK_LINES.sub("\n", INDENT.sub("\n", part)) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)


def search_languages(config: MkDocsConfig) -> list[str]:
    """The languages Material's search plugin indexes (its `lang`, set from the theme's language when not given);
    none when search is off."""
    plugin = config.plugins.get(SEARCH_PLUGIN)
    if plugin is None or not getattr(plugin.config, "enabled", True):
        return []
    lang = plugin.config.lang or [str(config.theme.get("language") or "en")]
    return [str(lang)] if isinstance(lang, str) else [str(item) for item in lang]


def lunr_files(languages: list[str]) -> set[str]:
    """The files under assets/javascripts/lunr/ that Material's search worker imports for `languages`
    (material/templates/assets/javascripts/workers/search.*.js, setupSearchLanguages)."""
    needed = set()
    for lang in languages:
        if lang == "ja":
            needed.add("tinyseg.js")
        if lang in ("hi", "th"):
            needed.add("wordcut.js")
        if lang != "en":
            needed.add(f"min/lunr.{lang}.min.js")
    if len(languages) > 1:
        needed.add("min/lunr.multi.min.js")
    if needed:
        needed.add("min/lunr.stemmer.support.min.js")
    return needed


@functools.lru_cache(maxsize=64)
def _page_rules(css: str) -> tuple[Needs, ...]:
    """What each selector of a page-only stylesheet needs (read once per process: it is the same for every edition)."""
    return tuple(_needs(selector) for selector in _selectors(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)))


@functools.lru_cache(maxsize=64)
def minified_css(css: str) -> str:
    """`css` without comments and without the white space that means nothing (read as CSS tokens, so that text in
    quotes stays as written)."""
    return str(tinycss2.serialize(_tight(tinycss2.parse_component_value_list(css, skip_comments=True)))).strip()


def _tight(nodes: list[Any]) -> list[Any]:
    result: list[Any] = []
    for node in nodes:
        content = getattr(node, "content", None)
        if isinstance(content, list) and node.type in ("{} block", "[] block", "() block"):
            node.content = _strip_ends(_tight(content))
        if node.type == "function":
            node.arguments = _strip_ends(_tight(node.arguments))
        if node.type == "whitespace":
            after = result[-1] if result else None
            if after is None or after.type in ("whitespace", "{} block") or _is_tight(after) or (after.type == "literal" and after.value == ":"):
                continue
            node.value = " "
        elif _is_tight(node) or node.type == "{} block":
            while result and result[-1].type == "whitespace":
                result.pop()
        result.append(node)
    return result


def _is_tight(node: Any) -> bool:
    return node.type == "literal" and node.value in CSS_TIGHT


def _strip_ends(nodes: list[Any]) -> list[Any]:
    while nodes and nodes[0].type == "whitespace":
        nodes.pop(0)
    while nodes and nodes[-1].type == "whitespace":
        nodes.pop()
    return nodes


def minified_js(js: str) -> str:
    """`js` without its whole-line // comments and indentation. Our scripts have no template literals (in which a
    line's start would be text): one that has a backquote is left as it is."""
    if "`" in js:
        return js
    lines = (line.strip() for line in js.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


# --- Material's stylesheet, without the rules no page of the edition can use -------------------------------------

MATERIAL_CSS = "assets/stylesheets/main.*.min.css"
MATERIAL_SCRIPTS = "assets/javascripts/**/*.min.js"
SOURCE_MAP_LINK = re.compile(r"\n//# sourceMappingURL=[^\n]*\.map\n?$")
ALWAYS_THERE = frozenset({"html", "head", "body", "tbody"})  # elements a browser makes even when the HTML leaves them out
WORD = re.compile(r"[A-Za-z_][\w-]*")
SCRIPT_SUFFIXES = (".js", ".mjs")


@dataclass
class Used:
    """What an edition's pages and scripts could ever put in front of Material's stylesheet: element names, class
    names, and the values of `dir` (the text direction: Material has a right-to-left variant of many rules).
    Scripts count with every word they contain (they may make elements, and add classes, by any of those names)."""

    tags: set[str] = field(default_factory=lambda: set(ALWAYS_THERE))
    classes: set[str] = field(default_factory=set)
    directions: set[str] = field(default_factory=set)

    def update(self, other: Used) -> None:
        """Add what `other` uses."""
        self.tags |= other.tags
        self.classes |= other.classes
        self.directions |= other.directions

    def has_class(self, name: str) -> bool:
        """A class used, or a modifier (block--modifier, as Material names them) of one: scripts make some modifiers'
        names from parts (`md-source__fact--${key}`), so a used block keeps them all."""
        return name in self.classes or name.split("--")[0] in self.classes


# A page read the way HTMLParser reads it, for what `Used` needs, with regular expressions (an HTMLParser pass over
# every page cost a fifth of an edition's build): comments left out, the text of <script> and <style> apart, and
# each start tag's name and its class and dir attributes, entities decoded.
COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
RAW_TEXT = re.compile(r"<(script|style)\b((?:[^>\"']++|\"[^\"]*\"|'[^']*')*)>(.*?)(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
START_TAG = re.compile(r"<([a-zA-Z][^\t\n\r\f />\x00]*)((?:[^>\"']++|\"[^\"]*\"|'[^']*')*)>")
CLASS_OR_DIR = re.compile(r"""(?:^|[\s/"'])(class|dir)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def read_page(used: Used, html: str, script_words: Used | None = None) -> None:
    """Add to `used` the elements, classes and text directions of one page, and to `script_words` (if given; it may
    be `used` itself) the words of its inline scripts: see `Used`."""
    html = COMMENT.sub(" ", html)

    def raw(match: re.Match[str]) -> str:
        if script_words is not None and match.group(1).lower() == "script":
            _script_words(script_words, match.group(3))
        return f"<{match.group(1)}{match.group(2)}>"  # the element and its attributes count; its text is not markup

    html = RAW_TEXT.sub(raw, html)
    for tag in set(START_TAG.findall(html)):  # a page repeats most of its tags
        name, classes, directions = _start_tag(*tag)
        used.tags.add(name)
        used.classes.update(classes)
        used.directions.update(directions)


@functools.lru_cache(maxsize=65536)
def _start_tag(name: str, attributes: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A start tag's element name (lower-case), classes and `dir` values, from its name and attributes as written
    (the same few thousand tags make up every page of a site)."""
    classes: list[str] = []
    directions: list[str] = []
    if "=" in attributes:
        for attribute in CLASS_OR_DIR.finditer(attributes):
            value = unescape(next(v for v in attribute.group(2, 3, 4) if v is not None))
            if attribute.group(1).lower() == "class":
                classes += value.split()
            elif value:
                directions.append(value.strip().lower())
    return name.lower(), tuple(classes), tuple(directions)


def _script_words(used: Used, text: str) -> None:
    words, lowered = _words(text)
    used.classes |= words
    used.tags |= lowered


@functools.lru_cache(maxsize=64)
def _words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A script's words, as written and lower-cased: Material's scripts are the same in every edition."""
    words = frozenset(WORD.findall(text))
    return words, frozenset(w.lower() for w in words)


def used_in(site_dir: Path, known: Used | None = None, read: dict[str, int] | None = None) -> Used:
    """What the built site at `site_dir` uses (see `Used`): every HTML and SVG page, every script. `known` is what the
    pages listed in `read` (path: size in bytes) use, gathered as they were written (`finish_page`): such a page is
    read again only if its size has changed since."""
    used = Used()
    if known is not None:
        used.update(known)
    read = read or {}
    for path in sorted(site_dir.rglob("*")):
        if path.suffix in (".html", ".svg") and path.is_file():
            if read.get(str(path)) != path.stat().st_size:
                read_page(used, path.read_text(encoding="utf-8", errors="replace"), script_words=used)
        elif path.suffix in SCRIPT_SUFFIXES and path.is_file():
            _script_words(used, path.read_text(encoding="utf-8", errors="replace"))
    return used


@reported
def drop_source_map_links(site_dir: Path) -> None:
    """Material's scripts without the last line that names their source map (`//# sourceMappingURL=...`): the maps
    are not published (`bundle`), and a browser's developer tools would ask for them in vain."""
    for path in sorted(site_dir.glob(MATERIAL_SCRIPTS)):
        text = path.read_text(encoding="utf-8")
        kept = SOURCE_MAP_LINK.sub("", text)
        if kept != text:
            path.write_text(kept, encoding="utf-8")


@reported
def trim_theme_css(site_dir: Path, config: MkDocsConfig) -> None:
    """Material's main stylesheet and our bundles in the built site, without the selectors that can match nothing the
    edition has: one naming a class or element that no page and no script has, or `[dir=rtl]` on a site whose pages
    are all left to right. Selectors inside :not(), :is() and the like are kept as they are."""
    build = build_of(config)
    used = used_in(site_dir, build.pages_used, build.pages_read)
    for path in [*sorted(site_dir.glob(MATERIAL_CSS)), *(p for p in (site_dir / BUNDLE_CSS, site_dir / BUNDLE_PAGE_CSS) if p.is_file())]:
        path.write_text("".join(_sheet(path.read_text(encoding="utf-8")).kept(used)), encoding="utf-8")


@dataclass(frozen=True)
class Needs:
    """What a selector needs to match anything (see `_needs`): classes, element names and text directions."""

    classes: frozenset[str]
    tags: frozenset[str]
    directions: frozenset[str]

    def met_by(self, used: Used) -> bool:
        return self.tags <= used.tags and self.directions <= used.directions and all(used.has_class(name) for name in self.classes)


@dataclass(frozen=True)
class _Rule:
    selectors: tuple[tuple[str, Needs], ...]  # each selector as written (serialized) and what it needs
    body: str  # "{...}"


@dataclass(frozen=True)
class _Block:
    head: str  # "@media ..."
    items: tuple[_Rule | _Block | str, ...]


@dataclass(frozen=True)
class _Sheet:
    """A stylesheet read once: its rules with what each selector needs, so that trimming it for an edition is only
    a matter of sets (Material's stylesheet is the same for every edition a process builds)."""

    items: tuple[_Rule | _Block | str, ...]

    def kept(self, used: Used) -> list[str]:
        return _kept(self.items, used)


@functools.lru_cache(maxsize=16)
def _sheet(css: str) -> _Sheet:
    return _Sheet(_read_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)))


def _read_rules(rules: list[Any]) -> tuple[_Rule | _Block | str, ...]:
    items: list[_Rule | _Block | str] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            items.append(_Rule(tuple((str(tinycss2.serialize(s)).strip(), _needs(s)) for s in _split(rule.prelude)), "{" + str(tinycss2.serialize(rule.content)) + "}"))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "container", "layer") and rule.content is not None:
            inner = _read_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
            items.append(_Block("@" + rule.at_keyword + str(tinycss2.serialize(rule.prelude)), inner))
        elif rule.type not in ("whitespace", "comment", "error"):
            items.append(str(tinycss2.serialize([rule])))
    return tuple(items)


def _kept(items: tuple[_Rule | _Block | str, ...], used: Used) -> list[str]:
    kept: list[str] = []
    for item in items:
        if isinstance(item, _Rule):
            selectors = [text for text, needs in item.selectors if needs.met_by(used)]
            if selectors:
                kept.append(",".join(selectors) + item.body)
        elif isinstance(item, _Block):
            inner = _kept(item.items, used)
            if inner:
                kept.append(item.head + "{" + "".join(inner) + "}")
        else:
            kept.append(item)
    return kept


def _selectors(rules: list[Any]) -> list[list[Any]]:
    """Every selector of `rules` (those inside @media and @supports too), as token lists."""
    found: list[list[Any]] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            found += _split(rule.prelude)
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in ("media", "supports", "container", "layer"):
            found += _selectors(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
    return found


def _split(prelude: list[Any]) -> list[list[Any]]:
    """A selector list's selectors, as token lists (a comma inside brackets belongs to its block, not the list)."""
    selectors: list[list[Any]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _needs(selector: list[Any]) -> Needs:
    """What `selector` names outside any :not() or :is() (a bracketed block is one token): its classes, its
    elements (an identifier that starts a compound selector) and a `[dir=...]` direction. It can match nothing on a
    site that lacks one of them."""
    classes: set[str] = set()
    tags: set[str] = set()
    directions: set[str] = set()
    previous: Any = None
    for token in selector:
        after = previous.value if previous is not None and previous.type == "literal" else None
        if token.type == "ident" and after == ".":
            classes.add(token.value)
        starts_compound = previous is None or previous.type == "whitespace" or after in (">", "+", "~")
        if token.type == "ident" and starts_compound:
            tags.add(token.lower_value)
        if token.type == "[] block":
            direction = _direction(token)
            if direction is not None:
                directions.add(direction)
        previous = token
    return Needs(frozenset(classes), frozenset(tags), frozenset(directions))


def _direction(block: Any) -> str | None:
    """"rtl" for the attribute selector [dir=rtl] (or [dir="rtl"]); None for any other."""
    words = [t for t in block.content if t.type != "whitespace"]
    if len(words) == 3 and words[0].type == "ident" and words[0].lower_value == "dir" and words[1].type == "literal" and words[1].value == "=":
        return str(getattr(words[2], "value", "")).lower()
    return None
