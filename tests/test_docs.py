"""The reference pages in docs/ are what the declarations give (regenerate with
`aimsgraph docs` after changing the ontology, the bundle mapping or a check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aimsgraph.api.docs import PAGES
from aimsgraph.graph.questions.checks import CHECKS
from aimsgraph.ontology import ONTOLOGY

DOCS = Path(__file__).parents[1] / "docs"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_is_current(name: str) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == PAGES[name](), (
        f"docs/{name} is out of date: run `aimsgraph docs`")


def test_pages_cover_every_declaration() -> None:
    ontology, checks = PAGES["ontology.md"](), PAGES["checks.md"]()
    assert all(f"## `{label}`" in ontology for label in ONTOLOGY.labels)
    assert all(f"`{rel}`" in ontology for rel in ONTOLOGY.relationship_types)
    assert "`on_event` (on event" in ontology  # recognised frequency spellings
    assert checks.count("```cypher") == len(CHECKS)  # every check's Cypher, once
    assert all(f"`{check.id}`" in checks for check in CHECKS)
