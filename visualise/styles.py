"""Visual styles, derived from the ontology declaration (one place: ontology/schema.py)."""

from __future__ import annotations

from typing import Any

from ontology import ONTOLOGY

__all__ = ["GAP_COLOUR", "edge_style", "legend", "node_style"]

GAP_COLOUR = "#d00000"
HIGHLIGHT_COLOUR = "#ffb000"


def node_style(label: str, *, gap: bool = False, highlight: bool = False) -> dict[str, Any]:
    """vis-network options for a node of ``label``; gaps get a thick red border and a glow."""
    style = ONTOLOGY.node(label).style if ONTOLOGY.has_label(label) else None
    colour = style.colour if style else "#999999"
    options: dict[str, Any] = {
        "shape": style.shape if style else "dot",
        "size": style.size if style else 12,
        "color": {"background": colour, "border": colour,
                  "highlight": {"background": colour, "border": "#000000"}},
        "borderWidth": 1,
    }
    if highlight:
        options["color"]["border"] = HIGHLIGHT_COLOUR
        options["borderWidth"] = 5
        options["size"] = options["size"] + 6
    if gap:
        options["color"]["border"] = GAP_COLOUR
        options["borderWidth"] = 6
        options["shadow"] = {"enabled": True, "color": GAP_COLOUR, "size": 18, "x": 0, "y": 0}
    return options


#: A relationship that no longer holds on the page's date (a former holder's HOLDS).
FORMER_COLOUR = "#b0b0b0"


def edge_style(rel_type: str, *, highlight: bool = False, broken: bool = False,
               former: bool = False) -> dict[str, Any]:
    """vis-network options for a relationship of ``rel_type``."""
    style = ONTOLOGY.relationship(rel_type).style if ONTOLOGY.has_relationship(rel_type) \
        else None
    options: dict[str, Any] = {
        "color": style.colour if style else "#999999",
        "width": style.width if style else 1,
        "dashes": style.dashes if style else False,
        "arrows": "to",
    }
    if highlight:
        options.update(color=HIGHLIGHT_COLOUR, width=4)
    if broken:
        options.update(color=GAP_COLOUR, width=3, dashes=True)
    if former:
        options.update(color=FORMER_COLOUR, width=1, dashes=[2, 6])
    return options


def legend(labels: set[str], rel_types: set[str]) -> list[dict[str, str]]:
    """Legend entries for the labels and relationship types a page shows."""
    entries = []
    for node in ONTOLOGY.nodes:
        if node.label in labels:
            entries.append({"kind": "node", "name": node.label, "colour": node.style.colour,
                            "shape": node.style.shape, "description": node.description})
    for rel in ONTOLOGY.relationships:
        if rel.type in rel_types:
            entries.append({"kind": "edge", "name": rel.type, "colour": rel.style.colour,
                            "shape": "dashed" if rel.style.dashes else "solid",
                            "description": rel.description})
    return entries
