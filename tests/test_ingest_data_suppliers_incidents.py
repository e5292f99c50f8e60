"""The datasets, suppliers and incidents files (docs/bundles.md): what they become in the graph,
on both stores, and the precise errors that keep a bad row out (nothing written)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aimsgraph.graph import GraphStore
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import BundleError
from tests.bundles import write_bundle

BASE = {
    "people.csv": "id,name\nP-1,Ada\n",
    "roles.csv": "id,name\nR-1,Data Steward\n",
    "ai_systems.csv": "id,name,risk_tier,lifecycle\nS-1,Scoring,high,deployed\n"
                      "S-2,Chat,limited,deployed\n",
    "risks.csv": "id,title,systems\nRK-1,Drift,S-1\n",
}
GOOD = {
    **BASE,
    "suppliers.csv": """
        id,name,kind,owner_role,assessed_on,reassess_due,systems
        SUP-1,Model Co,model_provider,R-1,2026-01-10,2027-01-10,S-1;S-2
        """,
    "datasets.csv": """
        id,name,purpose,origin,owner_role,supplier,used_by,quality_checked_on,personal_data
        DS-1,Claims history,training;validation,acquired,R-1,SUP-1,S-1,2026-05-01,true
        """,
    "incidents.csv": """
        id,title,severity,status,systems,owner_role,occurred_on,detected_on,reported_on,realises
        INC-1,Biased scores,serious,contained,S-1,R-1,2026-03-01,2026-03-02,2026-03-10,RK-1
        """,
}


def test_the_three_files_become_nodes_and_relationships(store: GraphStore,
                                                         tmp_path: Path) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "b", GOOD))
    stats = store.stats()
    assert {k: stats.nodes[k] for k in ("Dataset", "Supplier", "Incident")} == {
        "Dataset": 1, "Supplier": 1, "Incident": 1}
    assert {k: stats.relationships[k] for k in ("USES_DATA", "SUPPLIED_BY", "DEPENDS_ON",
                                                "REALISES")} == {
        "USES_DATA": 1, "SUPPLIED_BY": 1, "DEPENDS_ON": 2, "REALISES": 1}
    assert stats.relationships["OWNS"] == 3  # the dataset, the supplier and the incident
    assert stats.relationships["AFFECTS"] == 2  # the risk's system and the incident's
    with store.read() as tx:
        dataset = tx.get_nodes("Dataset", ["DS-1"])["DS-1"].props
        incident = tx.get_nodes("Incident", ["INC-1"])["INC-1"].props
        uses = tx.targets("USES_DATA", [("AISystem", "S-1")])
    assert dataset["purpose"] == ["training", "validation"]
    assert dataset["quality_checked_on"] == dt.date(2026, 5, 1)
    assert dataset["personal_data"] is True
    assert incident["reported_on"] == dt.date(2026, 3, 10)
    assert uses == {("AISystem", "S-1"): {("Dataset", "DS-1")}}


@pytest.mark.parametrize(("files", "expected"), [
    pytest.param({"incidents.csv": "id,title,severity\nINC-1,Outage,catastrophic\n"},
                 "incidents.csv:2: severity 'catastrophic' is not one of: serious, major, minor",
                 id="unknown-severity"),
    pytest.param({"datasets.csv": "id,name,used_by\nDS-1,Logs,S-9\n"},
                 "datasets.csv:2: used_by 'S-9' is not a known AISystem id",
                 id="used-by-no-system"),
    pytest.param({"incidents.csv": "id,title,occurred_on,reported_on\n"
                                   "INC-1,Leak,2026-03-05,2026-03-01\n"},
                 "incidents.csv:2: reported_on 2026-03-01 is before occurred_on 2026-03-05",
                 id="reported-before-occurred"),
    pytest.param({"suppliers.csv": "id,name,assessed_on,reassess_due\n"
                                   "SUP-1,Cloud,2026-06-01,2026-01-01\n"},
                 "suppliers.csv:2: reassess_due 2026-01-01 is before assessed_on 2026-06-01",
                 id="reassessment-before-assessment"),
])
def test_a_bad_row_names_file_row_and_column_and_nothing_is_written(
        store: GraphStore, tmp_path: Path, files: dict[str, str], expected: str) -> None:
    before = store.stats()
    with pytest.raises(BundleError) as raised:
        ingest_bundle(store, write_bundle(tmp_path / "b", {**BASE, **files}))
    messages = [str(issue) for issue in raised.value.issues]
    assert any(message.startswith(expected) for message in messages), messages
    assert store.stats() == before
