"""The generators that would have found the second round's worst breaks, run in every CI run:

- ill-formed text (lone surrogates, non-characters) in every text column of every bundle file,
  in CSV, JSON, YAML and workbook cells (inline and shared), zipped or not: each such bundle is
  rejected, nothing else is ever raised, and the store reads back after every one;
- output paths of every shape a person mistypes: the product's error or a written file;
- integer options and query parameters at their extremes: a usage error or an answer.

The counts are printed in every run's output; a failure names the seed that made it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import zipfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.api.output_file import check_output, write_output
from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.store.doctor import readable
from aimsgraph.ingest import UploadedBundle, ingest_bundle
from aimsgraph.ingest.mapping import EDGE_FILES, NODE_FILES
from aimsgraph.ontology import ONTOLOGY, BundleError, OutputError
from tests.hostile.corpus import SHEET_HEAD, SHEET_TAIL, workbook
from tests.stores import point_cli_at

SCALE = int(os.environ.get("AIMSGRAPH_FUZZ_EXAMPLES", "10000")) / 10000
BUNDLES = int(8000 * SCALE)
PATHS = int(1500 * SCALE)
INTEGERS = int(500 * SCALE)

ILL_FORMED = ["\ud800", "\udfff", "\udbff", "\ufdd0", "\ufdef", "\ufffe", "\uffff",
              "\U0001fffe", "\U0010ffff"]
GOOD = ["P-1", "R-1", "C-1", "A.2.2", "2026-01-01", "yes", "x", "é", "\U0001f600", ""]


def _files() -> list[tuple[str, list[str]]]:
    """Every bundle file's stem and its columns, from the declarations."""
    found = []
    for spec in NODE_FILES:
        node = ONTOLOGY.node(spec.label)
        found.append((spec.stem, ["id", *(p.name for p in node.properties),
                                  *(link.column for link in spec.links)]))
    for edge in EDGE_FILES:
        found.append((edge.stem, [edge.start[0], edge.end[0], *(c for c, _ in edge.properties)]))
    return found


FILES = _files()


def _bundle(seed: int) -> tuple[str, str, bytes, bool]:
    """(format, upload name, bytes, whether a bad character was put in) for one seed."""
    rng = random.Random(seed)
    stem, columns = rng.choice(FILES)
    header = rng.sample(columns, rng.randint(1, min(6, len(columns))))
    rows = [[rng.choice(GOOD) for _ in header] for _ in range(rng.randint(1, 4))]
    bad = rng.random() < 0.9
    if not bad:  # a well-formed bundle that is accepted, to read the store back after a write
        stem, header = "people", ["id", "name"]
        rows = [[f"P-{seed}-{i}", rng.choice(["Ada", "Zoë", "\U0001f600 x"])] for i in range(2)]
    else:
        row, column = rng.randrange(len(rows)), rng.randrange(len(header))
        char = rng.choice(ILL_FORMED)
        rows[row][column] = rng.choice(["", "P-", "text "]) + char + rng.choice(["", "x"])
    kind = rng.choice(["csv", "json", "yaml", "xlsx-inline", "xlsx-shared"])
    if kind.startswith("xlsx"):
        return kind, "b.xlsx", _sheet(stem, header, rows, kind == "xlsx-shared"), bad
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        data = buffer.getvalue().encode("utf-8", "surrogatepass")
    elif kind == "json":
        data = json.dumps([dict(zip(header, r, strict=True)) for r in rows]).encode()
    else:
        data = "".join(
            "".join(f"{'- ' if i == 0 else '  '}{k}: {json.dumps(v)}\n"
                    for i, (k, v) in enumerate(zip(header, r, strict=True))) for r in rows
        ).encode()
    buffer_zip = io.BytesIO()
    with zipfile.ZipFile(buffer_zip, "w") as archive:
        archive.writestr(f"{stem}.{kind}", data)
    return kind, "b.zip", buffer_zip.getvalue(), bad


def _xml_text(value: str) -> str:
    """Text as a workbook part holds it: characters XML cannot carry as references."""
    return "".join(f"&#x{ord(c):X};" if 0xD800 <= ord(c) <= 0xDFFF or c in "\ufffe\uffff"
                   else escape(c) for c in value)


