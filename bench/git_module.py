"""Import a module of this repository as it was at a git revision, beside the current one.

The `*_changes` scripts compare what a rule did then with what it does now over the same inputs,
without a second checkout.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def module_at(relative_path: str, revision: str) -> ModuleType:
    """`relative_path` (e.g. "index/dates.py") as it was at `revision`, imported as "<stem>_at_<revision>"."""
    source = subprocess.run(
        ["git", "show", f"{revision}:{relative_path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    name = f"{Path(relative_path).stem}_at_{revision}".replace("-", "_")
    path = Path(tempfile.mkdtemp()) / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module
