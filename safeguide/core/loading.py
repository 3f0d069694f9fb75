"""Reading YAML files with line numbers, and turning validation errors into plain-English problems."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, RootModel, ValidationError

from safeguide.core.problems import Problem, SafeguideError

Key = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass
class YamlDocument:
    """Parsed YAML plus the line on which each key or list item starts."""

    data: Any
    file: str
    lines: dict[Key, int] = field(default_factory=dict)

    def line_of(self, key: Key) -> int | None:
        # Fall back to the nearest enclosing key that we know the line of.
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None


# --- reading files: every input has a size limit, and every way a read can fail is a Problem -------

KB = 1000
MB = 1000 * KB
YAML_LIMIT = 1 * MB  # partnership.yml is a few kilobytes, the national glossary tens of them
PAGE_LIMIT = 1 * MB  # the longest baseline page is about 30 kB; Markdown takes some 4 s over 1 MB
MAX_INDENT = 200  # columns: lists nested 50 deep; Python-Markdown recurses per level (300 levels: RecursionError)
MAX_DEPTH = 50  # settings nest four or five levels; YAML deeper than this is a mistake or an attack
MAX_ALIASED = 10_000  # values that YAML aliases (*name) may stand for in one file


def read_yaml(path: Path, shown_as: str, limit: int = YAML_LIMIT) -> YamlDocument:
    """Parse `path` (at most `limit` bytes); every problem names the file and, where YAML knows it, the line.

    Raises SafeguideError: see `read_text` and `parse_yaml`."""
    return parse_yaml(read_text(path, shown_as, limit), shown_as)


def read_text(path: Path, shown_as: str, limit: int = YAML_LIMIT) -> str:
    """The text of a UTF-8 file of at most `limit` bytes, a byte-order mark dropped and every line ending made LF, as
    MkDocs reads pages (Python's universal newlines: CR LF, as Notepad saves, and a lone CR end a line too).

    Raises SafeguideError naming the file when it is missing, a folder or not an ordinary file (a named
    pipe would make the read wait for ever), unreadable, larger than `limit` (checked before reading, so
    a huge file costs nothing), or not UTF-8 (with the line of the first byte that is not)."""
    data = _read_bytes(path, shown_as, limit)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SafeguideError(
            Problem(
                shown_as,
                f"this file is not UTF-8 text ({e.reason}).",
                "Save it as UTF-8: in most editors, Save As and choose the encoding UTF-8.",
                line=data[: e.start].count(b"\n") + 1,
            )
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _read_bytes(path: Path, shown_as: str, limit: int) -> bytes:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SafeguideError(Problem(shown_as, "this is a folder, but safeguide expects a file here.", "Move the folder away, or replace it with a file of the same name."))
        if not stat.S_ISREG(info.st_mode):
            raise SafeguideError(Problem(shown_as, "this is not an ordinary file.", "Replace it with an ordinary text file."))
        if info.st_size > limit:
            raise SafeguideError(too_big(shown_as, info.st_size, limit))
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except FileNotFoundError:
        raise SafeguideError(Problem(shown_as, "this file does not exist.")) from None
    except PermissionError:
        raise SafeguideError(Problem(shown_as, "safeguide is not allowed to read this file.", "Give your user permission to read it.")) from None
    except OSError as e:
        raise SafeguideError(Problem(shown_as, f"this file cannot be read ({e.strerror or e}).", "Check the file and the disk it is on.")) from None
    if len(data) > limit:  # it grew while we looked
        raise SafeguideError(too_big(shown_as, len(data), limit))
    return data


def too_big(shown_as: str, size: int, limit: int) -> Problem:
    """The problem for a file over its size limit, saying both sizes."""
    return Problem(
        shown_as,
        f"this file is {_size(size)}, more than the {_size(limit)} safeguide reads from a file like it.",
        "Check that it is the right file. Split a very long page into several pages.",
    )


def _size(count: int) -> str:
    return f"{count / MB:.1f} MB" if count >= MB else f"{max(1, round(count / KB))} kB"


def deep_indents(text: str, shown_as: str) -> list[Problem]:
    """A problem for the first line of a page indented more than MAX_INDENT columns (a tab counts 4)."""
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" \t"))
        if indent > MAX_INDENT // 4 and len(line[:indent].expandtabs(4)) > MAX_INDENT:
            return [
                Problem(
                    shown_as,
                    f"this line is indented {len(line[:indent].expandtabs(4))} columns, more than the {MAX_INDENT} safeguide reads (lists nested {MAX_INDENT // 4} deep).",
                    "Nest lists and quotes less deeply: split the text into sections instead.",
                    line=number,
                )
            ]
    return []


ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
DATE_FIX = "Write the date as YYYY-MM-DD, for example 2026-11-20."


def parse_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, as every file and command option gives one.

    Raises ValueError("what is wrong | how to fix it"): `2026-11-31 is not a real date: November 2026 has
    30 days`, or `'soon' is not a date` for text of another form (date.fromisoformat alone would also take
    20261120 and 2026-W47-5)."""
    found = ISO_DATE.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"{text!r} is not a date | {DATE_FIX}")
    year, month, day = (int(part) for part in found.groups())
    if not 1 <= month <= 12 or year < 1:
        what = f"month {month}" if year >= 1 else "year 0"
        raise ValueError(f"{text.strip()} is not a real date: there is no {what} | {DATE_FIX}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(f"{text.strip()} is not a real date: {calendar.month_name[month]} {year} has {days} days | {DATE_FIX}")
    return dt.date(year, month, day)


FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)


