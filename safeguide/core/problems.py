"""Problems a user can fix, and the error that carries them.

Every message names the file (and line or key where known), says what is wrong and how to fix it.
The build layer hands them to MkDocs as its own kind of error (safeguide.build.errors), so that plain
`mkdocs build` prints them cleanly too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing a user must fix: `file` as the user knows it (relative to the project; "" when MkDocs or
    safeguide itself reports it without a file), what is wrong, how to fix it, and where known the line
    (1-based) and key (dotted, as in the file). `kind` is how `safeguide review` files it: "link" for a
    link or anchor that leads nowhere, None for everything else. Frozen and picklable: build workers
    return these to the parent."""

    file: str
    message: str
    fix: str = ""
    line: int | None = None
    key: str | None = None
    kind: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        if self.key:
            where += f", {self.key}"
        text = f"{where}: {self.message}" if where else self.message
        fix = self.fix.replace("\n", "\n        ")  # keep a multi-line fix (e.g. front matter to paste) indented
        return f"{text}\n    How to fix: {fix}" if self.fix else text


class SafeguideError(Exception):
    """One or more problems that stop a build; each is a complete message for the user."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path, root: Path) -> str:
    """A path as the user knows it: relative to the project when it is inside it."""
    # The folders are resolved, the name itself is not: a link is named as the user made it, not by its target.
    named = path.parent.resolve() / path.name if path.name not in ("", ".", "..") else path.resolve()
    try:
        return named.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
