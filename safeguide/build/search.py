"""Search that finds a word whatever apostrophe the writer or the reader typed.

Material's search (lunr in the browser) splits words on `plugins.search.separator` in mkdocs.yml,
for the pages and for what the reader types alike. That separator takes a possessive "'s" (any of
' ’ ‘ ʼ) and a word-final apostrophe out of words, so "Clare's", "Clare’s" and "Clare" all reach
the page as "clare". Readers also type a possessive without its apostrophe ("Clares"); lunr only
matches the beginnings of words (every term of a query gets a trailing wildcard, and such terms skip
lunr's stemmer), so each page's index entry also gets those spellings in a field of their own, which
search reads but never shows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from safeguide.build.errors import reported

SPELLINGS_FIELD = "spellings"
INDEX_FILE = "search/search_index.json"
APOSTROPHES = "'‘’ʼ"
POSSESSIVE = re.compile(rf"(\w+)[{APOSTROPHES}]s\b", re.UNICODE)
# The number hooks/chapters.py puts before a chapter's or section's title ("16. ", "16.1 "): a place in
# the contents, not a word, so a reader's "16 year old" must not find chapter 16 first.
CHAPTER_NUMBER = re.compile(r"^\d+\.(\d+)?\s+")


def spellings(text: str) -> str:
    """The possessives in `text` written without their apostrophe, lower-cased and space-separated,
    e.g. "Clare's Law and Sarah’s Law" -> "clares sarahs" (empty if it has none)."""
    return " ".join(sorted({match.group(1).lower() + "s" for match in POSSESSIVE.finditer(text)}))


@reported
def add_spellings(site_dir: Path) -> None:
    """Give every entry of Material's search index (search/search_index.json: {"config", "docs": [{location,
    title, text}]}) its possessives without apostrophes, in the field that mkdocs.yml declares under
    plugins.search.fields, and its title without a chapter number. Does nothing if the site has no search
    index (search turned off)."""
    path = site_dir / INDEX_FILE
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        if "title" in doc:
            doc["title"] = CHAPTER_NUMBER.sub("", doc["title"])
        found = spellings(f"{doc.get('title', '')} {doc.get('text', '')}")
        if found:
            doc[SPELLINGS_FIELD] = found
    index.setdefault("config", {}).setdefault("fields", {}).setdefault(SPELLINGS_FIELD, {"boost": 1.0})
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