def read_front_matter(text: str, shown_as: str) -> YamlDocument | None:
    """A Markdown page's front matter (the YAML between --- lines at its top), as MkDocs reads it."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return None
    # Pad with blank lines so that line numbers count from the top of the page.
    return parse_yaml("\n" + (match.group(1) or ""), shown_as)


# --- parsing YAML: bounded depth and aliases, real dates ---------------------------------------------

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _PythonEvents(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """YAML events from PyYAML's own parser, where PyYAML was installed without libyaml."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


_EventSource: type = yaml.cyaml.CParser if yaml.__with_libyaml__ else _PythonEvents  # type: ignore[attr-defined]  # libyaml parses ~6x faster
_C_EVENTS = _EventSource is not _PythonEvents  # libyaml counts positions in bytes of UTF-8


_TOO_DEEP = "Check the brackets and the indentation: no setting is nested this deeply."


_TIMESTAMP_FORM = next(regexp for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values() for tag, regexp in resolvers if tag == _TIMESTAMP)


class _Refused(yaml.MarkedYAMLError):
    """YAML that is valid, but that safeguide does not read: it says what to do instead."""

    def __init__(self, problem: str, fix: str, mark: Any, key: str | None = None) -> None:  # a Mark of PyYAML or of libyaml
        super().__init__(problem=problem, problem_mark=mark)
        self.fix, self.key = fix, key


