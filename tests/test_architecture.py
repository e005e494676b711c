"""ARCHITECTURE.md's import rules, enforced: every module's imports, function-level ones included."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pytest_signcheck"
VOCABULARY = frozenset({"errors", "findings", "exchange"})
HEAVY_IO = frozenset({"pytest", "_pytest", "httpx", "httpcore", "vcr", "yaml"})

#: part -> (the parts of the package it may import, the outside modules it may not)
RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "contract": (frozenset({"contract", "errors", "_resources"}), HEAVY_IO),
    "vocabulary": (frozenset({"contract"}) | VOCABULARY, HEAVY_IO | {"jsonschema", "jsonschema_rs"}),
    "checks": (frozenset({"checks", "contract"}) | VOCABULARY, HEAVY_IO | {"starlette", "uvicorn"}),
    "traffic": (frozenset({"traffic", "contract", "_atomic"}) | VOCABULARY, frozenset({"pytest", "_pytest"})),
    "report": (
        frozenset({"report", "contract", "settings", "_atomic"}) | VOCABULARY,
        frozenset({"pytest", "_pytest", "httpx", "vcr"}),
    ),
    "settings": (frozenset({"settings", "contract"}) | VOCABULARY, HEAVY_IO),
    "suite": (
        frozenset({"suite", "checks", "traffic", "settings", "contract", "_resources"}) | VOCABULARY,
        frozenset({"pytest", "_pytest"}),
    ),
    "api": (frozenset({"api", "checks", "contract"}) | VOCABULARY, HEAVY_IO),
    "cli": (
        frozenset({"cli", "checks", "traffic", "report", "suite", "settings", "contract", "_atomic"})
        | VOCABULARY,
        frozenset({"pytest", "_pytest"}),
    ),
    "sandbox": (frozenset({"sandbox"}), frozenset()),
    "schemathesis": (frozenset({"checks", "contract"}) | VOCABULARY, HEAVY_IO),
}
#: Optional dependencies (the `[schemathesis]` extra) and the package's own modules that import them: each
#: may be imported when a module is imported only by the modules named here; anywhere else only inside a
#: function, on the path that needs it, so that importing the plugin or the suite never loads them.
OPTIONAL: dict[str, frozenset[str]] = {
    "hypothesis": frozenset(),
    "schemathesis": frozenset({"schemathesis.py"}),
    "pytest_signcheck.schemathesis": frozenset(),
}
#: Modules whose whole point is pytest: the file `pytest --signcheck` collects.
PYTEST_FILES = frozenset({"suite/test_conformance.py"})


def part_of(relative: Path) -> str | None:
    """The part a module belongs to (None for the plugin and the package's own `__init__`)."""
    head = relative.parts[0]
    name = head.removesuffix(".py")
    if name == "plugin":  # the plugin may import every part, and pytest
        return None
    if len(relative.parts) > 1:
        return name
    if name in VOCABULARY:
        return "vocabulary"
    return name if name in RULES else None


def imported(source: str, module: str) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in `source`, relative ones resolved."""
    package = module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            if base == "pytest_signcheck":  # `from pytest_signcheck import x`: x is the module used
                yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)
            else:
                yield node.lineno, base


def module_level(source: str) -> Iterator[ast.stmt]:
    """The statements that run when a module is imported: function bodies are left out, class bodies and
    the branches of `if`, `try` and `with` are not."""
    pending: list[ast.stmt] = list(ast.parse(source).body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        yield node
        for name in ("body", "orelse", "finalbody", "handlers"):
            pending.extend(child for child in getattr(node, name, ()) if isinstance(child, ast.stmt))
        for handler in getattr(node, "handlers", ()):
            pending.extend(handler.body)


def eager_optional(relative: Path, source: str) -> list[str]:
    """Every import of an optional dependency (or of a module of ours that needs one) that runs when
    the module at `relative` is imported, where `OPTIONAL` does not allow it."""
    if relative.name == "__main__.py":
        return []
    module = "pytest_signcheck." + ".".join(relative.with_suffix("").parts)
    lines = {node.lineno for node in module_level(source) if isinstance(node, ast.Import | ast.ImportFrom)}
    found = []
    for line, name in imported(source, module):
        for optional, owners in OPTIONAL.items():
            hit = name == optional or name.startswith(optional + ".")
            if hit and line in lines and relative.as_posix() not in owners:
                found.append(f"{relative}:{line}: imports {name} on import (do it inside the function)")
    return found


def test_optional_dependencies_load_only_on_the_path_that_needs_them() -> None:
    found = [
        problem
        for path in sorted(PACKAGE.rglob("*.py"))
        for problem in eager_optional(path.relative_to(PACKAGE), path.read_text(encoding="utf-8"))
    ]
    assert found == [], "optional dependencies imported eagerly:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("relative", "source", "eager"),
    [
        ("cli.py", "from pytest_signcheck.schemathesis import CHECK_IDS\n", True),
        ("cli.py", "def f():\n    from pytest_signcheck.schemathesis import CHECK_IDS\n", False),
        ("suite/runner.py", "try:\n    import hypothesis\nexcept ImportError:\n    pass\n", True),
        ("schemathesis.py", "import schemathesis\n", False),
        ("contract/schemas.py", "from hypothesis import strategies\n", True),
        ("plugin/__init__.py", "class A:\n    import schemathesis\n", True),
    ],
)
def test_an_eager_optional_import_is_caught(relative: str, source: str, eager: bool) -> None:
    assert bool(eager_optional(Path(relative), source)) is eager


def violations(relative: Path, source: str) -> list[str]:
    """Every import of `source` (the module at `relative` inside the package) that crosses a rule."""
    part = part_of(relative)
    if part is None:
        return []
    allowed, forbidden = RULES[part]
    if relative.as_posix() in PYTEST_FILES:
        forbidden = forbidden - {"pytest", "_pytest"}
    module = "pytest_signcheck." + ".".join(relative.with_suffix("").parts)
    found = []
    for line, name in imported(source, module):
        top, _, rest = name.partition(".")
        if top == "pytest_signcheck":
            target = part_of(Path(*rest.split("."))) or rest.split(".")[0]
            if target not in allowed and rest.split(".")[0] not in allowed:
                found.append(f"{relative}:{line}: {part} may not import pytest_signcheck.{rest}")
        elif top in forbidden:
            found.append(f"{relative}:{line}: {part} may not import {name}")
    return found


def test_every_module_keeps_to_its_part() -> None:
    found = [
        problem
        for path in sorted(PACKAGE.rglob("*.py"))
        for problem in violations(path.relative_to(PACKAGE), path.read_text(encoding="utf-8"))
    ]
    assert found == [], "imports that cross ARCHITECTURE.md's lines:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("relative", "source", "crossing"),
    [
        ("checks/signer_links.py", "import httpx\n", "checks may not import httpx"),
        ("checks/signer_links.py", "def f():\n    from vcr import VCR\n", "checks may not import vcr"),
        (
            "checks/signer_links.py",
            "from pytest_signcheck.traffic import transport\n",
            "pytest_signcheck.traffic",
        ),
        (
            "contract/schemas.py",
            "from pytest_signcheck.checks import run_checks\n",
            "pytest_signcheck.checks",
        ),
        ("findings.py", "import pytest\n", "vocabulary may not import pytest"),
        ("report/render.py", "from ..suite import runner\n", "pytest_signcheck.suite"),
        ("sandbox/store.py", "from pytest_signcheck import findings\n", "pytest_signcheck.findings"),
        ("suite/runner.py", "import pytest\n", "suite may not import pytest"),
    ],
)
def test_a_crossing_is_caught(relative: str, source: str, crossing: str) -> None:
    assert any(crossing in problem for problem in violations(Path(relative), source))


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("checks/signer_links.py", "from pytest_signcheck.contract.endpoints import Endpoint\n"),
        ("checks/signer_links.py", "from .integrity import check_status_integrity\n"),
        ("suite/test_conformance.py", "import pytest\n"),
        ("plugin/__init__.py", "import pytest\nfrom pytest_signcheck.sandbox import running\n"),
        ("plugin/fixtures.py", "import pytest\nfrom pytest_signcheck.sandbox import running\n"),
        ("sandbox/routes.py", "from .store import Store\nimport starlette\n"),
    ],
)
def test_an_allowed_import_passes(relative: str, source: str) -> None:
    assert violations(Path(relative), source) == []
