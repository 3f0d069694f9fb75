"""Approved releases cannot change unnoticed: a digest of every file a release froze, checked before use.

`safeguide release` writes SHA256SUMS into the release folder, in the format of GNU coreutils'
`sha256sum` (so `sha256sum -c SHA256SUMS`, run inside the folder, checks it too):

    3b5d…e1f0  docs/about.md
    9a41…77c2  partnership/partnership.yml

`build`, `check` and `release` refuse a release whose files no longer match it, and `review` reports
it, naming each file changed, missing or added and how to restore it. A release made before safeguide
recorded digests has no SHA256SUMS: it is still published, with a warning, until
`safeguide release ID VERSION --record-digests` records them.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from safeguide.core.loading import MB, read_text
from safeguide.core.problems import Problem, SafeguideError

DIGESTS_FILE = "SHA256SUMS"
DIGESTS_LIMIT = 4 * MB  # a line per file: some 50,000 files
MAX_LISTED = 10  # files named one by one; the rest are counted
LINE = re.compile(r"(?P<escaped>\\?)(?P<digest>[0-9a-f]{64}) [ *](?P<path>.+)")


def restore_fix(shown: str) -> str:
    """How to put back a file (or folder) of a release, as the user types it."""
    return (
        f"Restore it from version control: git checkout HEAD -- {shown}. A release never changes, so that "
        "what is published is what was approved: to publish new text, edit the working copy and make a new release."
    )


def digests(folder: Path) -> dict[str, str]:
    """Relative path (with /) -> sha256 of every file under `folder`, as a release folder holds them.

    Hidden files and folders (.DS_Store, an editor's .swp) are left out, as the build leaves them out,
    and so is DIGESTS_FILE itself."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(part.startswith(".") for part in parts) or parts == (DIGESTS_FILE,) or not path.is_file():
            continue
        with path.open("rb") as file:
            found["/".join(parts)] = hashlib.file_digest(file, "sha256").hexdigest()
    return found


def write_digests(folder: Path) -> Path:
    """Record the digest of every file in `folder`, replacing the record atomically."""
    lines = [_line(digest, name) for name, digest in digests(folder).items()]
    target = folder / DIGESTS_FILE
    temporary = folder / f".{DIGESTS_FILE}.tmp"
    temporary.write_text("".join(lines), encoding="utf-8")
    os.replace(temporary, target)
    return target


def _line(digest: str, name: str) -> str:
    # sha256sum's own escape for a name with a backslash or a line break: a leading backslash.
    if "\\" in name or "\n" in name:
        return f"\\{digest}  " + name.replace("\\", "\\\\").replace("\n", "\\n") + "\n"
    return f"{digest}  {name}\n"


def read_digests(folder: Path, shown_folder: str) -> dict[str, str] | None:
    """The digests recorded in the release `folder`, or None if it has no record (an older release).

    Raises SafeguideError naming the line of the record that cannot be read."""
    path = folder / DIGESTS_FILE
    if not path.exists():
        return None
    shown = f"{shown_folder}/{DIGESTS_FILE}"
    text = read_text(path, shown, DIGESTS_LIMIT)
    recorded: dict[str, str] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        found = LINE.fullmatch(line)
        if found is None:
            if line.strip():
                problems.append(Problem(shown, "this line is not a file's digest.", restore_fix(shown), line=number))
            continue
        name = found["path"]
        if found["escaped"]:
            name = re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], name)
        recorded[name] = found["digest"]
    if problems:
        raise SafeguideError(problems)
    return recorded


def changed_files(folder: Path, shown_folder: str, version: str) -> list[Problem]:
    """A problem for each file of the release in `folder` that differs from its record: changed,
    missing or added. None for a release without a record (see `read_digests`)."""
    try:
        recorded = read_digests(folder, shown_folder)
    except SafeguideError as e:
        return e.problems
    if recorded is None:
        return []
    now = digests(folder)
    problems = []
    for name in sorted(set(recorded) | set(now)):
        shown = f"{shown_folder}/{name}"
        if name not in now:
            problems.append(Problem(shown, f"this file of approved version {version} is missing.", restore_fix(shown)))
        elif name not in recorded:
            problems.append(
                Problem(
                    shown,
                    f"this file was added to approved version {version} after it was approved.",
                    "Delete it. A release never changes, so that what is published is what was approved: to publish new text, add it to the working copy and make a new release.",
                )
            )
        elif now[name] != recorded[name]:
            problems.append(Problem(shown, f"this file of approved version {version} has been changed since it was approved.", restore_fix(shown)))
    if len(problems) > MAX_LISTED:
        more = len(problems) - MAX_LISTED
        problems = problems[:MAX_LISTED] + [
            Problem(shown_folder, f"{more} more file{'s' if more != 1 else ''} of approved version {version} differ from what was approved.", restore_fix(shown_folder))
        ]
    return problems
