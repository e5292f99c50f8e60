"""Helpers that write small bundles for tests, in every form a bundle may take."""

from __future__ import annotations

import csv
import io
import textwrap
import zipfile
from pathlib import Path

import openpyxl

__all__ = ["folder_to_xlsx", "folder_to_zip", "write_bundle"]


def write_bundle(folder: Path, files: dict[str, str]) -> Path:
    """Write ``{file name: text}`` into ``folder`` (text is dedented) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def folder_to_zip(folder: Path, target: Path, prefix: str = "") -> Path:
    """Zip every file of ``folder`` (optionally under a folder ``prefix`` inside the zip)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, f"{prefix}{file.name}")
    return target


def folder_to_xlsx(folder: Path, target: Path) -> Path:
    """One sheet per CSV file of ``folder``, named by its stem, cells as text."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for file in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(file.stem)
        for row in csv.reader(io.StringIO(file.read_text(encoding="utf-8"))):
            sheet.append(row)
    book.save(target)
    return target