def _sheet(stem: str, header: list[str], rows: list[list[str]], shared: bool) -> bytes:
    strings: list[str] = []

    def cell(value: str) -> str:
        if shared:
            strings.append(value)
            return f'<c t="s"><v>{len(strings) - 1}</v></c>'
        return f'<c t="inlineStr"><is><t>{_xml_text(value)}</t></is></c>'

    body = "".join(f'<row r="{n}">' + "".join(cell(v) for v in values) + "</row>"
                   for n, values in enumerate([header, *rows], 1))
    data = workbook((SHEET_HEAD + body + SHEET_TAIL).encode("utf-8", "surrogatepass"))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/workbook.xml":
                part = part.replace(b'name="people"', f'name="{stem}"'.encode())
            if item.filename == "xl/_rels/workbook.xml.rels" and shared:
                part = part.replace(b"</Relationships>", (
                    b'<Relationship Id="rS" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>'))
            target.writestr(item, part)
        if shared:
            target.writestr("xl/sharedStrings.xml", (
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + "".join(f"<si><t>{_xml_text(s)}</t></si>" for s in strings) + "</sst>"
            ).encode("utf-8", "surrogatepass"))
    return out.getvalue()


def test_ill_formed_text_in_every_field_of_every_format_is_rejected_and_stores_stay_readable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outcomes: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    with EmbeddedStore(tmp_path / "store") as store:
        for seed in range(BUNDLES):
            kind, name, data, bad = _bundle(seed)
            formats[kind] += 1
            try:
                ingest_bundle(store, UploadedBundle(name, io.BytesIO(data)))
            except BundleError:
                outcomes["rejected"] += 1
            else:
                assert not bad, f"seed {seed}: a bundle holding ill-formed text was accepted"
                outcomes["accepted"] += 1
            if seed % 50 == 0 or not bad:
                assert readable(store) is None, f"seed {seed} left the store unreadable"
        store.view()
        assert readable(store) is None
    with capsys.disabled():
        print(f"\nfuzzed {BUNDLES} bundles with ill-formed text: {dict(outcomes)}; formats: "
              f"{dict(formats.most_common())}; 0 tracebacks, 0 stores left unreadable")
    assert sum(outcomes.values()) == BUNDLES and outcomes["rejected"] and outcomes["accepted"]


PATH_PARTS = ["out.html", "missing/out.html", "file.txt/out.html", "", ".", "..", "dir",
              "dir/", "/dev/full", "/dev/null", "x" * 300, "bad\udcff.html", "sub/../out.html",
              "/proc/self", "/"]


def test_output_paths_of_every_shape_are_written_or_the_products_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "dir").mkdir()
    (tmp_path / "sub").mkdir()
    outcomes: Counter[str] = Counter()
    for seed in range(PATHS):
        rng = random.Random(seed)
        part = rng.choice(PATH_PARTS)
        path = Path(part) if part.startswith("/") else tmp_path / part
        data: str | bytes = rng.choice(["text é", b"\x00bytes"])
        try:
            write_output(check_output(path), data)
        except OutputError as exc:
            assert str(path) in str(exc) or "cannot" in str(exc)
            outcomes["refused"] += 1
        else:
            outcomes["written"] += 1
    with capsys.disabled():
        print(f"\nfuzzed {PATHS} output paths: {dict(outcomes)}; 0 tracebacks")
    assert outcomes["refused"] and outcomes["written"]


EXTREMES = ["-9223372036854775809", "-1", "0", "1", "2", "25", "26", "4", "5", "5000", "5001",
            "2147483648", str(2**64), str(10**20), "1e20", "nan", "-0", " 3", "0x10", "３"]
OPTIONS = [["runs", "--limit"], ["runs", "show", "R", "--offset"], ["runs", "show", "R", "--limit"],
           ["gaps", "--high-risk-threshold"], ["gaps", "--key-person-limit"],
           ["visualise", "schema", "-o", "{out}", "--depth"],
           ["visualise", "schema", "-o", "{out}", "--max-neighbours"]]


def test_integer_options_at_their_extremes_are_usage_errors_or_answers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    codes: Counter[int] = Counter()
    with EmbeddedStore(tmp_path / "store") as store:
        point_cli_at(store, monkeypatch)
    runner = CliRunner()
    out = str(tmp_path / "page.html")
    for seed in range(INTEGERS):
        rng = random.Random(seed)
        option = [part.format(out=out) for part in rng.choice(OPTIONS)]
        result = runner.invoke(app, [*option, rng.choice(EXTREMES), "-f", "json"]
                               if option[0] == "runs" else [*option, rng.choice(EXTREMES)])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"seed {seed}: {option}: {result.exception!r}")
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1, 2, 3), (seed, option, result.output[-500:])
        codes[result.exit_code] += 1
    with capsys.disabled():
        print(f"\nfuzzed {INTEGERS} integer options: exit codes {dict(sorted(codes.items()))}; "
              "0 tracebacks")
    assert codes[2] and (codes[0] or codes[1])