class _Loader(yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver, _EventSource):  # type: ignore[misc]
    """PyYAML's safe loader, composing nodes in Python from the parser's events so that each node can be
    refused before anything is built from it:

    - nesting deeper than MAX_DEPTH, counted as the data will be (an alias counts as deep as its value):
      composing, constructing, indexing and validating recurse once per level.
    - an alias (*name) inside the value it names (&name [*name]): the data would never end.
    - aliases standing for more than MAX_ALIASED values in all: a 600-byte "billion laughs" file would
      otherwise expand to gigabytes. Anchors and aliases themselves are allowed, because PyYAML writes
      them for a value used twice, so a partnership.yml made by a script can have them.
    - an unquoted date that does not exist (2026-11-31), under any key: PyYAML would raise a bare
      ValueError, and MkDocs would quietly drop a page's whole front matter. Dates stay text (YAML 1.1's
      timestamp type is off) for the `Date` type of safeguide.core.models to read.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    }

    def __init__(self, text: str) -> None:
        _EventSource.__init__(self, text)  # type: ignore[misc]
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.depth = 0  # of the node being composed
        self.deepest = 0  # the deepest level its value reaches so far, aliases expanded
        self.aliased = 0  # values that aliases stand for, in all
        self.open: set[str] = set()  # anchors whose value is being composed
        self.sizes: dict[str, tuple[int, int]] = {}  # anchor -> (values in it, levels below it), aliases expanded
        self.count = 0  # values composed so far, aliases expanded

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._expand(event)
            return super().compose_node(parent, index)  # type: ignore[return-value]
        if self.depth + 1 > MAX_DEPTH:
            raise _Refused(f"this is nested more than {MAX_DEPTH} levels deep", _TOO_DEEP, event.start_mark)
        anchor, start, outer_deepest = event.anchor, self.count, self.deepest
        self.depth += 1
        self.deepest, self.count = self.depth, self.count + 1
        if anchor is not None:
            self.open.add(anchor)
        node = super().compose_node(parent, index)
        if isinstance(node, yaml.ScalarNode) and not node.style and _TIMESTAMP_FORM.match(node.value):  # plain: None or ""
            self._real_date(node, index)
        if anchor is not None:
            self.open.discard(anchor)
            self.sizes[anchor] = (self.count - start, self.deepest - self.depth)
        self.depth -= 1
        self.deepest = max(outer_deepest, self.deepest)
        return node  # type: ignore[return-value]

    def _real_date(self, node: yaml.ScalarNode, key: Any) -> None:
        """Refuse an unquoted date or time that does not exist, naming the key it is the value of."""
        try:
            yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError as e:
            what, fix = f"{node.value} is not a real date or time ({e})", DATE_FIX
            if ISO_DATE.fullmatch(node.value):
                try:
                    parse_date(node.value)
                except ValueError as wrong:
                    what, _, fix = str(wrong).partition(" | ")
            raise _Refused(what, fix, node.start_mark, key.value if isinstance(key, yaml.ScalarNode) else None) from None

    def _expand(self, event: yaml.AliasEvent) -> None:
        """Count what an alias stands for, and refuse it when that is endless, too much or too deep."""
        if event.anchor in self.open:
            raise _Refused(f"the alias *{event.anchor} is inside the value it stands for, so that value would never end", "Write the value out in full instead of the alias.", event.start_mark)
        size, height = self.sizes.get(event.anchor or "", (0, 0))  # an unknown anchor: PyYAML says so next
        self.aliased += size
        self.count += size
        if self.aliased > MAX_ALIASED:
            raise _Refused(f"the aliases (*) in this file stand for more than {MAX_ALIASED:,} values", "Write the values out instead of repeating them with & and *.", event.start_mark)
        if self.depth + 1 + height > MAX_DEPTH:
            raise _Refused(f"with the alias *{event.anchor} written out, this is nested more than {MAX_DEPTH} levels deep", _TOO_DEEP, event.start_mark)
        self.deepest = max(self.deepest, self.depth + 1 + height)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # Constructors raise bare ValueErrors (an integer of 5,000 digits, !!float "x"): give them the node's line.
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError):
            value, kind = str(node.value), str(node.tag).rsplit(":", 1)[-1]
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise yaml.constructor.ConstructorError(None, None, f"'{shown}' is not a value YAML can read as type {kind}", node.start_mark) from None


_Loader.add_constructor(_TIMESTAMP, yaml.constructor.SafeConstructor.construct_yaml_str)  # type: ignore[type-var]  # an explicit !!timestamp too


def parse_yaml(text: str, shown_as: str) -> YamlDocument:
    """YAML text as data plus the line of every key; raises SafeguideError naming the line of a syntax
    error, a refused construct (see `_Loader`), a character YAML does not allow, or a duplicate key."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # PyYAML's own reader checks the characters here
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _Refused as e:
        raise SafeguideError(Problem(shown_as, f"{e.problem}.", e.fix, line=_line(e.problem_mark), key=e.key)) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        if "maximum nesting depth" in (e.problem or ""):  # libyaml's own limit (1,000) can come first
            raise SafeguideError(Problem(shown_as, f"this is nested more than {MAX_DEPTH} levels deep.", _TOO_DEEP, line=_line(mark))) from None
        what = " ".join(x for x in (e.context, e.problem) if x)
        raise SafeguideError(
            Problem(
                shown_as,
                f"this is not valid YAML: {what}.",
                "Check the indentation (spaces, not tabs) and that any text containing ': ' or "
                "starting with a special character is in quotes.",
                line=_line(mark),
            )
        ) from None
    except yaml.reader.ReaderError as e:
        before = text.encode("utf-8")[: e.position].decode("utf-8", "replace") if _C_EVENTS else text[: e.position]
        raise SafeguideError(
            Problem(
                shown_as,
                f"this file contains a character that YAML does not allow (#x{e.character:04x}, a control character).",
                "Delete the character or retype the line: it often comes from text copied out of another program.",
                line=before.count("\n") + 1,
            )
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    doc = YamlDocument(data=data, file=shown_as)
    if node is not None:
        problems: list[Problem] = []
        _index_lines(node, (), doc, problems)
        if problems:
            raise SafeguideError(problems)
    return doc


def _line(mark: yaml.Mark | None) -> int | None:
    return mark.line + 1 if mark else None


def _index_lines(node: yaml.Node, key: Key, doc: YamlDocument, problems: list[Problem]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            name = key_node.value
            line = key_node.start_mark.line + 1
            if name in seen:
                problems.append(
                    Problem(
                        doc.file,
                        f"'{_dotted(key + (name,))}' is given twice (first on line {seen[name]}).",
                        "Keep one of them and delete the other.",
                        line=line,
                        key=_dotted(key + (name,)),
                    )
                )
            seen[name] = line
            doc.lines[key + (name,)] = line
            _index_lines(value_node, key + (name,), doc, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            doc.lines[key + (i,)] = item.start_mark.line + 1
            _index_lines(item, key + (i,), doc, problems)


def _dotted(key: Key) -> str:
    out = ""
    for part in key:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate(model: type[ModelT], doc: YamlDocument, context: dict[str, Any] | None = None) -> ModelT:
    """Validate a YAML document against a model, reporting every error at once."""
    data = {} if doc.data is None else doc.data
    try:
        return model.model_validate(data, context=context)
    except ValidationError as e:
        problems = [_problem(err, model, doc) for err in e.errors()]
        raise SafeguideError(sorted(problems, key=lambda p: p.line or 0)) from None


def _problem(err: Any, model: type[BaseModel], doc: YamlDocument) -> Problem:
    loc: Key = tuple(part for part in err["loc"] if not (isinstance(part, str) and part.startswith("function-")))
    if "[key]" in loc:
        return _key_problem(err, loc, doc)
    loc = _as_written(loc, doc)
    key = _dotted(loc) or "(top level)"
    kind, line = err["type"], doc.line_of(loc)
    given = err.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        fix = f"Did you mean '{close[0]}'? " if close else ""
        fix += f"Allowed here: {', '.join(allowed)}." if allowed else "Remove it."
        return Problem(doc.file, f"'{loc[-1]}' is not a setting safeguide knows.", fix, line, key)
    if kind == "missing":
        return Problem(doc.file, f"'{key}' is required but missing.", f"Add '{loc[-1]}:' with a value.", line, key)
    name = str(loc[-1]) if loc else key
    if given is None and kind in ("string_type", "bool_type", "int_type", "float_type", "date_type", "list_type", "dict_type", "model_type"):
        return Problem(
            doc.file,
            f"'{key}' has no value: YAML read nothing after the colon.",
            f"Write the value after '{name}:'. A value that starts with # must be in quotes, as YAML reads # as the start "
            f'of a comment: for example primary: "#1d4f91". If you do not need this setting, remove the line.',
            line,
            key,
        )
    if kind in ("string_type",) and isinstance(given, (int, float, bool)):
        return Problem(
            doc.file,
            f"this must be text, but YAML read the value as {yaml_kind(given)}" + ("." if isinstance(given, bool) else f" ({given!r})."),
            f'Put the value in quotes, as written, for example {name}: "1.0" or {name}: "no".',
            line,
            key,
        )
    if kind in ("bool_type", "bool_parsing"):
        return Problem(doc.file, f"'{key}' must be true or false.", f"Write {name}: true or {name}: false.", line, key)
    if kind in ("dict_type", "model_type"):
        shown = f"YAML read {yaml_kind(given)}" if not isinstance(given, str) else f'YAML read the text "{given}"'
        return Problem(
            doc.file,
            f"'{key}' must be a group of settings (key: value lines indented under it), but {shown}.",
            f"Indent the lines that belong to '{name}:' by two more spaces than it, each on its own line; "
            "if a line here was meant to be one of them, it is indented too little.",
            line,
            key,
        )
    if kind == "list_type":
        return Problem(doc.file, f"'{key}' must be a list (lines starting with '- ').", "Write each entry on its own line after '- '.", line, key)
    message = str(err["msg"]).removeprefix("Value error, ")
    message, _, fix = message.partition(" | ")
    message = message[0].upper() + message[1:] if message else message
    return Problem(doc.file, message.rstrip(".") + ".", fix.strip(), line, key)


def _as_written(loc: Key, doc: YamlDocument) -> Key:
    """Pydantic's error location with each mapping key as the YAML file writes it: `123:` is read as the
    number 123 (and `yes:` as True, reported as 1), which `_dotted` would take for a list index
    ("contacts[124]"); as written ("contacts.123") it also finds the key's line. List indexes stay ints."""
    written: list[str | int] = []
    node = doc.data
    for part in loc:
        if isinstance(node, dict):
            text = _key_text(tuple(written), part, doc)
            node = node.get(part)
            written.append(text)
        else:
            node = node[part] if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node) else None
            written.append(part)
    return tuple(written)


def _key_text(parent: Key, key: str | int, doc: YamlDocument) -> str:
    """The text of the YAML key under `parent` that YAML read as `key` (the same type first: True == 1)."""
    if isinstance(key, str):
        return key
    siblings = [k[-1] for k in doc.lines if len(k) == len(parent) + 1 and k[:-1] == parent and isinstance(k[-1], str)]
    read = {text: yaml.safe_load(text) for text in siblings if not text.startswith(("*", "&", "!"))}
    exact = [text for text, value in read.items() if type(value) is type(key) and value == key]
    equal = [text for text, value in read.items() if value == key]
    return (exact or equal or [str(key)])[0]


def yaml_kind(value: Any) -> str:
    """What YAML made of an unquoted value, in words: "a number", "yes or no" …"""
    if isinstance(value, bool):
        return "yes or no"
    if isinstance(value, (int, float)):
        return "a number"
    return "a date" if hasattr(value, "isoformat") else f"a {type(value).__name__}"


def _key_problem(err: Any, loc: Key, doc: YamlDocument) -> Problem:
    """A mapping's key that is wrong, not its value (pydantic puts "[key]" after it in `loc`): named as
    written, e.g. contacts.123, at the key's own line."""
    at = loc.index("[key]")
    written = _as_written(loc[:at], doc)
    parent = _dotted(written[:-1])
    key = f"{parent}.{written[-1]}" if parent else str(written[-1])
    if err["type"] == "string_type":
        given = loc[at - 1]
        return Problem(doc.file, f"YAML reads this key as {yaml_kind(given)}, not a name: names must be text.", "Use a name made of letters, or put it in quotes.", doc.line_of(written), key)
    message = str(err["msg"]).removeprefix("Value error, ")
    message, _, fix = message.partition(" | ")
    message = message[0].upper() + message[1:] if message else message
    return Problem(doc.file, message.rstrip(".") + ".", fix.strip(), doc.line_of(written), key)


def _allowed_keys(model: type[BaseModel], loc: Key) -> list[str]:
    """The field names of the (sub)model at `loc`, for 'did you mean' hints."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, RootModel):  # sources.yml, glossary.yml
            annotation = _unwrap(annotation.model_fields["root"].annotation)
        if get_origin(annotation) in (list, dict):
            annotation = get_args(annotation)[-1]  # a list index or a user-chosen key (a role)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if part not in annotation.model_fields:
                return []
            annotation = annotation.model_fields[part].annotation
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return sorted(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Optional[X] and Annotated[X, ...] -> X."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


# --- errors that reach the build from a user's file ------------------------------------------------

_PAGE_FAILED = re.compile(r"Error (?:reading|building) page '([^']+)'")


def expected_problem(error: BaseException, log_messages: list[str]) -> str | None:
    """What to tell the user about an error a build raised from a file of theirs, or None for a bug of ours.

    The checks before a build find these first (`read_text`, `deep_indents`); this is for what slips
    past them, e.g. a file changed while the build ran. MkDocs logs "Error reading page 'x.md'" before
    it re-raises, which names the page."""
    found = next((m for m in map(_PAGE_FAILED.search, log_messages) if m), None)
    page = f"the page {found[1]}" if found else "a page"
    if isinstance(error, UnicodeDecodeError):
        return str(Problem(page, f"this file is not UTF-8 text ({error.reason}).", "Save it as UTF-8: in most editors, Save As and choose the encoding UTF-8."))
    if isinstance(error, OSError):
        where = str(error.filename) if error.filename else page
        return str(Problem(where, f"this file could not be read or written ({error.strerror or error}).", "Check that the file exists, that you may read it, and that the disk is not full."))
    if isinstance(error, RecursionError):
        return str(Problem(page, "this page is nested too deeply to build (lists, quotes or brackets inside one another).", "Nest less deeply: split the text into sections instead."))
    return None
