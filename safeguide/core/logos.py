"""Is a partnership's logo (or an SVG image beside the pages) safe to publish? Size, real file type, and
for SVG: no script, nothing from another host.

The logo is copied into every version of the site and served from the site's own address, where an SVG
opened on its own runs any script it holds; so is every SVG image in docs/ (issue 11, item 11). Rules,
documented in README "What local pages may contain":

- at most `MAX_BYTES`, checked before the file is read;
- .png, .jpg/.jpeg and .webp files start with their format's signature (magic bytes);
- an .svg file is UTF-8 XML with <svg> at its root, without DOCTYPE internal subsets or entity
  declarations (entity expansion can take gigabytes), <script>, <foreignObject>, <handler>, event
  attributes (on…), `javascript:` or other script addresses, or links and styles (`@import`,
  `url(…)`) that reach another host.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from safeguide.core.page_rules import css_problem, url_kind
from safeguide.core.problems import Problem

MAX_BYTES = 1024 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # an SVG diagram beside the pages; past this it is not even parsed
SIGNATURES: dict[str, tuple[str, ...]] = {  # suffix -> how the file must start (RIFF....WEBP checked apart)
    ".png": ("\x89PNG\r\n\x1a\n",),
    ".jpg": ("\xff\xd8\xff",),
    ".jpeg": ("\xff\xd8\xff",),
}
FORBIDDEN_ELEMENTS = {"script", "foreignobject", "handler", "iframe", "embed", "object"}
DANGEROUS_DECLARATIONS = re.compile(r"<!ENTITY|<!DOCTYPE[^>]*\[|<\?xml-stylesheet", re.IGNORECASE)
RASTER_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
SVG_FIX = "Export the logo again as a plain SVG (for example 'Plain SVG' or 'Optimised SVG'), or use a PNG."


def logo_problem(path: Path, written: str) -> str | None:
    """'what is wrong | how to fix' for the logo file at `path` (as partnership.yml names it), or None.

    Reads at most MAX_BYTES, and nothing at all of a larger file.
    """
    size = path.stat().st_size
    if size > MAX_BYTES:
        return (
            f'the logo "{written}" is {size / (1024 * 1024):.1f} MB; a logo can be at most 1 MB, since it is copied into every version '
            "| Save a smaller version: an SVG, or a PNG about 200 pixels high, is usually well under 100 KB."
        )
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".svg":
        problem = svg_problem(data)
        return f'the logo "{written}" {problem}' if problem else None
    head = data[:16].decode("latin-1")
    matches = head.startswith("RIFF") and head[8:12] == "WEBP" if suffix == ".webp" else head.startswith(SIGNATURES[suffix])
    if not matches:
        return f'the logo "{written}" is not really a {suffix[1:].upper()} image (its contents say otherwise) | Save the logo again as {suffix[1:].upper()}, or give the file the suffix of its real type.'
    return None


def image_problems(path: Path, shown: str) -> list[Problem]:
    """An SVG image among the pages (docs/ of the baseline or a partnership) under the logo's SVG rules;
    other files pass. Files over MAX_IMAGE_BYTES are refused unread."""
    if path.suffix.lower() != ".svg":
        return []
    if path.stat().st_size > MAX_IMAGE_BYTES:
        return [Problem(shown, f"this SVG image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB.", "Save a simpler version, or a PNG.")]
    problem = svg_problem(path.read_bytes())
    if problem is None:
        return []
    message, _, fix = problem.partition(" | ")
    return [Problem(shown, f"this SVG image {message}.", fix)]


def svg_problem(data: bytes) -> str | None:
    """'what is wrong | how to fix' for an SVG file's bytes, or None; the message follows its subject
    ('the logo "x.svg" …', 'this SVG image …')."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return f"is not a text SVG file saved as UTF-8 | {SVG_FIX}"
    if DANGEROUS_DECLARATIONS.search(text):
        return f"declares its own entities or style sheets (<!DOCTYPE … [ ], <!ENTITY or <?xml-stylesheet), which safeguide does not read | {SVG_FIX}"
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as e:
        return f"is not a valid SVG file ({e}) | {SVG_FIX}"
    if _local(root.tag) != "svg":
        return f"is not an SVG image: it does not start with <svg> | {SVG_FIX}"
    for element in root.iter():
        found = _element_problem(element)
        if found:
            return f"{found}, which a published image may not have | {SVG_FIX} Remove anything interactive and any link to another website."
    return None


def _local(name: str) -> str:
    """A tag or attribute name without its {namespace}, in lower case."""
    return name.rsplit("}", 1)[-1].lower()


def _element_problem(element: ElementTree.Element) -> str | None:
    tag = _local(element.tag) if isinstance(element.tag, str) else ""
    if tag in FORBIDDEN_ELEMENTS:
        return f"contains <{element.tag.rsplit('}', 1)[-1]}>"
    animated = _local(element.get("attributeName", ""))
    if tag in ("set", "animate") and (animated == "href" or animated.startswith("on")):
        return f"changes its {animated} attribute while shown"
    if tag == "style" and (css := css_problem(element.text or "")):
        return f"has a <style> block that {css[0].split(',')[0]}"
    for raw_name, value in element.attrib.items():
        name = _local(raw_name)
        scheme, remote = url_kind(value)
        if name.startswith("on"):
            return f"has an event attribute ({name}=…) that runs a script"
        if "javascript:" in "".join(value.split()).lower() or scheme in ("javascript", "vbscript"):
            return f"has a javascript: address ({name}=…)"
        if name == "href" and (remote or (scheme == "data" and not RASTER_DATA.match(value.strip()))):
            return f"links to or loads {value[:60]} from outside the logo"
        if name == "style" or "url(" in value.lower():
            css = css_problem(value)
            if css:
                return f"has a style ({name}=…) that {css[0].split(',')[0]}"
    return None
