"""The sample organisation's full gap report, as of a fixed date, against a reviewed golden file.

Set AIMSGRAPH_UPDATE_GOLDEN=1 to rewrite the file after a deliberate change: that run writes it
and fails (it cannot compare a file with what it has just written); review the diff, then run
again without the variable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle

GOLDEN = Path(__file__).parents[1] / "data" / "golden" / "northwind-gaps-2026-11-27.json"


def test_sample_gap_report_matches_the_golden_file(store: GraphStore, sample_dir: Path) -> None:
    ingest_bundle(store, sample_dir)
    report = Queries(store).gaps(dt.date(2026, 11, 27)).to_json()
    if os.environ.get("AIMSGRAPH_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        pytest.fail(f"{GOLDEN.name} rewritten: review its diff, then run without "
                    "AIMSGRAPH_UPDATE_GOLDEN")
    assert report == json.loads(GOLDEN.read_text(encoding="utf-8"))


#: Checks that cannot fire together with another on any graph, by definition: a missing AI
#: policy leaves none to acknowledge, and with no objective set none can be off track. The
#: sample plants the second of each pair; the fixture cases cover the first.
EXCLUSIVE = {"ai-policy-missing": "ai-policy-not-acknowledged",
             "ai-objectives-missing": "objective-not-on-track"}


def test_the_sample_fires_every_check(store: GraphStore, sample_dir: Path) -> None:
    ingest_bundle(store, sample_dir)
    for as_of in (dt.date(2026, 11, 27), dt.date(2027, 3, 1)):
        report = Queries(store).gaps(as_of)
        empty = [r.check.id for r in report.results if not r.findings]
        assert empty == list(EXCLUSIVE), f"as of {as_of} these checks find nothing: {empty}"
        firing = {r.check.id for r in report.results if r.findings}
        assert set(EXCLUSIVE.values()) <= firing
