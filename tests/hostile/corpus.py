"""The hostile-input corpus: every bundle an attacker tried, generated (no binaries are kept).

``python -m tests.hostile.corpus OUT`` writes it to OUT and lists the cases. Each
:class:`Case` says what a safe answer is: an error whose text holds ``expect``, or (``expect``
None) a successful ingest whose effect ``check`` verifies.
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CASES", "Case", "build"]

MIB = 1 << 20


@dataclass(frozen=True)
class Case:
    """One hostile bundle: its file name, how to make its bytes, and the safe answer."""

    name: str
    item: int  # the item of the hostile-input issue it reproduces
    make: Callable[[], bytes]
    expect: str | None  # a piece of the error; None: the bundle is accepted safely
    about: str
    upload_as: str = ""  # the file name an API upload gives, when not the case's name


# -- zip building blocks -------------------------------------------------------------------
def _zip(files: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _streamed_zip(name: str, head: bytes, filler: bytes, size: int) -> bytes:
    """A zip whose one member is ``head`` then ``filler`` repeated up to ``size`` bytes,
    written as it is compressed so that the bomb is never held in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(name, "w", force_zip64=True) as member:
            member.write(head)
            block = filler * (MIB // len(filler))
            written = len(head)
            while written < size:
                piece = block[:size - written]
                member.write(piece)
                written += len(piece)
    return buffer.getvalue()


def _patch_central(data: bytes, offset: int, value: bytes) -> bytes:
    """Overwrite a field of the first central-directory entry."""
    at = data.index(b"PK\x01\x02")
    return data[:at + offset] + value + data[at + offset + len(value):]


def _patch_local(data: bytes, offset: int, value: bytes) -> bytes:
    """Overwrite a field of the first local file header."""
    return data[:offset] + value + data[offset + len(value):]


PEOPLE = "id,name\nP-1,Ada\n"


def bad_crc() -> bytes:
    data = _zip({"people.csv": PEOPLE})
    return _patch_central(data, 16, b"\x00\x00\x00\x00")


def corrupt_deflate() -> bytes:
    data = _zip({"people.csv": "id,name\n" + "".join(f"P-{i},Person {i}\n" for i in range(500))})
    start = 30 + len("people.csv")
    return data[:start + 8] + b"\xff" * 24 + data[start + 32:]


def encrypted() -> bytes:
    data = _zip({"people.csv": PEOPLE}, zipfile.ZIP_STORED)
    data = _patch_local(data, 6, struct.pack("<H", 1))
    return _patch_central(data, 8, struct.pack("<H", 1))


def unsupported_compression() -> bytes:
    data = _zip({"people.csv": PEOPLE}, zipfile.ZIP_STORED)
    data = _patch_local(data, 8, struct.pack("<H", 99))
    return _patch_central(data, 10, struct.pack("<H", 99))


# -- workbooks -----------------------------------------------------------------------------
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="people" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
              'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


def inline_row(number: int, values: list[str]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def workbook(sheet_xml: bytes | str) -> bytes:
    """A minimal .xlsx with one sheet named ``people`` holding ``sheet_xml``."""
    return _zip({"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _ROOT_RELS,
                 "xl/workbook.xml": _WORKBOOK, "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
                 "xl/worksheets/sheet1.xml": sheet_xml})


def xlsx_bomb() -> bytes:
    """A sheet of 107 MB that compresses to a few hundred KB."""
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    body = SHEET_HEAD + inline_row(1, ["id", "name"]) + row * (107 * MIB // len(row)) \
        + SHEET_TAIL
    return workbook(body)


def xlsx_doctype() -> bytes:
    lol = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">'
                  for i in range(1, 10))
    sheet = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">' + lol + ']>'
             + SHEET_HEAD.split("?>", 1)[1] + inline_row(1, ["id", "name"])
             + inline_row(2, ["P-1", "&l9;"]) + SHEET_TAIL)
    return workbook(sheet)


# -- text formats --------------------------------------------------------------------------
def yaml_aliases() -> bytes:
    """25 KB of YAML that aliases one long list a thousand times."""
    items = ", ".join(f"r{i}" for i in range(300))
    text = f"- id: P-0\n  name: Ada\n  tags: &t [{items}]\n"
    text += "".join(f"- id: P-{i}\n  name: N\n  tags: *t\n" for i in range(1, 1000))
    return text.encode()


def yaml_typing() -> bytes:
    return (b"- id: 010\n  name: NO\n- id: 0x1F\n  name: yes\n- id: P-7\n  name: Null Island\n"
            b"  email: ~\n")


def deep(open_: str, close: str) -> bytes:
    return (open_ * 100_000 + close * 100_000).encode()


def _people_zip(text: str, stem: str = "people.csv") -> Callable[[], bytes]:
    return lambda: _zip({stem: text})


def many_errors() -> bytes:
    rows = "".join(f"P-{i},,maybe\n" for i in range(200_000))
    return _zip({"people.csv": "id,name,active\n" + rows})


FORMULAS = ("id,name,risk_tier,lifecycle\n"
            'SYS-F1,"=HYPERLINK(""http://evil.example"",""click"")",high,deployed\n'
            "SYS-F2,@SUM(1+1),high,deployed\nSYS-F3,+cmd|' /C calc'!A0,high,deployed\n"
            "SYS-F4,-2+3,high,deployed\n")
TERMINAL = ("id,name\nR-MARKUP,[/x]\nR-LINK,[link=http://evil.example]CEO[/link]\n"
            'R-ESC,"\x1b[2J\x1b]0;owned\x07Clear"\n')
OWNED = ("id,name,owner_role,lifecycle\nSYS-M,Markup,R-MARKUP,deployed\n"
         "SYS-L,Link,R-LINK,deployed\nSYS-E,Escape,R-ESC,deployed\n")


CASES: tuple[Case, ...] = (
    Case("newline-bomb.zip", 1, lambda: _streamed_zip("people.csv", b"id,name\n", b"\n",
                                                      50 * MIB),
         "holds more than 2000000 rows", "51 KB zip whose people.csv inflates to 50 MiB of "
         "newlines"),
    Case("declared-500mib.zip", 1, lambda: _streamed_zip("people.csv", b"id,name\n", b"0",
                                                         500 * MIB),
         "a line is longer than", "zip declaring 500 MiB, under the 512 MiB default"),
    Case("sheet-107mb.xlsx", 3, xlsx_bomb, "likely zip bomb",
         "workbook of a few hundred KB with a 107 MB sheet"),
    Case("bad-crc.zip", 4, bad_crc, "Bad CRC-32", "member whose CRC does not match"),
    Case("corrupt-deflate.zip", 4, corrupt_deflate, "cannot be read",
         "member whose deflate stream is damaged"),
    Case("encrypted.zip", 4, encrypted, "is encrypted", "member marked as encrypted"),
    Case("compression-99.zip", 4, unsupported_compression, "compression method 99",
         "member with an unknown compression method"),
    Case("deep-json.zip", 4, lambda: _zip({"people.json": deep("[", "]")}),
         "nested more deeply", "[ a hundred thousand times, as JSON"),
    Case("deep-yaml.zip", 4, lambda: _zip({"people.yaml": deep("[", "]")}),
         "nested more than", "[ a hundred thousand times, as YAML"),
    Case("long-number.zip", 4, lambda: _zip({
        "risks.json": json.dumps([{"id": "RK-1", "title": "t"}])[:-2]
        + ', "likelihood": ' + "9" * 5000 + "}]"}),
         "is not a whole number", "a 5000-digit number"),
    Case("yaml-bad-date.zip", 4, lambda: _zip({
        "people.yaml": "- id: P-1\n  name: Ada\n  left_on: 2026-02-30\n"}),
         "'2026-02-30' is not a date", "an impossible unquoted YAML date"),
    Case("doctype.xlsx", 4, xlsx_doctype, "declares a DTD", "a sheet with a DOCTYPE"),
    Case("long-name.zip", 4, lambda: _zip({"people.csv": "id,name\nP-1,\n"}),
         "name is required", "uploaded under a 300-character file name",
         upload_as="x" * 300 + ".zip"),
    Case("yaml-aliases.zip", 5, lambda: _zip({"people.yaml": yaml_aliases()}),
         "more than 50 aliases", "25 KB of YAML aliasing one list a thousand times"),
    Case("yaml-typing.zip", 5, lambda: _zip({"people.yaml": yaml_typing()}), None,
         "ids 010 and 0x1F and the name NO stay as written"),
    Case("formulas.zip", 6, _people_zip(FORMULAS, "ai_systems.csv"), None,
         "names that a spreadsheet would run as formulas"),
    Case("terminal.zip", 7, lambda: _zip({"roles.csv": TERMINAL, "ai_systems.csv": OWNED}),
         None,
         "role names holding Rich markup and terminal escape sequences"),
    Case("many-errors.zip", 10, many_errors, "and 399000 more errors",
         "200,000 bad rows"),
    Case("unterminated-quote.zip", 11, _people_zip('id,name\nP-90,"abc\nP-91,def\n'),
         "people.csv:2: a quoted value opened on this row is never closed",
         "an unterminated quote"),
    Case("bad-ids.zip", 14, _people_zip("id,name\nP\u202e1,Bidi\n\"P-2\x00\",Nul\n"
                                        "P\u200b3,Zero width\n" + "P" * 201 + ",Long\n"),
         "a bidi control character (U+202E) at character 2", "ids with hidden characters"),
    Case("catalogue-part-of.zip", 14, _people_zip("from,type,to\nA.2.2,PART_OF,A.3\n",
                                                  "relationships.csv"),
         "belongs to the built-in catalogue", "a bundle rewriting the catalogue's PART_OF"),
)


def build(folder: Path) -> list[tuple[Case, Path]]:
    """Write every case into ``folder``; returns each case with its file."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for case in CASES:
        path = folder / case.name
        path.write_bytes(case.make())
        written.append((case, path))
    return written


if __name__ == "__main__":
    for case, path in build(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")):
        print(f"{path.stat().st_size:>10,} B  item {case.item:>2}  {path.name[:40]}: "
              f"{case.about}")
