"""The graph's mappings as an SSSOM mapping set (TSV with its YAML metadata block), for the
tools of the SSSOM ecosystem and for ingesting elsewhere.

Each framework is a CURIE prefix; a reference that is not a valid CURIE local part as written
(``GOVERN 1.1``) is percent-encoded (``GOVERN%201.1``), which ingestion decodes again. The
set's licence is its mappings' own when they share one, else SSSOM's "unspecified".
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

import yaml

from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology.values import natural_key

__all__ = ["MAPPING_SET_ID", "UNSPECIFIED_LICENSE", "curie", "mapping_set_tsv"]

MAPPING_SET_ID = "urn:aimsgraph:export:mappings"
UNSPECIFIED_LICENSE = "https://w3id.org/sssom/license/unspecified"
_COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
            "mapping_justification", "confidence", "author_id", "comment")


def curie(requirement_id: str) -> str:
    """A requirement id as an SSSOM CURIE: its framework the prefix, its reference the local
    part, percent-encoded where a CURIE needs it."""
    prefix, _, ref = requirement_id.partition(":")
    return f"{prefix}:{quote(ref, safe='.-_~()')}"


def _mappings(sem: Semantics) -> list[tuple[NodeKey, NodeKey, dict[str, Any]]]:
    found = []
    requirements = sem.view.nodes("Requirement")
    sem.view.prefetch(requirements, outgoing=True)
    for subject in requirements:
        for target, rel in sem.view.out(subject, "MAPS_TO"):
            found.append((subject, target, rel))
    return sorted(found, key=lambda m: (natural_key(m[0][1]), str(m[2].get("predicate")),
                                        natural_key(m[1][1])))


def mapping_set_tsv(sem: Semantics) -> str:
    """Every MAPS_TO of the graph as one SSSOM mapping set."""
    mappings = _mappings(sem)
    prefixes = sorted({key[1].partition(":")[0] for s, o, _ in mappings for key in (s, o)})
    licences = {str(rel.get("licence")) for _, _, rel in mappings if rel.get("licence")}
    unlicensed = any(not rel.get("licence") for _, _, rel in mappings)
    metadata = {
        "curie_map": {**{p: f"urn:aimsgraph:requirement:{p}:" for p in prefixes},
                      "semapv": "https://w3id.org/semapv/vocab/",
                      "skos": "http://www.w3.org/2004/02/skos/core#"},
        "mapping_set_id": MAPPING_SET_ID,
        "mapping_set_description": "The crosswalks held in an aimsgraph graph.",
        "license": (licences.pop() if len(licences) == 1 and not unlicensed
                    else UNSPECIFIED_LICENSE),
    }
    out = io.StringIO()
    for line in yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True).splitlines():
        out.write(f"#{line}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(_COLUMNS)
    for subject, target, rel in mappings:
        confidence = rel.get("confidence")
        writer.writerow([curie(subject[1]), sem.name(subject), rel.get("predicate"),
                         curie(target[1]), sem.name(target),
                         rel.get("justification") or "semapv:UnspecifiedMatching",
                         "" if confidence is None else confidence, rel.get("author") or "",
                         rel.get("comment") or ""])
    return out.getvalue()
