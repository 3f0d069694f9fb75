"""Reading YAML files with line numbers, and turning validation errors into plain-English problems."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from safeguide.errors import Problem, SafeguideError

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


def read_yaml(path: Path, shown_as: str) -> YamlDocument:
    """Parse `path`; syntax errors and duplicate keys become problems naming the line."""
    return parse_yaml(read_text(path, shown_as), shown_as)


def read_text(path: Path, shown_as: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SafeguideError(Problem(shown_as, "this file does not exist.")) from None
    except UnicodeDecodeError as e:
        raise SafeguideError(
            Problem(shown_as, f"this file is not UTF-8 text ({e.reason}).", "Save it as UTF-8.")
        ) from None


FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)


def read_front_matter(text: str, shown_as: str) -> YamlDocument | None:
    """A Markdown page's front matter (the YAML between --- lines at its top), as MkDocs reads it."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return None
    # Pad with blank lines so that line numbers count from the top of the page.
    return parse_yaml("\n" + (match.group(1) or ""), shown_as)


def parse_yaml(text: str, shown_as: str) -> YamlDocument:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = " ".join(x for x in (e.context, e.problem) if x)
        raise SafeguideError(
            Problem(
                shown_as,
                f"this is not valid YAML: {what}.",
                "Check the indentation (spaces, not tabs) and that any text containing ': ' or "
                "starting with a special character is in quotes.",
                line=mark.line + 1 if mark else None,
            )
        ) from None
    finally:
        loader.dispose()
    doc = YamlDocument(data=data, file=shown_as)
    if node is not None:
        problems: list[Problem] = []
        _index_lines(node, (), doc, problems)
        if problems:
            raise SafeguideError(problems)
    return doc


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
    if kind in ("string_type",) and isinstance(given, (int, float, bool)):
        return Problem(
            doc.file,
            f"this must be text, but YAML read {given!r} as a {type(given).__name__}.",
            'Put the value in quotes, for example "1.0".',
            line,
            key,
        )
    if kind == "dict_type":
        return Problem(doc.file, f"'{key}' must be a list of settings (key: value lines).", "Indent its settings under it.", line, key)
    if kind == "list_type":
        return Problem(doc.file, f"'{key}' must be a list (lines starting with '- ').", "Write each entry on its own line after '- '.", line, key)
    message = str(err["msg"]).removeprefix("Value error, ")
    message, _, fix = message.partition(" | ")
    message = message[0].upper() + message[1:] if message else message
    return Problem(doc.file, message.rstrip(".") + ".", fix.strip(), line, key)


def _allowed_keys(model: type[BaseModel], loc: Key) -> list[str]:
    """The field names of the (sub)model at `loc`, for 'did you mean' hints."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
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
