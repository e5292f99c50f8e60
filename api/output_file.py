"""Where a command's ``-o`` result goes: checked before the work, written as the product's error.

A report of 100,000 findings or a page laid out for a minute must not be computed only to
fail on a folder that does not exist; and a full disk or a read-only path is the person's
problem to fix, told in a sentence (:class:`OutputError`), not a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from aimsgraph.ontology import OutputError

__all__ = ["check_output", "check_output_folder", "write_output"]


def _why(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def check_output(path: Path) -> Path:
    """``path`` if a file can be written there; else OutputError naming what is wrong."""
    try:
        return _checked(path)
    except OSError as exc:  # a name too long, a loop of links: the system's own refusal
        raise OutputError(f"cannot write to {path}: {_why(exc)}") from None


def _checked(path: Path) -> Path:
    if path.is_dir():
        raise OutputError(f"cannot write to {path}: it is a folder; name a file in it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"cannot write to {path}: the folder {parent} does not exist")
    target = path if path.exists() else parent
    if not os.access(target, os.W_OK):
        raise OutputError(f"cannot write to {path}: permission denied"
                          + ("" if path.exists() else f" in the folder {parent}"))
    return path


def check_output_folder(folder: Path) -> Path:
    """``folder`` if files can be written into it (it may be created inside an existing
    folder); else OutputError."""
    try:
        return _checked_folder(folder)
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {_why(exc)}") from None


def _checked_folder(folder: Path) -> Path:
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write into {folder}: it is a file, not a folder")
    if not folder.exists():
        check_output(folder)
    elif not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write into {folder}: permission denied")
    return folder


def write_output(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path``; any failure (a full disk, a path that
    changed since it was checked) is an OutputError naming the path."""
    try:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write to {path}: {_why(exc)}") from None
