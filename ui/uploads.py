"""Uploaded article files: checked, then copied under safe names into the uploads folder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ui.settings import format_size

UPLOAD_SUFFIXES = (".jsonl", ".json", ".html", ".htm", ".txt")


@dataclass
class Rejected:
    """An uploaded file that never reached the ingestor, and why."""

    name: str
    reason: str


def size_limit_text(max_bytes: int) -> str:
    """The one wording of the upload limit, used by the label and by the error."""
    return f"at most {format_size(max_bytes)} per file"


def sanitize_filename(name: str) -> str:
    """A safe base name: no directories, no leading dots, only [A-Za-z0-9._-], at most 80 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("._-")[:64] or "upload"
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix).lower()[:8]
    return f"{stem}.{suffix}" if suffix else stem


def _problem(path: Path, max_bytes: int) -> str | None:
    if path.suffix.lower() not in UPLOAD_SUFFIXES:
        return f"unsupported file type; accepted: {', '.join(UPLOAD_SUFFIXES)}"
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"could not read the upload ({exc.strerror})"
    if size == 0:
        return "the file is empty"
    if size > max_bytes:
        return f"{format_size(size)} is too large: {size_limit_text(max_bytes)}"
    return None


def stage_uploads(
    files: Sequence[Any] | None, uploads_dir: Path, max_bytes: int, max_files: int
) -> tuple[list[Path], list[Rejected]]:
    """Validate the uploaded files and copy the good ones into `uploads_dir` under sanitized names.

    The copy is named by content hash, so uploading the same file twice lands on the same path and the
    ingestor reports it unchanged. Files are only read, never executed.
    """
    staged: list[Path] = []
    rejected: list[Rejected] = []
    paths = [Path(getattr(f, "name", f)) for f in files or () if f]
    if len(paths) > max_files:
        rejected += [
            Rejected(p.name, f"too many files at once (limit {max_files})") for p in paths[max_files:]
        ]
        paths = paths[:max_files]
    for path in paths:
        problem = _problem(path, max_bytes)
        if problem:
            rejected.append(Rejected(path.name, problem))
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:12]
        uploads_dir.mkdir(parents=True, exist_ok=True)
        target = uploads_dir / f"{digest}-{sanitize_filename(path.name)}"
        if not target.exists():
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            partial.replace(target)
        staged.append(target)
    return staged, rejected
