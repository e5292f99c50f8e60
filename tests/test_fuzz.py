"""Ten thousand random and damaged bundles, as zip and xlsx uploads holding CSV, YAML and JSON:
never anything but a BundleError or a success, and a rejected bundle never writes anything."""

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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aimsgraph.graph import EmbeddedStore
from aimsgraph.ingest import UploadedBundle, ingest_bundle
from aimsgraph.ingest.mapping import FILE_STEMS
from aimsgraph.ontology import BundleError
from tests.hostile.corpus import SHEET_HEAD, SHEET_TAIL, workbook

EXAMPLES = int(os.environ.get("AIMSGRAPH_FUZZ_EXAMPLES", "10000"))
COLUMNS = ["id", "name", "title", "status", "owner_role", "person", "role", "since", "until",
           "likelihood", "impact", "supports", "requirement", "applicable", "from", "type", "to",
           "seniority", "active", "collected_on", "valid_until", "system", "implements",
           "source", "reports_to", "members", "concerns", "Extra Column", "", "<<", "run_id"]
CHOICES = ["P-1", "R-1", "C-1", "5.2", "A.6.2.4", "ISO42001:A.2.2", "Role:R-1", "Control:P-1",
           "2026-11-27", "2026-02-30", "yes", "maybe", "0", "6", "executive", "implemented",
           "OWNS", "HOLDS", "PART_OF", "a;b;;c", "", " ", "R-1;R-1", "=1+1", "010", "NO", "~",
           "null", "&a", "*a", "[", "{", "\u202e", "\u200b", "x" * 300, "9" * 5000]
ALPHABET = "aZ09 -_:;,.\"'\n\r\t[]{}&*!|<>=@+\\\x00\x1b\u00e9\u0301\u202e\ufeff"


def _value(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return rng.choice(CHOICES)
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))


def _table(rng: random.Random) -> tuple[str, list[str], list[list[str]]]:
    stem = rng.choice([*FILE_STEMS, "junk"])
    header = [rng.choice(COLUMNS) for _ in range(rng.randint(1, 6))]
    rows = [[_value(rng) for _ in range(rng.randint(0, len(header) + 1))]
            for _ in range(rng.randint(0, 6))]
    return stem, header, rows


def _text(kind: str, header: list[str], rows: list[list[str]]) -> str:
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue()
    records = [dict(zip(header, row, strict=False)) for row in rows]
    if kind == "json":
        return json.dumps(records)
    lines = []
    for record in records:
        lines += [f"- {json.dumps(k)}: {json.dumps(v)}" if i == 0 else
                  f"  {json.dumps(k)}: {json.dumps(v)}" for i, (k, v) in enumerate(record.items())]
    return "\n".join(lines) + "\n"


def _damage(data: bytes, rng: random.Random) -> bytes:
    """Truncate the bytes, or overwrite some of them (for archives: headers, CRCs, deflate)."""
    how = rng.choice(["keep", "keep", "truncate", "flip"])
    if how == "truncate" and data:
        return data[:rng.randrange(len(data))]
    if how == "flip" and data:
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        return bytes(damaged)
    return data


def upload(seed: int) -> tuple[str, str, bytes]:
    """(the format exercised, the upload's file name, its bytes), all from one seed: one
    draw per example keeps ten thousand of them quick, and a failure names its seed."""
    rng = random.Random(seed)
    container = rng.choice(["zip", "zip", "zip", "xlsx", "bytes"])
    if container == "bytes":
        return "bytes", rng.choice(["b.zip", "b.xlsx"]), rng.randbytes(rng.randint(0, 300))
    if container == "xlsx":
        _, header, rows = _table(rng)
        body = "".join(
            f'<row r="{n}">' + "".join(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                                       for v in values) + "</row>"
            for n, values in enumerate([header, *rows], 1))
        return "xlsx", "b.xlsx", _damage(workbook(SHEET_HEAD + body + SHEET_TAIL), rng)
    members: dict[str, str] = {}
    kinds = []
    for _ in range(rng.randint(1, 3)):
        stem, header, rows = _table(rng)
        kind = rng.choice(["csv", "json", "yaml"])
        kinds.append(kind)
        text = _text(kind, header, rows)
        if rng.random() < 0.3:
            text = text[:rng.randint(0, len(text))]
        members[f"{rng.choice(['', '', 'sub/', '../', '.hidden/'])}{stem}.{kind}"] = text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", rng.choice([zipfile.ZIP_STORED,
                                                  zipfile.ZIP_DEFLATED])) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return "+".join(sorted(set(kinds))), "b.zip", _damage(buffer.getvalue(), rng)


def test_ten_thousand_hostile_bundles_never_crash_and_never_write_when_rejected(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outcomes: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    with EmbeddedStore(tmp_path / "store") as store:

        def state() -> tuple[int, int]:
            with store.read() as tx:
                return tx.generation(), tx.conn.execute("SELECT count(*) FROM nodes").fetchone()[0]

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(st.integers(0, 2**64))
        def one(seed: int) -> None:
            kind, name, data = upload(seed)
            formats[kind] += 1
            before = state()
            try:
                ingest_bundle(store, UploadedBundle(name, io.BytesIO(data)))
            except BundleError as exc:
                assert exc.issues and all(str(issue) for issue in exc.issues)
                assert state() == before, "a rejected bundle changed the store"
                outcomes["rejected"] += 1
            else:
                outcomes["accepted"] += 1

        one()
    total = sum(outcomes.values())
    with capsys.disabled():  # the count belongs in every run's output, passing or not
        print(f"\nfuzzed {total} bundles: {dict(outcomes)}; 0 tracebacks, 0 partial writes; "
              f"formats: {dict(formats.most_common())}")
    assert total >= EXAMPLES
    assert outcomes["accepted"] and outcomes["rejected"]
