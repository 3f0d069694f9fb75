"""What a browser fetches to show a guidance page, gzipped, next to plain Material showing the same Markdown.

Run from the repository root (about two minutes on two cores; with --lighthouse a minute more):

    python benchmarks/page_weight.py [--partnership riverside] [--page consent/] [--lighthouse]

The partnership's project is copied to a scratch folder (PDF and offline copy off) and built twice, as in
benchmarks/edition_cost.py:

safeguide  `python -m safeguide build ID`; the edition weighed is the partnership's current one (versions.json's "latest",
           or its newest entry).
reference  that edition's Markdown exactly as safeguide hands it to Markdown, with its navigation, built by plain MkDocs
           + Material with mkdocs.yml's markdown_extensions and search settings and `font: false`; no hooks, no theme
           overrides, no stylesheets or scripts of ours.

A page's weight is the HTML and everything it makes the browser fetch while loading: stylesheets (<link
rel=stylesheet>), scripts (<script src>), images (<img src>) and its icon (<link rel=icon>), each compressed with
gzip level 9, as a web server would send it. Neither side loads fonts (`font: false`). The search index and the search
worker are fetched only when search is opened, the PDF and offline copy only when asked for: not counted.

With --lighthouse, both sites are served on 127.0.0.1 by a small Python server that sends files gzipped, and npm's
`lighthouse` runs against the home page and the chapter with its default mobile settings (emulated phone, simulated
slow 4G and a slowed CPU), in Debian's Chromium (CHROME_PATH, default /usr/bin/chromium, headless). Its performance
scores are printed, median of --runs. Lighthouse is not among the project's npm packages (the tests do not need it):
`npm install --no-save lighthouse`, or give its path in LIGHTHOUSE. It runs offline against 127.0.0.1.

Figures are printed, never asserted by this script (benchmarks/README.md); tests/test_page_weight.py compares a
chapter's weight with the reference figure this script measured.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GZIP_LEVEL = 9
# What a page makes the browser fetch while it loads, by tag: (tag pattern, attribute holding the address).
FETCHED = (
    (r'<link\b[^>]*\brel="(?:stylesheet|icon|shortcut icon)"[^>]*>', "href"),
    (r"<script\b[^>]*\bsrc=[^>]*>", "src"),
    (r"<img\b[^>]*\bsrc=[^>]*>", "src"),
)
INLINE_SCRIPT = re.compile(r"(<script\b(?![^>]*\bsrc=)[^>]*>).*?(</script>)", re.DOTALL)
CHROME_FLAGS = "--no-sandbox --headless=new --disable-gpu"


def gzipped(data: bytes) -> int:
    """Bytes of `data` gzipped as a server sends it (level 9; mtime fixed so the figure is the same every time)."""
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0))


def resources(page: Path) -> list[Path]:
    """The files the HTML at `page` makes a browser fetch while loading (see FETCHED), in page order, each once;
    addresses to other hosts and data: URLs left out (safeguide's pages have none). The text of inline scripts is
    not read: what they load, they load only in some browsers (sg-polyfills-head.html: in those without
    ResizeObserver)."""
    html = INLINE_SCRIPT.sub(r"\1\2", page.read_text(encoding="utf-8"))
    found: list[Path] = []
    for tag, attribute in FETCHED:
        for element in re.findall(tag, html):
            value = re.search(rf'\b{attribute}="([^"]*)"', element)
            if value is None or re.match(r"^[a-z][a-z0-9+.-]*:|^//", value.group(1)):
                continue
            target = (page.parent / value.group(1).split("?")[0].split("#")[0]).resolve()
            if target not in found:
                found.append(target)
    return found


def weigh(page: Path, site: Path) -> dict[str, int]:
    """{"html": gzip bytes of `page`, "<path from site>": gzip bytes of each resource it fetches}."""
    sizes = {"html": gzipped(page.read_bytes())}
    for target in resources(page):
        sizes[target.relative_to(site.resolve()).as_posix()] = gzipped(target.read_bytes())
    return sizes


def current_edition(site: Path, partnership: str) -> Path:
    """The folder of the partnership's current edition in a safeguide site."""
    versions = json.loads((site / partnership / "versions.json").read_text(encoding="utf-8"))
    latest = next((v["version"] for v in versions if "latest" in v.get("aliases", [])), versions[0]["version"])
    return site / partnership / latest


def report(label: str, page: str, sides: dict[str, tuple[Path, Path]]) -> dict[str, int]:
    """Print each side's weight of `page` (per resource, then the total); returns the totals."""
    totals = {}
    print(f"\n{label}: {page or '(home)'}")
    for side, (site, edition) in sides.items():
        sizes = weigh(edition / page / "index.html", site)
        totals[side] = sum(sizes.values())
        print(f"  {side}: {totals[side]:,} bytes gzipped ({totals[side] / 1024:.1f} KiB)")
        for name, size in sizes.items():
            print(f"    {size:>8,}  {name}")
    first, second = totals.values()
    print(f"  ratio {first / second:.3f}")
    return totals


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Sends files gzipped when the browser accepts it, as a web server set up for a static site does."""

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """`folder` served with gzip on 127.0.0.1 (a free port), for as long as the block runs: its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse_command() -> list[str]:
    """How to run Lighthouse: $LIGHTHOUSE (its path), else node_modules/.bin/lighthouse, else `npx --no-install lighthouse`."""
    if os.environ.get("LIGHTHOUSE"):
        return [os.environ["LIGHTHOUSE"]]
    local = ROOT / "node_modules" / ".bin" / "lighthouse"
    return [str(local)] if local.is_file() else ["npx", "--no-install", "lighthouse"]


def lighthouse(url: str, scratch: Path) -> float:
    """Lighthouse's mobile performance score (0-100) for `url`. Raises SystemExit saying why if it cannot run."""
    out = scratch / "lighthouse.json"
    command = [*lighthouse_command(), url, "--only-categories=performance", "--output=json", f"--output-path={out}", "--quiet", f"--chrome-flags={CHROME_FLAGS}"]
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not out.is_file():
        raise SystemExit(f"lighthouse could not run ({' '.join(command)}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    found = json.loads(out.read_text(encoding="utf-8"))
    score = found["categories"]["performance"]["score"]
    if score is None:
        raise SystemExit(f"lighthouse gave no performance score for {url}: {found.get('runtimeError')}")
    return float(score) * 100


def run_lighthouse(sides: dict[str, tuple[Path, Path]], pages: list[str], runs: int, scratch: Path) -> None:
    print(f"\nLighthouse, mobile performance (median of {runs}; served gzipped from 127.0.0.1)")
    for side, (_, edition) in sides.items():
        with serving(edition) as address:
            for page in pages:
                scores = [lighthouse(address + page, scratch) for _ in range(runs)]
                print(f"  {side:<15} {page or '(home)':<20} {statistics.median(scores):5.0f}   ({', '.join(f'{s:.0f}' for s in scores)})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partnership", default="riverside")
    parser.add_argument("--page", default="consent/", help="the chapter weighed, as its folder in the edition (default consent/)")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (mobile) on the home page and the chapter")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (default 3)")
    parser.add_argument("--keep", type=Path, help="keep both built sites in this folder (replaced)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from benchmarks import edition_cost

    with tempfile.TemporaryDirectory(prefix="safeguide-weight-") as tmp:
        scratch = Path(tmp)
        export = scratch / "export"
        project = edition_cost.copy_project(scratch / "project", export)
        site = scratch / "site"
        edition_cost.measure([sys.executable, "-m", "safeguide", "build", args.partnership, "--out", str(site), "--no-cache"], project, {edition_cost.EXPORT_ENV: str(export)})
        ours = current_edition(site, args.partnership)
        plain_project = next(e for e in edition_cost.reference_projects(export, project, args.partnership) if e.name == ours.name)
        edition_cost.measure([sys.executable, str(Path(edition_cost.__file__)), "--reference", str(plain_project)], ROOT)
        plain = plain_project / "site"
        sides = {"safeguide": (site, ours), "plain Material": (plain, plain)}
        print(f"partnership {args.partnership}, version {ours.name}; gzip level {GZIP_LEVEL}")
        report("Home page", "", sides)
        report("Chapter", args.page, sides)
        if args.lighthouse:
            run_lighthouse(sides, ["", args.page], args.runs, scratch)
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            args.keep.mkdir(parents=True)
            shutil.copytree(site, args.keep / "safeguide")
            shutil.copytree(plain, args.keep / "plain")


if __name__ == "__main__":
    main()
