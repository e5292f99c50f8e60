"""Random malformed bundles never raise anything but BundleError, and never write."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from graph import EmbeddedStore
from ingest import ingest_bundle
from ingest.mapping import FILE_STEMS
from ontology import BundleError

COLUMNS = ["id", "name", "title", "status", "owner_role", "person", "role", "since", "until",
           "likelihood", "impact", "supports", "requirement", "applicable", "from", "type", "to",
           "seniority", "active", "collected_on", "valid_until", "system", "implements",
           "source", "reports_to", "members", "concerns", "Extra Column", ""]
VALUES = st.one_of(
    st.sampled_from(["P-1", "R-1", "C-1", "5.2", "A.6.2.4", "ISO42001:A.2.2", "Role:R-1",
                     "Control:P-1", "2026-11-27", "2026-02-30", "yes", "maybe", "0", "6",
                     "executive", "implemented", "OWNS", "HOLDS", "a;b;;c", "", " ", "R-1;R-1"]),
    st.text(max_size=12),
)


@st.composite
def bundles(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    for stem in draw(st.lists(st.sampled_from([*FILE_STEMS, "junk"]), max_size=4, unique=True)):
        header = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=6))
        rows = draw(st.lists(st.lists(VALUES, min_size=0, max_size=len(header) + 1),
                             max_size=5))
        kind = draw(st.sampled_from(["csv", "json", "yaml"]))
        if kind == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(header)
            writer.writerows(rows)
            files[f"{stem}.csv"] = buffer.getvalue()
        else:
            records = [dict(zip(header, row, strict=False)) for row in rows]
            text = json.dumps(records)
            files[f"{stem}.{kind}"] = text if draw(st.booleans()) else text[: draw(
                st.integers(0, max(len(text), 1)))]
    return files


@given(bundles())
def test_random_bundles_never_crash_and_never_write_when_rejected(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bundle"
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        with EmbeddedStore(Path(tmp) / "store") as store:
            before = store.stats()
            try:
                ingest_bundle(store, folder)
            except BundleError as exc:
                assert exc.issues, "a rejection must say why"
                assert store.stats() == before
                assert all(str(issue) for issue in exc.issues)


@given(st.binary(max_size=400))
def test_random_bytes_as_zip_or_xlsx_are_rejected_cleanly(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("bundle.zip", "bundle.xlsx"):
            path = Path(tmp) / name
            path.write_bytes(data)
            with EmbeddedStore(Path(tmp) / "store") as store:
                try:
                    ingest_bundle(store, path)
                except BundleError as exc:
                    assert exc.issues
