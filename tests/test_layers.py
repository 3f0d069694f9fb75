"""The package's layers (README "Layout", CONTRIBUTING.md): imports go one way, and no module imports itself
back through others. Read from the source, so a new module or import is checked the day it is written."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "safeguide"
# Lowest first: a module may import its own layer and those before it, never one after.
LAYERS = ("core", "render", "build", "site")
TOP = 4  # cli.py, __main__.py, __init__.py: the commands, above every layer
# core turns files into checked models: no MkDocs (its build belongs to `build`) and no HTML templates.
CORE_MAY_NOT_USE = ("mkdocs", "material", "safeguide.render.", "safeguide.build.", "safeguide.site.")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else TOP


def imports_of(path: Path) -> dict[str, int]:
    """Every module `path` imports (at the top, inside functions, or for type checking only), with a line."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:  # `from safeguide.core import models` imports the module safeguide.core.models
                candidate = f"{base}.{alias.name}"
                is_module = (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists()
                found.setdefault(candidate if is_module else base, node.lineno)
    return found


def graph() -> dict[str, dict[str, int]]:
    modules = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    return {m: {i: line for i, line in imports_of(p).items() if i in modules and i != m} for m, p in modules.items()}


def test_the_layers_exist() -> None:
    found = {m.split(".")[1] for m in graph() if m.count(".") >= 1}
    assert set(LAYERS) <= found


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = [
        f"{m} (line {line}) imports {i}: {LAYERS[layer_of(m)] if layer_of(m) < TOP else 'the commands'} may use only "
        f"{', '.join(LAYERS[: layer_of(m) + 1])}"
        for m, imported in graph().items()
        for i, line in imported.items()
        if layer_of(i) > layer_of(m)
    ]
    assert not upward, "\n".join(upward)


def test_core_uses_neither_mkdocs_nor_html_templates() -> None:
    wrong = []
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        for imported, line in imports_of(path).items():
            if any(imported == banned.rstrip(".") or imported.startswith(banned if banned.endswith(".") else banned + ".") for banned in CORE_MAY_NOT_USE):
                wrong.append(f"{module_name(path)} (line {line}) imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles() -> None:
    edges = graph()
    cycles: list[str] = []
    for start in edges:  # a depth-first walk from each module back to itself names the pair that closes the loop
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            for nxt in edges[node]:
                if nxt == start:
                    cycles.append(" -> ".join(path + [start]) + f"  ({path[-1]} line {edges[node][nxt]})")
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
    shortest = sorted(set(cycles), key=len)
    assert not shortest, "import cycles:\n" + "\n".join(shortest[:20])


def test_the_checker_sees_an_upward_import_and_a_cycle(tmp_path: Path) -> None:
    """The walk itself: a core module importing render is caught, and so is a two-module loop."""
    core = PACKAGE / "core"
    sample = core / "models.py"
    imports = imports_of(sample)
    assert all(layer_of(i) == 0 for i in imports if i.startswith("safeguide."))
    fake = tmp_path / "x.py"
    fake.write_text("from safeguide.render import contacts\nimport mkdocs.utils\n")
    tree = ast.parse(fake.read_text())
    names = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] + [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert "safeguide.render" in names and "mkdocs.utils" in names
