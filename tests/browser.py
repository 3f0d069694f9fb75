"""Helpers for the browser tests: a local static server, Debian's Chromium through Playwright, and axe-core.

Nothing here downloads anything. Chromium is the system package at /usr/bin/chromium and axe-core comes from
node_modules (pinned in package.json); `bash scripts/test.sh` installs both. If either is missing the tests fail.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SETUP_HINT = "run `bash scripts/test.sh`, which installs it"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

WIDTHS = (1280, 390)
HEIGHT = 800
HOST = "127.0.0.1"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def missing_tools() -> list[str]:
    """What the browser tests need and cannot find, each with how to get it."""
    problems = []
    if not CHROMIUM.is_file():
        problems.append(f"{CHROMIUM} is missing (Debian's chromium package); {SETUP_HINT}")
    if not AXE.is_file():
        problems.append(f"{AXE.relative_to(ROOT)} is missing (axe-core from package.json); {SETUP_HINT}")
    return problems


def require_tools() -> None:
    problems = missing_tools()
    if problems:
        pytest.fail("Browser tests cannot run:\n  " + "\n  ".join(problems), pytrace=False)


# --- static server ---------------------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _NoSearchIndexHandler(_QuietHandler):
    """Answers every search index with its own settings and no pages: Material's search worker indexes the whole
    version (about 0.75 MB of text) on every page load, a quarter of the CPU a page load costs in these tests."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.name != "search_index.json" or not path.is_file():
            return super().do_GET()
        body = _empty_index(path).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@functools.cache
def _empty_index(path: Path) -> str:
    return json.dumps({"config": json.loads(path.read_text(encoding="utf-8"))["config"], "docs": []})


class _InstantHandler(_QuietHandler):
    """Serves every sitemap.xml with this server's port in its addresses: Material's instant navigation follows only
    links its sitemap lists, read with the page's scheme and host but the sitemap's own port (the published site
    has none, a test server has one). Done as the file is sent, so several processes can serve one build at once."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.name != "sitemap.xml" or not path.is_file():
            return super().do_GET()
        port = self.server.server_address[1]
        body = path.read_text(encoding="utf-8").replace(SITE_URL, SITE_URL.rstrip("/") + f":{port}/").encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _InstantNoSearchHandler(_InstantHandler, _NoSearchIndexHandler):
    pass


@contextmanager
def serve(directory: Path, search: bool = True, instant: bool = False) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port; yields the base URL, ending in '/'. With `search` False,
    every search index is served empty (_NoSearchIndexHandler), for tests that do not search. With `instant`,
    sitemaps give this server's port, as Material's instant navigation needs (_InstantHandler)."""
    kind = {(True, False): _QuietHandler, (False, False): _NoSearchIndexHandler, (True, True): _InstantHandler, (False, True): _InstantNoSearchHandler}
    handler = functools.partial(kind[(search, instant)], directory=str(directory))
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="safeguide-static", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the built site ------------------------------------------------------------------------------------------------


def current_version(site: Path, partnership: str) -> str:
    """The working copy's version: what the content tests are about. For a partnership whose update
    is not approved yet, that is the draft, not the release that `<id>/` leads to."""
    info = json.loads((site / partnership / "partnership.json").read_text(encoding="utf-8"))
    return info.get("draft_version") or info["version"]


def is_local(url: str) -> bool:
    """True for requests that stay on this machine's test server (or never leave the page)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob"):
        return True
    return parts.scheme in ("http", "https") and parts.hostname == HOST


# --- browser -------------------------------------------------------------------------------------------------------


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


# --- axe-core ------------------------------------------------------------------------------------------------------

_RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => ({ target: n.target, summary: n.failureSummary || "" })),
  }));
}
"""


def axe_violations(page) -> list[dict]:
    """Inject axe-core into the loaded page and return its WCAG A/AA violations, trimmed to what a report needs."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(_RUN_AXE, AXE_TAGS)


def describe_violations(violations: list[dict], where: str) -> str:
    lines = [f"axe-core found {len(violations)} violation(s) on {where}:"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']}")
        for node in v["nodes"]:
            target = " ".join(json.dumps(t) if not isinstance(t, str) else t for t in node["target"])
            summary = " ".join(node["summary"].split())
            lines.append(f"    {target}" + (f"  -- {summary[:300]}" if summary else ""))
    return "\n".join(lines)


# --- pages of the demo build -----------------------------------------------------------------------------------------


def version_url(site_url: str, demo_site: Path, partnership: str, path: str = "") -> str:
    return f"{site_url}{partnership}/{current_version(demo_site, partnership)}/{path}"


def load(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(url.split("#")[0]), f"{url} ended up at {page.url}"


def check_axe(page, url: str, width: int) -> None:
    """Load `url` and fail with a readable report if axe-core finds any WCAG A/AA violation."""
    load(page, url)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, f"{url} at width {width}")


# --- Material's instant navigation -----------------------------------------------------------------------------------

SITE_URL = "https://safeguide.example.org/"  # mkdocs.yml's site_url
INSTANT = "  features:\n    - navigation.instant\n"


def with_instant_navigation(mkdocs_yml: str) -> str:
    """mkdocs.yml's text with Material's instant navigation among the theme's features."""
    text = mkdocs_yml.replace("  features:\n", INSTANT, 1)
    assert "navigation.instant" in text and f"site_url: {SITE_URL}" in text, "mkdocs.yml has changed"
    return text


# --- resizing --------------------------------------------------------------------------------------------------------

RESIZE_TIMEOUT_MS = 20_000


def resize(page, width: int, height: int = HEIGHT) -> bool:
    """page.set_viewport_size, giving up after RESIZE_TIMEOUT_MS: Debian's headless Chromium once never answered a
    resize, and Playwright's public call waits without a limit (its protocol call takes one). False if it gave up;
    the page may then be left at any size, so the caller loads it afresh at `width` instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        call = page._impl_obj._channel.setViewportSize  # the call set_viewport_size makes, with a timeout
    except AttributeError:  # another Playwright's internals: the public call, without a limit
        page.set_viewport_size({"width": width, "height": height})
        return True
    try:
        page._sync(call(viewportSize={"width": width, "height": height}, timeout=RESIZE_TIMEOUT_MS))
    except PlaywrightTimeout:
        return False
    page._impl_obj._viewport_size = {"width": width, "height": height}
    return True
