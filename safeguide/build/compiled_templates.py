"""The theme's templates compiled once per process, not once per edition.

MkDocs makes a new Jinja environment for every build (mkdocs.theme.Theme.get_env), so a worker that builds several
editions would compile Material's templates and our overrides again for each: about a tenth of an edition's CPU.
Jinja's own answer is a bytecode cache; this one keeps the compiled code in memory for the life of the process.

It is safe to share between builds because Jinja checks, before using a stored entry, that the template's source
is the same as when it was compiled (jinja2.bccache.Bucket: a SHA-1 checksum of the source), and because the key
also holds everything of the environment that changes the compiled code (its class, delimiters, whitespace and
autoescape settings, extensions). An edited template is therefore compiled afresh, and nothing of one build's state
is kept: only code derived from files.
"""

from __future__ import annotations

import hashlib
from typing import Any

import jinja2
from jinja2.bccache import Bucket


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled template code in memory, keyed by template, file and environment settings (see the module)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        stored = self._code.get(bucket.key)
        if stored is not None:
            bucket.bytecode_from_string(stored)  # Bucket rejects it if the checksum of the source differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        key = hashlib.sha1(f"{_compile_settings(environment)}\0{name}\0{filename or ''}".encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def clear(self) -> None:
        self._code.clear()


def _compile_settings(env: jinja2.Environment) -> str:
    """What of an environment the compiled code depends on (jinja2.Environment's lexer and code generator options)."""
    options: tuple[Any, ...] = (
        type(env).__module__, type(env).__qualname__, env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
        env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        env.optimized, env.autoescape if not callable(env.autoescape) else f"{env.autoescape.__module__}.{env.autoescape.__qualname__}",
        tuple(sorted(env.extensions)), env.is_async,
    )
    return repr(options)


_PROCESS_CACHE = CompiledTemplates()  # compiled code only, checked against the source on every use (see the module)


def reuse_compiled(env: jinja2.Environment) -> None:
    """Give the theme's environment of this build the process's store of compiled templates.

    Call it before the first template is loaded (MkDocs' on_env event). Changes nothing in the output: the same
    templates render the same pages, they are only compiled once per process.
    """
    if env.bytecode_cache is None:
        env.bytecode_cache = _PROCESS_CACHE
