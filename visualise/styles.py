"""Visual styles, derived from the ontology declaration (one place: ontology/schema.py).

The ontology gives each label a colour and a shape and each relationship type a colour, a
line pattern and a width, from a colour-blind-safe palette. Here they become vis-network
options, with three marks of state on top: a gap (a thick border and glow in a red no label
uses), a highlight (the chain a page is about: a thick black border) and the past (a former
holding or expired evidence: faded, dashed).
"""

from __future__ import annotations

from typing import Any

from aimsgraph.ontology import ONTOLOGY

__all__ = ["GAP_COLOUR", "INNER_LABEL_SHAPES", "contrast", "edge_style", "label_colour",
           "legend", "node_style"]

GAP_COLOUR = "#E8000B"
HIGHLIGHT_COLOUR = "#000000"
#: A relationship or node that no longer holds on the page's date.
FORMER_COLOUR = "#B0B0B0"
#: Shapes that draw their label inside the node (on its colour); the others draw it below,
#: on the page.
INNER_LABEL_SHAPES = ("box", "ellipse", "database", "circle", "text")
_DARK, _LIGHT, _PAGE = "#1A1A1A", "#FFFFFF", "#FFFFFF"


def _luminance(colour: str) -> float:
    """Relative luminance as WCAG 2 defines it."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21; text wants 4.5 or more)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def label_colour(background: str) -> str:
    """Dark or light text, whichever reads better on ``background``."""
    return _DARK if contrast(_DARK, background) >= contrast(_LIGHT, background) else _LIGHT


def node_style(label: str, *, gap: bool = False, highlight: bool = False,
               past: bool = False) -> dict[str, Any]:
    """vis-network options for a node of ``label``: its colour and shape, its label legible
    on whatever it is drawn on; a gap adds a thick red border and a glow, a highlight a thick
    black border, the past fades it and dashes its border."""
    style = ONTOLOGY.node(label).style if ONTOLOGY.has_label(label) else None
    colour = style.colour if style else "#999999"
    shape = style.shape if style else "dot"
    options: dict[str, Any] = {
        "shape": shape,
        "size": style.size if style else 12,
        "color": {"background": colour, "border": colour,
                  "highlight": {"background": colour, "border": HIGHLIGHT_COLOUR},
                  "hover": {"background": colour, "border": HIGHLIGHT_COLOUR}},
        "borderWidth": 1,
        # Inside a shape the label sits on the node's colour; below one, on the page, with a
        # white outline that keeps it legible over edges.
        "font": {"color": label_colour(colour), "strokeWidth": 0} if shape in INNER_LABEL_SHAPES
        else {"color": _DARK, "strokeWidth": 3, "strokeColor": _PAGE},
    }
    if highlight:
        options["color"]["border"] = HIGHLIGHT_COLOUR
        options["borderWidth"] = 4
        options["size"] = options["size"] + 6
    if gap:
        options["color"]["border"] = GAP_COLOUR
        options["borderWidth"] = 6
        options["shadow"] = {"enabled": True, "color": GAP_COLOUR, "size": 18, "x": 0, "y": 0}
    if past:
        options["opacity"] = 0.45
        options["shapeProperties"] = {"borderDashes": [4, 4]}
        options["borderWidth"] = max(options["borderWidth"], 2)
    return options


def edge_style(rel_type: str, *, highlight: bool = False, broken: bool = False,
               former: bool = False) -> dict[str, Any]:
    """vis-network options for a relationship of ``rel_type``."""
    style = ONTOLOGY.relationship(rel_type).style if ONTOLOGY.has_relationship(rel_type) \
        else None
    colour = style.colour if style else "#999999"
    options: dict[str, Any] = {
        # Selected or hovered, an edge keeps its colour (vis would turn it grey).
        "color": {"color": colour, "highlight": colour, "hover": colour, "opacity": 0.9},
        "width": style.width if style else 1,
        "dashes": style.dashes if style else False,
        "arrows": "to",
    }
    if highlight:
        options.update(color={"color": HIGHLIGHT_COLOUR, "highlight": HIGHLIGHT_COLOUR,
                              "hover": HIGHLIGHT_COLOUR}, width=5)
    if broken:
        options.update(color={"color": GAP_COLOUR, "highlight": GAP_COLOUR,
                              "hover": GAP_COLOUR}, width=3, dashes=[10, 6])
    if former:
        options.update(color={"color": FORMER_COLOUR, "highlight": FORMER_COLOUR,
                              "hover": FORMER_COLOUR, "opacity": 0.7}, width=1, dashes=[2, 6])
    return options


def legend(labels: set[str], rel_types: set[str]) -> list[dict[str, Any]]:
    """Legend entries for the labels and relationship types a page shows."""
    entries: list[dict[str, Any]] = []
    for node in ONTOLOGY.nodes:
        if node.label in labels:
            entries.append({"kind": "node", "name": node.label, "colour": node.style.colour,
                            "shape": node.style.shape, "description": node.description})
    for rel in ONTOLOGY.relationships:
        if rel.type in rel_types:
            entries.append({"kind": "edge", "name": rel.type, "colour": rel.style.colour,
                            "shape": rel.style.pattern, "width": rel.style.width,
                            "description": rel.description})
    return entries
