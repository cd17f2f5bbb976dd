"""The rule that keeps the parts apart (DESIGN.md), read from the package's own imports: what
each part may not import, and the size past which a module or a function is split."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "glutecoach"
# part -> the parts of ours it must never import (every import, TYPE_CHECKING and local ones too)
FORBIDDEN = {
    "domain": {"adapters", "services", "reports", "web", "cli", "settings"},
    "adapters": {"services", "reports", "web", "cli"},
    "reports": {"adapters", "services", "web", "cli"},
    "web": {"adapters", "cli"},
    "cli": {"adapters"},  # `glutecoach serve` starts the web app: the CLI may import web/
}
MODULE_LINES = 400
FUNCTION_LINES = 60
NOT_MEASURED = ("adapters/db/migrations/",)  # each migration is one step, read as a whole


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the package
    line: int
    what: str

    def __str__(self) -> str:
        return f"{PACKAGE}/{self.path}:{self.line}: {self.what}"


def _imported(node: ast.Import | ast.ImportFrom, module: str) -> list[str]:
    """The absolute names an import statement in `module` (dotted) brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module or ""]
    base = module.split(".")[: -node.level]
    return [".".join([*base, node.module] if node.module else base)]


def _modules(root: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*.py")):
        yield path.relative_to(root).as_posix(), path


def import_findings(root: Path) -> list[Finding]:
    """Every import that crosses a line FORBIDDEN draws, in the package at `root`."""
    found = []
    for rel, path in _modules(root):
        part = rel.split("/")[0].removesuffix(".py")
        banned = FORBIDDEN.get(part, set())
        dotted = ".".join([PACKAGE, *rel.removesuffix(".py").split("/")])
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for name in _imported(node, dotted):
                pieces = name.split(".")
                if pieces[0] == PACKAGE and len(pieces) > 1 and pieces[1] in banned:
                    found.append(Finding(rel, node.lineno, f"{part}/ imports {name}"))
    return found


def size_findings(root: Path) -> list[Finding]:
    """Modules past MODULE_LINES lines and functions past FUNCTION_LINES, outside migrations."""
    found = []
    for rel, path in _modules(root):
        if rel.startswith(NOT_MEASURED):
            continue
        text = path.read_text()
        lines = len(text.splitlines())
        if lines > MODULE_LINES:
            found.append(Finding(rel, 1, f"{lines} lines (split past {MODULE_LINES})"))
        for node in ast.walk(ast.parse(text, str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES:
                    what = f"{node.name} is {length} lines (split past {FUNCTION_LINES})"
                    found.append(Finding(rel, node.lineno, what))
    return found
