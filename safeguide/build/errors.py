"""Problems (safeguide.core.problems) as MkDocs expects a hook's error: a `PluginError`, which `mkdocs build` and
`mkdocs serve` print as one message and stop on, without a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from mkdocs.exceptions import PluginError

from safeguide.core.problems import SafeguideError

P = ParamSpec("P")
R = TypeVar("R")


class BuildError(SafeguideError, PluginError):
    """One or more problems that stop a build, raised from a hook: still a SafeguideError with `.problems`."""


def reported(hook: Callable[P, R]) -> Callable[P, R]:
    """Wrap a function the hooks call, so that its SafeguideError reaches MkDocs as a BuildError."""

    @functools.wraps(hook)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return hook(*args, **kwargs)
        except BuildError:
            raise
        except SafeguideError as e:
            raise BuildError(e.problems) from e

    return run
